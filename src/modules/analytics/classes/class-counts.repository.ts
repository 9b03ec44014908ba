import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import type { Scope } from '../../../shared/scope.js'

// The class counts (insight_class_counts): per registration store ('' for none) and group of a
// kind, the members of member_insight and their sums. The first refresh writes them with one
// grouped INSERT … SELECT. Later, only the members whose part changes are counted again: their
// old part is appended negated before their figures are rewritten, their new part after, and the
// rows are folded into one per group. An incremental refresh does so for its dirty members; a
// full one for the members whose groups or sums differ from their last row, after moving every
// group's recency sum by the days since the last date times its members who ever bought (whose
// recency grew by as much); a merge or an erasure retracts the row it deletes. The pages read
// them summed over the actor's stores. They always equal a GROUP BY over member_insight
// (class-counts.test.ts).

type Conn = Db | Trx

/** The kinds and the member_insight columns of their groups (at most four; scores as text). */
const KINDS: Record<string, RawBuilder<unknown>[]> = {
  rfm: [sql`rfm_class`, sql`CAST(r_score AS text)`, sql`CAST(f_score AS text)`, sql`CAST(m_score AS text)`],
  quadrant: [sql`quadrant`],
  level: [sql`frequency_class`, sql`amount_class`],
  lifecycle: [sql`lifecycle`],
  department: [sql`main_department`],
  category: [sql`main_category`],
  age_gender: [sql`age_band`, sql`gender`],
}
type Kind = keyof typeof KINDS

const COUNTED_KEY = 'insight.class_counts'

/** member_insight's columns the groups read. */
const COLUMN_LIST = ['registration_store_id', 'rfm_class', 'r_score', 'f_score', 'm_score', 'quadrant', 'frequency_class', 'amount_class', 'lifecycle',
  'main_department', 'main_category', 'age_band', 'gender', 'spend_w', 'recency_days', 'receipts_w'] as const

/** Whose rows a count reads: every member's, those of a list of members (insight_dirty, class_counts_changed), the merged and erased members', or one member's. */
type Who = 'all' | 'insight_dirty' | 'class_counts_changed' | 'gone' | { memberId: string }

/** The members' groups of every kind with their sums, times `sign`, appended to the table. */
const appendGroups = async (trx: Trx, sign: 1 | -1, who: Who): Promise<void> => {
  // A list's members: their rows are copied once (by member_insight's key, the list first), and
  // the seven groupings read the copy instead of looking each member up seven times.
  const copied = who === 'insight_dirty' || who === 'class_counts_changed' || who === 'gone'
  const from = who === 'all' ? sql`member_insight` : copied ? sql`class_counts_rows` : sql`member_insight WHERE member_id = ${who.memberId}`
  if (copied) {
    const rows = who === 'gone'
      ? sql`members m CROSS JOIN member_insight mi WHERE mi.member_id = m.id AND m.status IN ('merged', 'erased')`
      : sql`${sql.table(who)} d CROSS JOIN member_insight mi WHERE mi.member_id = d.member_id`
    await sql`DROP TABLE IF EXISTS class_counts_rows`.execute(trx)
    await sql`CREATE TEMPORARY TABLE class_counts_rows AS SELECT ${sql.join(COLUMN_LIST.map((c) => sql.ref(`mi.${c}`)))} FROM ${rows}`.execute(trx)
  }
  const selects = Object.entries(KINDS).map(([kind, cols]) => {
    const keys = [0, 1, 2, 3].map((i) => cols[i] ?? sql`NULL`)
    return sql`SELECT ${sql.lit(kind)}, COALESCE(registration_store_id, ''), ${sql.join(keys)},
        ${sql.lit(sign)} * COUNT(*), ${sql.lit(sign)} * COALESCE(SUM(spend_w), 0), ${sql.lit(sign)} * COALESCE(SUM(recency_days), 0),
        ${sql.lit(sign)} * COALESCE(SUM(receipts_w), 0), ${sql.lit(sign)} * COUNT(recency_days)
      FROM ${from} GROUP BY COALESCE(registration_store_id, ''), ${sql.join(cols)}`
  })
  await sql`INSERT INTO insight_class_counts (kind, store_id, k1, k2, k3, k4, members, spend, recency, receipts, bought)
    ${sql.join(selects, sql` UNION ALL `)}`.execute(trx)
  if (copied) await sql`DROP TABLE class_counts_rows`.execute(trx)
}

const counted = async (trx: Trx): Promise<boolean> =>
  (await trx.selectFrom('meta').select('value').where('key', '=', COUNTED_KEY).executeTakeFirst()) !== undefined

/**
 * Before an incremental refresh rewrites the dirty members' figures: their old contribution,
 * negated. Nothing when the counts were never written (the step after the classes writes them whole).
 */
export const retractDirty = async (trx: Trx): Promise<void> => {
  if (await counted(trx)) await appendGroups(trx, -1, 'insight_dirty')
}

/** Before a full refresh deletes the rows of members merged or erased (should any be left): their contribution, negated. */
export const retractGone = async (trx: Trx): Promise<void> => {
  if (await counted(trx)) await appendGroups(trx, -1, 'gone')
}

/** A member's row of member_insight about to go outside a refresh (a merge): its contribution, negated. */
export const retractMember = async (trx: Trx, memberId: string): Promise<void> => {
  if (await counted(trx)) await appendGroups(trx, -1, { memberId })
}

/**
 * A full refresh, after it has classified the rows it staged (insight_tmp_rows) and before it
 * writes them, when the counts exist and were last brought to `previousAsOf`: lists the members
 * whose part changes (no row yet, a row not as of that date, another group, spend or receipts,
 * or a recency that did not grow by the days between the dates), takes their old part out, and
 * moves every group's recency sum by those days times its members who ever bought (all of them
 * now members whose recency grew by exactly as much). Returns how many members it listed (null:
 * none, the counts are written whole after the write).
 */
export const retractChanged = async (trx: Trx, previousAsOf: string | null, asOf: string, engine: 'sqlite' | 'postgres'): Promise<number | null> => {
  if (previousAsOf === null || !(await counted(trx))) return null
  const days = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${previousAsOf}T00:00:00Z`)) / 86_400_000)
  if (!Number.isInteger(days)) return null
  const same = engine === 'postgres' ? sql` IS NOT DISTINCT FROM ` : sql` IS `
  const keys = COLUMN_LIST.filter((c) => c !== 'recency_days')
  await sql`DROP TABLE IF EXISTS class_counts_changed`.execute(trx)
  await sql`CREATE TEMPORARY TABLE class_counts_changed AS ${sql`SELECT t.member_id FROM insight_tmp_rows t
    LEFT JOIN member_insight mi ON mi.member_id = t.member_id
    WHERE mi.member_id IS NULL OR mi.as_of <> ${previousAsOf}
      OR NOT (${sql.join(keys.map((c) => sql`t.${sql.ref(c)}${same}mi.${sql.ref(c)}`), sql` AND `)}
        AND (t.recency_days = mi.recency_days + ${sql.lit(days)} OR (t.recency_days IS NULL AND mi.recency_days IS NULL)))`}`.execute(trx)
  await appendGroups(trx, -1, 'class_counts_changed')
  if (days !== 0) await sql`UPDATE insight_class_counts SET recency = recency + ${sql.lit(days)} * bought`.execute(trx)
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM class_counts_changed`.execute(trx)
  return Number(rows[0]?.n ?? 0)
}

/**
 * After the classes are written: the counts whole (a full refresh without retractChanged, or the
 * first since the table exists), or the new part of the members whose old part was taken out
 * (the dirty ones, or the changed ones of a full refresh), folded into one row per group (a
 * group left without members goes). Says which it did.
 */
export const writeCounts = async (trx: Trx, mode: 'whole' | 'dirty' | 'changed'): Promise<'whole' | 'members'> => {
  if (mode === 'whole' || !(await counted(trx))) {
    await sql`DELETE FROM insight_class_counts`.execute(trx)
    await appendGroups(trx, 1, 'all')
    await trx.insertInto('meta').values({ key: COUNTED_KEY, value: '1' }).onConflict((oc) => oc.column('key').doNothing()).execute()
    return 'whole'
  }
  await appendGroups(trx, 1, mode === 'dirty' ? 'insight_dirty' : 'class_counts_changed')
  if (mode === 'changed') await sql`DROP TABLE class_counts_changed`.execute(trx)
  await sql`CREATE TEMPORARY TABLE class_counts_tmp AS
    SELECT kind, store_id, k1, k2, k3, k4, SUM(members) AS members, SUM(spend) AS spend, SUM(recency) AS recency, SUM(receipts) AS receipts, SUM(bought) AS bought
    FROM insight_class_counts GROUP BY kind, store_id, k1, k2, k3, k4 HAVING SUM(members) <> 0`.execute(trx)
  await sql`DELETE FROM insight_class_counts`.execute(trx)
  await sql`INSERT INTO insight_class_counts (kind, store_id, k1, k2, k3, k4, members, spend, recency, receipts, bought)
    SELECT kind, store_id, k1, k2, k3, k4, members, spend, recency, receipts, bought FROM class_counts_tmp`.execute(trx)
  await sql`DROP TABLE class_counts_tmp`.execute(trx)
  return 'members'
}

interface CountRow { k1: string | null; k2: string | null; k3: string | null; k4: string | null; members: number; spend: number; recency: number; receipts: number }

/** A kind's groups summed over the stores of the scope. */
export const countsOf = async (db: Conn, kind: Kind, scope: Scope): Promise<CountRow[]> => {
  const stores = scope.kind === 'chain' ? sql`` : scope.storeIds.length ? sql`AND store_id IN (${sql.join([...scope.storeIds])})` : sql`AND 1 = 0`
  const { rows } = await sql<CountRow>`SELECT k1, k2, k3, k4, SUM(members) AS members, SUM(spend) AS spend, SUM(recency) AS recency, SUM(receipts) AS receipts
    FROM insight_class_counts WHERE kind = ${kind} ${stores} GROUP BY k1, k2, k3, k4 HAVING SUM(members) <> 0`.execute(db)
  return rows.map((r) => ({ ...r, members: Number(r.members), spend: Number(r.spend), recency: Number(r.recency), receipts: Number(r.receipts) }))
}

/** The same groups read straight from member_insight (the check the tests make). */
export const groupsOfInsight = async (db: Conn, kind: Kind): Promise<Array<CountRow & { store_id: string; bought: number }>> => {
  const cols = KINDS[kind]!
  const keys = [0, 1, 2, 3].map((i) => sql`${cols[i] ?? sql`NULL`} AS ${sql.raw(`k${i + 1}`)}`)
  const { rows } = await sql<CountRow & { store_id: string; bought: number }>`SELECT COALESCE(registration_store_id, '') AS store_id, ${sql.join(keys)},
      COUNT(*) AS members, COALESCE(SUM(spend_w), 0) AS spend, COALESCE(SUM(recency_days), 0) AS recency, COALESCE(SUM(receipts_w), 0) AS receipts,
      COUNT(recency_days) AS bought
    FROM member_insight GROUP BY COALESCE(registration_store_id, ''), ${sql.join(cols)}`.execute(db)
  return rows.map((r) => ({ ...r, members: Number(r.members), spend: Number(r.spend), recency: Number(r.recency), receipts: Number(r.receipts), bought: Number(r.bought) }))
}

/** The stored counts per store and group, folded (for the same check). */
export const storedCounts = async (db: Conn, kind: Kind): Promise<Array<CountRow & { store_id: string; bought: number }>> => {
  const { rows } = await sql<CountRow & { store_id: string; bought: number }>`SELECT store_id, k1, k2, k3, k4, SUM(members) AS members, SUM(spend) AS spend,
      SUM(recency) AS recency, SUM(receipts) AS receipts, SUM(bought) AS bought
    FROM insight_class_counts WHERE kind = ${kind} GROUP BY store_id, k1, k2, k3, k4 HAVING SUM(members) <> 0`.execute(db)
  return rows.map((r) => ({ ...r, members: Number(r.members), spend: Number(r.spend), recency: Number(r.recency), receipts: Number(r.receipts), bought: Number(r.bought) }))
}

export const CLASS_COUNT_KINDS = Object.keys(KINDS) as Kind[]

// ---- the pages' reads ----

const score = (v: string | null) => (v === null ? null : Number(v))

export const rfmGroups = async (db: Db, scope: Scope) =>
  (await countsOf(db, 'rfm', scope)).map((r) => ({
    rfmClass: r.k1, r: score(r.k2), f: score(r.k3), m: score(r.k4), members: r.members, spend: r.spend, recency: r.recency, receipts: r.receipts,
  }))

export const quadrantGroups = async (db: Db, scope: Scope) =>
  (await countsOf(db, 'quadrant', scope)).map((r) => ({ quadrant: r.k1, members: r.members, spend: r.spend }))

export const levelGroups = async (db: Db, scope: Scope) =>
  (await countsOf(db, 'level', scope)).map((r) => ({ frequency: r.k1, amount: r.k2, members: r.members, spend: r.spend }))

export const preferenceGroups = async (db: Db, scope: Scope, column: 'main_department' | 'main_category') =>
  (await countsOf(db, column === 'main_department' ? 'department' : 'category', scope)).map((r) => ({ name: r.k1, members: r.members, spend: r.spend }))

export const ageGenderGroups = async (db: Db, scope: Scope) =>
  (await countsOf(db, 'age_gender', scope)).map((r) => ({ ageBand: r.k1, gender: r.k2 ?? '', members: r.members, spend: r.spend }))

export const lifecycleGroups = async (db: Db, scope: Scope) =>
  (await countsOf(db, 'lifecycle', scope)).map((r) => ({ stage: r.k1, members: r.members }))
