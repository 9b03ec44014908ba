import { sql, type RawBuilder } from 'kysely'
import type { Db, Engine, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import { daysBetween } from '../classes/classes.repository.js'
import type { ClvChecksTable, ClvFitsTable } from './predictions.table.js'

type Conn = Db | Trx

/** Members with the same purchase days around a calibration end (what BG/NBD is fitted on). */
export interface PurchaseGroup {
  /** repeat purchase days up to the calibration end (purchase days after the first) */
  x: number
  /** days from the first purchase day to the last one up to the calibration end */
  txDays: number
  /** days from the first purchase day to the calibration end */
  ageDays: number
  /** purchase days after the calibration end, up to the holdout end (0 without one) */
  holdout: number
  members: number
}

/** Repeat members with the same repeat purchases and spend on them (what Gamma-Gamma is fitted on). */
export interface SpendGroup {
  x: number
  /** fen spent on the repeat purchase days */
  repeatSpend: number
  members: number
}

export interface PurchaseScope {
  calibrationEnd: string
  holdoutEnd?: string
  regionId?: string
}

const text = (v: string): RawBuilder<string> => sql<string>`CAST(${v} AS text)`

/**
 * Per member whose first purchase is on or before the calibration end: the purchase days
 * (business days with a sale, over all stores; member_store_days, kept as each receipt is posted)
 * counted up to the calibration end and, after it, up to the holdout end, and the spend on the
 * repeat ones (net of returns made on those days). With a region, the members who registered in
 * one of its stores. Columns: member_id, x, tx_days, age_days, repeat_spend, holdout.
 */
const memberStats = (conn: Conn, p: PurchaseScope): RawBuilder<unknown> => {
  const cal = text(p.calibrationEnd)
  const region = p.regionId
    ? sql`AND member_id IN (SELECT m.id FROM members m JOIN stores s ON s.id = m.registration_store_id WHERE s.region_id = ${text(p.regionId)})`
    : sql``
  return sql`
    WITH days AS (
      SELECT member_id, day, SUM(spend) AS spend FROM member_store_days
      WHERE sales > 0 AND day <= ${text(p.holdoutEnd ?? p.calibrationEnd)} ${region}
      GROUP BY member_id, day
    ), firsts AS (
      SELECT member_id, MIN(day) AS first_day, MAX(CASE WHEN day <= ${cal} THEN day END) AS last_day FROM days GROUP BY member_id
    )
    SELECT f.member_id AS member_id,
      SUM(CASE WHEN d.day <= ${cal} AND d.day > f.first_day THEN 1 ELSE 0 END) AS x,
      ${daysBetween(conn, sql`f.last_day`, sql`f.first_day`)} AS tx_days,
      ${daysBetween(conn, cal, sql`f.first_day`)} AS age_days,
      SUM(CASE WHEN d.day <= ${cal} AND d.day > f.first_day THEN d.spend ELSE 0 END) AS repeat_spend,
      SUM(CASE WHEN d.day > ${cal} THEN 1 ELSE 0 END) AS holdout
    FROM firsts f JOIN days d ON d.member_id = f.member_id
    WHERE f.first_day <= ${cal}
    GROUP BY f.member_id, f.first_day, f.last_day`
}

/**
 * The members' purchase days, grouped by what the fit and the holdout read: one pass over the
 * members' days, grouped by both keys at once (the repeat spend only where Gamma-Gamma reads it,
 * 0 elsewhere), then split here into the two groupings.
 */
export const purchaseGroups = async (conn: Conn, p: PurchaseScope): Promise<{ purchases: PurchaseGroup[]; spends: SpendGroup[] }> => {
  const { rows } = await sql<{ x: number; tx_days: number; age_days: number; holdout: number; spend: number | string; n: number }>`
    SELECT x, tx_days, age_days, holdout, CASE WHEN x > 0 AND repeat_spend > 0 THEN repeat_spend ELSE 0 END AS spend, COUNT(*) AS n
    FROM (${memberStats(conn, p)}) s GROUP BY x, tx_days, age_days, holdout, CASE WHEN x > 0 AND repeat_spend > 0 THEN repeat_spend ELSE 0 END`.execute(conn)
  const purchases = new Map<string, PurchaseGroup>()
  const spends = new Map<string, SpendGroup>()
  for (const r of rows) {
    const [x, txDays, ageDays, holdout, spend, n] = [Number(r.x), Number(r.tx_days), Number(r.age_days), Number(r.holdout), Number(r.spend), Number(r.n)]
    const key = `${x}:${txDays}:${ageDays}:${holdout}`
    const group = purchases.get(key)
    if (group) group.members += n
    else purchases.set(key, { x, txDays, ageDays, holdout, members: n })
    if (spend <= 0) continue
    const at = spends.get(`${x}:${spend}`)
    if (at) at.members += n
    else spends.set(`${x}:${spend}`, { x, repeatSpend: spend, members: n })
  }
  return { purchases: [...purchases.values()], spends: [...spends.values()] }
}

/** What a fit predicts for every member of one purchase group. */
export interface GroupPrediction {
  x: number
  txDays: number
  ageDays: number
  pAlivePm: number
  expected30: number
  expected90: number
  expected365: number
  /** Σ over the horizon's periods of the purchases expected in each, discounted: CLV = this × E[M] */
  discountedPurchases: number
}

/** Gamma-Gamma's parameters, for E[M | x, m̄] = p(γ + x m̄) ÷ (p x + q − 1) in SQL. */
export interface ValueModel {
  p: number
  q: number
  gamma: number
}

const CHUNK = 400

const num = (v: number) => {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`)
  return sql.lit(v)
}

/**
 * Writes each member's predictions into member_insight: the members' purchase days worked out
 * again as of the calibration end (a temporary table), joined to the predictions per group;
 * E[M] and the CLV from the members' own repeat spend. A member the fit does not cover (no
 * purchase yet, or outside its region) keeps no prediction of an earlier fit. Returns the members
 * scored.
 */
export const writePredictions = async (trx: Trx, engine: Engine, p: PurchaseScope, fitId: string, groups: readonly GroupPrediction[], value: ValueModel | null): Promise<number> => {
  await sql`DROP TABLE IF EXISTS clv_tmp_members`.execute(trx)
  await sql`DROP TABLE IF EXISTS clv_tmp_groups`.execute(trx)
  await sql`CREATE TEMP TABLE clv_tmp_members AS ${memberStats(trx, { calibrationEnd: p.calibrationEnd, ...(p.regionId ? { regionId: p.regionId } : {}) })}`.execute(trx)
  await sql`CREATE TEMP TABLE clv_tmp_groups (x integer NOT NULL, tx_days integer NOT NULL, age_days integer NOT NULL,
    p_alive_pm integer NOT NULL, e30 double precision NOT NULL, e90 double precision NOT NULL, e365 double precision NOT NULL, discounted double precision NOT NULL,
    PRIMARY KEY (x, tx_days, age_days))`.execute(trx)
  for (let i = 0; i < groups.length; i += CHUNK) {
    const rows = groups.slice(i, i + CHUNK).map((g) =>
      sql`(${num(g.x)}, ${num(g.txDays)}, ${num(g.ageDays)}, ${num(g.pAlivePm)}, ${num(g.expected30)}, ${num(g.expected90)}, ${num(g.expected365)}, ${num(g.discountedPurchases)})`)
    await sql`INSERT INTO clv_tmp_groups VALUES ${sql.join(rows)}`.execute(trx)
  }
  if (engine === 'postgres') {
    await sql`CREATE UNIQUE INDEX ON clv_tmp_members (member_id)`.execute(trx)
    await sql`ANALYZE clv_tmp_members`.execute(trx)
    await sql`ANALYZE clv_tmp_groups`.execute(trx)
  }
  // x m̄ is the repeat spend; a member whose repeat days come to nothing or less (returns) is
  // valued as one without repeats: the population's mean, pγ ÷ (q − 1).
  const repeats = sql`CASE WHEN s.repeat_spend > 0 THEN s.x ELSE 0 END`
  const expected = value
    ? sql`(${num(value.p)} * (${num(value.gamma)} + CASE WHEN s.repeat_spend > 0 THEN s.repeat_spend ELSE 0 END) / (${num(value.p)} * ${repeats} + ${num(value.q)} - 1))`
    : null
  const written = await sql`UPDATE member_insight SET p_alive_pm = g.p_alive_pm, expected_purchases_30 = g.e30, expected_purchases_90 = g.e90,
      expected_purchases_365 = g.e365,
      expected_value = ${expected ? sql`CAST(ROUND(${expected}) AS bigint)` : sql`NULL`},
      clv = ${expected ? sql`CAST(ROUND(${expected} * g.discounted) AS bigint)` : sql`NULL`},
      clv_fit_id = ${text(fitId)}
    FROM clv_tmp_members s JOIN clv_tmp_groups g ON g.x = s.x AND g.tx_days = s.tx_days AND g.age_days = s.age_days
    WHERE member_insight.member_id = s.member_id`.execute(trx)
  await sql`UPDATE member_insight SET p_alive_pm = NULL, expected_purchases_30 = NULL, expected_purchases_90 = NULL, expected_purchases_365 = NULL,
      expected_value = NULL, clv = NULL, clv_fit_id = NULL
    WHERE clv_fit_id IS NOT NULL AND clv_fit_id <> ${text(fitId)}`.execute(trx)
  await sql`DROP TABLE clv_tmp_members`.execute(trx)
  await sql`DROP TABLE clv_tmp_groups`.execute(trx)
  return Number(written.numAffectedRows ?? 0)
}

export const insertFit = async (trx: Trx, row: ClvFitsTable): Promise<void> => {
  await trx.insertInto('clv_fits').values(row).execute()
}

export const insertCheck = async (conn: Conn, row: ClvChecksTable): Promise<void> => {
  await conn.insertInto('clv_checks').values(row).execute()
}

/** Keeps the newest `keep` checks. */
export const pruneChecks = async (conn: Conn, keep: number): Promise<void> => {
  const old = await conn.selectFrom('clv_checks').select('id').orderBy('checked_at', 'desc').orderBy('id', 'desc').offset(keep).limit(1_000_000).execute()
  if (old.length > 0) await conn.deleteFrom('clv_checks').where('id', 'in', old.map((r) => r.id)).execute()
}

export const latestCheck = (conn: Conn) =>
  conn.selectFrom('clv_checks').selectAll().orderBy('checked_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()

export const latestFit = (conn: Conn) =>
  conn.selectFrom('clv_fits').selectAll().orderBy('fitted_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()

/** One member's predictions, as stored (null before the first fit that covers the member). */
export const memberPrediction = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_insight')
    .select(['p_alive_pm', 'expected_purchases_30', 'expected_purchases_90', 'expected_purchases_365', 'expected_value', 'clv', 'clv_fit_id'])
    .where('member_id', '=', memberId).executeTakeFirst()

/** Members scored by the fit, per tenth of P(alive) (band 0 = 0–99‰ … 9 = 900–1000‰), with their CLV. */
export const pAliveBands = async (conn: Conn, fitId: string, scope: Scope): Promise<Array<{ band: number; members: number; clv: number; expected365: number }>> => {
  let q = conn.selectFrom('member_insight')
    .select((eb) => [
      sql<number>`CASE WHEN p_alive_pm >= 1000 THEN 9 ELSE p_alive_pm / 100 END`.as('band'),
      eb.fn.countAll<number>().as('members'),
      eb.fn.sum<number>(eb.fn.coalesce('clv', sql.lit(0))).as('clv'),
      eb.fn.sum<number>('expected_purchases_365').as('expected365'),
    ])
    .where('clv_fit_id', '=', fitId)
    .groupBy(sql`CASE WHEN p_alive_pm >= 1000 THEN 9 ELSE p_alive_pm / 100 END`)
  q = scopeToStore(q, scope, 'registration_store_id')
  return (await q.execute()).map((r) => ({ band: Number(r.band), members: Number(r.members), clv: Number(r.clv ?? 0), expected365: Number(r.expected365 ?? 0) }))
}

/** The members most worth winning back: P(alive) below `belowPm`, by CLV, the highest first. */
export const atRiskMembers = async (conn: Conn, fitId: string, scope: Scope, belowPm: number, limit: number) => {
  let q = conn.selectFrom('member_insight as i').innerJoin('members as m', 'm.id', 'i.member_id')
    .select(['i.member_id', 'm.card_no', 'm.name_masked', 'i.registration_store_id', 'i.p_alive_pm', 'i.clv', 'i.expected_value', 'i.receipts_total',
      'i.recency_days', 'i.interval_days', 'i.last_purchase_at'])
    .where('i.clv_fit_id', '=', fitId).where('i.p_alive_pm', '<', belowPm).where('m.status', 'not in', ['merged', 'erased'])
    .orderBy('i.clv', 'desc').orderBy('i.member_id').limit(limit)
  q = scopeToStore(q, scope, 'i.registration_store_id')
  return q.execute()
}
