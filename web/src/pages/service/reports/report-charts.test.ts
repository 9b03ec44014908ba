import { describe, expect, it } from 'vitest'
import { countBarOption, countLabel, satisfactionOption, trendOption } from './report-charts.js'

const count = (key: string, count: number, name: string | null = null, nameEn: string | null = null) => ({ key, name, nameEn, count })

describe('service report charts', () => {
  it('names a count in the console\'s language, falling back to its name and then its key', () => {
    expect(countLabel(count('scg_1', 3, '价格', 'Price'), true)).toBe('Price')
    expect(countLabel(count('scg_1', 3, '价格'), true)).toBe('价格')
    expect(countLabel(count('prd_9', 3), false)).toBe('prd_9')
  })

  it('draws the largest counts at the top of a bar chart, at most `top` of them', () => {
    const o = countBarOption([count('a', 2, 'A'), count('b', 9, 'B'), count('c', 5, 'C'), count('d', 1, 'D')], false, '工单', 3)
    // ECharts draws a category axis bottom-up: the largest is last.
    expect(o.yAxis.data).toEqual(['A', 'C', 'B'])
    expect(o.series[0]!.data).toEqual([2, 5, 9])
    expect(o.series[0]!.name).toBe('工单')
  })

  it('stacks complaints and requests per period', () => {
    const o = trendOption([{ period: '2026-11', count: 5, complaints: 3, requests: 2 }, { period: '2026-12', count: 1, complaints: 1, requests: 0 }], { complaints: '投诉', requests: '服务请求' })
    expect(o.xAxis.data).toEqual(['2026-11', '2026-12'])
    expect(o.series.map((s) => [s.name, s.stack, s.data])).toEqual([['投诉', 'tickets', [3, 1]], ['服务请求', 'tickets', [2, 0]]])
  })

  it('shows every satisfaction score, a missing one as 0', () => {
    const o = satisfactionOption([{ score: 5, count: 7 }, { score: 2, count: 1 }], (s) => `${s} 分`)
    expect(o.xAxis.data).toEqual(['1 分', '2 分', '3 分', '4 分', '5 分'])
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([0, 1, 0, 0, 7])
  })
})
