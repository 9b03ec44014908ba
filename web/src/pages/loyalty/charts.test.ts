import { describe, expect, it } from 'vitest'
import { addMonths, liabilityByMonthOption } from './charts.js'

const labels = { points: '积分', value: '折合金额', soon: '3 个月内到期', later: '之后到期' }

describe('liability chart option', () => {
  it('lists expiry months oldest first and sets the next three months apart', () => {
    const option = liabilityByMonthOption([
      { month: '2027-12', points: 900, valueFen: 900 },
      { month: '2026-05', points: 100, valueFen: 100 },
      { month: '2026-07', points: 300, valueFen: 300 },
      { month: '2026-08', points: 50, valueFen: 50 },
    ], labels, '2026-05')
    expect(option.xAxis.data).toEqual(['2026-05', '2026-07', '2026-08', '2027-12'])
    expect(option.series[0]).toMatchObject({ name: '3 个月内到期', data: [100, 300, null, null] })
    expect(option.series[1]).toMatchObject({ name: '之后到期', data: [null, null, 50, 900] })
  })

  it('shows a month\'s points and cash value in the tooltip', () => {
    const option = liabilityByMonthOption([{ month: '2026-12', points: 12345, valueFen: 12345 }], labels, '2026-01')
    expect(option.tooltip.formatter([{ axisValue: '2026-12' }])).toBe('2026-12<br/>积分: 12,345<br/>折合金额: ¥123.45')
    expect(option.tooltip.formatter({ axisValue: '2030-01' })).toBe('2030-01')
  })

  it('handles no points at all', () => {
    const option = liabilityByMonthOption([], labels, '2026-01')
    expect(option.xAxis.data).toEqual([])
    expect(option.series.map((s) => s.data)).toEqual([[], []])
  })

  it.each([
    ['2026-05', 2, '2026-07'],
    ['2026-11', 2, '2027-01'],
    ['2026-01', -1, '2025-12'],
  ])('%s + %i months is %s', (month, n, result) => {
    expect(addMonths(month, n)).toBe(result)
  })
})
