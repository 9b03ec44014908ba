import { PostgresAdapter, sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'

// The classes: set-based SQL over member_insight (and receipts for the 80/20 curve and the
// lifecycle history). The thresholds come in as numbers the classifier derived; the pure rules
// (classes-rules.ts) say what each CASE must produce.

type Conn = Db | Trx

const isPostgres = (conn: Conn) => conn.getExecutor().adapter instanceof PostgresAdapter
/** Days from date text `b` to date text `a` ('YYYY-MM-DD'). */
export const daysBetween = (conn: Conn, a: RawBuilder<unknown>, b: RawBuilder<unknown>) => (isPostgres(conn)
  ? sql`(CAST(${a} AS date) - CAST(${b} AS date))`
  : sql`CAST(julianday(${a}) - julianday(${b}) AS integer)`)
export const num = (v: number) => {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`)
  return sql.lit(v)
}
export const txt = (v: string) => {
  if (!/^[0-9A-Za-z_:.\-+ ]*$/.test(v)) throw new Error(`unexpected literal: ${v}`)
  return sql.lit(v)
}

export const findMetaValue = async (conn: Conn, key: string): Promise<string | undefined> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value

export const saveMetaValue = async (trx: Trx, key: string, value: string): Promise<void> => {
  await trx.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
}

// ---- deriving the thresholds (full refresh) ----

/**
 * Where the figures are read from: member_insight, or the rows a refresh has staged and not yet
 * written (insight.repository's stageInsight), which it classifies before it writes them.
 */
export type FiguresSource = 'member_insight' | 'insight_tmp_rows'

export const countInsight = async (trx: Trx, from: FiguresSource = 'member_insight'): Promise<{ members: number; scored: number; withInterval: number }> => {
  const { rows } = await sql<{ members: number; scored: number | null; withInterval: number | null }>`SELECT COUNT(*) AS members,
      SUM(CASE WHEN receipts_w > 0 THEN 1 ELSE 0 END) AS scored, SUM(CASE WHEN interval_days IS NOT NULL THEN 1 ELSE 0 END) AS "withInterval"
    FROM ${sql.table(from)}`.execute(trx)
  const row = rows[0]
  return { members: Number(row?.members ?? 0), scored: Number(row?.scored ?? 0), withInterval: Number(row?.withInterval ?? 0) }
}

export type RankedColumn = 'recency_days' | 'receipts_w' | 'spend_w'

/**
 * The members who bought in the window, ranked by one figure (RANK: equal values share the
 * first rank), grouped by the score 1 + ⌊k·(rank − 1)/n⌋: each score's least and most value.
 */
export const rankGroups = async (trx: Trx, column: RankedColumn, k: number, descending: boolean, from: FiguresSource = 'member_insight'): Promise<Array<{ score: number; least: number; most: number; members: number }>> => {
  const order = descending ? sql`${sql.ref(column)} DESC` : sql`${sql.ref(column)}`
  const { rows } = await sql<{ score: number; least: number; most: number; members: number }>`
    SELECT score, MIN(v) AS least, MAX(v) AS most, COUNT(*) AS members FROM (
      SELECT ${sql.ref(column)} AS v, 1 + (${num(k)} * (RANK() OVER (ORDER BY ${order}) - 1)) / COUNT(*) OVER () AS score
      FROM ${sql.table(from)} WHERE receipts_w > 0 AND ${sql.ref(column)} IS NOT NULL
    ) ranked GROUP BY score ORDER BY score`.execute(trx)
  return rows.map((r) => ({ score: Number(r.score), least: Number(r.least), most: Number(r.most), members: Number(r.members) }))
}

/** The value at a 1-based position in ascending order, over the members a filter keeps. */
export const valueAt = async (trx: Trx, column: 'spend_w' | 'interval_days', filter: 'scored' | 'interval', position: number, from: FiguresSource = 'member_insight'): Promise<number | null> => {
  const where = filter === 'scored' ? sql`receipts_w > 0` : sql`interval_days IS NOT NULL`
  const { rows } = await sql<{ v: number }>`SELECT ${sql.ref(column)} AS v FROM ${sql.table(from)} WHERE ${where}
    ORDER BY ${sql.ref(column)} LIMIT 1 OFFSET ${num(Math.max(0, position - 1))}`.execute(trx)
  return rows[0] ? Number(rows[0].v) : null
}

export const incomeBandCounts = async (trx: Trx, from: FiguresSource = 'member_insight'): Promise<Array<{ band: string; members: number }>> =>
  (await sql<{ band: string; members: number }>`SELECT income_band AS band, COUNT(*) AS members FROM ${sql.table(from)}
    WHERE income_band IS NOT NULL GROUP BY income_band`.execute(trx)).rows
    .map((r) => ({ band: r.band, members: Number(r.members) }))

// ---- applying the thresholds ----

/** Everything the classifying UPDATE needs, as plain numbers and strings. */
export interface ClassParams {
  asOf: string
  at: string
  r: readonly number[]
  f: readonly number[]
  m: readonly number[]
  /** the least score that is high (≥ the average score), per dimension */
  highFrom: { r: number; f: number; m: number }
  richBands: readonly string[]
  spendThreshold: number
  frequency: { mid: number; high: number }
  amount: { mid: number; high: number }
  lifecycle: { newDays: number; dormantDays: number; lostDays: number }
  /** the first local date of the last newDays days, and its first instant (UTC) */
  newFrom: string
  newFromAt: string
}

const scoreDown = (col: RawBuilder<unknown>, cuts: readonly number[]) =>
  sql`(CASE WHEN ${col} <= ${num(cuts[0]!)} THEN 5 WHEN ${col} <= ${num(cuts[1]!)} THEN 4 WHEN ${col} <= ${num(cuts[2]!)} THEN 3 WHEN ${col} <= ${num(cuts[3]!)} THEN 2 ELSE 1 END)`
const scoreUp = (col: RawBuilder<unknown>, cuts: readonly number[]) =>
  sql`(CASE WHEN ${col} >= ${num(cuts[3]!)} THEN 5 WHEN ${col} >= ${num(cuts[2]!)} THEN 4 WHEN ${col} >= ${num(cuts[1]!)} THEN 3 WHEN ${col} >= ${num(cuts[0]!)} THEN 2 ELSE 1 END)`
const level = (col: RawBuilder<unknown>, t: { mid: number; high: number }) =>
  sql`(CASE WHEN ${col} >= ${num(t.high)} THEN 'high' WHEN ${col} >= ${num(t.mid)} THEN 'mid' ELSE 'low' END)`

/** The average R, F and M scores of the members who bought in the window, under these cut points. */
export const averageScores = async (trx: Trx, p: Pick<ClassParams, 'r' | 'f' | 'm'>, from: FiguresSource = 'member_insight'): Promise<{ r: number; f: number; m: number }> => {
  const { rows } = await sql<{ r: number | null; f: number | null; m: number | null }>`
    SELECT AVG(${scoreDown(sql`recency_days`, p.r)} * 1.0) AS r, AVG(${scoreUp(sql`receipts_w`, p.f)} * 1.0) AS f, AVG(${scoreUp(sql`spend_w`, p.m)} * 1.0) AS m
    FROM ${sql.table(from)} WHERE receipts_w > 0`.execute(trx)
  const row = rows[0]
  return { r: Number(row?.r ?? 0), f: Number(row?.f ?? 0), m: Number(row?.m ?? 0) }
}

/** Members with a purchase in the last newDays days that came after dormantDays or more without one. */
const returners = (trx: Trx, p: ClassParams, dirtyOnly: boolean) => {
  // The members to look at (the dirty ones, or those who bought in the last newDays days), then
  // the days of their sales from member_store_days (the refresh brings it up to date first): a
  // member's rows lie together there, where their receipts are spread over the table (at 1M
  // members, the dirty members' receipts read at random were most of this step).
  const who = dirtyOnly
    ? sql`SELECT member_id FROM insight_dirty`
    : sql`SELECT DISTINCT member_id FROM receipts WHERE kind = 'sale' AND status = 'posted' AND member_id IS NOT NULL
        AND business_date >= ${txt(p.newFrom)} AND business_date <= ${txt(p.asOf)}`
  if (p.lifecycle.newDays <= p.lifecycle.dormantDays) {
    // Two days of the last newDays are less than newDays ≤ dormantDays apart: the only gap that
    // can be long enough is before the first purchase of the last newDays days. So per member two
    // seeks of member_store_days' key (that first day, and the last before the period), not every
    // day of the member's history ordered and compared (0.1–0.2 s for 10,000 members of a million).
    const day = (agg: 'MIN' | 'MAX', where: RawBuilder<unknown>) =>
      sql`(SELECT ${sql.raw(agg)}(c.day) FROM member_store_days c WHERE c.member_id = w.member_id AND c.sales > 0 AND ${where})`
    return sql`
    SELECT member_id FROM (
      SELECT w.member_id AS member_id,
        ${day('MIN', sql`c.day >= ${txt(p.newFrom)} AND c.day <= ${txt(p.asOf)}`)} AS d,
        ${day('MAX', sql`c.day < ${txt(p.newFrom)}`)} AS prev
      FROM (${who}) w
    ) g WHERE d IS NOT NULL AND prev IS NOT NULL AND ${daysBetween(trx, sql`d`, sql`prev`)} >= ${num(p.lifecycle.dormantDays)}`
  }
  return sql`
  SELECT member_id FROM (
    SELECT member_id, d, LAG(d) OVER (PARTITION BY member_id ORDER BY d) AS prev FROM (
      SELECT c.member_id, c.day AS d FROM (${who}) w CROSS JOIN member_store_days c
      WHERE c.member_id = w.member_id AND c.sales > 0 AND c.day <= ${txt(p.asOf)}
      GROUP BY c.member_id, c.day
    ) days
  ) gaps WHERE d >= ${txt(p.newFrom)} AND prev IS NOT NULL AND ${daysBetween(trx, sql`d`, sql`prev`)} >= ${num(p.lifecycle.dormantDays)}`
}

const CLASS_BY_SIGNS: Array<[boolean, boolean, boolean, string]> = [
  [true, true, true, 'important_value'], [true, false, true, 'important_develop'], [false, true, true, 'important_keep'], [false, false, true, 'important_retain'],
  [true, true, false, 'general_value'], [true, false, false, 'general_develop'], [false, true, false, 'general_keep'], [false, false, false, 'general_retain'],
]

/**
 * Each class column with its value over a row's figures (unqualified column names: member_insight's
 * own, or the staged rows'). With `dirtyOnly`, only the dirty members are looked at for 'returning'.
 */
const classValues = (trx: Trx, p: ClassParams, dirtyOnly: boolean): Array<[string, RawBuilder<unknown>]> => {
  const r = scoreDown(sql`recency_days`, p.r)
  const f = scoreUp(sql`receipts_w`, p.f)
  const m = scoreUp(sql`spend_w`, p.m)
  const high = (score: RawBuilder<unknown>, from: number, on: boolean) => (on ? sql`${score} >= ${num(from)}` : sql`${score} < ${num(from)}`)
  const rfmClass = sql.join(CLASS_BY_SIGNS.map(([rh, fh, mh, cls]) =>
    sql`WHEN ${high(r, p.highFrom.r, rh)} AND ${high(f, p.highFrom.f, fh)} AND ${high(m, p.highFrom.m, mh)} THEN ${txt(cls)}`), sql` `)
  const rich = p.richBands.length ? sql`income_band IN (${sql.join(p.richBands.map(txt))})` : sql`1 = 0`
  const spends = sql`spend_w >= ${num(p.spendThreshold)}`
  const bought = sql`receipts_w > 0`
  const values: Array<[string, RawBuilder<unknown>]> = [
    ['r_score', sql`CASE WHEN ${bought} THEN ${r} END`],
    ['f_score', sql`CASE WHEN ${bought} THEN ${f} END`],
    ['m_score', sql`CASE WHEN ${bought} THEN ${m} END`],
    ['rfm_class', sql`CASE WHEN ${bought} THEN (CASE ${rfmClass} END) END`],
    ['quadrant', sql`CASE WHEN income_band IS NULL THEN 'unknown' WHEN ${rich} AND ${spends} THEN 'core' WHEN ${rich} THEN 'potential'
        WHEN ${spends} THEN 'develop' ELSE 'abandon' END`],
    ['frequency_class', sql`CASE WHEN ${bought} THEN ${level(sql`receipts_w`, p.frequency)} END`],
    ['amount_class', sql`CASE WHEN ${bought} THEN ${level(sql`spend_w`, p.amount)} END`],
    ['lifecycle', sql`CASE
        WHEN registered_at >= ${txt(p.newFromAt)} OR first_purchase_at >= ${txt(p.newFromAt)} THEN 'new'
        WHEN recency_days IS NULL THEN 'prospect'
        WHEN recency_days >= ${num(p.lifecycle.lostDays)} THEN 'lost'
        WHEN recency_days >= ${num(p.lifecycle.dormantDays)} THEN 'dormant'
        WHEN member_id IN (${returners(trx, p, dirtyOnly)}) THEN 'returning'
        ELSE 'active' END`],
  ]
  return values
}

/**
 * Writes every class column of member_insight (all members, or the dirty ones) in one UPDATE,
 * of the rows whose classes change only: a full refresh keeps most members' classes, and
 * writing every row again (with the class indexes) was most of the UPDATE's time.
 * (The refresh classifies the rows it stages instead: classifyStaged.)
 */
export const applyClasses = async (trx: Trx, p: ClassParams, dirtyOnly: boolean): Promise<number> => {
  const values = classValues(trx, p, dirtyOnly)
  const same = isPostgres(trx) ? sql` IS NOT DISTINCT FROM ` : sql` IS `
  const changed = sql.join(values.map(([col, v]) => sql`NOT (${sql.ref(col)}${same}${v})`), sql` OR `)
  const result = await sql`UPDATE member_insight SET ${sql.join(values.map(([col, v]) => sql`${sql.ref(col)} = ${v}`))}
    WHERE (${changed}) ${dirtyOnly ? sql`AND member_id IN (SELECT member_id FROM insight_dirty)` : sql``}`.execute(trx)
  return Number(result.numAffectedRows ?? 0)
}

/** Sets every class column of the rows a refresh has staged (insight_tmp_rows: its own, none unchanged to spare). */
export const classifyStaged = async (trx: Trx, p: ClassParams, dirtyOnly: boolean): Promise<void> => {
  await sql`UPDATE insight_tmp_rows SET ${sql.join(classValues(trx, p, dirtyOnly).map(([col, v]) => sql`${sql.ref(col)} = ${v}`))}`.execute(trx)
}

// ---- reads (the pages) ----

/**
 * The as-of date of the figures (the refresh writes one for all and records it under the meta
 * key `insight.refresh`; reading it there spares a scan of member_insight, which has no index on
 * as_of: 150 ms at a million members).
 */
export const insightAsOf = async (db: Db): Promise<string | null> => {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'insight.refresh').executeTakeFirst()
  if (!row) return null
  try {
    const asOf = (JSON.parse(row.value) as { asOf?: unknown }).asOf
    return typeof asOf === 'string' ? asOf : null
  } catch {
    return null
  }
}

export const lifecycleMonths = async (db: Db, scope: Scope) => {
  let q = db.selectFrom('insight_lifecycle_months').select(['month', 'stage', (eb) => eb.fn.sum<number>('members').as('members')])
  if (scope.kind === 'stores') q = scope.storeIds.length ? q.where('store_id', 'in', scope.storeIds) : q.where('store_id', '=', '\u0000')
  return (await q.groupBy(['month', 'stage']).orderBy('month').execute()).map((r) => ({ month: r.month, stage: r.stage, members: Number(r.members) }))
}

export const lifecycleFlows = async (db: Db, scope: Scope) => {
  let q = db.selectFrom('insight_lifecycle_flows').select(['month', 'from_stage', 'to_stage', (eb) => eb.fn.sum<number>('members').as('members')])
  if (scope.kind === 'stores') q = scope.storeIds.length ? q.where('store_id', 'in', scope.storeIds) : q.where('store_id', '=', '\u0000')
  return (await q.groupBy(['month', 'from_stage', 'to_stage']).orderBy('month').execute())
    .map((r) => ({ month: r.month, from: r.from_stage, to: r.to_stage, members: Number(r.members) }))
}

export const storeIdsOfRegion = async (db: Db, regionId: string): Promise<string[] | null> => {
  const region = await db.selectFrom('regions').select('id').where('id', '=', regionId).executeTakeFirst()
  if (!region) return null
  return (await db.selectFrom('stores').select('id').where('region_id', '=', regionId).execute()).map((r) => r.id)
}

// ---- the 80/20 curve (from receipts) ----

export interface ParetoFilter {
  from: string
  to: string
  basis: 'net' | 'gross'
  scope: Scope
}

/** Per member with a sale in the period: spend (net of returns, or sales only), at least 0. */
const memberSpend = (db: Db, f: ParetoFilter) => {
  let q = db.selectFrom('receipts').select([
    'member_id',
    (f.basis === 'gross'
      ? sql<number>`SUM(CASE WHEN kind = 'sale' THEN total ELSE 0 END)`
      : sql<number>`SUM(CASE WHEN kind = 'sale' THEN total ELSE -total END)`).as('raw'),
  ])
    .where('member_id', 'is not', null).where('status', '=', 'posted')
    .where('business_date', '>=', f.from).where('business_date', '<=', f.to)
  q = scopeToStore(q, f.scope, 'store_id')
  return q.groupBy('member_id').having(sql<boolean>`SUM(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END) > 0`)
}

export const paretoTotals = async (db: Db, f: ParetoFilter): Promise<{ members: number; spend: number }> => {
  const row = await db.selectFrom(memberSpend(db, f).as('s'))
    .select((eb) => [eb.fn.countAll<number>().as('members'), sql<number>`SUM(CASE WHEN raw < 0 THEN 0 ELSE raw END)`.as('spend')])
    .executeTakeFirstOrThrow()
  return { members: Number(row.members), spend: Number(row.spend ?? 0) }
}

const ranked = (db: Db, f: ParetoFilter) => db.selectFrom(memberSpend(db, f).as('s')).select([
  sql<number>`ROW_NUMBER() OVER (ORDER BY CASE WHEN raw < 0 THEN 0 ELSE raw END DESC, member_id)`.as('rn'),
  sql<number>`SUM(CASE WHEN raw < 0 THEN 0 ELSE raw END) OVER (ORDER BY CASE WHEN raw < 0 THEN 0 ELSE raw END DESC, member_id ROWS UNBOUNDED PRECEDING)`.as('cum'),
])

/** The cumulative spend of the top `rn` members, for each rank asked (ranks by spend desc, then member id). */
export const paretoAtRanks = async (db: Db, f: ParetoFilter, ranks: readonly number[]): Promise<Map<number, number>> => {
  const out = new Map<number, number>()
  for (let i = 0; i < ranks.length; i += 1000) {
    const chunk = ranks.slice(i, i + 1000)
    const rows = await db.selectFrom(ranked(db, f).as('r')).select(['rn', 'cum']).where('rn', 'in', chunk).execute()
    for (const r of rows) out.set(Number(r.rn), Number(r.cum))
  }
  return out
}

/** The fewest top members whose spend reaches `share` of the total. */
export const paretoMembersFor = async (db: Db, f: ParetoFilter, total: number, share: number): Promise<number> => {
  const row = await db.selectFrom(ranked(db, f).as('r')).select((eb) => eb.fn.min<number>('rn').as('rn'))
    .where('cum', '>=', total * share).executeTakeFirst()
  return Number(row?.rn ?? 0)
}
