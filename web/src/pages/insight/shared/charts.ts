import { formatCount, formatMoney } from '../../../format.js'

// ECharts options for the insight pages (RFM, value quadrants, 80/20, lifecycle): pure functions
// of the API's figures and the page's words, tested on their own; <EChart> only renders them.

/** A share (0–1) as a percentage with one decimal: 0.1234 → "12.3%". */
export const formatShare = (share: number | null | undefined): string =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(1)}%`

const percent = (share: number) => Math.round(share * 1000) / 10

// ── RFM ──────────────────────────────────────────────────────────────────────

export interface RfCell {
  /** R score 1–5 (5 = most recent) */
  r: number
  /** F score 1–5 (5 = most frequent) */
  f: number
  members: number
  /** the cell's average spend in the window, fen; null for an empty cell */
  avgMonetary: number | null
}

export interface RfHeatmapLabels {
  r: string
  f: string
  members: string
  avgM: string
}

/**
 * The R×F heat map: F scores across, R scores up, each cell's colour its members; the tooltip
 * adds the cell's average monetary value. Missing cells show as 0 members.
 */
export const rfHeatmapOption = (cells: readonly RfCell[], labels: RfHeatmapLabels) => {
  const byKey = new Map(cells.map((c) => [`${c.r}:${c.f}`, c]))
  const data: Array<{ value: [number, number, number]; avgMonetary: number | null }> = []
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const cell = byKey.get(`${r}:${f}`)
      data.push({ value: [f - 1, r - 1, cell?.members ?? 0], avgMonetary: cell?.avgMonetary ?? null })
    }
  }
  const max = Math.max(1, ...data.map((d) => d.value[2]))
  const scores = ['1', '2', '3', '4', '5']
  return {
    tooltip: {
      position: 'top' as const,
      formatter: (params: { data: (typeof data)[number] }) => {
        const { value: [f, r, members], avgMonetary } = params.data
        return `R ${r + 1} · F ${f + 1}<br/>${labels.members}: ${formatCount(members)}<br/>${labels.avgM}: ${avgMonetary === null ? '—' : formatMoney(avgMonetary)}`
      },
    },
    grid: { left: 48, right: 16, top: 16, bottom: 84 },
    xAxis: { type: 'category' as const, data: scores, name: labels.f, nameLocation: 'middle' as const, nameGap: 26, splitArea: { show: true } },
    yAxis: { type: 'category' as const, data: scores, name: labels.r, nameLocation: 'middle' as const, nameGap: 28, nameRotate: 90, splitArea: { show: true } },
    visualMap: {
      min: 0, max, calculable: true, orient: 'horizontal' as const, left: 'center', bottom: 0, itemHeight: 160,
      inRange: { color: ['#fff7e6', '#ffc069', '#fa8c16', '#d4380d'] },
    },
    series: [{
      type: 'heatmap' as const,
      name: labels.members,
      data,
      label: { show: true, formatter: (params: { data: (typeof data)[number] }) => formatCount(params.data.value[2]) },
      emphasis: { itemStyle: { shadowBlur: 8, shadowColor: 'rgba(0, 0, 0, 0.3)' } },
    }],
  }
}

export interface ClassShare {
  label: string
  members: number
  spend: number
}

/**
 * The eight classes side by side: each one's share of the members and of the spend, so the
 * classes that spend more than their size stand out. Shares are of the rows given.
 */
export const classSharesOption = (rows: readonly ClassShare[], labels: { memberShare: string; spendShare: string }) => {
  const members = rows.reduce((s, r) => s + r.members, 0)
  const spend = rows.reduce((s, r) => s + r.spend, 0)
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const }, valueFormatter: (v: unknown) => `${String(v)}%` },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 16, bottom: 36, containLabel: true },
    xAxis: { type: 'category' as const, data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value' as const, axisLabel: { formatter: '{value}%' } },
    series: [
      { type: 'bar' as const, name: labels.memberShare, data: rows.map((r) => (members > 0 ? percent(r.members / members) : 0)), itemStyle: { color: '#fa8c16' } },
      { type: 'bar' as const, name: labels.spendShare, data: rows.map((r) => (spend > 0 ? percent(r.spend / spend) : 0)), itemStyle: { color: '#d4380d' } },
    ],
  }
}

// ── Value quadrants ──────────────────────────────────────────────────────────

export type QuadrantId = 'core' | 'develop' | 'potential' | 'abandon'

export interface QuadrantFigure {
  quadrant: QuadrantId
  members: number
  spend: number
}

/** Where each quadrant sits: spend across (right = high), income up (top = high). */
export const QUADRANT_POSITION: Record<QuadrantId, [number, number]> = {
  core: [1, 1], develop: [1, -1], potential: [-1, 1], abandon: [-1, -1],
}

const QUADRANT_COLOR: Record<QuadrantId, string> = { core: '#d4380d', develop: '#fa8c16', potential: '#1677ff', abandon: '#8c8c8c' }

/**
 * The 2×2 value quadrant: a bubble per quadrant at its corner, sized by its members, labelled with
 * its name, members and spend; the axes cross at the thresholds.
 */
export const quadrantOption = (
  rows: readonly QuadrantFigure[],
  labels: { name: (q: QuadrantId) => string; spend: string; income: string; members: string; spendTotal: string; high: string; low: string },
) => {
  const max = Math.max(1, ...rows.map((r) => r.members))
  const data = rows.map((r) => {
    const symbolSize = r.members === 0 ? 0 : Math.round(24 + 96 * Math.sqrt(r.members / max))
    return {
      name: labels.name(r.quadrant),
      value: [...QUADRANT_POSITION[r.quadrant], r.members] as [number, number, number],
      spend: r.spend,
      symbolSize,
      itemStyle: { color: QUADRANT_COLOR[r.quadrant], opacity: 0.85 },
      // a bubble too small for its three lines has them below it
      label: symbolSize >= 96 ? { position: 'inside' as const, color: '#fff' } : { position: 'bottom' as const, color: '#262626' },
    }
  })
  const line = (axis: 'xAxis' | 'yAxis') => ({ [axis]: 0 })
  const tip = (d: (typeof data)[number]) => `${d.name}<br/>${labels.members}: ${formatCount(d.value[2])}<br/>${labels.spendTotal}: ${formatMoney(d.spend)}`
  return {
    tooltip: { trigger: 'item' as const, formatter: (params: { data: (typeof data)[number] }) => tip(params.data) },
    grid: { left: 48, right: 48, top: 24, bottom: 48 },
    xAxis: {
      type: 'value' as const, min: -2, max: 2, name: labels.spend, nameLocation: 'middle' as const, nameGap: 28,
      axisLabel: { formatter: (v: number) => (v === -1 ? labels.low : v === 1 ? labels.high : '') }, splitLine: { show: false }, axisTick: { show: false },
    },
    yAxis: {
      type: 'value' as const, min: -2, max: 2, name: labels.income, nameLocation: 'middle' as const, nameGap: 28,
      axisLabel: { formatter: (v: number) => (v === -1 ? labels.low : v === 1 ? labels.high : '') }, splitLine: { show: false }, axisTick: { show: false },
    },
    series: [{
      type: 'scatter' as const,
      name: labels.members,
      data,
      label: {
        show: true,
        formatter: (params: { data: (typeof data)[number] }) => `${params.data.name}\n${formatCount(params.data.value[2])}\n${formatMoney(params.data.spend)}`,
        fontWeight: 'bold' as const, lineHeight: 16,
      },
      markLine: { silent: true, symbol: 'none', lineStyle: { color: '#bfbfbf', type: 'solid' as const }, label: { show: false }, data: [line('xAxis'), line('yAxis')] },
    }],
  }
}

// ── 80/20 ────────────────────────────────────────────────────────────────────

export interface ParetoPoint {
  /** share of members, top spenders first (0–1) */
  memberShare: number
  /** their share of the spend (0–1) */
  spendShare: number
}

/**
 * The Pareto curve: the share of the spend made by the top X% of members, from (0, 0), beside
 * the diagonal of an even spread; marks where the top 20% stand and how many members make 80%.
 */
export const paretoOption = (
  points: readonly ParetoPoint[],
  marks: { top20Share: number | null; membersFor80Share: number | null },
  labels: { members: string; spend: string; curve: string; even: string; top20: string; for80: string },
) => {
  const curve = [[0, 0] as [number, number], ...[...points].sort((a, b) => a.memberShare - b.memberShare).map((p) => [percent(p.memberShare), percent(p.spendShare)] as [number, number])]
  const markPoints = [
    ...(marks.top20Share === null ? [] : [{ name: labels.top20, coord: [20, percent(marks.top20Share)], value: `${percent(marks.top20Share)}%` }]),
    ...(marks.membersFor80Share === null ? [] : [{ name: labels.for80, coord: [percent(marks.membersFor80Share), 80], value: `${percent(marks.membersFor80Share)}%` }]),
  ]
  return {
    tooltip: {
      trigger: 'axis' as const,
      formatter: (params: Array<{ seriesName: string; data: [number, number] }>) => {
        const p = params.find((x) => x.seriesName === labels.curve) ?? params[0]
        return p ? `${labels.members}: ${p.data[0]}%<br/>${labels.spend}: ${p.data[1]}%` : ''
      },
    },
    legend: { bottom: 0 },
    grid: { left: 16, right: 32, top: 24, bottom: 56, containLabel: true },
    xAxis: { type: 'value' as const, min: 0, max: 100, name: labels.members, nameLocation: 'middle' as const, nameGap: 28, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'value' as const, min: 0, max: 100, name: labels.spend, nameLocation: 'middle' as const, nameGap: 40, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'line' as const, name: labels.curve, data: curve, showSymbol: false, smooth: false,
        lineStyle: { color: '#d4380d', width: 2 }, itemStyle: { color: '#d4380d' }, areaStyle: { color: 'rgba(212, 56, 13, 0.08)' },
        markPoint: { symbol: 'pin', symbolSize: 44, data: markPoints, label: { fontSize: 10 } },
        markLine: {
          silent: true, symbol: 'none', lineStyle: { type: 'dashed' as const, color: '#8c8c8c' },
          data: [{ xAxis: 20, label: { formatter: '20%' } }, { yAxis: 80, label: { formatter: '80%' } }],
        },
      },
      { type: 'line' as const, name: labels.even, data: [[0, 0], [100, 100]], showSymbol: false, lineStyle: { type: 'dotted' as const, color: '#bfbfbf' }, itemStyle: { color: '#bfbfbf' } },
    ],
  }
}

// ── Lifecycle ────────────────────────────────────────────────────────────────

export const STAGE_COLOR: Record<string, string> = {
  new: '#52c41a', active: '#1677ff', returning: '#13c2c2', dormant: '#fa8c16', lost: '#cf1322', prospect: '#bfbfbf',
}

export interface StageMonth {
  /** YYYY-MM */
  month: string
  stage: string
  members: number
}

/** Members per stage at each month's end, stacked, oldest month first; stages in the given order. */
export const lifecycleTrendOption = (rows: readonly StageMonth[], stages: readonly string[], stageLabel: (stage: string) => string) => {
  const months = [...new Set(rows.map((r) => r.month))].sort()
  const count = new Map(rows.map((r) => [`${r.month}:${r.stage}`, r.members]))
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category' as const, data: months },
    yAxis: { type: 'value' as const },
    series: stages.map((stage) => ({
      type: 'bar' as const,
      name: stageLabel(stage),
      stack: 'members',
      data: months.map((m) => count.get(`${m}:${stage}`) ?? 0),
      itemStyle: { color: STAGE_COLOR[stage] ?? '#8c8c8c' },
    })),
  }
}

export interface StageFlow {
  from: string
  to: string
  members: number
}

/**
 * The month-over-month flow as a Sankey: last month's stages on the left, this month's on the
 * right (named apart, so a stage that keeps its members is not a cycle); empty flows left out.
 */
export const lifecycleSankeyOption = (
  flows: readonly StageFlow[],
  stages: readonly string[],
  labels: { stage: (stage: string) => string; previous: string; current: string; members: string },
) => {
  const kept = flows.filter((f) => f.members > 0)
  const left = (s: string) => `${labels.previous} · ${labels.stage(s)}`
  const right = (s: string) => `${labels.current} · ${labels.stage(s)}`
  const used = (side: 'from' | 'to') => stages.filter((s) => kept.some((f) => f[side] === s))
  return {
    tooltip: { trigger: 'item' as const, valueFormatter: (v: unknown) => formatCount(Number(v)) },
    series: [{
      type: 'sankey' as const,
      left: 96, right: 96, top: 8, bottom: 8,
      nodeAlign: 'justify' as const,
      emphasis: { focus: 'adjacency' as const },
      lineStyle: { color: 'gradient' as const, curveness: 0.5, opacity: 0.35 },
      label: { fontSize: 12 },
      data: [
        // last month's stages labelled on the left of their nodes, this month's on the right, clear
        // of the flows, by the stage alone (the tooltip names the month)
        ...used('from').map((s) => ({ name: left(s), itemStyle: { color: STAGE_COLOR[s] ?? '#8c8c8c' }, label: { position: 'left' as const, formatter: labels.stage(s) } })),
        ...used('to').map((s) => ({ name: right(s), itemStyle: { color: STAGE_COLOR[s] ?? '#8c8c8c' }, label: { position: 'right' as const, formatter: labels.stage(s) } })),
      ],
      links: kept.map((f) => ({ source: left(f.from), target: right(f.to), value: f.members })),
    }],
  }
}

export interface FlowRow {
  from: string
  /** members by the stage they moved to */
  to: Record<string, number>
  total: number
}

/** The flow as a from → to matrix (a row per stage of last month, a column per stage now). */
export const flowMatrix = (flows: readonly StageFlow[], stages: readonly string[]): FlowRow[] =>
  stages.map((from) => {
    const to = Object.fromEntries(stages.map((s) => [s, 0])) as Record<string, number>
    for (const f of flows) if (f.from === from && f.to in to) to[f.to] = (to[f.to] ?? 0) + f.members
    return { from, to, total: Object.values(to).reduce((a, b) => a + b, 0) }
  }).filter((row) => row.total > 0)

// ── Distributions (frequency × amount, preference, age × gender) ─────────────

export interface LevelCell {
  frequency: string
  amount: string
  members: number
  spend: number
}

export interface LevelRow {
  frequency: string
  /** members by amount class */
  amount: Record<string, number>
  total: number
}

/** Frequency × amount classes as a matrix: a row per frequency class, a column per amount class. */
export const levelMatrix = (cells: readonly LevelCell[], levels: readonly string[]): LevelRow[] =>
  levels.map((frequency) => {
    const amount = Object.fromEntries(levels.map((l) => [l, 0])) as Record<string, number>
    for (const c of cells) if (c.frequency === frequency && c.amount in amount) amount[c.amount] = (amount[c.amount] ?? 0) + c.members
    return { frequency, amount, total: Object.values(amount).reduce((a, b) => a + b, 0) }
  })

/** Members by their main department (or category), the largest on top. */
export const preferenceOption = (rows: ReadonlyArray<{ name: string; members: number }>, labels: { members: string }) => {
  const sorted = [...rows].sort((a, b) => a.members - b.members)
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' as const },
    yAxis: { type: 'category' as const, data: sorted.map((r) => r.name) },
    series: [{ type: 'bar' as const, name: labels.members, data: sorted.map((r) => r.members), itemStyle: { color: '#fa8c16' } }],
  }
}

const GENDER_COLOR: Record<string, string> = { female: '#eb2f96', male: '#1677ff', unknown: '#bfbfbf' }

/** Members by age band (in the given order) and gender, a bar per gender side by side. */
export const ageGenderOption = (
  rows: ReadonlyArray<{ ageBand: string; gender: string; members: number }>,
  ages: readonly string[],
  genders: readonly string[],
  labels: { age: (band: string) => string; gender: (g: string) => string },
) => {
  const count = new Map(rows.map((r) => [`${r.ageBand}:${r.gender}`, r.members]))
  const present = ages.filter((a) => rows.some((r) => r.ageBand === a))
  return {
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 16, bottom: 36, containLabel: true },
    xAxis: { type: 'category' as const, data: present.map(labels.age) },
    yAxis: { type: 'value' as const },
    series: genders.filter((g) => rows.some((r) => r.gender === g)).map((g) => ({
      type: 'bar' as const,
      name: labels.gender(g),
      data: present.map((a) => count.get(`${a}:${g}`) ?? 0),
      itemStyle: { color: GENDER_COLOR[g] ?? '#8c8c8c' },
    })),
  }
}
