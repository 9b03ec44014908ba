import { createHash } from 'node:crypto'
import type { ErrorDetail } from '../../shared/errors.js'
import { TENDER_KINDS, type TenderKind } from '../../shared/tenders.js'
import type { LineUnit } from './receipts.table.js'
export const MAX_LINES = 500
export const MAX_TENDERS = 20
/** Receipts older than this are refused as absurd (a till with a dead clock battery). */
export const EARLIEST_BUSINESS_AT = '2000-01-01T00:00:00.000Z'
/** How far ahead of the server's clock a till's clock may run. */
export const MAX_CLOCK_SKEW_MS = 24 * 3600_000

export interface MemberRef {
  id?: string
  cardNo?: string
  phone?: string
  externalCode?: string
  /** the QR of the member's electronic card, as scanned */
  qrToken?: string
}

export interface LineInput {
  sku: string
  name?: string
  /** pieces, or grams when unit is 'g' */
  quantity: number
  unit?: LineUnit
  /** fen per piece or per kilogram */
  unitPrice: number
  discount?: number
  amount: number
}

export interface TenderInput {
  kind: TenderKind
  amount: number
  points?: number
  reference?: string
}

export interface SaleInput {
  storeId?: string
  till?: string
  receiptNo: string
  businessAt: string
  member?: MemberRef | null
  cashier?: string
  lines: LineInput[]
  tenders: TenderInput[]
  total: number
}

export interface ReturnLineInput {
  /** the line of the original sale */
  originalLineNo?: number
  sku?: string
  quantity: number
  unit?: LineUnit
  /** only for a return without its original receipt */
  unitPrice?: number
  amount?: number
}

export interface ReturnInput {
  storeId?: string
  till?: string
  receiptNo: string
  businessAt: string
  /** the sale being returned; without it the return stands alone (a POS export's cancellation) */
  originalReceiptNo?: string | null
  /** only for a return without its original receipt */
  member?: MemberRef | null
  cashier?: string
  /** omitted: everything not yet returned */
  lines?: ReturnLineInput[]
  /** why the goods came back (RETURN_REASONS): required at a desk */
  reason?: string
  /** free text beside the reason: required with 'other' */
  reasonNote?: string
}

/** Why goods come back, as a service desk records it. */
export const RETURN_REASONS = ['quality', 'expired', 'damaged', 'wrong_item', 'not_as_described', 'changed_mind', 'other'] as const
export type ReturnReason = (typeof RETURN_REASONS)[number]

const RECEIPT_NO = /^[A-Za-z0-9][A-Za-z0-9_\-./#]{0,63}$/
const isInt = (n: unknown, min: number, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max

/** The undiscounted amount of a line: pieces × price, or grams × price per kg rounded to the fen. */
export const grossOf = (quantity: number, unitPrice: number, unit: LineUnit): number =>
  unit === 'g' ? Math.round((quantity * unitPrice) / 1000) : quantity * unitPrice

export const checkBusinessAt = (value: string, now: Date, field = 'businessAt'): ErrorDetail | null => {
  const at = Date.parse(value)
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at)) return { field, reason: 'an ISO-8601 date-time with its zone' }
  if (at < Date.parse(EARLIEST_BUSINESS_AT)) return { field, reason: `before ${EARLIEST_BUSINESS_AT.slice(0, 10)}: check the till's clock` }
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) return { field, reason: 'more than a day in the future: check the till\'s clock' }
  return null
}

const checkReceiptNo = (value: unknown, field: string, out: ErrorDetail[]) => {
  if (typeof value !== 'string' || !RECEIPT_NO.test(value)) out.push({ field, reason: '1–64 letters, digits or _-./#, starting with a letter or digit' })
}

const checkMemberRef = (m: MemberRef | null | undefined, out: ErrorDetail[]) => {
  if (!m) return
  const keys = (['id', 'cardNo', 'phone', 'externalCode', 'qrToken'] as const).filter((k) => m[k] !== undefined && m[k] !== '')
  if (keys.length !== 1) out.push({ field: 'member', reason: 'give exactly one of id, cardNo, phone, externalCode, qrToken' })
}

/**
 * Checks a sale's arithmetic and shape. Totals must add up to the fen: every line is
 * gross − discount, the lines sum to the total, and so do the tenders.
 */
export const validateSale = (input: SaleInput, now: Date, pointValueFen: number): { details: ErrorDetail[]; mismatch?: { lines: number; tenders: number; total: number } } => {
  const out: ErrorDetail[] = []
  checkReceiptNo(input.receiptNo, 'receiptNo', out)
  const at = checkBusinessAt(input.businessAt, now)
  if (at) out.push(at)
  checkMemberRef(input.member, out)
  if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > MAX_LINES) out.push({ field: 'lines', reason: `1 to ${MAX_LINES} lines` })
  if (!Array.isArray(input.tenders) || input.tenders.length === 0 || input.tenders.length > MAX_TENDERS) out.push({ field: 'tenders', reason: `1 to ${MAX_TENDERS} tenders` })
  if (!isInt(input.total, 0, 10_000_000_000)) out.push({ field: 'total', reason: 'fen, a whole number from 0' })
  if (out.length) return { details: out }
  input.lines.forEach((l, i) => {
    const f = `lines[${i}]`
    if (typeof l.sku !== 'string' || l.sku.trim() === '' || l.sku.length > 64) out.push({ field: `${f}.sku`, reason: 'required, at most 64 characters' })
    const unit = l.unit ?? 'piece'
    if (unit !== 'piece' && unit !== 'g') out.push({ field: `${f}.unit`, reason: 'piece or g' })
    if (!isInt(l.quantity, 1, unit === 'g' ? 1_000_000 : 100_000)) {
      out.push({ field: `${f}.quantity`, reason: l.quantity <= 0 ? 'must be positive on a sale (a return is posted as a return)' : 'a whole number of pieces (or grams), within reason' })
    }
    if (!isInt(l.unitPrice, 0, 1_000_000_000)) out.push({ field: `${f}.unitPrice`, reason: 'fen, a whole number from 0' })
    const discount = l.discount ?? 0
    if (!isInt(discount, 0, 10_000_000_000)) out.push({ field: `${f}.discount`, reason: 'fen, a whole number from 0' })
    if (!isInt(l.amount, 0, 10_000_000_000)) out.push({ field: `${f}.amount`, reason: 'fen, a whole number from 0' })
    if (out.length === 0) {
      const expected = grossOf(l.quantity, l.unitPrice, unit) - discount
      if (l.amount !== expected) out.push({ field: `${f}.amount`, reason: `${l.amount} but quantity × price − discount is ${expected}` })
    }
  })
  input.tenders.forEach((t, i) => {
    const f = `tenders[${i}]`
    if (!(TENDER_KINDS as readonly string[]).includes(t.kind)) out.push({ field: `${f}.kind`, reason: `one of ${TENDER_KINDS.join(', ')}` })
    if (!isInt(t.amount, 0, 10_000_000_000)) out.push({ field: `${f}.amount`, reason: 'fen, a whole number from 0' })
    if (t.kind === 'points') {
      if (!isInt(t.points, 1, 1_000_000_000)) out.push({ field: `${f}.points`, reason: 'the points paid, a whole number above 0' })
      else if (t.amount !== t.points * pointValueFen) out.push({ field: `${f}.amount`, reason: `${t.points} points are worth ${t.points * pointValueFen} fen` })
      if (!input.member) out.push({ field: `${f}.kind`, reason: 'paying with points needs a member' })
    }
  })
  if (input.tenders.filter((t) => t.kind === 'points').length > 1) out.push({ field: 'tenders', reason: 'at most one points tender' })
  if (out.length) return { details: out }
  const lines = input.lines.reduce((a, l) => a + l.amount, 0)
  const tenders = input.tenders.reduce((a, t) => a + t.amount, 0)
  if (lines !== input.total || tenders !== input.total) {
    return {
      details: [
        ...(lines !== input.total ? [{ field: 'total', reason: `lines add up to ${lines}, ${lines - input.total > 0 ? '+' : ''}${lines - input.total} from the total ${input.total}` }] : []),
        ...(tenders !== input.total ? [{ field: 'tenders', reason: `tenders add up to ${tenders}, ${tenders - input.total > 0 ? '+' : ''}${tenders - input.total} from the total ${input.total}` }] : []),
      ],
      mismatch: { lines: lines - input.total, tenders: tenders - input.total, total: input.total },
    }
  }
  return { details: [] }
}

export const validateReturn = (input: ReturnInput, now: Date): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  checkReceiptNo(input.receiptNo, 'receiptNo', out)
  if (input.originalReceiptNo != null) checkReceiptNo(input.originalReceiptNo, 'originalReceiptNo', out)
  if (input.originalReceiptNo != null && input.originalReceiptNo === input.receiptNo) out.push({ field: 'receiptNo', reason: 'a return needs its own number, not the sale\'s' })
  const at = checkBusinessAt(input.businessAt, now)
  if (at) out.push(at)
  checkMemberRef(input.member, out)
  if (input.reason !== undefined && !(RETURN_REASONS as readonly string[]).includes(input.reason)) out.push({ field: 'reason', reason: `one of ${RETURN_REASONS.join(', ')}` })
  if (input.reasonNote !== undefined && (typeof input.reasonNote !== 'string' || input.reasonNote.length > 200)) out.push({ field: 'reasonNote', reason: 'at most 200 characters' })
  if (input.reason === 'other' && !input.reasonNote?.trim()) out.push({ field: 'reasonNote', reason: 'say what the reason is' })
  const standalone = input.originalReceiptNo == null
  if (standalone && (!input.lines || input.lines.length === 0)) out.push({ field: 'lines', reason: 'a return without its original receipt must list its lines' })
  if (input.lines !== undefined && (!Array.isArray(input.lines) || input.lines.length > MAX_LINES)) out.push({ field: 'lines', reason: `at most ${MAX_LINES} lines` })
  if (out.length) return out
  ;(input.lines ?? []).forEach((l, i) => {
    const f = `lines[${i}]`
    const unit = l.unit ?? 'piece'
    if (!isInt(l.quantity, 1, unit === 'g' ? 1_000_000 : 100_000)) out.push({ field: `${f}.quantity`, reason: 'the quantity returned, a whole number above 0' })
    if (standalone) {
      if (typeof l.sku !== 'string' || l.sku.trim() === '' || l.sku.length > 64) out.push({ field: `${f}.sku`, reason: 'required, at most 64 characters' })
      if (!isInt(l.unitPrice, 0, 1_000_000_000)) out.push({ field: `${f}.unitPrice`, reason: 'fen, a whole number from 0' })
      if (!isInt(l.amount, 0, 10_000_000_000)) out.push({ field: `${f}.amount`, reason: 'fen refunded, a whole number from 0' })
    } else {
      if (l.originalLineNo === undefined && (typeof l.sku !== 'string' || l.sku === '')) out.push({ field: f, reason: 'name the original line (originalLineNo) or its sku' })
      if (l.originalLineNo !== undefined && !isInt(l.originalLineNo, 1, MAX_LINES)) out.push({ field: `${f}.originalLineNo`, reason: 'a line number of the original receipt' })
      if (l.amount !== undefined && !isInt(l.amount, 0, 10_000_000_000)) out.push({ field: `${f}.amount`, reason: 'fen refunded, a whole number from 0' })
    }
  })
  return out
}

/** A stable digest of what was submitted, so a resend is told from a different receipt reusing a number. */
export const payloadHash = (value: unknown): string => {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical)
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
    }
    return v
  }
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('base64url').slice(0, 32)
}

/**
 * Splits `total` into whole parts in proportion to `weights` (largest remainder): the floors
 * first, then one more to each of the largest remainders, ties to the earlier. The parts add up
 * to `total` exactly; a weight of 0 (or below) gets nothing unless every weight is 0.
 */
export const allocate = (total: number, weights: readonly number[]): number[] => {
  if (weights.length === 0) return []
  const positive = weights.map((w) => Math.max(0, w))
  const sum = positive.reduce((a, b) => a + b, 0)
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0))
  // BigInt keeps total × weight exact for any fen amount.
  const raw = positive.map((w) => BigInt(total) * BigInt(w))
  const big = BigInt(sum)
  const out = raw.map((r) => Number(r / big))
  let left = total - out.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => [r % big, i] as const).sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] > b[0] ? -1 : 1))
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1
  return out
}

/** Tenders that hand money back on a return: every tender but points and coupons. */
export const isMoneyTender = (kind: TenderKind): boolean => kind !== 'points' && kind !== 'coupon'

export interface RefundInput {
  /** fen: the returned lines' amounts */
  total: number
  /** fen of those lines that coupons paid: not handed back */
  couponShare: number
  /** points that paid for those lines, credited back to the member */
  pointsBack: number
  /** fen per point on the sale */
  pointValueFen: number
  /** the sale's money tenders, with what earlier returns already handed back through each */
  tenders: ReadonlyArray<{ kind: TenderKind; reference: string | null; amount: number; refunded: number }>
}

export interface Refund {
  /** fen handed back in money, over `tenders` */
  money: number
  /** fen the points given back are worth */
  pointsValue: number
  pointsBack: number
  /** fen coupons paid, not handed back */
  couponShare: number
  tenders: Array<{ kind: TenderKind; reference: string | null; amount: number }>
}

/**
 * How a return's refund is paid: coupons' share stays with the store, points go back to the
 * member at the sale's value, the rest is money, to each money tender of the sale in proportion
 * to what is still unrefunded of it (largest remainder), so a sale's returns together hand back
 * exactly what each tender paid. money + pointsValue + couponShare = total.
 */
export const splitRefund = (input: RefundInput): Refund => {
  const pointsValue = input.pointsBack * input.pointValueFen
  // Shares are per line and rounded there; should they exceed the amount, the coupon share yields.
  const couponShare = Math.max(0, Math.min(input.couponShare, input.total - pointsValue))
  const money = Math.max(0, input.total - pointsValue - couponShare)
  const open = input.tenders.map((t) => Math.max(0, t.amount - t.refunded))
  const openSum = open.reduce((a, b) => a + b, 0)
  // Money beyond what the sale's tenders have left (an amount given by hand) goes as they paid.
  const parts = money <= openSum ? allocate(money, open) : allocate(money, input.tenders.map((t) => t.amount))
  const tenders = input.tenders.map((t, i) => ({ kind: t.kind, reference: t.reference, amount: parts[i] ?? 0 })).filter((t) => t.amount > 0)
  if (money > 0 && tenders.length === 0) tenders.push({ kind: 'cash', reference: null, amount: money })
  return { money, pointsValue, pointsBack: input.pointsBack, couponShare: input.total - pointsValue - money, tenders }
}
