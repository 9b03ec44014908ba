import type { ErrorDetail } from '../../shared/errors.js'
import type { ProductFields } from './catalog.types.js'

// Pure rules of the catalogue: formats and the price invariant. No I/O.

export const SKU_MAX = 64
export const NAME_MAX = 200
export const LABEL_MAX = 64

const CONTROL = /\p{Cc}/u

/** Why a SKU is refused, or null when it is fine. SKUs are taken as given: tills match them exactly. */
export const skuProblem = (sku: string): string | null => {
  if (sku.length === 0) return 'is required'
  if ([...sku].length > SKU_MAX) return `longer than ${SKU_MAX} characters`
  if (sku.trim() !== sku) return 'must not start or end with whitespace'
  if (CONTROL.test(sku)) return 'contains control characters'
  return null
}

/** EAN-8, UPC-A, EAN-13 and GTIN-14 are all 8 to 14 digits. */
export const isValidBarcode = (barcode: string): boolean => /^\d{8,14}$/.test(barcode)

const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

const text = (v: unknown): string | null => {
  if (v === undefined || v === null) return null
  const t = String(v).trim()
  return t === '' ? null : t
}

/**
 * Normalises and validates the product fields present in `input` (absent keys stay absent, so
 * an update touches only what it names). `current` is the product being updated: the member
 * price is checked against the list price it will have afterwards.
 */
export const checkProduct = (
  input: Partial<Record<keyof ProductFields, unknown>>,
  current?: Pick<ProductFields, 'listPrice' | 'memberPrice'>,
): { value: Partial<ProductFields>; errors: ErrorDetail[] } => {
  const errors: ErrorDetail[] = []
  const value: Partial<ProductFields> = {}
  const has = (k: keyof ProductFields) => Object.prototype.hasOwnProperty.call(input, k) && input[k] !== undefined

  if (has('name')) {
    const name = text(input.name)
    if (name === null) errors.push({ field: 'name', reason: 'is required' })
    else if ([...name].length > NAME_MAX) errors.push({ field: 'name', reason: `longer than ${NAME_MAX} characters` })
    else if (CONTROL.test(name)) errors.push({ field: 'name', reason: 'contains control characters' })
    else value.name = name
  }
  if (has('barcode')) {
    const barcode = text(input.barcode)
    if (barcode !== null && !isValidBarcode(barcode)) errors.push({ field: 'barcode', reason: 'must be 8 to 14 digits' })
    else value.barcode = barcode
  }
  for (const k of ['department', 'category', 'subcategory', 'brand'] as const) {
    if (!has(k)) continue
    const label = text(input[k])
    if (label !== null && [...label].length > LABEL_MAX) errors.push({ field: k, reason: `longer than ${LABEL_MAX} characters` })
    else if (label !== null && CONTROL.test(label)) errors.push({ field: k, reason: 'contains control characters' })
    else value[k] = label
  }
  if (has('listPrice')) {
    if (isFen(input.listPrice)) value.listPrice = input.listPrice
    else errors.push({ field: 'listPrice', reason: 'must be a whole number of fen, 0 or more' })
  }
  if (has('memberPrice')) {
    if (input.memberPrice === null || isFen(input.memberPrice)) value.memberPrice = input.memberPrice
    else errors.push({ field: 'memberPrice', reason: 'must be a whole number of fen, 0 or more, or null' })
  }
  for (const k of ['pointsEligible', 'soldByWeight'] as const) {
    if (!has(k)) continue
    if (typeof input[k] === 'boolean') value[k] = input[k]
    else errors.push({ field: k, reason: 'must be true or false' })
  }

  const listPrice = value.listPrice ?? current?.listPrice
  const memberPrice = value.memberPrice !== undefined ? value.memberPrice : current?.memberPrice
  const priceChecked = !errors.some((e) => e.field === 'listPrice' || e.field === 'memberPrice')
  if (priceChecked && listPrice !== undefined && memberPrice != null && memberPrice > listPrice) {
    errors.push({ field: 'memberPrice', reason: 'must not exceed the list price' })
  }
  return { value, errors }
}

/** Yuan as written in a file (`12.5`, `12.50`, `¥1,299`) in fen; null when it is not a price. */
export const parseYuan = (raw: string): number | null => {
  const m = /^[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(raw.trim())
  if (!m) return null
  // String arithmetic: 0.29 * 100 is 28.999999999999996 in floating point.
  const fen = Number(m[1]!.replace(/,/g, '')) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return Number.isSafeInteger(fen) ? fen : null
}

const TRUE_WORDS = new Set(['1', 'true', 'y', 'yes', '是'])
const FALSE_WORDS = new Set(['0', 'false', 'n', 'no', '否'])

/** A yes/no cell: true, false, or null when it is neither. */
export const parseFlag = (raw: string): boolean | null => {
  const word = raw.trim().toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  return null
}
