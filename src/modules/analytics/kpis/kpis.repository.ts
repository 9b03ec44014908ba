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

// ---- the read model: kpi_store_days, kpi_scope_months, kpi_state ----

export const readState = async (db: Conn): Promise<Map<string, string>> =>
  new Map((await db.selectFrom('kpi_state').select(['key', 'value']).execute()).map((r) => [r.key, r.value]))

export const writeState = (db: Conn, key: string, value: string) =>
  db.insertInto('kpi_state').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()

/** The newest receipt's and member's change time (the next watermarks). */
export const latestChanges = async (db: Conn) => {
  const r = await db.selectFrom('receipts').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirst()
  const m = await db.selectFrom('members').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst()
  const p = await db.selectFrom('points_entries').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirst()
  return { receipts: (r?.at as string | null) ?? null, members: (m?.at as string | null) ?? null, points: (p?.at as string | null) ?? null }
}

/**
 * The (store, day) pairs receipts changed since `since`: receipts written since, and returns of
 * sales written since (a pending return is posted when its sale arrives, without a new row).
 */
export const receiptDaysSince = async (db: Conn, since: string): Promise<Array<{ storeId: string; day: string }>> => {
  const rows = await db.selectFrom('receipts').select(['store_id', 'business_date']).distinct()
    .where((eb) => eb.or([
      eb('created_at', '>=', since),
      eb('original_receipt_id', 'in', eb.selectFrom('receipts as s').select('s.id').where('s.created_at', '>=', since)),
    ]))
    .execute()
  return rows.map((r) => ({ storeId: r.store_id, day: r.business_date }))
}

/** The local registration day as SQL: a fixed offset on SQLite (the chain's zone has no DST), the zone on PostgreSQL. */
const localDay = (column: string, engine: Engine, timezone: string, offsetMinutes: number): RawBuilder<string> =>
  engine === 'postgres'
    ? sql<string>`to_char((cast(${sql.ref(column)} as timestamptz) at time zone ${timezone}), 'YYYY-MM-DD')`
    : sql<string>`substr(datetime(${sql.ref(column)}, ${`${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes`}), 1, 10)`
const registrationDay = (engine: Engine, timezone: string, offsetMinutes: number) => localDay('members.registered_at', engine, timezone, offsetMinutes)

export type Engine = 'sqlite' | 'postgres'

/** The (registration store, day) pairs members changed since `since` (registered, merged, erased). */
export const memberDaysSince = async (db: Conn, engine: Engine, timezone: string, offsetMinutes: number, since: string): Promise<Array<{ storeId: string; day: string }>> => {
  const rows = await db.selectFrom('members')
    .select([sql<string>`coalesce(members.registration_store_id, '')`.as('store_id'), registrationDay(engine, timezone, offsetMinutes).as('day')]).distinct()
    .where('updated_at', '>=', since).execute()
  return rows.map((r) => ({ storeId: r.store_id, day: r.day }))
}

const pairsWhere = (storeColumn: string, dayColumn: RawBuilder<string> | string, pairs: ReadonlyArray<{ storeId: string; day: string }>): RawBuilder<SqlBool> => {
  const byDay = new Map<string, string[]>()
  for (const p of pairs) byDay.set(p.day, [...(byDay.get(p.day) ?? []), p.storeId])
  const day = typeof dayColumn === 'string' ? sql.ref(dayColumn) : dayColumn
  return sql<SqlBool>`(${sql.join([...byDay].map(([d, stores]) => sql`(${day} = ${d} and coalesce(${sql.ref(storeColumn)}, '') in (${sql.join(stores)}))`), sql` or `)})`
}

const CHUNK = 200

/** Recomputes the sales sums of some (store, day) pairs, or of every day when `pairs` is null. */
export const rebuildSalesDays = async (db: Conn, pairs: ReadonlyArray<{ storeId: string; day: string }> | null): Promise<void> => {
  const chunks = pairs === null ? [null] : Array.from({ length: Math.ceil(pairs.length / CHUNK) }, (_, i) => pairs.slice(i * CHUNK, (i + 1) * CHUNK))
  const signed = sql<number>`(case when receipts.kind = 'sale' then receipts.total else -receipts.total end)`
  for (const chunk of chunks) {
    if (chunk !== null && chunk.length === 0) continue
    let q = db.selectFrom('receipts')
      .select([
        'receipts.store_id', 'receipts.business_date',
        sql<number>`sum(${signed})`.as('net_sales'),
        sql<number>`sum(case when receipts.member_id is not null then ${signed} else 0 end)`.as('member_net_sales'),
        sql<number>`sum(case when receipts.kind = 'sale' and receipts.member_id is not null then 1 else 0 end)`.as('member_sale_receipts'),
        sql<number>`sum(case when receipts.kind = 'sale' and receipts.member_id is null then 1 else 0 end)`.as('non_member_sale_receipts'),
        sql<number>`0`.as('new_members'), sql<number>`0`.as('points_issued'), sql<number>`0`.as('points_redeemed'),
      ])
      .where('receipts.status', '=', 'posted')
    if (chunk) q = q.where(pairsWhere('receipts.store_id', 'receipts.business_date', chunk))
    await db.insertInto('kpi_store_days')
      .columns(['store_id', 'day', 'net_sales', 'member_net_sales', 'member_sale_receipts', 'non_member_sale_receipts', 'new_members', 'points_issued', 'points_redeemed'])
      .expression(q.groupBy(['receipts.store_id', 'receipts.business_date']))
      .onConflict((oc) => oc.columns(['store_id', 'day']).doUpdateSet((eb) => ({
        net_sales: eb.ref('excluded.net_sales'), member_net_sales: eb.ref('excluded.member_net_sales'),
        member_sale_receipts: eb.ref('excluded.member_sale_receipts'), non_member_sale_receipts: eb.ref('excluded.non_member_sale_receipts'),
      })))
      .execute()
  }
}

/** Recomputes the live members registered on some (store, day) pairs, or on every day when `pairs` is null. */
export const rebuildMemberDays = async (db: Conn, engine: Engine, timezone: string, offsetMinutes: number, pairs: ReadonlyArray<{ storeId: string; day: string }> | null): Promise<void> => {
  const day = registrationDay(engine, timezone, offsetMinutes)
  const chunks = pairs === null ? [null] : Array.from({ length: Math.ceil(pairs.length / CHUNK) }, (_, i) => pairs.slice(i * CHUNK, (i + 1) * CHUNK))
  for (const chunk of chunks) {
    if (chunk !== null && chunk.length === 0) continue
    // A pair whose members were all merged away drops to 0 before the counts are written again.
    if (chunk) await db.updateTable('kpi_store_days').set({ new_members: 0 }).where(pairsWhere('store_id', 'day', chunk)).execute()
    else await db.updateTable('kpi_store_days').set({ new_members: 0 }).execute()
    let q = db.selectFrom('members')
      .select([sql<string>`coalesce(members.registration_store_id, '')`.as('store_id'), day.as('day'),
        sql<number>`0`.as('net_sales'), sql<number>`0`.as('member_net_sales'), sql<number>`0`.as('member_sale_receipts'), sql<number>`0`.as('non_member_sale_receipts'),
        sql<number>`count(*)`.as('new_members'), sql<number>`0`.as('points_issued'), sql<number>`0`.as('points_redeemed')])
      .where('members.status', 'in', ['active', 'frozen'])
    if (chunk) q = q.where(pairsWhere('members.registration_store_id', day, chunk))
    await db.insertInto('kpi_store_days')
      .columns(['store_id', 'day', 'net_sales', 'member_net_sales', 'member_sale_receipts', 'non_member_sale_receipts', 'new_members', 'points_issued', 'points_redeemed'])
      .expression(q.groupBy([sql`1`, sql`2`]))
      .onConflict((oc) => oc.columns(['store_id', 'day']).doUpdateSet((eb) => ({ new_members: eb.ref('excluded.new_members') })))
      .execute()
  }
}

/** Writes the distinct buyers of months for the chain (''), regions and stores (rows from activityByInterval). */
export const writeScopeMonths = async (db: Conn, rows: ReadonlyArray<{ scopeId: string; month: string; active: number; retained: number; repeat: number }>): Promise<void> => {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK)
    await db.insertInto('kpi_scope_months')
      .values(chunk.map((r) => ({ scope_id: r.scopeId, month: r.month, active: r.active, retained: r.retained, repeat: r.repeat })))
      .onConflict((oc) => oc.columns(['scope_id', 'month']).doUpdateSet((eb) => ({ active: eb.ref('excluded.active'), retained: eb.ref('excluded.retained'), repeat: eb.ref('excluded.repeat') })))
      .execute()
  }
}

export const deleteScopeMonths = (db: Conn, months: readonly string[]) =>
  db.deleteFrom('kpi_scope_months').where('month', 'in', months.length > 0 ? [...months] : ['']).execute()

/** The sums of the read model per interval of days (and unit), as salesByInterval gives them, plus new members. */
export const storeDaysByInterval = async (db: Conn, scope: Scope, b: Buckets, unit: Unit = 'none') => {
  const day = sql.ref('kpi_store_days.day')
  let q = db.selectFrom('kpi_store_days')
    .select([
      intervalCase(day, b.bounds).as('i'),
      unitOf(unit, 'kpi_store_days.store_id').as('unit'),
      sql<string>`sum(net_sales)`.as('net'), sql<string>`sum(member_net_sales)`.as('member_net'),
      sql<string>`sum(member_sale_receipts)`.as('member_receipts'), sql<string>`sum(non_member_sale_receipts)`.as('non_member_receipts'),
      sql<string>`sum(new_members)`.as('new_members'), sql<string>`sum(points_issued)`.as('points_issued'), sql<string>`sum(points_redeemed)`.as('points_redeemed'),
    ])
    .where(inRanges(day, b.ranges))
  q = scopeToStore(q, scope, 'kpi_store_days.store_id')
  const rows = await q.groupBy([sql`1`, sql`2`]).execute()
  return rows.map((r) => ({
    i: n(r.i), unit: r.unit, netSales: n(r.net), memberNetSales: n(r.member_net), memberSaleReceipts: n(r.member_receipts), nonMemberSaleReceipts: n(r.non_member_receipts), newMembers: n(r.new_members),
    pointsIssued: n(r.points_issued), pointsRedeemed: n(r.points_redeemed),
  }))
}

/**
 * Members registered before each of `days` (per unit), from one pass over the store days: a pass
 * per day read the table's rows through the day index three times over (40 ms each at 50 stores
 * × two years).
 */
export const membersBefore = async (db: Conn, scope: Scope, days: readonly string[], unit: Unit = 'none'): Promise<Array<Array<{ unit: string; members: number }>>> => {
  if (days.length === 0) return []
  const last = [...days].sort().at(-1)!
  let q = db.selectFrom('kpi_store_days')
    .select([
      unitOf(unit, 'kpi_store_days.store_id').as('unit'),
      ...days.map((d, i) => sql<string>`sum(case when day < ${d} then new_members else 0 end)`.as(`m${i}`)),
    ])
    .where('day', '<', last)
  q = scopeToStore(q, scope, 'kpi_store_days.store_id')
  const rows = (await q.groupBy(sql`1`).execute()) as Array<Record<string, unknown> & { unit: string }>
  return days.map((_, i) => rows.map((r) => ({ unit: r.unit, members: n(r[`m${i}`] as string | number | null) })))
}

/** The distinct buyers of months for scope ids ('' for the chain). */
export const scopeMonths = (db: Conn, scopeIds: readonly string[], months: readonly string[]) =>
  db.selectFrom('kpi_scope_months').select(['scope_id as scopeId', 'month', 'active', 'retained', 'repeat'])
    .where('scope_id', 'in', scopeIds.length > 0 ? [...scopeIds] : ['\u0000']).where('month', 'in', months.length > 0 ? [...months] : ['']).execute()

/** The months that have receipts (for a full rebuild of kpi_scope_months). */
export const receiptMonths = async (db: Conn): Promise<string[]> => {
  const r = await db.selectFrom('receipts').select([(eb) => eb.fn.min('business_date').as('first'), (eb) => eb.fn.max('business_date').as('last')]).executeTakeFirst()
  if (!r?.first || !r.last) return []
  const out: string[] = []
  const end = String(r.last).slice(0, 7)
  for (let y = Number(String(r.first).slice(0, 4)), m = Number(String(r.first).slice(5, 7)); `${y}-${String(m).padStart(2, '0')}` <= end; m === 12 ? (y++, m = 1) : m++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
  }
  return out
}

/** The distinct buyers of months of every store (prefix 'sto_') or region ('reg_'). */
export const scopeMonthsLike = (db: Conn, prefix: 'sto_' | 'reg_', months: readonly string[]) =>
  db.selectFrom('kpi_scope_months').select(['scope_id as scopeId', 'month', 'active', 'retained', 'repeat'])
    .where('scope_id', 'like', `${prefix}%`).where('month', 'in', months.length > 0 ? [...months] : ['']).execute()

export const clearStoreDays = (db: Conn) => db.deleteFrom('kpi_store_days').execute()
export const clearScopeMonths = (db: Conn) => db.deleteFrom('kpi_scope_months').execute()

/** The (store, local day) pairs of points entries written since `since`. */
export const pointDaysSince = async (db: Conn, engine: Engine, timezone: string, offsetMinutes: number, since: string): Promise<Array<{ storeId: string; day: string }>> => {
  const rows = await db.selectFrom('points_entries')
    .select([sql<string>`coalesce(points_entries.store_id, '')`.as('store_id'), localDay('points_entries.created_at', engine, timezone, offsetMinutes).as('day')]).distinct()
    .where('created_at', '>=', since).execute()
  return rows.map((r) => ({ storeId: r.store_id, day: r.day }))
}

/** Recomputes points issued and redeemed of some (store, day) pairs, or of every day when `pairs` is null. */
export const rebuildPointDays = async (db: Conn, engine: Engine, timezone: string, offsetMinutes: number, pairs: ReadonlyArray<{ storeId: string; day: string }> | null): Promise<void> => {
  const day = localDay('points_entries.created_at', engine, timezone, offsetMinutes)
  const chunks = pairs === null ? [null] : Array.from({ length: Math.ceil(pairs.length / CHUNK) }, (_, i) => pairs.slice(i * CHUNK, (i + 1) * CHUNK))
  for (const chunk of chunks) {
    if (chunk !== null && chunk.length === 0) continue
    let q = db.selectFrom('points_entries')
      .select([sql<string>`coalesce(points_entries.store_id, '')`.as('store_id'), day.as('day'),
        sql<number>`0`.as('net_sales'), sql<number>`0`.as('member_net_sales'), sql<number>`0`.as('member_sale_receipts'), sql<number>`0`.as('non_member_sale_receipts'), sql<number>`0`.as('new_members'),
        sql<number>`sum(case when points_entries.kind in (${sql.join(ISSUED_KINDS.map((k) => sql.lit(k)))}) then points_entries.points else 0 end)`.as('points_issued'),
        sql<number>`sum(case when points_entries.kind in (${sql.join(REDEEMED_KINDS.map((k) => sql.lit(k)))}) then -points_entries.points else 0 end)`.as('points_redeemed')])
      .where('points_entries.kind', 'in', [...ISSUED_KINDS, ...REDEEMED_KINDS])
    if (chunk) q = q.where(pairsWhere('points_entries.store_id', day, chunk))
    await db.insertInto('kpi_store_days')
      .columns(['store_id', 'day', 'net_sales', 'member_net_sales', 'member_sale_receipts', 'non_member_sale_receipts', 'new_members', 'points_issued', 'points_redeemed'])
      .expression(q.groupBy([sql`1`, sql`2`]))
      .onConflict((oc) => oc.columns(['store_id', 'day']).doUpdateSet((eb) => ({ points_issued: eb.ref('excluded.points_issued'), points_redeemed: eb.ref('excluded.points_redeemed') })))
      .execute()
  }
}

/**
 * One refresh at a time: on PostgreSQL a transaction-scoped advisory lock (false when another
 * refresh holds it); SQLite runs one writing transaction at a time anyway.
 */
export const tryRefreshLock = async (db: Conn, engine: Engine): Promise<boolean> => {
  if (engine !== 'postgres') return true
  const r = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext('patron.kpi_refresh')) as locked`.execute(db)
  return r.rows[0]?.locked === true
}

/** The refresh's lock, waited for (a read writing the first days a partial period compares with). */
export const waitRefreshLock = async (db: Conn, engine: Engine): Promise<void> => {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('patron.kpi_refresh'))`.execute(db)
}

/** Drops the first days of periods (`2026-11/4`) that no partial period compares with any more. */
export const deletePartsExcept = (db: Conn, keep: readonly string[]) =>
  db.deleteFrom('kpi_scope_months').where('month', 'like', '%/%').where('month', 'not in', keep.length > 0 ? [...keep] : ['']).execute()

