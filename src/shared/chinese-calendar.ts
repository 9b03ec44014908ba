// The Chinese calendar's days that move a supermarket's sales: from ICU's Chinese calendar (built
// into Node), so any year works.

const DAY_MS = 86_400_000

const lunarFormat = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'UTC', month: 'numeric', day: 'numeric' })
const lunarCache = new Map<string, string | null>()

/**
 * The Gregorian date (YYYY-MM-DD) in `year` of a day of the Chinese calendar, e.g. (2026, 1, 1)
 * is 2026-02-17, the Spring Festival. Leap months are never matched; null if the day is not in
 * that Gregorian year.
 */
export const lunarDay = (year: number, month: number, day: number): string | null => {
  const key = `${year}-${month}-${day}`
  const cached = lunarCache.get(key)
  if (cached !== undefined) return cached
  let found: string | null = null
  for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += DAY_MS) {
    const parts = lunarFormat.formatToParts(new Date(ms))
    if (parts.find((p) => p.type === 'month')?.value === String(month) && parts.find((p) => p.type === 'day')?.value === String(day)) {
      found = new Date(ms).toISOString().slice(0, 10)
      break
    }
  }
  lunarCache.set(key, found)
  return found
}

// ICU's new moons are a little off where one falls close to midnight in Beijing; the official
// calendar (Purple Mountain Observatory) differs from it by a day in these years.
const SPRING_FESTIVAL_FIXES: Record<number, string> = { 2027: '2027-02-06', 2030: '2030-02-03' }

/** The Spring Festival (lunar new year's day) of a Gregorian year. */
export const springFestival = (year: number): string => SPRING_FESTIVAL_FIXES[year] ?? lunarDay(year, 1, 1)!
