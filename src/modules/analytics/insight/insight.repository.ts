import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely'
import type { Db, Engine, Trx } from '../../../db/database.js'
import type { DB } from '../../../db/schema.js'
import * as days from './member-days.repository.js'

type Conn = Db | Trx

/** Which members a pass covers: all of them, or those listed in insight_dirty. */
export type Scope = 'all' | 'dirty'

/** The window's business dates, both inclusive, and the date the figures are as of. */
export interface WindowDates {
  asOf: string
  from: string
  to: string
  /** the window's first instant (UTC ISO) and the first instant after it, in the chain's zone */
  fromAt: string
  untilAt: string
}

/** Points entries of a member's redemptions outside the till: gifts, draws, and a cancelled gift order's points back. */
const REDEMPTION = sql`(kind IN ('redeem', 'draw') OR (kind = 'refund' AND substr(reference, 1, 4) = 'gor_'))`

export interface ReceiptMark {
  createdAt: string
  id: string
}

// Temporary tables of one refresh (dropped at its end; each engine keeps them per connection).
const TMP = ['insight_tmp_lines', 'insight_tmp_stores', 'insight_tmp_members', 'insight_tmp_main_store', 'insight_tmp_main_department',
  'insight_tmp_main_category', 'insight_tmp_promo', 'insight_tmp_coupons', 'insight_tmp_redeemed', 'insight_tmp_window', 'insight_tmp_rows'] as const

const inDirty = (scope: Scope, column: string): RawBuilder<unknown> =>
  scope === 'dirty' ? sql`AND ${sql.ref(column)} IN (SELECT member_id FROM insight_dirty)` : sql``

const text = (v: string): RawBuilder<string> => sql<string>`CAST(${v} AS text)`

/**
 * The receipts as a full pass reads them. SQLite would walk receipts_member_idx (or the id index)
 * and fetch every row it names at random; a member's receipts are half of the table, and reading
 * the table straight through is faster (8.6 s against 14.4 s at 5M receipts).
 */
const everyReceipt = (engine: Engine): RawBuilder<unknown> =>
  engine === 'sqlite' ? sql`receipts r NOT INDEXED` : sql`receipts r`

/**
 * member_category_days' secondary indexes (built again after a rebuild's bulk write), as the
 * migrations made them: with the receipts, so "bought in …" reads the index alone.
 */
const CATEGORY_DAYS_INDEXES = [
  { name: 'member_category_days_category_idx', columns: sql`(category, day, member_id, receipts)` },
  { name: 'member_category_days_department_idx', columns: sql`(department, day, member_id, receipts)` },
] as const

export const readMeta = async (conn: Conn, key: string): Promise<string | undefined> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value

export const writeMeta = async (trx: Trx, key: string, value: string): Promise<void> => {
  await trx.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
}

/** On PostgreSQL, a second refresh waits for the first (the state row is locked until commit). */
export const lockState = async (trx: Trx, engine: Engine, key: string): Promise<void> => {
  if (engine !== 'postgres') return
  await trx.insertInto('meta').values({ key, value: '{}' }).onConflict((oc) => oc.column('key').doNothing()).execute()
  await trx.selectFrom('meta').select('key').where('key', '=', key).forUpdate().execute()
}

/**
 * On PostgreSQL, the refresh's transaction sorts and hashes with 64 MB a node instead of the
 * server's default 4 MB: the grouped read of 24,000 dirty members' window by category spilled to
 * disk in 33 batches (0.82 s; 0.61 s in memory), as did the rankings.
 */
export const tuneTransaction = async (trx: Trx, engine: Engine): Promise<void> => {
  if (engine === 'postgres') await sql`SET LOCAL work_mem = '64MB'`.execute(trx)
}

/** The last receipt written (receipts_created_idx), the refresh's watermark. */
export const latestReceipt = async (conn: Conn): Promise<ReceiptMark | undefined> => {
  const row = await conn.selectFrom('receipts').select(['created_at', 'id']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  return row ? { createdAt: row.created_at, id: row.id } : undefined
}

/** The last change of a member's record (members_updated_idx). */
export const latestMemberChange = async (conn: Conn): Promise<string | undefined> => {
  const row = await conn.selectFrom('members').select('updated_at').orderBy('updated_at', 'desc').limit(1).executeTakeFirst()
  return row?.updated_at
}

/**
 * Where an incremental refresh starts reading: strictly after the watermark, or, when the last
 * run began less than the overlap after it, from that run's start less the overlap (inclusive).
 */
export type ReadFrom = { after: ReceiptMark } | { since: string }

// A range on created_at (receipts_created_idx), less the receipts at the watermark's instant up to its id.
const receiptsFrom = (from: ReadFrom) => (eb: ExpressionBuilder<DB, 'receipts'>) => 'since' in from
  ? eb('created_at', '>=', from.since)
  : eb.and([eb('created_at', '>=', from.after.createdAt), eb.not(eb.and([eb('created_at', '=', from.after.createdAt), eb('id', '<=', from.after.id)]))])

/** Receipts written after the mark (all of them without one). */
export const countReceiptsAfter = async (conn: Conn, mark: ReceiptMark | undefined): Promise<number> => {
  let q = conn.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n'))
  if (mark) q = q.where(receiptsFrom({ after: mark }))
  return Number((await q.executeTakeFirstOrThrow()).n)
}

export const countInsightRows = async (conn: Conn): Promise<number> =>
  Number((await conn.selectFrom('member_insight').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

export const countDirty = async (conn: Conn): Promise<number> =>
  Number((await conn.selectFrom('insight_dirty').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

/**
 * Marks dirty the members of the receipts written since `from` and the members whose record
 * changed since `membersFrom`. Returns how many receipts it read.
 */
export const markDirtySince = async (trx: Trx, engine: Engine, from: ReadFrom, membersFrom: { after: string } | { since: string }, redemptionsSince: string): Promise<number> => {
  const read = Number((await trx.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).where(receiptsFrom(from)).executeTakeFirstOrThrow()).n)
  // No DISTINCT: it would lead SQLite to walk the member index instead of the created_at range.
  await trx.insertInto('insight_dirty').columns(['member_id'])
    .expression(trx.selectFrom('receipts').select('member_id as member_id').where(receiptsFrom(from)).where('member_id', 'is not', null).$narrowType<{ member_id: string }>())
    .onConflict((oc) => oc.column('member_id').doNothing()).execute()
  await trx.insertInto('insight_dirty').columns(['member_id'])
    .expression(trx.selectFrom('members').select('id as member_id').where('updated_at', 'since' in membersFrom ? '>=' : '>', 'since' in membersFrom ? membersFrom.since : membersFrom.after))
    .onConflict((oc) => oc.column('member_id').doNothing()).execute()
  // Gifts and draws paid with points since (points_entries_redemption_idx).
  await sql`INSERT INTO insight_dirty (member_id) ${sql`SELECT member_id FROM points_entries
    WHERE created_at >= ${text(redemptionsSince)} AND kind IN ('redeem', 'draw', 'refund') AND ${REDEMPTION}`}
    ON CONFLICT (member_id) DO NOTHING`.execute(trx)
  // PostgreSQL plans every read of the dirty members by this table's statistics: left from
  // another refresh (130,000 rows where there were 10,000), they made it scan member_category_days
  // whole instead of reading those members' rows by key.
  if (engine === 'postgres') await sql`ANALYZE insight_dirty`.execute(trx)
  return read
}

export const markDirty = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.insertInto('insight_dirty').values({ member_id: memberId }).onConflict((oc) => oc.column('member_id').doNothing()).execute()
}

export const clearDirty = async (trx: Trx): Promise<void> => {
  await trx.deleteFrom('insight_dirty').execute()
}

/** The receipts the passes read (posted, with a member, to the as-of date): summed from the per-store pass. */
export const countReadReceipts = async (trx: Trx): Promise<number> =>
  Number((await sql<{ n: number | null }>`SELECT SUM(receipts) AS n FROM insight_tmp_stores`.execute(trx)).rows[0]?.n ?? 0)

// PostgreSQL has no statistics on a temporary table until it is analysed, and would plan the
// joins over it as if it were tiny.
const analyze = async (trx: Trx, engine: Engine, table: (typeof TMP)[number]): Promise<void> => {
  if (engine === 'postgres') await sql`ANALYZE ${sql.table(table)}`.execute(trx)
}

export const dropTemporary = async (trx: Trx): Promise<void> => {
  for (const t of TMP) await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(trx)
}

/**
 * Before a rebuild on PostgreSQL: both day tables locked at once, in the order a posting writes
 * them (store days, then category days). A till's transaction that has added its receipt to one
 * finishes first; one that has not waits for the rebuild's commit and then adds to what it wrote.
 * Truncated one after the other instead, a posting holding the store days and waiting for the
 * category days would deadlock with the rebuild.
 */
export const lockDayTables = async (trx: Trx, engine: Engine): Promise<void> => {
  if (engine === 'postgres') await sql`LOCK TABLE member_store_days, member_category_days IN ACCESS EXCLUSIVE MODE`.execute(trx)
}

/**
 * Pass 1, over every receipt line: what each member bought per day, department and category (a
 * return's lines negative and no receipt), with the part on promotion. Rebuilds
 * member_category_days whole; between rebuilds, the posting of each receipt adds to it
 * (member-days.repository.ts), through the same grouping.
 */
export const rebuildCategoryDays = async (trx: Trx, engine: Engine): Promise<void> => {
  // A rebuild replaces the table: diffing millions of rows against themselves cost more than
  // writing them (95 s of a 1M-member refresh on SQLite; PostgreSQL did not finish).
  // (TRUNCATE on PostgreSQL: a DELETE would leave every old row dead in the table and its indexes.)
  await (engine === 'postgres' ? sql`TRUNCATE member_category_days` : sql`DELETE FROM member_category_days`).execute(trx)
  // Written in key order (the primary key's index grows at its end) with the two other indexes
  // built afterwards in one sort each: kept while writing, each row cost two random index
  // inserts (135 s of a 1M-member rebuild on SQLite, 479 s on PostgreSQL). On PostgreSQL the
  // dropped indexes lock the table until the rebuild commits: readers of "bought in …" and the
  // tills posting a member's receipt wait for it, as they would for any rebuild (the first
  // refresh, or `--rebuild`).
  for (const ix of CATEGORY_DAYS_INDEXES) await sql`DROP INDEX IF EXISTS ${sql.id(ix.name)}`.execute(trx)
  // Grouped into a table keyed as member_category_days first, then copied in its order.
  await sql`CREATE TEMP TABLE insight_tmp_lines (
    member_id text NOT NULL, day text NOT NULL, department text NOT NULL, category text NOT NULL,
    receipts integer NOT NULL, amount bigint NOT NULL, promo bigint NOT NULL,
    PRIMARY KEY (member_id, day, department, category))`.execute(trx)
  await sql`INSERT INTO insight_tmp_lines ${days.CATEGORY_DAYS_COLUMNS} ${days.categoryDaysOf(sql`FROM ${everyReceipt(engine)}`, sql`JOIN receipt_lines l ON l.receipt_id = r.id`)}`.execute(trx)
  await sql`INSERT INTO member_category_days ${days.CATEGORY_DAYS_COLUMNS}
    ${sql`SELECT member_id, day, department, category, receipts, amount, promo FROM insight_tmp_lines ORDER BY member_id, day, department, category`}`.execute(trx)
  for (const ix of CATEGORY_DAYS_INDEXES) await sql`CREATE INDEX ${sql.id(ix.name)} ON member_category_days ${ix.columns}`.execute(trx)
}

/**
 * Pass 1b, over every receipt: what each member bought per day and store (member_store_days), for
 * the per-store figures and the lifecycle's sale days, so that neither reads a member's history
 * again. Written whole in key order; between rebuilds, the posting of each receipt adds to it.
 */
export const rebuildStoreDays = async (trx: Trx, engine: Engine): Promise<void> => {
  await (engine === 'postgres' ? sql`TRUNCATE member_store_days` : sql`DELETE FROM member_store_days`).execute(trx)
  await sql`INSERT INTO member_store_days ${days.STORE_DAYS_COLUMNS} ${sql`${days.storeDaysOf(sql`FROM ${everyReceipt(engine)}`)} ORDER BY 1, 2, 3`}`.execute(trx)
}

/**
 * A text column compared byte by byte, as SQLite compares it: on PostgreSQL under a database
 * collation other than "C" (C.UTF-8 included, before PostgreSQL 17) a sort compares text through
 * the C library and without abbreviated keys; the rankings below sort 60,000–140,000 rows of
 * 10,000 dirty members (the main department's 0.46 s). Ties between names then fall the same way
 * on both engines.
 */
const bytewise = (engine: Engine, column: string): RawBuilder<unknown> =>
  engine === 'postgres' ? sql`${sql.ref(column)} COLLATE "C"` : sql.ref(column)

/**
 * Pass 2, over member_store_days (to the as-of date): per member and store, the whole history and the
 * window; then per member, with the main store. Then the main department and category, the
 * promotion share's numerator and the coupons used, each a grouped read of its own.
 */
export const aggregateMembers = async (trx: Trx, engine: Engine, scope: Scope, w: WindowDates): Promise<void> => {
  const inWindow = (col: string) => sql`${sql.ref(col)} >= ${text(w.from)} AND ${sql.ref(col)} <= ${text(w.to)}`
  await sql`CREATE TEMP TABLE insight_tmp_stores (
    member_id text NOT NULL, store_id text NOT NULL, sales integer NOT NULL, spend bigint NOT NULL,
    first_at text, last_at text, first_day text, last_day text,
    sales_w integer NOT NULL, spend_w bigint NOT NULL, earned_w bigint NOT NULL, used_w bigint NOT NULL, receipts integer NOT NULL)`.execute(trx)
  // From member_store_days (brought up to date just before), a member's days in key order.
  const windowed = (col: string) => sql`SUM(CASE WHEN ${inWindow('day')} THEN ${sql.ref(col)} ELSE 0 END)`
  await sql`INSERT INTO insight_tmp_stores ${sql`SELECT member_id, store_id, SUM(sales), SUM(spend), MIN(first_at), MAX(last_at),
      MIN(CASE WHEN sales > 0 THEN day END), MAX(CASE WHEN sales > 0 THEN day END),
      ${windowed('sales')}, ${windowed('spend')}, ${windowed('earned')}, ${windowed('used')}, SUM(receipts)
    FROM member_store_days
    WHERE day <= ${text(w.asOf)} ${inDirty(scope, 'member_id')}
    GROUP BY member_id, store_id`}`.execute(trx)
  // Statistics for the full refresh's million rows; the dirty members' few are only grouped
  // (0.17 s of sampling for nothing).
  if (scope === 'all') await analyze(trx, engine, 'insight_tmp_stores')

  await sql`CREATE TEMP TABLE insight_tmp_members (
    member_id text PRIMARY KEY, sales integer NOT NULL, spend bigint NOT NULL, first_at text, last_at text, first_day text, last_day text,
    sales_w integer NOT NULL, spend_w bigint NOT NULL, earned_w bigint NOT NULL, used_w bigint NOT NULL, stores_w integer NOT NULL)`.execute(trx)
  await sql`INSERT INTO insight_tmp_members
    SELECT member_id, SUM(sales), SUM(spend), MIN(first_at), MAX(last_at), MIN(first_day), MAX(last_day),
      SUM(sales_w), SUM(spend_w), SUM(earned_w), SUM(used_w), SUM(CASE WHEN sales_w > 0 THEN 1 ELSE 0 END)
    FROM insight_tmp_stores GROUP BY member_id`.execute(trx)
  await analyze(trx, engine, 'insight_tmp_members')

  // The store with the most spend in the window; ties: more receipts, then the smaller id.
  await sql`CREATE TEMP TABLE insight_tmp_main_store (member_id text PRIMARY KEY, store_id text NOT NULL)`.execute(trx)
  await sql`INSERT INTO insight_tmp_main_store
    SELECT member_id, store_id FROM (
      SELECT member_id, store_id, ROW_NUMBER() OVER (PARTITION BY ${bytewise(engine, 'member_id')} ORDER BY spend_w DESC, sales_w DESC, ${bytewise(engine, 'store_id')}) AS rn
      FROM insight_tmp_stores WHERE sales_w > 0
    ) ranked WHERE rn = 1`.execute(trx)

  // The window's spend per member, department and category, read from member_category_days
  // (brought up to date just before): the main department and category, and the promotion share.
  await sql`CREATE TEMP TABLE insight_tmp_window (
    member_id text NOT NULL, department text NOT NULL, category text NOT NULL, receipts integer NOT NULL, amount bigint NOT NULL, promo bigint NOT NULL)`.execute(trx)
  await sql`INSERT INTO insight_tmp_window ${sql`SELECT member_id, department, category, SUM(receipts), SUM(amount), SUM(promo)
    FROM member_category_days WHERE ${inWindow('day')} ${inDirty(scope, 'member_id')}
    GROUP BY member_id, department, category`}`.execute(trx)
  if (scope === 'all') await analyze(trx, engine, 'insight_tmp_window')

  // The department (category) with the most spend in the window; ties: more receipts, then the smaller name.
  for (const [table, col] of [['insight_tmp_main_department', 'department'], ['insight_tmp_main_category', 'category']] as const) {
    await sql`CREATE TEMP TABLE ${sql.table(table)} (member_id text PRIMARY KEY, name text NOT NULL)`.execute(trx)
    await sql`INSERT INTO ${sql.table(table)}
      SELECT member_id, name FROM (
        SELECT member_id, name, ROW_NUMBER() OVER (PARTITION BY ${bytewise(engine, 'member_id')} ORDER BY amount DESC, receipts DESC, ${bytewise(engine, 'name')}) AS rn
        FROM (
          SELECT member_id, ${sql.ref(col)} AS name, CAST(SUM(amount) AS bigint) AS amount, CAST(SUM(receipts) AS bigint) AS receipts
          FROM insight_tmp_window WHERE ${sql.ref(col)} <> ''
          GROUP BY member_id, ${sql.ref(col)}
        ) sums WHERE amount > 0
      ) ranked WHERE rn = 1`.execute(trx)
  }

  await sql`CREATE TEMP TABLE insight_tmp_promo (member_id text PRIMARY KEY, promo bigint NOT NULL)`.execute(trx)
  await sql`INSERT INTO insight_tmp_promo SELECT member_id, SUM(promo) FROM insight_tmp_window GROUP BY member_id`.execute(trx)

  await sql`CREATE TEMP TABLE insight_tmp_coupons (member_id text PRIMARY KEY, used integer NOT NULL)`.execute(trx)
  await sql`INSERT INTO insight_tmp_coupons ${sql`SELECT c.member_id, COUNT(*) FROM coupons c JOIN receipts r ON r.id = c.used_receipt_id
    WHERE ${inWindow('r.business_date')} ${inDirty(scope, 'c.member_id')}
    GROUP BY c.member_id`}`.execute(trx)

  // Points paid for gifts and draws in the window (by the entry's time; the ledger has no
  // business date), less a cancelled gift order's points given back.
  await sql`CREATE TEMP TABLE insight_tmp_redeemed (member_id text PRIMARY KEY, points bigint NOT NULL)`.execute(trx)
  // Everyone's by time (points_entries_redemption_idx); the dirty members' by member
  // (points_entries_member_redemption_idx, the dirty members first).
  const entries = scope === 'all' ? sql`FROM points_entries p WHERE` : sql`FROM insight_dirty d CROSS JOIN points_entries p WHERE p.member_id = d.member_id AND`
  await sql`INSERT INTO insight_tmp_redeemed ${sql`SELECT p.member_id, -SUM(p.points) ${entries} p.created_at >= ${text(w.fromAt)} AND p.created_at < ${text(w.untilAt)}
      AND p.kind IN ('redeem', 'draw', 'refund') AND ${REDEMPTION}
    GROUP BY p.member_id`}`.execute(trx)
}

/** The columns of member_insight the refresh computes; the classes follow from them. */
const FIGURES = [
  'member_id', 'as_of', 'registration_store_id', 'registered_at', 'gender', 'age_band', 'income_band', 'district',
  'receipts_w', 'spend_w', 'avg_ticket_w', 'receipts_total', 'spend_total', 'first_purchase_at', 'last_purchase_at', 'recency_days', 'interval_days',
  'stores_visited_w', 'main_store_id', 'main_department', 'main_category', 'promo_share_pm', 'points_earned_w', 'points_redeemed_w', 'coupons_used_w',
  'updated_at',
] as const
/** The class columns (the classifier sets them on the staged rows). */
const CLASSES = ['r_score', 'f_score', 'm_score', 'rfm_class', 'quadrant', 'frequency_class', 'amount_class', 'lifecycle'] as const
/**
 * member_insight's indexed columns (the create_insight migration; last_purchase_at's index is
 * dropped, as nothing searches by it): written only where they change.
 */
const INDEXED: ReadonlySet<string> = new Set(['registration_store_id', 'main_store_id', 'rfm_class', 'lifecycle', 'quadrant'])

/**
 * Stages the figures of every live member of the scope in insight_tmp_rows (member_insight's
 * columns, the classes empty) from the passes above, and removes the rows of members merged or
 * erased. The classifier sets the classes on the staged rows; writeInsight then writes them.
 * The dirty members are read from insight_dirty first (CROSS JOIN keeps that order): with
 * `m.id IN (…)` PostgreSQL joined every member to the seven passes and kept the dirty ones last
 * (2.2 s of an incremental refresh at a million members, for 12,767 of them).
 */
export const stageInsight = async (trx: Trx, engine: Engine, scope: Scope, w: WindowDates, at: string): Promise<void> => {
  const asOfYear = Number(w.asOf.slice(0, 4))
  const asOfDay = w.asOf.slice(5)
  const age = sql`(${sql.lit(asOfYear)} - CAST(substr(m.birthday, 1, 4) AS integer) - CASE WHEN substr(m.birthday, 6, 5) > ${text(asOfDay)} THEN 1 ELSE 0 END)`
  const recency = engine === 'postgres'
    ? sql`(CAST(${text(w.asOf)} AS date) - CAST(a.last_day AS date))`
    : sql`CAST(julianday(${text(w.asOf)}) - julianday(a.last_day) AS integer)`
  const span = engine === 'postgres'
    ? sql`CAST(CAST(a.last_day AS date) - CAST(a.first_day AS date) AS double precision)`
    : sql`(julianday(a.last_day) - julianday(a.first_day))`
  const gone = scope === 'all'
    ? sql`SELECT id FROM members WHERE status IN ('merged', 'erased')`
    : sql`SELECT d.member_id FROM insight_dirty d CROSS JOIN members m WHERE m.id = d.member_id AND m.status IN ('merged', 'erased')`
  await sql`DELETE FROM member_insight WHERE member_id IN (${gone})`.execute(trx)
  await sql`CREATE TEMP TABLE insight_tmp_rows AS ${sql`SELECT m.id AS member_id, ${text(w.asOf)} AS as_of,
      m.registration_store_id AS registration_store_id, m.registered_at AS registered_at, m.gender AS gender,
      CASE WHEN m.birthday IS NULL OR length(m.birthday) < 10 THEN NULL
        WHEN ${age} < 18 THEN '<18' WHEN ${age} < 25 THEN '18-24' WHEN ${age} < 35 THEN '25-34' WHEN ${age} < 45 THEN '35-44'
        WHEN ${age} < 55 THEN '45-54' WHEN ${age} < 65 THEN '55-64' ELSE '65+' END AS age_band,
      m.income_band AS income_band, m.district AS district,
      COALESCE(a.sales_w, 0) AS receipts_w, COALESCE(a.spend_w, 0) AS spend_w,
      CASE WHEN a.sales_w > 0 THEN (2 * a.spend_w + a.sales_w) / (2 * a.sales_w) ELSE 0 END AS avg_ticket_w,
      COALESCE(a.sales, 0) AS receipts_total, COALESCE(a.spend, 0) AS spend_total, a.first_at AS first_purchase_at, a.last_at AS last_purchase_at,
      CASE WHEN a.last_day IS NULL THEN NULL ELSE ${recency} END AS recency_days,
      CASE WHEN a.sales > 1 THEN ${span} / (a.sales - 1) ELSE NULL END AS interval_days,
      COALESCE(a.stores_w, 0) AS stores_visited_w, ms.store_id AS main_store_id, md.name AS main_department, mc.name AS main_category,
      CASE WHEN a.spend_w > 0 THEN
        CASE WHEN COALESCE(p.promo, 0) <= 0 THEN 0 WHEN p.promo >= a.spend_w THEN 1000 ELSE (2000 * p.promo + a.spend_w) / (2 * a.spend_w) END
      ELSE NULL END AS promo_share_pm,
      COALESCE(a.earned_w, 0) AS points_earned_w, COALESCE(a.used_w, 0) + COALESCE(rd.points, 0) AS points_redeemed_w, COALESCE(c.used, 0) AS coupons_used_w,
      ${text(at)} AS updated_at,
      CAST(NULL AS integer) AS r_score, CAST(NULL AS integer) AS f_score, CAST(NULL AS integer) AS m_score, CAST(NULL AS text) AS rfm_class,
      CAST(NULL AS text) AS quadrant, CAST(NULL AS text) AS frequency_class, CAST(NULL AS text) AS amount_class, CAST('prospect' AS text) AS lifecycle
    ${scope === 'all' ? sql`FROM members m` : sql`FROM insight_dirty d CROSS JOIN members m`}
    LEFT JOIN insight_tmp_members a ON a.member_id = m.id
    LEFT JOIN insight_tmp_main_store ms ON ms.member_id = m.id
    LEFT JOIN insight_tmp_main_department md ON md.member_id = m.id
    LEFT JOIN insight_tmp_main_category mc ON mc.member_id = m.id
    LEFT JOIN insight_tmp_promo p ON p.member_id = m.id
    LEFT JOIN insight_tmp_coupons c ON c.member_id = m.id
    LEFT JOIN insight_tmp_redeemed rd ON rd.member_id = m.id
    WHERE m.status NOT IN ('merged', 'erased') ${scope === 'all' ? sql`` : sql`AND m.id = d.member_id`}`}`.execute(trx)
  if (engine === 'postgres') await sql`CREATE UNIQUE INDEX ON insight_tmp_rows (member_id)`.execute(trx)
  await analyze(trx, engine, 'insight_tmp_rows')
}

/**
 * Writes the staged rows, classified, into member_insight: every existing row's unindexed
 * columns, then the indexed ones of the rows where one of them changed, then the new rows.
 * An index entry is written again whenever its column is set, changed or not (measured on
 * SQLite: a third of an UPDATE's time per index), and most members keep their store and
 * classes from one refresh to the next. An incremental refresh sets each indexed column in a
 * statement of its own, on the rows where that one changed: setting them together rewrote every
 * index entry of every row where any one changed. (On SQLite; PostgreSQL sets every column in one statement, below.)
 * Returns the rows written.
 */
export const writeInsight = async (trx: Trx, engine: Engine, scope: Scope): Promise<number> => {
  const all = [...FIGURES, ...CLASSES]
  const set = (cols: readonly string[]) => sql.join(cols.map((c) => sql`${sql.ref(c)} = t.${sql.ref(c)}`))
  const join = sql`FROM insight_tmp_rows t WHERE t.member_id = member_insight.member_id`
  const plain = all.filter((c) => c !== 'member_id' && !INDEXED.has(c))
  const indexed = all.filter((c) => INDEXED.has(c))
  // PostgreSQL writes a new version of the whole row on any update, with an entry in every index
  // unless no indexed column changed (HOT): a second statement for the indexed columns wrote a
  // third version of the row, and each statement found the rows again (0.6 s a statement for
  // 10,000 dirty members of a million). One statement there; on SQLite the indexed columns below.
  const updated = await sql`UPDATE member_insight SET ${set(engine === 'postgres' ? [...plain, ...indexed] : plain)} ${join}`.execute(trx)
  const differs = (c: string) => sql`NOT (member_insight.${sql.ref(c)} IS t.${sql.ref(c)})`
  if (engine === 'sqlite' && scope === 'dirty') {
    for (const c of indexed) await sql`UPDATE member_insight SET ${set([c])} ${join} AND ${differs(c)}`.execute(trx)
  } else if (engine === 'sqlite') {
    await sql`UPDATE member_insight SET ${set(indexed)} ${join} AND (${sql.join(indexed.map(differs), sql` OR `)})`.execute(trx)
  }
  // The new rows by the key's conflict, not NOT EXISTS: on PostgreSQL an anti-join planned
  // against an empty member_insight (the first refresh) scanned, for every row, the rows the
  // statement itself had inserted so far (5 minutes at 200,000 members).
  const inserted = await sql`INSERT INTO member_insight (${sql.join(all.map((c) => sql.ref(c)))})
    ${sql`SELECT ${sql.join(all.map((c) => sql`t.${sql.ref(c)}`))} FROM insight_tmp_rows t WHERE 1 = 1`}
    ON CONFLICT (member_id) DO NOTHING`.execute(trx)
  return Number(updated.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0)
}

/**
 * PostgreSQL, after a full refresh (outside its transaction): clears the old row versions of the
 * tables it rewrote and renews their statistics.
 */
export const vacuumInsight = async (db: Db): Promise<void> => {
  await sql`VACUUM (ANALYZE) member_insight, member_store_days, member_category_days, insight_class_counts`.execute(db)
}

/** One member's row, as stored (tests and the member page). */
export const findInsight = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_insight').selectAll().where('member_id', '=', memberId).executeTakeFirst()

export const categoryDaysOf = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_category_days').selectAll().where('member_id', '=', memberId)
    .orderBy('day').orderBy('department').orderBy('category').execute()
