import { formatCount, formatMoney } from '../../../format.js'
import type { ExportTable } from '../shared/export.js'

// The KPI pages' figures as text, arrows and ECharts options: pure functions of the API's
// answer and the page's words, tested on their own; <EChart> only renders them.

export const KPI_METRICS = [
  'members', 'newMembers', 'activeMembers', 'netSales', 'memberNetSales', 'memberSalesShare', 'avgTicketMember', 'avgTicketNonMember',
  'purchaseFrequency', 'repurchaseRate', 'churnRate', 'retentionRate', 'pointsIssued', 'pointsRedeemed', 'couponsIssued', 'couponsRedeemed',
  'couponRedemptionRate',
] as const
export type KpiMetric = (typeof KPI_METRICS)[number]

/** What a figure is measured in. */
export const UNIT: Record<KpiMetric | 'salesGrowth' | 'satisfaction' | 'csat' | 'nps', 'count' | 'money' | 'ratio' | 'decimal' | 'score'> = {
  members: 'count', newMembers: 'count', activeMembers: 'count', netSales: 'money', memberNetSales: 'money', memberSalesShare: 'ratio',
  avgTicketMember: 'money', avgTicketNonMember: 'money', purchaseFrequency: 'decimal', repurchaseRate: 'ratio', churnRate: 'ratio',
  retentionRate: 'ratio', pointsIssued: 'count', pointsRedeemed: 'count', couponsIssued: 'count', couponsRedeemed: 'count',
  couponRedemptionRate: 'ratio', salesGrowth: 'ratio', satisfaction: 'ratio', csat: 'ratio', nps: 'score',
}

/** Metrics where a rise is bad news (the arrow turns red going up). */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['churnRate'])

export interface Compared {
  value: number | null
  previous: number | null
  previousChange: number | null
  lastYear: number | null
  lastYearChange: number | null
}

export interface KpiPeriodLike {
  key: string
  from: string
  to: string
  /** the period holding today: its figures run only through `through` */
  partial?: boolean
  figures: Record<KpiMetric, Compared>
}

/** What a period is compared with (the API's compareTo): a whole period or its first days. */
export interface ComparedRangeLike {
  key: string
  from: string
  to: string
  whole: boolean
}

/**
 * A comparison base in words: a whole period by its key, the first days of one as dates
 * ("11月1日–11月4日", with the year when it is not `year`). `day(y, m, d, withYear)` words a date.
 */
export const baseText = (r: ComparedRangeLike, year: string, day: (y: number, m: number, d: number, withYear: boolean) => string): string => {
  if (r.whole) return r.key
  const words = (date: string, withYear: boolean) => day(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), withYear)
  const first = words(r.from, r.from.slice(0, 4) !== year)
  return r.from === r.to ? first : `${first}–${words(r.to, r.to.slice(0, 4) !== r.from.slice(0, 4))}`
}

/** A figure in its unit: ¥ for fen, % for ratios, thousands separators for counts, — for none. */
export const formatFigure = (metric: keyof typeof UNIT, value: number | null | undefined): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  switch (UNIT[metric]) {
    case 'money': return formatMoney(value)
    case 'ratio': return `${(Math.round(value * 1000) / 10).toFixed(1)}%`
    case 'decimal': return value.toFixed(2)
    case 'score': return `${value > 0 ? '+' : ''}${value.toFixed(1)}`
    default: return formatCount(value)
  }
}

/** A change as a signed percentage: 0.1765 → "+17.7%". */
export const formatChange = (change: number | null | undefined): string =>
  change === null || change === undefined || !Number.isFinite(change) ? '—' : `${change > 0 ? '+' : ''}${(Math.round(change * 1000) / 10).toFixed(1)}%`

/**
 * A change of NPS (−100…100) as points, not a percentage: from −5 to +5 is 10 points better,
 * where a relative change would say −300 %.
 */
export const npsChange = (value: number | null | undefined, base: number | null | undefined): number | null =>
  value === null || value === undefined || base === null || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) ? null : Math.round((value - base) * 10) / 10

/** Which way a change points and whether that is good (green), bad (red) or neither. */
export const trendOf = (metric: string, change: number | null | undefined): { arrow: '↑' | '↓' | '→' | ''; tone: 'good' | 'bad' | 'flat' | 'none' } => {
  if (change === null || change === undefined || !Number.isFinite(change)) return { arrow: '', tone: 'none' }
  if (Math.abs(change) < 0.0005) return { arrow: '→', tone: 'flat' }
  const up = change > 0
  return { arrow: up ? '↑' : '↓', tone: up !== LOWER_IS_BETTER.has(metric) ? 'good' : 'bad' }
}

export const TONE_COLOR = { good: '#389e0d', bad: '#cf1322', flat: '#8c8c8c', none: '#8c8c8c' } as const

/** A value to plot: money in yuan, ratios in percent, the rest as is. */
const plotted = (metric: KpiMetric, v: number | null): number | null => {
  if (v === null) return null
  if (UNIT[metric] === 'money') return Math.round(v) / 100
  if (UNIT[metric] === 'ratio') return Math.round(v * 1000) / 10
  return v
}

/**
 * A metric over the periods with the same periods a year before as a dashed line. A partial period
 * (today's) is left out unless `withPartial`: then it is a hollow, faded point with its axis label
 * marked (`partialMark`), and its last-year point is the same days of last year.
 */
export const kpiTrendOption = (
  all: readonly KpiPeriodLike[], metric: KpiMetric, labels: { value: string; lastYear: string; axis: string; partialMark?: string }, withPartial = false,
) => {
  const periods = withPartial ? all : all.filter((p) => !p.partial)
  const point = (p: KpiPeriodLike, v: number | null) =>
    p.partial ? { value: v, symbol: 'emptyCircle', symbolSize: 9, itemStyle: { opacity: 0.5 } } : v
  return {
    tooltip: { trigger: 'axis' as const },
    legend: { data: [labels.value, labels.lastYear], bottom: 0 },
    grid: { left: 8, right: 16, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category' as const, data: periods.map((p) => (p.partial ? `${p.key}${labels.partialMark ?? '*'}` : p.key)) },
    yAxis: { type: 'value' as const, name: labels.axis },
    series: [
      { name: labels.value, type: 'line' as const, smooth: true, data: periods.map((p) => point(p, plotted(metric, p.figures[metric].value))) },
      { name: labels.lastYear, type: 'line' as const, smooth: true, lineStyle: { type: 'dashed' as const }, data: periods.map((p) => point(p, plotted(metric, p.figures[metric].lastYear))) },
    ],
  }
}

/** A headline card's small trend line (no axes, no legend). */
export const sparklineOption = (values: ReadonlyArray<number | null>, color = '#1677ff') => ({
  grid: { left: 2, right: 2, top: 4, bottom: 4 },
  xAxis: { type: 'category' as const, show: false, data: values.map((_, i) => i) },
  yAxis: { type: 'value' as const, show: false, scale: true },
  series: [{ type: 'line' as const, data: [...values], smooth: true, symbol: 'none', lineStyle: { width: 2, color }, areaStyle: { opacity: 0.12, color } }],
})

export interface KpiTableWords {
  name: string
  sheet: string
  period: string
  metric: string
  value: string
  previous: string
  previousChange: string
  lastYear: string
  lastYearChange: string
  metricName: (m: KpiMetric) => string
}

/** Every period and metric as an export: one row each, figures in their units as shown. */
export const kpiExportTable = (periods: readonly KpiPeriodLike[], w: KpiTableWords): ExportTable => ({
  name: w.name,
  sheet: w.sheet,
  header: [w.period, w.metric, w.value, w.previous, w.previousChange, w.lastYear, w.lastYearChange],
  rows: periods.flatMap((p) => KPI_METRICS.map((m) => {
    const f = p.figures[m]
    return [p.key, w.metricName(m), formatFigure(m, f.value), formatFigure(m, f.previous), formatChange(f.previousChange), formatFigure(m, f.lastYear), formatChange(f.lastYearChange)]
  })),
})

export interface ReportStoreLike {
  name: string | null
  code: string | null
  lines: Array<{ metric: string; actual: number | null; target: number | null }>
}

/** Per store (or region): one metric's actual beside its target, as bars. */
export const actualVsTargetOption = (blocks: readonly ReportStoreLike[], metric: KpiMetric | 'salesGrowth', labels: { actual: string; target: string }) => {
  const line = (b: ReportStoreLike) => b.lines.find((l) => l.metric === metric)
  const scale = (v: number | null | undefined) => (v === null || v === undefined ? null : UNIT[metric] === 'money' ? v / 100 : UNIT[metric] === 'ratio' ? Math.round(v * 1000) / 10 : v)
  return {
    tooltip: { trigger: 'axis' as const },
    legend: { data: [labels.actual, labels.target], bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
    xAxis: { type: 'category' as const, data: blocks.map((b) => b.name ?? b.code ?? '—'), axisLabel: { interval: 0, rotate: blocks.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value' as const },
    series: [
      { name: labels.actual, type: 'bar' as const, data: blocks.map((b) => scale(line(b)?.actual)) },
      { name: labels.target, type: 'bar' as const, data: blocks.map((b) => scale(line(b)?.target)), itemStyle: { color: '#d9d9d9' } },
    ],
  }
}

export interface TrendPointLike {
  key: string
  /** the running month or year: its figures run only through today */
  partial?: boolean
  netSales: number | null
  repurchaseRate: number | null
  retentionRate: number | null
  churnRate: number | null
  memberSalesShare: number | null
}

/**
 * The report's trend: net sales as bars (yuan), loyalty rates as lines (%) on a second axis. The
 * running period (partial) has its axis label marked (`partialMark`) and a faded bar: its sales
 * are only so far, not a drop.
 */
export const reportTrendOption = (
  trend: readonly TrendPointLike[], labels: { netSales: string; repurchaseRate: string; retentionRate: string; churnRate: string; memberSalesShare: string; partialMark?: string },
) => {
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10)
  const bar = (t: TrendPointLike) => {
    const v = t.netSales === null ? null : t.netSales / 100
    return t.partial ? { value: v, itemStyle: { opacity: 0.45 } } : v
  }
  return {
    tooltip: { trigger: 'axis' as const },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category' as const, data: trend.map((t) => (t.partial ? `${t.key}${labels.partialMark ?? '*'}` : t.key)) },
    yAxis: [{ type: 'value' as const, name: labels.netSales }, { type: 'value' as const, name: '%', max: 100, min: 0 }],
    series: [
      { name: labels.netSales, type: 'bar' as const, data: trend.map(bar), itemStyle: { color: '#91caff' } },
      { name: labels.repurchaseRate, type: 'line' as const, yAxisIndex: 1, data: trend.map((t) => pct(t.repurchaseRate)) },
      { name: labels.retentionRate, type: 'line' as const, yAxisIndex: 1, data: trend.map((t) => pct(t.retentionRate)) },
      { name: labels.churnRate, type: 'line' as const, yAxisIndex: 1, data: trend.map((t) => pct(t.churnRate)) },
      { name: labels.memberSalesShare, type: 'line' as const, yAxisIndex: 1, data: trend.map((t) => pct(t.memberSalesShare)) },
    ],
  }
}

/** The range of the last `count` months up to a date (YYYY-MM-DD): the first of the first month, and the date. */
export const lastMonths = (today: string, count: number): { from: string; to: string } => {
  const n = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - (count - 1)
  return { from: `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`, to: today }
}

/** The range of the last `count` quarters (Q1 = January to March) up to a date: the first day of the first quarter, and the date. */
export const lastQuarters = (today: string, count: number): { from: string; to: string } => {
  const n = Number(today.slice(0, 4)) * 4 + Math.ceil(Number(today.slice(5, 7)) / 3) - 1 - (count - 1)
  return { from: `${Math.floor(n / 4)}-${String((n % 4) * 3 + 1).padStart(2, '0')}-01`, to: today }
}

/** The range of the last `count` years up to a date: 1 January of the first, and the date. */
export const lastYears = (today: string, count: number): { from: string; to: string } =>
  ({ from: `${Number(today.slice(0, 4)) - (count - 1)}-01-01`, to: today })

/** A target as typed in the editor (percent for rates, yuan for money) → the API's unit (fraction, fen). */
export const targetFromInput = (metric: keyof typeof UNIT, input: number): number =>
  UNIT[metric] === 'ratio' ? Math.round(input * 100) / 10_000 : UNIT[metric] === 'money' ? Math.round(input * 100) : input

/** The API's target → what the editor shows. */
export const targetToInput = (metric: keyof typeof UNIT, value: number): number =>
  UNIT[metric] === 'ratio' ? Math.round(value * 10_000) / 100 : UNIT[metric] === 'money' ? value / 100 : value
