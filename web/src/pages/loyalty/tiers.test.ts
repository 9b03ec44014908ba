import { describe, expect, it } from 'vitest'
import { fieldPath, nextTierRow, splitTierErrors, toTierRows, toTiers } from './tiers.js'

const ladder = [
  { code: 'silver', name: '银卡', rank: 1, threshold: 200_000, earnFactorPct: 110, memberPrices: true },
  { code: 'regular', name: '普通', rank: 0, threshold: 0, earnFactorPct: 100, memberPrices: false },
]

describe('the tier ladder in the form', () => {
  it('shows spend thresholds in yuan, lowest rank first, and sends fen', () => {
    const rows = toTierRows(ladder, 'spend')
    expect(rows.map((r) => [r.code, r.threshold])).toEqual([['regular', 0], ['silver', 2000]])
    expect(toTiers([{ ...rows[1]!, threshold: 2500.5, name: ' 银卡 ' }], 'spend')).toEqual([
      { code: 'silver', name: '银卡', rank: 1, threshold: 250_050, earnFactorPct: 110, memberPrices: true },
    ])
  })

  it('keeps points thresholds as points', () => {
    expect(toTierRows(ladder, 'points')[1]!.threshold).toBe(200_000)
    expect(toTiers(toTierRows(ladder, 'points'), 'points')[1]!.threshold).toBe(200_000)
  })

  it('adds a tier above the highest', () => {
    expect(nextTierRow(toTierRows(ladder, 'spend'))).toEqual({ code: '', name: '', rank: 2, threshold: 4000, earnFactorPct: 110, memberPrices: true })
    expect(nextTierRow([])).toMatchObject({ rank: 0, threshold: 0, earnFactorPct: 100 })
  })
})

describe('server errors on the ladder', () => {
  it.each([
    ['tiers[1].threshold', ['tiers', 1, 'threshold']],
    ['tiers', ['tiers']],
    ['a.b[2][3].c', ['a', 'b', 2, 3, 'c']],
    ['pointValueFen', ['pointValueFen']],
  ])('%s is %j', (field, path) => {
    expect(fieldPath(field)).toEqual(path)
  })

  it('puts field errors on their tier and ladder errors apart', () => {
    expect(splitTierErrors([
      { field: 'tiers[1].threshold', reason: 'a' },
      { field: 'tiers[1].threshold', reason: 'b' },
      { field: 'tiers[0].code', reason: 'c' },
      { field: 'tiers', reason: 'd' },
      { field: 'tiers', reason: 'd' },
    ])).toEqual({
      fields: [{ name: ['tiers', 1, 'threshold'], errors: ['a', 'b'] }, { name: ['tiers', 0, 'code'], errors: ['c'] }],
      ladder: ['d'],
    })
  })
})
