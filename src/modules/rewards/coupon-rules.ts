import type { ErrorDetail } from '../../shared/errors.js'
import { apportion, matchesLine, type EarnLine, type ProductMatch } from '../loyalty/index.js'
import type { CouponKind, CouponStacking, CouponStatus } from './coupons.table.js'
import { isLocalDate, meetsTier } from './rewards-rules.js'

// What a coupon does to a basket: pure, no I/O, no clock. The quote and the receipt's commit
// both call `evaluateCoupons`, so the till is told exactly what the commit will accept.

export const COUPON_KINDS: readonly CouponKind[] = ['amount', 'percent', 'threshold', 'free_item', 'points_multiplier']
export const STACKINGS: readonly CouponStacking[] = ['none', 'all', 'listed']

export interface CouponTemplate {
  id: string
  name: string
  description: string | null
  kind: CouponKind
  value: number
  maxDiscount: number | null
  minSpend: number
  freeSku: string | null
  scope: ProductMatch | null
  storeIds: string[] | null
  regionIds: string[] | null
  minTier: string | null
  validFrom: string | null
  validTo: string | null
  validDays: number | null
  stacking: CouponStacking
  stacksWith: string[]
  restoreOnReturn: boolean
  autoIssue: 'registration' | null
  maxIssued: number | null
  maxRedeemedValue: number | null
  issuedCount: number
  redeemedValue: number
  status: 'active' | 'paused' | 'archived'
}

/** A coupon as the till names it, with its template. */
export interface CouponOnBasket {
  code: string
  memberId: string
  status: CouponStatus
  /** face value (amount, threshold) */
  value: number
  validFrom: string
  validTo: string
  template: CouponTemplate
}

export interface BasketLine extends EarnLine {
  quantity: number
  unit: 'piece' | 'g'
  /** fen per piece (or per kg) after member prices */
  unitPrice: number
}

export interface BasketContext {
  storeId: string
  regionId: string | null
  /** null: no member named on the receipt */
  memberId: string | null
  memberTier: string | null
  tiers: ReadonlyArray<{ code: string; rank: number }>
  /** the local date of the sale */
  date: string
}

/** Why a coupon does not apply: a code the console translates, and a sentence for the API. */
export type CouponRefusal =
  | 'not_found' | 'not_yours' | 'no_member' | 'used' | 'voided' | 'expired' | 'not_yet_valid' | 'template_inactive'
  | 'wrong_store' | 'tier' | 'below_threshold' | 'no_eligible_lines' | 'not_stackable' | 'same_template' | 'budget_exhausted'

export type CouponOutcome =
  | { code: string; ok: true; templateId: string; name: string; kind: CouponKind; discount: number; multiplierPct: number; lineDiscounts: number[]; eligibleLines: boolean[]; budgeted: boolean }
  | { code: string; ok: false; templateId: string | null; name: string | null; refusal: CouponRefusal; reason: string; facts: RefusalFacts }

/** The figures behind a refusal, so a console can say it in its own language. */
export interface RefusalFacts {
  /** expired: the last day; not_yet_valid: the first */
  date?: string
  /** tier: the tier needed */
  tier?: string
  /** below_threshold: fen the covered goods come to, and fen needed */
  have?: number
  need?: number
  /** not_stackable, same_template: the other template's name */
  other?: string
  /** no_eligible_lines of a free-item coupon: the SKU */
  sku?: string
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`

/** Whether two coupons may be on one receipt: each must allow the other. */
export const stacksTogether = (a: CouponTemplate, b: CouponTemplate): boolean => {
  const allows = (x: CouponTemplate, y: CouponTemplate) => x.stacking === 'all' || (x.stacking === 'listed' && x.stacksWith.includes(y.id))
  return allows(a, b) && allows(b, a)
}

const refuse = (code: string, coupon: CouponOnBasket | null, refusal: CouponRefusal, reason: string, facts: RefusalFacts = {}): CouponOutcome =>
  ({ code, ok: false, templateId: coupon?.template.id ?? null, name: coupon?.template.name ?? null, refusal, reason, facts })

/** Checks that hold whatever the basket: owner, status, dates, store, tier, template. */
const checkCoupon = (c: CouponOnBasket, ctx: BasketContext): CouponOutcome | null => {
  const t = c.template
  if (ctx.memberId === null) return refuse(c.code, c, 'no_member', 'the coupon belongs to a member: name the member on the receipt')
  if (c.memberId !== ctx.memberId) return refuse(c.code, c, 'not_yours', 'the coupon belongs to another member')
  if (c.status === 'used') return refuse(c.code, c, 'used', 'the coupon was used already')
  if (c.status === 'voided') return refuse(c.code, c, 'voided', 'the coupon was voided')
  if (ctx.date > c.validTo) return refuse(c.code, c, 'expired', `the coupon expired on ${c.validTo}`, { date: c.validTo })
  if (ctx.date < c.validFrom) return refuse(c.code, c, 'not_yet_valid', `the coupon is valid from ${c.validFrom}`, { date: c.validFrom })
  if (t.status !== 'active') return refuse(c.code, c, 'template_inactive', `coupons of "${t.name}" are ${t.status}`)
  const storeOk = (t.storeIds === null && t.regionIds === null) || (t.storeIds?.includes(ctx.storeId) ?? false) ||
    (ctx.regionId !== null && (t.regionIds?.includes(ctx.regionId) ?? false))
  if (!storeOk) return refuse(c.code, c, 'wrong_store', 'the coupon is not valid in this store')
  if (!meetsTier(ctx.tiers, ctx.memberTier, t.minTier)) return refuse(c.code, c, 'tier', `the coupon needs tier ${t.minTier} or above`, { tier: t.minTier! })
  return null
}

/**
 * Applies the coupons in the order given. Each takes its discount from what earlier coupons left
 * of its lines, so stacked coupons never take a line below zero; a later coupon that cannot stack
 * with an earlier one is refused, naming it.
 */
export const evaluateCoupons = (coupons: ReadonlyArray<CouponOnBasket | { code: string; missing: true }>, lines: readonly BasketLine[], ctx: BasketContext): CouponOutcome[] => {
  const left = lines.map((l) => l.amount)
  const applied: CouponTemplate[] = []
  const seen = new Set<string>()
  return coupons.map((entry): CouponOutcome => {
    if ('missing' in entry) return refuse(entry.code, null, 'not_found', 'no coupon has this code')
    const c = entry
    const t = c.template
    if (seen.has(c.code)) return refuse(c.code, c, 'used', 'the coupon is named twice on this receipt')
    seen.add(c.code)
    const refused = checkCoupon(c, ctx)
    if (refused) return refused
    const same = applied.find((a) => a.id === t.id)
    if (same) return refuse(c.code, c, 'same_template', `only one "${t.name}" coupon per receipt`, { other: t.name })
    const clash = applied.find((a) => !stacksTogether(a, t))
    if (clash) return refuse(c.code, c, 'not_stackable', `cannot be used together with "${clash.name}"`, { other: clash.name })

    const eligibleLines = lines.map((l) => (t.scope === null ? true : matchesLine(t.scope, l)) && (t.kind !== 'free_item' || l.sku === t.freeSku))
    const eligibleAmount = lines.reduce((a, l, i) => a + (eligibleLines[i] ? l.amount : 0), 0)
    if (!eligibleLines.some(Boolean)) {
      return refuse(c.code, c, 'no_eligible_lines', t.kind === 'free_item' ? `the basket has no ${t.freeSku}` : 'nothing in the basket is covered by this coupon', t.kind === 'free_item' ? { sku: t.freeSku! } : {})
    }
    if (eligibleAmount < t.minSpend) {
      return refuse(c.code, c, 'below_threshold', `the goods it covers come to ${yuan(eligibleAmount)}; it needs ${yuan(t.minSpend)} (${yuan(t.minSpend - eligibleAmount)} more)`, { have: eligibleAmount, need: t.minSpend })
    }
    const room = left.reduce((a, v, i) => a + (eligibleLines[i] ? v : 0), 0)
    let discount = 0
    let multiplierPct = 100
    switch (t.kind) {
      case 'amount':
      case 'threshold':
        discount = Math.min(c.value, room)
        break
      case 'percent':
        discount = Math.floor((room * t.value) / 100)
        if (t.maxDiscount !== null) discount = Math.min(discount, t.maxDiscount)
        break
      case 'free_item': {
        // The cheapest pieces of the SKU are given (all pieces of one SKU share a price here).
        const i = lines.findIndex((l, k) => eligibleLines[k] && l.unit === 'piece')
        if (i < 0) return refuse(c.code, c, 'no_eligible_lines', `the basket has no ${t.freeSku} sold by the piece`, { sku: t.freeSku! })
        const line = lines[i]!
        discount = Math.min(line.unitPrice * Math.min(t.value, line.quantity), left[i]!)
        break
      }
      case 'points_multiplier':
        multiplierPct = t.value
        break
    }
    if (t.maxRedeemedValue !== null && discount > t.maxRedeemedValue - t.redeemedValue) {
      return refuse(c.code, c, 'budget_exhausted', `the budget of "${t.name}" is used up`)
    }
    const weights = left.map((v, i) => (eligibleLines[i] ? v : 0))
    const lineDiscounts = t.kind === 'free_item'
      ? left.map((_, i) => (i === lines.findIndex((l, k) => eligibleLines[k] && l.unit === 'piece') ? discount : 0))
      : apportion(discount, weights)
    lineDiscounts.forEach((d, i) => { left[i] = left[i]! - d })
    applied.push(t)
    return { code: c.code, ok: true, templateId: t.id, name: t.name, kind: t.kind, discount, multiplierPct, lineDiscounts, eligibleLines, budgeted: t.maxRedeemedValue !== null }
  })
}

/** Extra points a multiplier coupon gives: (multiplier − 1) × what its lines earned. */
export const multiplierBonus = (outcome: Extract<CouponOutcome, { ok: true }>, linePoints: readonly number[]): number[] =>
  linePoints.map((p, i) => (outcome.eligibleLines[i] && p > 0 ? Math.floor((p * (outcome.multiplierPct - 100)) / 100) : 0))

export interface TemplateInput {
  name: string
  description?: string | null
  kind: CouponKind
  value: number
  maxDiscount?: number | null
  minSpend?: number
  freeSku?: string | null
  scope?: ProductMatch | null
  storeIds?: string[] | null
  regionIds?: string[] | null
  minTier?: string | null
  validFrom?: string | null
  validTo?: string | null
  validDays?: number | null
  stacking?: CouponStacking
  stacksWith?: string[]
  restoreOnReturn?: boolean
  autoIssue?: 'registration' | null
  maxIssued?: number | null
  maxRedeemedValue?: number | null
}

const isInt = (n: unknown, min: number, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max

/** Everything wrong with a template, field by field (tiers: the codes that exist). */
export const validateTemplate = (input: TemplateInput, tierCodes: readonly string[]): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  const name = typeof input.name === 'string' ? input.name.trim() : ''
  if (name.length < 1 || name.length > 60) out.push({ field: 'name', reason: '1 to 60 characters' })
  if (!COUPON_KINDS.includes(input.kind)) {
    out.push({ field: 'kind', reason: `one of ${COUPON_KINDS.join(', ')}` })
    return out
  }
  switch (input.kind) {
    case 'amount':
    case 'threshold':
      if (!isInt(input.value, 1, 100_000_000)) out.push({ field: 'value', reason: 'the fen taken off, from 1' })
      break
    case 'percent':
      if (!isInt(input.value, 1, 99)) out.push({ field: 'value', reason: 'the percent taken off, 1 to 99' })
      break
    case 'free_item':
      if (!isInt(input.value, 1, 100)) out.push({ field: 'value', reason: 'the pieces given free, 1 to 100' })
      if (typeof input.freeSku !== 'string' || input.freeSku.trim() === '') out.push({ field: 'freeSku', reason: 'the SKU given free' })
      break
    case 'points_multiplier':
      if (!isInt(input.value, 101, 1000)) out.push({ field: 'value', reason: 'the multiplier × 100, from 101 to 1000 (200 = double points)' })
      break
  }
  if (input.kind !== 'free_item' && input.freeSku) out.push({ field: 'freeSku', reason: 'only for a free-item coupon' })
  if (input.maxDiscount != null && (input.kind !== 'percent' || !isInt(input.maxDiscount, 1, 100_000_000))) {
    out.push({ field: 'maxDiscount', reason: input.kind !== 'percent' ? 'only for a percent coupon' : 'fen, from 1' })
  }
  const minSpend = input.minSpend ?? 0
  if (!isInt(minSpend, 0, 10_000_000_000)) out.push({ field: 'minSpend', reason: 'fen, a whole number from 0' })
  if (input.kind === 'threshold' && isInt(minSpend, 0, 10_000_000_000) && isInt(input.value, 1, 100_000_000) && minSpend <= input.value) {
    out.push({ field: 'minSpend', reason: 'a threshold coupon needs a minimum spend above the amount it takes off (满 X 减 Y: X > Y)' })
  }
  const fixed = input.validFrom != null || input.validTo != null
  if (input.validDays != null) {
    if (!isInt(input.validDays, 1, 3660)) out.push({ field: 'validDays', reason: 'days from issue, 1 to 3660' })
    if (fixed) out.push({ field: 'validDays', reason: 'give fixed dates or days from issue, not both' })
  } else if (!fixed) {
    out.push({ field: 'validTo', reason: 'give fixed dates (validFrom, validTo) or days from issue (validDays)' })
  }
  if (input.validFrom != null && !isLocalDate(input.validFrom)) out.push({ field: 'validFrom', reason: 'a date, YYYY-MM-DD' })
  if (input.validTo != null && !isLocalDate(input.validTo)) out.push({ field: 'validTo', reason: 'a date, YYYY-MM-DD' })
  if (isLocalDate(input.validFrom) && isLocalDate(input.validTo) && input.validFrom > input.validTo) out.push({ field: 'validTo', reason: 'before validFrom' })
  const stacking = input.stacking ?? 'none'
  if (!STACKINGS.includes(stacking)) out.push({ field: 'stacking', reason: `one of ${STACKINGS.join(', ')}` })
  if ((input.stacksWith ?? []).length > 0 && stacking !== 'listed') out.push({ field: 'stacksWith', reason: "only when stacking is 'listed'" })
  if (stacking === 'listed' && (input.stacksWith ?? []).length === 0) out.push({ field: 'stacksWith', reason: 'list the templates it combines with' })
  if (input.minTier != null && !tierCodes.includes(input.minTier)) out.push({ field: 'minTier', reason: `no tier ${input.minTier}` })
  if (input.maxIssued != null && !isInt(input.maxIssued, 1, 100_000_000)) out.push({ field: 'maxIssued', reason: 'a number of coupons, from 1' })
  if (input.maxRedeemedValue != null && !isInt(input.maxRedeemedValue, 1, 100_000_000_000)) out.push({ field: 'maxRedeemedValue', reason: 'fen, from 1' })
  // A scope naming nothing would match no line: the coupon could never be used.
  const scope = input.scope
  if (scope != null && ![scope.departments, scope.categories, scope.subcategories, scope.brands, scope.skus].some((l) => Array.isArray(l) && l.length > 0)) {
    out.push({ field: 'scope', reason: 'name at least one department, category, subcategory, brand or SKU, or null for everything' })
  }
  if (input.autoIssue != null && input.autoIssue !== 'registration') out.push({ field: 'autoIssue', reason: "null or 'registration'" })
  for (const [field, list] of [['storeIds', input.storeIds], ['regionIds', input.regionIds]] as const) {
    if (list != null && (!Array.isArray(list) || list.length === 0)) out.push({ field, reason: 'null for everywhere, or at least one id' })
  }
  return out
}
