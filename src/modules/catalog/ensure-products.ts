import type { Db, Trx } from '../../db/database.js'
import { unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { findPiecePricedBetween, findProductRowsBySkus, insertProductsIfAbsent } from './catalog.repository.js'
import type { ProductsTable } from './catalog.table.js'
import { toProductForPricing, type ProductForPricing } from './catalog.types.js'
import { NAME_MAX, skuProblem } from './product-rules.js'

export interface ReceiptLineProduct {
  sku: string
  name?: string | null
  unitPrice: number
  soldByWeight?: boolean
}

const toMap = (rows: ProductsTable[], into = new Map<string, ProductForPricing>()) => {
  for (const row of rows) into.set(row.sku, toProductForPricing(row))
  return into
}

/** The products of these SKUs (any status), by SKU; unknown SKUs are simply absent. */
export const findProductsBySkus = async (conn: Db | Trx, skus: readonly string[]): Promise<Map<string, ProductForPricing>> =>
  toMap(await findProductRowsBySkus(conn, [...new Set(skus)]))

/** Active products sold by the piece priced between `minFen` and `maxFen`, by SKU, at most `limit`. */
export const findPiecePricedProducts = async (conn: Db | Trx, minFen: number, maxFen: number, limit: number): Promise<ProductForPricing[]> =>
  (await findPiecePricedBetween(conn, minFen, maxFen, limit)).map(toProductForPricing)

const placeholderName = (line: ReceiptLineProduct): string => {
  const name = (line.name ?? '').replace(/\p{Cc}/gu, ' ').trim()
  return [...(name || line.sku)].slice(0, NAME_MAX).join('')
}

/**
 * The product of every SKU on a receipt, by SKU. A SKU the catalogue does not know yet is
 * added from the line (source 'receipt': its name, its unit price as list price, points
 * eligible) so a receipt is never refused for a product HQ has not loaded; the catalogue
 * import fills such products in later.
 *
 * One SELECT when every SKU is known (the till's usual case). Unknown SKUs are inserted with
 * ON CONFLICT DO NOTHING and read again, so two receipts adding the same new SKU at once both
 * succeed and share one product.
 */
export const ensureProductsForLines = async (
  trx: Db | Trx,
  lines: Array<{ sku: string; name?: string | null; unitPrice: number; soldByWeight?: boolean }>,
  now: string,
): Promise<Map<string, ProductForPricing>> => {
  const errors: ErrorDetail[] = []
  lines.forEach((line, i) => {
    const problem = skuProblem(line.sku)
    if (problem) errors.push({ field: `lines.${i}.sku`, reason: problem })
  })
  if (errors.length) throw unprocessable('VALIDATION', errors)

  const products = await findProductsBySkus(trx, lines.map((l) => l.sku))
  const missing = new Map<string, ReceiptLineProduct>()
  lines.forEach((line, i) => {
    if (products.has(line.sku) || missing.has(line.sku)) return
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      errors.push({ field: `lines.${i}.unitPrice`, reason: 'must be a whole number of fen, 0 or more' })
    }
    missing.set(line.sku, line)
  })
  if (missing.size === 0) return products
  if (errors.length) throw unprocessable('VALIDATION', errors)

  // In SKU order, so two receipts adding the same new SKUs cannot deadlock on PostgreSQL.
  await insertProductsIfAbsent(trx, [...missing.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).map((line): ProductsTable => ({
    id: newId('prd'), sku: line.sku, name: placeholderName(line), barcode: null,
    department: null, category: null, subcategory: null, brand: null,
    list_price: line.unitPrice, member_price: null, points_eligible: 1, sold_by_weight: line.soldByWeight ? 1 : 0,
    status: 'active', source: 'receipt', created_at: now, updated_at: now,
  })))
  return toMap(await findProductRowsBySkus(trx, [...missing.keys()]), products)
}
