/** One tenth of P(alive): the members the fit scored there and their CLV (fen). */
export interface AliveBand {
  band: number
  members: number
  clv: number
}

/** "0–10%" … "90–100%": the bands' axis labels. */
export const bandLabel = (band: number): string => `${band * 10}–${band * 10 + 10}%`

/**
 * Members per tenth of P(alive) (bars, left axis) and their CLV in yuan (line, right axis); the
 * bands below the at-risk line in red.
 */
export const aliveBandsOption = (bands: readonly AliveBand[], atRiskBelowPm: number, labels: { members: string; clv: string }) => ({
  tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
  legend: { bottom: 0 },
  grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
  xAxis: { type: 'category' as const, data: bands.map((b) => bandLabel(b.band)) },
  yAxis: [
    { type: 'value' as const, name: labels.members, minInterval: 1 },
    { type: 'value' as const, name: labels.clv, splitLine: { show: false } },
  ],
  series: [
    {
      type: 'bar' as const, name: labels.members,
      data: bands.map((b) => ({ value: b.members, itemStyle: { color: (b.band + 1) * 100 <= atRiskBelowPm ? '#cf1322' : '#1677ff' } })),
    },
    { type: 'line' as const, name: labels.clv, yAxisIndex: 1, data: bands.map((b) => Math.round(b.clv) / 100), itemStyle: { color: '#fa8c16' } },
  ],
})
