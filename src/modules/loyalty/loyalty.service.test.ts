import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'
import { defineJob } from '../outbox/index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const buy = (memberId: string, fen: number, businessAt?: string) =>
  t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: memberId }, lines: [['SKU-T', 1, fen]], ...(businessAt ? { businessAt } : {}) }))
const points = (memberId: string) => t.services.loyalty.points(t.actors.hq_admin, memberId)

describe('manual adjustment', () => {
  it('adds points with a reason, audited, for permitted roles only', async () => {
    const m = await t.given.member()
    await expect(t.services.loyalty.adjust(t.actors.cashier, { memberId: m.id, points: 100, reason: '顾客投诉补偿' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const entry = await t.services.loyalty.adjust(t.actors.service_agent, { memberId: m.id, points: 100, reason: '顾客投诉补偿' })
    expect(entry).toMatchObject({ kind: 'adjust', points: 100, balanceAfter: 100, reason: '顾客投诉补偿' })
    const audit = await t.services.audit.list(t.actors.hq_admin, { action: 'loyalty.adjust', entityId: m.id })
    expect(audit.items[0]?.changes).toMatchObject({ points: 100, reason: '顾客投诉补偿' })
    await expect(t.services.loyalty.adjust(t.actors.service_agent, { memberId: m.id, points: -101, reason: '更正' })).rejects.toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS' })
    await expect(t.services.loyalty.adjust(t.actors.service_agent, { memberId: m.id, points: 5, reason: '' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'reason' }] })
    expect((await points(m.id)).balance).toBe(100)
  })
})

describe('lots and expiry', () => {
  it('spends the earliest-expiring lot first, announces expiry once and expires due lots once', async () => {
    await t.services.loyalty.updatePolicy(t.actors.hq_admin, { expiry: { mode: 'rolling_months', months: 1 }, expiringNoticeDays: 30 })
    const m = await t.given.member()
    await buy(m.id, 10000, '2026-03-02T01:00:00.000Z') // lot expiring 2026-04-30
    t.clock.set('2026-04-10T02:00:00.000Z')
    await buy(m.id, 20000, '2026-04-10T01:00:00.000Z') // lot expiring 2026-05-31
    const paid = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-T', 1, 3000]], points: 60, businessAt: '2026-04-10T01:30:00.000Z' }))
    // The ledger names the receipt by its number as well as its id.
    const spent = (await t.services.loyalty.entries(t.actors.hq_admin, m.id)).items.find((e) => e.kind === 'spend')
    expect(spent).toMatchObject({ points: -60, receiptId: paid.result.receiptId, receiptNo: paid.result.receiptNo })
    const lots = await t.services.loyalty.lots(t.actors.hq_admin, m.id)
    expect(lots.map((l) => [l.expiresOn, l.remaining])).toEqual([['2026-05-31', 229], ['2026-04-30', 40]])

    const announced: string[] = []
    const off = t.services.outbox.registry.add(defineJob({
      name: 'test.expiring', description: 'test', on: 'points.expiring',
      run: async (e) => { if (e.memberId === m.id) announced.push(`${e.expiresOn}:${e.points}`) },
    }))
    await t.services.loyalty.notifyExpiring()
    await t.services.loyalty.notifyExpiring()
    await t.drainJobs()
    off()
    expect(announced).toEqual(['2026-04-30:40'])

    t.clock.set('2026-05-01T02:00:00.000Z')
    const first = await t.services.loyalty.expireDue()
    expect(first.lots).toBeGreaterThanOrEqual(1)
    expect(await t.services.loyalty.expireDue()).toEqual({ lots: 0, points: 0 })
    expect((await points(m.id)).balance).toBe(229)
    const entries = await t.services.loyalty.entries(t.actors.hq_admin, m.id)
    expect(entries.items[0]).toMatchObject({ kind: 'expire', points: -40, balanceAfter: 229 })
    expect(await t.services.loyalty.verify()).toEqual([])
    await t.services.loyalty.updatePolicy(t.actors.hq_admin, { expiry: { mode: 'calendar_years', years: 1 } })
    t.clock.set('2026-03-02T02:00:00.000Z')
  })
})

describe('tiers', () => {
  it('upgrades at once when a receipt crosses a threshold and downgrades only after the grace period', async () => {
    const m = await t.given.member()
    const first = await buy(m.id, 150000)
    expect(first.result.member?.tier?.code).toBe('regular')
    const second = await buy(m.id, 60000)
    expect(second.result.tierChange).toEqual({ from: 'regular', to: 'silver' })
    expect(second.result.member?.tier?.code).toBe('silver')

    t.clock.set('2027-04-05T02:00:00.000Z') // 13 months on: nothing in the window
    let run = await t.services.loyalty.evaluateTiers()
    expect(run.downgraded).toBe(0)
    expect((await points(m.id)).tier?.code).toBe('silver')
    t.clock.set('2027-05-10T02:00:00.000Z') // past the 30-day grace
    run = await t.services.loyalty.evaluateTiers()
    expect(run.downgraded).toBeGreaterThanOrEqual(1)
    expect((await points(m.id)).tier?.code).toBe('regular')
    const history = await t.services.loyalty.tierHistory(t.actors.hq_admin, m.id)
    expect(history.map((h) => [h.fromTier, h.toTier, h.reason])).toEqual([['silver', 'regular', 'downgrade'], ['regular', 'silver', 'upgrade'], [null, 'regular', 'initial']])
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it('refuses a tier ladder whose lowest tier has a threshold', async () => {
    await expect(t.services.loyalty.saveTiers(t.actors.hq_admin, [{ code: 'a', name: 'A', rank: 0, threshold: 10, earnFactorPct: 100, memberPrices: true }]))
      .rejects.toMatchObject({ code: 'VALIDATION' })
  })
})

describe('liability and merge', () => {
  it('reports outstanding points by expiry month and store, and a merge moves points and receipts', async () => {
    const a = await t.given.member()
    const b = await t.given.member({ by: t.actors.cashierB })
    await buy(a.id, 12345)
    await t.services.receipts.postSale(t.actors.cashierB, sale({ member: { id: b.id }, lines: [['SKU-T', 1, 5000]] }))
    const report = await t.services.loyalty.liability(t.actors.hq_admin)
    expect(report.points).toBe(report.byExpiryMonth.reduce((x, r) => x + r.points, 0))
    expect(report.valueFen).toBe(report.points)
    const storeB = await t.services.loyalty.liability(t.actors.managerB)
    expect(storeB.byStore.map((s) => s.storeId)).toEqual([t.stores.b])

    await t.services.members.merge(t.actors.hq_admin, a.id, b.id, '同一顾客两张卡')
    expect((await points(a.id)).balance).toBe(123 + 50)
    expect((await t.services.receipts.listForMember(t.actors.hq_admin, a.id)).items).toHaveLength(2)
    expect(await t.services.loyalty.verify()).toEqual([])
  })
})
