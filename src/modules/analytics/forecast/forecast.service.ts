import type { Db } from '../../../db/database.js'
import { actorName, assertCan, type Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { notFound, unprocessable } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { scopeWithFilter, storeFilterFor } from '../../../shared/scope.js'
import { addDays, dateIn } from '../../../shared/time.js'
import { backtest, forecastSeries, MIN_HISTORY, type Backtest, type EtsModel } from './forecast-model.js'
import { isSpringFestivalWeek, lastWholeWeek, weeklySeries, type SeriesLevel } from './forecast-weeks.js'
import * as repo from './forecast.repository.js'

/** How far a long computation has come (a job's progress): done of total, and the step's name. */
export type Progress = (done: number, total: number, step?: string) => Promise<void>

export interface ForecastInput {
  /** weeks to forecast (default 12) */
  horizon?: number
  /** weeks of history read, at most (default 156: three years) */
  weeks?: number
}

export interface ForecastRun {
  id: string
  runAt: string
  /** the Monday of the last whole week of history */
  lastWeek: string
  weeks: number
  horizon: number
  origins: number
  series: number
  skipped: number
  seconds: number
  createdBy: string
}

export interface SeriesSummary {
  level: SeriesLevel
  storeId: string | null
  storeName: string | null
  key: string
  fromWeek: string
  historyWeeks: number
  /** fen */
  last4: number
  next4: number
  smape: number | null
  naiveSmape: number | null
  mape: number | null
  model: string
}

export interface SeriesDetail extends SeriesSummary {
  /** every week's Monday: the history's, then the forecast's */
  weeks: string[]
  /** fen per week of history */
  actual: number[]
  /** the model's one-step forecasts of the history weeks */
  fitted: number[]
  /** fen per forecast week */
  forecast: number[]
  /** seasonal naive for the forecast weeks: the same week a year before (or the last week) */
  naive: number[]
  lower80: number[] | null
  upper80: number[] | null
  /** per week (history, then forecast): the weeks before the Spring Festival */
  springFestival: boolean[]
  /** what a flagged forecast week is scaled by (flagged history weeks' actuals ÷ fit); null without one */
  holidayFactor: number | null
  backtest: { origins: number; horizon: number; model: Backtest['model']; seasonalNaive: Backtest['seasonalNaive'] } | null
}

/** What a series stores beside its summary columns (its `detail` JSON). */
type Detail = Omit<SeriesDetail, keyof SeriesSummary>

/** Weekly data: the season is a year. */
export const PERIOD = 52
/** Backtest: the last 8 weeks, each forecast 4 weeks ahead (a store's ordering horizon) from the weeks before. */
export const ORIGINS = 8
export const BACKTEST_HORIZON = 4
export const RUNS_KEPT = 5
const DEFAULTS = { horizon: 12, weeks: 156 }

const bad = (field: string, reason: string) => unprocessable('FORECAST_INVALID_INPUT', [{ field, reason }])

const fen = (v: number) => Math.round(v)
/** A week's sales forecast in fen, never below 0. */
const sales = (v: number) => Math.max(0, Math.round(v))
const modelName = (m: EtsModel) => `ETS(A,${!m.trend ? 'N' : m.damped ? 'Ad' : 'A'},${m.seasonal === 'none' ? 'N' : m.seasonal === 'additive' ? 'A' : 'M'})`
const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0)

const runOf = (r: repo.RunRow): ForecastRun => ({
  id: r.id, runAt: r.run_at, lastWeek: r.last_week, weeks: Number(r.weeks), horizon: Number(r.horizon), origins: Number(r.origins),
  series: Number(r.series), skipped: Number(r.skipped), seconds: Number(r.seconds), createdBy: r.created_by,
})

export const createForecastService = ({ db, clock, timezone }: { db: Db; clock: Clock; timezone: string }) => {
  const today = () => dateIn(clock.now(), timezone)

  /**
   * Forecasts every store × department and chain × category weekly series (ETS chosen by AICc,
   * forecast-model.ts) `horizon` weeks past the last whole week, with the Spring Festival weeks
   * flagged and a rolling-origin backtest beside seasonal naive; stores the run (RUNS_KEPT kept).
   * A series with fewer than MIN_HISTORY weeks is skipped; one with fewer than MIN_HISTORY +
   * ORIGINS is forecast without a backtest.
   */
  const run = async (actor: Actor, input: ForecastInput = {}, progress?: Progress): Promise<ForecastRun> => {
    assertCan(actor, 'insight.manage')
    const horizon = input.horizon ?? DEFAULTS.horizon
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > 26) throw bad('horizon', 'must be a whole number of weeks from 1 to 26')
    const weeks = input.weeks ?? DEFAULTS.weeks
    if (!Number.isInteger(weeks) || weeks < MIN_HISTORY || weeks > 520) throw bad('weeks', `must be a whole number of weeks from ${MIN_HISTORY} to 520`)
    const started = performance.now()
    const lastWeek = lastWholeWeek(today())
    const rows = await repo.daySales(db, addDays(lastWeek, -7 * (weeks - 1)), addDays(lastWeek, 6))
    const all = weeklySeries(rows, lastWeek, weeks)
    const id = newId('fcr')
    const stored: Array<Parameters<typeof repo.insertSeries>[1][number]> = []
    let skipped = 0
    await progress?.(0, all.length + 1, 'read')
    for (const [i, s] of all.entries()) {
      // Fitting is CPU work: between series the process answers its other requests, and the job says how far it is.
      await new Promise((resolve) => setImmediate(resolve))
      await progress?.(i, all.length + 1, `${s.storeId ?? ''} ${s.key}`.trim())
      if (s.weeks.length < MIN_HISTORY) { skipped++; continue }
      const mondays = Array.from({ length: s.weeks.length + horizon }, (_, i) => addDays(s.from, 7 * i))
      const flags = mondays.map(isSpringFestivalWeek)
      const holidays = flags.some((f, i) => f && i < s.weeks.length) ? flags : undefined
      const f = forecastSeries(s.weeks, { period: PERIOD, horizon, ...(holidays ? { holidays } : {}) })
      const naiveFor = s.weeks.length >= PERIOD ? s.weeks.slice(s.weeks.length - PERIOD) : null
      const naive = Array.from({ length: horizon }, (_, h) => (naiveFor ? naiveFor[h % PERIOD]! : s.weeks[s.weeks.length - 1]!))
      const bt = s.weeks.length >= MIN_HISTORY + ORIGINS
        ? backtest(s.weeks, { period: PERIOD, horizon: BACKTEST_HORIZON, origins: ORIGINS, ...(holidays ? { holidays: flags.slice(0, s.weeks.length) } : {}) })
        : null
      // Sales are not negative: a forecast or a bound below zero (a small, falling series) is 0.
      const detail: Detail = {
        weeks: mondays, actual: s.weeks, fitted: f.fitted.map(fen), forecast: f.forecast.map(sales), naive,
        lower80: f.lower80?.map(sales) ?? null, upper80: f.upper80?.map(sales) ?? null, springFestival: flags, holidayFactor: f.holidayFactor,
        backtest: bt ? { origins: bt.origins, horizon: bt.horizon, model: bt.model, seasonalNaive: bt.seasonalNaive } : null,
      }
      stored.push({
        run_id: id, level: s.level, store_id: s.storeId ?? '', key: s.key, from_week: s.from, history_weeks: s.weeks.length,
        last4: sum(s.weeks.slice(-4)), next4: sum(detail.forecast.slice(0, 4)), smape: bt?.model.smape ?? null, naive_smape: bt?.seasonalNaive.smape ?? null,
        mape: bt?.model.mape ?? null, model: modelName(f.model), detail: JSON.stringify(detail),
      })
    }
    const out: ForecastRun = {
      id, runAt: clock.now().toISOString(), lastWeek, weeks, horizon, origins: ORIGINS, series: stored.length, skipped,
      seconds: Math.round(performance.now() - started) / 1000, createdBy: actorName(actor),
    }
    await progress?.(all.length, all.length + 1, 'store')
    await db.transaction().execute(async (trx) => {
      await repo.insertRun(trx, {
        id, run_at: out.runAt, last_week: lastWeek, weeks, horizon, origins: ORIGINS, series: out.series, skipped, seconds: out.seconds, created_by: out.createdBy,
      })
      await repo.insertSeries(trx, stored)
      await repo.pruneRuns(trx, RUNS_KEPT)
    })
    await progress?.(all.length + 1, all.length + 1)
    return out
  }

  /** Each store's departments (by store name, then department), then the chain's categories; names in Chinese order on every engine. */
  const ordered = <T extends SeriesSummary>(list: T[]): T[] => list.sort((a, b) =>
    (a.level === b.level ? 0 : a.level === 'store_department' ? -1 : 1) || (a.storeName ?? '').localeCompare(b.storeName ?? '', 'zh-CN') || a.key.localeCompare(b.key, 'zh-CN'))

  const summaryOf = (r: Omit<repo.SeriesRow, 'run_id' | 'detail'>, stores: Map<string, { code: string; name: string }>): SeriesSummary => ({
    level: r.level as SeriesLevel, storeId: r.store_id === '' ? null : r.store_id, storeName: r.store_id === '' ? null : stores.get(r.store_id)?.name ?? r.store_id,
    key: r.key, fromWeek: r.from_week, historyWeeks: Number(r.history_weeks), last4: Number(r.last4), next4: Number(r.next4),
    smape: r.smape === null ? null : Number(r.smape), naiveSmape: r.naive_smape === null ? null : Number(r.naive_smape), mape: r.mape === null ? null : Number(r.mape), model: r.model,
  })

  /** The newest run and its series: a store role's store's departments only; HQ every store's and the chain's categories. */
  const latest = async (actor: Actor, input: { storeId?: string } = {}): Promise<{ run: ForecastRun | null; series: SeriesSummary[] }> => {
    assertCan(actor, 'insight.read')
    const scope = scopeWithFilter(actor, input.storeId || undefined)
    const row = await repo.latestRun(db)
    if (!row) return { run: null, series: [] }
    const [rows, stores] = await Promise.all([repo.seriesSummaries(db, row.id, scope), repo.storeNames(db)])
    return { run: runOf(row), series: ordered(rows.map((r) => summaryOf(r, stores))) }
  }

  /** One series of the newest run with its weeks, forecast, intervals and backtest. */
  const series = async (actor: Actor, input: { level?: SeriesLevel; storeId?: string; key?: string }): Promise<{ run: ForecastRun; series: SeriesDetail }> => {
    assertCan(actor, 'insight.read')
    // A store role reads its own store's series only (the chain's categories are HQ's).
    const scoped = storeFilterFor(actor, input.storeId)
    const level = input.level ?? (input.storeId || scoped !== undefined ? 'store_department' : 'chain_category')
    if (!input.key) throw bad('key', 'name the department or category')
    if (level === 'store_department' && !input.storeId && scoped === undefined) throw bad('storeId', 'a store × department series names its store')
    if (level === 'chain_category' && input.storeId) throw bad('storeId', 'a chain × category series has no store')
    const row = await repo.latestRun(db)
    // The chain's categories are HQ's view: not in a store role's list, not found by it.
    const visible = level === 'store_department' || scoped === undefined
    const found = row && visible ? await repo.seriesOne(db, row.id, level, level === 'chain_category' ? '' : scoped ?? input.storeId ?? '', input.key) : undefined
    if (!row || !found) throw notFound('FORECAST_SERIES_NOT_FOUND', [{ field: 'key', reason: 'no such series in the last forecast' }])
    const stores = await repo.storeNames(db)
    return { run: runOf(row), series: { ...summaryOf(found, stores), ...(JSON.parse(found.detail) as Detail) } }
  }

  /** Every series of the newest run with its detail (the CSV and xlsx exports), a store's when scoped. */
  const exportRows = async (actor: Actor, input: { storeId?: string; level?: SeriesLevel } = {}): Promise<{ run: ForecastRun | null; series: SeriesDetail[] }> => {
    assertCan(actor, 'insight.read')
    const scope = scopeWithFilter(actor, input.storeId || undefined)
    const row = await repo.latestRun(db)
    if (!row) return { run: null, series: [] }
    const [all, stores] = await Promise.all([repo.seriesWithDetail(db, row.id, scope), repo.storeNames(db)])
    const rows = input.level ? all.filter((r) => r.level === input.level) : all
    return { run: runOf(row), series: ordered(rows.map((r) => ({ ...summaryOf(r, stores), ...(JSON.parse(r.detail) as Detail) }))) }
  }

  return { run, latest, series, exportRows }
}

export type ForecastService = ReturnType<typeof createForecastService>
