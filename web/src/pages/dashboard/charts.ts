// ECharts options for the dashboard: pure functions of the data, tested on their own.

export interface CountByStore {
  storeName: string | null
  count: number
}

export interface CountByChannel {
  channel: string
  count: number
}

export const membersByStoreOption = (rows: CountByStore[], labels: { unassigned: string; members: string }) => {
  const sorted = [...rows].sort((a, b) => a.count - b.count)
  return {
    tooltip: { trigger: 'axis' as const },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' as const },
    yAxis: { type: 'category' as const, data: sorted.map((r) => r.storeName ?? labels.unassigned) },
    series: [{ type: 'bar' as const, name: labels.members, data: sorted.map((r) => r.count), itemStyle: { color: '#d4380d' } }],
  }
}

export const membersByChannelOption = (rows: CountByChannel[], channelLabel: (channel: string) => string) => ({
  tooltip: { trigger: 'item' as const, formatter: '{b}: {c} ({d}%)' },
  legend: { bottom: 0 },
  series: [{
    type: 'pie' as const,
    radius: ['40%', '70%'],
    data: rows.map((r) => ({ name: channelLabel(r.channel), value: r.count })),
  }],
})
