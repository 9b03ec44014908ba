import { describe, expect, it } from 'vitest'
import { trendChange, trendOption } from './tag-charts.js'

describe('the tag trend sparkline', () => {
  const points = [{ day: '2026-03-01', members: 10 }, { day: '2026-03-02', members: 14 }, { day: '2026-03-03', members: 12 }]

  it('plots the members per day without axes', () => {
    const o = trendOption(points)
    expect(o.xAxis.data).toEqual(['2026-03-01', '2026-03-02', '2026-03-03'])
    expect(o.series[0]!.data).toEqual([10, 14, 12])
    expect(o.xAxis.show).toBe(false)
    expect(o.yAxis.min({ min: 10 })).toBe(9)
    expect(o.yAxis.min({ min: 0 })).toBe(0)
  })

  it('marks a single day with a dot', () => expect(trendOption(points.slice(0, 1)).series[0]!.symbol).toBe('circle'))

  it.each([[points, 2], [points.slice(0, 1), null], [[], null]] as const)('the change over %j is %s', (p, change) => expect(trendChange(p)).toBe(change))
})
