import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import type { ErrorDetail } from '../../shared/errors.js'
import { findProductsBySkus } from '../catalog/index.js'
import { ledger } from '../loyalty/index.js'
import type { CouponOutcome } from '../rewards/index.js'
import { badReceipt, type ReceiptContext } from './receipt-context.js'
import { priceBasket, priceLines, tryEachAlone } from './receipt-pricing.js'
import type { Quote, QuoteCoupon, QuoteInput } from './receipts.types.js'

const toQuoteCoupon = (o: CouponOutcome, bonusPoints = 0): QuoteCoupon => o.ok
  ? { code: o.code, ok: true, templateId: o.templateId, name: o.name, kind: o.kind, discount: o.discount, bonusPoints, refusal: null, reason: null, facts: null }
  : { code: o.code, ok: false, templateId: o.templateId, name: o.name, kind: null, discount: 0, bonusPoints: 0, refusal: o.refusal, reason: o.reason, facts: o.facts }

/** The quote: what a basket would cost and earn for a member, priced as the sale prices it, without changing anything. */
export const createReceiptQuote = (ctx: ReceiptContext) => {
  const { db, loyalty, coupons } = ctx

  const quote = async (actor: Actor, input: QuoteInput): Promise<Quote> => {
    assertCan(actor, 'receipts.post')
    const cfg = await loyalty.config()
    const store = await ctx.storeFor(actor, input.storeId)
    const details: ErrorDetail[] = []
    if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 500) details.push({ field: 'lines', reason: '1 to 500 lines' })
    const businessAt = input.businessAt ?? ctx.now()
    if (details.length) throw badReceipt(details)
    const products = await findProductsBySkus(db, [...new Set(input.lines.map((l) => l.sku))])
    input.lines.forEach((l, i) => {
      if (!products.has(l.sku) && l.unitPrice === undefined) details.push({ field: `lines[${i}].sku`, reason: 'unknown product; give its unitPrice' })
      if (!Number.isInteger(l.quantity) || l.quantity <= 0) details.push({ field: `lines[${i}].quantity`, reason: 'a whole number above 0' })
    })
    if (details.length) throw badReceipt(details)
    const member = await ctx.resolveMember(db, input.member, actor)
    const account = member ? await loyalty.accountOf(db, member.id) ?? null : null
    const tier = member ? loyalty.effectiveTier(cfg, account ?? undefined) : null
    const lines = priceLines(input.lines, products, Boolean(member && tier?.memberPrices))
    const local = loyalty.localParts(businessAt)
    const basket = { storeId: store.id, regionId: store.regionId, memberId: member?.id ?? null, memberTier: tier?.code ?? null, tiers: cfg.tiers, date: local.date }
    const asked = (input.coupons ?? []).filter((c) => typeof c === 'string' && c.trim() !== '')
    if (asked.length > 10) throw badReceipt([{ field: 'coupons', reason: 'at most 10 coupons on one receipt' }])
    const offered = asked.length ? await coupons.internals.loadForBasket(db, asked) : []
    const spendable = member && account ? await ledger.spendable(db, member.id, account.balance, ctx.today()) : 0
    const pricing = priceBasket({
      lines, products, coupons: offered, basket, tenders: null, policy: cfg.policy,
      points: { asked: input.pointsToUse ?? 0, spendable },
      earn: { local, store, member: member ? { birthday: member.birthday, tier } : null, rules: loyalty.rulesAt(cfg, businessAt), earnedToday: 0 },
      couponBonus: member?.status === 'active',
    })
    const { earned } = pricing
    lines.forEach((l, i) => { l.points = earned.linePoints[i] ?? 0 })
    // What the member could use: each unused coupon tried alone on this basket, the ones that apply first.
    const usable = member ? await coupons.internals.usableForMember(db, member.id, local.date) : []
    const usableCoupons = tryEachAlone(usable, lines, products, basket).map(({ coupon, outcome }) => ({ ...toQuoteCoupon(outcome), validTo: coupon.validTo }))
    return {
      lines, total: pricing.total, savings: lines.reduce((a, l) => a + l.savings, 0), points: member ? earned.points : 0, explanation: earned.explanation,
      member: ctx.memberSummary(cfg, member, account), usablePoints: pricing.usablePoints, usableValue: pricing.usablePoints * cfg.policy.pointValueFen,
      coupons: pricing.outcomes.map((o) => toQuoteCoupon(o, pricing.bonusByCode.get(o.code) ?? 0)), couponDiscount: pricing.couponDiscount,
      toPay: pricing.total - pricing.couponDiscount - pricing.pointsUsed * cfg.policy.pointValueFen, usableCoupons,
    }
  }

  return { quote }
}
