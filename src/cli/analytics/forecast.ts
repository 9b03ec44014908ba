import type { ForecastRun, SeriesSummary } from '../../modules/analytics/index.js'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import { wholeNumber, type ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-forecast' }


const yuan = (fen: number) => (fen / 100).toFixed(2)
const pct = (v: number | null) => (v === null ? '' : v.toFixed(1))

export const forecastOutput = (run: ForecastRun, series: SeriesSummary[]): ReportOutput => ({
  json: { run, series },
  tables: [{
    title: `Weekly sales forecast ${run.id}: ${run.series} series (${run.skipped} too short) from the weeks to ${run.lastWeek} (Monday of the last whole week), ${run.horizon} weeks ahead, backtest over the last ${run.origins} weeks; ${run.seconds} s`,
    columns: ['level', 'store', 'department/category', 'weeks', 'last 4 weeks (yuan)', 'next 4 weeks (yuan)', 'model', 'sMAPE %', 'seasonal naive sMAPE %'],
    rows: series.map((s) => [s.level, s.storeName ?? 'chain', s.key, s.historyWeeks, yuan(s.last4), yuan(s.next4), s.model, pct(s.smape), pct(s.naiveSmape)]),
  }],
})

/**
 * `patron analytics forecast [--horizon N] [--weeks N] [--store CODE]`: forecasts every weekly
 * series (as the nightly job does, stored as a run) and prints them, a store's when asked.
 */
export const forecastReport = {
  name: 'forecast',
  description: 'Forecast the weekly sales per store × department and chain × category (ETS with a backtest beside seasonal naive) and print each series',
  options: [
    { flags: '--horizon <weeks>', description: 'weeks to forecast (default 12, at most 26)' },
    { flags: '--weeks <weeks>', description: 'weeks of history read, at most (default 156)' },
  ],
  async run(patron: Patron, opts: { [key: string]: unknown }): Promise<ReportOutput> {
    const horizon = wholeNumber('--horizon', opts.horizon, 1, 26)
    const weeks = wholeNumber('--weeks', opts.weeks, 6, 520)
    const run = await patron.services.forecast.run(actor, { ...(horizon !== undefined ? { horizon } : {}), ...(weeks !== undefined ? { weeks } : {}) })
    const { series } = await patron.services.forecast.latest(actor, typeof opts.storeId === 'string' ? { storeId: opts.storeId } : {})
    return forecastOutput(run, series)
  },
}
