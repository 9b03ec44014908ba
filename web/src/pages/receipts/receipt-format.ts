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
