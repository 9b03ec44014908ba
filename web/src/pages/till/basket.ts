import { couponTenders } from './coupons.js'
import type { Quote, QuoteBody, SaleBody, TenderKind, Unit } from './types.js'

/** A line of the basket as the cashier builds it; the quote then prices it. */
export interface BasketLine {
  /** local to the basket */
  id: string
  sku: string
  name: string
  unit: Unit
  /** pieces, or grams for goods sold by weight */
  quantity: number
  /** fen per piece or per kg: the catalogue's list price, or what the cashier typed for an unknown SKU */
  listPrice: number
  memberPrice: number | null
  /** false: a SKU the catalogue does not know, sold at the price the cashier typed */
  known: boolean
}

export type NewLine = Omit<BasketLine, 'id' | 'quantity'>

export const MAX_QUANTITY: Record<Unit, number> = { piece: 100_000, g: 1_000_000 }

/** The undiscounted amount of a line, as the server reckons it: grams are priced per kg, to the fen. */
export const grossOf = (quantity: number, unitPrice: number, unit: Unit): number =>
  unit === 'g' ? Math.round((quantity * unitPrice) / 1000) : quantity * unitPrice

/**
 * An entry in the item box: a SKU or barcode, optionally preceded by a quantity (`3*6901234567890`
 * or `3×…`: pieces, or grams for goods sold by weight). null for an empty or nonsensical entry.
 */
export const parseItemEntry = (raw: string): { code: string; quantity: number | null } | null => {
  const text = raw.trim()
  if (!text) return null
  const match = /^(\d+)\s*[*×]\s*(.*)$/.exec(text)
  if (!match) return { code: text, quantity: null }
  const quantity = Number(match[1])
  const code = match[2]!.trim()
  if (!code || quantity < 1 || quantity > MAX_QUANTITY.g) return null
  return { code, quantity }
}

/** Yuan as typed at the till (12.5, ¥12.50) in fen; null unless a price of at most two decimals. */
export const parseYuan = (raw: string): number | null => {
  const match = /^[¥￥]?\s*(\d{1,8})(?:\.(\d{1,2}))?$/.exec(raw.trim())
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

/**
 * Adds an item: another piece of a line already in the basket (same SKU and price) goes onto
 * that line; goods sold by weight always get a line of their own. Returns the line touched.
 */
export const addItem = (lines: BasketLine[], item: NewLine, quantity: number, newId: () => string): { lines: BasketLine[]; id: string } => {
  const same = item.unit === 'piece' ? lines.find((l) => l.sku === item.sku && l.unit === 'piece' && l.listPrice === item.listPrice) : undefined
  if (same) {
    const merged = Math.min(same.quantity + quantity, MAX_QUANTITY.piece)
    return { lines: lines.map((l) => (l === same ? { ...l, quantity: merged } : l)), id: same.id }
  }
  const id = newId()
  return { lines: [...lines, { ...item, id, quantity: Math.min(quantity, MAX_QUANTITY[item.unit]) }], id }
}

export const setQuantity = (lines: BasketLine[], id: string, quantity: number): BasketLine[] =>
  lines.map((l) => (l.id === id ? { ...l, quantity: Math.max(1, Math.min(Math.round(quantity), MAX_QUANTITY[l.unit])) } : l))

export const removeLine = (lines: BasketLine[], id: string): BasketLine[] => lines.filter((l) => l.id !== id)

/** The basket as the quote takes it: known products are priced by the server, others carry their price. */
export const quoteLines = (lines: BasketLine[]): QuoteBody['lines'] =>
  lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unit: l.unit, ...(l.known ? {} : { unitPrice: l.listPrice }) }))

/** Everything a quote depends on, as one string: a quote answers for exactly this. */
export const quoteKey = (storeId: string | null, memberId: string | null, lines: BasketLine[], pointsToUse: number, coupons: readonly string[] = []): string =>
  JSON.stringify([storeId, memberId, quoteLines(lines), pointsToUse, coupons])

/**
 * The receipt's lines from the quote: the list price with the member saving as the line's
 * discount, so the receipt keeps both and each line still adds up (gross − discount = amount).
 */
export const saleLines = (quote: Quote, lines: BasketLine[]): SaleBody['lines'] =>
  quote.lines.map((q, i) => {
    const line = lines[i]
    return {
      sku: q.sku, quantity: q.quantity, unit: q.unit, unitPrice: q.listPrice, amount: q.amount,
      ...(q.savings > 0 ? { discount: q.savings } : {}),
      ...(line && !line.known && line.name !== line.sku ? { name: line.name } : {}),
    }
  })

/** Fen per point, as the quote implies it (null when no points can be used). */
export const pointValueOf = (quote: Pick<Quote, 'usablePoints' | 'usableValue'>): number | null =>
  quote.usablePoints > 0 ? quote.usableValue / quote.usablePoints : null

/**
 * The tenders of a sale: the coupons the quote accepted (each its discount, named by its code),
 * the points used, and the chosen tender for the rest, so the tenders add up to the total.
 */
export const saleTenders = (
  total: number, tender: TenderKind, pointsToUse: number, pointValueFen: number | null,
  coupons: ReadonlyArray<{ code: string; discount: number }> = [],
): SaleBody['tenders'] => {
  const pointsValue = pointsToUse > 0 && pointValueFen ? pointsToUse * pointValueFen : 0
  const couponValue = coupons.reduce((a, c) => a + c.discount, 0)
  const tenders: SaleBody['tenders'] = [
    ...couponTenders(coupons),
    ...(pointsValue > 0 ? [{ kind: 'points' as const, amount: pointsValue, points: pointsToUse }] : []),
  ]
  const rest = total - couponValue - pointsValue
  if (rest > 0 || tenders.length === 0) tenders.push({ kind: tender, amount: rest })
  return tenders
}

/** Change to give for cash received; null when not enough was received. */
export const changeFor = (due: number, received: number | null): number | null =>
  received === null || received < due ? null : received - due

/** The line a field of an API error names (`lines[2].amount`, `lines.2.amount`, `/lines/2/amount` → 2), or null. */
export const lineOfField = (field: string): number | null => fieldParts(field).line

/**
 * A field of an API error as its parts: the basket line it is about and the last name in it
 * (`lines.0.quantity` → line 0, quantity), so the till words it instead of showing the path.
 */
export const fieldParts = (field: string): { line: number | null; name: string | null } => {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split(/[./]/).filter((p) => p !== '' && p !== 'body')
  const at = parts.indexOf('lines')
  const line = at !== -1 && /^\d+$/.test(parts[at + 1] ?? '') ? Number(parts[at + 1]) : null
  const names = parts.filter((p) => !/^\d+$/.test(p))
  return { line, name: names[names.length - 1] ?? null }
}

/** Whether an entry could be a SKU the catalogue does not know yet (printable, no spaces, at most 64 characters). */
export const isCodeLike = (text: string): boolean => /^[\x21-\x7e]{1,64}$/.test(text)
