import type { InjectOptions } from 'fastify'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'

const context = useTestContext()
let t: TestContext
let admin: string
beforeAll(async () => {
  t = await context()
  admin = await t.login(t.users.hq_admin!.username)
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const audit = async (query: string) => {
  const res = await as(admin, { method: 'GET', url: `/api/v1/audit?${query}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { items: Array<Record<string, unknown> & { id: string; action: string; entityId: string | null }>; nextCursor: string | null }
}

describe('reading the audit log', () => {
  it('records an action with who, where and what, and finds it by action and entity', async () => {
    const store = await as(admin, { method: 'POST', url: '/api/v1/stores', payload: { code: 'AUD01', name: '审计店', city: '上海' }, remoteAddress: '10.1.2.3' })
    const id = store.json().id as string
    const page = await audit(`action=store.create&entityId=${id}`)
    expect(page.items).toEqual([{
      id: expect.stringMatching(/^aud_/), at: t.clock.now().toISOString(), actorType: 'staff', actorId: t.users.hq_admin!.id,
      actorName: t.users.hq_admin!.username, ip: '10.1.2.3', action: 'store.create', entityType: 'store', entityId: id, storeId: id,
      changes: { code: 'AUD01', name: '审计店', city: '上海' },
    }])
    expect(page.nextCursor).toBeNull()

    await as(admin, { method: 'PATCH', url: `/api/v1/stores/${id}`, payload: { name: '审计二店' } })
    const forStore = await audit(`entityType=store&entityId=${id}`)
    expect(forStore.items.map((e) => e.action)).toEqual(['store.update', 'store.create'])
    expect(forStore.items[0]!.changes).toEqual({ name: { from: '审计店', to: '审计二店' } })
    const stores = await audit('entityType=store&limit=200')
    expect(stores.items.every((e) => e.entityType === 'store')).toBe(true)
    expect(stores.items.map((e) => e.entityId)).toEqual(expect.arrayContaining([t.stores.a, t.stores.b, id]))
  })

  it('names the ids an entry mentions (entity, store, ids inside changes) and never a PII value', async () => {
    const store = await t.services.org.createStore(t.actors.hq_admin, { code: 'LBL01', name: '标签店', city: '上海' })
    const member = await t.given.member({ by: t.actors.hq_admin, name: '欧阳娜娜', registrationStoreId: store.id })
    const user = await t.services.auth.createUser(t.actors.hq_admin, { username: 'label-desk', displayName: '小周', password: 'Quiet-harbour-88', role: 'service_agent', storeId: store.id })
    const res = await as(admin, { method: 'GET', url: '/api/v1/audit?limit=20' })
    const page = res.json() as { labels: Record<string, string> }
    expect(page.labels[store.id]).toBe('LBL01 标签店')
    expect(page.labels[user.id]).toBe('小周（label-desk）')
    expect(page.labels[member.id]).toBe(`${member.name}（${member.cardNo}）`)
    expect(member.name).not.toBe('欧阳娜娜')
    expect(JSON.stringify(page.labels)).not.toContain('欧阳娜娜')
    const trail = await as(admin, { method: 'GET', url: `/api/v1/members/${member.id}/audit` })
    // Tiers are named by code in rules, coupons and draws: their names come along.
    expect(trail.json().labels).toMatchObject({ [member.id]: page.labels[member.id], 'tier:gold': '金卡' })
  })

  it("finds entries by part of the actor's name, in any case, and treats % and _ as letters", async () => {
    const clerk = await t.given.staff('hq_admin')
    await t.services.org.createRegion(clerk.actor, { code: 'ACT1', name: '按人查' })
    const mine = await audit(`actor=${encodeURIComponent(clerk.username.slice(2).toUpperCase())}`)
    expect(mine.items.map((e) => e.action)).toEqual(['region.create'])
    expect((await audit('actor=%25')).items).toEqual([])
    expect((await audit('actor=_')).items).toEqual([])
  })

  it('filters by time: from is inclusive, to exclusive, in any offset', async () => {
    const start = t.clock.now().getTime()
    const codes = ['T1', 'T2', 'T3']
    for (const [i, code] of codes.entries()) {
      t.clock.set(new Date(start + (i + 1) * 60_000))
      await t.services.org.createRegion(t.actors.hq_admin, { code, name: code })
    }
    const minute = (n: number) => new Date(start + n * 60_000).toISOString()
    const between = async (from: string, to: string) =>
      (await audit(`action=region.create&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).items.map((e) => (e.changes as { code: string }).code)

    expect(await between(minute(2), minute(3))).toEqual(['T2'])
    expect(await between(minute(1), minute(3))).toEqual(['T2', 'T1'])
    expect(await between(minute(2), minute(60))).toEqual(['T3', 'T2'])
    // The same instants written in Beijing time.
    const beijing = (n: number) => new Date(start + n * 60_000 + 8 * 3600_000).toISOString().replace('Z', '+08:00')
    expect(await between(beijing(2), beijing(3))).toEqual(['T2'])
  })

  it('pages with a cursor, newest first, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await t.services.org.createRegion(t.actors.hq_admin, { code: `P${i}`, name: `分页${i}` })
    const all = await audit('action=region.create&limit=200')
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await audit(`action=region.create&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(3)
      seen.push(...page.items.map((e) => e.id))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(seen).toEqual(all.items.map((e) => e.id))
    expect(seen.length).toBeGreaterThanOrEqual(10)
    expect(pages).toBe(Math.ceil(seen.length / 3))
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort().reverse()).toEqual(seen)
  })

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['who=me', 'who'],
  ])('refuses %s with 400 naming the parameter', async (query, field) => {
    const res = await as(admin, { method: 'GET', url: `/api/v1/audit?${query}` })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field })] })
  })
})

describe('who may read it', () => {
  it.each(['hq_marketing', 'analyst', 'store_manager', 'cashier', 'service_agent', 'managerB'])('refuses %s with 403', async (key) => {
    const cookie = await t.login(t.users[key]!.username)
    const res = await as(cookie, { method: 'GET', url: '/api/v1/audit' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })

  it('refuses a POS key with 403 and anonymous callers with 401', async () => {
    const { key } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till audit' })
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401)
  })
})

describe('integrity', () => {
  const count = async () => Number((await t.services.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

  it('refuses UPDATE and DELETE on the audit log at the database level', async () => {
    const row = await t.services.db.selectFrom('audit_log').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow()
    const before = await count()
    const db = tamper(t, 'the append-only audit log under attack')
    await expect(db.updateTable('audit_log').set({ action: 'tampered' }).where('id', '=', row.id).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_log').where('id', '=', row.id).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
    expect(await count()).toBe(before)
    expect(await t.services.db.selectFrom('audit_log').selectAll().where('id', '=', row.id).executeTakeFirst()).toEqual(row)
  })

  it('keeps no PII values in audit rows after register, lookup, update, reveal, consent and export', async () => {
    const phone = nextPhone()
    const newPhone = nextPhone()
    const pii = {
      phone, name: '司马相如', email: 'sima.xiangru@example.com', idNumber: '110105199001011232', address: '上海市黄浦区南京东路100号',
    }
    const created = await as(admin, { method: 'POST', url: '/api/v1/members', payload: { ...pii, registrationStoreId: t.stores.a } })
    expect(created.statusCode).toBe(201)
    const id = created.json().member.id as string
    expect((await as(admin, { method: 'POST', url: '/api/v1/members/lookup', payload: { phone } })).statusCode).toBe(200)
    const updated = await as(admin, { method: 'PATCH', url: `/api/v1/members/${id}`, payload: { phone: newPhone, name: '卓文君', address: '成都市锦江区春熙路1号' } })
    expect(updated.statusCode).toBe(200)
    const revealed = await as(admin, { method: 'POST', url: `/api/v1/members/${id}/reveal`, payload: {} })
    expect(revealed.json()).toMatchObject({ phone: newPhone, name: '卓文君' })
    expect((await as(admin, { method: 'PUT', url: `/api/v1/members/${id}/consents/sms`, payload: { granted: true } })).statusCode).toBe(200)
    expect((await as(admin, { method: 'GET', url: '/api/v1/members/export.csv' })).statusCode).toBe(200)

    const trail = await audit(`entityType=member&entityId=${id}`)
    expect(trail.items.map((e) => e.action)).toEqual(['member.consent.grant', 'member.reveal', 'member.update', 'member.register'])
    expect(trail.items.find((e) => e.action === 'member.update')!.changes).toMatchObject({
      phone: { from: '[redacted]', to: '[redacted]' }, name: { from: '[redacted]', to: '[redacted]' },
    })

    const rows = await sql<Record<string, unknown>>`select * from audit_log`.execute(t.services.db)
    const raw = JSON.stringify(rows.rows)
    for (const secret of [...Object.values(pii), newPhone, '卓文君', '春熙路1号', phone.slice(3), newPhone.slice(3)]) {
      expect(raw).not.toContain(secret)
    }
  })
})
