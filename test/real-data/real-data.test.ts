import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv.js'
import { countScores, monthlyFigures, nearestRank, quadrantCounts, scoresByRank, shareOfTop, windowFacts } from './figures.js'
import { daysBetween, londonToUtc, newYorkToUtc, shanghaiDate } from './time.js'

// The independent computations of the real-data checks are themselves checked here, on cases
// small enough to work out by hand.

describe('the CSV splitter', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, and a file without a final newline', () => {
    const csv = parseCsv('a,b,c\n1,"x, y",3\r\n"say ""hi""","two\nlines",\n4,5,6')
    expect(csv.header).toEqual(['a', 'b', 'c'])
    expect(csv.rows).toEqual([['1', 'x, y', '3'], ['say "hi"', 'two\nlines', ''], ['4', '5', '6']])
    expect(csv.col('c')).toBe(2)
    expect(() => csv.col('d')).toThrow(/no column d/)
  })
})

describe('zone rules', () => {
  it.each([
    ['2011-03-27 00:59:00', '2011-03-27T00:59:00.000Z'], // GMT, the last minute before BST
    ['2011-03-27 02:00:00', '2011-03-27T01:00:00.000Z'], // BST from 01:00 UTC
    ['2011-10-30 00:30:00', '2011-10-29T23:30:00.000Z'],
    ['2011-10-30 02:00:00', '2011-10-30T02:00:00.000Z'], // GMT again
    ['2010-12-01 08:26:00', '2010-12-01T08:26:00.000Z'],
  ])('London %s is %s', (wall, utc) => {
    expect(londonToUtc(wall).toISOString()).toBe(utc)
  })

  it.each([
    ['2017-03-12 01:59:00', '2017-03-12T06:59:00.000Z'], // EST
    ['2017-03-12 03:00:00', '2017-03-12T07:00:00.000Z'], // EDT from the second Sunday of March
    ['2017-11-05 00:30:00', '2017-11-05T04:30:00.000Z'],
    ['2017-11-05 02:00:00', '2017-11-05T07:00:00.000Z'], // EST from the first Sunday of November
    ['2017-12-31 22:47:00', '2018-01-01T03:47:00.000Z'],
  ])('New York %s is %s', (wall, utc) => {
    expect(newYorkToUtc(wall).toISOString()).toBe(utc)
  })

  it('dates in Shanghai at UTC+8 and counts days between dates', () => {
    expect(shanghaiDate(new Date('2011-12-09T15:59:59Z'))).toBe('2011-12-09')
    expect(shanghaiDate(new Date('2011-12-09T16:00:00Z'))).toBe('2011-12-10')
    expect(daysBetween('2011-02-27', '2011-03-01')).toBe(2)
  })
})

describe('the figures', () => {
  it('scores by rank with ties sharing the first rank: a score can be empty or crowded', () => {
    // 10 values; the four 1s share rank 1 (score 1), the 2 has rank 5 (score 1 + ⌊5·4/10⌋ = 3).
    const values = [1, 1, 1, 1, 2, 3, 4, 5, 6, 7]
    expect(scoresByRank(values, 5, 'ascending')).toEqual([1, 1, 1, 1, 3, 3, 4, 4, 5, 5])
    expect(countScores(scoresByRank(values, 5, 'ascending'))).toEqual({ 1: 4, 2: 0, 3: 2, 4: 2, 5: 2 })
    // Recency: the most days ranks first.
    expect(scoresByRank([300, 10, 10, 50, 1], 5, 'descending')).toEqual([1, 3, 3, 2, 5])
  })

  it('takes the share of the top and the nearest-rank median', () => {
    expect(shareOfTop([10, 60, 30], 1)).toBeCloseTo(0.6)
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2)
    expect(nearestRank([1, 2, 3, 4, 5], 0.5)).toBe(3)
  })

  it('counts quadrants with ties at a threshold counted high, and no band apart', () => {
    const bands = ['low', 'mid', 'high']
    expect(quadrantCounts([
      { band: 'high', spend: 100 }, { band: 'mid', spend: 100 }, { band: 'mid', spend: 99 }, { band: 'low', spend: 500 }, { band: 'low', spend: 0 }, { band: null, spend: 900 },
    ], bands, { band: 'mid', spend: 100 })).toEqual({ core: 2, potential: 1, develop: 1, abandon: 1, unknown: 1 })
  })

  it('reads a window of (as-of − days, as-of]: sales, net spend, days since the last sale before it', () => {
    const facts = windowFacts([
      { kind: 'sale', customer: 'a', date: '2011-01-01', total: 500 }, // before the window: recency only
      { kind: 'sale', customer: 'a', date: '2011-01-02', total: 1000 },
      { kind: 'return', customer: 'a', date: '2011-01-05', total: 300 },
      { kind: 'sale', customer: 'a', date: '2011-01-11', total: 700 }, // after as-of: ignored
      { kind: 'sale', customer: null, date: '2011-01-03', total: 900 },
    ], '2011-01-10', 9)
    expect([...facts.values()]).toEqual([{ customer: 'a', receipts: 1, spend: 700, recencyDays: 8 }])
  })

  it('counts repeat members per month by their first sale anywhere, and the average ticket net of returns', () => {
    const months = monthlyFigures([
      { kind: 'sale', customer: 'a', date: '2011-01-05', total: 1000 },
      { kind: 'sale', customer: 'a', date: '2011-02-01', total: 500 },
      { kind: 'sale', customer: 'b', date: '2011-02-03', total: 300 },
      { kind: 'return', customer: 'b', date: '2011-02-04', total: 100 },
      { kind: 'sale', customer: null, date: '2011-02-05', total: 999 },
    ])
    expect(months).toEqual([
      { month: '2011-01', active: 1, repeat: 0, repurchaseRate: 0, memberNetSales: 1000, memberSaleReceipts: 1, avgTicketMember: 1000 },
      { month: '2011-02', active: 2, repeat: 1, repurchaseRate: 0.5, memberNetSales: 700, memberSaleReceipts: 2, avgTicketMember: 350 },
    ])
  })
})
