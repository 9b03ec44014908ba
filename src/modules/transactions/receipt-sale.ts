import type { Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, assertCan } from '../../shared/actor.js'
import { conflict, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { ensureProductsForLines, type ProductForPricing } from '../catalog/index.js'
import type { LoyaltyConfig } from '../loyalty/index.js'
import type { CouponOutcome } from '../rewards/index.js'
import { badReceipt, type Prepared, type ReceiptContext } from './receipt-context.js'
import { claimReceipt } from './receipt-posting.js'
import { priceBasket } from './receipt-pricing.js'
import { payloadHash, validateSale, type ReturnInput, type SaleInput } from './receipt-rules.js'
import * as repo from './receipts.repository.js'
import type { ReceiptsTable } from './receipts.table.js'
import type { PostOptions, PostResult } from './receipts.types.js'

/** A coupon the basket cannot use: used or voided is a conflict (another till was first), the rest are unprocessable. */
const couponRefused = (o: Extract<CouponOutcome, { ok: false }>, field: string) =>
  o.refusal === 'used' || o.refusal === 'voided' || o.refusal === 'budget_exhausted'
    ? conflict(o.refusal === 'budget_exhausted' ? 'COUPON_BUDGET_EXHAUSTED' : 'COUPON_ALREADY_USED', [{ field, reason: o.reason }])
    : unprocessable(o.refusal === 'not_found' ? 'COUPON_NOT_FOUND' : 'COUPON_NOT_APPLICABLE', [{ field, reason: o.reason }])

/** Applies a return that reached the store before its sale, inside the sale's transaction. */
export type ApplyWaitingReturn = (trx: Trx, cfg: LoyaltyConfig, row: ReceiptsTable, input: ReturnInput, at: string) => Promise<PostResult>

/**
 * The sale: everything that can be checked before the transaction (shape, arithmetic, store,
 * member), and the work inside it, where each module is called once for its part: the receipt
 * number claimed, the points account locked (and the points tender paid), the coupons redeemed,
 * the lines and tenders written, the member's facts recorded, the points earned and the tier.
 */
export const createReceiptSale = (ctx: ReceiptContext, applyWaitingReturn: ApplyWaitingReturn) => {
  const { clock, loyalty, coupons, facts } = ctx

  const prepareSale = async (actor: Actor, input: SaleInput, options: PostOptions = {}): Promise<Prepared> => {
    assertCan(actor, 'receipts.post')
    const cfg = await loyalty.config()
    const store = await ctx.storeFor(actor, input.storeId)
    const { details, mismatch } = validateSale(input, clock.now(), cfg.policy.pointValueFen)
    // A well-formed receipt whose sums disagree says so by its code; any other problem is plain validation.
    if (details.length) throw badReceipt(details, mismatch ? 'RECEIPT_TOTAL_MISMATCH' : 'VALIDATION')
    const member = await ctx.resolveMember(ctx.db, input.member)
    const hashFor = (memberId: string | null) => payloadHash({ ...input, storeId: store.id, member: memberId })
    const hash = hashFor(member?.id ?? null)
    const businessAt = new Date(input.businessAt).toISOString()
    const local = loyalty.localParts(businessAt)
    const awardPoints = options.awardPoints !== false
    const pointsTender = input.tenders.find((t) => t.kind === 'points')
    if (pointsTender && member && member.status !== 'active') {
      throw unprocessable('MEMBER_NOT_ACTIVE', [{ field: 'member', reason: `the member is ${member.status}; points cannot be spent` }])
    }
    if (pointsTender && pointsTender.amount * 100 > input.total * cfg.policy.maxPointsPaymentPct) {
      throw unprocessable('LOYALTY_POINTS_SHARE', [{ field: 'tenders', reason: `points may pay at most ${cfg.policy.maxPointsPaymentPct}% of a receipt` }])
    }
    // Coupon tenders naming a code are Patron coupons, checked and consumed with the receipt; a
    // coupon tender without a reference is another system's voucher, taken as paid.
    const couponTenders = input.tenders.map((t, i) => ({ t, i })).filter(({ t }) => t.kind === 'coupon' && typeof t.reference === 'string' && t.reference.trim() !== '')
    if (couponTenders.length && !member) {
      throw unprocessable('COUPON_NOT_APPLICABLE', [{ field: `tenders[${couponTenders[0]!.i}].reference`, reason: 'the coupon belongs to a member: name the member on the receipt' }])
    }
    if (couponTenders.length && member && member.status !== 'active') {
      throw unprocessable('MEMBER_NOT_ACTIVE', [{ field: 'member', reason: `the member is ${member.status}; coupons cannot be used` }])
    }
    const earning = awardPoints && member?.status === 'active'
    const rules = loyalty.rulesAt(cfg, businessAt)
    const hasDayCap = rules.some((r) => r.definition.kind === 'cap' && r.definition.perDay !== undefined)

    let read: Map<string, ProductForPricing> | null = null
    const work = async (trx: Trx): Promise<PostResult> => {
      const at = ctx.now()
      const receiptId = newId('rct')
      const row: ReceiptsTable = {
        id: receiptId, store_id: store.id, till: input.till ?? null, receipt_no: input.receiptNo, kind: 'sale', status: 'posted',
        original_receipt_id: null, original_receipt_no: null, member_id: member?.id ?? null, business_at: businessAt, business_date: local.date,
        total: input.total, eligible_amount: 0, points_earned: 0, points_used: pointsTender?.points ?? 0, line_count: input.lines.length,
        // Staff sell at the console's till screen, as a till does (returns and desks are 'console').
        cashier: input.cashier ?? null, source: options.source ?? (actor.kind === 'system' ? 'import' : 'till'),
        import_id: options.importId ?? null, payload_hash: hash, result: null, pending_payload: null, created_at: at,
      }
      await claimReceipt(trx, row)
      read = null
      const products = ctx.cachedProducts(input.lines.map((l) => l.sku))
        ?? (read = await ensureProductsForLines(trx, input.lines.map((l) => ({ sku: l.sku, name: l.name ?? null, unitPrice: l.unitPrice, soldByWeight: l.unit === 'g' })), at))

      const cause = { receiptId, storeId: store.id, actorName: actorName(actor) }
      const account = member
        ? await loyalty.openForReceipt(trx, member.id, at, pointsTender ? { points: pointsTender.points!, today: ctx.today(), cause, field: 'tenders' } : undefined)
        : null
      const tier = account ? loyalty.effectiveTier(cfg, account) : null
      const pricing = priceBasket({
        lines: input.lines, products, tenders: input.tenders, policy: cfg.policy,
        coupons: member && couponTenders.length ? await coupons.internals.loadForBasket(trx, couponTenders.map(({ t }) => t.reference!)) : [],
        basket: { storeId: store.id, regionId: store.regionId, memberId: member?.id ?? null, memberTier: tier?.code ?? null, tiers: cfg.tiers, date: local.date },
        earn: member && earning
          ? { local, store, member: { birthday: member.birthday, tier }, rules, earnedToday: hasDayCap ? await repo.pointsEarnedOn(trx, member.id, local.date) : 0 }
          : null,
        couponBonus: earning,
      })
      pricing.outcomes.forEach((o, k) => {
        const { t, i } = couponTenders[k]!
        if (!o.ok) throw couponRefused(o, `tenders[${i}].reference`)
        if (t.amount !== o.discount) {
          throw unprocessable('COUPON_AMOUNT_MISMATCH', [{ field: `tenders[${i}].amount`, reason: `coupon ${o.code} takes ${o.discount} fen off this basket, not ${t.amount}` }])
        }
      })
      const { earned } = pricing
      const used = pricing.applied.map((o) => ({ code: o.code, name: o.name, discount: o.discount, bonusPoints: pricing.bonusByCode.get(o.code) ?? 0 }))
      if (used.length) {
        await coupons.redeemForReceipt(trx, pricing.applied.map((o, k) => ({ ...used[k]!, budgeted: o.budgeted, field: `tenders[${couponTenders[k]!.i}].reference` })), { id: receiptId, storeId: store.id, date: local.date }, at)
      }
      await repo.insertLines(trx, input.lines.map((l, i) => ({
        receipt_id: receiptId, line_no: i + 1, product_id: products.get(l.sku)?.id ?? null, sku: l.sku, quantity: l.quantity, unit: l.unit ?? 'piece',
        unit_price: l.unitPrice, discount: l.discount ?? 0, amount: l.amount, points: earned.linePoints[i] ?? 0, points_used: pricing.pointsPerLine[i] ?? 0,
        returned_quantity: 0, returned_amount: 0, returned_points: 0, refunded_points: 0, coupon_amount: pricing.couponPerLine[i] ?? 0, returned_coupon_amount: 0, original_line_no: null,
      })))
      await repo.insertTenders(trx, input.tenders.map((t, i) => ({
        receipt_id: receiptId, seq: i + 1, kind: t.kind, amount: t.amount, points: t.points ?? null, reference: t.reference ?? null,
      })))
      let tierChange: Awaited<ReturnType<typeof loyalty.awardForReceipt>> = null
      if (member && account) {
        const stats = (await facts.recordPurchases(trx, [{ memberId: member.id, businessAt, month: local.month, receipts: 1, spend: input.total, points: earned.points }])).get(member.id)!
        // The facts know the count already: the first receipt is announced without another query.
        if (stats.receiptCount === 1) await ctx.outbox?.publish(trx, 'member.firstPurchase', { memberId: member.id, storeId: store.id, receiptId, at })
        tierChange = await loyalty.awardForReceipt(trx, account, cfg, {
          receiptId, points: earned.points, businessDate: local.date, cause, qualifying: { spend12m: stats.spend12m, points12m: stats.pointsEarned12m },
        }, at)
      }
      const result: PostResult = {
        receiptId, receiptNo: input.receiptNo, storeId: store.id, kind: 'sale', status: 'posted', businessAt, total: input.total,
        points: earned.points, pointsUsed: pointsTender?.points ?? 0, member: ctx.memberSummary(cfg, member, account), explanation: earned.explanation,
        tierChange: tierChange ? { from: tierChange.fromTier, to: tierChange.toTier } : null,
        ...(used.length ? { coupons: used } : {}),
      }
      await repo.updateReceipt(trx, receiptId, { eligible_amount: earned.eligibleAmount, points_earned: earned.points, result: JSON.stringify(result) })
      if (member) await facts.addReceiptDays(trx, [receiptId])
      // A return that reached us before this sale is applied now, in the same transaction.
      const waiting = await repo.pendingReturnsOf(trx, store.id, input.receiptNo)
      for (const pending of waiting) {
        await applyWaitingReturn(trx, cfg, pending, JSON.parse(pending.pending_payload!) as ReturnInput, at)
      }
      if (waiting.length && member) result.member = ctx.memberSummary(cfg, member, await loyalty.accountOf(trx, member.id))
      return result
    }
    const after = () => {
      if (read) ctx.rememberProducts(read)
    }
    return { kind: 'sale', hash, hashFor, work, after }
  }

  return { prepareSale }
}
