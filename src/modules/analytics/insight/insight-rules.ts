import { addDays } from '../../../shared/time.js'

/** The window when HQ has set none (issue 12 §1: the last 12 months). */
export const DEFAULT_WINDOW_DAYS = 365
export const MAX_WINDOW_DAYS = 3660

/** Meta key of the insight settings (written by the classes' settings; only read here). */
export const SETTINGS_KEY = 'insight.settings'
/** Meta key of the refresh's state: its as-of date, when it last ran, and its watermark. */
export const STATE_KEY = 'insight.refresh'

/**
 * How far before the last run's start an incremental refresh reads again: a transaction that
 * was still open then (its created_at taken at its start) committed after the run read the
 * watermark, and would otherwise be missed. Members are recomputed whole, so reading a receipt
 * twice changes nothing.
 */
export const OVERLAP_MS = 60_000

export interface RefreshState {
  asOf: string | null
  windowDays: number | null
  lastFullAt: string | null
  lastIncrementalAt: string | null
  /** the last receipt seen (created_at, id) */
  watermark: { createdAt: string; id: string } | null
  /** the last members.updated_at seen */
  membersAt: string | null
}

export const EMPTY_STATE: RefreshState = { asOf: null, windowDays: null, lastFullAt: null, lastIncrementalAt: null, watermark: null, membersAt: null }


export { addDays }

/** The window's business dates: (asOf − days, asOf], i.e. from asOf − days + 1 to asOf inclusive. */
export const windowOf = (asOf: string, days: number): { from: string; to: string } => ({ from: addDays(asOf, 1 - days), to: asOf })

/** The window length from the settings' JSON; the default when absent or not a sensible number. */
export const windowDaysOf = (settings: string | undefined): number => {
  if (!settings) return DEFAULT_WINDOW_DAYS
  try {
    const days = (JSON.parse(settings) as { windowDays?: unknown }).windowDays
    return typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= MAX_WINDOW_DAYS ? days : DEFAULT_WINDOW_DAYS
  } catch {
    return DEFAULT_WINDOW_DAYS
  }
}

export const parseState = (value: string | undefined): RefreshState => {
  if (!value) return { ...EMPTY_STATE }
  try {
    return { ...EMPTY_STATE, ...(JSON.parse(value) as Partial<RefreshState>) }
  } catch {
    return { ...EMPTY_STATE }
  }
}

export type FullReason = 'requested' | 'first' | 'new_day' | 'window_changed'

/** Why an incremental refresh must be a full one, or null when it may stay incremental. */
export const fullReason = (state: RefreshState, asOf: string, windowDays: number, requested: boolean): FullReason | null => {
  if (requested) return 'requested'
  if (!state.lastFullAt || !state.asOf) return 'first'
  // Recency and the window move for everyone when the day turns.
  if (state.asOf !== asOf) return 'new_day'
  if (state.windowDays !== windowDays) return 'window_changed'
  return null
}

/** ISO time `ms` earlier. */
export const earlier = (iso: string, ms: number): string => new Date(Date.parse(iso) - ms).toISOString()

/** Age band at `asOf` from a YYYY-MM-DD birthday (the same bands the refresh writes). */
export const ageBand = (birthday: string | null, asOf: string): string | null => {
  if (!birthday || birthday.length < 10) return null
  const age = Number(asOf.slice(0, 4)) - Number(birthday.slice(0, 4)) - (birthday.slice(5) > asOf.slice(5) ? 1 : 0)
  if (age < 18) return '<18'
  if (age < 25) return '18-24'
  if (age < 35) return '25-34'
  if (age < 45) return '35-44'
  if (age < 55) return '45-54'
  if (age < 65) return '55-64'
  return '65+'
}

/**
 * Where an incremental refresh reads from: receipts strictly after the watermark, or from the
 * last run's start less the overlap when that is earlier (and the same for members' records).
 */
export const readFrom = (state: RefreshState): {
  receipts: { after: { createdAt: string; id: string } } | { since: string }
  members: { after: string } | { since: string }
  /** points entries of gifts and draws: from the last run's start less the overlap */
  redemptions: { since: string }
} => {
  const lastRun = [state.lastFullAt, state.lastIncrementalAt].filter((v): v is string => v !== null).sort().at(-1)
  const since = lastRun ? earlier(lastRun, OVERLAP_MS) : ''
  const receipts = !state.watermark ? { since: '' } : state.watermark.createdAt < since ? { after: state.watermark } : { since }
  const members = !state.membersAt ? { since: '' } : state.membersAt < since ? { after: state.membersAt } : { since }
  return { receipts, members, redemptions: { since } }
}
