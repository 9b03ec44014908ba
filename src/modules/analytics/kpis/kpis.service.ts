import type { Db } from '../../../db/database.js'
import type { AuditService } from '../../audit/index.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { badRequest, conflict, forbidden, notFound } from '../../../shared/errors.js'
import { scopeOf, scopeWithFilter, type Scope } from '../../../shared/scope.js'
import { dateIn, parseLocalDateTime } from '../../../shared/time.js'
import {
  EMPTY_SUMS, GRAINS, MAX_PERIODS, METRICS, RATIO_METRICS, TARGET_METRICS, addDays, boundariesOf, changeOf, compare, comparisonsOf, figuresOf, isPart, periodOf, periodsBetween,
  periodsNeeded, previousPeriod, rangesOf, spanOf, type Compared, type Figures, type Grain, type Metric, type Period, type PeriodSpan, type PeriodSums, type TargetMetric,
} from './kpi-rules.js'
import * as repo from './kpis.repository.js'
import type { KpiTargetsTable } from './kpis.table.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/
/**
 * The years a KPI date, month or year may name: comparisons reach 11 years back and periods run
 * forward past the date, and outside these the period arithmetic leaves four-digit years (a
 * request for 9999-12-31 looped for ever; one for year 0000 threw).
 */
const FIRST_YEAR = 1900
const LAST_YEAR = 9998
const inYears = (v: string) => Number(v.slice(0, 4)) >= FIRST_YEAR && Number(v.slice(0, 4)) <= LAST_YEAR
const YEARS = `from ${FIRST_YEAR} to ${LAST_YEAR}`
// 2026-13-01 is no date at all (toISOString would throw): checked before the round trip.
const isDate = (v: string) => DATE.test(v) && inYears(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v

export interface KpiQuery {
  grain?: string
  from?: string
  to?: string
  storeId?: string
  regionId?: string
}

export interface ScopeInfo {
  kind: 'chain' | 'region' | 'store'
  id: string | null
  name: string | null
}

/** What a figure is compared with: a whole period, or its first days (`whole` false) for a partial one. */
export interface ComparedRange {
  key: string
  from: string
  to: string
  whole: boolean
}

export interface KpiPeriod extends PeriodSpan {
  /** 环比 (previous) and 同比 (lastYear) bases: for a partial period, the same number of days */
  compareTo: { previous: ComparedRange; lastYear: ComparedRange }
  figures: Record<Metric, Compared>
  /** CSAT and NPS of the period's survey answers, with 环比 and 同比 (absent without surveys wired) */
  satisfaction?: SatisfactionKpi
}

export interface KpiResult {
  grain: Grain
  from: string
  to: string
  scope: ScopeInfo
  periods: KpiPeriod[]
}

export interface KpiTarget {
  id: string
  period: string
  scopeKind: 'chain' | 'region' | 'store'
  scopeId: string | null
  metric: TargetMetric
  target: number
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export const toKpiTarget = (r: KpiTargetsTable): KpiTarget => ({
  id: r.id, period: r.period, scopeKind: r.scope_kind, scopeId: r.scope_id === '' ? null : r.scope_id, metric: r.metric as TargetMetric,
  target: Number(r.target), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
})

export interface TargetInput {
  period: string
  scopeKind: 'chain' | 'region' | 'store'
  scopeId?: string | null
  metric: string
  target: number
}

/** The report's metrics, in the order management reads them. */
export const REPORT_METRICS = [
  'satisfaction', 'repurchaseRate', 'retentionRate', 'churnRate', 'salesGrowth', 'netSales', 'memberSalesShare', 'newMembers', 'activeMembers',
] as const satisfies readonly TargetMetric[]
export type ReportMetric = (typeof REPORT_METRICS)[number]

export interface ReportLine {
  metric: ReportMetric
  actual: number | null
  target: number | null
  /** actual ÷ target (for churn, a rate to keep low: target ÷ actual); null without both */
  attainment: number | null
  lastYear: number | null
  lastYearChange: number | null
}

export interface ReportBlock {
  kind: 'chain' | 'region' | 'store'
  id: string | null
  code: string | null
  name: string | null
  lines: ReportLine[]
}

export interface CrmReport {
  period: string
  kind: 'month' | 'year'
  from: string
  to: string
  /** the month or year asked for is still running: its figures run through `through` (`days` days) and 同比 reads as many days of last year */
  partial: boolean
  days: number
  through: string
  compareTo: { lastYear: ComparedRange }
  scope: ScopeInfo
  /** the scope's survey answers in the period: CSAT (fraction) and NPS; not available without answers */
  satisfaction: { available: boolean; note: string; answers: number; csat: number | null; nps: number | null }
  summary: ReportBlock
  regions: ReportBlock[]
  stores: ReportBlock[]
  /** the scope's figures over the last 12 months (a monthly report) or 5 years (a yearly one); the running one is partial, as in the KPI list */
  trend: Array<{ key: string; from: string; to: string; partial: boolean; days: number; through: string } & Record<Exclude<ReportMetric, 'satisfaction'>, number | null>>
}

type SumsByKey = Map<string, PeriodSums>

/** How long a KPI read may serve the read model before it catches up with new receipts first. */
export const CATCH_UP_MS = 60_000

/**
 * Satisfaction over date ranges (every survey's answers in a range and scope): CSAT as a fraction,
 * NPS −100…100. The service desk's surveys provide it (services.ts hands it in; analytics does not
 * import the service module).
 */
type SatisfactionFigures = { answers: number; csat: number | null; nps: number | null }
export interface SatisfactionReader {
  /** each range's figures for the whole scope */
  (scope: Scope, ranges: ReadonlyArray<{ from: string; to: string }>): Promise<SatisfactionFigures[]>
  /** each range's figures for any stores of the scope together (none given: the whole scope), one query per range */
  byStore(scope: Scope, ranges: ReadonlyArray<{ from: string; to: string }>): Promise<Array<(storeIds?: readonly string[]) => SatisfactionFigures>>
}

export interface SatisfactionKpi {
  /** rating answers in the period */
  answers: number
  /** share of CSAT ratings 4 or 5, as a fraction */
  csat: Compared
  /** net promoter score, −100…100 */
  nps: Compared
}

export const createKpisService = ({ db, engine, clock, timezone, audit, satisfaction }: { db: Db; engine: repo.Engine; clock: Clock; timezone: string; audit: AuditService; satisfaction?: SatisfactionReader }) => {
  const instantOf = (date: string) => parseLocalDateTime(date, timezone)!.toISOString()
  // SQLite reads local registration days at a fixed offset: the chain's zone (Asia/Shanghai) keeps one all year.
  const offsetMinutes = Math.round((Date.parse(`2026-01-01T00:00:00Z`) - parseLocalDateTime('2026-01-01', timezone)!.getTime()) / 60_000)
  const nextMonth = (month: string) => periodOf('month', addDays(`${month}-28`, 7)).key

  /**
   * The distinct buyers of months or weeks (each against the period before) per chain, region
   * and store, written to kpi_scope_months (keyed 2026-03 or 2026-W10).
   */
  const rebuildPeriods = async (trx: Db, grain: 'month' | 'week', periods: readonly Period[]) => {
    // Contiguous runs are read in one pass each: a period's "retained" needs the one before in the same pass.
    const sorted = [...new Map(periods.map((p) => [p.key, p])).values()].sort((x, y) => (x.from < y.from ? -1 : 1))
    const runs: Period[][] = []
    for (const p of sorted) {
      const run = runs.at(-1)
      if (run && addDays(run.at(-1)!.to, 1) === p.from) run.push(p)
      else runs.push([p])
    }
    for (const run of runs) {
      const withBefore = [previousPeriod(grain, run[0]!), ...run]
      const bounds = [...withBefore.map((p) => p.from), addDays(run.at(-1)!.to, 1)]
      const b = { bounds, ranges: [{ from: bounds[0]!, until: bounds.at(-1)! }] }
      const starts = bounds.map(instantOf)
      const rows: Array<{ scopeId: string; month: string; active: number; retained: number; repeat: number }> = []
      for (const unit of ['none', 'region', 'store'] as const) {
        for (const r of await repo.activityByInterval(trx, { kind: 'chain' }, b, starts, unit)) {
          if (r.i < 1 || (unit !== 'none' && r.unit === '')) continue
          rows.push({ scopeId: r.unit, month: withBefore[r.i]!.key, active: r.active, retained: r.retained, repeat: r.repeat })
        }
      }
      await repo.deleteScopeMonths(trx, run.map((p) => p.key))
      await repo.writeScopeMonths(trx, rows)
    }
  }

  /**
   * The first days of months and weeks a partial period compares with (`2026-11/4`: Nov 1–4, its
   * buyers "retained" against the whole of October), for the periods holding `days`.
   */
  const partsOf = (days: readonly string[]): Array<{ grain: 'month' | 'week'; part: Period }> =>
    (['month', 'week'] as const).flatMap((grain) => days.flatMap((day) =>
      Object.values(comparisonsOf(grain, spanOf(periodOf(grain, day), day))).filter(isPart).map((part) => ({ grain, part }))))

  // Today's and tomorrow's, so the first read after midnight finds its comparisons written.
  const partsAhead = () => {
    const today = dateIn(clock.now(), timezone)
    return partsOf([today, addDays(today, 1)])
  }

  /**
   * Writes the distinct buyers of the `wanted` first days to kpi_scope_months: those not written
   * yet, and those a changed day (or `all`) falls in or in the period before; drops the first days
   * no longer wanted. Their keys are kept in kpi_state 'parts'.
   */
  const rebuildParts = async (trx: Db, wanted: ReadonlyArray<{ grain: 'month' | 'week'; part: Period }>, changed: readonly string[] | 'all') => {
    const done = new Set(((await repo.readState(trx)).get('parts') ?? '').split(',').filter(Boolean))
    const unique = [...new Map(wanted.map((w) => [w.part.key, w])).values()]
    let rebuilt = 0
    for (const { grain, part } of unique) {
      const touched = changed === 'all' || changed.some((d) => d >= previousPeriod(grain, part).from && d <= part.to)
      if (touched || !done.has(part.key)) { await rebuildPeriods(trx, grain, [part]); rebuilt++ }
    }
    const keys = unique.map((w) => w.part.key).sort()
    // Nothing new (the usual catch-up within a day): no writes.
    if (rebuilt === 0 && keys.length === done.size) return
    await repo.deletePartsExcept(trx, keys)
    await repo.writeState(trx, 'parts', keys.join(','))
  }

  /**
   * Brings the KPI read model up to date: for what receipts and members changed since the
   * watermarks (or everything, `full`), the store days' sums and registrations, and the months'
   * distinct buyers (the month after a change too: its "retained" reads the month before).
   */
  const refresh = async (options: { full?: boolean } = {}): Promise<{ mode: 'full' | 'incremental' | 'none' | 'busy'; days: number; months: number }> =>
    db.transaction().execute(async (trx) => {
      // Another refresh is running: it brings the model up to date; this one need not wait.
      if (!(await repo.tryRefreshLock(trx, engine))) return { mode: 'busy' as const, days: 0, months: 0 }
      const state = await repo.readState(trx)
      const latest = await repo.latestChanges(trx)
      const since = { receipts: state.get('receipts'), members: state.get('members'), points: state.get('points') }
      const full = options.full === true || since.receipts === undefined || since.members === undefined || since.points === undefined
      let days = 0
      let months: Period[]
      let weeks: Period[]
      let changedDays: string[] = []
      if (full) {
        await repo.clearStoreDays(trx)
        await repo.rebuildSalesDays(trx, null)
        await repo.rebuildMemberDays(trx, engine, timezone, offsetMinutes, null)
        await repo.rebuildPointDays(trx, engine, timezone, offsetMinutes, null)
        const all = await repo.receiptMonths(trx)
        months = all.map((m) => periodOf('month', `${m}-01`))
        weeks = all.length === 0 ? [] : periodsBetween('week', months[0]!.from, months.at(-1)!.to)
        await repo.clearScopeMonths(trx)
      } else {
        const receiptDays = latest.receipts && latest.receipts !== since.receipts ? await repo.receiptDaysSince(trx, since.receipts!) : []
        const memberDays = latest.members && latest.members !== since.members ? await repo.memberDaysSince(trx, engine, timezone, offsetMinutes, since.members!) : []
        const pointDays = latest.points && latest.points !== since.points ? await repo.pointDaysSince(trx, engine, timezone, offsetMinutes, since.points!) : []
        if (receiptDays.length === 0 && memberDays.length === 0 && pointDays.length === 0) {
          await rebuildParts(trx as unknown as Db, partsAhead(), [])
          await repo.writeState(trx, 'at', clock.now().toISOString())
          return { mode: 'none' as const, days: 0, months: 0 }
        }
        await repo.rebuildSalesDays(trx, receiptDays)
        await repo.rebuildMemberDays(trx, engine, timezone, offsetMinutes, memberDays)
        await repo.rebuildPointDays(trx, engine, timezone, offsetMinutes, pointDays)
        days = receiptDays.length + memberDays.length + pointDays.length
        const touched = [...new Set(receiptDays.map((d) => d.day))]
        changedDays = touched
        months = touched.flatMap((d) => [periodOf('month', d), periodOf('month', `${nextMonth(d.slice(0, 7))}-01`)])
        weeks = touched.flatMap((d) => { const w = periodOf('week', d); return [w, periodOf('week', addDays(w.to, 1))] })
      }
      await rebuildPeriods(trx as unknown as Db, 'month', months)
      await rebuildPeriods(trx as unknown as Db, 'week', weeks)
      await rebuildParts(trx as unknown as Db, partsAhead(), full ? 'all' : changedDays)
      if (latest.receipts) await repo.writeState(trx, 'receipts', latest.receipts)
      await repo.writeState(trx, 'members', latest.members ?? '')
      await repo.writeState(trx, 'points', latest.points ?? '')
      await repo.writeState(trx, 'at', clock.now().toISOString())
      return { mode: full ? 'full' as const : 'incremental' as const, days, months: new Set(months.map((m) => m.key)).size }
    })

  /**
   * Catches the read model up before a read, at most once a minute (a busy chain's dashboard
   * stays fast); and writes the first days a partial month or week compares with if they are
   * missing (a refresh writes today's and tomorrow's ahead, so this is rare).
   */
  const catchUp = async (grain: Grain, parts: readonly Period[]) => {
    let state = await repo.readState(db)
    const at = state.get('at')
    const stale = !at || clock.now().getTime() - Date.parse(at) >= CATCH_UP_MS
    if (stale) await refresh()
    if ((grain !== 'month' && grain !== 'week') || parts.length === 0) return
    const missing = (s: Map<string, string>) => {
      const done = new Set((s.get('parts') ?? '').split(','))
      return parts.some((p) => !done.has(p.key))
    }
    if (stale) state = await repo.readState(db)
    if (!missing(state)) return
    await db.transaction().execute(async (trx) => {
      // Waits for a refresh or another read writing them, then writes them only if still missing.
      await repo.waitRefreshLock(trx, engine)
      if (!missing(await repo.readState(trx))) return
      const kept = partsAhead().filter((w) => !parts.some((p) => p.key === w.part.key))
      await rebuildParts(trx as unknown as Db, [...kept, ...parts.map((part) => ({ grain, part }))], [])
    })
  }

  /** The scope the figures are read for: a store role's own store; a chain role's choice of region or store. */
  const resolveScope = async (actor: Actor, q: { storeId?: string; regionId?: string }): Promise<{ scope: Scope; info: ScopeInfo }> => {
    if (q.storeId !== undefined && q.regionId !== undefined) throw badRequest('VALIDATION', [{ field: 'regionId', reason: 'give a store or a region, not both' }])
    if (q.storeId !== undefined) {
      const store = await repo.findStore(db, q.storeId)
      if (!store) throw badRequest('VALIDATION', [{ field: 'storeId', reason: 'no such store' }])
      return { scope: scopeWithFilter(actor, q.storeId), info: { kind: 'store', id: store.id, name: store.name } }
    }
    const own = scopeOf(actor)
    if (q.regionId !== undefined) {
      const region = await repo.findRegion(db, q.regionId)
      if (!region) throw badRequest('VALIDATION', [{ field: 'regionId', reason: 'no such region' }])
      // A region manager reads their own region (its stores now); a store role no region.
      if (own.kind !== 'chain' && own.regionId !== region.id) throw forbidden('OUT_OF_STORE_SCOPE', [{ field: 'regionId', reason: 'you can see only your own stores' }], 'you can see only your own stores')
      return { scope: { kind: 'stores', storeIds: await repo.storeIdsOfRegion(db, region.id), regionId: region.id }, info: { kind: 'region', id: region.id, name: region.name } }
    }
    if (own.kind === 'stores' && own.regionId) {
      const region = await repo.findRegion(db, own.regionId)
      return { scope: own, info: { kind: 'region', id: own.regionId, name: region?.name ?? null } }
    }
    if (own.kind === 'stores') {
      const store = own.storeIds[0] ? await repo.findStore(db, own.storeIds[0]) : undefined
      return { scope: own, info: { kind: 'store', id: store?.id ?? null, name: store?.name ?? null } }
    }
    return { scope: own, info: { kind: 'chain', id: null, name: null } }
  }

  /**
   * The sums of every period the spans' figures need per unit (store, region or nothing): sales
   * and registrations from the store days (a quarter's or year's are its days' sums), distinct
   * buyers of months and weeks from kpi_scope_months, of days, quarters and years counted from the
   * receipts of each period (a member buying in two months of a quarter is one buyer of it, so
   * months' counts are never added up), coupons from their table. A partial
   * span's comparisons are the first days of their periods (`2026-11/4`): read in a second pass,
   * since they overlap the whole periods. `scopeKey` names the scope's row in kpi_scope_months
   * ('' the chain, a region's or store's id).
   */
  const sumsOf = async (scope: Scope, scopeKey: string | null, grain: Grain, spans: readonly PeriodSpan[], unit: repo.Unit = 'none'): Promise<Map<string, SumsByKey>> => {
    const parts = [...new Map(spans.flatMap((p) => Object.values(comparisonsOf(grain, p))).filter(isPart).map((r) => [r.key, r])).values()]
      .sort((a, b) => (a.from < b.from ? -1 : 1))
    await catchUp(grain, parts)
    const [whole, partial] = await Promise.all([
      sumsOver(scope, scopeKey, grain, periodsNeeded(grain, spans), unit, false),
      parts.length === 0 ? new Map<string, SumsByKey>() : sumsOver(scope, scopeKey, grain, parts, unit, true),
    ])
    for (const [unitKey, byKey] of partial) {
      const into = whole.get(unitKey) ?? whole.set(unitKey, new Map()).get(unitKey)!
      for (const [key, sums] of byKey) into.set(key, sums)
    }
    return whole
  }

  /** The sums of sorted, disjoint periods (whole ones, or the first days of some: `parts`), in set-based queries over their dates. */
  const sumsOver = async (scope: Scope, scopeKey: string | null, grain: Grain, needed: readonly Period[], unit: repo.Unit, parts: boolean): Promise<Map<string, SumsByKey>> => {
    const bounds = boundariesOf(needed)
    const ranges = rangesOf(needed)
    const instants = bounds.map(instantOf)
    const instantRanges = ranges.map((r) => ({ from: instantOf(r.from), until: instantOf(r.until) }))
    const keyOf = new Map(needed.map((p) => [bounds.indexOf(p.from), p.key]))
    const fromModel = (grain === 'month' || grain === 'week') && (unit !== 'none' || scopeKey !== null)
    // The first days of a period from the receipts: each with the whole period before it (its "retained").
    const partActivity = async () => (await Promise.all(needed.map(async (r) => {
      const own = [previousPeriod(grain, r).from, r.from, addDays(r.to, 1)]
      const rows = await repo.activityByInterval(db, scope, { bounds: own, ranges: [{ from: own[0]!, until: own[2]! }] }, own.map(instantOf), unit)
      return rows.filter((x) => x.i === 1).map((x) => ({ ...x, i: bounds.indexOf(r.from) }))
    }))).flat()
    const [days, before, activity, coupons] = await Promise.all([
      repo.storeDaysByInterval(db, scope, { bounds, ranges }, unit),
      repo.membersBefore(db, scope, ranges.map((r) => r.from), unit),
      fromModel ? monthActivity(scope, scopeKey, needed, unit, bounds) : parts ? partActivity() : repo.activityByInterval(db, scope, { bounds, ranges }, instants, unit),
      repo.couponsByInterval(db, scope, { bounds: instants, ranges: instantRanges }, unit),
    ])
    const out = new Map<string, SumsByKey>()
    const at = (unitKey: string, i: number): PeriodSums | undefined => {
      const key = keyOf.get(i)
      if (key === undefined) return undefined
      const byKey = out.get(unitKey) ?? out.set(unitKey, new Map()).get(unitKey)!
      return byKey.get(key) ?? byKey.set(key, { ...EMPTY_SUMS }).get(key)!
    }
    for (const r of days) {
      const s = at(r.unit, r.i)
      if (s) Object.assign(s, { netSales: r.netSales, memberNetSales: r.memberNetSales, memberSaleReceipts: r.memberSaleReceipts, nonMemberSaleReceipts: r.nonMemberSaleReceipts, newMembers: r.newMembers, pointsIssued: r.pointsIssued, pointsRedeemed: r.pointsRedeemed })
    }
    for (const r of activity) {
      const s = at(r.unit, r.i)
      if (s) Object.assign(s, { activeMembers: r.active, retainedMembers: r.retained, repeatMembers: r.repeat })
    }
    for (const r of coupons) {
      const s = at(r.unit, r.i)
      if (s) Object.assign(s, { couponsIssued: r.issued, couponsRedeemed: r.redeemed })
    }
    // Members at a period's end: those registered before its range began, plus the range's registrations so far.
    const units = new Set<string>([...before.flat().map((m) => m.unit), ...days.map((d) => d.unit), ...out.keys()])
    for (const unitKey of units) {
      const fresh = new Map<number, number>()
      for (const d of days) if (d.unit === unitKey) fresh.set(d.i, d.newMembers)
      ranges.forEach((r, ri) => {
        let running = before[ri]!.find((m) => m.unit === unitKey)?.members ?? 0
        for (let i = bounds.indexOf(r.from); i < bounds.indexOf(r.until); i++) {
          running += fresh.get(i) ?? 0
          const s = at(unitKey, i)
          if (s) s.members = running
        }
      })
    }
    return out
  }

  /** Distinct buyers of months or weeks from kpi_scope_months, as activityByInterval rows (interval of each period). */
  const monthActivity = async (scope: Scope, scopeKey: string | null, months: readonly Period[], unit: repo.Unit, bounds: readonly string[]) => {
    const keys = months.map((p) => p.key)
    const prefix = unit === 'store' ? 'sto_' : unit === 'region' ? 'reg_' : null
    const rows = prefix === null
      ? await repo.scopeMonths(db, [scopeKey ?? ''], keys)
      : (await repo.scopeMonthsLike(db, prefix, keys)).filter((r) => unit !== 'store' || scope.kind === 'chain' || scope.storeIds.includes(r.scopeId))
    const fromOf = new Map(months.map((p) => [p.key, p.from]))
    return rows.map((r) => ({ i: bounds.indexOf(fromOf.get(r.month) ?? ''), unit: prefix === null ? '' : r.scopeId, active: Number(r.active), retained: Number(r.retained), repeat: Number(r.repeat) }))
  }

  const scopeKeyOf = (info: ScopeInfo): string | null => (info.kind === 'chain' ? '' : info.id)

  const figuresFor = (sums: SumsByKey | undefined, grain: Grain, p: Period): Figures => {
    const get = (q: Period) => sums?.get(q.key) ?? EMPTY_SUMS
    return figuresOf(get(p), get(previousPeriod(grain, p)))
  }

  const comparedFor = (sums: SumsByKey | undefined, grain: Grain, p: PeriodSpan): Record<Metric, Compared> => {
    const { previous, lastYear } = comparisonsOf(grain, p)
    const now = figuresFor(sums, grain, p)
    const prev = figuresFor(sums, grain, previous)
    const ly = figuresFor(sums, grain, lastYear)
    return Object.fromEntries(METRICS.map((m) => [m, compare(now[m], prev[m], ly[m])])) as Record<Metric, Compared>
  }

  const rangeOf = (r: Period): ComparedRange => ({ key: r.key.split('/')[0]!, from: r.from, to: r.to, whole: !isPart(r) })
  const today = () => dateIn(clock.now(), timezone)

  const checkQuery = (q: KpiQuery): { grain: Grain; from: string; to: string } => {
    const details: Array<{ field: string; reason: string }> = []
    const grain = (q.grain ?? 'month') as Grain
    if (!(GRAINS as readonly string[]).includes(grain)) details.push({ field: 'grain', reason: `must be one of ${GRAINS.join(', ')}` })
    const today = dateIn(clock.now(), timezone)
    const to = q.to ?? today
    if (!isDate(to)) details.push({ field: 'to', reason: `must be a date YYYY-MM-DD, a year ${YEARS}` })
    const from = q.from ?? (isDate(to) && details.length === 0 ? periodsBack(grain, to) : to)
    if (q.from !== undefined && !isDate(from)) details.push({ field: 'from', reason: `must be a date YYYY-MM-DD, a year ${YEARS}` })
    if (details.length === 0 && from > to) details.push({ field: 'from', reason: 'must not be after to' })
    if (details.length === 0 && periodsBetween(grain, from, to).length > MAX_PERIODS[grain]) {
      details.push({ field: 'from', reason: `at most ${MAX_PERIODS[grain]} periods of a ${grain}` })
    }
    if (details.length > 0) throw badRequest('VALIDATION', details)
    return { grain, from, to }
  }

  const kpis = async (actor: Actor, q: KpiQuery): Promise<KpiResult> => {
    assertCan(actor, 'insight.read')
    const { grain, from, to } = checkQuery(q)
    const { scope, info } = await resolveScope(actor, q)
    const now = today()
    const periods = periodsBetween(grain, from, to).map((p) => spanOf(p, now))
    const sums = (await sumsOf(scope, scopeKeyOf(info), grain, periods)).get('')
    // Each period with its 环比 and 同比 bases, read in one go.
    const sat = satisfaction
      ? await satisfaction(scope, periods.flatMap((p) => { const c = comparisonsOf(grain, p); return [p, c.previous, c.lastYear] }))
      : null
    return {
      grain, from, to, scope: info,
      periods: periods.map((p, i) => {
        const c = comparisonsOf(grain, p)
        const [now, prev, ly] = sat ? [sat[3 * i]!, sat[3 * i + 1]!, sat[3 * i + 2]!] : []
        return {
          ...p, compareTo: { previous: rangeOf(c.previous), lastYear: rangeOf(c.lastYear) }, figures: comparedFor(sums, grain, p),
          ...(now && prev && ly ? { satisfaction: { answers: now.answers, csat: compare(now.csat, prev.csat, ly.csat), nps: compare(now.nps, prev.nps, ly.nps) } } : {}),
        }
      }),
    }
  }

  // ---- targets ----

  const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]))?$/

  const checkTarget = async (input: TargetInput) => {
    const details: Array<{ field: string; reason: string }> = []
    if (!PERIOD.test(input.period)) details.push({ field: 'period', reason: 'must be a month YYYY-MM or a year YYYY' })
    if (!(TARGET_METRICS as readonly string[]).includes(input.metric)) details.push({ field: 'metric', reason: `must be one of ${TARGET_METRICS.join(', ')}` })
    if (!Number.isFinite(input.target) || input.target < 0) details.push({ field: 'target', reason: 'must be a number ≥ 0' })
    else if (RATIO_METRICS.has(input.metric as TargetMetric) && input.metric !== 'salesGrowth' && input.target > 1) details.push({ field: 'target', reason: 'a rate is a fraction between 0 and 1' })
    let scopeId = ''
    if (input.scopeKind === 'chain') {
      if (input.scopeId) details.push({ field: 'scopeId', reason: 'the chain takes no scope id' })
    } else if (!input.scopeId) {
      details.push({ field: 'scopeId', reason: `give the ${input.scopeKind}'s id` })
    } else if (input.scopeKind === 'store' ? !(await repo.findStore(db, input.scopeId)) : !(await repo.findRegion(db, input.scopeId))) {
      details.push({ field: 'scopeId', reason: `no such ${input.scopeKind}` })
    } else {
      scopeId = input.scopeId
    }
    if (details.length > 0) throw badRequest('VALIDATION', details)
    return scopeId
  }

  const listTargets = async (actor: Actor, filter: { period?: string } = {}): Promise<KpiTarget[]> => {
    assertCan(actor, 'insight.read')
    const periods = filter.period ? [filter.period, filter.period.slice(0, 4)] : undefined
    const rows = await repo.listTargets(db, { periods })
    const own = scopeOf(actor)
    // A store role sees the chain's targets and its own store's.
    return rows.map(toKpiTarget).filter((t) => own.kind === 'chain' || t.scopeKind === 'chain' || (t.scopeKind === 'store' && own.storeIds.includes(t.scopeId ?? '')) || (t.scopeKind === 'region' && own.regionId === t.scopeId))
  }

  const createTarget = async (actor: Actor, input: TargetInput): Promise<KpiTarget> => {
    assertCan(actor, 'insight.manage')
    const scopeId = await checkTarget(input)
    return db.transaction().execute(async (trx) => {
      const key = { period: input.period, scope_kind: input.scopeKind, scope_id: scopeId, metric: input.metric }
      if (await repo.findTargetByKey(trx, key)) throw conflict('KPI_TARGET_EXISTS', [{ field: 'metric', reason: 'a target for this period, scope and metric exists: change it instead' }])
      const at = clock.now().toISOString()
      const row = await repo.insertTarget(trx, { ...key, target: input.target, created_by: actorStaffId(actor), created_at: at, updated_at: at })
      await audit.record(trx, actor, { action: 'kpi_target.set', entityType: 'kpi_target', entityId: row.id, storeId: input.scopeKind === 'store' ? scopeId : null, changes: { period: input.period, target: { from: null, to: input.target } } })
      return toKpiTarget(row)
    })
  }

  const updateTarget = async (actor: Actor, id: string, target: number): Promise<KpiTarget> => {
    assertCan(actor, 'insight.manage')
    if (!Number.isFinite(target) || target < 0) throw badRequest('VALIDATION', [{ field: 'target', reason: 'must be a number ≥ 0' }])
    return db.transaction().execute(async (trx) => {
      const row = await repo.findTarget(trx, id)
      if (!row) throw notFound('KPI_TARGET_NOT_FOUND', [], 'no such target')
      if (RATIO_METRICS.has(row.metric as TargetMetric) && row.metric !== 'salesGrowth' && target > 1) throw badRequest('VALIDATION', [{ field: 'target', reason: 'a rate is a fraction between 0 and 1' }])
      const at = clock.now().toISOString()
      await repo.updateTarget(trx, id, target, at)
      await audit.record(trx, actor, { action: 'kpi_target.set', entityType: 'kpi_target', entityId: id, storeId: row.scope_kind === 'store' ? row.scope_id : null, changes: { period: row.period, target: { from: Number(row.target), to: target } } })
      return toKpiTarget({ ...row, target, updated_at: at })
    })
  }

  const deleteTarget = async (actor: Actor, id: string): Promise<void> => {
    assertCan(actor, 'insight.manage')
    await db.transaction().execute(async (trx) => {
      const row = await repo.findTarget(trx, id)
      if (!row) throw notFound('KPI_TARGET_NOT_FOUND', [], 'no such target')
      await repo.deleteTarget(trx, id)
      await audit.record(trx, actor, { action: 'kpi_target.delete', entityType: 'kpi_target', entityId: id, storeId: row.scope_kind === 'store' ? row.scope_id : null, changes: { period: row.period, target: { from: Number(row.target), to: null } } })
    })
  }

  // ---- the CRM evaluation report ----

  const reportLine = (metric: ReportMetric, figures: Figures, lastYear: Figures, target: number | null): ReportLine => {
    const value = (f: Figures, ly: Figures | null): number | null => {
      if (metric === 'satisfaction') return null
      if (metric === 'salesGrowth') return ly ? changeOf(f.netSales, ly.netSales) : null
      return f[metric]
    }
    const actual = value(figures, lastYear)
    const ly = metric === 'salesGrowth' ? null : value(lastYear, null)
    const attainment = actual === null || target === null ? null
      : metric === 'churnRate' ? (actual === 0 ? null : Math.round((target / actual) * 10_000) / 10_000)
        : target === 0 ? null : Math.round((actual / target) * 10_000) / 10_000
    return { metric, actual, target, attainment, lastYear: ly, lastYearChange: metric === 'salesGrowth' ? null : changeOf(actual, ly) }
  }

  const report = async (actor: Actor, q: { period?: string; year?: string; storeId?: string; regionId?: string }): Promise<CrmReport> => {
    assertCan(actor, 'insight.read')
    if (q.period !== undefined && q.year !== undefined) throw badRequest('VALIDATION', [{ field: 'period', reason: 'give a month (period=YYYY-MM) or a year (year=YYYY), not both' }])
    // Neither: the last whole month, what management reads at the start of a month.
    if (q.period === undefined && q.year === undefined) {
      const [y, m] = dateIn(clock.now(), timezone).slice(0, 7).split('-').map(Number) as [number, number]
      q = { ...q, period: m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}` }
    }
    if (q.period !== undefined && !(/^\d{4}-(0[1-9]|1[0-2])$/.test(q.period) && inYears(q.period))) throw badRequest('VALIDATION', [{ field: 'period', reason: `must be a month YYYY-MM, a year ${YEARS}` }])
    if (q.year !== undefined && !(/^\d{4}$/.test(q.year) && inYears(q.year))) throw badRequest('VALIDATION', [{ field: 'year', reason: `must be a year YYYY ${YEARS}` }])
    const grain: Grain = q.period ? 'month' : 'year'
    const now = today()
    // A month or year asked for while it runs compares like for like: 同比 reads as many days of last year.
    const p = spanOf(periodOf(grain, q.period ? `${q.period}-01` : `${q.year!}-01-01`), now)
    const { scope, info } = await resolveScope(actor, q)
    const trendPeriods = periodsBetween(grain, grain === 'month' ? addDays(p.from, -334) : `${Number(p.key) - 4}-01-01`, p.to).map((tp) => spanOf(tp, now))
    // Caught up once before the three reads: each would otherwise start its own refresh, and on
    // PostgreSQL the two that find it busy would read the model as it was before it.
    await catchUp(grain, [])
    const [chainSums, storeSums, regionSums, stores, regions, targets] = await Promise.all([
      sumsOf(scope, scopeKeyOf(info), grain, trendPeriods),
      sumsOf(scope, null, grain, [p], 'store'),
      info.kind === 'store' ? Promise.resolve(new Map<string, SumsByKey>()) : sumsOf(scope, null, grain, [p], 'region'),
      repo.listStores(db, scope),
      info.kind === 'store' ? Promise.resolve([]) : repo.listRegions(db),
      repo.listTargets(db, { periods: [p.key] }),
    ])
    const targetOf = (kind: 'chain' | 'region' | 'store', id: string | null, metric: ReportMetric): number | null => {
      const t = targets.find((r) => r.scope_kind === kind && r.scope_id === (id ?? '') && r.metric === metric)
      return t ? Number(t.target) : null
    }
    const block = (kind: 'chain' | 'region' | 'store', id: string | null, code: string | null, name: string | null, sums: SumsByKey | undefined): ReportBlock => {
      const f = figuresFor(sums, grain, p)
      const ly = figuresFor(sums, grain, comparisonsOf(grain, p).lastYear)
      return { kind, id, code, name, lines: REPORT_METRICS.map((m) => reportLine(m, f, ly, targetOf(kind, id, m))) }
    }
    // Satisfaction is CSAT (a fraction) of the block's survey answers in the period and last year's:
    // the period's and last year's answers counted by store once, a block's figures from its stores' counts.
    const [satNow, satLy] = satisfaction ? await satisfaction.byStore(scope, [p, comparisonsOf(grain, p).lastYear]) : []
    const withSatisfaction = (b: ReportBlock, storeIds?: readonly string[]): ReportBlock => {
      if (!satNow || !satLy) return b
      const now = satNow(storeIds)
      const ly = satLy(storeIds)
      return { ...b, lines: b.lines.map((l) => {
        if (l.metric !== 'satisfaction') return l
        const target = l.target
        const attainment = now.csat === null || target === null || target === 0 ? null : Math.round((now.csat / target) * 10_000) / 10_000
        return { ...l, actual: now.csat, attainment, lastYear: ly.csat, lastYearChange: changeOf(now.csat, ly.csat) }
      }) }
    }
    const summarySat = satNow ? satNow() : null
    const regionIds = new Set(info.kind === 'region' ? [info.id!] : regions.map((r) => r.id))
    const chain = chainSums.get('')
    return {
      period: p.key, kind: grain === 'month' ? 'month' : 'year', from: p.from, to: p.to,
      partial: p.partial, days: p.days, through: p.through, compareTo: { lastYear: rangeOf(comparisonsOf(grain, p).lastYear) }, scope: info,
      satisfaction: summarySat && summarySat.answers > 0
        ? { available: true, note: 'CSAT: the share of survey ratings (1–5) that are 4 or 5; NPS: % promoters (9–10) − % detractors (0–6)', answers: summarySat.answers, csat: summarySat.csat, nps: summarySat.nps }
        : { available: false, note: 'no customer surveys have been run yet: satisfaction is reported once survey answers exist', answers: 0, csat: null, nps: null },
      summary: withSatisfaction(block(info.kind, info.id, null, info.name, chain)),
      regions: regions.filter((r) => regionIds.has(r.id)).map((r) => withSatisfaction(block('region', r.id, r.code, r.name, regionSums.get(r.id)),
        stores.filter((st) => st.regionId === r.id).map((st) => st.id))),
      stores: stores.map((st) => withSatisfaction(block('store', st.id, st.code, st.name, storeSums.get(st.id)), [st.id])),
      trend: trendPeriods.map((tp) => {
        const f = figuresFor(chain, grain, tp)
        const ly = figuresFor(chain, grain, comparisonsOf(grain, tp).lastYear)
        return {
          key: tp.key, from: tp.from, to: tp.to, partial: tp.partial, days: tp.days, through: tp.through,
          repurchaseRate: f.repurchaseRate, retentionRate: f.retentionRate, churnRate: f.churnRate, salesGrowth: changeOf(f.netSales, ly.netSales),
          netSales: f.netSales, memberSalesShare: f.memberSalesShare, newMembers: f.newMembers, activeMembers: f.activeMembers,
        }
      }),
    }
  }

  return { kpis, listTargets, createTarget, updateTarget, deleteTarget, report, checkQuery, refresh }
}

/** The default range: the last 12 months, 12 weeks, 31 days, 8 quarters or 5 years up to `to`. */
const periodsBack = (grain: Grain, to: string): string => {
  if (grain === 'week') return addDays(periodOf('week', to).from, -77)
  if (grain === 'day') return addDays(to, -30)
  if (grain === 'year') return `${Number(to.slice(0, 4)) - 4}-01-01`
  if (grain === 'quarter') {
    const quarters = Number(to.slice(0, 4)) * 4 + Math.ceil(Number(to.slice(5, 7)) / 3) - 1 - 7
    return `${Math.floor(quarters / 4)}-${String((quarters % 4) * 3 + 1).padStart(2, '0')}-01`
  }
  const months = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1 - 11
  return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`
}

export type KpisService = ReturnType<typeof createKpisService>
