import { sql, type ExpressionBuilder } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { ProductsTable } from './catalog.table.js'
import type { ProductSource, ProductStatus } from './catalog.types.js'

type Conn = Db | Trx

export interface ProductFilter {
  /** Part of the SKU, name or barcode, any case. */
  q?: string
  department?: string
  category?: string
  subcategory?: string
  brand?: string
  status?: ProductStatus
  source?: ProductSource
  pointsEligible?: boolean
}

export const findProductById = (db: Conn, id: string) =>
  db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst()

export const findProductBySku = (db: Conn, sku: string) =>
  db.selectFrom('products').selectAll().where('sku', '=', sku).executeTakeFirst()

/** Several SKUs may share a barcode (a pack and its single): active first, then the latest changed. */
export const findProductByBarcode = (db: Conn, barcode: string) =>
  db.selectFrom('products').selectAll().where('barcode', '=', barcode)
    .orderBy(sql`case when status = 'active' then 0 else 1 end`).orderBy('updated_at', 'desc').orderBy('id', 'desc')
    .executeTakeFirst()

export const findProductRowsBySkus = async (db: Conn, skus: readonly string[]): Promise<ProductsTable[]> =>
  skus.length === 0 ? [] : db.selectFrom('products').selectAll().where('sku', 'in', [...skus]).execute()

export const insertProduct = (db: Conn, row: ProductsTable) => db.insertInto('products').values(row).execute()

/** Inserts the rows whose SKU is still free; a row whose SKU exists (or appears meanwhile) is left out. */
export const insertProductsIfAbsent = (db: Conn, rows: ProductsTable[]) =>
  db.insertInto('products').values(rows).onConflict((oc) => oc.column('sku').doNothing()).execute()

export const updateProduct = (db: Conn, id: string, patch: Partial<ProductsTable>) =>
  db.updateTable('products').set(patch).where('id', '=', id).execute()

const SQL_TYPE: Record<keyof ProductsTable, 'text' | 'bigint' | 'integer'> = {
  id: 'text', sku: 'text', name: 'text', barcode: 'text', department: 'text', category: 'text', subcategory: 'text', brand: 'text',
  list_price: 'bigint', member_price: 'bigint', points_eligible: 'integer', sold_by_weight: 'integer', status: 'text', source: 'text',
  created_at: 'text', updated_at: 'text',
}

/**
 * Applies a change per product in a few statements (one per set of changed columns and chunk,
 * `col = CASE id WHEN … THEN … END`): a row at a time, a catalogue-wide price change would take
 * a round trip per product.
 */
export const updateProductsInBulk = async (db: Conn, changes: ReadonlyArray<{ id: string; patch: Partial<ProductsTable> }>, at: string) => {
  const groups = new Map<string, Array<{ id: string; patch: Partial<ProductsTable> }>>()
  for (const c of changes) {
    const key = Object.keys(c.patch).sort().join(',')
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  for (const [key, rows] of groups) {
    const columns = (key ? key.split(',') : []) as Array<keyof ProductsTable>
    // Two values per row and column, one more per row for the WHERE: well under SQLite's limit.
    const per = Math.min(500, Math.max(1, Math.floor(10_000 / (columns.length * 2 + 1))))
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per)
      const set = Object.fromEntries(columns.map((col) => [col, sql`case id ${sql.join(chunk.map((r) => sql`when ${r.id} then cast(${r.patch[col]} as ${sql.raw(SQL_TYPE[col])})`), sql` `)} end`]))
      await db.updateTable('products').set({ ...set, updated_at: at }).where('id', 'in', chunk.map((r) => r.id)).execute()
    }
  }
}

// `%` and `_` in a search are literal characters, not wildcards.
const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const matches = (filter: ProductFilter) => (eb: ExpressionBuilder<DB, 'products'>) => {
  const conditions = []
  const q = filter.q?.trim()
  if (q) {
    const pattern = containsPattern(q)
    conditions.push(eb.or([
      sql<boolean>`lower(sku) like ${pattern} escape '\\'`,
      sql<boolean>`lower(name) like ${pattern} escape '\\'`,
      sql<boolean>`barcode like ${pattern} escape '\\'`,
    ]))
  }
  if (filter.department) conditions.push(eb('department', '=', filter.department))
  if (filter.category) conditions.push(eb('category', '=', filter.category))
  if (filter.subcategory) conditions.push(eb('subcategory', '=', filter.subcategory))
  if (filter.brand) conditions.push(eb('brand', '=', filter.brand))
  if (filter.status) conditions.push(eb('status', '=', filter.status))
  if (filter.source) conditions.push(eb('source', '=', filter.source))
  if (filter.pointsEligible !== undefined) conditions.push(eb('points_eligible', '=', filter.pointsEligible ? 1 : 0))
  return eb.and(conditions)
}

/** A page of products in SKU order, starting after `afterSku`; one row more than `limit` tells that more follow. */
export const listProductRows = (db: Conn, filter: ProductFilter, afterSku: string | undefined, limit: number) => {
  let q = db.selectFrom('products').selectAll().where(matches(filter))
  if (afterSku !== undefined) q = q.where('sku', '>', afterSku)
  return q.orderBy('sku').limit(limit + 1).execute()
}

export const countProductsByClass = (db: Conn, filter: Pick<ProductFilter, 'status'>) =>
  db.selectFrom('products')
    .select(['department', 'category', 'subcategory', (eb) => eb.fn.countAll<number>().as('n')])
    .where(matches(filter))
    .groupBy(['department', 'category', 'subcategory'])
    .execute()

export const findProductNamesByIds = (db: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('products').select(['id', 'name']).where('id', 'in', ids).execute()

/** Active products sold by the piece with a list price in [min, max] fen, by SKU (demo sales pick from them). */
export const findPiecePricedBetween = (db: Conn, minFen: number, maxFen: number, limit: number) =>
  db.selectFrom('products').selectAll().where('status', '=', 'active').where('sold_by_weight', '=', 0)
    .where('list_price', '>=', minFen).where('list_price', '<=', maxFen).orderBy('sku').limit(limit).execute()
