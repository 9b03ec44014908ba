import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo } from '../../../test/receipts.js'
import type { SaleInput, TenderInput } from './receipt-rules.js'

const context = useTestContext()
let t: TestContext
const businessAt = '2026-03-02T01:00:00.000Z'
beforeAll(async () => {
  t = await context()
  await t.given.product({ sku: 'QS-RICE', listPrice: 5990, memberPrice: 4990 })
  await t.given.product({ sku: 'QS-MILK', listPrice: 1250 })
  await t.given.product({ sku: 'QS-CIGS', listPrice: 2500, pointsEligible: false })
})

type Spec = { lines: Array<[sku: string, quantity: number]>; coupons: Array<'threshold' | 'double'>; pointsToUse: number }

// A till asks for a quote, then posts the sale it quoted: what the member pays with (coupons,
// points, the rest in cash) is what the quote said, and so is everything the sale answers.
describe('a sale of the basket a quote priced', () => {
  it.each<[string, Spec]>([
    ['member prices, nothing else', { lines: [['QS-RICE', 2], ['QS-MILK', 1]], coupons: [], pointsToUse: 0 }],
    ['a threshold coupon', { lines: [['QS-RICE', 3]], coupons: ['threshold'], pointsToUse: 0 }],
    ['a multiplier coupon and points', { lines: [['QS-RICE', 1], ['QS-CIGS', 2]], coupons: ['double'], pointsToUse: 3000 }],
    ['both coupons and more points than may be paid', { lines: [['QS-RICE', 4], ['QS-MILK', 6], ['QS-CIGS', 1]], coupons: ['threshold', 'double'], pointsToUse: 99_999 }],
  ])('%s: earns, takes off and pays as quoted', async (_name, spec) => {
    const m = await t.given.member()
    await t.given.receipt({ member: { id: m.id }, lines: [['QS-BIG', 1, 5_000_000]], businessAt: '2026-03-01T01:00:00.000Z' })
    const templates = {
      threshold: await t.given.couponTemplate({ name: '满100减10', stacking: 'all' }),
      double: await t.given.couponTemplate({ name: '双倍积分', kind: 'points_multiplier', value: 200, minSpend: 0, stacking: 'all' }),
    }
    const codes = await Promise.all(spec.coupons.map(async (k) => (await t.given.coupon({ templateId: templates[k].id, memberId: m.id })).code))

    const quote = await t.services.receipts.quote(t.actors.cashier, {
      member: { id: m.id }, businessAt, lines: spec.lines.map(([sku, quantity]) => ({ sku, quantity })), coupons: codes, pointsToUse: spec.pointsToUse,
    })
    expect(quote.coupons.every((c) => c.ok)).toBe(true)
    const pointsPaid = Math.min(spec.pointsToUse, quote.usablePoints)
    // The baskets do what their names say: points pay, a multiplier adds its bonus.
    if (spec.pointsToUse > 0) expect(pointsPaid).toBeGreaterThan(0)
    if (spec.coupons.includes('double')) expect(quote.coupons.find((c) => c.kind === 'points_multiplier')!.bonusPoints).toBeGreaterThan(0)
    const tenders: TenderInput[] = [
      ...quote.coupons.map((c) => ({ kind: 'coupon' as const, amount: c.discount, reference: c.code })),
      ...(pointsPaid > 0 ? [{ kind: 'points' as const, amount: pointsPaid, points: pointsPaid }] : []),
      { kind: 'cash', amount: quote.toPay },
    ]
    const input: SaleInput = {
      receiptNo: nextReceiptNo('QS'), businessAt, member: { id: m.id }, total: quote.total, tenders,
      lines: quote.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, amount: l.amount })),
    }
    const before = quote.member!.balance
    const { result } = await t.services.receipts.postSale(t.actors.cashier, input)

    expect(result.total).toBe(quote.total)
    expect(result.points).toBe(quote.points)
    expect(result.explanation).toEqual(quote.explanation)
    expect(result.pointsUsed).toBe(pointsPaid)
    expect(result.coupons ?? []).toEqual(quote.coupons.map((c) => ({ code: c.code, name: c.name, discount: c.discount, bonusPoints: c.bonusPoints })))
    expect(result.member!.balance).toBe(before - pointsPaid + quote.points)
    const view = await t.services.receipts.get(t.actors.hq_admin, result.receiptId)
    expect(view.lines.map((l) => l.points)).toEqual(quote.lines.map((l) => l.points))
    expect(await t.services.loyalty.verify()).toEqual([])
  })
})
