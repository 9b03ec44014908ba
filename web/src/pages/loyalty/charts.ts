import { formatCount, formatMoney } from '../../format.js'

// ECharts options for the points liability report: pure functions of the data, tested on their own.

export interface ExpiryMonth {
  /** YYYY-MM */
  month: string
  points: number
  valueFen: number
}

export interface LiabilityChartLabels {
  points: string
  value: string
  /** the series of months expiring soon */
  soon: string
  later: string
}

/** `month` plus n months, both YYYY-MM. */
export const addMonths = (month: string, n: number): string => {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`
}

/**
 * Outstanding points by the month they expire, oldest first; the months up to `soonMonths`
 * ahead of `currentMonth` stand out as their own series (what marketing may want to remind
 * members of).
 */
export const liabilityByMonthOption = (rows: readonly ExpiryMonth[], labels: LiabilityChartLabels, currentMonth: string, soonMonths = 3) => {
  const sorted = [...rows].sort((a, b) => a.month.localeCompare(b.month))
  const lastSoon = addMonths(currentMonth, soonMonths - 1)
  const isSoon = (r: ExpiryMonth) => r.month <= lastSoon
  const byMonth = new Map(sorted.map((r) => [r.month, r]))
  return {
    tooltip: {
      trigger: 'axis' as const,
      axisPointer: { type: 'shadow' as const },
      formatter: (params: Array<{ axisValue: string }> | { axisValue: string }) => {
        const month = (Array.isArray(params) ? params[0]?.axisValue : params.axisValue) ?? ''
        const row = byMonth.get(month)
        return row ? `${month}<br/>${labels.points}: ${formatCount(row.points)}<br/>${labels.value}: ${formatMoney(row.valueFen)}` : month
      },
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 32, containLabel: true },
    xAxis: { type: 'category' as const, data: sorted.map((r) => r.month) },
    yAxis: { type: 'value' as const, name: labels.points },
    series: [
      { type: 'bar' as const, name: labels.soon, stack: 'points', data: sorted.map((r) => (isSoon(r) ? r.points : null)), itemStyle: { color: '#d4380d' } },
      { type: 'bar' as const, name: labels.later, stack: 'points', data: sorted.map((r) => (isSoon(r) ? null : r.points)), itemStyle: { color: '#fa8c16' } },
    ],
  }
}
