// The shopping calendar of a Chinese supermarket, for the demo receipts: which days are busy.
// Lunar holidays come from ICU's Chinese calendar (built into Node), so any year works.

const DAY_MS = 86_400_000

export { lunarDay, springFestival } from '../shared/chinese-calendar.js'
import { lunarDay, springFestival } from '../shared/chinese-calendar.js'

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

export interface Occasion {
  name: string
  /** first and last local date, inclusive */
  from: string
  to: string
  /** how busy against an ordinary day of the same weekday */
  factor: number
}

/** The year's busy (and quiet) stretches. */
export const occasionsOf = (year: number): Occasion[] => {
  const spring = springFestival(year)
  const midAutumn = lunarDay(year, 8, 15)
  const dragonBoat = lunarDay(year, 5, 5)
  const out: Occasion[] = [
    // New-year shopping builds for three weeks; the last week is the busiest of the year.
    { name: '年货', from: addDays(spring, -21), to: addDays(spring, -8), factor: 1.45 },
    { name: '年货高峰', from: addDays(spring, -7), to: addDays(spring, -2), factor: 1.9 },
    { name: '除夕', from: addDays(spring, -1), to: addDays(spring, -1), factor: 1.3 },
    // Families are at home, or away, for the first days of the year.
    { name: '春节', from: spring, to: addDays(spring, 2), factor: 0.5 },
    { name: '春节假期', from: addDays(spring, 3), to: addDays(spring, 6), factor: 0.8 },
    { name: '元旦', from: `${year}-01-01`, to: `${year}-01-01`, factor: 1.25 },
    { name: '元旦前', from: `${year}-12-30`, to: `${year}-12-31`, factor: 1.25 },
    { name: '五一', from: `${year}-05-01`, to: `${year}-05-05`, factor: 1.2 },
    { name: '618', from: `${year}-06-16`, to: `${year}-06-18`, factor: 1.2 },
    { name: '国庆前', from: `${year}-09-28`, to: `${year}-09-30`, factor: 1.2 },
    { name: '国庆', from: `${year}-10-01`, to: `${year}-10-03`, factor: 1.4 },
    { name: '国庆假期', from: `${year}-10-04`, to: `${year}-10-07`, factor: 1.2 },
    { name: '双11预热', from: `${year}-11-09`, to: `${year}-11-10`, factor: 1.3 },
    { name: '双11', from: `${year}-11-11`, to: `${year}-11-11`, factor: 1.7 },
  ]
  if (midAutumn) out.push({ name: '中秋', from: addDays(midAutumn, -6), to: addDays(midAutumn, -1), factor: 1.3 })
  if (dragonBoat) out.push({ name: '端午', from: addDays(dragonBoat, -3), to: dragonBoat, factor: 1.15 })
  return out
}

/**
 * How busy a local date is because of the occasions around it (1 on an ordinary day). Where
 * occasions overlap (mid-autumn inside the National Day week) the strongest counts, and a quiet
 * holiday beats a busy one.
 */
export const occasionFactor = (date: string, occasions: readonly Occasion[]): number => {
  let high = 1
  let low = 1
  for (const o of occasions) {
    if (date < o.from || date > o.to) continue
    if (o.factor > high) high = o.factor
    if (o.factor < low) low = o.factor
  }
  return low < 1 ? low : high
}
