// The tags page's small trend: members holding a tag after each full refresh, as a sparkline.
// A pure function of the API's figures; <EChart> only renders it.

export interface TrendPoint { day: string; members: number }

/** A sparkline (no axes) of a tag's members per day; the tooltip names the day and the count. */
export const trendOption = (points: readonly TrendPoint[], color = '#1677ff') => ({
  animation: false,
  grid: { left: 2, right: 2, top: 4, bottom: 4 },
  tooltip: { trigger: 'axis' as const, confine: true },
  xAxis: { type: 'category' as const, show: false, boundaryGap: false, data: points.map((p) => p.day) },
  yAxis: { type: 'value' as const, show: false, min: (v: { min: number }) => Math.max(0, v.min - 1) },
  series: [{
    type: 'line' as const, data: points.map((p) => p.members), symbol: points.length === 1 ? 'circle' : 'none', smooth: false,
    lineStyle: { width: 1.5, color }, itemStyle: { color }, areaStyle: { opacity: 0.12, color },
  }],
})

/** The change over the trend, for a "+12" beside it; null with fewer than two days. */
export const trendChange = (points: readonly TrendPoint[]): number | null =>
  points.length < 2 ? null : points[points.length - 1]!.members - points[0]!.members

export interface DayCount { day: string; tagId: string; name: string; members: number }

/**
 * Members per tag over the full refreshes between two dates: one line per tag, the days of every
 * refresh on the axis (a tag without a count on a day, e.g. not yet defined, has a gap there).
 */
export const countsOption = (items: readonly DayCount[], colors: Readonly<Record<string, string | null>> = {}) => {
  const days = [...new Set(items.map((i) => i.day))].sort()
  const tags = [...new Map(items.map((i) => [i.tagId, i.name])).entries()]
  const at = new Map(items.map((i) => [`${i.tagId}|${i.day}`, i.members]))
  return {
    tooltip: { trigger: 'axis' as const },
    legend: { type: 'scroll' as const, top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category' as const, data: days },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: tags.map(([id, name]) => ({
      type: 'line' as const, name, connectNulls: false, showSymbol: days.length < 40,
      data: days.map((d) => at.get(`${id}|${d}`) ?? null),
      ...(colors[id] && /^#/.test(colors[id]!) ? { itemStyle: { color: colors[id]! } } : {}),
    })),
  }
}
