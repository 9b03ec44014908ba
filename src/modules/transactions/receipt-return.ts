import type { Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, assertCan, can } from '../../shared/actor.js'
import { assertInScope as assertStoreScope, homeStoreId } from '../../shared/scope.js'
import { conflict, forbidden, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { ensureProductsForLines } from '../catalog/index.js'
import type { LoyaltyConfig } from '../loyalty/index.js'
import { badReceipt, type Prepared, type ReceiptContext, type ReceiptMember, type StoreRef } from './receipt-context.js'
import { claimReceipt, type ReceiptPosting } from './receipt-posting.js'
import { priceBasket } from './receipt-pricing.js'
import { grossOf, isMoneyTender, payloadHash, splitRefund, validateReturn, type ReturnInput, type ReturnLineInput } from './receipt-rules.js'
import * as repo from './receipts.repository.js'
import type { ReceiptLinesTable, ReceiptsTable, ReturnApprovalsTable, TenderKind } from './receipts.table.js'
import type { PostOptions, PostResult, ReturnApprovalView } from './receipts.types.js'
import type { createTillSettings } from './till-settings.service.js'

/**
 * The lines of a return of `input.lines` (or of all that is left) from a sale's lines, with its
 * shares of each line: amount, points earned, points paid with, coupons. Each share is in
 * proportion to the quantity; the return that takes the last unit takes what is left, so
 * nothing is lost to rounding. A returned line keeps the sale's unit price and carries the
 * difference to its amount as its discount, so quantity × price − discount = amount.
 */
export const planReturn = (lines: ReceiptLinesTable[], input: Pick<ReturnInput, 'lines'>, receiptId: string) => {
  const wanted: ReturnLineInput[] = input.lines ?? lines.filter((l) => l.quantity > l.returned_quantity).map((l) => ({ originalLineNo: l.line_no, quantity: l.quantity - l.returned_quantity }))
  if (wanted.length === 0) throw conflict('RETURN_NOTHING_LEFT', [{ field: 'lines', reason: 'everything on this receipt was returned already' }])
  const details: ErrorDetail[] = []
  const taken = new Map<number, number>()
  const picks = wanted.map((w, i) => {
    const line = w.originalLineNo !== undefined
      ? lines.find((l) => l.line_no === w.originalLineNo)
      : lines.find((l) => l.sku === w.sku && l.quantity - l.returned_quantity - (taken.get(l.line_no) ?? 0) >= w.quantity)
    if (!line) {
      details.push({ field: `lines[${i}]`, reason: w.originalLineNo !== undefined ? `the sale has no line ${w.originalLineNo}` : `the sale has no line of ${w.sku} with ${w.quantity} left to return` })
      return null
    }
    const left = line.quantity - line.returned_quantity - (taken.get(line.line_no) ?? 0)
    if (w.quantity > left) details.push({ field: `lines[${i}].quantity`, reason: `${w.quantity} but only ${left} of line ${line.line_no} are left to return` })
    taken.set(line.line_no, (taken.get(line.line_no) ?? 0) + w.quantity)
    return { line, quantity: w.quantity, amount: w.amount }
  })
  if (details.length) throw unprocessable('RETURN_EXCEEDS_SALE', details)

  const share = (whole: number, done: number, qty: number, line: ReceiptLinesTable, returnedSoFar: number) =>
    returnedSoFar + qty >= line.quantity ? whole - done : Math.floor((whole * qty) / line.quantity)
  const progress = new Map<number, { qty: number; amount: number; points: number; refunded: number; coupon: number }>()
  const returnLines: ReceiptLinesTable[] = []
  let total = 0
  let reversed = 0
  let refunded = 0
  let couponPaid = 0
  picks.forEach((p, i) => {
    const { line, quantity } = p!
    const prior = progress.get(line.line_no) ?? { qty: line.returned_quantity, amount: Number(line.returned_amount), points: line.returned_points, refunded: line.refunded_points, coupon: Number(line.returned_coupon_amount) }
    const amount = p!.amount ?? share(Number(line.amount), prior.amount, quantity, line, prior.qty)
    const points = share(line.points, prior.points, quantity, line, prior.qty)
    const back = share(line.points_used, prior.refunded, quantity, line, prior.qty)
    const coupon = share(Number(line.coupon_amount), prior.coupon, quantity, line, prior.qty)
    progress.set(line.line_no, { qty: prior.qty + quantity, amount: prior.amount + amount, points: prior.points + points, refunded: prior.refunded + back, coupon: prior.coupon + coupon })
    total += amount
    reversed += points
    refunded += back
    couponPaid += coupon
    const unitPrice = Number(line.unit_price)
    returnLines.push({
      receipt_id: receiptId, line_no: i + 1, product_id: line.product_id, sku: line.sku, quantity, unit: line.unit, unit_price: unitPrice,
      discount: Math.max(0, grossOf(quantity, unitPrice, line.unit) - amount), amount, points, points_used: back, returned_quantity: 0, returned_amount: 0, returned_points: 0, refunded_points: 0,
      coupon_amount: coupon, returned_coupon_amount: 0, original_line_no: line.line_no,
    })
  })
  return { returnLines, progress, total, reversed, refunded, couponPaid }
}

const toApproval = (r: ReturnApprovalsTable): ReturnApprovalView => ({
  id: r.id, storeId: r.store_id, receiptNo: r.receipt_no, originalReceiptId: r.original_receipt_id, originalReceiptNo: r.original_receipt_no, memberId: r.member_id,
  total: Number(r.total), reason: r.reason, note: r.note, lines: (JSON.parse(r.request) as ReturnInput).lines ?? [], status: r.status, requestedBy: r.requested_by,
  decidedBy: r.decided_by, decidedAt: r.decided_at, decisionNote: r.decision_note, returnReceiptId: r.return_receipt_id, createdAt: r.created_at,
})

const awaiting = (r: ReturnApprovalsTable, businessAt: string): PostResult => ({
  receiptId: r.id, receiptNo: r.receipt_no, storeId: r.store_id, kind: 'return', status: 'awaiting_approval', businessAt, total: Number(r.total),
  points: 0, pointsUsed: 0, member: null, explanation: [], tierChange: null, approvalId: r.id,
})

const decided = () => conflict('RETURN_APPROVAL_DECIDED', [{ field: 'id', reason: 'already decided' }])

/**
 * The return: of a sale (its shares of points, coupons and money given back), without its sale
 * (a POS export's cancellation), before its sale (kept pending), and a desk's return above the
 * chain's limit (a request a store manager approves or rejects).
 */
export const createReceiptReturn = (ctx: ReceiptContext, posting: ReceiptPosting, tillSettings: ReturnType<typeof createTillSettings>) => {
  const { db, engine, clock, loyalty, coupons, members, audit, facts } = ctx

  /**
   * Applies a return to its original sale inside `trx`: the lines' points are reversed (the
   * balance may go negative) and points that paid for them are given back.
   */
  const applyReturn = async (trx: Trx, cfg: LoyaltyConfig, row: ReceiptsTable, input: ReturnInput, at: string): Promise<PostResult> => {
    let original = await repo.findReceiptByNo(trx, row.store_id, input.originalReceiptNo!)
    if (original && original.kind !== 'sale') throw badReceipt([{ field: 'originalReceiptNo', reason: 'names a return, not a sale' }])
    if (!original || original.status !== 'posted') {
      // The sale has not reached us yet (an offline till): keep the return until it does.
      const result: PostResult = {
        receiptId: row.id, receiptNo: row.receipt_no, storeId: row.store_id, kind: 'return', status: 'pending', businessAt: row.business_at,
        total: 0, points: 0, pointsUsed: 0, member: null, explanation: [], tierChange: null,
      }
      await repo.updateReceipt(trx, row.id, { status: 'pending', pending_payload: JSON.stringify(input), result: JSON.stringify(result) })
      return result
    }
    // Two returns of one sale must see each other's returned quantities.
    if (engine === 'postgres') original = await repo.lockReceipt(trx, original.id)
    const lines = await repo.linesOf(trx, original.id)
    const { returnLines, progress, total, reversed, refunded, couponPaid } = planReturn(lines, input, row.id)
    await repo.insertLines(trx, returnLines)
    // How the refund is paid: money back to the sale's own tenders (less what earlier returns gave),
    // points at the value they paid, the coupons' share kept; recorded as the return's tenders.
    const saleTenders = await repo.tendersOf(trx, original.id)
    const earlier = await repo.refundTendersOf(trx, original.id)
    const pointsTender = saleTenders.find((t) => t.kind === 'points' && t.points)
    const money = saleTenders.filter((t) => isMoneyTender(t.kind))
    const refundedBy = (kind: TenderKind, reference: string | null) => earlier
      .filter((e) => e.kind === kind && (e.reference ?? null) === (reference ?? null)).reduce((a, e) => a + Number(e.amount), 0)
    const refund = splitRefund({
      total, couponShare: couponPaid, pointsBack: refunded,
      pointValueFen: pointsTender ? Number(pointsTender.amount) / Number(pointsTender.points) : cfg.policy.pointValueFen,
      tenders: money.map((t) => ({ kind: t.kind, reference: t.reference, amount: Number(t.amount), refunded: refundedBy(t.kind, t.reference) })),
    })
    const refundTenders = [
      ...refund.tenders.map((t) => ({ kind: t.kind, amount: t.amount, points: null as number | null, reference: t.reference })),
      ...(refund.pointsBack > 0 ? [{ kind: 'points' as const, amount: refund.pointsValue, points: refund.pointsBack, reference: null }] : []),
      ...(refund.couponShare > 0 ? [{ kind: 'coupon' as const, amount: refund.couponShare, points: null, reference: null }] : []),
    ]
    await repo.insertTenders(trx, refundTenders.map((t, i) => ({ receipt_id: row.id, seq: i + 1, ...t })))
    for (const [lineNo, p] of progress) await repo.setLineReturned(trx, original.id, lineNo, p)
    // Coupons come back only when nothing of the sale is left (and their template says so).
    const everything = lines.every((l) => (progress.get(l.line_no)?.qty ?? l.returned_quantity) >= l.quantity)
    const memberId = original.member_id
    const local = loyalty.localParts(row.business_at)
    const account = memberId ? await loyalty.openForReceipt(trx, memberId, at) : null
    // After the account's lock, as a sale takes them (account, then coupons and their template),
    // so a return and a sale of one member never wait on each other's locks on PostgreSQL.
    const restored = everything ? await coupons.restoreForReceipt(trx, original.id, local.date, at) : []
    if (memberId && account) {
      await loyalty.reverseForReturn(trx, account, cfg, {
        reversed, refunded, saleReceiptId: original.id, businessDate: local.date, cause: { receiptId: row.id, storeId: row.store_id, reference: original.id },
      }, at)
      await facts.recordPurchases(trx, [{ memberId, businessAt: row.business_at, month: local.month, receipts: 0, spend: -total, points: -reversed }])
    }
    const member = memberId ? await members.internals.resolve(trx, { id: memberId }) ?? null : null
    const result: PostResult = {
      receiptId: row.id, receiptNo: row.receipt_no, storeId: row.store_id, kind: 'return', status: 'posted', businessAt: row.business_at, total,
      points: reversed, pointsUsed: refunded, member: ctx.memberSummary(cfg, member, account), explanation: [], tierChange: null,
      ...(restored.length ? { coupons: restored.map((c) => ({ ...c, discount: 0, bonusPoints: 0 })) } : {}),
      ...(couponPaid > 0 ? { couponAmount: couponPaid } : {}),
      refund,
    }
    await repo.updateReceipt(trx, row.id, {
      status: 'posted', original_receipt_id: original.id, member_id: memberId, total, points_earned: reversed, points_used: refunded,
      line_count: returnLines.length, pending_payload: null, result: JSON.stringify(result),
    })
    if (memberId) await facts.addReceiptDays(trx, [row.id])
    return result
  }

  /** A return without its sale (a POS export's cancellation): reverses what its lines would have earned. */
  const applyStandaloneReturn = async (trx: Trx, cfg: LoyaltyConfig, row: ReceiptsTable, input: ReturnInput, member: ReceiptMember | null, store: StoreRef, at: string, awardPoints: boolean): Promise<PostResult> => {
    const lines = input.lines!.map((l) => ({ sku: l.sku!, quantity: l.quantity, unit: l.unit ?? 'piece' as const, unitPrice: l.unitPrice!, amount: l.amount! }))
    const products = await ensureProductsForLines(trx, lines.map((l) => ({ sku: l.sku, unitPrice: l.unitPrice, soldByWeight: l.unit === 'g' })), at)
    const local = loyalty.localParts(row.business_at)
    const total = lines.reduce((a, l) => a + l.amount, 0)
    let reversed = 0
    let linePoints = lines.map(() => 0)
    const account = member ? await loyalty.openForReceipt(trx, member.id, at) : null
    if (member && account) {
      if (awardPoints) {
        const tier = loyalty.effectiveTier(cfg, account)
        // What the lines would have earned, without the day's caps (the sale's day is not known).
        const { earned } = priceBasket({
          lines, products, coupons: [], tenders: [], policy: cfg.policy, couponBonus: false,
          basket: { storeId: store.id, regionId: store.regionId, memberId: member.id, memberTier: tier?.code ?? null, tiers: cfg.tiers, date: local.date },
          earn: { local, store, member: { birthday: member.birthday, tier }, rules: loyalty.rulesAt(cfg, row.business_at).filter((r) => r.definition.kind !== 'cap'), earnedToday: 0 },
        })
        reversed = earned.points
        linePoints = earned.linePoints
        await loyalty.reverseForReturn(trx, account, cfg, { reversed, refunded: 0, saleReceiptId: null, businessDate: local.date, cause: { receiptId: row.id, storeId: store.id } }, at)
      }
      await facts.recordPurchases(trx, [{ memberId: member.id, businessAt: row.business_at, month: local.month, receipts: 0, spend: -total, points: -reversed }])
    }
    await repo.insertLines(trx, lines.map((l, i): ReceiptLinesTable => ({
      receipt_id: row.id, line_no: i + 1, product_id: products.get(l.sku)?.id ?? null, sku: l.sku, quantity: l.quantity, unit: l.unit,
      unit_price: l.unitPrice, discount: 0, amount: l.amount, points: linePoints[i] ?? 0, points_used: 0,
      returned_quantity: 0, returned_amount: 0, returned_points: 0, refunded_points: 0, coupon_amount: 0, returned_coupon_amount: 0, original_line_no: null,
    })))
    const result: PostResult = {
      receiptId: row.id, receiptNo: row.receipt_no, storeId: store.id, kind: 'return', status: 'posted', businessAt: row.business_at, total,
      points: reversed, pointsUsed: 0, member: ctx.memberSummary(cfg, member, account), explanation: [], tierChange: null,
    }
    await repo.updateReceipt(trx, row.id, { total, points_earned: reversed, line_count: lines.length, result: JSON.stringify(result) })
    if (member) await facts.addReceiptDays(trx, [row.id])
    return result
  }

  const prepareReturn = async (actor: Actor, input: ReturnInput, options: PostOptions = {}): Promise<Prepared> => {
    assertCan(actor, 'receipts.return')
    const cfg = await loyalty.config()
    const store = await ctx.storeFor(actor, input.storeId)
    const details = validateReturn(input, clock.now())
    if (details.length) throw badReceipt(details)
    // A desk says why goods came back; a till's own system and history imports keep theirs.
    if (actor.kind === 'staff' && options.source !== 'import' && !input.reason) throw badReceipt([{ field: 'reason', reason: 'say why the goods come back' }], 'RETURN_REASON_REQUIRED')
    const standalone = input.originalReceiptNo == null
    const member = standalone ? await ctx.resolveMember(db, input.member) : null
    const hashFor = (memberId: string | null) => payloadHash({ ...input, storeId: store.id, member: memberId })
    const hash = hashFor(member?.id ?? null)
    const businessAt = new Date(input.businessAt).toISOString()
    const local = loyalty.localParts(businessAt)
    const work = async (trx: Trx): Promise<PostResult> => {
      const at = ctx.now()
      const row: ReceiptsTable = {
        id: newId('rct'), store_id: store.id, till: input.till ?? null, receipt_no: input.receiptNo, kind: 'return', status: 'posted',
        original_receipt_id: null, original_receipt_no: input.originalReceiptNo ?? null, member_id: member?.id ?? null, business_at: businessAt,
        business_date: local.date, total: 0, eligible_amount: 0, points_earned: 0, points_used: 0, line_count: 0, cashier: input.cashier ?? null,
        source: options.source ?? (actor.kind === 'pos' ? 'till' : actor.kind === 'staff' ? 'console' : 'import'), import_id: options.importId ?? null,
        payload_hash: hash, result: null, pending_payload: null, created_at: at,
        return_reason: input.reason ?? null, return_note: input.reasonNote?.trim() || null, approved_by: options.approvedBy ?? null,
      }
      await claimReceipt(trx, row)
      return standalone
        ? applyStandaloneReturn(trx, cfg, row, input, member, store, at, options.awardPoints !== false)
        : applyReturn(trx, cfg, row, input, at)
    }
    return { kind: 'return', hash, hashFor, work, after: () => {} }
  }

  /**
   * A desk return above the chain's limit, taken by someone who may not approve it, becomes a
   * request for a store manager and moves nothing; null when the return may be posted now. The
   * request is kept under the return's own number, so a resend finds it.
   */
  const holdForApproval = async (actor: Actor, input: ReturnInput): Promise<{ result: PostResult; replayed: boolean } | null> => {
    if (actor.kind !== 'staff') return null
    if (input.originalReceiptNo == null) {
      // Without its sale there is nothing to check the refund against: above the (store's) limit it is a manager's to take.
      const { returnApprovalAbove: limit } = await tillSettings.forStore((input.storeId ?? homeStoreId(actor)) || null)
      const total = (input.lines ?? []).reduce((a, l) => a + (l.amount ?? 0), 0)
      if (limit !== null && total > limit && !can(actor, 'receipts.approve_returns')) {
        throw forbidden('RETURN_APPROVAL_REQUIRED', [{ field: 'originalReceiptNo', reason: `a return without its sale refunding more than ${limit} fen is for a store manager to take` }])
      }
      return null
    }
    const store = await ctx.storeFor(actor, input.storeId)
    const request: ReturnInput = { ...input, storeId: store.id }
    const hash = payloadHash(request)
    const businessAt = new Date(input.businessAt).toISOString()
    const existing = await repo.findApprovalByNo(db, store.id, input.receiptNo)
    if (existing) {
      if (existing.payload_hash !== hash) throw conflict('RECEIPT_NUMBER_REUSED', [{ field: 'receiptNo', reason: `this store already has a return request numbered ${input.receiptNo} with other content` }])
      if (existing.status === 'approved') return null
      if (existing.status === 'rejected') throw conflict('RETURN_REJECTED', [{ field: 'receiptNo', reason: `a store manager refused this return${existing.decision_note ? `: ${existing.decision_note}` : ''}` }])
      return { result: awaiting(existing, businessAt), replayed: true }
    }
    if (can(actor, 'receipts.approve_returns')) return null
    // The store's own limit, where HQ lets stores set one.
    const { returnApprovalAbove: limit } = await tillSettings.forStore(store.id)
    if (limit === null) return null
    if (await repo.receiptIdByNo(db, store.id, input.receiptNo)) return null
    const original = await repo.findReceiptByNo(db, store.id, input.originalReceiptNo)
    // A sale not here yet (or not a sale): the return is kept or refused as any other.
    if (!original || original.kind !== 'sale' || original.status !== 'posted') return null
    const plan = planReturn(await repo.linesOf(db, original.id), input, '')
    if (plan.total <= limit) return null
    const row: ReturnApprovalsTable = {
      id: newId('rta'), store_id: store.id, receipt_no: input.receiptNo, original_receipt_id: original.id, original_receipt_no: original.receipt_no,
      member_id: original.member_id, total: plan.total, request: JSON.stringify(request), payload_hash: hash, reason: input.reason ?? 'other',
      note: input.reasonNote?.trim() || null, status: 'pending', requested_by: actorName(actor), decided_by: null, decided_at: null, decision_note: null,
      return_receipt_id: null, created_at: ctx.now(),
    }
    // Pressed twice at once: the other press made the request.
    if (!(await repo.insertApprovalUnlessNumbered(db, row))) return holdForApproval(actor, input)
    return { result: awaiting(row, businessAt), replayed: false }
  }

  const postReturn = async (actor: Actor, input: ReturnInput, options: PostOptions = {}): Promise<{ result: PostResult; replayed: boolean }> => {
    const prepared = await prepareReturn(actor, input, options)
    return (await holdForApproval(actor, input)) ?? posting.run(prepared)
  }

  const approval = async (actor: Actor, id: string): Promise<ReturnApprovalsTable> => {
    assertCan(actor, 'receipts.approve_returns')
    const row = await repo.findApprovalById(db, id)
    if (!row) throw notFound('RETURN_APPROVAL_NOT_FOUND', [{ field: 'id', reason: 'no such return request' }])
    assertStoreScope(actor, row.store_id, 'return')
    if (row.status !== 'pending') throw conflict('RETURN_APPROVAL_DECIDED', [{ field: 'id', reason: `already ${row.status}` }])
    return row
  }

  /** A store manager approves a desk return: it is posted now, as the desk asked it, naming the manager. */
  const approveReturn = async (actor: Actor, id: string, note?: string): Promise<{ approval: ReturnApprovalView; result: PostResult }> => {
    const row = await approval(actor, id)
    const input = JSON.parse(row.request) as ReturnInput
    const prepared = await prepareReturn(actor, input, { source: 'console', approvedBy: actorName(actor) })
    const post = prepared.work
    prepared.work = async (trx) => {
      const result = await post(trx)
      const done = await repo.decidePendingApproval(trx, id, {
        status: 'approved', decided_by: actorName(actor), decided_at: ctx.now(), decision_note: note?.trim() || null, return_receipt_id: result.receiptId,
      })
      if (!done) throw decided()
      await audit?.record(trx, actor, { action: 'return.approve', entityType: 'receipt', entityId: result.receiptId, storeId: row.store_id, changes: { total: { from: null, to: result.total } } })
      return result
    }
    const { result } = await posting.run(prepared)
    return { approval: toApproval((await repo.findApprovalById(db, id))!), result }
  }

  /** A store manager refuses a desk return: nothing moves, the desk is told why. */
  const rejectReturn = async (actor: Actor, id: string, note?: string): Promise<ReturnApprovalView> => {
    const row = await approval(actor, id)
    return db.transaction().execute(async (trx) => {
      const done = await repo.decidePendingApproval(trx, id, { status: 'rejected', decided_by: actorName(actor), decided_at: ctx.now(), decision_note: note?.trim() || null })
      if (!done) throw decided()
      await audit?.record(trx, actor, { action: 'return.reject', entityType: 'return_request', entityId: id, storeId: row.store_id, changes: { note: { from: null, to: note?.trim() || null } } })
      return toApproval((await repo.findApprovalById(trx, id))!)
    })
  }

  /** Desk returns waiting for (or decided by) a store manager, newest first; store roles see their store. */
  const listReturnApprovals = async (actor: Actor, filter: { status?: 'pending' | 'approved' | 'rejected'; limit?: number }): Promise<ReturnApprovalView[]> => {
    assertCan(actor, 'receipts.read')
    return (await repo.findApprovals(db, actor, { status: filter.status, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200) })).map(toApproval)
  }

  return { prepareReturn, applyReturn, postReturn, approveReturn, rejectReturn, listReturnApprovals }
}
