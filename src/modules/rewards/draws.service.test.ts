import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'
import { tamper } from '../../../test/tamper.js'
import type { DrawInput, PrizeInput } from './draw-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const points = (memberId: string, n: number) => t.services.loyalty.adjust(t.actors.hq_admin, { memberId, points: n, reason: '测试积分' })
const balance = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const pointsPrize = (over: Partial<PrizeInput> = {}): PrizeInput => ({ name: '100积分', kind: 'points', points: 100, stock: 10, weight: 1, ...over })
const input = (over: Partial<DrawInput> = {}): DrawInput => ({
  name: '三月抽奖', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z', entryPoints: 50,
  noPrizeWeight: 0, fallbackPrize: null, prizes: [pointsPrize()], ...over,
})
const activeDraw = async (over: Partial<DrawInput> = {}) => {
  const draw = await t.services.draws.create(t.actors.hq_marketing, input(over))
  return t.services.draws.activate(t.actors.hq_marketing, draw.id)
}
const enter = (drawId: string, memberId: string, receiptId?: string) => t.services.draws.enter(t.actors.cashier, drawId, { memberId, receiptId })
const entriesOf = async (drawId: string) => (await t.services.draws.entries(t.actors.hq_admin, drawId)).items
const ledgerOf = async (memberId: string) => (await t.services.loyalty.entries(t.actors.hq_admin, memberId)).items

/** A coupon template (满100减10 for 30 days). */
const couponTemplate = async (over: { maxIssued?: number | null } = {}) => (await t.given.couponTemplate(over)).id

/** A gift of the catalogue with no stock anywhere: a draw can never give it. */
const giftWithoutStock = async () => (await t.given.gift()).id

describe('managing a draw', () => {
  it('creates a draft, changes it while a draft, activates and closes it, all audited; prizes are fixed once active but stock may rise', async () => {
    await expect(t.services.draws.create(t.actors.cashier, input())).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const draft = await t.services.draws.create(t.actors.hq_marketing, input({ noPrizeWeight: 3, fallbackPrize: 2, prizes: [pointsPrize(), pointsPrize({ name: '10积分', points: 10 })] }))
    expect(draft).toMatchObject({ status: 'draft', entryPoints: 50, noPrizeWeight: 3, noPrizePct: 60, fallbackPrizeId: draft.prizes[1]!.id, freeTiers: [] })
    expect(draft.prizes.map((p) => [p.seq, p.name, p.stock, p.won, p.chancePct])).toEqual([[1, '100积分', 10, 0, 20], [2, '10积分', 10, 0, 20]])

    const changed = await t.services.draws.update(t.actors.hq_marketing, draft.id, input({ name: '三月大抽奖', prizes: [pointsPrize({ stock: 3 })] }))
    expect(changed).toMatchObject({ name: '三月大抽奖', fallbackPrizeId: null })
    expect(changed.prizes).toHaveLength(1)

    const active = await t.services.draws.activate(t.actors.hq_marketing, draft.id)
    expect(active.status).toBe('active')
    await expect(t.services.draws.activate(t.actors.hq_marketing, draft.id)).rejects.toMatchObject({ code: 'DRAW_STATUS' })
    await expect(t.services.draws.update(t.actors.hq_marketing, draft.id, input())).rejects.toMatchObject({ code: 'DRAW_NOT_EDITABLE' })
    const prizeId = changed.prizes[0]!.id
    expect((await t.services.draws.setStock(t.actors.hq_marketing, draft.id, prizeId, 8)).prizes[0]!.stock).toBe(8)
    await expect(t.services.draws.setStock(t.actors.hq_marketing, draft.id, prizeId, 2)).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'stock' }] })
    await expect(t.services.draws.setStock(t.actors.hq_marketing, draft.id, 'dpz_nope', 9)).rejects.toMatchObject({ code: 'DRAW_PRIZE_NOT_FOUND' })

    expect((await t.services.draws.close(t.actors.hq_marketing, draft.id)).status).toBe('closed')
    const audit = await t.services.audit.list(t.actors.hq_admin, { entityId: draft.id })
    expect(audit.items.map((a) => a.action).sort()).toEqual(['draw.activate', 'draw.close', 'draw.create', 'draw.prize.stock', 'draw.update'])
    expect(audit.items.find((a) => a.action === 'draw.update')?.changes).toMatchObject({
      name: { from: '三月抽奖', to: '三月大抽奖' }, noPrizeWeight: { from: 3, to: 0 }, fallback: { from: 2, to: null }, prizes: { to: [{ name: '100积分', stock: 3 }] },
    })
  })

  it('refuses an unsound definition with every field, and names it must know', async () => {
    await expect(t.services.draws.create(t.actors.hq_marketing, input({ name: '', entryPoints: -5, endsAt: '2026-02-01T00:00:00.000Z' })))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'name' }, { field: 'endsAt' }, { field: 'entryPoints' }] })
    await expect(t.services.draws.create(t.actors.hq_marketing, input({ freeTiers: ['platinum'], prizes: [{ name: '券', kind: 'coupon', couponTemplateId: 'ctp_nope', stock: 1, weight: 1 }] })))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'freeTiers' }, { field: 'prizes.0.couponTemplateId' }] })
    await expect(t.services.draws.get(t.actors.cashier, 'drw_nope')).rejects.toMatchObject({ code: 'DRAW_NOT_FOUND' })
  })

  it('does not activate a draw that has ended', async () => {
    const draft = await t.services.draws.create(t.actors.hq_marketing, input({ startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-02-01T00:00:00.000Z' }))
    await expect(t.services.draws.activate(t.actors.hq_marketing, draft.id)).rejects.toMatchObject({ code: 'DRAW_ENDED' })
  })
})

describe('entering', () => {
  it('charges the entry points, awards a points prize and records both in the ledger under the entry', async () => {
    const draw = await activeDraw()
    const m = await t.given.member()
    await points(m.id, 120)
    const entry = await enter(draw.id, m.id)
    expect(entry).toMatchObject({ outcome: 'won', costPoints: 50, freeReason: null, prizeName: '100积分', prizeKind: 'points', prizePoints: 100, fellBack: false, businessDate: '2026-03-02' })
    expect(await balance(m.id)).toBe(120 - 50 + 100)
    const ledger = await ledgerOf(m.id)
    expect(ledger.filter((e) => e.reference === entry.id).map((e) => [e.kind, e.points]).sort()).toEqual([['award', 100], ['draw', -50]])
    expect((await t.services.draws.get(t.actors.cashier, draw.id)).prizes[0]!.won).toBe(1)
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it('refuses an entry the member cannot pay for and records nothing', async () => {
    const draw = await activeDraw()
    const m = await t.given.member()
    await points(m.id, 49)
    await expect(enter(draw.id, m.id)).rejects.toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS', status: 409 })
    expect(await balance(m.id)).toBe(49)
    expect(await entriesOf(draw.id)).toEqual([])
    expect((await t.services.draws.get(t.actors.cashier, draw.id)).prizes[0]!.won).toBe(0)
  })

  it('loses with the no-prize weight alone, and a drawn prize that is out falls back as configured', async () => {
    const m = await t.given.member()
    await points(m.id, 1000)
    const nothing = await activeDraw({ noPrizeWeight: 1, prizes: [pointsPrize({ weight: 0 })] })
    expect(await enter(nothing.id, m.id)).toMatchObject({ outcome: 'lost', prizeId: null, fellBack: false, costPoints: 50 })

    const toOther = await activeDraw({ prizes: [pointsPrize({ stock: 1 }), pointsPrize({ name: '安慰奖', points: 5, weight: 0 })], fallbackPrize: 2 })
    expect(await enter(toOther.id, m.id)).toMatchObject({ outcome: 'won', prizeName: '100积分', fellBack: false })
    expect(await enter(toOther.id, m.id)).toMatchObject({ outcome: 'won', prizeName: '安慰奖', prizePoints: 5, fellBack: true })

    const toNothing = await activeDraw({ prizes: [pointsPrize({ stock: 0 })] })
    expect(await enter(toNothing.id, m.id)).toMatchObject({ outcome: 'lost', prizeId: null, fellBack: true })
    expect(await t.services.verifyRewards()).toEqual([])
    expect(await t.services.loyalty.verify()).toEqual([])
  })

  it('issues a coupon prize, and treats a template that cannot issue more as out without spoiling the transaction', async () => {
    const templateId = await couponTemplate({ maxIssued: 1 })
    const draw = await activeDraw({ entryPoints: 0, prizes: [{ name: '满100减10券', kind: 'coupon', couponTemplateId: templateId, stock: 5, weight: 1 }, pointsPrize({ name: '安慰奖', points: 5, weight: 0 })], fallbackPrize: 2 })
    const m = await t.given.member()
    const first = await enter(draw.id, m.id)
    expect(first).toMatchObject({ outcome: 'won', prizeKind: 'coupon', costPoints: 0 })
    expect(first.couponCode).toMatch(/^[0-9A-Z]{16}$/)
    const coupon = await t.services.db.selectFrom('coupons').selectAll().where('id', '=', first.couponId!).executeTakeFirstOrThrow()
    expect(coupon).toMatchObject({ member_id: m.id, source: 'draw', issue_key: `draw:${first.id}`, status: 'issued' })
    const second = await enter(draw.id, m.id)
    expect(second).toMatchObject({ outcome: 'won', prizeName: '安慰奖', fellBack: true, couponId: null })
    const after = await t.services.draws.get(t.actors.cashier, draw.id)
    expect(after.prizes.map((p) => p.won)).toEqual([1, 1])
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it('treats a gift prize that cannot be had as out', async () => {
    const giftId = await giftWithoutStock()
    const draw = await activeDraw({ entryPoints: 0, prizes: [{ name: '保温杯', kind: 'gift', giftId, stock: 5, weight: 1 }] })
    const m = await t.given.member()
    expect(await enter(draw.id, m.id)).toMatchObject({ outcome: 'lost', fellBack: true, giftOrderId: null })
    expect((await t.services.draws.get(t.actors.cashier, draw.id)).prizes[0]!.won).toBe(0)
  })

  it('gives a gift prize as an order to pick up, from the gift\'s stock, until the gift runs out', async () => {
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '抽奖保温杯', pointsPrice: 2000, cashPrice: 0, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 1 }],
    })
    const draw = await activeDraw({ entryPoints: 0, prizes: [{ name: '保温杯', kind: 'gift', giftId: gift.id, stock: 5, weight: 1 }] })
    const [a, b] = [await t.given.member(), await t.given.member()]
    const won = await enter(draw.id, a.id)
    expect(won).toMatchObject({ outcome: 'won', giftOrderId: expect.any(String) })
    expect(await t.services.gifts.getOrder(t.actors.hq_admin, won.giftOrderId!)).toMatchObject({ memberId: a.id, giftId: gift.id, points: 0, source: 'draw', status: 'reserved' })
    expect(await enter(draw.id, b.id)).toMatchObject({ outcome: 'lost', fellBack: true, giftOrderId: null })
    expect((await t.services.draws.get(t.actors.cashier, draw.id)).prizes[0]!.won).toBe(1)
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it('enters a listed tier free, and gives one free entry per qualifying sale within the draw', async () => {
    const m = await t.given.member()
    await points(m.id, 500)
    const byTier = await activeDraw({ freeTiers: ['regular'] })
    expect(await enter(byTier.id, m.id)).toMatchObject({ costPoints: 0, freeReason: 'tier' })

    const byPurchase = await activeDraw({ freeMinSpend: 10000 })
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-D', 1, 20000]], businessAt: '2026-02-27T01:00:00.000Z' })) // before the draw
    const small = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-D', 1, 9999]] }))
    const big = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-D', 1, 10000]] }))
    await expect(enter(byPurchase.id, m.id, small.result.receiptId)).rejects.toMatchObject({ code: 'DRAW_RECEIPT_NOT_ELIGIBLE' })
    const before = await balance(m.id)
    expect(await enter(byPurchase.id, m.id)).toMatchObject({ costPoints: 0, freeReason: 'purchase', receiptId: big.result.receiptId })
    expect(await enter(byPurchase.id, m.id)).toMatchObject({ costPoints: 50, freeReason: null, receiptId: null })
    await expect(enter(byPurchase.id, m.id, big.result.receiptId)).rejects.toMatchObject({ code: 'DRAW_RECEIPT_NOT_ELIGIBLE' })
    expect(await balance(m.id)).toBe(before - 50 + 200)
  })

  it('holds the per-member and per-day limits, the day being the local date', async () => {
    const draw = await activeDraw({ entryPoints: 0, perMemberLimit: 3, perDayLimit: 2 })
    const m = await t.given.member()
    await enter(draw.id, m.id)
    await enter(draw.id, m.id)
    await expect(enter(draw.id, m.id)).rejects.toMatchObject({ code: 'DRAW_DAY_LIMIT', status: 409 })
    t.clock.set('2026-03-02T16:30:00.000Z') // 00:30 on 3 March in Shanghai
    expect(await enter(draw.id, m.id)).toMatchObject({ businessDate: '2026-03-03' })
    await expect(enter(draw.id, m.id)).rejects.toMatchObject({ code: 'DRAW_MEMBER_LIMIT' })
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it('takes entries only for an active draw within its window and an active member', async () => {
    const m = await t.given.member()
    const draft = await t.services.draws.create(t.actors.hq_marketing, input({ entryPoints: 0 }))
    await expect(enter(draft.id, m.id)).rejects.toMatchObject({ code: 'DRAW_NOT_ACTIVE' })
    const later = await activeDraw({ entryPoints: 0, startsAt: '2026-03-05T00:00:00.000Z' })
    await expect(enter(later.id, m.id)).rejects.toMatchObject({ code: 'DRAW_NOT_STARTED' })
    const open = await activeDraw({ entryPoints: 0 })
    t.clock.set('2026-04-01T00:00:00.000Z')
    await expect(enter(open.id, m.id)).rejects.toMatchObject({ code: 'DRAW_ENDED' })
    t.clock.set('2026-03-02T02:00:00.000Z')
    await t.services.draws.close(t.actors.hq_marketing, open.id)
    await expect(enter(open.id, m.id)).rejects.toMatchObject({ code: 'DRAW_NOT_ACTIVE' })
    const live = await activeDraw({ entryPoints: 0 })
    await expect(enter(live.id, 'mem_nope')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND', status: 404 })
    await expect(enter('drw_nope', m.id)).rejects.toMatchObject({ code: 'DRAW_NOT_FOUND', status: 404 })
    await t.services.members.setFrozen(t.actors.hq_admin, m.id, true, '挂失')
    await expect(enter(live.id, m.id)).rejects.toMatchObject({ code: 'MEMBER_NOT_ACTIVE' })
    await expect(t.services.draws.enter(t.actors.analyst, live.id, { memberId: m.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('results and reports', () => {
  it("lists a draw's entries a page at a time (or its winners), a member's entries, and reports the costs", async () => {
    const draw = await activeDraw({ noPrizeWeight: 0, freeTiers: [], prizes: [pointsPrize({ stock: 2 })], perDayLimit: null })
    const [a, b] = [await t.given.member(), await t.given.member()]
    await points(a.id, 1000)
    await points(b.id, 1000)
    for (const m of [a, b, a, b]) await enter(draw.id, m.id)

    const page1 = await t.services.draws.entries(t.actors.cashier, draw.id, { limit: 3 })
    expect(page1.items).toHaveLength(3)
    const page2 = await t.services.draws.entries(t.actors.cashier, draw.id, { limit: 3, cursor: page1.nextCursor! })
    expect(page2).toMatchObject({ nextCursor: null })
    expect(page2.items).toHaveLength(1)
    const winners = await t.services.draws.entries(t.actors.cashier, draw.id, { won: true })
    expect(winners.items.map((e) => e.memberId).sort()).toEqual([a.id, b.id].sort())
    const mine = await t.services.draws.memberEntries(t.actors.cashier, a.id)
    expect(mine.items.map((e) => [e.drawName, e.outcome])).toEqual([['三月抽奖', 'lost'], ['三月抽奖', 'won']])

    await expect(t.services.draws.report(t.actors.cashier, draw.id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const report = await t.services.draws.report(t.actors.store_manager, draw.id)
    expect(report).toMatchObject({
      entries: 4, members: 2, paidEntries: 4, freeEntries: { tier: 0, purchase: 0, freeDraw: 0 }, pointsCharged: 200, won: 2, lost: 2, fellBack: 2,
      cost: { pointsGiven: 200, couponsIssued: 0, giftsOrdered: 0 },
      byDay: [{ date: '2026-03-02', entries: 4, won: 2, pointsCharged: 200 }],
    })
    expect(report.prizes).toMatchObject([{ stock: 2, won: 2 }])
  })

  it('verify finds a prize whose count does not match its entries, and charges that do not match the ledger', async () => {
    const draw = await activeDraw()
    const m = await t.given.member()
    await points(m.id, 100)
    const entry = await enter(draw.id, m.id)
    const prizeId = entry.prizeId!
    const db = tamper(t, 'counts gone wrong for verify to find')
    await db.updateTable('draw_prizes').set({ won: 11 }).where('id', '=', prizeId).execute()
    await db.updateTable('draw_entries').set({ cost_points: 40 }).where('id', '=', entry.id).execute()
    const found = await t.services.draws.verify()
    expect(found.map((f) => f.id).sort()).toEqual([draw.id, prizeId, prizeId].sort())
    await db.updateTable('draw_prizes').set({ won: 1 }).where('id', '=', prizeId).execute()
    await db.updateTable('draw_entries').set({ cost_points: 50 }).where('id', '=', entry.id).execute()
    expect(await t.services.draws.verify()).toEqual([])
  })
})

describe('the demo draw', () => {
  it('is created open with entries once, and kept as it is when seeded again', async () => {
    const { seedDemoDraws, DEMO_DRAW_NAME } = await import('../../demo/demo-draws.js')
    const m = await t.given.member()
    await points(m.id, 100_000)
    const first = await seedDemoDraws(t.services, t.actors.system, { entries: 3 })
    expect(first.created).toBe(true)
    expect(first.entries).toBeGreaterThanOrEqual(1)
    expect(await seedDemoDraws(t.services, t.actors.system, { entries: 3 })).toEqual({ created: false, entries: 0 })
    const draws = await t.services.draws.list(t.actors.hq_admin, { status: 'active' })
    expect(draws.items.filter((d) => d.name === DEMO_DRAW_NAME)).toHaveLength(1)
    expect(await t.services.verifyRewards()).toEqual([])
  })
})
