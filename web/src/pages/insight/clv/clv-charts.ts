import { formatCount } from '../../../format.js'

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

// ── The holdout check ────────────────────────────────────────────────────────

/** One group of the check: the members with this many repeat purchases in the calibration period. */
export interface HoldoutGroup {
  /** '0' … '6', '7+' */
  repeats: string
  members: number
  /** purchase days they made in the holdout */
  actual: number
  /** the purchase days BG/NBD expected of them there (Σ E[Y(t) | x, tₓ, T]) */
  predicted: number
}

/** A group's purchases per member, actual and predicted (0 for a group of no members). */
export const perMember = (g: HoldoutGroup): { actual: number; predicted: number } =>
  g.members > 0 ? { actual: g.actual / g.members, predicted: g.predicted / g.members } : { actual: 0, predicted: 0 }

/** A number with a fixed count of decimals and thousands separators: 16876.4 → "16,876.4". */
export const formatDecimal = (n: number, digits: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/**
 * How far the prediction is from what was made, relative to what was made, signed, one decimal:
 * predicted 86, actual 100 → "−14.0%"; "—" when nothing was made.
 */
export const formatDifference = (predicted: number, actual: number): string => {
  if (!(actual > 0) || !Number.isFinite(predicted)) return '—'
  const pct = Math.round(((predicted - actual) / actual) * 1000) / 10
  if (pct === 0) return '0.0%'
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`
}

export interface HoldoutLabels {
  actual: string
  predicted: string
  /** the x axis: repeat purchases in the calibration period */
  repeats: string
  /** the y axis: purchases per member in the holdout */
  perMember: string
  members: string
  total: string
}

/**
 * The BG/NBD paper's conditional-expectations chart (Fader, Hardie & Lee 2005, fig. 4): per number
 * of repeat purchases in the calibration period, the purchases per member in the holdout, made
 * (bars) beside predicted (bars); the tooltip adds the group's members and totals.
 */
export const holdoutOption = (groups: readonly HoldoutGroup[], labels: HoldoutLabels) => {
  const avg = groups.map(perMember)
  return {
    tooltip: {
      trigger: 'axis' as const, axisPointer: { type: 'shadow' as const },
      formatter: (params: Array<{ dataIndex: number }>) => {
        const g = groups[params[0]?.dataIndex ?? -1]
        if (!g) return ''
        const a = avg[params[0]!.dataIndex]!
        return [
          `${labels.repeats}: ${g.repeats} · ${labels.members}: ${formatCount(g.members)}`,
          `${labels.actual}: ${formatDecimal(a.actual, 2)} (${labels.total} ${formatCount(g.actual)})`,
          `${labels.predicted}: ${formatDecimal(a.predicted, 2)} (${labels.total} ${formatDecimal(g.predicted, 1)})`,
        ].join('<br/>')
      },
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 56, containLabel: true },
    xAxis: { type: 'category' as const, data: groups.map((g) => g.repeats), name: labels.repeats, nameLocation: 'middle' as const, nameGap: 28 },
    // the name starts at the axis and runs right, so a long one is not cut off at the card's edge
    yAxis: { type: 'value' as const, name: labels.perMember, nameTextStyle: { align: 'left' as const } },
    series: [
      { type: 'bar' as const, name: labels.actual, data: avg.map((a) => round2(a.actual)), itemStyle: { color: '#1677ff' } },
      { type: 'bar' as const, name: labels.predicted, data: avg.map((a) => round2(a.predicted)), itemStyle: { color: '#fa8c16' } },
    ],
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100
