// The service report's charts as ECharts options: pure functions of the API's answer and the
// page's words, tested on their own; <EChart> only renders them.

export interface CountLike { key: string; name: string | null; nameEn: string | null; count: number }
export interface PeriodLike { period: string; count: number; complaints: number; requests: number }

/** A count's label in the console's language: its English name when there is one, else its name, else its key. */
export const countLabel = (c: CountLike, english: boolean): string => (english && c.nameEn) || c.name || c.key

/**
 * Counts as a horizontal bar chart, largest at the top, at most `top` bars (the API sends them
 * largest first; they are sorted again so the chart never depends on it).
 */
export const countBarOption = (counts: readonly CountLike[], english: boolean, seriesName: string, top = 10, color = '#1677ff') => {
  const shown = [...counts].sort((a, b) => b.count - a.count).slice(0, top).reverse()
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' as const, minInterval: 1 },
    yAxis: { type: 'category' as const, data: shown.map((c) => countLabel(c, english)), axisLabel: { width: 140, overflow: 'truncate' as const } },
    series: [{ name: seriesName, type: 'bar' as const, data: shown.map((c) => c.count), itemStyle: { color }, barMaxWidth: 24 }],
  }
}

/** Complaints and service requests per period, stacked. */
export const trendOption = (periods: readonly PeriodLike[], labels: { complaints: string; requests: string }) => ({
  tooltip: { trigger: 'axis' as const },
  legend: { data: [labels.complaints, labels.requests], bottom: 0 },
  grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
  xAxis: { type: 'category' as const, data: periods.map((p) => p.period) },
  yAxis: { type: 'value' as const, minInterval: 1 },
  series: [
    { name: labels.complaints, type: 'bar' as const, stack: 'tickets', data: periods.map((p) => p.complaints), itemStyle: { color: '#cf1322' }, barMaxWidth: 48 },
    { name: labels.requests, type: 'bar' as const, stack: 'tickets', data: periods.map((p) => p.requests), itemStyle: { color: '#1677ff' }, barMaxWidth: 48 },
  ],
})

const SCORE_COLORS = ['#cf1322', '#fa8c16', '#fadb14', '#73d13d', '#389e0d']

/** The follow-up scores 1–5 as bars, every score shown (a missing one as 0), red to green. */
export const satisfactionOption = (distribution: ReadonlyArray<{ score: number; count: number }>, scoreLabel: (score: number) => string) => {
  const counts = [1, 2, 3, 4, 5].map((s) => distribution.find((d) => d.score === s)?.count ?? 0)
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category' as const, data: [1, 2, 3, 4, 5].map(scoreLabel) },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [{ type: 'bar' as const, data: counts.map((value, i) => ({ value, itemStyle: { color: SCORE_COLORS[i] } })), barMaxWidth: 40 }],
  }
}
