import type { GetData } from '../../../api/query.js'
import { formatCount, formatMoney } from '../../../format.js'

// The sales forecast page's figures in words and its chart: pure functions of the API's series
// and the page's words, tested on their own; <EChart> only renders them.

export type ForecastList = GetData<'/api/v1/insight/forecasts'>
export type ForecastRun = NonNullable<ForecastList['run']>
export type SeriesSummary = ForecastList['series'][number]
export type SeriesDetail = GetData<'/api/v1/insight/forecasts/series'>['series']
export type SeriesId = Pick<SeriesSummary, 'level' | 'storeId' | 'key'>

const DAY_MS = 86_400_000

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/** A week by its Monday, Monday to Sunday: "2026-11-30 – 12-06" ("2026-12-28 – 2027-01-03" across a new year). */
export const weekRange = (monday: string): string => {
  const sunday = addDays(monday, 6)
  return `${monday} – ${sunday.slice(0, 4) === monday.slice(0, 4) ? sunday.slice(5) : sunday}`
}

/** The next 4 weeks' forecast against the last 4 weeks' sales, in %; null without sales to compare with. */
export const changePercent = (last4: number, next4: number): number | null =>
  (last4 > 0 ? ((next4 - last4) / last4) * 100 : null)

/** "+4.6%", "−12.0%", "0.0%"; "—" for none. */
export const formatChange = (percent: number | null): string => {
  if (percent === null || !Number.isFinite(percent)) return '—'
  const rounded = Math.round(percent * 10) / 10
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)}%`
}

/** An error in % with one decimal: 17.46 → "17.5%"; "—" for none. */
export const formatError = (percent: number | null): string =>
  (percent === null || !Number.isFinite(percent) ? '—' : `${percent.toFixed(1)}%`)

/** Whether the model's backtest sMAPE is below seasonal naive's on the same weeks. */
export const beatsNaive = (s: Pick<SeriesSummary, 'smape' | 'naiveSmape'>): boolean =>
  s.smape !== null && s.naiveSmape !== null && s.smape < s.naiveSmape

/** A series' key in the table (its level, store and department or category). */
export const seriesKey = (s: SeriesId): string => `${s.level}|${s.storeId ?? ''}|${s.key}`

/** A series' row as the browser tests find it: a store's department names its store too. */
export const seriesTestId = (s: SeriesId): string =>
  (s.level === 'store_department' ? `forecast-row-store_department-${s.storeId ?? ''}-${s.key}` : `forecast-row-chain_category-${s.key}`)

/** What the table shows: every store's departments ('all'), the chain's categories ('chain') or one store's departments (its id). */
export type Scope = 'all' | 'chain' | (string & {})

export const inScope = (s: Pick<SeriesSummary, 'level' | 'storeId'>, scope: Scope): boolean =>
  (scope === 'chain' ? s.level === 'chain_category' : s.level === 'store_department' && (scope === 'all' || s.storeId === scope))

export interface ModelParts {
  trend: 'N' | 'A' | 'Ad'
  season: 'N' | 'A' | 'M'
}

/** The parts of an ETS model's name (additive errors): "ETS(A,Ad,N)" → damped trend, no seasonality; null for another name. */
export const modelParts = (model: string): ModelParts | null => {
  const m = /^ETS\(A,(N|A|Ad),(N|A|M)\)$/.exec(model)
  return m ? { trend: m[1] as ModelParts['trend'], season: m[2] as ModelParts['season'] } : null
}

/** The runs of consecutive flagged weeks, as [first Monday, last Monday]. */
export const flaggedRanges = (weeks: readonly string[], flags: readonly boolean[]): Array<[string, string]> => {
  const ranges: Array<[string, string]> = []
  let start: number | null = null
  for (let i = 0; i <= weeks.length; i++) {
    const on = i < weeks.length && flags[i] === true
    if (on && start === null) start = i
    if (!on && start !== null) {
      ranges.push([weeks[start]!, weeks[i - 1]!])
      start = null
    }
  }
  return ranges
}

export type ChartSeries = Pick<SeriesDetail, 'weeks' | 'actual' | 'fitted' | 'forecast' | 'naive' | 'lower80' | 'upper80' | 'springFestival'>

export interface ForecastWeek {
  /** the Monday */
  week: string
  /** fen */
  forecast: number
  lower: number | null
  upper: number | null
  naive: number
  springFestival: boolean
}

/** The forecast's weeks, one by one (what a store orders by). */
export const forecastWeeks = (s: ChartSeries): ForecastWeek[] => {
  const n = s.actual.length
  return s.forecast.map((forecast, h) => ({
    week: s.weeks[n + h]!, forecast, lower: s.lower80?.[h] ?? null, upper: s.upper80?.[h] ?? null, naive: s.naive[h]!, springFestival: s.springFestival[n + h] === true,
  }))
}

export interface ForecastChartLabels {
  actual: string
  fitted: string
  forecast: string
  band: string
  naive: string
  springFestival: string
  forecastStart: string
  interval: string
}

export const COLORS = {
  actual: '#1677ff', fitted: '#8c8c8c', forecast: '#fa541c', band: 'rgba(250, 84, 28, 0.16)', naive: '#722ed1', springFestival: 'rgba(245, 34, 45, 0.10)',
} as const

const yuan = (fen: number) => Math.round(fen) / 100
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * One series' weeks in yuan: the sales and the model's fit over the history; the forecast (joined
 * to the last week of sales) with its 80 % band and seasonal naive (dashed) over the forecast
 * weeks; the weeks before the Spring Festival shaded, a series of their own so the legend names
 * them. The tooltip reads a week: its dates, and its sales and fit, or its forecast, interval and
 * seasonal naive.
 */
export const forecastChartOption = (s: ChartSeries, labels: ForecastChartLabels) => {
  const n = s.actual.length
  const h = s.forecast.length
  const gap = (k: number) => new Array<null>(k).fill(null)
  const history = (values: readonly number[]) => [...values.map(yuan), ...gap(h)]
  const ahead = (values: readonly number[]) => [...gap(n), ...values.map(yuan)]
  const band = s.lower80 && s.upper80 ? { lower: s.lower80, width: s.upper80.map((u, i) => u - s.lower80![i]!) } : null
  const ranges = flaggedRanges(s.weeks, s.springFestival)

  const tooltip = (params: Array<{ dataIndex: number }> | { dataIndex: number }) => {
    const i = (Array.isArray(params) ? params[0]?.dataIndex : params.dataIndex) ?? 0
    const week = s.weeks[i]
    if (!week) return ''
    const head = `<b>${weekRange(week)}</b>${s.springFestival[i] ? ` · ${escapeHtml(labels.springFestival)}` : ''}`
    const line = (label: string, value: string) => `${escapeHtml(label)}: ${value}`
    if (i < n) return [head, line(labels.actual, formatMoney(s.actual[i]!)), line(labels.fitted, formatMoney(s.fitted[i]!))].join('<br/>')
    const k = i - n
    return [
      head,
      `<b>${line(labels.forecast, formatMoney(s.forecast[k]!))}</b>`,
      ...(s.lower80 && s.upper80 ? [line(labels.interval, `${formatMoney(s.lower80[k]!)} – ${formatMoney(s.upper80[k]!)}`)] : []),
      line(labels.naive, formatMoney(s.naive[k]!)),
    ].join('<br/>')
  }

  return {
    tooltip: { trigger: 'axis' as const, formatter: tooltip },
    legend: {
      bottom: 0,
      data: [
        labels.actual, labels.fitted, labels.forecast, ...(band ? [{ name: labels.band, icon: 'rect' }] : []), labels.naive,
        ...(ranges.length ? [{ name: labels.springFestival, icon: 'rect', itemStyle: { color: 'rgba(245, 34, 45, 0.35)' } }] : []),
      ],
    },
    grid: { left: 16, right: 24, top: 32, bottom: 40, containLabel: true },
    // a tick between every two weeks: the shaded weeks' edges are found by their ticks
    xAxis: { type: 'category' as const, data: [...s.weeks], boundaryGap: true, axisTick: { interval: 0 } },
    yAxis: { type: 'value' as const, scale: true, axisLabel: { formatter: (v: number) => `¥${formatCount(v)}` } },
    series: [
      { type: 'line' as const, name: labels.actual, data: history(s.actual), showSymbol: false, lineStyle: { width: 2, color: COLORS.actual }, itemStyle: { color: COLORS.actual } },
      { type: 'line' as const, name: labels.fitted, data: history(s.fitted), showSymbol: false, lineStyle: { width: 1, color: COLORS.fitted }, itemStyle: { color: COLORS.fitted } },
      ...(band
        ? [
          // the band is the width above the lower bound, stacked on it (the lower line drawn not at all)
          { type: 'line' as const, name: `${labels.band}·`, data: ahead(band.lower), stack: 'band', stackStrategy: 'all' as const, symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
          { type: 'line' as const, name: labels.band, data: ahead(band.width), stack: 'band', stackStrategy: 'all' as const, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: COLORS.band }, itemStyle: { color: COLORS.band }, silent: true },
        ]
        : []),
      {
        type: 'line' as const, name: labels.forecast, data: [...gap(Math.max(0, n - 1)), ...(n > 0 ? [yuan(s.actual[n - 1]!)] : []), ...s.forecast.map(yuan)],
        showSymbol: true, symbolSize: 5, lineStyle: { width: 2.5, color: COLORS.forecast }, itemStyle: { color: COLORS.forecast },
        markLine: n > 0 && h > 0
          ? { silent: true, symbol: 'none', lineStyle: { color: '#bfbfbf', type: 'dashed' as const }, label: { formatter: labels.forecastStart, position: 'end' as const }, data: [{ xAxis: s.weeks[n]! }] }
          : undefined,
      },
      { type: 'line' as const, name: labels.naive, data: ahead(s.naive), showSymbol: false, lineStyle: { width: 1.5, type: 'dashed' as const, color: COLORS.naive }, itemStyle: { color: COLORS.naive } },
      ...(ranges.length
        ? [{
          // a bar series' markArea covers its weeks' whole bands on the category axis (a line's runs from mid-week to mid-week)
          type: 'bar' as const, name: labels.springFestival, data: [] as number[], itemStyle: { color: COLORS.springFestival },
          markArea: {
            silent: true, itemStyle: { color: COLORS.springFestival },
            label: { show: true, position: 'insideTop' as const, formatter: labels.springFestival, color: '#cf1322', fontSize: 11 },
            data: ranges.map(([from, to]) => [{ xAxis: from }, { xAxis: to }] as [{ xAxis: string }, { xAxis: string }]),
          },
        }]
        : []),
    ],
  }
}
