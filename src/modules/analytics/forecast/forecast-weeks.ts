import { springFestival } from '../../../shared/chinese-calendar.js'
import { addDays } from '../../../shared/time.js'

// Weekly sales series for the demand forecast: weeks run Monday to Sunday by business date (the
// chain's local date); a week's sales are its sales' line amounts less its returns' (fen).

/** The Monday of a local date's week. */
export const weekStart = (date: string): string => {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(date, -((dow + 6) % 7))
}

/** The Monday of the last whole week before `today` (today's week is not over). */
export const lastWholeWeek = (today: string): string => addDays(weekStart(today), -7)

/** Days before the Spring Festival whose week is flagged: the new-year shopping (年货) peak. */
export const SPRING_FESTIVAL_DAYS_BEFORE = 14

/**
 * Whether the week starting `monday` holds one of the SPRING_FESTIVAL_DAYS_BEFORE days before a
 * Spring Festival (lunar new year's day; the festival's own days are quiet, not flagged).
 */
export const isSpringFestivalWeek = (monday: string): boolean => {
  const sunday = addDays(monday, 6)
  for (const year of new Set([Number(monday.slice(0, 4)), Number(sunday.slice(0, 4))])) {
    const festival = springFestival(year)
    const from = addDays(festival, -SPRING_FESTIVAL_DAYS_BEFORE)
    const to = addDays(festival, -1)
    if (monday <= to && sunday >= from) return true
  }
  return false
}

/** One grouped row of sales: a store's department and category on a business date (fen, net of returns). */
export interface DaySales {
  store: string
  department: string | null
  category: string | null
  day: string
  amount: number
}

export type SeriesLevel = 'store_department' | 'chain_category'

export interface WeeklySeries {
  level: SeriesLevel
  /** null for the chain */
  storeId: string | null
  /** the department (per store) or the category (chain-wide) */
  key: string
  /** the Monday of its first week: the first week with a sale */
  from: string
  /** fen per week, from `from` to the last whole week */
  weeks: number[]
}

/**
 * Every store × department and chain × category series of `weeks` weeks ending with the week of
 * `lastMonday`, each starting at its first week with a sale (weeks before are not history: the
 * store or the category was not there yet). A department or category without a name is left out.
 */
export const weeklySeries = (rows: readonly DaySales[], lastMonday: string, weeks: number): WeeklySeries[] => {
  const first = addDays(lastMonday, -7 * (weeks - 1))
  const firstMs = Date.parse(`${first}T00:00:00Z`)
  const index = (day: string) => Math.floor((Date.parse(`${day}T00:00:00Z`) - firstMs) / (7 * 86_400_000))
  const series = new Map<string, { level: SeriesLevel; storeId: string | null; key: string; weeks: number[] }>()
  const add = (level: SeriesLevel, storeId: string | null, key: string, week: number, amount: number) => {
    const id = `${level}|${storeId ?? ''}|${key}`
    let s = series.get(id)
    if (!s) series.set(id, (s = { level, storeId, key, weeks: new Array<number>(weeks).fill(0) }))
    s.weeks[week]! += amount
  }
  for (const r of rows) {
    const w = index(r.day)
    if (w < 0 || w >= weeks) continue
    const amount = Number(r.amount)
    if (r.department !== null && r.department !== '') add('store_department', r.store, r.department, w, amount)
    if (r.category !== null && r.category !== '') add('chain_category', null, r.category, w, amount)
  }
  const out: WeeklySeries[] = []
  for (const s of series.values()) {
    const start = s.weeks.findIndex((v) => v !== 0)
    if (start < 0) continue
    out.push({ level: s.level, storeId: s.storeId, key: s.key, from: addDays(first, 7 * start), weeks: s.weeks.slice(start) })
  }
  out.sort((a, b) => (a.level < b.level ? -1 : a.level > b.level ? 1 : 0) || (a.storeId ?? '').localeCompare(b.storeId ?? '') || a.key.localeCompare(b.key))
  return out
}
