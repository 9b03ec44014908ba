import { LRUCache } from 'lru-cache'
import type { Db, Engine, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, assertCan, assertStoreScope, can, scopedStoreId } from '../../shared/actor.js'
import { assertInScope, scopeToStore, storeFilterFor } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import { conflict, DomainError, forbidden, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { dateIn } from '../../shared/time.js'
import { ensureProductsForLines, findProductsBySkus, type ProductForPricing } from '../catalog/index.js'
import {
  apportion, computeEarn, expiresOnFor, ledger, recordPurchase,
  type EarnExplanation, type EarnLine, type LoyaltyConfig, type LoyaltyService, type TierChange,
} from '../loyalty/index.js'
import type { AuditService } from '../audit/index.js'
import type { MergeHook, MembersService } from '../members/index.js'
import { evaluateCoupons, multiplierBonus, type BasketLine, type CouponOutcome, type CouponsService, type RefusalFacts } from '../rewards/index.js'
import type { MembersTable } from '../members/members.table.js'
import {
  grossOf, isMoneyTender, payloadHash, splitRefund, validateReturn, validateSale, type MemberRef, type Refund, type ReturnInput, type ReturnLineInput, type SaleInput,
} from './receipt-rules.js'
import type { ReceiptLinesTable, ReceiptSource, ReceiptsTable, ReturnApprovalsTable, TenderKind } from './receipts.table.js'
import { checkTillSettings, DEFAULT_TILL_SETTINGS, type TillSettings } from './till-settings.js'

export interface PostedMember {
  id: string
  cardNo: string
  balance: number
  negative: boolean
  tier: { code: string; name: string } | null
}

export interface PostResult {
  receiptId: string
  receiptNo: string
  storeId: string
  kind: 'sale' | 'return'
  /** pending: a return waiting for its sale; awaiting_approval: a desk return waiting for a store manager */
  status: 'posted' | 'pending' | 'awaiting_approval'
  businessAt: string
  total: number
  /** a sale: earned; a return: reversed */
  points: number
  /** a sale: paid with points; a return: given back */
  pointsUsed: number
  member: PostedMember | null
  explanation: EarnExplanation[]
  tierChange: { from: string | null; to: string } | null
  /** a sale: the coupons it used; a return: the coupons it gave back */
  coupons?: Array<{ code: string; name: string; discount: number; bonusPoints: number }>
  /** a return: fen of its total that coupons had paid, not money to give back */
  couponAmount?: number
  /** a return: how its total is paid back (money to each tender of the sale, points, the coupons' share kept) */
  refund?: Refund
  /** a return waiting for a store manager */
  approvalId?: string
}

export interface ReturnApprovalView {
  id: string
  storeId: string
  receiptNo: string
  originalReceiptId: string
  originalReceiptNo: string
  memberId: string | null
  total: number
  reason: string
  note: string | null
  lines: ReturnLineInput[]
  status: 'pending' | 'approved' | 'rejected'
  requestedBy: string
  decidedBy: string | null
  decidedAt: string | null
  decisionNote: string | null
  returnReceiptId: string | null
  createdAt: string
}

export interface PostOptions {
  source?: ReceiptSource
  importId?: string | null
  /** history imports may skip points altogether */
  awardPoints?: boolean
  /** a return a store manager approved: who */
  approvedBy?: string
}

export interface QuoteInput {
  storeId?: string
  member?: MemberRef | null
  businessAt?: string
  lines: Array<{ sku: string; quantity: number; unit?: 'piece' | 'g'; unitPrice?: number }>
  pointsToUse?: number
  /** coupon codes (or QR payloads) the member offers, in the order they apply */
  coupons?: string[]
}

export interface QuoteCoupon {
  code: string
  ok: boolean
  templateId: string | null
  name: string | null
  kind: string | null
  discount: number
  bonusPoints: number
  /** why it does not apply: a code (expired, below_threshold, not_stackable, …), a sentence and its figures */
  refusal: string | null
  reason: string | null
  facts: RefusalFacts | null
}

export interface UsableCoupon extends QuoteCoupon {
  validTo: string
}

export interface QuoteLine {
  sku: string
  name: string
  quantity: number
  unit: 'piece' | 'g'
  listPrice: number
  unitPrice: number
  memberPriceApplied: boolean
  amount: number
  savings: number
  points: number
}

export interface Quote {
  lines: QuoteLine[]
  total: number
  savings: number
  points: number
  explanation: EarnExplanation[]
  member: PostedMember | null
  /** points the member may pay with on this basket, and what they are worth */
  usablePoints: number
  usableValue: number
  /** the coupons asked for, applied in order or refused with the reason */
  coupons: QuoteCoupon[]
  couponDiscount: number
  /** total − coupons − points: what is left to pay */
  toPay: number
  /** the member's unused coupons, each tried alone on this basket */
  usableCoupons: UsableCoupon[]
}

export interface ReceiptView {
  id: string
  storeId: string
  storeCode: string | null
  storeName: string | null
  till: string | null
  receiptNo: string
  kind: 'sale' | 'return'
  status: 'posted' | 'pending'
  originalReceiptId: string | null
  originalReceiptNo: string | null
  memberId: string | null
  businessAt: string
  businessDate: string
  total: number
  points: number
  pointsUsed: number
  source: ReceiptSource
  cashier: string | null
  /** the member, masked as lists show them */
  memberName: string | null
  memberCardNo: string | null
  returnReason: string | null
  returnNote: string | null
  approvedBy: string | null
  lines: Array<{ lineNo: number; sku: string; name: string | null; quantity: number; unit: 'piece' | 'g'; unitPrice: number; discount: number; amount: number; points: number; returnedQuantity: number; originalLineNo: number | null }>
  tenders: Array<{ kind: TenderKind; amount: number; points: number | null; reference: string | null }>
}

export interface ReceiptsDeps {
  db: Db
  engine: Engine
  clock: Clock
  timezone: string
  members: MembersService
  loyalty: LoyaltyService
  coupons: CouponsService
  events?: EventBus
  /** records changes of the till settings and decisions on returns */
  audit?: AuditService
}

interface Prepared {
  kind: 'sale' | 'return'
  hash: string
  /** the digest as it would be for another member (a resend after the member's merge) */
  hashFor: (memberId: string | null) => string
  work: (trx: Trx) => Promise<PostResult>
  /** announcements once committed */
  after: () => void
}

/** Thrown inside a transaction to roll it back when the receipt number was already taken. */
class AlreadyPosted extends Error {
  constructor(readonly existing: ReceiptsTable) { super('already posted') }
}

const STORE_CACHE_MS = 60_000
/** How long a till trusts the products it has read (another process's catalogue change shows within it). */
const PRODUCT_CACHE_MS = 5_000
/** The most receipts one group commit carries. */
const GROUP_COMMIT_MAX = 50

const badReceipt = (details: ErrorDetail[], code = 'VALIDATION') => unprocessable(code, details)

/** A coupon the basket cannot use: used or voided is a conflict (another till was first), the rest are unprocessable. */
const couponRefused = (o: Extract<CouponOutcome, { ok: false }>, field: string) =>
  o.refusal === 'used' || o.refusal === 'voided' || o.refusal === 'budget_exhausted'
    ? conflict(o.refusal === 'budget_exhausted' ? 'COUPON_BUDGET_EXHAUSTED' : 'COUPON_ALREADY_USED', [{ field, reason: o.reason }])
    : unprocessable(o.refusal === 'not_found' ? 'COUPON_NOT_FOUND' : 'COUPON_NOT_APPLICABLE', [{ field, reason: o.reason }])

const toQuoteCoupon = (o: CouponOutcome, bonusPoints = 0): QuoteCoupon => o.ok
  ? { code: o.code, ok: true, templateId: o.templateId, name: o.name, kind: o.kind, discount: o.discount, bonusPoints, refusal: null, reason: null, facts: null }
  : { code: o.code, ok: false, templateId: o.templateId, name: o.name, kind: null, discount: 0, bonusPoints: 0, refusal: o.refusal, reason: o.reason, facts: o.facts }

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

export const createReceiptsService = ({ db, engine, clock, timezone, members, loyalty, coupons, events, audit }: ReceiptsDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)

  // Every receipt names its store; stores change rarely (a region move shows within a minute).
  const stores = new LRUCache<string, { id: string; regionId: string | null }>({ max: 10_000, ttl: STORE_CACHE_MS })
  const storeFor = async (actor: Actor, storeId: string | undefined): Promise<{ id: string; regionId: string | null }> => {
    // A till and a store's staff post for their own store unless they say otherwise (and may not).
    const id = actor.kind === 'pos' ? actor.storeId : storeId ?? scopedStoreId(actor) ?? undefined
    if (actor.kind === 'pos' && storeId !== undefined && storeId !== actor.storeId) {
      throw forbidden('OUT_OF_STORE_SCOPE', [{ field: 'storeId', reason: 'a till posts for its own store' }])
    }
    if (!id) throw badReceipt([{ field: 'storeId', reason: 'required' }])
    assertStoreScope(actor, id, 'store')
    const cached = stores.get(id)
    if (cached) return cached
    const row = await db.selectFrom('stores').select(['id', 'region_id']).where('id', '=', id).executeTakeFirst()
    if (!row) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    const store = { id: row.id, regionId: row.region_id }
    stores.set(id, store)
    return store
  }

  // The products of receipts lately committed, by SKU, so a till's sale of known goods reads none.
  // Only what was read from the database is kept (never what a cache hit returned, or what a
  // transaction that rolled back created); a change of the catalogue here empties it.
  const productCache = new LRUCache<string, ProductForPricing>({ max: 100_000, ttl: PRODUCT_CACHE_MS })
  events?.on('catalog.changed', () => productCache.clear())
  events?.on('store.changed', () => stores.clear())
  const cachedProducts = (skus: string[]): Map<string, ProductForPricing> | null => {
    const out = new Map<string, ProductForPricing>()
    for (const sku of skus) {
      const product = productCache.get(sku)
      if (!product) return null
      out.set(sku, product)
    }
    return out
  }
  const rememberProducts = (products: Map<string, ProductForPricing>) => {
    for (const [sku, product] of products) productCache.set(sku, product)
  }

  // `meterFor`: a quote answers whether a phone is a member, so it counts like a member lookup.
  const resolveMember = async (conn: Db | Trx, ref: MemberRef | null | undefined, meterFor?: Actor): Promise<MembersTable | null> => {
    if (!ref) return null
    const row = await members.internals.resolve(conn, ref, meterFor)
    if (!row) throw unprocessable('MEMBER_NOT_FOUND', [{ field: 'member', reason: 'no member with this id, card, phone or code' }])
    return row
  }

  const memberSummary = (cfg: LoyaltyConfig, member: MembersTable | null, account: { balance: number; tier_code: string | null } | null): PostedMember | null => {
    if (!member) return null
    const tier = loyalty.effectiveTier(cfg, account ?? undefined)
    const balance = account?.balance ?? 0
    return { id: member.id, cardNo: member.card_no, balance, negative: balance < 0, tier: tier ? { code: tier.code, name: tier.name } : null }
  }

  const earnLines = (lines: Array<{ sku: string; amount: number }>, products: Map<string, ProductForPricing>): EarnLine[] =>
    lines.map((l) => {
      const p = products.get(l.sku)
      return {
        sku: l.sku, amount: l.amount, department: p?.department ?? null, category: p?.category ?? null, subcategory: p?.subcategory ?? null,
        brand: p?.brand ?? null, pointsEligible: p?.pointsEligible ?? true,
      }
    })

  const basketLines = (lines: Array<{ sku: string; amount: number; quantity: number; unit?: 'piece' | 'g'; unitPrice: number }>, products: Map<string, ProductForPricing>): BasketLine[] =>
    earnLines(lines, products).map((l, i) => ({ ...l, quantity: lines[i]!.quantity, unit: lines[i]!.unit ?? 'piece', unitPrice: lines[i]!.unitPrice }))

  /** Adds a multiplier coupon's bonus to the earned points, per line and in the explanation. */
  const addCouponBonus = (earned: { points: number; linePoints: number[]; explanation: EarnExplanation[] }, outcomes: CouponOutcome[]): Map<string, number> => {
    const bonusByCode = new Map<string, number>()
    for (const o of outcomes) {
      if (!o.ok || o.multiplierPct <= 100) continue
      const bonus = multiplierBonus(o, earned.linePoints)
      const sum = bonus.reduce((a: number, b: number) => a + b, 0)
      bonusByCode.set(o.code, sum)
      if (sum <= 0) continue
      earned.linePoints = earned.linePoints.map((p, i) => p + bonus[i]!)
      earned.points += sum
      earned.explanation.push({ ruleId: null, name: o.name, kind: 'coupon', points: sum })
    }
    return bonusByCode
  }

  const earnedOn = async (trx: Trx, memberId: string, businessDate: string): Promise<number> => {
    const row = await trx.selectFrom('receipts').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points_earned'), eb.lit(0)).as('p'))
      .where('member_id', '=', memberId).where('business_date', '=', businessDate).where('kind', '=', 'sale').executeTakeFirstOrThrow()
    return Number(row.p)
  }

  /** Claims the receipt number; a taken number aborts the transaction with the existing receipt. */
  const claim = async (trx: Trx, row: ReceiptsTable): Promise<void> => {
    const inserted = await trx.insertInto('receipts').values(row)
      .onConflict((oc) => oc.columns(['store_id', 'receipt_no']).doNothing()).returning('id').executeTakeFirst()
    if (!inserted) {
      const existing = await trx.selectFrom('receipts').selectAll().where('store_id', '=', row.store_id).where('receipt_no', '=', row.receipt_no).executeTakeFirstOrThrow()
      throw new AlreadyPosted(existing)
    }
  }

  /**
   * The stored receipt is this one posted for a member since merged into the one the resend
   * names: the merge moved the receipt to the survivor, but its digest holds the id it was
   * posted for.
   */
  const postedForMerged = async (existing: ReceiptsTable, prepared: Prepared): Promise<boolean> => {
    if (existing.member_id === null) return false
    const merged = await db.selectFrom('members').select('id').where('merged_into_id', '=', existing.member_id).execute()
    return merged.some((m) => prepared.hashFor(m.id) === existing.payload_hash)
  }

  const replay = async (existing: ReceiptsTable, prepared: Prepared): Promise<PostResult> => {
    if (existing.kind !== prepared.kind || (existing.payload_hash !== prepared.hash && !(await postedForMerged(existing, prepared)))) {
      throw conflict('RECEIPT_NUMBER_REUSED', [{ field: 'receiptNo', reason: `this store already has ${existing.kind === 'sale' ? 'a sale' : 'a return'} numbered ${existing.receipt_no} with other content` }])
    }
    return JSON.parse(existing.result!) as PostResult
  }

  /** Runs a posting in its own transaction; a resend gets the first result back. */
  const once = async (prepared: Prepared): Promise<{ result: PostResult; replayed: boolean }> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return { result: await db.transaction().execute(prepared.work), replayed: false }
      } catch (err) {
        if (err instanceof AlreadyPosted) return { result: await replay(err.existing, prepared), replayed: true }
        // On PostgreSQL a racing insert of the same number can surface as a unique violation.
        if (attempt < 3 && isUniqueViolation(err, 'receipts_store_no_uq')) continue
        throw err
      }
    }
  }

  /**
   * Everything that can be checked before the transaction (shape, arithmetic, store, member),
   * and the work to do inside it. The work may run alone or among many (postMany).
   */
  const prepareSale = async (actor: Actor, input: SaleInput, options: PostOptions = {}): Promise<Prepared> => {
    assertCan(actor, 'receipts.post')
    const cfg = await loyalty.config()
    const store = await storeFor(actor, input.storeId)
    const { details, mismatch } = validateSale(input, clock.now(), cfg.policy.pointValueFen)
    // A well-formed receipt whose sums disagree says so by its code; any other problem is plain validation.
    if (details.length) throw badReceipt(details, mismatch ? 'RECEIPT_TOTAL_MISMATCH' : 'VALIDATION')
    const member = await resolveMember(db, input.member)
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

    let tierChange: TierChange | null = null
    let read: Map<string, ProductForPricing> | null = null
    const work = async (trx: Trx): Promise<PostResult> => {
      const at = now()
      const receiptId = newId('rct')
      tierChange = null
      const row: ReceiptsTable = {
        id: receiptId, store_id: store.id, till: input.till ?? null, receipt_no: input.receiptNo, kind: 'sale', status: 'posted',
        original_receipt_id: null, original_receipt_no: null, member_id: member?.id ?? null, business_at: businessAt, business_date: local.date,
        total: input.total, eligible_amount: 0, points_earned: 0, points_used: pointsTender?.points ?? 0, line_count: input.lines.length,
        // Staff sell at the console's till screen, as a till does (返回 and desks are 'console').
        cashier: input.cashier ?? null, source: options.source ?? (actor.kind === 'system' ? 'import' : 'till'),
        import_id: options.importId ?? null, payload_hash: hash, result: null, pending_payload: null, created_at: at,
      }
      await claim(trx, row)
      read = null
      const products = cachedProducts(input.lines.map((l) => l.sku))
        ?? (read = await ensureProductsForLines(trx, input.lines.map((l) => ({ sku: l.sku, name: l.name ?? null, unitPrice: l.unitPrice, soldByWeight: l.unit === 'g' })), at))

      let account: Awaited<ReturnType<typeof ledger.lockAccount>> | null = null
      let earned = { points: 0, eligibleAmount: 0, linePoints: input.lines.map(() => 0), explanation: [] as EarnExplanation[] }
      const cause = { receiptId, storeId: store.id, actorName: actorName(actor) }
      let used: NonNullable<PostResult['coupons']> = []
      let couponOutcomes: Array<Extract<CouponOutcome, { ok: true }>> = []
      if (member) {
        account = await ledger.lockAccount(trx, member.id, at)
        if (pointsTender) await ledger.spend(trx, account, 'spend', pointsTender.points!, today(), cause, at, 'tenders')
        let outcomes: CouponOutcome[] = []
        if (couponTenders.length) {
          const loaded = await coupons.internals.loadForBasket(trx, couponTenders.map(({ t }) => t.reference!))
          outcomes = evaluateCoupons(loaded, basketLines(input.lines, products), {
            storeId: store.id, regionId: store.regionId, memberId: member.id, memberTier: loyalty.effectiveTier(cfg, account)?.code ?? null, tiers: cfg.tiers, date: local.date,
          })
          outcomes.forEach((o, k) => {
            const { t, i } = couponTenders[k]!
            if (!o.ok) throw couponRefused(o, `tenders[${i}].reference`)
            if (t.amount !== o.discount) {
              throw unprocessable('COUPON_AMOUNT_MISMATCH', [{ field: `tenders[${i}].amount`, reason: `coupon ${o.code} takes ${o.discount} fen off this basket, not ${t.amount}` }])
            }
          })
        }
        if (awardPoints && member.status === 'active') {
          const rules = loyalty.rulesAt(cfg, businessAt)
          const hasDayCap = rules.some((r) => r.definition.kind === 'cap' && r.definition.perDay !== undefined)
          earned = computeEarn({
            lines: earnLines(input.lines, products), tenders: input.tenders, local, store,
            member: { birthday: member.birthday, tier: loyalty.effectiveTier(cfg, account) }, rules,
            earnedToday: hasDayCap ? await earnedOn(trx, member.id, local.date) : 0,
          })
        }
        if (outcomes.length) {
          const bonus = awardPoints && member.status === 'active' ? addCouponBonus(earned, outcomes) : new Map<string, number>()
          const ok = outcomes.filter((o): o is Extract<CouponOutcome, { ok: true }> => o.ok)
          couponOutcomes = ok
          used = ok.map((o) => ({ code: o.code, name: o.name, discount: o.discount, bonusPoints: bonus.get(o.code) ?? 0 }))
          await coupons.internals.consume(trx, ok.map((o, k) => ({ ...used[k]!, budgeted: o.budgeted, field: `tenders[${couponTenders[k]!.i}].reference` })), { id: receiptId, storeId: store.id, date: local.date }, at)
        }
        if (earned.points > 0) await ledger.credit(trx, account, 'earn', earned.points, expiresOnFor(cfg.policy.expiry, local.date), cause, at)
      }
      const pointsPerLine = apportion(pointsTender?.points ?? 0, input.lines.map((l) => l.amount))
      // What coupons paid of each line: Patron coupons where they applied, other vouchers across the receipt.
      const voucherTotal = input.tenders.filter((t) => t.kind === 'coupon').reduce((a, t) => a + t.amount, 0) - used.reduce((a, u) => a + u.discount, 0)
      const couponPerLine = apportion(voucherTotal, input.lines.map((l) => l.amount))
      for (const o of couponOutcomes) o.lineDiscounts.forEach((d, i) => { couponPerLine[i] = (couponPerLine[i] ?? 0) + d })
      await trx.insertInto('receipt_lines').values(input.lines.map((l, i): ReceiptLinesTable => ({
        receipt_id: receiptId, line_no: i + 1, product_id: products.get(l.sku)?.id ?? null, sku: l.sku, quantity: l.quantity, unit: l.unit ?? 'piece',
        unit_price: l.unitPrice, discount: l.discount ?? 0, amount: l.amount, points: earned.linePoints[i] ?? 0, points_used: pointsPerLine[i] ?? 0,
        returned_quantity: 0, returned_amount: 0, returned_points: 0, refunded_points: 0, coupon_amount: couponPerLine[i] ?? 0, returned_coupon_amount: 0, original_line_no: null,
      }))).execute()
      await trx.insertInto('receipt_tenders').values(input.tenders.map((t, i) => ({
        receipt_id: receiptId, seq: i + 1, kind: t.kind, amount: t.amount, points: t.points ?? null, reference: t.reference ?? null,
      }))).execute()
      if (member && account) {
        const stats = await recordPurchase(trx, member.id, { businessAt, month: local.month, receipts: 1, spend: input.total, points: earned.points }, today().slice(0, 7), at)
        tierChange = await loyalty.upgradeAfterPurchase(trx, account, cfg, { spend12m: stats.spend_12m, points12m: stats.points_earned_12m }, receiptId, at)
      }
      const result: PostResult = {
        receiptId, receiptNo: input.receiptNo, storeId: store.id, kind: 'sale', status: 'posted', businessAt, total: input.total,
        points: earned.points, pointsUsed: pointsTender?.points ?? 0, member: memberSummary(cfg, member, account), explanation: earned.explanation,
        tierChange: tierChange ? { from: tierChange.fromTier, to: tierChange.toTier } : null,
        ...(used.length ? { coupons: used } : {}),
      }
      await trx.updateTable('receipts').set({ eligible_amount: earned.eligibleAmount, points_earned: earned.points, result: JSON.stringify(result) }).where('id', '=', receiptId).execute()
      // A return that reached us before this sale is applied now, in the same transaction.
      const waiting = await trx.selectFrom('receipts').selectAll().where('store_id', '=', store.id).where('original_receipt_no', '=', input.receiptNo)
        .where('status', '=', 'pending').orderBy('created_at').execute()
      for (const pending of waiting) {
        const request = JSON.parse(pending.pending_payload!) as ReturnInput
        await applyReturn(trx, cfg, pending, request, at, awardPoints)
      }
      if (waiting.length && member) {
        const after = await trx.selectFrom('points_accounts').select(['balance', 'tier_code']).where('member_id', '=', member.id).executeTakeFirstOrThrow()
        result.member = memberSummary(cfg, member, after)
      }
      return result
    }
    const after = () => {
      if (read) rememberProducts(read)
      if (member) loyalty.announceTier(member.id, tierChange)
    }
    return { kind: 'sale', hash, hashFor, work, after }
  }

  const runAlone = async (prepared: Prepared) => {
    const posted = await once(prepared)
    if (!posted.replayed) prepared.after()
    return posted
  }

  // SQLite has one writer. Under load, the receipts waiting for it are committed together (group
  // commit), which spares a commit per receipt; if anything in a group fails, its receipts are
  // posted again one by one, so each still succeeds or fails on its own. The group is taken once
  // the connection is free (reads queue for it too), so everything that arrived meanwhile joins.
  type Waiting = { prepared: Prepared; resolve: (r: { result: PostResult; replayed: boolean }) => void; reject: (e: unknown) => void }
  const waiting: Waiting[] = []
  let flushing = false
  const flush = async () => {
    flushing = true
    try {
      while (waiting.length > 0) {
        let group: Waiting[] = []
        let results: PostResult[] | null = null
        // Let what the event loop holds (requests read, lookups queued for the connection) run first.
        await new Promise((r) => setImmediate(r))
        try {
          results = await db.transaction().execute(async (trx) => {
            // Taken once the connection is ours: what arrived while it was busy joins this commit.
            group = waiting.splice(0, GROUP_COMMIT_MAX)
            const out: PostResult[] = []
            for (const g of group) out.push(await g.prepared.work(trx))
            return out
          })
        } catch {
          results = null
        }
        if (results) {
          group.forEach((g, i) => {
            g.prepared.after()
            g.resolve({ result: results[i]!, replayed: false })
          })
          continue
        }
        for (const g of group) {
          try {
            g.resolve(await runAlone(g.prepared))
          } catch (err) {
            g.reject(err)
          }
        }
      }
    } finally {
      flushing = false
    }
  }
  const run = (prepared: Prepared): Promise<{ result: PostResult; replayed: boolean }> => {
    if (engine !== 'sqlite') return runAlone(prepared)
    return new Promise((resolve, reject) => {
      waiting.push({ prepared, resolve, reject })
      if (!flushing) void flush()
    })
  }

  const postSale = async (actor: Actor, input: SaleInput, options: PostOptions = {}): Promise<{ result: PostResult; replayed: boolean }> =>
    run(await prepareSale(actor, input, options))

  /**
   * Applies a return to its original sale inside `trx`: the lines' points are reversed (the
   * balance may go negative) and points that paid for them are given back.
   */
  const applyReturn = async (trx: Trx, cfg: LoyaltyConfig, row: ReceiptsTable, input: ReturnInput, at: string, awardPoints: boolean): Promise<PostResult> => {
    let original = await trx.selectFrom('receipts').selectAll().where('store_id', '=', row.store_id).where('receipt_no', '=', input.originalReceiptNo!).executeTakeFirst()
    if (original && original.kind !== 'sale') throw badReceipt([{ field: 'originalReceiptNo', reason: 'names a return, not a sale' }])
    if (!original || original.status !== 'posted') {
      // The sale has not reached us yet (an offline till): keep the return until it does.
      const result: PostResult = {
        receiptId: row.id, receiptNo: row.receipt_no, storeId: row.store_id, kind: 'return', status: 'pending', businessAt: row.business_at,
        total: 0, points: 0, pointsUsed: 0, member: null, explanation: [], tierChange: null,
      }
      await trx.updateTable('receipts').set({ status: 'pending', pending_payload: JSON.stringify(input), result: JSON.stringify(result) }).where('id', '=', row.id).execute()
      return result
    }
    if (engine === 'postgres') {
      // Two returns of one sale must see each other's returned quantities.
      original = await trx.selectFrom('receipts').selectAll().where('id', '=', original.id).forUpdate().executeTakeFirstOrThrow()
    }
    const lines = await trx.selectFrom('receipt_lines').selectAll().where('receipt_id', '=', original.id).orderBy('line_no').execute()
    const { returnLines, progress, total, reversed, refunded, couponPaid } = planReturn(lines, input, row.id)
    await trx.insertInto('receipt_lines').values(returnLines).execute()
    // How the refund is paid: money back to the sale's own tenders (less what earlier returns gave),
    // points at the value they paid, the coupons' share kept; recorded as the return's tenders.
    const saleTenders = await trx.selectFrom('receipt_tenders').selectAll().where('receipt_id', '=', original.id).orderBy('seq').execute()
    const earlier = await trx.selectFrom('receipt_tenders').innerJoin('receipts', 'receipts.id', 'receipt_tenders.receipt_id')
      .select(['receipt_tenders.kind', 'receipt_tenders.reference', 'receipt_tenders.amount'])
      .where('receipts.original_receipt_id', '=', original.id).where('receipts.kind', '=', 'return').where('receipts.status', '=', 'posted').execute()
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
    if (refundTenders.length) {
      await trx.insertInto('receipt_tenders').values(refundTenders.map((t, i) => ({ receipt_id: row.id, seq: i + 1, ...t }))).execute()
    }
    for (const [lineNo, p] of progress) {
      await trx.updateTable('receipt_lines').set({ returned_quantity: p.qty, returned_amount: p.amount, returned_points: p.points, refunded_points: p.refunded, returned_coupon_amount: p.coupon })
        .where('receipt_id', '=', original.id).where('line_no', '=', lineNo).execute()
    }
    // Coupons come back only when nothing of the sale is left (and their template says so).
    const everything = lines.every((l) => (progress.get(l.line_no)?.qty ?? l.returned_quantity) >= l.quantity)
    const memberId = original.member_id
    let account: Awaited<ReturnType<typeof ledger.lockAccount>> | null = null
    const cause = { receiptId: row.id, storeId: row.store_id, reference: original.id }
    if (memberId) account = await ledger.lockAccount(trx, memberId, at)
    // After the account's lock, as a sale takes them (account, then coupons and their template),
    // so a return and a sale of one member never wait on each other's locks on PostgreSQL.
    const restored = everything ? await coupons.internals.restoreForReceipt(trx, original.id, loyalty.localParts(row.business_at).date, at) : []
    if (memberId && account) {
      if (reversed > 0) {
        const earnEntries = await trx.selectFrom('points_entries').select('id').where('receipt_id', '=', original.id).where('kind', '=', 'earn').execute()
        await ledger.reverse(trx, account, 'reversal', reversed, await ledger.lotsOfEntries(trx, earnEntries.map((e) => e.id)), cause, at)
      }
      if (refunded > 0) await ledger.credit(trx, account, 'refund', refunded, expiresOnFor(cfg.policy.expiry, loyalty.localParts(row.business_at).date), cause, at)
      await recordPurchase(trx, memberId, { businessAt: row.business_at, month: loyalty.localParts(row.business_at).month, receipts: 0, spend: -total, points: -reversed }, today().slice(0, 7), at)
    }
    void awardPoints
    const member = memberId ? await members.internals.resolve(trx, { id: memberId }) ?? null : null
    const result: PostResult = {
      receiptId: row.id, receiptNo: row.receipt_no, storeId: row.store_id, kind: 'return', status: 'posted', businessAt: row.business_at, total,
      points: reversed, pointsUsed: refunded, member: memberSummary(cfg, member, account), explanation: [], tierChange: null,
      ...(restored.length ? { coupons: restored.map((c) => ({ ...c, discount: 0, bonusPoints: 0 })) } : {}),
      ...(couponPaid > 0 ? { couponAmount: couponPaid } : {}),
      refund,
    }
    await trx.updateTable('receipts').set({
      status: 'posted', original_receipt_id: original.id, member_id: memberId, total, points_earned: reversed, points_used: refunded,
      line_count: returnLines.length, pending_payload: null, result: JSON.stringify(result),
    }).where('id', '=', row.id).execute()
    return result
  }

  /** A return without its sale (a POS export's cancellation): reverses what its lines would have earned. */
  const applyStandaloneReturn = async (trx: Trx, cfg: LoyaltyConfig, row: ReceiptsTable, input: ReturnInput, member: MembersTable | null, store: { id: string; regionId: string | null }, at: string, awardPoints: boolean): Promise<PostResult> => {
    const lines = input.lines!
    const products = await ensureProductsForLines(trx, lines.map((l) => ({ sku: l.sku!, unitPrice: l.unitPrice!, soldByWeight: l.unit === 'g' })), at)
    const local = loyalty.localParts(row.business_at)
    const total = lines.reduce((a, l) => a + l.amount!, 0)
    let account: Awaited<ReturnType<typeof ledger.lockAccount>> | null = null
    let reversed = 0
    let linePoints = lines.map(() => 0)
    if (member) {
      account = await ledger.lockAccount(trx, member.id, at)
      if (awardPoints) {
        const earned = computeEarn({
          lines: earnLines(lines.map((l) => ({ sku: l.sku!, amount: l.amount! })), products), tenders: [], local, store,
          member: { birthday: member.birthday, tier: loyalty.effectiveTier(cfg, account) }, rules: loyalty.rulesAt(cfg, row.business_at).filter((r) => r.definition.kind !== 'cap'), earnedToday: 0,
        })
        reversed = earned.points
        linePoints = earned.linePoints
        if (reversed > 0) await ledger.reverse(trx, account, 'reversal', reversed, [], { receiptId: row.id, storeId: store.id }, at)
      }
      await recordPurchase(trx, member.id, { businessAt: row.business_at, month: local.month, receipts: 0, spend: -total, points: -reversed }, today().slice(0, 7), at)
    }
    await trx.insertInto('receipt_lines').values(lines.map((l, i): ReceiptLinesTable => ({
      receipt_id: row.id, line_no: i + 1, product_id: products.get(l.sku!)?.id ?? null, sku: l.sku!, quantity: l.quantity, unit: l.unit ?? 'piece',
      unit_price: l.unitPrice!, discount: 0, amount: l.amount!, points: linePoints[i] ?? 0, points_used: 0,
      returned_quantity: 0, returned_amount: 0, returned_points: 0, refunded_points: 0, coupon_amount: 0, returned_coupon_amount: 0, original_line_no: null,
    }))).execute()
    const result: PostResult = {
      receiptId: row.id, receiptNo: row.receipt_no, storeId: store.id, kind: 'return', status: 'posted', businessAt: row.business_at, total,
      points: reversed, pointsUsed: 0, member: memberSummary(cfg, member, account), explanation: [], tierChange: null,
    }
    await trx.updateTable('receipts').set({ total, points_earned: reversed, line_count: lines.length, result: JSON.stringify(result) }).where('id', '=', row.id).execute()
    return result
  }

  const prepareReturn = async (actor: Actor, input: ReturnInput, options: PostOptions = {}): Promise<Prepared> => {
    assertCan(actor, 'receipts.return')
    const cfg = await loyalty.config()
    const store = await storeFor(actor, input.storeId)
    const details = validateReturn(input, clock.now())
    if (details.length) throw badReceipt(details)
    // A desk says why goods came back; a till's own system and history imports keep theirs.
    if (actor.kind === 'staff' && options.source !== 'import' && !input.reason) throw badReceipt([{ field: 'reason', reason: 'say why the goods come back' }], 'RETURN_REASON_REQUIRED')
    const standalone = input.originalReceiptNo == null
    const member = standalone ? await resolveMember(db, input.member) : null
    const hashFor = (memberId: string | null) => payloadHash({ ...input, storeId: store.id, member: memberId })
    const hash = hashFor(member?.id ?? null)
    const businessAt = new Date(input.businessAt).toISOString()
    const local = loyalty.localParts(businessAt)
    const work = async (trx: Trx): Promise<PostResult> => {
      const at = now()
      const row: ReceiptsTable = {
        id: newId('rct'), store_id: store.id, till: input.till ?? null, receipt_no: input.receiptNo, kind: 'return', status: 'posted',
        original_receipt_id: null, original_receipt_no: input.originalReceiptNo ?? null, member_id: member?.id ?? null, business_at: businessAt,
        business_date: local.date, total: 0, eligible_amount: 0, points_earned: 0, points_used: 0, line_count: 0, cashier: input.cashier ?? null,
        source: options.source ?? (actor.kind === 'pos' ? 'till' : actor.kind === 'staff' ? 'console' : 'import'), import_id: options.importId ?? null,
        payload_hash: hash, result: null, pending_payload: null, created_at: at,
        return_reason: input.reason ?? null, return_note: input.reasonNote?.trim() || null, approved_by: options.approvedBy ?? null,
      }
      await claim(trx, row)
      return standalone
        ? applyStandaloneReturn(trx, cfg, row, input, member, store, at, options.awardPoints !== false)
        : applyReturn(trx, cfg, row, input, at, options.awardPoints !== false)
    }
    return { kind: 'return', hash, hashFor, work, after: () => {} }
  }

  const SETTINGS_KEY = 'till.settings'
  const tillSettings = async (): Promise<TillSettings> => {
    const row = await db.selectFrom('meta').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst()
    if (!row) return { ...DEFAULT_TILL_SETTINGS }
    const saved = JSON.parse(row.value) as Partial<TillSettings>
    return { ...DEFAULT_TILL_SETTINGS, ...saved }
  }

  /** The chain's till settings: every store's staff read them (the till reads scale labels by them). */
  const getTillSettings = async (actor: Actor): Promise<TillSettings> => {
    assertCan(actor, 'receipts.read')
    return tillSettings()
  }

  const updateTillSettings = async (actor: Actor, input: Partial<TillSettings>): Promise<TillSettings> => {
    assertCan(actor, 'chain.manage')
    const details = checkTillSettings(input)
    if (details.length) throw unprocessable('VALIDATION', details)
    const before = await tillSettings()
    const next: TillSettings = {
      scaleLayout: input.scaleLayout ?? before.scaleLayout,
      returnApprovalAbove: input.returnApprovalAbove !== undefined ? input.returnApprovalAbove : before.returnApprovalAbove,
    }
    await db.transaction().execute(async (trx) => {
      const value = JSON.stringify(next)
      await trx.insertInto('meta').values({ key: SETTINGS_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
      const changes = Object.fromEntries((Object.keys(next) as Array<keyof TillSettings>).filter((k) => next[k] !== before[k]).map((k) => [k, { from: before[k], to: next[k] }]))
      await audit?.record(trx, actor, { action: 'till_settings.update', entityType: 'till_settings', changes })
    })
    return next
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

  /**
   * A desk return above the chain's limit, taken by someone who may not approve it, becomes a
   * request for a store manager and moves nothing; null when the return may be posted now. The
   * request is kept under the return's own number, so a resend finds it.
   */
  const holdForApproval = async (actor: Actor, input: ReturnInput): Promise<{ result: PostResult; replayed: boolean } | null> => {
    if (actor.kind !== 'staff') return null
    if (input.originalReceiptNo == null) {
      // Without its sale there is nothing to check the refund against: above the limit it is a manager's to take.
      const { returnApprovalAbove: limit } = await tillSettings()
      const total = (input.lines ?? []).reduce((a, l) => a + (l.amount ?? 0), 0)
      if (limit !== null && total > limit && !can(actor, 'receipts.approve_returns')) {
        throw forbidden('RETURN_APPROVAL_REQUIRED', [{ field: 'originalReceiptNo', reason: `a return without its sale refunding more than ${limit} fen is for a store manager to take` }])
      }
      return null
    }
    const store = await storeFor(actor, input.storeId)
    const request: ReturnInput = { ...input, storeId: store.id }
    const hash = payloadHash(request)
    const businessAt = new Date(input.businessAt).toISOString()
    const existing = await db.selectFrom('return_approvals').selectAll().where('store_id', '=', store.id).where('receipt_no', '=', input.receiptNo).executeTakeFirst()
    if (existing) {
      if (existing.payload_hash !== hash) throw conflict('RECEIPT_NUMBER_REUSED', [{ field: 'receiptNo', reason: `this store already has a return request numbered ${input.receiptNo} with other content` }])
      if (existing.status === 'approved') return null
      if (existing.status === 'rejected') throw conflict('RETURN_REJECTED', [{ field: 'receiptNo', reason: `a store manager refused this return${existing.decision_note ? `: ${existing.decision_note}` : ''}` }])
      return { result: awaiting(existing, businessAt), replayed: true }
    }
    if (can(actor, 'receipts.approve_returns')) return null
    const { returnApprovalAbove: limit } = await tillSettings()
    if (limit === null) return null
    const posted = await db.selectFrom('receipts').select('id').where('store_id', '=', store.id).where('receipt_no', '=', input.receiptNo).executeTakeFirst()
    if (posted) return null
    const original = await db.selectFrom('receipts').selectAll().where('store_id', '=', store.id).where('receipt_no', '=', input.originalReceiptNo).executeTakeFirst()
    // A sale not here yet (or not a sale): the return is kept or refused as any other.
    if (!original || original.kind !== 'sale' || original.status !== 'posted') return null
    const lines = await db.selectFrom('receipt_lines').selectAll().where('receipt_id', '=', original.id).orderBy('line_no').execute()
    const plan = planReturn(lines, input, '')
    if (plan.total <= limit) return null
    const row: ReturnApprovalsTable = {
      id: newId('rta'), store_id: store.id, receipt_no: input.receiptNo, original_receipt_id: original.id, original_receipt_no: original.receipt_no,
      member_id: original.member_id, total: plan.total, request: JSON.stringify(request), payload_hash: hash, reason: input.reason ?? 'other',
      note: input.reasonNote?.trim() || null, status: 'pending', requested_by: actorName(actor), decided_by: null, decided_at: null, decision_note: null,
      return_receipt_id: null, created_at: now(),
    }
    const inserted = await db.insertInto('return_approvals').values(row).onConflict((oc) => oc.columns(['store_id', 'receipt_no']).doNothing()).returning('id').executeTakeFirst()
    // Pressed twice at once: the other press made the request.
    if (!inserted) return holdForApproval(actor, input)
    return { result: awaiting(row, businessAt), replayed: false }
  }

  const postReturn = async (actor: Actor, input: ReturnInput, options: PostOptions = {}): Promise<{ result: PostResult; replayed: boolean }> => {
    const prepared = await prepareReturn(actor, input, options)
    return (await holdForApproval(actor, input)) ?? run(prepared)
  }

  const approval = async (actor: Actor, id: string): Promise<ReturnApprovalsTable> => {
    assertCan(actor, 'receipts.approve_returns')
    const row = await db.selectFrom('return_approvals').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('RETURN_APPROVAL_NOT_FOUND', [{ field: 'id', reason: 'no such return request' }])
    assertStoreScope(actor, row.store_id, 'return')
    if (row.status !== 'pending') throw conflict('RETURN_APPROVAL_DECIDED', [{ field: 'id', reason: `already ${row.status}` }])
    return row
  }
  const decided = () => conflict('RETURN_APPROVAL_DECIDED', [{ field: 'id', reason: 'already decided' }])

  /** A store manager approves a desk return: it is posted now, as the desk asked it, naming the manager. */
  const approveReturn = async (actor: Actor, id: string, note?: string): Promise<{ approval: ReturnApprovalView; result: PostResult }> => {
    const row = await approval(actor, id)
    const input = JSON.parse(row.request) as ReturnInput
    const prepared = await prepareReturn(actor, input, { source: 'console', approvedBy: actorName(actor) })
    const post = prepared.work
    prepared.work = async (trx) => {
      const result = await post(trx)
      const done = await trx.updateTable('return_approvals').set({
        status: 'approved', decided_by: actorName(actor), decided_at: now(), decision_note: note?.trim() || null, return_receipt_id: result.receiptId,
      }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
      if (Number(done.numUpdatedRows) !== 1) throw decided()
      await audit?.record(trx, actor, { action: 'return.approve', entityType: 'receipt', entityId: result.receiptId, storeId: row.store_id, changes: { total: { from: null, to: result.total } } })
      return result
    }
    const { result } = await run(prepared)
    const after = await db.selectFrom('return_approvals').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    return { approval: toApproval(after), result }
  }

  /** A store manager refuses a desk return: nothing moves, the desk is told why. */
  const rejectReturn = async (actor: Actor, id: string, note?: string): Promise<ReturnApprovalView> => {
    const row = await approval(actor, id)
    return db.transaction().execute(async (trx) => {
      const done = await trx.updateTable('return_approvals').set({ status: 'rejected', decided_by: actorName(actor), decided_at: now(), decision_note: note?.trim() || null })
        .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
      if (Number(done.numUpdatedRows) !== 1) throw decided()
      await audit?.record(trx, actor, { action: 'return.reject', entityType: 'return_request', entityId: id, storeId: row.store_id, changes: { note: { from: null, to: note?.trim() || null } } })
      return toApproval(await trx.selectFrom('return_approvals').selectAll().where('id', '=', id).executeTakeFirstOrThrow())
    })
  }

  /** Desk returns waiting for (or decided by) a store manager, newest first; store roles see their store. */
  const listReturnApprovals = async (actor: Actor, filter: { status?: 'pending' | 'approved' | 'rejected'; limit?: number }): Promise<ReturnApprovalView[]> => {
    assertCan(actor, 'receipts.read')
    let q = scopeToStore(db.selectFrom('return_approvals').selectAll(), actor, 'store_id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(Math.min(Math.max(filter.limit ?? 50, 1), 200))
    if (filter.status) q = q.where('status', '=', filter.status)
    return (await q.execute()).map(toApproval)
  }

  type Posting = { ok: true; replayed: boolean; result: PostResult } | { ok: false; error: DomainError }

  /**
   * Posts many sales and returns in one transaction (history imports, where a transaction per
   * receipt would dominate). If any of them fails (a number taken, points short) the whole
   * transaction rolls back and each is posted on its own, so one bad receipt costs only itself.
   */
  const postMany = async (actor: Actor, items: Array<{ type: 'sale'; input: SaleInput } | { type: 'return'; input: ReturnInput }>, options: PostOptions = {}): Promise<Posting[]> => {
    const out: Array<Posting | Prepared> = []
    for (const item of items) {
      try {
        out.push(item.type === 'sale' ? await prepareSale(actor, item.input, options) : await prepareReturn(actor, item.input, options))
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        out.push({ ok: false, error: err })
      }
    }
    const ready = out.filter((o): o is Prepared => 'work' in o)
    let together: PostResult[] | null = null
    try {
      together = await db.transaction().execute(async (trx) => {
        const results: PostResult[] = []
        for (const p of ready) results.push(await p.work(trx))
        return results
      })
    } catch (err) {
      if (!(err instanceof AlreadyPosted) && !(err instanceof DomainError) && !isUniqueViolation(err, 'receipts_store_no_uq')) throw err
    }
    const final: Posting[] = []
    let k = 0
    for (const o of out) {
      if (!('work' in o)) { final.push(o); continue }
      if (together) {
        o.after()
        final.push({ ok: true, replayed: false, result: together[k++]! })
        continue
      }
      try {
        final.push({ ok: true, ...(await runAlone(o)) })
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        final.push({ ok: false, error: err })
      }
    }
    return final
  }

  /** What a basket would cost and earn for a member, without changing anything. */
  const quote = async (actor: Actor, input: QuoteInput): Promise<Quote> => {
    assertCan(actor, 'receipts.post')
    const cfg = await loyalty.config()
    const store = await storeFor(actor, input.storeId)
    const details: ErrorDetail[] = []
    if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 500) details.push({ field: 'lines', reason: '1 to 500 lines' })
    const businessAt = input.businessAt ?? now()
    if (details.length) throw badReceipt(details)
    const products = await findProductsBySkus(db, [...new Set(input.lines.map((l) => l.sku))])
    input.lines.forEach((l, i) => {
      if (!products.has(l.sku) && l.unitPrice === undefined) details.push({ field: `lines[${i}].sku`, reason: 'unknown product; give its unitPrice' })
      if (!Number.isInteger(l.quantity) || l.quantity <= 0) details.push({ field: `lines[${i}].quantity`, reason: 'a whole number above 0' })
    })
    if (details.length) throw badReceipt(details)
    const member = await resolveMember(db, input.member, actor)
    const account = member ? await db.selectFrom('points_accounts').select(['balance', 'tier_code']).where('member_id', '=', member.id).executeTakeFirst() ?? null : null
    const tier = member ? loyalty.effectiveTier(cfg, account ?? undefined) : null
    const priced = input.lines.map((l) => {
      const p = products.get(l.sku)
      const unit = l.unit ?? (p?.soldByWeight ? 'g' : 'piece')
      const listPrice = l.unitPrice ?? p!.listPrice
      const memberPrice = member && tier?.memberPrices && p?.memberPrice != null && p.memberPrice < listPrice ? p.memberPrice : null
      const unitPrice = memberPrice ?? listPrice
      const amount = grossOf(l.quantity, unitPrice, unit)
      return { sku: l.sku, name: p?.name ?? l.sku, quantity: l.quantity, unit, listPrice, unitPrice, memberPriceApplied: memberPrice !== null, amount, savings: grossOf(l.quantity, listPrice, unit) - amount, points: 0 }
    })
    const total = priced.reduce((a, l) => a + l.amount, 0)
    const local = loyalty.localParts(businessAt)
    const basket = basketLines(priced, products)
    const ctx = { storeId: store.id, regionId: store.regionId, memberId: member?.id ?? null, memberTier: tier?.code ?? null, tiers: cfg.tiers, date: local.date }
    const asked = (input.coupons ?? []).filter((c) => typeof c === 'string' && c.trim() !== '')
    if (asked.length > 10) throw badReceipt([{ field: 'coupons', reason: 'at most 10 coupons on one receipt' }])
    const outcomes = asked.length ? evaluateCoupons(await coupons.internals.loadForBasket(db, asked), basket, ctx) : []
    const couponDiscount = outcomes.reduce((a, o) => a + (o.ok ? o.discount : 0), 0)
    const spendable = member && account ? await ledger.spendable(db, member.id, account.balance, today()) : 0
    // Points pay at most their share of the receipt, and never more than the coupons leave to pay.
    const maxByShare = Math.floor(Math.min((total * cfg.policy.maxPointsPaymentPct) / 100, total - couponDiscount) / cfg.policy.pointValueFen)
    const usablePoints = Math.max(0, Math.min(spendable, maxByShare))
    const pointsToUse = Math.min(input.pointsToUse ?? 0, usablePoints)
    const earned = computeEarn({
      lines: earnLines(priced, products),
      tenders: [
        ...(pointsToUse > 0 ? [{ kind: 'points' as const, amount: pointsToUse * cfg.policy.pointValueFen }] : []),
        ...(couponDiscount > 0 ? [{ kind: 'coupon' as const, amount: couponDiscount }] : []),
      ],
      local, store, member: member ? { birthday: member.birthday, tier } : null, rules: loyalty.rulesAt(cfg, businessAt), earnedToday: 0,
    })
    const bonus = member && member.status === 'active' ? addCouponBonus(earned, outcomes) : new Map<string, number>()
    priced.forEach((l, i) => { l.points = earned.linePoints[i] ?? 0 })
    // What the member could use: each unused coupon tried alone on this basket, the ones that apply first.
    const usable = member ? await coupons.internals.usableForMember(db, member.id, local.date) : []
    const usableCoupons = usable.map((c) => ({ ...toQuoteCoupon(evaluateCoupons([c], basket, ctx)[0]!), validTo: c.validTo }))
      .sort((a, b) => Number(b.ok) - Number(a.ok) || b.discount - a.discount)
    return {
      lines: priced, total, savings: priced.reduce((a, l) => a + l.savings, 0), points: member ? earned.points : 0, explanation: earned.explanation,
      member: memberSummary(cfg, member, account), usablePoints, usableValue: usablePoints * cfg.policy.pointValueFen,
      coupons: outcomes.map((o) => toQuoteCoupon(o, bonus.get(o.code) ?? 0)), couponDiscount,
      toPay: total - couponDiscount - pointsToUse * cfg.policy.pointValueFen, usableCoupons,
    }
  }

  type BatchItem = ({ type: 'sale' } & SaleInput) | ({ type: 'return' } & ReturnInput)
  interface BatchOutcome {
    index: number
    receiptNo: string
    status: 'posted' | 'replayed' | 'pending' | 'failed'
    result?: PostResult
    error?: { code: string; message: string; details: ErrorDetail[] }
  }

  /** An offline till's backlog: each item stands or falls alone; a resent batch changes nothing. */
  const postBatch = async (actor: Actor, items: BatchItem[]): Promise<{ items: BatchOutcome[]; posted: number; failed: number }> => {
    assertCan(actor, 'receipts.post')
    if (!Array.isArray(items) || items.length === 0 || items.length > 1000) throw badReceipt([{ field: 'items', reason: '1 to 1,000 receipts and returns' }])
    const out: BatchOutcome[] = []
    for (const [index, item] of items.entries()) {
      try {
        const { type: _, ...rest } = item
        const { result, replayed } = item.type === 'return'
          ? await postReturn(actor, rest as ReturnInput, { source: 'batch' })
          : await postSale(actor, rest as SaleInput, { source: 'batch' })
        out.push({ index, receiptNo: item.receiptNo, status: replayed ? 'replayed' : result.status === 'posted' ? 'posted' : 'pending', result })
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        out.push({ index, receiptNo: item.receiptNo, status: 'failed', error: { code: err.code, message: err.message, details: err.details } })
      }
    }
    return { items: out, posted: out.filter((o) => o.status !== 'failed').length, failed: out.filter((o) => o.status === 'failed').length }
  }

  const toView = async (rows: Array<ReceiptsTable & { store_code?: string | null; store_name?: string | null; member_name?: string | null; member_card_no?: string | null }>): Promise<ReceiptView[]> => {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const [lines, tenders] = await Promise.all([
      db.selectFrom('receipt_lines').leftJoin('products', 'products.id', 'receipt_lines.product_id')
        .select(['receipt_lines.receipt_id', 'receipt_lines.line_no', 'receipt_lines.sku', 'products.name', 'receipt_lines.quantity', 'receipt_lines.unit',
          'receipt_lines.unit_price', 'receipt_lines.discount', 'receipt_lines.amount', 'receipt_lines.points', 'receipt_lines.returned_quantity', 'receipt_lines.original_line_no'])
        .where('receipt_lines.receipt_id', 'in', ids).orderBy('receipt_lines.line_no').execute(),
      db.selectFrom('receipt_tenders').selectAll().where('receipt_id', 'in', ids).orderBy('seq').execute(),
    ])
    return rows.map((r) => ({
      id: r.id, storeId: r.store_id, storeCode: r.store_code ?? null, storeName: r.store_name ?? null, till: r.till, receiptNo: r.receipt_no, kind: r.kind, status: r.status,
      originalReceiptId: r.original_receipt_id, originalReceiptNo: r.original_receipt_no, memberId: r.member_id, businessAt: r.business_at, businessDate: r.business_date,
      total: r.total, points: r.points_earned, pointsUsed: r.points_used, source: r.source, cashier: r.cashier,
      memberName: r.member_name ?? null, memberCardNo: r.member_card_no ?? null,
      returnReason: r.return_reason ?? null, returnNote: r.return_note ?? null, approvedBy: r.approved_by ?? null,
      lines: lines.filter((l) => l.receipt_id === r.id).map((l) => ({
        lineNo: l.line_no, sku: l.sku, name: l.name, quantity: l.quantity, unit: l.unit, unitPrice: l.unit_price, discount: l.discount, amount: l.amount,
        points: l.points, returnedQuantity: l.returned_quantity, originalLineNo: l.original_line_no,
      })),
      tenders: tenders.filter((t) => t.receipt_id === r.id).map((t) => ({ kind: t.kind, amount: t.amount, points: t.points, reference: t.reference })),
    }))
  }

  const baseQuery = () => db.selectFrom('receipts').leftJoin('stores', 'stores.id', 'receipts.store_id').leftJoin('members', 'members.id', 'receipts.member_id')
    .selectAll('receipts').select(['stores.code as store_code', 'stores.name as store_name', 'members.name_masked as member_name', 'members.card_no as member_card_no'])

  const get = async (actor: Actor, id: string): Promise<ReceiptView> => {
    assertCan(actor, 'receipts.read')
    const row = await baseQuery().where('receipts.id', '=', id).executeTakeFirst()
    if (!row) throw notFound('RECEIPT_NOT_FOUND', [{ field: 'id', reason: 'no such receipt' }])
    // A store's staff read their store's receipts by id; a member's receipts elsewhere they see on the member's page.
    assertInScope(actor, row.store_id, 'receipt')
    return (await toView([row]))[0]!
  }

  /** A member's receipts, newest first, with lines (member detail). Members shop everywhere, so any desk sees them all. */
  const listForMember = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: ReceiptView[]; nextCursor: string | null }> => {
    assertCan(actor, 'receipts.read')
    const limit = Math.min(Math.max(page.limit ?? 20, 1), 100)
    let q = baseQuery().where('receipts.member_id', '=', memberId).orderBy('receipts.business_at', 'desc').orderBy('receipts.id', 'desc').limit(limit + 1)
    if (page.cursor) {
      const [at, id] = Buffer.from(page.cursor, 'base64url').toString().split('|')
      if (!at || !id) throw badReceipt([{ field: 'cursor', reason: 'not a cursor from this list' }])
      q = q.where((eb) => eb.or([eb('receipts.business_at', '<', at), eb.and([eb('receipts.business_at', '=', at), eb('receipts.id', '<', id)])]))
    }
    const rows = await q.execute()
    const items = await toView(rows.slice(0, limit))
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > limit && last ? Buffer.from(`${last.businessAt}|${last.id}`).toString('base64url') : null }
  }

  /** Receipts of a store and day range (the console's receipt list); store roles see their store. */
  const list = async (actor: Actor, filter: { storeId?: string; from?: string; to?: string; receiptNo?: string; cursor?: string; limit?: number }): Promise<{ items: ReceiptView[]; nextCursor: string | null }> => {
    assertCan(actor, 'receipts.read')
    const storeId = storeFilterFor(actor, filter.storeId)
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
    let q = scopeToStore(baseQuery(), actor, 'receipts.store_id').orderBy('receipts.business_at', 'desc').orderBy('receipts.id', 'desc').limit(limit + 1)
    if (storeId) q = q.where('receipts.store_id', '=', storeId)
    if (filter.from) q = q.where('receipts.business_date', '>=', filter.from)
    if (filter.to) q = q.where('receipts.business_date', '<=', filter.to)
    if (filter.receiptNo) q = q.where('receipts.receipt_no', '=', filter.receiptNo)
    if (filter.cursor) {
      const [at, id] = Buffer.from(filter.cursor, 'base64url').toString().split('|')
      if (!at || !id) throw badReceipt([{ field: 'cursor', reason: 'not a cursor from this list' }])
      q = q.where((eb) => eb.or([eb('receipts.business_at', '<', at), eb.and([eb('receipts.business_at', '=', at), eb('receipts.id', '<', id)])]))
    }
    const rows = await q.execute()
    const items = await toView(rows.slice(0, limit))
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > limit && last ? Buffer.from(`${last.businessAt}|${last.id}`).toString('base64url') : null }
  }

  /** A merge moves the merged member's receipts to the survivor. */
  const mergeHook: MergeHook = {
    name: 'receipts',
    count: async (conn, memberId) => Number((await conn.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n),
    move: async (trx, fromId, toId) => {
      await trx.updateTable('receipts').set({ member_id: toId }).where('member_id', '=', fromId).execute()
    },
  }

  return {
    postSale, postReturn, postBatch, quote, get, list, listForMember, mergeHook, internals: { postMany },
    getTillSettings, updateTillSettings, approveReturn, rejectReturn, listReturnApprovals,
  }
}

export type ReceiptsService = ReturnType<typeof createReceiptsService>
