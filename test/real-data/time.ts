// Wall-clock times of the data sets to UTC and to the chain's business date, by the zones'
// published rules written out here (not Patron's time code): the checks must not share a bug
// with what they check.

const DAY_MS = 86_400_000

/** The date of the n-th (1-based; -1 = last) Sunday of a month, as a day of the month. */
const sunday = (year: number, month: number, n: number): number => {
  if (n > 0) {
    const firstDow = new Date(Date.UTC(year, month - 1, 1)).getUTCDay()
    return 1 + ((7 - firstDow) % 7) + 7 * (n - 1)
  }
  const last = new Date(Date.UTC(year, month, 0))
  return last.getUTCDate() - last.getUTCDay()
}

const wallMs = (text: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)
  if (!m) throw new Error(`not a wall-clock time: ${text}`)
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
}

/**
 * UK time (Europe/London): GMT, and BST (UTC+1) from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October (since 1996).
 */
export const londonToUtc = (text: string): Date => {
  const wall = wallMs(text)
  const year = new Date(wall).getUTCFullYear()
  const start = Date.UTC(year, 2, sunday(year, 3, -1), 1) // 01:00 GMT = 02:00 BST
  const end = Date.UTC(year, 9, sunday(year, 10, -1), 1) // 01:00 UTC = 02:00 BST
  const bst = wall - 3_600_000
  return new Date(bst >= start && bst < end ? bst : wall)
}

/**
 * US Eastern time (America/New_York): EST (UTC−5), and EDT (UTC−4) from 02:00 local on the
 * second Sunday of March to 02:00 local on the first Sunday of November (since 2007).
 */
export const newYorkToUtc = (text: string): Date => {
  const wall = wallMs(text)
  const year = new Date(wall).getUTCFullYear()
  const start = Date.UTC(year, 2, sunday(year, 3, 2), 2) // wall clock
  const end = Date.UTC(year, 10, sunday(year, 11, 1), 2)
  return new Date(wall + (wall >= start && wall < end ? 4 : 5) * 3_600_000)
}

/** The business date in China (Asia/Shanghai, UTC+8 all year since 1992). */
export const shanghaiDate = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)

/** Whole days from date `a` to date `b` (YYYY-MM-DD). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS)

/** A date plus whole days. */
export const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
