import { describe, expect, it } from 'vitest'
import { lunarDay, occasionFactor, occasionsOf, springFestival } from './demo-calendar.js'

describe('demo calendar', () => {
  it.each([
    [2024, '2024-02-10'], [2025, '2025-01-29'], [2026, '2026-02-17'], [2027, '2027-02-06'],
    [2028, '2028-01-26'], [2030, '2030-02-03'], [2033, '2033-01-31'],
  ])('puts the Spring Festival of %i on %s', (year, date) => {
    expect(springFestival(year)).toBe(date)
  })

  it('finds the mid-autumn festival and the dragon boat festival in the Chinese calendar', () => {
    expect(lunarDay(2025, 8, 15)).toBe('2025-10-06')
    expect(lunarDay(2026, 5, 5)).toBe('2026-06-19')
  })

  it.each([
    ['2026-02-12', 1.9, 'the last week before the Spring Festival is the busiest'],
    ['2026-02-01', 1.45, 'new-year shopping starts three weeks before'],
    ['2026-02-17', 0.5, 'the festival itself is quiet'],
    ['2025-11-11', 1.7, 'Double 11'],
    ['2025-10-02', 1.4, 'National Day'],
    ['2025-10-05', 1.3, 'mid-autumn eve inside the National Day week: the stronger wins'],
    ['2026-03-10', 1, 'an ordinary day'],
  ])('rates %s at %f: %s', (date, factor) => {
    const occasions = [...occasionsOf(2025), ...occasionsOf(2026)]
    expect(occasionFactor(date, occasions)).toBe(factor)
  })
})
