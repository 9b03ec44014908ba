import type { components } from '../../api/schema.js'

export type Receipt = components['schemas']['Receipt']
export type ReceiptLine = Receipt['lines'][number]

/** A line's quantity: pieces as a count, goods by weight in kg (the API counts grams). */
export const quantityText = (line: Pick<ReceiptLine, 'quantity' | 'unit'>): string =>
  line.unit === 'g' ? `${Number((line.quantity / 1000).toFixed(3))} kg` : String(line.quantity)

/** Dates picked as business dates (YYYY-MM-DD) for the list's from / to filters, the end included. */
export const dateRangeQuery = (range: [{ format: (f: string) => string }, { format: (f: string) => string }] | null | undefined) =>
  range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {}

/** What is left to return of each line of a sale (pieces, or grams for goods by weight). */
export const returnable = (receipt: Pick<Receipt, 'lines'>): Array<{ lineNo: number; left: number }> =>
  receipt.lines.map((l) => ({ lineNo: l.lineNo, left: Math.max(0, l.quantity - l.returnedQuantity) }))

/** Whether anything of a sale can still be returned. */
export const canReturn = (receipt: Pick<Receipt, 'kind' | 'status' | 'lines'>): boolean =>
  receipt.kind === 'sale' && receipt.status === 'posted' && returnable(receipt).some((l) => l.left > 0)

/** The lines of a return as the API takes them: only those with a quantity, none above what is left. */
export const returnLines = (receipt: Pick<Receipt, 'lines'>, picked: Record<number, number | null | undefined>): Array<{ originalLineNo: number; quantity: number }> =>
  returnable(receipt).flatMap(({ lineNo, left }) => {
    const q = Math.min(Math.max(Math.floor(picked[lineNo] ?? 0), 0), left)
    return q > 0 ? [{ originalLineNo: lineNo, quantity: q }] : []
  })

export type PostResult = components['schemas']['PostResult']
export type Refund = NonNullable<PostResult['refund']>

/** The words a translator gives, as the helpers below need them. */
type Words = (key: string, values?: Record<string, unknown>) => string

/**
 * What the desk says when a return is recorded: the money to hand back, tender by tender, then
 * the points given back, what coupons paid (kept) and the points taken back. The money comes first
 * because it is what the cashier counts out.
 */
export const refundText = (t: Words, refund: Refund, reversed: number, money: (fen: number) => string, count: (n: number) => string): string => {
  const back = refund.tenders.map((x) => t('returns.handBackTender', { tender: t(`tenders.${x.kind}`), amount: money(x.amount) }))
  const parts = [
    refund.money > 0 ? t('returns.handBack', { money: money(refund.money), tenders: back.join(t('returns.tenderJoin')) }) : t('returns.nothingBack'),
    ...(refund.pointsBack > 0 ? [t('returns.pointsBack', { points: count(refund.pointsBack), value: money(refund.pointsValue) })] : []),
    ...(refund.couponShare > 0 ? [t('returns.couponKept', { coupon: money(refund.couponShare) })] : []),
    ...(reversed > 0 ? [t('returns.reversed', { points: count(reversed) })] : []),
  ]
  return parts.join(t('returns.separator'))
}

/** A member as the receipts list names them: the masked name and the card's last four digits. */
export const memberText = (t: Words, receipt: Pick<Receipt, 'memberName' | 'memberCardNo'>): string | null => {
  if (!receipt.memberCardNo) return receipt.memberName ?? null
  const last4 = receipt.memberCardNo.slice(-4)
  return receipt.memberName ? t('list.member', { name: receipt.memberName, last4 }) : t('list.memberNoName', { last4 })
}

/** A receipt's points in the list: a sale earns and uses them, a return takes back what was earned and gives back what paid. */
export const pointsTexts = (t: Words, receipt: Pick<Receipt, 'kind' | 'points' | 'pointsUsed'>, count: (n: number) => string): Array<{ text: string; tone: 'success' | 'danger' | 'secondary' }> => {
  const sale = receipt.kind === 'sale'
  return [
    ...(receipt.points !== 0 ? [{ text: t(sale ? 'list.earned' : 'list.reversed', { points: count(receipt.points) }), tone: sale ? 'success' as const : 'danger' as const }] : []),
    ...(receipt.pointsUsed !== 0 ? [{ text: t(sale ? 'list.used' : 'list.refunded', { points: count(receipt.pointsUsed) }), tone: sale ? 'secondary' as const : 'success' as const }] : []),
  ]
}
