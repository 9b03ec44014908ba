import { afterAll } from 'vitest'
import type { App } from '../src/http/app.js'
import { buildApp } from '../src/http/app.js'
import { runUntilIdle, type DrainResult } from '../src/jobs/worker.js'
import { hashPassword, type Role } from '../src/modules/auth/index.js'
import type { RegisterInput } from '../src/modules/members/index.js'
import { createServices, type Services } from '../src/services.js'
import type { Actor } from '../src/shared/actor.js'
import { FixedClock } from '../src/shared/clock.js'
import { newId } from '../src/shared/ids.js'
import { Keyring, type KeyFile } from '../src/shared/pii.js'
import { createTestDatabase, type TestDatabase } from './db.js'
import { factories, type Factories } from './factories.js'

export const TEST_PASSWORD = 'Corr3ct-Horse'
let cachedHash: Promise<string> | null = null
const passwordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD))

let phoneCounter = 0
/** A valid, unused mainland mobile number. */
export const nextPhone = () => `139${String(process.pid % 1000).padStart(3, '0')}${String(++phoneCounter).padStart(5, '0')}`

export interface TestContext {
  db: TestDatabase
  services: Services
  app: App
  clock: FixedClock
  keyring: Keyring
  keyFile: KeyFile
  /** ms the login throttle asked to wait, in order */
  sleeps: number[]
  stores: { a: string; b: string }
  actors: Record<Exclude<Role, 'region_manager'>, Actor> & { system: Actor; cashierB: Actor; managerB: Actor; serviceB: Actor }
  users: Record<string, { id: string; username: string }>
  /** Factories: data made through the services (test/factories.ts), plus stores and members. */
  given: Factories & {
    store(input?: { code?: string; name?: string }): Promise<string>
    member(input?: RegisterInput & { by?: Actor }): Promise<Awaited<ReturnType<Services['members']['register']>>['member']>
    /** A staff user written straight into the table; a region manager names their region (the actor's scope is its stores now). */
    staff(role: Role, storeId?: string | null, regionId?: string | null): Promise<{ id: string; username: string; actor: Actor }>
  }
  /** Signs in through the API; returns the Cookie header value. */
  login(username: string, password?: string): Promise<string>
  /** Runs the queued jobs that are due (no worker runs in tests unless one is started). */
  drainJobs(): Promise<DrainResult>
  close(): Promise<void>
}

/** A migrated database, wired services and the HTTP app, with two stores and a user of each role. */
export const createTestContext = async (options: { sqliteFile?: string; poolSize?: number } = {}): Promise<TestContext> => {
  const db = await createTestDatabase(options)
  const clock = new FixedClock('2026-03-02T02:00:00.000Z')
  const keyFile = Keyring.generate()
  const keyring = new Keyring(keyFile)
  const sleeps: number[] = []
  const services = createServices({
    database: db.database, keyring, clock, timezone: 'Asia/Shanghai', dataDir: `/tmp/patron-test-${process.pid}`,
    sleep: async (ms) => { sleeps.push(ms) },
  })
  const app = await buildApp({ services, config: { secureCookies: false, logLevel: 'silent' }, logger: false })
  const system: Actor = { kind: 'system', name: 'test' }

  let storeCounter = 0
  const store = async (input: { code?: string; name?: string } = {}) => {
    const n = ++storeCounter
    const s = await services.org.createStore(system, { code: input.code ?? `T${String(n).padStart(3, '0')}`, name: input.name ?? `测试门店${n}`, city: '上海', district: '浦东新区' })
    return s.id
  }
  // Staff are written straight into staff_users with one cached password hash, not through
  // auth.createUser: that would cost a 100 ms scrypt per user (nine in every test file) and add a
  // staff.create entry to the audit trail that tests of a user's trail count.
  let staffCounter = 0
  const staff = async (role: Role, storeId: string | null = null, regionId: string | null = null) => {
    const at = clock.now().toISOString()
    const username = `${role.replace('_', '')}${++staffCounter}`
    const id = newId('usr')
    await services.db.insertInto('staff_users').values({
      id, username, display_name: username, password_hash: await passwordHash(), role, store_id: storeId, region_id: regionId, status: 'active',
      password_changed_at: at, created_at: at, updated_at: at,
    }).execute()
    const region = regionId
      ? { regionId, regionStoreIds: (await services.db.selectFrom('stores').select('id').where('region_id', '=', regionId).execute()).map((r) => r.id) }
      : {}
    return { id, username, actor: { kind: 'staff', userId: id, username, role, storeId, ...region } as Actor }
  }

  const a = await store({ code: 'SHA01', name: '上海浦东店' })
  const b = await store({ code: 'BJB01', name: '北京朝阳店' })
  const users: Record<string, { id: string; username: string }> = {}
  const actorsList: Array<[string, Role, string | null]> = [
    ['hq_admin', 'hq_admin', null], ['hq_marketing', 'hq_marketing', null], ['analyst', 'analyst', null],
    ['store_manager', 'store_manager', a], ['cashier', 'cashier', a], ['service_agent', 'service_agent', a],
    ['managerB', 'store_manager', b], ['cashierB', 'cashier', b], ['serviceB', 'service_agent', b],
  ]
  const actors: Record<string, Actor> = { system }
  for (const [key, role, storeId] of actorsList) {
    const u = await staff(role, storeId)
    users[key] = { id: u.id, username: u.username }
    actors[key] = u.actor
  }

  const ctx: TestContext = {
    db, services, app, clock, keyring, keyFile, sleeps,
    stores: { a, b },
    actors: actors as TestContext['actors'],
    users,
    given: {
      ...factories({ services, actors: actors as TestContext['actors'] }),
      store,
      staff,
      member: async ({ by, ...input } = {}) => {
        const result = await services.members.register(by ?? ctx.actors.cashier, { phone: nextPhone(), name: '王小明', ...input })
        return result.member
      },
    },
    login: async (username, password = TEST_PASSWORD) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`)
      const cookie = res.cookies.find((c) => c.name === 'patron_session')
      return `patron_session=${cookie!.value}`
    },
    drainJobs: () => runUntilIdle(services, { owner: 'test-worker' }),
    close: async () => {
      // Jobs left queued need no worker: the database is dropped with them.
      await services.events.drain()
      await app.close()
      await db.drop()
    },
  }
  return ctx
}

/** A context for the whole file, closed after it. */
export const useTestContext = (options: { sqliteFile?: string; poolSize?: number } = {}) => {
  let ctx: TestContext | undefined
  const ready = createTestContext(options).then((c) => (ctx = c))
  afterAll(async () => {
    await ready
    await ctx?.close()
  })
  return () => ready
}
