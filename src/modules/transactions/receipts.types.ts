import type { EarnExplanation } from '../loyalty/index.js'
import type { RefusalFacts } from '../rewards/index.js'
import type { MemberRef, Refund, ReturnLineInput } from './receipt-rules.js'
import type { ReceiptSource, TenderKind } from './receipts.table.js'

// What the till's service answers: posted receipts, quotes, return requests and receipt views.

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

