import { Readable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { testEngine } from '../../../../test/db.js'
import { nextReceiptNo, sale } from '../../../../test/receipts.js'
import { parseReceiptMapping } from '../../transactions/receipt-import-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
  await t.given.product({ sku: 'MILK', department: '食品', category: '乳品', listPrice: 1500 })
  await t.given.product({ sku: 'DIAPER', department: '母婴', category: '纸尿裤', listPrice: 8000 })
  await t.given.product({ sku: 'WIPES', department: '母婴', category: '湿巾', listPrice: 2000 })
})

// Each step a little later on the same local day (10:00 in Shanghai at the start), so an
// incremental refresh sees only what came after the last one.
const later = () => t.clock.advance(15 * 60_000)

// The columns the refresh writes (the classes are the classifier's: compared elsewhere).
const FIGURES = [
  'member_id', 'as_of', 'registration_store_id', 'registered_at', 'gender', 'age_band', 'income_band', 'district', 'receipts_w', 'spend_w',
  'avg_ticket_w', 'receipts_total', 'spend_total', 'first_purchase_at', 'last_purchase_at', 'recency_days', 'interval_days', 'stores_visited_w',
  'main_store_id', 'main_department', 'main_category', 'promo_share_pm', 'points_earned_w', 'points_redeemed_w', 'coupons_used_w',
] as const

const figures = async () => ({
  insight: (await t.services.db.selectFrom('member_insight').select(FIGURES).orderBy('member_id').execute())
    .map((r) => ({ ...r, interval_days: r.interval_days === null ? null : Math.round(Number(r.interval_days) * 100) / 100 })),
  days: await t.services.db.selectFrom('member_category_days').selectAll().orderBy('member_id').orderBy('day').orderBy('department').orderBy('category').execute(),
  storeDays: (await t.services.db.selectFrom('member_store_days').selectAll().orderBy('member_id').orderBy('day').orderBy('store_id').execute())
    .map((r) => ({ ...r, spend: Number(r.spend), earned: Number(r.earned), used: Number(r.used) })),
})

/** member_store_days as it should be: the posted receipts with a member, summed in plain code. */
const storeDaysByHand = async () => {
  const receipts = await t.services.db.selectFrom('receipts').select(['member_id', 'business_date', 'store_id', 'kind', 'business_at', 'total', 'points_earned', 'points_used'])
    .where('status', '=', 'posted').where('member_id', 'is not', null).execute()
  const days = new Map<string, { member_id: string; day: string; store_id: string; sales: number; spend: number; first_at: string | null; last_at: string | null; earned: number; used: number; receipts: number }>()
  for (const r of receipts) {
    const key = `${r.member_id}|${r.business_date}|${r.store_id}`
    const d = days.get(key) ?? { member_id: r.member_id!, day: r.business_date, store_id: r.store_id, sales: 0, spend: 0, first_at: null, last_at: null, earned: 0, used: 0, receipts: 0 }
    const sign = r.kind === 'sale' ? 1 : -1
    d.spend += sign * Number(r.total)
    d.earned += sign * Number(r.points_earned)
    d.used += sign * Number(r.points_used)
    d.receipts += 1
    if (r.kind === 'sale') {
      d.sales += 1
      if (d.first_at === null || r.business_at < d.first_at) d.first_at = r.business_at
      if (d.last_at === null || r.business_at > d.last_at) d.last_at = r.business_at
    }
    days.set(key, d)
  }
  return [...days.values()].sort(byDayKey)
}
const byDayKey = (a: { member_id: string; day: string; store_id: string }, b: typeof a) => {
  const x = `${a.member_id}|${a.day}|${a.store_id}`
  const y = `${b.member_id}|${b.day}|${b.store_id}`
  return x < y ? -1 : x > y ? 1 : 0
}

const rowOf = (memberId: string) => t.services.db.selectFrom('member_insight').selectAll().where('member_id', '=', memberId).executeTakeFirst()

/**
 * Refreshes incrementally, then fully (the days by category kept by what changed), then with
 * those days rebuilt from every line, and expects the same figures from all three.
 */
const expectIncrementalAsFull = async () => {
  const inc = await t.services.insight.refresh()
  expect(inc.mode).toBe('incremental')
  const afterIncremental = await figures()
  expect([...afterIncremental.storeDays].sort(byDayKey)).toEqual(await storeDaysByHand())
  const full = await t.services.insight.refresh({ full: true })
  expect(full).toMatchObject({ mode: 'full', rebuilt: false })
  expect(await figures()).toEqual(afterIncremental)
  const rebuilt = await t.services.insight.refresh({ rebuild: true })
  expect(rebuilt).toMatchObject({ mode: 'full', fullReason: 'requested', rebuilt: true })
  expect(await figures()).toEqual(afterIncremental)
  return inc
}

const postSale = (memberId: string, lines: Array<{ sku: string; quantity: number; unitPrice: number; discount?: number }>, businessAt: string, storeId?: string) => {
  const priced = lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice - (l.discount ?? 0) }))
  const total = priced.reduce((a, l) => a + l.amount, 0)
  return t.services.receipts.postSale(t.actors.hq_admin, {
    receiptNo: nextReceiptNo(), businessAt, member: { id: memberId }, lines: priced, tenders: [{ kind: 'cash', amount: total }], total,
    storeId: storeId ?? t.stores.a,
  })
}

describe('the figures of a small chain, computed by hand', () => {
  it('counts receipts, spend net of returns, the window, recency, interval, main store and preferences, promotions and points', async () => {
    const m = await t.given.member({ gender: 'female', birthday: '1990-05-01', incomeBand: '8k_12k', district: '浦东新区' })
    const old = await postSale(m.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2025-01-15T03:00:00.000Z')
    const s1 = await postSale(m.id, [{ sku: 'MILK', quantity: 2, unitPrice: 1500 }, { sku: 'DIAPER', quantity: 1, unitPrice: 8000 }], '2026-01-10T03:00:00.000Z')
    const s2 = await postSale(m.id, [{ sku: 'DIAPER', quantity: 1, unitPrice: 8000, discount: 800 }], '2026-02-20T03:00:00.000Z', t.stores.b)
    // A late return: the nappies of January come back on 1 March, at store A.
    const back = await t.given.return({ originalReceiptNo: s1.result.receiptNo, lines: [{ originalLineNo: 2, quantity: 1 }], businessAt: '2026-03-01T02:00:00.000Z' })
    const result = await t.services.insight.refresh({ full: true })
    expect(result).toMatchObject({ mode: 'full', fullReason: 'requested', asOf: '2026-03-02', windowDays: 365, window: { from: '2025-03-03', to: '2026-03-02' } })
    // On PostgreSQL the tables it rewrote are vacuumed and analysed after the commit.
    if (testEngine() === 'postgres') expect(result.steps.vacuum).toEqual(expect.any(Number))
    else expect(result.steps.vacuum).toBeUndefined()

    const row = await rowOf(m.id)
    // In the window (2025-03-03 … 2026-03-02): s1 11,000 + s2 7,200 − the return 8,000; the sale of 2025-01-15 is before it.
    expect(row).toMatchObject({
      as_of: '2026-03-02', gender: 'female', age_band: '35-44', income_band: '8k_12k', district: '浦东新区', registration_store_id: t.stores.a,
      receipts_w: 2, spend_w: 10_200, avg_ticket_w: 5100, receipts_total: 3, spend_total: 11_700,
      first_purchase_at: '2025-01-15T03:00:00.000Z', last_purchase_at: '2026-02-20T03:00:00.000Z',
      recency_days: 10, stores_visited_w: 2,
      // store B: 7,200; store A: 11,000 − 8,000 = 3,000
      main_store_id: t.stores.b,
      // 母婴 8,000 − 8,000 + 7,200 = 7,200 against 食品 3,000
      main_department: '母婴', main_category: '纸尿裤',
      // 7,200 of 10,200 on a discounted line: 705.9‰
      promo_share_pm: 706,
      points_earned_w: s1.result.points + s2.result.points - back.points,
      points_redeemed_w: 0, coupons_used_w: 0, lifecycle: expect.any(String),
    })
    // 2025-01-15 → 2026-02-20 is 401 days over two intervals.
    expect(Number(row!.interval_days)).toBeCloseTo(200.5, 5)
    expect(old.result.points).toBeGreaterThan(0)

    const days = await t.services.db.selectFrom('member_category_days').select(['day', 'department', 'category', 'receipts', 'amount'])
      .where('member_id', '=', m.id).orderBy('day').orderBy('category').execute()
    expect(days).toEqual([
      { day: '2025-01-15', department: '食品', category: '乳品', receipts: 1, amount: 1500 },
      { day: '2026-01-10', department: '食品', category: '乳品', receipts: 1, amount: 3000 },
      { day: '2026-01-10', department: '母婴', category: '纸尿裤', receipts: 1, amount: 8000 },
      { day: '2026-02-20', department: '母婴', category: '纸尿裤', receipts: 1, amount: 7200 },
      { day: '2026-03-01', department: '母婴', category: '纸尿裤', receipts: 0, amount: -8000 },
    ])
  })

  it('gives a member who never bought a row of zeros, and unknown products count under the empty department', async () => {
    const quiet = await t.given.member({ gender: 'male', birthday: '2010-03-03' })
    const buyer = await t.given.member({ gender: 'unknown' })
    await postSale(buyer.id, [{ sku: 'NEW-SKU-1', quantity: 3, unitPrice: 500 }], '2026-03-02T01:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    // Born 2010-03-03: 15 until tomorrow.
    expect(await rowOf(quiet.id)).toMatchObject({
      age_band: '<18', receipts_w: 0, spend_w: 0, avg_ticket_w: 0, receipts_total: 0, first_purchase_at: null, recency_days: null,
      interval_days: null, main_store_id: null, main_department: null, promo_share_pm: null, lifecycle: expect.any(String),
    })
    expect(await rowOf(buyer.id)).toMatchObject({ age_band: null, receipts_w: 1, spend_w: 1500, recency_days: 0, main_department: null, main_category: null, promo_share_pm: 0 })
    const days = await t.services.db.selectFrom('member_category_days').select(['department', 'category', 'amount']).where('member_id', '=', buyer.id).execute()
    expect(days).toEqual([{ department: '', category: '', amount: 1500 }])
  })
})

describe('an incremental refresh', () => {
  it('recomputes only the members of new receipts, and agrees with a full refresh', async () => {
    const a = await t.given.member()
    const b = await t.given.member()
    await postSale(a.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-02-01T03:00:00.000Z')
    await postSale(b.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-02-01T03:00:00.000Z')
    later()
    await t.services.insight.refresh({ full: true })
    later()
    await postSale(a.id, [{ sku: 'WIPES', quantity: 2, unitPrice: 2000 }], '2026-03-02T01:00:00.000Z')
    const inc = await expectIncrementalAsFull()
    expect(inc).toMatchObject({ mode: 'incremental', fullReason: null, members: 1, receiptsRead: 1 })
    expect(await rowOf(a.id)).toMatchObject({ receipts_w: 2, spend_w: 5500, main_category: '湿巾', recency_days: 0 })
  })

  it('follows a late return of an earlier sale', async () => {
    const m = await t.given.member()
    const s = await postSale(m.id, [{ sku: 'DIAPER', quantity: 2, unitPrice: 8000 }, { sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-01-05T03:00:00.000Z')
    later()
    await t.services.insight.refresh()
    expect(await rowOf(m.id)).toMatchObject({ spend_w: 17_500, main_department: '母婴' })
    later()
    await t.given.return({ originalReceiptNo: s.result.receiptNo, lines: [{ originalLineNo: 1, quantity: 2 }], businessAt: '2026-03-02T01:30:00.000Z' })
    await expectIncrementalAsFull()
    expect(await rowOf(m.id)).toMatchObject({ receipts_w: 1, spend_w: 1500, main_department: '食品', main_category: '乳品' })
  })

  it('follows an offline batch whose return arrived before its sale', async () => {
    const m = await t.given.member()
    later()
    await t.services.insight.refresh()
    later()
    const good = sale({ member: { id: m.id }, lines: [['MILK', 2, 1500]], businessAt: '2026-03-01T03:00:00.000Z' })
    const ret = { receiptNo: nextReceiptNo('RT'), originalReceiptNo: good.receiptNo, businessAt: '2026-03-01T04:00:00.000Z', reason: 'quality', lines: [{ originalLineNo: 1, quantity: 1 }] }
    const out = await t.services.receipts.postBatch(t.actors.store_manager, [{ type: 'return', ...ret }, { type: 'sale', ...good }])
    expect(out.items.map((i) => i.status)).toEqual(['pending', 'posted'])
    await expectIncrementalAsFull()
    expect(await rowOf(m.id)).toMatchObject({ receipts_w: 1, spend_w: 1500 })
  })

  it('reads the days as the posting left them: a sale, a partial return and a return without its sale are in them before any refresh', async () => {
    const m = await t.given.member()
    later()
    await t.services.insight.refresh()
    later()
    const s = await postSale(m.id, [{ sku: 'DIAPER', quantity: 2, unitPrice: 8000, discount: 1000 }, { sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-03-02T01:00:00.000Z')
    await t.given.return({ originalReceiptNo: s.result.receiptNo, lines: [{ originalLineNo: 2, quantity: 1 }], businessAt: '2026-03-02T02:00:00.000Z' })
    await t.services.receipts.postReturn(t.actors.store_manager, {
      receiptNo: nextReceiptNo('RT'), businessAt: '2026-03-02T03:00:00.000Z', reason: 'quality', member: { id: m.id }, storeId: t.stores.a,
      lines: [{ sku: 'WIPES', quantity: 1, unitPrice: 2000, amount: 2000 }],
    })
    const days = await t.services.db.selectFrom('member_category_days').select(['day', 'category', 'receipts', 'amount', 'promo'])
      .where('member_id', '=', m.id).orderBy('category').execute()
    expect(days.map((d) => ({ ...d, amount: Number(d.amount), promo: Number(d.promo) }))).toEqual([
      { day: '2026-03-02', category: '乳品', receipts: 1, amount: 0, promo: 0 },
      { day: '2026-03-02', category: '湿巾', receipts: 0, amount: -2000, promo: 0 },
      { day: '2026-03-02', category: '纸尿裤', receipts: 1, amount: 15_000, promo: 15_000 },
    ])
    const storeDays = (await figures()).storeDays.filter((d) => d.member_id === m.id)
    expect(storeDays).toEqual((await storeDaysByHand()).filter((d) => d.member_id === m.id))
    expect(storeDays.map((d) => [d.store_id, d.sales, d.spend, d.receipts])).toEqual([[t.stores.a, 1, 13_000, 3]])
    await expectIncrementalAsFull()
    expect(await rowOf(m.id)).toMatchObject({ receipts_w: 1, spend_w: 13_000, main_category: '纸尿裤' })
  })

  it('counts a sale sent again, even five times at once, once in the days', async () => {
    const m = await t.given.member()
    const input = sale({ member: { id: m.id }, lines: [['MILK', 2, 1500]], businessAt: '2026-03-03T03:00:00.000Z' })
    await t.services.receipts.postSale(t.actors.cashier, input)
    const again = await Promise.allSettled(Array.from({ length: 5 }, () => t.services.receipts.postSale(t.actors.cashier, { ...input })))
    expect(again.map((o) => o.status)).toEqual(Array(5).fill('fulfilled'))
    expect((await figures()).storeDays.filter((d) => d.member_id === m.id)).toEqual((await storeDaysByHand()).filter((d) => d.member_id === m.id))
    const days = await t.services.db.selectFrom('member_category_days').select(['category', 'receipts', 'amount']).where('member_id', '=', m.id).execute()
    expect(days.map((d) => ({ ...d, amount: Number(d.amount) }))).toEqual([{ category: '乳品', receipts: 1, amount: 3000 }])
  })

  it('counts each receipt once when tills post while a rebuild runs', async () => {
    const members = await Promise.all([1, 2, 3].map(() => t.given.member()))
    later()
    const sales = members.flatMap((m, i) => [0, 1].map((k) => () => postSale(m.id, [{ sku: k ? 'MILK' : 'WIPES', quantity: 1 + i, unitPrice: k ? 1500 : 2000 }], `2026-03-0${1 + k}T0${i}:00:00.000Z`)))
    const [rebuilt] = await Promise.all([t.services.insight.refresh({ rebuild: true }), ...sales.map((post) => post())])
    expect(rebuilt).toMatchObject({ rebuilt: true })
    const ids = members.map((m) => m.id)
    expect((await figures()).storeDays.filter((d) => ids.includes(d.member_id))).toEqual((await storeDaysByHand()).filter((d) => ids.includes(d.member_id)))
    const days = await t.services.db.selectFrom('member_category_days').select(['member_id', 'category', 'receipts', 'amount'])
      .where('member_id', 'in', ids).orderBy('member_id').orderBy('category').execute()
    expect(days.map((d) => [ids.indexOf(d.member_id), d.category, d.receipts, Number(d.amount)]).sort()).toEqual([
      [0, '乳品', 1, 1500], [0, '湿巾', 1, 2000], [1, '乳品', 1, 3000], [1, '湿巾', 1, 4000], [2, '乳品', 1, 4500], [2, '湿巾', 1, 6000],
    ].sort())
  })

  it('follows an import of history', async () => {
    const m = await t.given.member({ phone: '13700007001' })
    later()
    await t.services.insight.refresh()
    later()
    const csv = ['no,store,at,sku,qty,price,member',
      'H-1,SHA01,2025-12-01 10:00:00,DIAPER,1,80,13700007001',
      'H-2,BJB01,2025-12-20 10:00:00,WIPES,3,20,13700007001',
    ].join('\n')
    const counts = await t.services.receiptImports.run(t.actors.hq_admin, {
      source: Readable.from([Buffer.from(csv)]), gzip: false, onErrors: () => {},
      mapping: parseReceiptMapping('no=receipt_no,store=store,at=business_at,sku=sku,qty=quantity,price=unit_price,member=member'),
    })
    expect(counts).toMatchObject({ receiptsPosted: 2 })
    await expectIncrementalAsFull()
    expect(await rowOf(m.id)).toMatchObject({ receipts_w: 2, spend_w: 14_000, stores_visited_w: 2, main_store_id: t.stores.a, first_purchase_at: '2025-12-01T02:00:00.000Z' })
  })

  it('follows a merge: the days move to the survivor, the merged row goes', async () => {
    const survivor = await t.given.member()
    const other = await t.given.member()
    await postSale(survivor.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-02-10T03:00:00.000Z')
    await postSale(other.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }, { sku: 'WIPES', quantity: 1, unitPrice: 2000 }], '2026-02-10T05:00:00.000Z')
    later()
    await t.services.insight.refresh()
    expect(await rowOf(other.id)).toMatchObject({ spend_w: 3500 })
    later()
    await t.services.members.merge(t.actors.hq_admin, survivor.id, other.id, '同一人')
    // Moved at once: the survivor's days include the other's before any refresh.
    const moved = await t.services.db.selectFrom('member_category_days').select(['category', 'receipts', 'amount']).where('member_id', '=', survivor.id).orderBy('category').execute()
    expect(moved).toEqual([{ category: '乳品', receipts: 2, amount: 3000 }, { category: '湿巾', receipts: 1, amount: 2000 }])
    expect(await rowOf(other.id)).toBeUndefined()
    await expectIncrementalAsFull()
    expect(await rowOf(survivor.id)).toMatchObject({ receipts_w: 2, spend_w: 5000, receipts_total: 2 })
    expect(await rowOf(other.id)).toBeUndefined()
  })

  it('counts the points paid for gifts and draws, less a cancelled gift order’s points given back', async () => {
    const m = await t.given.member()
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 2000, reason: '测试积分' })
    const paid = await postSale(m.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-03-02T01:00:00.000Z')
    later()
    await t.services.insight.refresh()
    expect(await rowOf(m.id)).toMatchObject({ points_redeemed_w: 0 })
    later()
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '积分兑换保温杯', pointsPrice: 300, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 10 }],
    })
    await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: gift.id, quantity: 1 })
    const cancelled = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: gift.id, quantity: 2 })
    await t.services.gifts.cancel(t.actors.cashier, cancelled.id, { reason: '顾客改主意' })
    const draw = await t.services.draws.create(t.actors.hq_marketing, {
      name: '三月抽奖', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z', entryPoints: 50,
      noPrizeWeight: 1, fallbackPrize: null, prizes: [{ name: '100积分', kind: 'points', points: 100, stock: 10, weight: 1 }],
    })
    await t.services.draws.activate(t.actors.hq_marketing, draw.id)
    await t.services.draws.enter(t.actors.cashier, draw.id, { memberId: m.id })
    // Nothing at the till: the gift (300) and the draw (50) are found by the ledger, the cancelled order (600 and back) is not.
    const inc = await expectIncrementalAsFull()
    expect(inc.members).toBeGreaterThanOrEqual(1)
    expect(await rowOf(m.id)).toMatchObject({ points_redeemed_w: 350, points_earned_w: paid.result.points })
  })

  it('rebuilds the days by category from every line when it has no state (the first refresh, or after an upgrade cleared it)', async () => {
    const m = await t.given.member()
    await postSale(m.id, [{ sku: 'DIAPER', quantity: 1, unitPrice: 8000, discount: 800 }], '2026-03-01T03:00:00.000Z')
    later()
    await t.services.insight.refresh()
    // A row the lines do not bear out: a rebuild drops it, a refresh that keeps the days does not look.
    await t.services.db.insertInto('member_category_days').values({ member_id: m.id, day: '2026-02-01', department: '食品', category: '乳品', receipts: 1, amount: 999 }).execute()
    later()
    expect(await t.services.insight.refresh({ full: true })).toMatchObject({ rebuilt: false })
    expect(await t.services.db.selectFrom('member_category_days').select('amount').where('member_id', '=', m.id).where('day', '=', '2026-02-01').execute()).toHaveLength(1)
    await t.services.db.deleteFrom('meta').where('key', '=', 'insight.refresh').execute()
    later()
    expect(await t.services.insight.refresh()).toMatchObject({ mode: 'full', fullReason: 'first', rebuilt: true })
    expect(await t.services.db.selectFrom('member_category_days').select(['day', 'amount', 'promo']).where('member_id', '=', m.id).execute())
      .toEqual([{ day: '2026-03-01', amount: 7200, promo: 7200 }])
  })

  it('follows a change of profile (district, birthday)', async () => {
    const m = await t.given.member({ district: '黄浦区' })
    later()
    await t.services.insight.refresh()
    later()
    await t.services.members.update(t.actors.hq_admin, m.id, { district: '静安区', birthday: '1960-01-01' })
    await expectIncrementalAsFull()
    expect(await rowOf(m.id)).toMatchObject({ district: '静安区', age_band: '65+' })
  })

  it('turns into a full refresh when the day has turned, and says so', async () => {
    const first = await t.services.insight.refresh()
    expect(first.mode).toBe('incremental')
    t.clock.advance(24 * 3600_000)
    const next = await t.services.insight.refresh()
    expect(next).toMatchObject({ mode: 'full', fullReason: 'new_day', asOf: '2026-03-03' })
    t.clock.advance(-24 * 3600_000)
    expect(await t.services.insight.refresh()).toMatchObject({ mode: 'full', fullReason: 'new_day', asOf: '2026-03-02' })
  })

  it('reads the window from the settings, and a changed window means a full refresh', async () => {
    await t.services.db.insertInto('meta').values({ key: 'insight.settings', value: JSON.stringify({ windowDays: 30 }) }).execute()
    try {
      const r = await t.services.insight.refresh()
      expect(r).toMatchObject({ mode: 'full', fullReason: 'window_changed', windowDays: 30, window: { from: '2026-02-01', to: '2026-03-02' } })
    } finally {
      await t.services.db.deleteFrom('meta').where('key', '=', 'insight.settings').execute()
      await t.services.insight.refresh()
    }
  })
})

describe('freshness', () => {
  it('tells the date, the window, the last runs and the receipts not yet in the figures', async () => {
    later()
    const done = await t.services.insight.refresh({ full: true })
    const m = await t.given.member()
    later()
    await postSale(m.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-03-02T03:00:00.000Z')
    await postSale(m.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-03-02T03:10:00.000Z')
    const live = Number((await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'not in', ['merged', 'erased']).executeTakeFirstOrThrow()).n)
    expect(await t.services.insight.freshness()).toMatchObject({
      asOf: '2026-03-02', today: '2026-03-02', windowDays: 365, window: { from: '2025-03-03', to: '2026-03-02' },
      lastFullAt: done.at, pendingReceipts: 2, membersCovered: live - 1,
    })
    const inc = await t.services.insight.refresh()
    expect(await t.services.insight.freshness()).toMatchObject({ lastFullAt: done.at, lastIncrementalAt: inc.at, pendingReceipts: 0, membersCovered: live })
  })

  it('refuses an as-of date that is not a date or is in the future', async () => {
    await expect(t.services.insight.refresh({ asOf: '2026-02-30' })).rejects.toMatchObject({ code: 'INSIGHT_BAD_AS_OF', details: [{ field: 'asOf' }] })
    await expect(t.services.insight.refresh({ asOf: '2026-13-01' })).rejects.toMatchObject({ code: 'INSIGHT_BAD_AS_OF', details: [{ field: 'asOf' }] })
    await expect(t.services.insight.refresh({ asOf: '2026-03-03' })).rejects.toMatchObject({ code: 'INSIGHT_BAD_AS_OF' })
  })
})

describe('member data', () => {
  it('exports and erases the insight rows of a member', async () => {
    const m = await t.given.member()
    await postSale(m.id, [{ sku: 'MILK', quantity: 1, unitPrice: 1500 }], '2026-03-02T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    const insight = t.services.memberData.find((d) => d.name === 'insight')!
    const rows = await insight.export(t.services.db, m.id)
    expect(rows.member_insight).toHaveLength(1)
    expect(rows.member_category_days).toHaveLength(1)
    expect(rows.member_store_days).toMatchObject([{ day: '2026-03-02', store_id: t.stores.a, sales: 1, receipts: 1 }])
    expect(await insight.count(t.services.db, m.id)).toBe(2)
    await t.services.db.transaction().execute((trx) => insight.erase(trx, m.id, { holderId: 'nobody', at: '2026-03-01T00:00:00.000Z' }))
    expect(await insight.export(t.services.db, m.id)).toMatchObject({ member_insight: [], member_category_days: [], member_store_days: [], member_tags: [] })
    expect(await insight.count(t.services.db, m.id)).toBe(0)
  })
})
