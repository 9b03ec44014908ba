import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { newId } from '../../../shared/ids.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import type { KpiTargetsTable } from './kpis.table.js'

// The KPI sums, read set-based inside the database (analytics reads receipts, members, points
// entries and coupons; it writes only kpi_targets). Every query buckets its rows into intervals
// between sorted boundaries (local dates for receipts, the UTC instants of those dates' midnights
// for timestamps): a row at t is in interval i when bounds[i] <= t < bounds[i + 1]. The service
// maps intervals back to periods.

type Conn = Db | Trx

/** A query's window: the boundaries, and the ranges [from, until) of them it must read. */
export interface Buckets {
  bounds: readonly string[]
  ranges: ReadonlyArray<{ from: string; until: string }>
}

/** CASE: the interval of `column` (−1 below the first boundary when `below` is set). */
const intervalCase = (column: Expression<unknown> | RawBuilder<unknown>, bounds: readonly string[], below = false): RawBuilder<number> => {
  const whens = bounds.slice(below ? 0 : 1).map((b, i) => sql`when ${column} < ${b} then ${sql.lit(below ? i - 1 : i)}`)
  return sql<number>`(case ${sql.join(whens, sql` `)} end)`
}

const inRanges = (column: RawBuilder<unknown>, ranges: Buckets['ranges']): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.join(ranges.map((r) => sql`(${column} >= ${r.from} and ${column} < ${r.until})`), sql` or `)})`

const n = (v: unknown): number => Number(v ?? 0)

/** What the sums are grouped by besides the interval: nothing, the row's store, or its store's region. */
export type Unit = 'none' | 'store' | 'region'

/** The unit of a row whose store is `storeColumn` ('' when ungrouped or without a store or region). */
const unitOf = (unit: Unit, storeColumn: string): RawBuilder<string> =>
  unit === 'none' ? sql<string>`''`
    : unit === 'store' ? sql<string>`coalesce(${sql.ref(storeColumn)}, '')`
      : sql<string>`coalesce((select u.region_id from stores u where u.id = ${sql.ref(storeColumn)}), '')`

export interface SalesRow { i: number; unit: string; netSales: number; memberNetSales: number; memberSaleReceipts: number; nonMemberSaleReceipts: number }

/** Net sales (a return subtracts at its own business date), member net sales and sale receipts, per interval. */
export const salesByInterval = async (db: Conn, scope: Scope, b: Buckets, unit: Unit = 'none'): Promise<SalesRow[]> => {
  const date = sql.ref('receipts.business_date')
  const signed = sql<number>`(case when receipts.kind = 'sale' then receipts.total else -receipts.total end)`
  let q = db.selectFrom('receipts')
    .select([
      intervalCase(date, b.bounds).as('i'),
      unitOf(unit, 'receipts.store_id').as('unit'),
      sql<string>`sum(${signed})`.as('net'),
      sql<string>`sum(case when receipts.member_id is not null then ${signed} else 0 end)`.as('member_net'),
      sql<string>`sum(case when receipts.kind = 'sale' and receipts.member_id is not null then 1 else 0 end)`.as('member_receipts'),
      sql<string>`sum(case when receipts.kind = 'sale' and receipts.member_id is null then 1 else 0 end)`.as('non_member_receipts'),
    ])
    .where('receipts.status', '=', 'posted')
    .where(inRanges(date, b.ranges))
  q = scopeToStore(q, scope, 'receipts.store_id')
  const rows = await q.groupBy([sql`1`, sql`2`]).execute()
  return rows.map((r) => ({
    i: n(r.i), unit: r.unit, netSales: n(r.net), memberNetSales: n(r.member_net), memberSaleReceipts: n(r.member_receipts), nonMemberSaleReceipts: n(r.non_member_receipts),
  }))
}

export interface ActivityRow { i: number; unit: string; active: number; retained: number; repeat: number }

/**
 * Distinct members with a sale per interval; of them, those with a sale in the interval before
 * (retained) and those whose first purchase (member facts) was before the interval's start
 * (`startInstants[i]`).
 */
export const activityByInterval = async (db: Conn, scope: Scope, b: Buckets, startInstants: readonly string[], unit: Unit = 'none'): Promise<ActivityRow[]> => {
  const date = sql.ref('receipts.business_date')
  let inner = db.selectFrom('receipts')
    .select([intervalCase(date, b.bounds).as('i'), unitOf(unit, 'receipts.store_id').as('unit'), 'receipts.member_id'])
    .distinct()
    .where('receipts.status', '=', 'posted')
    .where('receipts.kind', '=', 'sale')
    .where('receipts.member_id', 'is not', null)
    .where(inRanges(date, b.ranges))
  inner = scopeToStore(inner, scope, 'receipts.store_id')
  const startOf = sql`(case s.i ${sql.join(startInstants.map((t, i) => sql`when ${sql.lit(i)} then ${t}`), sql` `)} end)`
  const rows = await db.with((w) => w('s').materialized(), () => inner)
    .selectFrom('s')
    .leftJoin('s as p', (j) => j.onRef('p.member_id', '=', 's.member_id').onRef('p.unit', '=', 's.unit').on(sql`p.i`, '=', sql`s.i - 1`))
    .leftJoin('member_purchase_stats as st', 'st.member_id', 's.member_id')
    .select([
      's.i', 's.unit',
      sql<string>`count(*)`.as('active'),
      sql<string>`sum(case when p.member_id is not null then 1 else 0 end)`.as('retained'),
      sql<string>`sum(case when st.first_purchase_at < ${startOf} then 1 else 0 end)`.as('repeat'),
    ])
    .groupBy(['s.i', 's.unit'])
    .execute()
  return rows.map((r) => ({ i: n(r.i), unit: r.unit, active: n(r.active), retained: n(r.retained), repeat: n(r.repeat) }))
}

/** Live members (active or frozen) by the interval they registered in (−1: before the first boundary). */
export const membersByInterval = async (db: Conn, scope: Scope, instants: readonly string[], unit: Unit = 'none'): Promise<Array<{ i: number; unit: string; count: number }>> => {
  let q = db.selectFrom('members')
    .select([intervalCase(sql.ref('members.registered_at'), instants, true).as('i'), unitOf(unit, 'members.registration_store_id').as('unit'), (eb) => eb.fn.countAll<string>().as('count')])
    .where('members.status', 'in', ['active', 'frozen'])
    .where('members.registered_at', '<', instants.at(-1)!)
  q = scopeToStore(q, scope, 'members.registration_store_id')
  const rows = await q.groupBy([sql`1`, sql`2`]).execute()
  return rows.map((r) => ({ i: n(r.i), unit: r.unit, count: n(r.count) }))
}

// Points given for purchases and prizes net of what returns took back; points spent at the till,
// on gifts and on draws net of what returns gave back. Manual adjustments, expiry and merges are
// neither.
const ISSUED_KINDS = ['earn', 'award', 'reversal'] as const
const REDEEMED_KINDS = ['spend', 'redeem', 'draw', 'refund'] as const

/** Points issued and redeemed per interval of the entry's time, attributed to the entry's store. */
export const pointsByInterval = async (db: Conn, scope: Scope, b: Buckets, unit: Unit = 'none'): Promise<Array<{ i: number; unit: string; issued: number; redeemed: number }>> => {
  const at = sql.ref('points_entries.created_at')
  let q = db.selectFrom('points_entries')
    .select([
      intervalCase(at, b.bounds).as('i'),
      unitOf(unit, 'points_entries.store_id').as('unit'),
      sql<string>`sum(case when points_entries.kind in (${sql.join(ISSUED_KINDS.map((k) => sql.lit(k)))}) then points_entries.points else 0 end)`.as('issued'),
      sql<string>`sum(case when points_entries.kind in (${sql.join(REDEEMED_KINDS.map((k) => sql.lit(k)))}) then -points_entries.points else 0 end)`.as('redeemed'),
    ])
    .where(inRanges(at, b.ranges))
  q = scopeToStore(q, scope, 'points_entries.store_id')
  const rows = await q.groupBy([sql`1`, sql`2`]).execute()
  return rows.map((r) => ({ i: n(r.i), unit: r.unit, issued: n(r.issued), redeemed: n(r.redeemed) }))
}

/** Coupons issued per interval (to members of the scope's stores) and coupons used (at the scope's stores). */
export const couponsByInterval = async (db: Conn, scope: Scope, b: Buckets, unit: Unit = 'none'): Promise<Array<{ i: number; unit: string; issued: number; redeemed: number }>> => {
  const issuedAt = sql.ref('coupons.issued_at')
  let issued = db.selectFrom('coupons').innerJoin('members', 'members.id', 'coupons.member_id')
    .select([intervalCase(issuedAt, b.bounds).as('i'), unitOf(unit, 'members.registration_store_id').as('unit'), (eb) => eb.fn.countAll<string>().as('count')])
    .where(inRanges(issuedAt, b.ranges))
  issued = scopeToStore(issued, scope, 'members.registration_store_id')
  const usedAt = sql.ref('coupons.used_at')
  let used = db.selectFrom('coupons')
    .select([intervalCase(usedAt, b.bounds).as('i'), unitOf(unit, 'coupons.used_store_id').as('unit'), (eb) => eb.fn.countAll<string>().as('count')])
    .where('coupons.status', '=', 'used')
    .where(inRanges(usedAt, b.ranges))
  used = scopeToStore(used, scope, 'coupons.used_store_id')
  const [a, u] = await Promise.all([issued.groupBy([sql`1`, sql`2`]).execute(), used.groupBy([sql`1`, sql`2`]).execute()])
  const out = new Map<string, { i: number; unit: string; issued: number; redeemed: number }>()
  const row = (i: number, unit: string) => out.get(`${i}|${unit}`) ?? out.set(`${i}|${unit}`, { i, unit, issued: 0, redeemed: 0 }).get(`${i}|${unit}`)!
  for (const r of a) row(n(r.i), r.unit).issued = n(r.count)
  for (const r of u) row(n(r.i), r.unit).redeemed = n(r.count)
  return [...out.values()]
}

// ---- stores and regions (org's tables, read for scopes and the report's breakdown) ----

export const findStore = (db: Conn, id: string) =>
  db.selectFrom('stores').select(['id', 'code', 'name', 'region_id as regionId']).where('id', '=', id).executeTakeFirst()

export const findRegion = (db: Conn, id: string) =>
  db.selectFrom('regions').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst()

export const storeIdsOfRegion = async (db: Conn, regionId: string): Promise<string[]> =>
  (await db.selectFrom('stores').select('id').where('region_id', '=', regionId).orderBy('code').execute()).map((r) => r.id)

export const listStores = (db: Conn, scope: Scope) =>
  scopeToStore(db.selectFrom('stores').select(['stores.id', 'stores.code', 'stores.name', 'stores.region_id as regionId']), scope, 'stores.id')
    .orderBy('stores.code').execute()

export const listRegions = (db: Conn) => db.selectFrom('regions').select(['id', 'code', 'name']).orderBy('code').execute()

// ---- targets ----

export type TargetRow = KpiTargetsTable

export const listTargets = (db: Conn, filter: { periods?: readonly string[]; scopeKind?: string; scopeId?: string }) => {
  let q = db.selectFrom('kpi_targets').selectAll()
  if (filter.periods) q = q.where('period', 'in', filter.periods.length > 0 ? [...filter.periods] : [''])
  if (filter.scopeKind) q = q.where('scope_kind', '=', filter.scopeKind as KpiTargetsTable['scope_kind'])
  if (filter.scopeId !== undefined) q = q.where('scope_id', '=', filter.scopeId)
  return q.orderBy('period').orderBy('scope_kind').orderBy('scope_id').orderBy('metric').execute()
}

export const findTarget = (db: Conn, id: string) => db.selectFrom('kpi_targets').selectAll().where('id', '=', id).executeTakeFirst()

export const findTargetByKey = (db: Conn, key: Pick<KpiTargetsTable, 'period' | 'scope_kind' | 'scope_id' | 'metric'>) =>
  db.selectFrom('kpi_targets').selectAll()
    .where('period', '=', key.period).where('scope_kind', '=', key.scope_kind).where('scope_id', '=', key.scope_id).where('metric', '=', key.metric)
    .executeTakeFirst()

export const insertTarget = async (db: Conn, row: Omit<KpiTargetsTable, 'id'>): Promise<KpiTargetsTable> => {
  const full = { id: newId('kpt'), ...row }
  await db.insertInto('kpi_targets').values(full).execute()
  return full
}

export const updateTarget = (db: Conn, id: string, target: number, at: string) =>
  db.updateTable('kpi_targets').set({ target, updated_at: at }).where('id', '=', id).execute()

export const deleteTarget = (db: Conn, id: string) => db.deleteFrom('kpi_targets').where('id', '=', id).execute()


/** Targets named for the audit log: period, metric and scope. */
export const targetLabels = async (db: Conn, ids: string[]) =>
  (await db.selectFrom('kpi_targets').leftJoin('stores', 'stores.id', 'kpi_targets.scope_id').leftJoin('regions', 'regions.id', 'kpi_targets.scope_id')
    .select(['kpi_targets.id', 'kpi_targets.period', 'kpi_targets.metric', 'stores.name as storeName', 'regions.name as regionName'])
    .where('kpi_targets.id', 'in', ids.length > 0 ? ids : ['']).execute())
    .map((r) => ({ id: r.id, label: [r.period, r.metric, r.storeName ?? r.regionName].filter(Boolean).join(' ') }))
