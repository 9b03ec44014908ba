import { describe, expect, it } from 'vitest'
import { aliveBandsOption, bandLabel } from './clv-charts.js'

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
