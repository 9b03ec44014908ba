import { describe, expect, it } from 'vitest'
import { aliveBandsOption, bandLabel, formatDecimal, formatDifference, holdoutOption, perMember } from './clv-charts.js'

describe('the P(alive) chart', () => {
  it.each([[0, '0–10%'], [2, '20–30%'], [9, '90–100%']])('labels band %i as %s', (band, label) => {
    expect(bandLabel(band)).toBe(label)
  })

  it('puts members on bars, red below the at-risk line, and the CLV in yuan on a line', () => {
    const option = aliveBandsOption([{ band: 1, members: 4, clv: 12_345 }, { band: 2, members: 7, clv: 800 }, { band: 3, members: 9, clv: 100_050 }], 300, { members: 'M', clv: 'C' })
    expect(option.xAxis.data).toEqual(['10–20%', '20–30%', '30–40%'])
    expect(option.series[0]!.data).toEqual([
      { value: 4, itemStyle: { color: '#cf1322' } }, { value: 7, itemStyle: { color: '#cf1322' } }, { value: 9, itemStyle: { color: '#1677ff' } },
    ])
    expect(option.series[1]!.data).toEqual([123.45, 8, 1000.5])
  })
})

describe('the holdout check chart', () => {
  const labels = { actual: 'A', predicted: 'P', repeats: 'R', perMember: 'Y', members: 'M', total: 'T' }
  const groups = [
    { repeats: '0', members: 200, actual: 50, predicted: 46.123 },
    { repeats: '1', members: 40, actual: 31, predicted: 20.8 },
    { repeats: '7+', members: 3, actual: 20, predicted: 19.41 },
  ]

  it('puts the repeat purchases across and the purchases per member up, made beside predicted, as the paper draws it', () => {
    const option = holdoutOption(groups, labels)
    expect(option.xAxis.data).toEqual(['0', '1', '7+'])
    expect(option.series.map((s) => s.name)).toEqual(['A', 'P'])
    expect(option.series[0]!.data).toEqual([0.25, 0.78, 6.67])
    expect(option.series[1]!.data).toEqual([0.23, 0.52, 6.47])
  })

  it('gives a group’s members and totals in the tooltip', () => {
    const option = holdoutOption(groups, labels)
    expect(option.tooltip.formatter([{ dataIndex: 1 }])).toBe('R: 1 · M: 40<br/>A: 0.78 (T 31)<br/>P: 0.52 (T 20.8)')
    expect(option.tooltip.formatter([])).toBe('')
  })

  it('counts a group of no members as no purchases per member', () => {
    expect(perMember({ repeats: '6', members: 0, actual: 0, predicted: 0 })).toEqual({ actual: 0, predicted: 0 })
    expect(perMember(groups[0]!)).toEqual({ actual: 0.25, predicted: 0.230615 })
  })

  it.each([
    [16_876, 19_674, '−14.2%'],
    [105, 100, '+5.0%'],
    [100, 100, '0.0%'],
    [100.04, 100, '0.0%'],
    [5, 0, '—'],
    [Number.NaN, 10, '—'],
  ])('writes predicted %f against made %f as %s', (predicted, actual, text) => {
    expect(formatDifference(predicted, actual)).toBe(text)
  })

  it.each([[16_876.44, 1, '16,876.4'], [0.5, 2, '0.50'], [3, 0, '3'], [1234.5, 2, '1,234.50']])('writes %f with %i decimals as %s', (n, digits, text) => {
    expect(formatDecimal(n, digits)).toBe(text)
  })
})
