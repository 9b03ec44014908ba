import { scopeToStore, type Scope } from '../../../shared/scope.js'
import { sql, type Insertable, type Selectable } from 'kysely'
import type { Db, Engine, Trx } from '../../../db/database.js'
import type { AssociationRulesTable, RuleLevel, RuleRunsTable } from './rules.table.js'

type Conn = Db | Trx

/** What a mining run reads: posted sales of a period, of a store or all, of members or everyone. */
export interface BasketScope {
  level: RuleLevel
  from: string
  to: string
  storeId: string | null
  membersOnly: boolean
}

/** One line's item: the receipt it is on and its key at the level. */
export interface BasketLine { r: string; k: string }

const ITEM_COLUMN: Record<RuleLevel, string> = { sku: 'l.product_id', subcategory: 'p.subcategory', category: 'p.category', department: 'p.department' }

/**
 * The lines of the scope's sales as (receipt, item key), ordered by receipt: a line's product id
 * at the SKU level, its product's subcategory, category or department otherwise. Lines without
 * a catalogue product, or whose product has no name at the level, carry no item.
 */
export const basketLines = async (db: Conn, s: BasketScope): Promise<BasketLine[]> => {
  const item = sql.raw(ITEM_COLUMN[s.level])
  const join = s.level === 'sku' ? sql`` : sql`JOIN products p ON p.id = l.product_id`
  const store = s.storeId === null ? sql`` : sql`AND r.store_id = ${s.storeId}`
  const members = s.membersOnly ? sql`AND r.member_id IS NOT NULL` : sql``
  const { rows } = await sql<BasketLine>`
    SELECT l.receipt_id AS r, ${item} AS k
    FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id ${join}
    WHERE r.kind = 'sale' AND r.status = 'posted' AND r.business_date >= ${s.from} AND r.business_date <= ${s.to}
      AND ${item} IS NOT NULL ${store} ${members}
    ORDER BY l.receipt_id`.execute(db)
  return rows
}

export type RunRow = Selectable<RuleRunsTable>
export type RuleRow = Selectable<AssociationRulesTable>

export const insertRun = async (trx: Trx, row: Insertable<RuleRunsTable>): Promise<void> => {
  await trx.insertInto('rule_runs').values(row).execute()
}

/** 11 columns a row: 500 rows stay under SQLite's 32,766 parameters. */
const CHUNK = 500

export const insertRules = async (trx: Trx, rows: Array<Insertable<AssociationRulesTable>>): Promise<void> => {
  for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('association_rules').values(rows.slice(i, i + CHUNK)).execute()
}

/** Deletes every run but the newest `keep` (and their rules). */
export const pruneRuns = async (trx: Trx, keep: number): Promise<number> => {
  const old = await trx.selectFrom('rule_runs').select('id').orderBy('mined_at', 'desc').orderBy('id', 'desc').offset(keep).limit(1_000_000).execute()
  if (old.length === 0) return 0
  const ids = old.map((r) => r.id)
  await trx.deleteFrom('association_rules').where('run_id', 'in', ids).execute()
  await trx.deleteFrom('rule_runs').where('id', 'in', ids).execute()
  return ids.length
}

export const getRun = (db: Conn, id: string): Promise<RunRow | undefined> =>
  db.selectFrom('rule_runs').selectAll().where('id', '=', id).executeTakeFirst()

/** The newest runs, of the scope's stores (a chain scope: every run, the chain's and each store's). */
export const listRuns = (db: Conn, limit: number, scope: Scope): Promise<RunRow[]> =>
  scopeToStore(db.selectFrom('rule_runs').selectAll(), scope, 'store_id').orderBy('mined_at', 'desc').orderBy('id', 'desc').limit(limit).execute()

export interface RuleFilter {
  /** rules with this item key on either side */
  item?: string
  /** where the item must be: the left side, the right side, or either */
  side?: 'antecedent' | 'consequent' | 'either'
  minSupport?: number
  minConfidence?: number
  minLift?: number
  /** items on both sides together */
  size?: number
}

export type RuleSort = 'lift' | 'confidence' | 'support'

/** Whether a stored JSON array of keys holds `key` (as its JSON string, `"key"`: case and all). */
const holds = (engine: Engine, column: 'antecedent' | 'consequent', key: string) => {
  const needle = JSON.stringify(key)
  return engine === 'sqlite' ? sql<boolean>`instr(${sql.ref(column)}, ${needle}) > 0` : sql<boolean>`strpos(${sql.ref(column)}, ${needle}) > 0`
}

const filtered = (db: Conn, engine: Engine, runId: string, f: RuleFilter) => {
  let q = db.selectFrom('association_rules').where('run_id', '=', runId)
  if (f.minSupport !== undefined) q = q.where('support', '>=', f.minSupport)
  if (f.minConfidence !== undefined) q = q.where('confidence', '>=', f.minConfidence)
  if (f.minLift !== undefined) q = q.where('lift', '>=', f.minLift)
  if (f.size !== undefined) q = q.where('size', '=', f.size)
  if (f.item !== undefined) {
    const key = f.item
    const side = f.side ?? 'either'
    q = q.where((eb) => eb.or([
      ...(side !== 'consequent' ? [holds(engine, 'antecedent', key)] : []),
      ...(side !== 'antecedent' ? [holds(engine, 'consequent', key)] : []),
    ]))
  }
  return q
}

export const listRules = (db: Conn, engine: Engine, runId: string, f: RuleFilter, sort: RuleSort, limit: number, offset: number): Promise<RuleRow[]> => {
  let q = filtered(db, engine, runId, f).selectAll()
  if (sort === 'confidence') q = q.orderBy('confidence', 'desc')
  if (sort === 'support') q = q.orderBy('support', 'desc')
  return q.orderBy('rank').limit(limit).offset(offset).execute()
}

export const countRules = async (db: Conn, engine: Engine, runId: string, f: RuleFilter): Promise<number> => {
  const row = await filtered(db, engine, runId, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Both sides of every stored rule of a run (what its items are). */
export const ruleSides = (db: Conn, runId: string): Promise<Array<{ antecedent: string; consequent: string }>> =>
  db.selectFrom('association_rules').select(['antecedent', 'consequent']).where('run_id', '=', runId).execute()

/** Names of products by id (the SKU level's labels). */
export const productNames = async (db: Conn, ids: string[]): Promise<Map<string, { sku: string; name: string }>> => {
  const out = new Map<string, { sku: string; name: string }>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('products').select(['id', 'sku', 'name']).where('id', 'in', ids.slice(i, i + CHUNK)).execute()
    for (const r of rows) out.set(r.id, { sku: r.sku, name: r.name })
  }
  return out
}

/** A period's sales, of one store (`storeId`), of several (`storeIds`: a region manager's) or the chain's (neither). */
export interface PeriodScope { from: string; to: string; storeId: string | null; storeIds?: readonly string[] }

const periodWhere = (p: PeriodScope) => sql`r.kind = 'sale' AND r.status = 'posted' AND r.business_date >= ${p.from} AND r.business_date <= ${p.to}
  ${p.storeId !== null ? sql`AND r.store_id = ${p.storeId}` : p.storeIds ? (p.storeIds.length ? sql`AND r.store_id IN (${sql.join(p.storeIds)})` : sql`AND 1 = 0`) : sql``}`

/** Sales of the period with a catalogue product on a line: the baskets at the SKU level. */
export const countBaskets = async (db: Conn, p: PeriodScope): Promise<number> => {
  const { rows } = await sql<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM receipts r WHERE ${periodWhere(p)}
      AND EXISTS (SELECT 1 FROM receipt_lines l WHERE l.receipt_id = r.id AND l.product_id IS NOT NULL)`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

/**
 * For the period's sales with `productId` on them: how many there are, and per other product
 * how many of them it is on too (the most first, `limit` of them).
 */
export const boughtWith = async (db: Conn, productId: string, p: PeriodScope, limit: number): Promise<{ baskets: number; others: Array<{ productId: string; together: number }> }> => {
  // One statement: the sales with the product found once, counted, and joined to their lines (the
  // count rides on every row, and on the one row of NULLs when nothing else was bought with it).
  const { rows } = await sql<{ baskets: number | string; product_id: string | null; together: number | string | null }>`
    WITH b AS (SELECT DISTINCT l.receipt_id AS id FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id WHERE l.product_id = ${productId} AND ${periodWhere(p)}),
      n AS (SELECT COUNT(*) AS baskets FROM b),
      o AS (
        SELECT l.product_id AS product_id, COUNT(DISTINCT l.receipt_id) AS together
        FROM receipt_lines l JOIN b ON b.id = l.receipt_id
        WHERE l.product_id IS NOT NULL AND l.product_id <> ${productId}
        GROUP BY l.product_id ORDER BY together DESC, product_id LIMIT ${limit})
    SELECT n.baskets AS baskets, o.product_id AS product_id, o.together AS together
    FROM n LEFT JOIN o ON 1 = 1 ORDER BY o.together DESC, o.product_id`.execute(db)
  return {
    baskets: Number(rows[0]?.baskets ?? 0),
    others: rows.filter((r) => r.product_id !== null).map((r) => ({ productId: r.product_id!, together: Number(r.together) })),
  }
}

/** Per product, the period's sales it is on. */
export const productBaskets = async (db: Conn, ids: string[], p: PeriodScope): Promise<Map<string, number>> => {
  const out = new Map<string, number>()
  if (ids.length === 0) return out
  const { rows } = await sql<{ product_id: string; n: number | string }>`
    SELECT l.product_id AS product_id, COUNT(DISTINCT l.receipt_id) AS n
    FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id
    WHERE l.product_id IN (${sql.join(ids)}) AND ${periodWhere(p)}
    GROUP BY l.product_id`.execute(db)
  for (const r of rows) out.set(r.product_id, Number(r.n))
  return out
}

export const productExists = async (db: Conn, id: string): Promise<{ id: string; sku: string; name: string } | undefined> =>
  db.selectFrom('products').select(['id', 'sku', 'name']).where('id', '=', id).executeTakeFirst()
