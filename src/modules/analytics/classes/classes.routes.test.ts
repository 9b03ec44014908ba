import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { nextReceiptNo } from '../../../../test/receipts.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let manager: string
let cashier: string
let admin: string
let regionId: string
beforeAll(async () => {
  t = await context()
  analyst = await t.login(t.users.analyst!.username)
  manager = await t.login(t.users.store_manager!.username)
  cashier = await t.login(t.users.cashier!.username)
  admin = await t.login(t.users.hq_admin!.username)
  const region = await t.services.org.createRegion(t.actors.hq_admin, { code: 'EAST', name: '华东' })
  regionId = region.id
  await t.services.org.updateStore(t.actors.hq_admin, t.stores.a, { regionId })

  // Store A: three buyers (60 000, 30 000 and 20 000 fen less a 10 000 return) and a member who never bought;
  // store B: two buyers (50 000 and 5 000).
  const buy = async (memberId: string, fen: number, by = t.actors.cashier) => {
    const receiptNo = nextReceiptNo()
    await t.given.receipt({ by, member: { id: memberId }, receiptNo, lines: [['SKU-T', 1, fen]] })
    return receiptNo
  }
  const a1 = await t.given.member({ incomeBand: '20k_plus' })
  const a2 = await t.given.member({ incomeBand: '3k_5k' })
  const a3 = await t.given.member({ incomeBand: '8k_12k' })
  await t.given.member()
  const b1 = await t.given.member({ by: t.actors.cashierB, incomeBand: '12k_20k' })
  const b2 = await t.given.member({ by: t.actors.cashierB })
  await buy(a1.id, 60_000)
  await buy(a2.id, 30_000)
  await buy(a3.id, 10_000)
  await t.given.return({ originalReceiptNo: await buy(a3.id, 10_000) })
  await buy(b1.id, 50_000, t.actors.cashierB)
  await buy(b2.id, 5_000, t.actors.cashierB)
  await t.services.insight.refresh({ full: true })
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const get = async (cookie: string, url: string) => {
  const res = await as(cookie, { method: 'GET', url: `/api/v1${url}` })
  return { status: res.statusCode, body: res.json() }
}

describe('the class pages through the API', () => {
  it.each(['/insight/rfm', '/insight/quadrants', '/insight/pareto', '/insight/distributions', '/insight/lifecycle', '/insight/settings'])('refuses %s to a cashier (403) and to no session (401)', async (url) => {
    expect((await get(cashier, url)).status).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: `/api/v1${url}` })).statusCode).toBe(401)
  })

  it('shows HQ the chain and a store manager only the members of their store', async () => {
    const chain = await get(analyst, '/insight/rfm')
    expect(chain.status, JSON.stringify(chain.body)).toBe(200)
    expect(chain.body).toMatchObject({ asOf: '2026-03-02', storeId: null, regionId: null, scored: 5 })
    expect(chain.body.members).toBeGreaterThanOrEqual(6)
    expect(chain.body.matrix).toHaveLength(25)
    expect(chain.body.classes).toHaveLength(8)
    expect(chain.body.classes.reduce((s: number, c: { members: number }) => s + c.members, 0)).toBe(5)
    expect(chain.body.spend).toBe(155_000)

    const store = await get(manager, '/insight/rfm')
    expect(store.body).toMatchObject({ storeId: t.stores.a, scored: 3, spend: 100_000 })
    expect(store.body.cuts).toEqual(chain.body.cuts)
    expect((await get(analyst, `/insight/rfm?storeId=${t.stores.b}`)).body).toMatchObject({ scored: 2, spend: 55_000 })
    expect((await get(analyst, `/insight/rfm?regionId=${regionId}`)).body).toMatchObject({ regionId, scored: 3 })

    const other = await get(manager, `/insight/rfm?storeId=${t.stores.b}`)
    expect(other.status).toBe(403)
    expect(other.body.error.code).toBe('OUT_OF_STORE_SCOPE')
    const region = await get(analyst, '/insight/quadrants?regionId=reg_nothere')
    expect(region.status).toBe(400)
    expect(region.body.error.details).toEqual([{ field: 'regionId', reason: 'no such region' }])
  })

  it('counts value quadrants, members without an income band apart', async () => {
    const { status, body } = await get(analyst, '/insight/quadrants')
    expect(status).toBe(200)
    // Bands: 20k+, 3k-5k, 8k-12k, 12k-20k (median: 8k-12k); spend of buyers: 60 000, 50 000, 30 000, 10 000, 5 000 (median 30 000).
    expect(body.thresholds).toMatchObject({ incomeThreshold: '8k_12k', spendThreshold: 30_000, incomeDerived: true, spendDerived: true })
    const q = Object.fromEntries(body.quadrants.map((x: { quadrant: string; members: number }) => [x.quadrant, x.members]))
    expect(q).toMatchObject({ core: 2, develop: 1, potential: 1, abandon: 0 })
    expect(q.unknown).toBe(body.members - 4)
    const mine = await get(manager, '/insight/quadrants')
    expect(Object.fromEntries(mine.body.quadrants.map((x: { quadrant: string; members: number }) => [x.quadrant, x.members])))
      .toMatchObject({ core: 1, develop: 1, potential: 1, abandon: 0 })
  })

  it('draws the 80/20 curve from the receipts of a period, net of returns or gross, per store', async () => {
    const { status, body } = await get(analyst, '/insight/pareto?from=2026-03-01&to=2026-03-02')
    expect(status).toBe(200)
    expect(body).toMatchObject({ from: '2026-03-01', to: '2026-03-02', basis: 'net', members: 5, spend: 155_000, top20Members: 1, top20Share: 0.3871, membersFor80: 3, memberShareFor80: 0.6 })
    expect(body.points).toHaveLength(100)
    expect(body.points[99]).toEqual({ memberPct: 100, members: 5, spendShare: 1 })
    expect(body.points[39]).toEqual({ memberPct: 40, members: 2, spendShare: 0.7097 })
    const gross = await get(analyst, '/insight/pareto?from=2026-03-01&to=2026-03-02&basis=gross')
    expect(gross.body).toMatchObject({ spend: 165_000, top20Share: 0.3636 })
    const store = await get(manager, '/insight/pareto?from=2026-03-01&to=2026-03-02')
    expect(store.body).toMatchObject({ storeId: t.stores.a, members: 3, spend: 100_000, top20Members: 1, top20Share: 0.6, membersFor80: 2 })
    const empty = await get(analyst, '/insight/pareto?from=2025-01-01&to=2025-01-31')
    expect(empty.body).toMatchObject({ members: 0, spend: 0, top20Share: 0, membersFor80: 0 })
    const backwards = await get(analyst, '/insight/pareto?from=2026-03-02&to=2026-03-01')
    expect(backwards.status).toBe(400)
    expect(backwards.body.error.details).toEqual([{ field: 'from', reason: 'must not be after to' }])
    expect((await get(analyst, '/insight/pareto?from=yesterday')).status).toBe(400)
    expect((await get(analyst, '/insight/pareto?from=2026-13-01')).status).toBe(400)
  })

  it('gives the distributions and the lifecycle with their thresholds', async () => {
    const dist = await get(manager, '/insight/distributions')
    expect(dist.status).toBe(200)
    expect(dist.body.frequencyAmount).toHaveLength(16)
    expect(dist.body.frequencyAmount.reduce((s: number, x: { members: number }) => s + x.members, 0)).toBe(dist.body.members)
    expect(dist.body.frequencyAmount.filter((x: { frequency: string }) => x.frequency !== 'none').reduce((s: number, x: { members: number }) => s + x.members, 0)).toBe(3)
    expect(dist.body.ageGender.reduce((s: number, x: { members: number }) => s + x.members, 0)).toBe(dist.body.members)
    const life = await get(manager, '/insight/lifecycle')
    expect(life.status).toBe(200)
    // Everyone registered today: all new.
    expect(life.body.stages.find((s: { stage: string }) => s.stage === 'new').members).toBe(life.body.members)
    expect(life.body.thresholds).toMatchObject({ newDays: 30, dormantDays: 90, lostDays: 180, intervals: { members: 1 } })
    expect(life.body.trend).toEqual([{ month: '2026-03', stage: 'new', members: life.body.members }])
  })
})

describe('the settings through the API', () => {
  const put = (cookie: string, payload: unknown) => as(cookie, { method: 'PUT', url: '/api/v1/insight/settings', payload: payload as object })

  it('refuses bad settings with the field and reason, and changes nothing', async () => {
    const before = (await get(analyst, '/insight/settings')).body
    expect(before.settings).toMatchObject({ windowDays: 365, rfm: { method: 'quintile', fixed: null } })
    expect(before.cuts).toMatchObject({ asOf: '2026-03-02', scored: 5 })
    const cases: Array<[unknown, string]> = [
      [{ windowDays: -3 }, 'windowDays'],
      [{ rfm: { method: 'fixed', fixed: { r: [30, 7, 90, 180], f: [2, 4, 8, 12], m: [1000, 2000, 3000, 4000] } } }, 'rfm.fixed.r.1'],
      [{ quadrant: { incomeThreshold: '50k_plus', spendThreshold: null } }, 'quadrant.incomeThreshold'],
      [{ lifecycle: { newDays: null, dormantDays: 90, lostDays: 60 } }, 'lifecycle.lostDays'],
      [{ frequency: { method: 'fixed', mid: 6, high: 3 } }, 'frequency.high'],
      [{ rfm: { method: 'fixed', fixed: null } }, 'rfm.fixed'],
    ]
    for (const [payload, field] of cases) {
      const res = await put(admin, payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json().error.details.map((d: { field: string }) => d.field), res.body).toContain(field)
    }
    expect((await get(analyst, '/insight/settings')).body).toEqual(before)
  })

  it('lets HQ change them (audited), not a store manager', async () => {
    expect((await put(manager, { windowDays: 180 })).statusCode).toBe(403)
    const res = await put(analyst, { windowDays: 180, lifecycle: { newDays: 14, dormantDays: null, lostDays: null } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().settings).toMatchObject({ windowDays: 180, lifecycle: { newDays: 14, dormantDays: null, lostDays: null }, rfm: { method: 'quintile' } })
    const log = await t.services.db.selectFrom('audit_log').select(['action', 'entity_type', 'changes']).where('action', '=', 'insight_settings.update').execute()
    expect(log).toHaveLength(1)
    expect(JSON.parse(log[0]!.changes!)).toEqual({ windowDays: { from: 365, to: 180 }, newDays: { from: null, to: 14 } })
    // The next full refresh uses them.
    await t.services.insight.refresh({ full: true })
    expect((await get(analyst, '/insight/settings')).body.cuts).toMatchObject({ windowDays: 180, windowFrom: '2025-09-04', lifecycle: { newDays: 14, overridden: { newDays: true } } })
  })
})
