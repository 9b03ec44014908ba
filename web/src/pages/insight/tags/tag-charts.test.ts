import { describe, expect, it } from 'vitest'
import { countsOption, trendChange, trendOption } from './tag-charts.js'

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

describe('members per tag over time', () => {
  it('draws a line per tag over the refresh days, with gaps where a tag has no count', () => {
    const o = countsOption([
      { day: '2026-03-02', tagId: 'a', name: '母婴人群', members: 5 },
      { day: '2026-03-01', tagId: 'a', name: '母婴人群', members: 4 },
      { day: '2026-03-02', tagId: 'b', name: '沉睡客户', members: 9 },
    ], { b: '#ff0000' })
    expect(o.xAxis.data).toEqual(['2026-03-01', '2026-03-02'])
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['母婴人群', [4, 5]], ['沉睡客户', [null, 9]]])
    expect(o.series[1]).toMatchObject({ itemStyle: { color: '#ff0000' } })
    expect(o.series[0]).not.toHaveProperty('itemStyle')
  })
})
