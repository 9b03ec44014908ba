import { sql, type Insertable, type Selectable } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import type { ProductNeighboursTable, RecommendationModelsTable, RecommendationPopularTable } from './recommendations.table.js'

type Conn = Db | Trx

export type ModelRow = Selectable<RecommendationModelsTable>

/** One member's product in a period: on how many days they bought it (n). */
export interface MemberProductRow { m: string; k: string; n: number | string }

/**
 * Members' products in a period (posted sales with a catalogue product), ordered by member and,
 * within a member, the most-bought first; one page of at most `limit` rows after member `after`.
 * A page may end inside a member: the caller drops that member and asks again after the one before.
 */
export const memberProducts = async (db: Conn, p: { from: string; to: string; after: string; limit: number }): Promise<MemberProductRow[]> => {
  const { rows } = await sql<MemberProductRow>`
    SELECT r.member_id AS m, l.product_id AS k, COUNT(DISTINCT r.business_date) AS n
    FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
    WHERE r.kind = 'sale' AND r.status = 'posted' AND r.member_id IS NOT NULL AND r.member_id > ${p.after}
      AND r.business_date >= ${p.from} AND r.business_date <= ${p.to} AND l.product_id IS NOT NULL
    GROUP BY r.member_id, l.product_id
    ORDER BY r.member_id, n DESC, l.product_id
    LIMIT ${p.limit}`.execute(db)
  return rows
}

/** One product of a member's history: days bought (n) and the last business date. */
export interface HistoryRow { k: string; n: number | string; last: string }

/** A member's products bought on posted sales since `from`, the most-bought first, at most `limit`. */
export const memberHistory = async (db: Conn, memberId: string, from: string, limit: number): Promise<HistoryRow[]> => {
  const { rows } = await sql<HistoryRow>`
    SELECT l.product_id AS k, COUNT(DISTINCT r.business_date) AS n, MAX(r.business_date) AS last
    FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
    WHERE r.member_id = ${memberId} AND r.kind = 'sale' AND r.status = 'posted' AND r.business_date >= ${from} AND l.product_id IS NOT NULL
    GROUP BY l.product_id
    ORDER BY n DESC, last DESC, l.product_id
    LIMIT ${limit}`.execute(db)
  return rows
}

/** 7 columns a row: 1,000 rows stay under SQLite's 32,766 parameters. */
const CHUNK = 1000

export const insertModel = async (trx: Trx, row: Insertable<RecommendationModelsTable>): Promise<void> => {
  await trx.insertInto('recommendation_models').values(row).execute()
}

export const insertNeighbours = async (trx: Trx, rows: Array<Insertable<ProductNeighboursTable>>): Promise<void> => {
  for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('product_neighbours').values(rows.slice(i, i + CHUNK)).execute()
}

export const insertPopular = async (trx: Trx, rows: Array<Insertable<RecommendationPopularTable>>): Promise<void> => {
  if (rows.length > 0) await trx.insertInto('recommendation_popular').values(rows).execute()
}

/** Deletes every model but the newest `keep` (with their neighbours and popular lists). */
export const pruneModels = async (trx: Trx, keep: number): Promise<number> => {
  const old = await trx.selectFrom('recommendation_models').select('id').orderBy('built_at', 'desc').orderBy('id', 'desc').offset(keep).limit(1_000_000).execute()
  if (old.length === 0) return 0
  const ids = old.map((r) => r.id)
  await trx.deleteFrom('product_neighbours').where('model_id', 'in', ids).execute()
  await trx.deleteFrom('recommendation_popular').where('model_id', 'in', ids).execute()
  await trx.deleteFrom('recommendation_models').where('id', 'in', ids).execute()
  return ids.length
}

export const latestModel = (db: Conn): Promise<ModelRow | undefined> =>
  db.selectFrom('recommendation_models').selectAll().orderBy('built_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()

export const neighboursOf = (db: Conn, modelId: string, productIds: string[]) =>
  productIds.length === 0
    ? Promise.resolve([])
    : db.selectFrom('product_neighbours').select(['product_id', 'kind', 'neighbour_id', 'score'])
      .where('model_id', '=', modelId).where('product_id', 'in', productIds).orderBy('product_id').orderBy('kind').orderBy('rank').execute()

export const popularOf = (db: Conn, modelId: string) =>
  db.selectFrom('recommendation_popular').select(['product_id', 'rank']).where('model_id', '=', modelId).orderBy('rank').execute()

export interface ProductRow {
  id: string
  sku: string
  name: string
  category: string | null
  list_price: number
  member_price: number | null
  points_eligible: number
  sold_by_weight: number
  status: string
}

export const productsByIds = async (db: Conn, ids: string[]): Promise<Map<string, ProductRow>> => {
  const out = new Map<string, ProductRow>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('products').select(['id', 'sku', 'name', 'category', 'list_price', 'member_price', 'points_eligible', 'sold_by_weight', 'status'])
      .where('id', 'in', ids.slice(i, i + CHUNK)).execute()
    for (const r of rows) out.set(r.id, { ...r, list_price: Number(r.list_price), member_price: r.member_price === null ? null : Number(r.member_price), points_eligible: Number(r.points_eligible), sold_by_weight: Number(r.sold_by_weight) })
  }
  return out
}
