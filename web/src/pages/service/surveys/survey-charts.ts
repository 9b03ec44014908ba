import { formatCount } from '../../../format.js'

// Satisfaction figures and ECharts options for the survey results page: pure functions of the
// API's figures and the page's words, tested on their own; <EChart> only renders them.

export const NPS_COLORS = { promoters: '#389e0d', passives: '#d9d9d9', detractors: '#cf1322' } as const

/** NPS as the API reports it: counts per band and score = % promoters − % detractors (−100…100, 1 decimal). */
export interface NpsLike {
  answers: number
  promoters: number
  passives: number
  detractors: number
  score: number | null
}

/** CSAT as the API reports it: rate = % of 1–5 ratings that are 4 or 5 (1 decimal), mean rating. */
export interface CsatLike {
  answers: number
  satisfied: number
  rate: number | null
  mean: number | null
}

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * NPS from 0–10 scores by its definition: 9–10 promoters, 7–8 passives, 0–6 detractors; the
 * score is the promoters' percentage minus the detractors', to one decimal.
 */
export const npsOf = (scores: readonly number[]): NpsLike => {
  const promoters = scores.filter((s) => s >= 9).length
  const passives = scores.filter((s) => s >= 7 && s <= 8).length
  const detractors = scores.length - promoters - passives
  const answers = scores.length
  return { answers, promoters, passives, detractors, score: answers === 0 ? null : round1(((promoters - detractors) / answers) * 100) }
}

/** CSAT from 1–5 ratings by its definition: the percentage of 4 and 5, and the mean rating. */
export const csatOf = (ratings: readonly number[]): CsatLike => {
  const answers = ratings.length
  const satisfied = ratings.filter((r) => r >= 4).length
  return {
    answers, satisfied,
    rate: answers === 0 ? null : round1((satisfied / answers) * 100),
    mean: answers === 0 ? null : Math.round((ratings.reduce((a, b) => a + b, 0) / answers) * 100) / 100,
  }
}

/** An NPS as shown: +42, −8.5, 0, — for none. */
export const formatNps = (nps: number | null | undefined): string =>
  nps === null || nps === undefined || !Number.isFinite(nps) ? '—' : `${nps > 0 ? '+' : ''}${round1(nps)}`

/** A percentage (0–100) with one decimal; — for none. */
export const formatPct = (pct: number | null | undefined): string =>
  pct === null || pct === undefined || !Number.isFinite(pct) ? '—' : `${round1(pct).toFixed(1)}%`

/** A band's share of the NPS answers in percent, for the cards. */
export const bandShare = (n: number, nps: Pick<NpsLike, 'answers'>): number | null => (nps.answers === 0 ? null : round1((n / nps.answers) * 100))

export interface TrendPoint {
  /** the month (2026-11) or the Monday of a week (2026-11-30) */
  period: string
  responses: number
  nps: { score: number | null }
  csat: { rate: number | null }
}

/** NPS (−100…100) and CSAT (%) over the periods as two lines; the responses as faint bars on a second axis. */
export const satisfactionTrendOption = (points: readonly TrendPoint[], labels: { nps: string; csat: string; responses: string }) => ({
  tooltip: { trigger: 'axis' as const },
  legend: { data: [labels.nps, labels.csat, labels.responses], bottom: 0 },
  grid: { left: 8, right: 16, top: 24, bottom: 36, containLabel: true },
  xAxis: { type: 'category' as const, data: points.map((p) => p.period) },
  yAxis: [
    { type: 'value' as const, min: -100, max: 100 },
    { type: 'value' as const, name: labels.responses, minInterval: 1, splitLine: { show: false } },
  ],
  series: [
    { name: labels.nps, type: 'line' as const, connectNulls: true, data: points.map((p) => p.nps.score) },
    { name: labels.csat, type: 'line' as const, connectNulls: true, data: points.map((p) => p.csat.rate) },
    { name: labels.responses, type: 'bar' as const, yAxisIndex: 1, barMaxWidth: 24, itemStyle: { color: '#bae0ff' }, data: points.map((p) => p.responses) },
  ],
})

export interface NpsGroup {
  name: string
  nps: NpsLike
}

/**
 * Groups (stores, regions, RFM classes, tiers …) as 100% stacked bars of detractors, passives and
 * promoters, the NPS in each bar's label; groups without NPS answers are left out.
 */
export const npsGroupsOption = (groups: readonly NpsGroup[], labels: { promoters: string; passives: string; detractors: string; nps: string }) => {
  const shown = groups.filter((g) => g.nps.answers > 0)
  const series = (['detractors', 'passives', 'promoters'] as const).map((k) => ({
    name: labels[k], type: 'bar' as const, stack: 'nps', barMaxWidth: 28, itemStyle: { color: NPS_COLORS[k] },
    data: shown.map((g) => bandShare(g.nps[k], g.nps)),
  }))
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    legend: { data: [labels.promoters, labels.passives, labels.detractors], bottom: 0 },
    grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
    xAxis: { type: 'value' as const, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category' as const, inverse: true, data: shown.map((g) => `${g.name}  ${labels.nps} ${formatNps(g.nps.score)}`) },
    series,
  }
}

export interface Bucket {
  label: string
  count: number
}

/**
 * One question's answers as bars: a choice per bar (horizontal, longest first kept in the
 * question's order), a score per bar for ratings. `colors` gives a colour per bar (NPS bands).
 */
export const distributionOption = (buckets: readonly Bucket[], opts: { horizontal?: boolean; colors?: readonly string[]; count: string }) => {
  const total = buckets.reduce((a, b) => a + b.count, 0)
  const data = buckets.map((b, i) => ({ value: b.count, ...(opts.colors?.[i] ? { itemStyle: { color: opts.colors[i] } } : {}) }))
  const category = { type: 'category' as const, data: buckets.map((b) => b.label), ...(opts.horizontal ? { inverse: true } : {}) }
  const value = { type: 'value' as const, minInterval: 1 }
  return {
    tooltip: {
      trigger: 'axis' as const,
      formatter: (params: Array<{ name: string; value: number }>) => {
        const p = params[0]!
        return `${p.name}<br/>${opts.count}: ${formatCount(p.value)} (${total === 0 ? '—' : `${Math.round((p.value / total) * 1000) / 10}%`})`
      },
    },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: opts.horizontal ? value : category,
    yAxis: opts.horizontal ? category : value,
    series: [{ type: 'bar' as const, data, barMaxWidth: 32, label: { show: true, position: opts.horizontal ? ('right' as const) : ('top' as const) } }],
  }
}

/** The colour of each NPS score 0–10 (its band). */
export const npsScoreColors = (): string[] =>
  Array.from({ length: 11 }, (_, s) => (s >= 9 ? NPS_COLORS.promoters : s >= 7 ? '#faad14' : NPS_COLORS.detractors))

/** Counts per score filled in for every score from `min` to `max` (a score nobody gave shows as 0). */
export const scoreBuckets = (counts: ReadonlyArray<{ value: number; count: number }>, min: number, max: number): Bucket[] => {
  const by = new Map(counts.map((c) => [c.value, c.count]))
  return Array.from({ length: max - min + 1 }, (_, i) => ({ label: String(min + i), count: by.get(min + i) ?? 0 }))
}

export interface WordCount {
  word: string
  count: number
}

/** The most frequent words of the free-text answers as horizontal bars, most frequent on top. */
export const wordsOption = (words: readonly WordCount[], labels: { count: string }, top = 20) => {
  const shown = [...words].sort((a, b) => b.count - a.count || a.word.localeCompare(b.word)).slice(0, top)
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' as const, minInterval: 1, name: labels.count },
    yAxis: { type: 'category' as const, inverse: true, data: shown.map((w) => w.word) },
    series: [{ type: 'bar' as const, data: shown.map((w) => w.count), barMaxWidth: 18, itemStyle: { color: '#d4380d' }, label: { show: true, position: 'right' as const } }],
  }
}

export interface MatrixRowFigure {
  label: string
  mean: number | null
}

/** A matrix question's rows by their mean rating (1–5). */
export const matrixOption = (rows: readonly MatrixRowFigure[], labels: { average: string }) => ({
  tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
  grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
  xAxis: { type: 'value' as const, min: 0, max: 5, name: labels.average },
  yAxis: { type: 'category' as const, inverse: true, data: rows.map((r) => r.label) },
  series: [{ type: 'bar' as const, data: rows.map((r) => r.mean), barMaxWidth: 18, label: { show: true, position: 'right' as const } }],
})
