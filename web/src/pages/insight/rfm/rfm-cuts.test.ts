import { describe, expect, it } from 'vitest'
import { formatMoney } from '../../../format.js'
import { ascendingRanges, cutRows, rangeText, recencyRanges } from './rfm-cuts.js'

describe('RFM cut points in words', () => {
  it('gives each R score its days, 5 = the most recent', () => {
    expect(recencyRanges([7, 30, 90, 180]).map((x) => rangeText(x))).toEqual(['0 – 7', '8 – 30', '31 – 90', '91 – 180', '≥ 181'])
  })

  it('gives each F score its purchases, 5 = the most, an empty score as —', () => {
    // everyone with one or two receipts shares the lowest scores: score 2 and 3 start at the same value
    expect(ascendingRanges([3, 3, 5, 9]).map((x) => rangeText(x))).toEqual(['≥ 9', '5 – 8', '3 – 4', '—', '1 – 2'])
    expect(ascendingRanges([2, 3, 4, 5]).map((x) => rangeText(x))).toEqual(['≥ 5', '4', '3', '2', '1'])
  })

  it('builds the cut table with money in yuan', () => {
    expect(cutRows({ r: [7, 30, 90, 180], f: [2, 3, 5, 9], m: [10_000, 30_000, 80_000, 200_000] }, formatMoney)).toEqual([
      { score: 5, r: '0 – 7', f: '≥ 9', m: '≥ ¥2,000.00' },
      { score: 4, r: '8 – 30', f: '5 – 8', m: '¥800.00 – ¥1,999.99' },
      { score: 3, r: '31 – 90', f: '3 – 4', m: '¥300.00 – ¥799.99' },
      { score: 2, r: '91 – 180', f: '2', m: '¥100.00 – ¥299.99' },
      { score: 1, r: '≥ 181', f: '1', m: '¥0.01 – ¥99.99' },
    ])
  })
})
