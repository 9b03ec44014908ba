import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/db.js'
import { runUntilIdle } from '../../../jobs/worker.js'
import { createServices, type Services } from '../../../services.js'
import { systemClock } from '../../../shared/clock.js'
import { Keyring } from '../../../shared/pii.js'

// Campaign sends on real worker processes (`patron worker`), killed mid-send and run twice at
// once: every target gets exactly one message and at most one coupon (issue 15 §6).
const dir = mkdtempSync(join(tmpdir(), 'patron-campaign-faults-'))
let tdb: TestDatabase
let services: Services
let env: NodeJS.ProcessEnv
const system = { kind: 'system' as const, name: 'test' }
// Node with tsx's loader in-process, so a SIGKILL stops the worker itself.
const worker = (): ChildProcess => spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], { env, stdio: 'ignore' })

beforeAll(async () => {
  tdb = await createTestDatabase({ sqliteFile: join(dir, 'patron.db') })
  const keyFile = Keyring.generate()
  writeFileSync(join(dir, 'patron.key'), JSON.stringify(keyFile))
  services = createServices({ database: tdb.database, keyring: new Keyring(keyFile), clock: systemClock, timezone: 'Asia/Shanghai', dataDir: dir })
  env = { ...process.env, DATABASE_URL: tdb.url, PATRON_DATA_DIR: dir, PATRON_KEY_FILE: join(dir, 'patron.key'), LOG_LEVEL: 'silent', PATRON_SCHEDULER: 'off', PATRON_WORKERS: '1' }
  // The tests run at any hour: no quiet hours, no cap.
  await services.campaigns.saveSettings(system, { quietStart: '00:00', quietEnd: '00:00', capCount: 0 })
}, 120_000)
afterAll(async () => tdb.drop())

let n = 0
/** A store's `size` members with SMS consent, a segment of them, a template with the coupon's code, a coupon; a submitted campaign. */
const campaign = async (size: number) => {
  const tag = ++n
  const store = await services.org.createStore(system, { code: `F${tag}`, name: `故障门店${tag}`, city: '上海', district: '浦东新区' })
  for (let i = 0; i < size; i++) {
    await services.members.register(system, { phone: `139${String(tag).padStart(2, '0')}${String(i).padStart(6, '0')}`, name: `会员${i}`, registrationStoreId: store.id, consents: { sms: true } })
  }
  // What the registrations queued (welcome coupons, insight) is done first: the workers then have the campaign alone.
  await runUntilIdle(services)
  const segment = await services.segments.create(system, { name: `故障人群${tag}`, definition: { field: 'registration_store', op: 'in', value: [store.id] } })
  const tpl = await services.templates.create(system, { name: `故障模板${tag}`, channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，送您优惠券 {{couponCode}}' })
  const coupon = await services.coupons.createTemplate(system, { name: `故障券${tag}`, kind: 'threshold', value: 500, minSpend: 3000, validDays: 30 } as never)
  const c = await services.campaigns.create(system, { name: `故障活动${tag}`, segmentId: segment.id, channels: ['sms'], templateIds: { sms: tpl.id }, couponTemplateId: coupon.id, holdoutPct: 10, ratePerMinute: 100_000 })
  const submitted = await services.campaigns.submit(system, c.id, 1)
  return { id: c.id, coupon: coupon.id, dueAt: submitted.nextRunAt! }
}

const count = async (table: 'messages' | 'coupons', column: 'source_id' | 'template_id', value: string) =>
  Number((await services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column, '=', value).executeTakeFirstOrThrow()).n)

const runOf = async (campaignId: string) => (await services.campaigns.get(system, campaignId)).runs[0]

/** Every target has one message and one coupon, nobody two; the holdout none. */
const exactlyOnce = async (campaignId: string, couponTemplateId: string) => {
  const run = (await runOf(campaignId))!
  expect(run).toMatchObject({ status: 'done', pending: 0, failed: 0 })
  expect(run.sent).toBe(run.targets)
  const perMember = await services.db.selectFrom('messages').select(['member_id', (eb) => eb.fn.countAll<number>().as('n')]).where('source_id', '=', run.id).groupBy('member_id').execute()
  expect(perMember).toHaveLength(run.targets)
  expect(perMember.every((m) => Number(m.n) === 1)).toBe(true)
  const coupons = await services.db.selectFrom('coupons').select(['member_id', (eb) => eb.fn.countAll<number>().as('n')]).where('template_id', '=', couponTemplateId).groupBy('member_id').execute()
  expect(coupons).toHaveLength(run.targets)
  expect(coupons.every((c) => Number(c.n) === 1)).toBe(true)
  // Each message names its member's own coupon.
  const codes = new Map((await services.db.selectFrom('coupons').select(['member_id', 'code']).where('template_id', '=', couponTemplateId).execute()).map((x) => [x.member_id, x.code]))
  const bodies = await services.db.selectFrom('messages').select(['member_id', 'body']).where('source_id', '=', run.id).execute()
  const mismatched = bodies.filter((m) => !m.body.includes(codes.get(m.member_id!) ?? '?'))
  expect(mismatched).toEqual([])
  return run
}

describe('campaign sends on worker processes', () => {
  it('finishes a send killed midway exactly once: one message and one coupon per target', async () => {
    const c = await campaign(250)
    const child = worker()
    const exited = once(child, 'exit')
    for (let i = 0; i < 1200 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 25))
      const run = await runOf(c.id)
      if (run && (await count('messages', 'source_id', run.id)) >= 20) {
        child.kill('SIGKILL')
        break
      }
    }
    const [, signal] = await exited
    expect(signal).toBe('SIGKILL')
    const run = (await runOf(c.id))!
    const afterKill = await count('messages', 'source_id', run.id)
    expect(afterKill).toBeGreaterThan(0)
    expect(afterKill).toBeLessThan(run.targets)
    // The killed worker's lease runs out (5 minutes in life; at once here), and a restarted worker takes the job up.
    await services.db.updateTable('job_queue').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('status', '=', 'running').execute()
    const restarted = worker()
    try {
      for (let i = 0; i < 2400; i++) {
        const r = await runOf(c.id)
        if (r?.status === 'done') break
        await new Promise((res) => setTimeout(res, 50))
      }
    } finally {
      restarted.kill('SIGTERM')
      await once(restarted, 'exit')
    }
    await exactlyOnce(c.id, c.coupon)
  }, 240_000)

  it('sends nothing twice with two worker processes on one run', async () => {
    const c = await campaign(200)
    // The run is prepared here; then its send is queued three times over, as a retry racing a second worker would.
    const { runId } = await services.campaigns.startDue({ campaignId: c.id, dueAt: c.dueAt })
    const run = (await runOf(c.id))!
    expect(run.id).toBe(runId)
    for (const k of ['a', 'b']) await services.outbox.enqueue(services.db, 'campaigns.send', { runId: run.id }, { key: `race:${run.id}:${k}` })
    // Two loops in each process on PostgreSQL; SQLite takes one loop a process.
    const env2 = { ...env, PATRON_WORKERS: testEngine() === 'postgres' ? '2' : '1' }
    const one = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], { env: env2, stdio: 'ignore' })
    const two = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], { env: env2, stdio: 'ignore' })
    try {
      for (let i = 0; i < 2400; i++) {
        const r = await runOf(c.id)
        const open = await services.db.selectFrom('job_queue').select('id').where('name', '=', 'campaigns.send').where('status', 'in', ['queued', 'running']).execute()
        if (r?.status === 'done' && open.length === 0) break
        await new Promise((res) => setTimeout(res, 50))
      }
    } finally {
      for (const p of [one, two]) p.kill('SIGTERM')
      await Promise.all([once(one, 'exit'), once(two, 'exit')])
    }
    await exactlyOnce(c.id, c.coupon)
  }, 240_000)
})
