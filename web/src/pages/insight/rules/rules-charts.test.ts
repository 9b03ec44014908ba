import { describe, expect, it } from 'vitest'
import { SIZE_RANGE, formatLift, formatPercent, ruleText, rulesScatterOption, type RuleLike } from './rules-charts.js'

const item = (key: string, label = key) => ({ key, label })
const rule = (a: string[], c: string, support: number, confidence: number, lift: number): RuleLike => ({
  antecedent: a.map((k) => item(k)), consequent: [item(c)], baskets: 10, support, confidence, lift,
})

describe('the rules in words', () => {
  it.each([
    [0.01234, '1.23%'],
    [0.5, '50.00%'],
    [1, '100.00%'],
    [0, '0.00%'],
    [Number.NaN, '—'],
  ])('shows a share of %d as %s', (share, text) => {
    expect(formatPercent(share)).toBe(text)
  })

  it.each([[1.23456, '1.23'], [0.5, '0.50'], [12, '12.00'], [Number.POSITIVE_INFINITY, '—']])('shows a lift of %d as %s', (lift, text) => {
    expect(formatLift(lift)).toBe(text)
  })

  it('writes a rule as its left-hand items joined, an arrow, and the right-hand item', () => {
    expect(ruleText(rule(['牛奶', '面包'], '鸡蛋', 0.1, 0.5, 2))).toBe('牛奶 + 面包 ⇒ 鸡蛋')
  })
})

describe('the support × confidence chart', () => {
  const labels = { support: 'S', confidence: 'C', lift: 'L' }

  it('puts each rule at its support and confidence in %, with its lift as the third value', () => {
    const option = rulesScatterOption([rule(['a'], 'b', 0.012345, 0.456789, 1.2345), rule(['b'], 'a', 0.2, 0.9, 3)], labels)
    expect(option.series[0]!.data.map((d) => d.value)).toEqual([[1.23, 45.68, 1.23], [20, 90, 3]])
    expect(option.series[0]!.data.map((d) => d.name)).toEqual(['a ⇒ b', 'b ⇒ a'])
    expect(option.xAxis.name).toBe('S')
    expect(option.yAxis.name).toBe('C')
    expect(option.visualMap.dimension).toBe(2)
  })

  it('sizes the points from the lowest lift to the highest, and always spans a lift of 1 in colour', () => {
    const option = rulesScatterOption([rule(['a'], 'b', 0.1, 0.5, 1.5), rule(['b'], 'c', 0.1, 0.5, 3), rule(['c'], 'd', 0.1, 0.5, 2)], labels)
    expect(option.series[0]!.data.map((d) => d.symbolSize)).toEqual([SIZE_RANGE[0] + 6, SIZE_RANGE[1], SIZE_RANGE[0] + 12])
    expect([option.visualMap.min, option.visualMap.max]).toEqual([1, 3])
    const below = rulesScatterOption([rule(['a'], 'b', 0.1, 0.5, 0.5)], labels)
    expect([below.visualMap.min, below.visualMap.max]).toEqual([0.5, 1])
  })

  it('draws equal lifts (and no rules) without dividing by zero', () => {
    expect(rulesScatterOption([rule(['a'], 'b', 0.1, 0.5, 1), rule(['b'], 'a', 0.1, 0.5, 1)], labels).series[0]!.data.map((d) => d.symbolSize)).toEqual([SIZE_RANGE[0], SIZE_RANGE[0]])
    const empty = rulesScatterOption([], labels)
    expect(empty.series[0]!.data).toEqual([])
    expect([empty.visualMap.min, empty.visualMap.max]).toEqual([1, 1])
  })

  it('names the rule in the tooltip with product names escaped', () => {
    const option = rulesScatterOption([{ ...rule([], '', 0.1, 0.25, 2), antecedent: [item('p1', 'Fish & <Chips>')], consequent: [item('p2', 'Vinegar')] }], labels)
    expect(option.tooltip.formatter({ data: option.series[0]!.data[0]! })).toBe('Fish &#38; &#60;Chips&#62; ⇒ Vinegar<br/>S: 10.00<br/>C: 25.00<br/>L: 2.00')
  })
})
