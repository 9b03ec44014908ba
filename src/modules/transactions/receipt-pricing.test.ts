import { describe, expect, it } from 'vitest'
import type { ProductForPricing } from '../catalog/index.js'
import type { EarningRule, RuleDefinition, Tier } from '../loyalty/index.js'
import type { BasketContext, CouponOnBasket, CouponTemplate } from '../rewards/index.js'
import { priceBasket, priceLines, tryEachAlone, usablePointsOn, type BasketInput, type PricedLineInput } from './receipt-pricing.js'
import type { TenderKind } from './receipts.table.js'

let n = 0
const rule = (definition: RuleDefinition): EarningRule => ({
  id: `rul_${++n}`, ruleKey: `k${n}`, version: 1, name: `${definition.kind}-${n}`, kind: definition.kind, definition,
  storeIds: null, regionIds: null, validFrom: '2000-01-01T00:00:00.000Z', validTo: null, status: 'active', createdBy: null, createdAt: '2026-01-01T00:00:00.000Z',
})
const base = rule({ kind: 'base', fenPerPoint: 100, rounding: 'floor', excludeTenders: ['points', 'coupon'] })
const regular: Tier = { code: 'regular', name: '普卡', rank: 0, threshold: 0, earnFactorPct: 100, memberPrices: false }
const gold: Tier = { code: 'gold', name: '金卡', rank: 2, threshold: 1, earnFactorPct: 150, memberPrices: true }

const product = (sku: string, over: Partial<ProductForPricing> = {}): ProductForPricing => ({
  id: `prd_${sku}`, sku, name: sku, department: '粮油副食', category: null, subcategory: null, brand: null, listPrice: 1000, memberPrice: null,
  pointsEligible: true, soldByWeight: false, ...over,
})
const products = new Map([
  ['RICE', product('RICE', { listPrice: 5990, memberPrice: 4990 })],
  ['MILK', product('MILK', { listPrice: 1250, department: '乳品' })],
  ['BEEF', product('BEEF', { listPrice: 8800, soldByWeight: true, memberPrice: 7800 })],
  ['CIGS', product('CIGS', { listPrice: 2500, pointsEligible: false })],
])

const template = (over: Partial<CouponTemplate> = {}): CouponTemplate => ({
  id: 'ctp_a', name: '满100减20', description: null, kind: 'threshold', value: 2000, maxDiscount: null, minSpend: 10000, freeSku: null, scope: null,
  storeIds: null, regionIds: null, minTier: null, validFrom: null, validTo: null, validDays: 30, stacking: 'none', stacksWith: [], restoreOnReturn: false,
  autoIssue: null, maxIssued: null, maxRedeemedValue: null, issuedCount: 1, redeemedValue: 0, status: 'active', ...over,
})
const coupon = (code: string, t: CouponTemplate): CouponOnBasket => ({ code, memberId: 'mem_1', status: 'issued', value: t.value, validFrom: '2026-03-01', validTo: '2026-03-31', template: t })
const threshold = coupon('THRESHOLD', template())
const double = coupon('DOUBLE', template({ id: 'ctp_x', name: '双倍积分', kind: 'points_multiplier', value: 200, minSpend: 0, stacking: 'all' }))
const percent = coupon('PERCENT', template({ id: 'ctp_p', name: '九折', kind: 'percent', value: 10, minSpend: 0, maxDiscount: 1000, stacking: 'all' }))

const basket: BasketContext = { storeId: 'sto_a', regionId: null, memberId: 'mem_1', memberTier: 'regular', tiers: [regular, gold], date: '2026-03-02' }
const policy = { maxPointsPaymentPct: 50, pointValueFen: 1 }
const earn = (tier: Tier = regular) => ({ local: { date: '2026-03-02', weekday: 1 }, store: { id: 'sto_a', regionId: null }, member: { birthday: null, tier }, rules: [base], earnedToday: 0 })
const lines = (...specs: Array<[sku: string, quantity: number, unitPrice: number]>): PricedLineInput[] =>
  specs.map(([sku, quantity, unitPrice]) => ({ sku, quantity, unitPrice, amount: quantity * unitPrice }))

describe('priceLines', () => {
  it.each([
    ['list price without member prices', { sku: 'RICE', quantity: 2 }, false, { unitPrice: 5990, amount: 11980, savings: 0, memberPriceApplied: false }],
    ['the member price for a tier that gives it', { sku: 'RICE', quantity: 2 }, true, { unitPrice: 4990, amount: 9980, savings: 2000, memberPriceApplied: true }],
    ['no member price on a product without one', { sku: 'MILK', quantity: 3 }, true, { unitPrice: 1250, amount: 3750, savings: 0, memberPriceApplied: false }],
    ['the till\'s price when it is below the member price', { sku: 'RICE', quantity: 1, unitPrice: 3000 }, true, { listPrice: 3000, unitPrice: 3000, memberPriceApplied: false }],
    ['grams at a price per kilogram', { sku: 'BEEF', quantity: 350 }, true, { unit: 'g', unitPrice: 7800, amount: 2730, savings: 350 }],
    ['an unknown product at the price given', { sku: 'NEW', quantity: 2, unitPrice: 450 }, true, { name: 'NEW', unitPrice: 450, amount: 900 }],
  ] as const)('%s', (_name, line, memberPrices, expected) => {
    expect(priceLines([line], products, memberPrices)[0]).toMatchObject(expected)
  })
})

describe('usablePointsOn', () => {
  it.each([
    ['half of the receipt at most', { total: 10000, couponDiscount: 0, spendable: 9000 }, 5000],
    ['no more than the member may spend', { total: 10000, couponDiscount: 0, spendable: 1200 }, 1200],
    ['no more than the coupons leave to pay', { total: 10000, couponDiscount: 8000, spendable: 9000 }, 2000],
    ['nothing when coupons pay it all', { total: 1000, couponDiscount: 1000, spendable: 9000 }, 0],
    ['nothing with a negative balance', { total: 1000, couponDiscount: 0, spendable: 0 }, 0],
  ])('%s', (_name, p, expected) => {
    expect(usablePointsOn({ ...p, ...policy })).toBe(expected)
  })
  it('counts points by their value in fen', () => {
    expect(usablePointsOn({ total: 10001, couponDiscount: 0, spendable: 9000, maxPointsPaymentPct: 50, pointValueFen: 10 })).toBe(500)
  })
})

const quoteInput = (over: Partial<BasketInput>): BasketInput => ({
  lines: lines(['RICE', 2, 5990]), products, coupons: [], basket, tenders: null, points: { asked: 0, spendable: 0 }, policy, earn: earn(), couponBonus: true, ...over,
})

describe('priceBasket', () => {
  it.each([
    ['1 point a yuan', quoteInput({}), { total: 11980, couponDiscount: 0, pointsUsed: 0, earned: { points: 119 } }],
    ['a coupon\'s discount earns nothing', quoteInput({ coupons: [threshold] }), { couponDiscount: 2000, earned: { points: 99 } }],
    ['points paid earn nothing, capped at what may be paid', quoteInput({ points: { asked: 9000, spendable: 9000 } }), { usablePoints: 5990, pointsUsed: 5990, earned: { points: 59 } }],
    ['a multiplier coupon adds its bonus', quoteInput({ coupons: [double] }), { couponDiscount: 0, earned: { points: 238 } }],
    ['but not for a member who does not earn it', quoteInput({ coupons: [double], couponBonus: false }), { earned: { points: 119 } }],
    ['a tier earns by its factor', quoteInput({ earn: earn(gold), basket: { ...basket, memberTier: 'gold' } }), { earned: { points: 178 } }],
    ['ineligible goods earn nothing', quoteInput({ lines: lines(['CIGS', 4, 2500], ['MILK', 2, 1250]) }), { total: 12500, earned: { points: 25, eligibleAmount: 2500 } }],
    ['nothing earned without an earning member', quoteInput({ earn: null }), { earned: { points: 0, linePoints: [0] } }],
  ] as const)('%s', (_name, input, expected) => {
    expect(priceBasket(input)).toMatchObject(expected)
  })

  it('keeps refusals in the order the coupons were offered, and applies the rest', () => {
    const p = priceBasket(quoteInput({ lines: lines(['MILK', 2, 1250]), coupons: [threshold, percent, { code: 'NOPE', missing: true }] }))
    expect(p.outcomes.map((o) => [o.code, o.ok])).toEqual([['THRESHOLD', false], ['PERCENT', true], ['NOPE', false]])
    expect(p.couponDiscount).toBe(250)
  })

  it('shares points paid and coupons over the lines: Patron coupons where they applied, other vouchers by amount', () => {
    const tenders: Array<{ kind: TenderKind; amount: number; points?: number }> = [
      { kind: 'points', amount: 3000, points: 3000 }, { kind: 'coupon', amount: 1000 }, { kind: 'coupon', amount: 1975 }, { kind: 'cash', amount: 9005 },
    ]
    const p = priceBasket(quoteInput({ lines: lines(['RICE', 2, 5990], ['MILK', 2, 1250]), coupons: [percent], tenders }))
    expect(p.pointsUsed).toBe(3000)
    expect(p.pointsPerLine).toEqual([2482, 518])
    expect(p.couponDiscount).toBe(1000)
    expect(p.couponPerLine.reduce((a, b) => a + b, 0)).toBe(2975)
    // The voucher's 1,975 by amount (1,634 and 341), the percent coupon's 1,000 where it applied (827 and 173).
    expect(p.couponPerLine).toEqual([1634 + 827, 341 + 173])
  })
})

// The quote and the sale price one basket the same way: the sale's tenders are what the quote
// says to pay (coupons, points, the rest in cash), and it earns, takes off and shares what the
// quote said.
describe('the quote and the sale agree', () => {
  it.each([
    ['a plain basket', lines(['RICE', 1, 5990], ['MILK', 3, 1250]), [], 0],
    ['a threshold coupon', lines(['RICE', 2, 5990]), [threshold], 0],
    ['points and a percent coupon', lines(['RICE', 2, 5990], ['MILK', 1, 1250]), [percent], 4000],
    ['a multiplier coupon and points', lines(['RICE', 1, 5990], ['CIGS', 2, 2500]), [double], 1500],
    ['everything at once', lines(['RICE', 3, 5990], ['MILK', 4, 1250], ['CIGS', 1, 2500]), [threshold, double], 9999],
  ] as const)('%s', (_name, basketLines, offered, asked) => {
    const quoted = priceBasket(quoteInput({ lines: basketLines, coupons: [...offered], points: { asked, spendable: 50_000 } }))
    const pointsFen = quoted.pointsUsed * policy.pointValueFen
    const tenders = [
      ...quoted.applied.map((o) => ({ kind: 'coupon' as const, amount: o.discount, reference: o.code })),
      ...(quoted.pointsUsed > 0 ? [{ kind: 'points' as const, amount: pointsFen, points: quoted.pointsUsed }] : []),
      { kind: 'cash' as const, amount: quoted.total - quoted.couponDiscount - pointsFen },
    ]
    const sold = priceBasket(quoteInput({ lines: basketLines, coupons: [...offered], tenders, points: undefined }))
    expect(sold.earned).toEqual(quoted.earned)
    expect(sold.couponDiscount).toBe(quoted.couponDiscount)
    expect([...sold.bonusByCode]).toEqual([...quoted.bonusByCode])
    expect(sold.pointsUsed).toBe(quoted.pointsUsed)
    expect(sold.couponPerLine).toEqual(quoted.couponPerLine)
    expect(sold.pointsPerLine).toEqual(quoted.pointsPerLine)
  })
})

describe('tryEachAlone', () => {
  it('tries each coupon alone, the ones that apply first, the larger discount first', () => {
    const tried = tryEachAlone([threshold, double, percent], lines(['MILK', 2, 1250]), products, basket)
    expect(tried.map(({ coupon: c, outcome: o }) => [c.code, o.ok])).toEqual([['PERCENT', true], ['DOUBLE', true], ['THRESHOLD', false]])
  })
})
