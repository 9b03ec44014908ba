// The campaign report's chart as an ECharts option: pure functions of the API's answer and the
// page's words, tested on their own; <EChart> only renders them.

export interface DailyLike { date: string; target: number; holdout: number }

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

/**
 * Every local day of the window so far, from the send's day to today's (or the window's end): the
 * API lists only the days with sales, and a day without any keeps the totals of the day before.
 */
export const everyDay = (daily: readonly DailyLike[], from: string, to: string): DailyLike[] => {
  if (!/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to) || from > to) return [...daily]
  const byDate = new Map(daily.map((d) => [d.date, d]))
  const out: DailyLike[] = []
  let last = { target: 0, holdout: 0 }
  for (let date = from; date <= to && out.length < 366; date = nextDate(date)) {
    const d = byDate.get(date)
    if (d) last = { target: d.target, holdout: d.holdout }
    out.push({ date, ...last })
  }
  return out
}

const yuan = (fen: number) => Math.round(fen) / 100

/**
 * Cumulative sales per member by day, those messaged against the holdout, in yuan, from 0 at the
 * send: the gap between the lines is what the campaign added per member so far.
 */
export const upliftChartOption = (days: readonly DailyLike[], labels: { target: string; holdout: string; axis: string; start: string }) => ({
  tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => `¥${Number(v).toFixed(2)}` },
  legend: { data: [labels.target, labels.holdout], bottom: 0 },
  grid: { left: 8, right: 24, top: 32, bottom: 36, containLabel: true },
  xAxis: { type: 'category' as const, boundaryGap: false, data: [labels.start, ...days.map((d) => d.date.slice(5))] },
  yAxis: { type: 'value' as const, name: labels.axis, axisLabel: { formatter: (v: number) => `¥${v}` } },
  series: [
    { name: labels.target, type: 'line' as const, data: [0, ...days.map((d) => yuan(d.target))], itemStyle: { color: '#1677ff' }, symbolSize: 6 },
    { name: labels.holdout, type: 'line' as const, data: [0, ...days.map((d) => yuan(d.holdout))], itemStyle: { color: '#8c8c8c' }, lineStyle: { type: 'dashed' as const }, symbolSize: 6 },
  ],
})
