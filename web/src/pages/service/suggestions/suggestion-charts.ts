// The suggestion box's monthly counts as an ECharts option: a pure function, tested on its own.

/**
 * Counts per month per key (a category, a store) as stacked bars, one series per key in the
 * order first met; counts of the same month and key add up (the API counts by month, store and
 * category), a month with no count for a key is 0. `name` words a key.
 */
export const monthlyStackOption = (
  rows: ReadonlyArray<{ month: string; key: string; count: number }>, name: (key: string) => string,
) => {
  const months = [...new Set(rows.map((r) => r.month))].sort()
  const keys = [...new Set(rows.map((r) => r.key))]
  const by = new Map<string, number>()
  for (const r of rows) by.set(`${r.month}|${r.key}`, (by.get(`${r.month}|${r.key}`) ?? 0) + r.count)
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    legend: { type: 'scroll' as const, bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category' as const, data: months },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: keys.map((k) => ({ name: name(k), type: 'bar' as const, stack: 'count', barMaxWidth: 36, data: months.map((m) => by.get(`${m}|${k}`) ?? 0) })),
  }
}
