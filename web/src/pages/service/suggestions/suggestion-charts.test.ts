import { describe, expect, it } from 'vitest'
import { monthlyStackOption } from './suggestion-charts.js'

describe('monthly suggestion counts', () => {
  it('stacks a series per key over the sorted months, a missing month as 0', () => {
    const o = monthlyStackOption([
      { month: '2026-11', key: 'scg_1', count: 3 },
      { month: '2026-10', key: 'scg_1', count: 1 },
      { month: '2026-11', key: 'scg_2', count: 2 },
    ], (k) => ({ scg_1: '商品', scg_2: '服务' })[k] ?? k)
    expect(o.xAxis.data).toEqual(['2026-10', '2026-11'])
    expect(o.series.map((s) => [s.name, s.data, s.stack])).toEqual([['商品', [1, 3], 'count'], ['服务', [0, 2], 'count']])
  })

  it('adds up the counts of one month and key (several stores of a category)', () => {
    const o = monthlyStackOption([
      { month: '2026-11', key: 'service', count: 3 },
      { month: '2026-11', key: 'prices', count: 1 },
      { month: '2026-11', key: 'service', count: 2 },
    ], String)
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['service', [5]], ['prices', [1]]])
  })

  it('draws nothing from no counts', () => {
    const o = monthlyStackOption([], String)
    expect(o.xAxis.data).toEqual([])
    expect(o.series).toEqual([])
  })
})
