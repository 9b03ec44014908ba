import type { components } from '../../api/schema.js'

export type Receipt = components['schemas']['Receipt']
export type ReceiptLine = Receipt['lines'][number]

/** A line's quantity: pieces as a count, goods by weight in kg (the API counts grams). */
export const quantityText = (line: Pick<ReceiptLine, 'quantity' | 'unit'>): string =>
  line.unit === 'g' ? `${Number((line.quantity / 1000).toFixed(3))} kg` : String(line.quantity)

/** Dates picked as business dates (YYYY-MM-DD) for the list's from / to filters, the end included. */
export const dateRangeQuery = (range: [{ format: (f: string) => string }, { format: (f: string) => string }] | null | undefined) =>
  range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {}
