import { describe, expect, it } from 'vitest'
import { isSpringFestivalWeek, lastWholeWeek, weekStart, weeklySeries } from './forecast-weeks.js'

describe('weeks of the forecast', () => {
  it('starts weeks on Monday; the last whole week is the one before today\'s', () => {
    expect(weekStart('2026-03-10')).toBe('2026-03-09') // a Tuesday
    expect(weekStart('2026-03-09')).toBe('2026-03-09')
    expect(weekStart('2026-03-15')).toBe('2026-03-09') // a Sunday
    expect(lastWholeWeek('2026-03-10')).toBe('2026-03-02')
    expect(lastWholeWeek('2026-03-09')).toBe('2026-03-02')
  })

  it('flags the weeks holding the 14 days before the Spring Festival (2026-02-17, 2027-02-06)', () => {
    const mondays = ['2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23']
    expect(mondays.map(isSpringFestivalWeek)).toEqual([false, true, true, true, false])
    // 2027: 23 January to 5 February.
    expect(['2027-01-11', '2027-01-18', '2027-01-25', '2027-02-01', '2027-02-08'].map(isSpringFestivalWeek)).toEqual([false, true, true, true, false])
  })

  it('sums a store\'s departments and the chain\'s categories per week, from each series\' first sale', () => {
    const rows = [
      { store: 's1', department: '食品', category: '乳品', day: '2026-02-18', amount: 500 },
      { store: 's1', department: '食品', category: '乳品', day: '2026-02-22', amount: 300 }, // the same week (Sunday)
      { store: 's1', department: '食品', category: '烘焙', day: '2026-03-02', amount: 200 },
      { store: 's2', department: '食品', category: '乳品', day: '2026-03-03', amount: -100 }, // returns only: a week of −100
      { store: 's2', department: null, category: null, day: '2026-03-03', amount: 999 }, // no product level: left out
      { store: 's1', department: '食品', category: '乳品', day: '2026-01-01', amount: 700 }, // before the first week: left out
    ]
    const series = weeklySeries(rows, '2026-03-02', 3) // weeks of 16 Feb, 23 Feb, 2 Mar
    expect(series).toEqual([
      { level: 'chain_category', storeId: null, key: '乳品', from: '2026-02-16', weeks: [800, 0, -100] },
      { level: 'chain_category', storeId: null, key: '烘焙', from: '2026-03-02', weeks: [200] },
      { level: 'store_department', storeId: 's1', key: '食品', from: '2026-02-16', weeks: [800, 0, 200] },
      { level: 'store_department', storeId: 's2', key: '食品', from: '2026-03-02', weeks: [-100] },
    ])
  })
})
