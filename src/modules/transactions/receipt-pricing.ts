import type { ProductForPricing } from '../catalog/index.js'
import { apportion, computeEarn, type EarnExplanation, type EarnInput, type EarnLine, type EarnResult } from '../loyalty/index.js'
import { evaluateCoupons, multiplierBonus, type BasketContext, type BasketLine, type CouponOnBasket, type CouponOutcome } from '../rewards/index.js'
import { grossOf } from './receipt-rules.js'
import type { QuoteLine } from './receipts.types.js'
import type { LineUnit, TenderKind } from './receipts.table.js'

// The till's arithmetic, shared by the quote and the sale: what a basket costs a member, what
// its coupons take off, what points may pay and what it earns. No I/O and no clock: the callers
// read the products, coupons, account and rules and pass them in.

export type Products = ReadonlyMap<string, ProductForPricing>

export interface PricedLineInput {
  sku: string
  quantity: number
  unit?: LineUnit
  /** fen per piece or per kilogram, as charged */
  unitPrice: number
  /** fen charged for the line */
  amount: number
}

export const toEarnLines = (lines: ReadonlyArray<{ sku: string; amount: number }>, products: Products): EarnLine[] =>
  lines.map((l) => {
    const p = products.get(l.sku)
    return {
      sku: l.sku, amount: l.amount, department: p?.department ?? null, category: p?.category ?? null, subcategory: p?.subcategory ?? null,
      brand: p?.brand ?? null, pointsEligible: p?.pointsEligible ?? true,
    }
  })

export const toBasketLines = (lines: readonly PricedLineInput[], products: Products): BasketLine[] =>
  toEarnLines(lines, products).map((l, i) => ({ ...l, quantity: lines[i]!.quantity, unit: lines[i]!.unit ?? 'piece', unitPrice: lines[i]!.unitPrice }))

/** A quote's line: the pricer makes exactly what the quote shows. */
export type MemberPricedLine = QuoteLine

/**
 * A quote's lines at the price the member pays: the product's member price where the member's
 * tier gives member prices and it is below the list price (or the price the till gave).
 */
export const priceLines = (
  lines: ReadonlyArray<{ sku: string; quantity: number; unit?: LineUnit; unitPrice?: number }>, products: Products, memberPrices: boolean,
): MemberPricedLine[] =>
  lines.map((l) => {
    const p = products.get(l.sku)
    const unit = l.unit ?? (p?.soldByWeight ? 'g' : 'piece')
    const listPrice = l.unitPrice ?? p!.listPrice
    const memberPrice = memberPrices && p?.memberPrice != null && p.memberPrice < listPrice ? p.memberPrice : null
    const unitPrice = memberPrice ?? listPrice
    const amount = grossOf(l.quantity, unitPrice, unit)
    return { sku: l.sku, name: p?.name ?? l.sku, quantity: l.quantity, unit, listPrice, unitPrice, memberPriceApplied: memberPrice !== null, amount, savings: grossOf(l.quantity, listPrice, unit) - amount, points: 0 }
  })

/** Points pay at most their share of the receipt, never more than the coupons leave to pay, nor more than the member may spend. */
export const usablePointsOn = (p: { total: number; couponDiscount: number; spendable: number; maxPointsPaymentPct: number; pointValueFen: number }): number =>
  Math.max(0, Math.min(p.spendable, Math.floor(Math.min((p.total * p.maxPointsPaymentPct) / 100, p.total - p.couponDiscount) / p.pointValueFen)))

/** Adds a multiplier coupon's bonus to the earned points, per line and in the explanation; the bonus of each code. */
export const addCouponBonus = (earned: Pick<EarnResult, 'points' | 'linePoints' | 'explanation'>, outcomes: readonly CouponOutcome[]): Map<string, number> => {
  const bonusByCode = new Map<string, number>()
  for (const o of outcomes) {
    if (!o.ok || o.multiplierPct <= 100) continue
    const bonus = multiplierBonus(o, earned.linePoints)
    const sum = bonus.reduce((a, b) => a + b, 0)
    bonusByCode.set(o.code, sum)
    if (sum <= 0) continue
    earned.linePoints = earned.linePoints.map((p, i) => p + bonus[i]!)
    earned.points += sum
    earned.explanation.push({ ruleId: null, name: o.name, kind: 'coupon', points: sum })
  }
  return bonusByCode
}

export type AppliedCoupon = Extract<CouponOutcome, { ok: true }>

/** Earning's inputs besides the lines and tenders. */
export type EarnContext = Omit<EarnInput, 'lines' | 'tenders'>

export interface BasketInput {
  lines: readonly PricedLineInput[]
  products: Products
  /** the coupons offered, in the order they apply (as rewards loads them) */
  coupons: ReadonlyArray<CouponOnBasket | { code: string; missing: true }>
  basket: BasketContext
  /**
   * A sale: its tenders as the till gave them. A quote: null; it pays with the coupons'
   * discount and with `points`.
   */
  tenders: ReadonlyArray<{ kind: TenderKind; amount: number; points?: number | null }> | null
  /** a quote: the points the member asks to pay with, and may spend */
  points?: { asked: number; spendable: number }
  policy: { maxPointsPaymentPct: number; pointValueFen: number }
  /** null: the basket earns nothing (no member, an inactive one, an import without points) */
  earn: EarnContext | null
  /** multiplier coupons add their bonus (an active member earning) */
  couponBonus: boolean
}

export interface BasketPricing {
  total: number
  outcomes: CouponOutcome[]
  applied: AppliedCoupon[]
  couponDiscount: number
  /** a quote: the points the member may pay with on this basket */
  usablePoints: number
  /** points paying for the basket */
  pointsUsed: number
  earned: EarnResult
  /** a multiplier coupon's bonus points, by code */
  bonusByCode: Map<string, number>
  /** points paid and coupons' fen on each line: Patron coupons where they applied, other vouchers across the receipt */
  pointsPerLine: number[]
  couponPerLine: number[]
}

const nothingEarned = (lines: number): EarnResult => ({ points: 0, eligibleAmount: 0, linePoints: Array.from({ length: lines }, () => 0), explanation: [] as EarnExplanation[] })

/** What a basket costs and earns: the one computation behind the quote and the sale. */
export const priceBasket = (input: BasketInput): BasketPricing => {
  const { lines, products, policy } = input
  const total = lines.reduce((a, l) => a + l.amount, 0)
  const outcomes = input.coupons.length ? evaluateCoupons(input.coupons, toBasketLines(lines, products), input.basket) : []
  const applied = outcomes.filter((o): o is AppliedCoupon => o.ok)
  const couponDiscount = applied.reduce((a, o) => a + o.discount, 0)
  const usablePoints = input.points
    ? usablePointsOn({ total, couponDiscount, spendable: input.points.spendable, maxPointsPaymentPct: policy.maxPointsPaymentPct, pointValueFen: policy.pointValueFen })
    : 0
  const pointsTender = input.tenders?.find((t) => t.kind === 'points')
  const pointsUsed = input.tenders ? (pointsTender?.points ?? 0) : Math.min(input.points?.asked ?? 0, usablePoints)
  const tenders = input.tenders ?? [
    ...(pointsUsed > 0 ? [{ kind: 'points' as const, amount: pointsUsed * policy.pointValueFen }] : []),
    ...(couponDiscount > 0 ? [{ kind: 'coupon' as const, amount: couponDiscount }] : []),
  ]
  const earned = input.earn ? computeEarn({ ...input.earn, lines: toEarnLines(lines, products), tenders: [...tenders] }) : nothingEarned(lines.length)
  const bonusByCode = input.couponBonus && outcomes.length ? addCouponBonus(earned, outcomes) : new Map<string, number>()
  const amounts = lines.map((l) => l.amount)
  const pointsPerLine = apportion(pointsUsed, amounts)
  const vouchers = tenders.filter((t) => t.kind === 'coupon').reduce((a, t) => a + t.amount, 0) - couponDiscount
  const couponPerLine = apportion(vouchers, amounts)
  for (const o of applied) o.lineDiscounts.forEach((d, i) => { couponPerLine[i] = (couponPerLine[i] ?? 0) + d })
  return { total, outcomes, applied, couponDiscount, usablePoints, pointsUsed, earned, bonusByCode, pointsPerLine, couponPerLine }
}

/** Each coupon tried alone on the basket (what a member could use), the ones that apply first, the larger discount first. */
export const tryEachAlone = <C extends CouponOnBasket>(coupons: readonly C[], lines: readonly PricedLineInput[], products: Products, basket: BasketContext): Array<{ coupon: C; outcome: CouponOutcome }> => {
  const basketLines = toBasketLines(lines, products)
  return coupons.map((coupon) => ({ coupon, outcome: evaluateCoupons([coupon], basketLines, basket)[0]! }))
    .sort((a, b) => Number(b.outcome.ok) - Number(a.outcome.ok) || (b.outcome.ok ? b.outcome.discount : 0) - (a.outcome.ok ? a.outcome.discount : 0))
}
