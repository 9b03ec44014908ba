import { TZDate } from '@date-fns/tz'

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>()

/** YYYY-MM-DD of an instant in a time zone (a receipt's business date, "today" for birthdays). */
export const dateIn = (instant: Date, timezone: string): string => {
  let format = dateFormats.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormats.set(timezone, format)
  }
  return format.format(instant)
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * Parses a date-time as written by people and old systems: ISO-8601 with a zone is taken as
 * is; `YYYY-MM-DD[ HH:MM[:SS]]` without a zone is wall-clock time in `timezone`.
 * Returns null when it is not a real date-time.
 */
export const parseLocalDateTime = (text: string, timezone: string): Date | null => {
  const t = text.trim()
  const m = LOCAL.exec(t)
  if (!m) {
    if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(t)) return null
    const d = new Date(t)
    return Number.isNaN(d.getTime()) ? null : d
  }
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((v) => v ?? undefined) as string[]
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const
  if (parts[1] > 11 || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return null
  const zoned = new TZDate(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], timezone)
  // Rejects 2026-02-30 and the like, which Date would roll over into March.
  if (zoned.getDate() !== parts[2] || zoned.getMonth() !== parts[1]) return null
  return new Date(zoned.getTime())
}

/**
 * Whether text is a calendar date YYYY-MM-DD (2026-02-30 and 2026-13-01 are not: the round trip
 * through Date catches the first, the NaN check the second, where toISOString would throw).
 */
export const isLocalDate = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
  && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value

/** A local date YYYY-MM-DD plus (or minus) whole days: calendar arithmetic in UTC, no zone involved. */
export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
