import type { ErrorDetail } from '../../../shared/errors.js'
import { INCOME_BANDS, type IncomeBand } from '../../members/index.js'

/** Four ascending cut points: the least value of scores 2, 3, 4 and 5 (R: the most days of scores 5, 4, 3 and 2). */
export type Cuts4 = [number, number, number, number]

/**
 * What HQ sets for the classes (meta key `insight.settings`). A null threshold means "derived
 * from the chain's own data at each full refresh" (the derivation is in classes-rules.ts and
 * the README); a number overrides it.
 */
export interface InsightSettings {
  /** the window the `_w` figures cover: business dates in (asOf − windowDays, asOf] */
  windowDays: number
  rfm: {
    method: 'quintile' | 'fixed'
    /**
     * For `fixed`: R in days since the last purchase (score 5 if ≤ r[0], 4 if ≤ r[1], 3 if ≤ r[2],
     * 2 if ≤ r[3], else 1); F in receipts and M in fen (score 2 if ≥ f[0], 3 if ≥ f[1], 4 if
     * ≥ f[2], 5 if ≥ f[3], else 1). Each strictly ascending.
     */
    fixed: { r: Cuts4; f: Cuts4; m: Cuts4 } | null
  }
  quadrant: {
    /** high income: this band or above; null = the median member's band */
    incomeThreshold: IncomeBand | null
    /** fen of spend in the window: high spend at or above; null = the median of members who bought */
    spendThreshold: number | null
  }
  /** 高频/中频/低频 by receipts in the window: high ≥ high, mid ≥ mid; `tercile` derives both */
  frequency: LevelSettings
  /** 高/中/低 消费 by spend in the window (fen), as frequency */
  amount: LevelSettings
  /** days; null = derived from the chain's purchase intervals */
  lifecycle: { newDays: number | null; dormantDays: number | null; lostDays: number | null }
  /** the lifetime value the nightly fit writes: over this many months, discounted at this yearly rate */
  clv: { horizonMonths: number; discountRate: number }
}

export interface LevelSettings {
  method: 'tercile' | 'fixed'
  mid: number | null
  high: number | null
}

export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  windowDays: 365,
  rfm: { method: 'quintile', fixed: null },
  quadrant: { incomeThreshold: null, spendThreshold: null },
  frequency: { method: 'tercile', mid: null, high: null },
  amount: { method: 'tercile', mid: null, high: null },
  lifecycle: { newDays: null, dormantDays: null, lostDays: null },
  clv: { horizonMonths: 12, discountRate: 0.1 },
}

export const INSIGHT_SETTINGS_KEY = 'insight.settings'
export const INSIGHT_CUTS_KEY = 'insight.cuts'

const MAX_DAYS = 3650
const MAX_FEN = 10_000_000_000
const MAX_RECEIPTS = 100_000

/** Stored settings over the defaults (a key missing from an older document takes its default). */
export const withDefaults = (stored: Partial<InsightSettings> | null | undefined): InsightSettings => ({
  windowDays: stored?.windowDays ?? DEFAULT_INSIGHT_SETTINGS.windowDays,
  rfm: { ...DEFAULT_INSIGHT_SETTINGS.rfm, ...stored?.rfm },
  quadrant: { ...DEFAULT_INSIGHT_SETTINGS.quadrant, ...stored?.quadrant },
  frequency: { ...DEFAULT_INSIGHT_SETTINGS.frequency, ...stored?.frequency },
  amount: { ...DEFAULT_INSIGHT_SETTINGS.amount, ...stored?.amount },
  lifecycle: { ...DEFAULT_INSIGHT_SETTINGS.lifecycle, ...stored?.lifecycle },
  clv: { ...DEFAULT_INSIGHT_SETTINGS.clv, ...stored?.clv },
})

/** The settings after a change: each section given replaces that section. */
export const mergeSettings = (before: InsightSettings, input: Partial<InsightSettings>): InsightSettings => withDefaults({
  ...before,
  ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
})

const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

const checkCuts = (out: ErrorDetail[], field: string, cuts: unknown, min: number, max: number, unit: string) => {
  if (!Array.isArray(cuts) || cuts.length !== 4) {
    out.push({ field, reason: 'four cut points' })
    return
  }
  cuts.forEach((c, i) => {
    if (!isWhole(c, min, max)) out.push({ field: `${field}.${i}`, reason: `${unit}, a whole number from ${min} to ${max}` })
  })
  for (let i = 1; i < 4; i++) {
    if (isWhole(cuts[i], min, max) && isWhole(cuts[i - 1], min, max) && (cuts[i] as number) <= (cuts[i - 1] as number)) {
      out.push({ field: `${field}.${i}`, reason: 'cut points must be in ascending order, each above the one before' })
    }
  }
}

const checkLevels = (out: ErrorDetail[], field: string, s: LevelSettings, max: number, unit: string) => {
  if (s.method !== 'tercile' && s.method !== 'fixed') out.push({ field: `${field}.method`, reason: 'tercile or fixed' })
  for (const k of ['mid', 'high'] as const) {
    const v = s[k]
    if (v !== null && !isWhole(v, 1, max)) out.push({ field: `${field}.${k}`, reason: `${unit}, a whole number from 1 to ${max}` })
  }
  if (s.method === 'fixed') {
    if (s.mid === null) out.push({ field: `${field}.mid`, reason: 'is required with the fixed method' })
    if (s.high === null) out.push({ field: `${field}.high`, reason: 'is required with the fixed method' })
  }
  if (isWhole(s.mid, 1, max) && isWhole(s.high, 1, max) && s.high <= s.mid) out.push({ field: `${field}.high`, reason: 'must be above mid' })
}

/** Why the settings cannot be used (each problem with its field), or none. */
export const checkSettings = (s: InsightSettings): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (!isWhole(s.windowDays, 1, MAX_DAYS)) out.push({ field: 'windowDays', reason: `days, a whole number from 1 to ${MAX_DAYS}` })
  if (s.rfm.method !== 'quintile' && s.rfm.method !== 'fixed') out.push({ field: 'rfm.method', reason: 'quintile or fixed' })
  if (s.rfm.method === 'fixed' && !s.rfm.fixed) out.push({ field: 'rfm.fixed', reason: 'is required with the fixed method' })
  if (s.rfm.fixed) {
    checkCuts(out, 'rfm.fixed.r', s.rfm.fixed.r, 0, MAX_DAYS, 'days')
    checkCuts(out, 'rfm.fixed.f', s.rfm.fixed.f, 1, MAX_RECEIPTS, 'receipts')
    checkCuts(out, 'rfm.fixed.m', s.rfm.fixed.m, 1, MAX_FEN, 'fen')
  }
  const band = s.quadrant.incomeThreshold
  if (band !== null && !(INCOME_BANDS as readonly string[]).includes(band)) {
    out.push({ field: 'quadrant.incomeThreshold', reason: `unknown income band; one of ${INCOME_BANDS.join(', ')}` })
  }
  if (s.quadrant.spendThreshold !== null && !isWhole(s.quadrant.spendThreshold, 0, MAX_FEN)) {
    out.push({ field: 'quadrant.spendThreshold', reason: `fen, a whole number from 0 to ${MAX_FEN}` })
  }
  checkLevels(out, 'frequency', s.frequency, MAX_RECEIPTS, 'receipts')
  checkLevels(out, 'amount', s.amount, MAX_FEN, 'fen')
  const { newDays, dormantDays, lostDays } = s.lifecycle
  for (const [k, v] of Object.entries(s.lifecycle)) {
    if (v !== null && !isWhole(v, 1, MAX_DAYS)) out.push({ field: `lifecycle.${k}`, reason: `days, a whole number from 1 to ${MAX_DAYS}` })
  }
  if (isWhole(dormantDays, 1, MAX_DAYS) && isWhole(lostDays, 1, MAX_DAYS) && lostDays <= dormantDays) {
    out.push({ field: 'lifecycle.lostDays', reason: 'must be more than dormantDays' })
  }
  if (isWhole(newDays, 1, MAX_DAYS) && isWhole(dormantDays, 1, MAX_DAYS) && newDays > dormantDays) {
    out.push({ field: 'lifecycle.newDays', reason: 'must not be more than dormantDays' })
  }
  if (!isWhole(s.clv.horizonMonths, 1, 120)) out.push({ field: 'clv.horizonMonths', reason: 'months, a whole number from 1 to 120' })
  if (typeof s.clv.discountRate !== 'number' || !Number.isFinite(s.clv.discountRate) || s.clv.discountRate < 0 || s.clv.discountRate > 1) {
    out.push({ field: 'clv.discountRate', reason: 'a yearly rate from 0 to 1' })
  }
  return out
}

export interface LevelCuts {
  method: 'tercile' | 'fixed'
  mid: number
  high: number
}

export interface LifecycleDaysValues {
  newDays: number
  dormantDays: number
  lostDays: number
}

/** The thresholds the last full refresh used (meta key `insight.cuts`): what every page explains. */
export interface InsightCuts {
  asOf: string
  at: string
  windowDays: number
  windowFrom: string
  /** live members classified */
  members: number
  /** members with a purchase in the window: the ones scored */
  scored: number
  rfm: {
    method: 'quintile' | 'fixed'
    /** days: 5 if ≤ r[0], 4 if ≤ r[1], 3 if ≤ r[2], 2 if ≤ r[3], else 1 */
    r: number[]
    /** receipts: 2 if ≥ f[0] … 5 if ≥ f[3], else 1 */
    f: number[]
    /** fen: as f */
    m: number[]
    /** the average scores of the members scored */
    averages: { r: number; f: number; m: number }
  }
  quadrant: { incomeThreshold: IncomeBand | null; spendThreshold: number; incomeDerived: boolean; spendDerived: boolean }
  frequency: LevelCuts
  amount: LevelCuts
  lifecycle: LifecycleDaysValues & {
    derived: LifecycleDaysValues
    overridden: { newDays: boolean; dormantDays: boolean; lostDays: boolean }
    intervals: { members: number; p50: number | null; p80: number | null }
  }
}
