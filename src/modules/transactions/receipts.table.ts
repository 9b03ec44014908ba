import type { TenderKind } from '../../shared/tenders.js'
export type { TenderKind }

export type ReceiptKind = 'sale' | 'return'
/** A return that arrived before its sale is `pending` until the sale is posted. */
export type ReceiptStatus = 'posted' | 'pending'
export type ReceiptSource = 'till' | 'batch' | 'console' | 'import'
export type LineUnit = 'piece' | 'g'

export interface ReceiptsTable {
  id: string
  store_id: string
  till: string | null
  /** unique per store: the idempotency key of a sale or a return */
  receipt_no: string
  kind: ReceiptKind
  status: ReceiptStatus
  original_receipt_id: string | null
  original_receipt_no: string | null
  member_id: string | null
  business_at: string
  /** the chain's local date of business_at, what reports group by */
  business_date: string
  /** fen; negative-free: a return's total is the amount refunded */
  total: number
  /** fen that earned (or, on a return, reversed) points */
  eligible_amount: number
  /** on a sale: earned; on a return: reversed */
  points_earned: number
  /** on a sale: paid with points; on a return: given back */
  points_used: number
  line_count: number
  cashier: string | null
  source: ReceiptSource
  import_id: string | null
  /** hash of the submitted content: a resend with other content under the same number is refused */
  payload_hash: string
  /** JSON of the response given when it was posted, returned again to a resend */
  result: string | null
  /** JSON of a pending return's request, applied when its sale arrives */
  pending_payload: string | null
  created_at: string
  /** a return taken at a desk: why (RETURN_REASONS), with a note */
  return_reason?: string | null
  return_note?: string | null
  /** a return above the chain's limit: the manager who approved it */
  approved_by?: string | null
}

export interface ReceiptLinesTable {
  receipt_id: string
  line_no: number
  product_id: string | null
  sku: string
  /** pieces, or grams for goods sold by weight */
  quantity: number
  unit: LineUnit
  /** fen per piece or per kilogram */
  unit_price: number
  discount: number
  amount: number
  /** points this line earned (a sale) or reversed (a return) */
  points: number
  /** points tendered that paid for this line (a sale) or were given back (a return) */
  points_used: number
  returned_quantity: number
  returned_amount: number
  returned_points: number
  refunded_points: number
  /** fen of the line coupons paid (a sale), or of the refund (a return) */
  coupon_amount: number
  returned_coupon_amount: number
  original_line_no: number | null
}

export interface ReceiptTendersTable {
  receipt_id: string
  seq: number
  kind: TenderKind
  amount: number
  points: number | null
  reference: string | null
}

/** A desk return above the chain's limit, waiting for a store manager; it moves nothing until approved. */
export interface ReturnApprovalsTable {
  id: string
  store_id: string
  /** the return's own number, kept when it is posted */
  receipt_no: string
  original_receipt_id: string
  original_receipt_no: string
  member_id: string | null
  /** fen the return would refund, as reckoned when asked */
  total: number
  /** JSON of the return as asked (ReturnInput) */
  request: string
  payload_hash: string
  reason: string
  note: string | null
  status: 'pending' | 'approved' | 'rejected'
  requested_by: string
  decided_by: string | null
  decided_at: string | null
  decision_note: string | null
  return_receipt_id: string | null
  created_at: string
}

/** A store's own values of the till settings HQ lets stores change (the rest are HQ's). */
export interface StoreTillSettingsTable {
  store_id: string
  /** JSON: Partial<TillSettings>, the settings this store sets itself */
  overrides: string
  updated_by: string | null
  updated_at: string
}

export interface ReceiptsTables {
  store_till_settings: StoreTillSettingsTable
  receipts: ReceiptsTable
  receipt_lines: ReceiptLinesTable
  receipt_tenders: ReceiptTendersTable
  return_approvals: ReturnApprovalsTable
}
