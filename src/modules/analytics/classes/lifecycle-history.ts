import { TZDate } from '@date-fns/tz'
import type { Trx } from '../../../db/database.js'
import { addDays } from '../../../shared/time.js'
import { addMonths } from '../member-facts-rules.js'
import type { LifecycleDaysValues } from './classes-settings.js'
import { findMetaValue, saveMetaValue } from './classes.repository.js'
import * as history from './lifecycle-history.repository.js'
import type { MonthEnd } from './lifecycle-history.repository.js'

// The lifecycle history: per month-end of the last 13 months and registration store, the members
// per lifecycle stage and the flows between stages. Written by the classifier on a full refresh.

/** Months of lifecycle history kept: the current one (at asOf) and the twelve before. */
export const HISTORY_MONTHS = 13

export { addDays }

/** The first instant (UTC ISO) of a local date in a time zone. */
export const startOfLocalDay = (date: string, timezone: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, timezone).getTime()).toISOString()
}

/** The month-ends of the history, oldest first: one more than kept, for the first month's flows. */
export const monthEnds = (asOf: string, days: LifecycleDaysValues, timezone: string, months = HISTORY_MONTHS): MonthEnd[] => {
  const current = asOf.slice(0, 7)
  const out: MonthEnd[] = []
  for (let i = months; i >= 0; i--) {
    const month = addMonths(current, -i)
    const end = i === 0 ? asOf : addDays(`${addMonths(month, 1)}-01`, -1)
    const newFrom = addDays(end, 1 - days.newDays)
    out.push({
      month, end, endAt: startOfLocalDay(addDays(end, 1), timezone), newFrom, newFromAt: startOfLocalDay(newFrom, timezone),
      dormantOnOrBefore: addDays(end, -days.dormantDays), lostOnOrBefore: addDays(end, -days.lostDays),
    })
  }
  return out
}

export const HISTORY_KEY = 'insight.lifecycle_history'
/** What the stored lifecycle history was computed with, and when. */
interface HistoryState { days: LifecycleDaysValues; asOf: string; at: string; timezone: string }
const HOUR_MS = 3_600_000

/**
 * Recomputes the lifecycle counts and flows of the last 13 month-ends from the receipts. The
 * month-ends before the last two do not move once their month is over: when the stored history
 * was computed with the same days, after those months ended, and nothing written since touches
 * them (no receipt dated then, no member registered then changed), only the last two month-ends
 * and their flows are computed again; otherwise all thirteen.
 */
export const writeLifecycleHistory = async (trx: Trx, asOf: string, days: LifecycleDaysValues, timezone: string, at = new Date().toISOString()): Promise<{ months: number }> => {
  const all = monthEnds(asOf, days, timezone)
  const before = all[all.length - 3]!
  const previous = all[all.length - 2]!
  let state: HistoryState | null
  try {
    state = JSON.parse((await findMetaValue(trx, HISTORY_KEY)) ?? 'null') as HistoryState | null
  } catch {
    state = null
  }
  // A transaction still open when the last history was computed may have written earlier times.
  const partial = state !== null && JSON.stringify(state.days) === JSON.stringify(days) && state.timezone === timezone
    && state.asOf.slice(0, 7) >= previous.month && state.asOf <= asOf
    && !(await history.historyChangedSince(trx, new Date(Date.parse(state.at) - HOUR_MS).toISOString(), before.end, before.endAt))
  const ends = partial ? [before, previous, all[all.length - 1]!] : all
  const since = addDays(ends[0]!.end, -Math.max(days.lostDays, days.newDays + days.dormantDays))
  const rows = await history.lifecycleTransitions(trx, asOf, days, ends, since)
  const months = new Map<string, { month: string; store_id: string; stage: string; members: number }>()
  for (const r of rows) {
    const key = `${r.month}\u0000${r.store}\u0000${r.to}`
    const row = months.get(key) ?? { month: r.month, store_id: r.store, stage: r.to, members: 0 }
    row.members += r.members
    months.set(key, row)
  }
  const flows = rows.filter((r) => r.from !== null).map((r) => ({ month: r.month, store_id: r.store, from_stage: r.from!, to_stage: r.to, members: r.members }))
  await history.replaceLifecycleHistory(trx, ends[1]!.month, all[1]!.month, [...months.values()], flows)
  await saveMetaValue(trx, HISTORY_KEY, JSON.stringify({ days, asOf, at, timezone } satisfies HistoryState))
  return { months: ends.length - 1 }
}
