import { addDays, dateIn, parseLocalDateTime } from '../../../shared/time.js'

// Working time: SLA deadlines count only the minutes a team works (its weekly hours, less the
// chain's holidays), in the chain's time zone. Pure: no clock, no I/O.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
/** Opening intervals per weekday, local wall-clock "HH:MM" (24:00 is the end of the day); a day left out is closed. */
export type WeeklyHours = Partial<Record<Weekday, Array<[string, string]>>>

export interface WorkCalendar {
  timezone: string
  weekly: WeeklyHours
  /** local dates (YYYY-MM-DD) on which nobody works */
  holidays: readonly string[]
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const MINUTE = 60_000
/** How far a search for working time looks before giving up (a calendar with no working hours). */
const MAX_DAYS = 3 * 366

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number)
  return h! * 60 + m!
}

const weekdayOf = (date: string): Weekday => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!

/** What is wrong with a week of hours, or null: intervals must be HH:MM, start before end, and not overlap. */
export const weeklyHoursProblem = (weekly: WeeklyHours): string | null => {
  for (const [day, intervals] of Object.entries(weekly)) {
    if (!WEEKDAYS.includes(day as Weekday)) return `${day} is not a weekday (mon … sun)`
    const sorted = [...(intervals ?? [])].map(([a, b]) => {
      if (!/^([01]\d|2[0-4]):[0-5]\d$/.test(a) || !/^([01]\d|2[0-4]):[0-5]\d$/.test(b)) return null
      return [minutesOf(a), minutesOf(b)] as const
    })
    if (sorted.some((x) => x === null)) return `${day}: times are HH:MM`
    const spans = (sorted as Array<readonly [number, number]>).sort((x, y) => x[0] - y[0])
    for (let i = 0; i < spans.length; i++) {
      const [a, b] = spans[i]!
      if (a >= b || b > 24 * 60) return `${day}: an interval must start before it ends, within the day`
      if (i > 0 && spans[i - 1]![1] > a) return `${day}: intervals overlap`
    }
  }
  return null
}

/** A local date's working intervals as UTC instants (ms), in order; none on a holiday. */
const intervalsOn = (date: string, cal: WorkCalendar): Array<[number, number]> => {
  if (cal.holidays.includes(date)) return []
  const spans = [...(cal.weekly[weekdayOf(date)] ?? [])].map(([a, b]) => [minutesOf(a), minutesOf(b)] as const).sort((x, y) => x[0] - y[0])
  const midnight = parseLocalDateTime(`${date} 00:00`, cal.timezone)!.getTime()
  const nextMidnight = parseLocalDateTime(`${addDays(date, 1)} 00:00`, cal.timezone)!.getTime()
  // Wall-clock minutes to instants through the zone (a DST day is 23 or 25 hours long).
  const at = (minutes: number) => (minutes >= 24 * 60 ? nextMidnight : parseLocalDateTime(`${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, cal.timezone)?.getTime() ?? midnight + minutes * MINUTE)
  return spans.filter(([a, b]) => a < b).map(([a, b]) => [at(a), at(b)])
}

/**
 * The instant `minutes` working minutes after `startIso`. Work that starts outside working hours
 * starts at the next opening; a deadline that falls exactly at closing stays at closing (not the
 * next opening). Zero minutes: the start itself if in working hours, else the next opening.
 */
export const addWorkingMinutes = (startIso: string, minutes: number, cal: WorkCalendar): string => {
  const start = new Date(startIso).getTime()
  let left = Math.max(0, Math.round(minutes)) * MINUTE
  let date = dateIn(new Date(start), cal.timezone)
  for (let d = 0; d < MAX_DAYS; d++, date = addDays(date, 1)) {
    for (const [open, close] of intervalsOn(date, cal)) {
      if (close <= start) continue
      const from = Math.max(open, start)
      if (left === 0) return new Date(from).toISOString()
      if (from + left <= close) return new Date(from + left).toISOString()
      left -= close - from
    }
  }
  throw new Error('no working hours in the calendar')
}

/** Working minutes between two instants (0 when `to` is not after `from`), whole minutes rounded down. */
export const workingMinutesBetween = (fromIso: string, toIso: string, cal: WorkCalendar): number => {
  const from = new Date(fromIso).getTime()
  const to = new Date(toIso).getTime()
  if (!(to > from)) return 0
  let total = 0
  let date = dateIn(new Date(from), cal.timezone)
  const last = dateIn(new Date(to), cal.timezone)
  for (let d = 0; d < MAX_DAYS * 10 && date <= last; d++, date = addDays(date, 1)) {
    for (const [open, close] of intervalsOn(date, cal)) {
      const a = Math.max(open, from)
      const b = Math.min(close, to)
      if (b > a) total += b - a
    }
  }
  return Math.floor(total / MINUTE)
}

/** Whether a calendar has any working time in a week (a calendar with none cannot have deadlines). */
export const hasWorkingTime = (weekly: WeeklyHours): boolean =>
  Object.values(weekly).some((intervals) => (intervals ?? []).some(([a, b]) => minutesOf(a) < minutesOf(b)))
