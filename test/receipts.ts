import type { SaleInput, TenderInput } from '../src/modules/transactions/index.js'

let counter = 0
/** A receipt number unique within the test run. */
export const nextReceiptNo = (prefix = 'R') => `${prefix}${process.pid}-${++counter}`

export interface SaleSpec {
  lines: Array<[sku: string, quantity: number, unitPrice: number]>
  member?: SaleInput['member']
  /** points to pay with (1 fen each by default) */
  points?: number
  receiptNo?: string
  businessAt?: string
  storeId?: string
  tenders?: TenderInput[]
  /** coupons applied, with what each takes off */
  coupons?: Array<{ code: string; amount: number }>
}

/** A well-formed sale: amounts add up, the rest is cash. */
export const sale = (spec: SaleSpec): SaleInput => {
  const lines = spec.lines.map(([sku, quantity, unitPrice]) => ({ sku, quantity, unitPrice, amount: quantity * unitPrice }))
  const total = lines.reduce((a, l) => a + l.amount, 0)
  const points = spec.points ?? 0
  const coupons = spec.coupons ?? []
  const off = coupons.reduce((a, c) => a + c.amount, 0)
  const tenders: TenderInput[] = spec.tenders ?? [
    ...coupons.map((c) => ({ kind: 'coupon' as const, amount: c.amount, reference: c.code })),
    ...(points > 0 ? [{ kind: 'points' as const, amount: points, points }] : []),
    ...(total - points - off > 0 || (points === 0 && off === 0) ? [{ kind: 'cash' as const, amount: total - points - off }] : []),
  ]
  return {
    receiptNo: spec.receiptNo ?? nextReceiptNo(),
    businessAt: spec.businessAt ?? '2026-03-02T01:00:00.000Z',
    member: spec.member ?? null,
    lines, tenders, total,
    ...(spec.storeId ? { storeId: spec.storeId } : {}),
  }
}
