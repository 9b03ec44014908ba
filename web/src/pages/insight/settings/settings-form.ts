// The insight settings as the form edits them: the API's shape (so a 400's field, e.g.
// `rfm.fixed.m.2`, names the form field), with money in yuan instead of fen, the CLV's discount
// rate in % instead of a fraction, and empty inputs as null (= derived by the refresh).

export type IncomeBand = 'below_3k' | '3k_5k' | '5k_8k' | '8k_12k' | '12k_20k' | '20k_plus'
/** four cut points (the API checks the count and the order) */
type Cuts = number[]
type FormCuts = [number | null, number | null, number | null, number | null]

interface Levels { method: 'tercile' | 'fixed'; mid: number | null; high: number | null }

/** The settings as GET/PUT /insight/settings carry them (money in fen). */
export interface InsightSettings {
  windowDays: number
  rfm: { method: 'quintile' | 'fixed'; fixed: { r: Cuts; f: Cuts; m: Cuts } | null }
  quadrant: { incomeThreshold: IncomeBand | null; spendThreshold: number | null }
  frequency: Levels
  amount: Levels
  lifecycle: { newDays: number | null; dormantDays: number | null; lostDays: number | null }
  /** the CLV the nightly scoring writes: over this many months, at this yearly discount rate (0.1 = 10 %) */
  clv: { horizonMonths: number; discountRate: number }
}

/** What the form holds: the same names, yuan for money, any input possibly empty. */
export interface SettingsForm {
  windowDays: number | null
  /** `fixed` is absent from a form that never showed the cut inputs */
  rfm: { method: 'quintile' | 'fixed'; fixed?: { r: FormCuts; f: FormCuts; m: FormCuts } }
  quadrant: { incomeThreshold: IncomeBand | null; spendThreshold: number | null }
  frequency: Levels
  amount: Levels
  lifecycle: { newDays: number | null; dormantDays: number | null; lostDays: number | null }
  /** the discount rate in % a year (10 = 0.1) */
  clv: { horizonMonths: number | null; discountRate: number | null }
}

/** The cut points the last full refresh used, to start fixed cuts from (money in fen). */
export interface CutsInForce {
  r: readonly number[]
  f: readonly number[]
  m: readonly number[]
}

const yuan = (fen: number | null): number | null => (fen === null ? null : fen / 100)
/** A yearly rate as the form shows it, in % to two decimals: 0.1 → 10, 0.0725 → 7.25. */
export const ratePercent = (rate: number): number => Math.round(rate * 10_000) / 100
/** …and back: 7.25 → 0.0725 (an empty input stays empty for the server to name). */
export const rateOf = (percent: number | null | undefined): number | null =>
  (percent === null || percent === undefined ? null : Math.round(percent * 100) / 10_000)
const fen = (y: number | null | undefined): number | null => (y === null || y === undefined ? null : Math.round(y * 100))
const four = <T>(values: readonly T[] | null | undefined, map: (v: T) => number | null): FormCuts => {
  const out: FormCuts = [null, null, null, null]
  values?.slice(0, 4).forEach((v, i) => { out[i] = map(v) })
  return out
}

/**
 * Whole cut points made strictly ascending (each at least one above the one before): quintile
 * cuts may tie where a score is empty, and fixed cuts must not.
 */
export const ascending = (values: readonly number[]): number[] => {
  const out: number[] = []
  for (const v of values) out.push(out.length > 0 ? Math.max(Math.round(v), out[out.length - 1]! + 1) : Math.round(v))
  return out
}

/** The form's values from the settings; fixed RFM cuts not set yet start from the cuts in force. */
export const toForm = (s: InsightSettings, inForce?: CutsInForce | null): SettingsForm => ({
  windowDays: s.windowDays,
  rfm: {
    method: s.rfm.method,
    fixed: {
      r: four(s.rfm.fixed?.r ?? (inForce && ascending(inForce.r)), (v) => v),
      f: four(s.rfm.fixed?.f ?? (inForce && ascending(inForce.f)), (v) => v),
      m: four(s.rfm.fixed?.m ?? (inForce && ascending(inForce.m)), (v) => v / 100),
    },
  },
  quadrant: { incomeThreshold: s.quadrant.incomeThreshold, spendThreshold: yuan(s.quadrant.spendThreshold) },
  frequency: { ...s.frequency },
  amount: { method: s.amount.method, mid: yuan(s.amount.mid), high: yuan(s.amount.high) },
  lifecycle: { ...s.lifecycle },
  clv: { horizonMonths: s.clv.horizonMonths, discountRate: ratePercent(s.clv.discountRate) },
})

const orNull = (v: number | null | undefined): number | null => (v === undefined ? null : v)

/**
 * The PUT body from the form. Fixed RFM cuts are sent only with the fixed method (incomplete ones
 * too, so the server names the missing cut): with quintiles the cut inputs are hidden, and cuts
 * started from the quintiles in force may tie, which the server would refuse on a field not on
 * screen. A level's thresholds are sent only with its fixed method.
 */
export const toBody = (f: SettingsForm): InsightSettings => {
  const fixed = {
    r: four(f.rfm.fixed?.r, orNull),
    f: four(f.rfm.fixed?.f, orNull),
    m: four(f.rfm.fixed?.m, fen),
  }
  const levels = (l: Levels, money: boolean): Levels => (l.method === 'fixed'
    ? { method: 'fixed', mid: money ? fen(l.mid) : orNull(l.mid), high: money ? fen(l.high) : orNull(l.high) }
    : { method: 'tercile', mid: null, high: null })
  return {
    windowDays: f.windowDays as number,
    rfm: {
      method: f.rfm.method,
      fixed: f.rfm.method === 'fixed' ? fixed as unknown as { r: Cuts; f: Cuts; m: Cuts } : null,
    },
    quadrant: { incomeThreshold: f.quadrant.incomeThreshold ?? null, spendThreshold: fen(f.quadrant.spendThreshold) },
    frequency: levels(f.frequency, false),
    amount: levels(f.amount, true),
    lifecycle: { newDays: orNull(f.lifecycle.newDays), dormantDays: orNull(f.lifecycle.dormantDays), lostDays: orNull(f.lifecycle.lostDays) },
    // empty inputs are sent as they are, so the server names the field
    clv: { horizonMonths: orNull(f.clv.horizonMonths) as number, discountRate: rateOf(f.clv.discountRate) as number },
  }
}

/** A server field (`rfm.fixed.r.2`) as the form's name path (`['rfm', 'fixed', 'r', 2]`). */
export const namePath = (field: string): (string | number)[] =>
  field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part))

export type ReasonKey = 'atLeast' | 'atMost' | 'range' | 'rangeYuan' | 'rangePercent' | 'ascending' | 'fourCuts' | 'required' | 'aboveMid' | 'lostAfterDormant' | 'newNotAboveDormant' | 'unknownBand'

/** The fields the form shows in yuan (the API takes fen). */
export const isMoneyField = (field: string): boolean =>
  /^(rfm\.fixed\.m(\.\d+)?|quadrant\.spendThreshold|amount\.(mid|high))$/.test(field)

/** The fields the form shows in % (the API takes a fraction). */
export const isPercentField = (field: string): boolean => field === 'clv.discountRate'

/**
 * The server's reason (English, in its units) as a translation key with its values, money in
 * yuan as the form shows it; null for a reason not known here (shown as the server sent it).
 */
export const reasonOf = (reason: string, field = ''): { key: ReasonKey; values?: Record<string, string | number> } | null => {
  const bound = /^must be ([<>])= (-?\d+)$/.exec(reason)
  if (bound) {
    const n = Number(bound[2])
    const shown = isMoneyField(field) ? n / 100 : isPercentField(field) ? ratePercent(n) : n
    return { key: bound[1] === '>' ? 'atLeast' : 'atMost', values: { n: isPercentField(field) ? `${shown}%` : shown } }
  }
  const range = /^(days|receipts|fen|months), a whole number from (\d+) to (\d+)$/.exec(reason)
  if (range) {
    const [, unit, min, max] = range
    return unit === 'fen'
      ? { key: 'rangeYuan', values: { min: Number(min) / 100, max: Number(max) / 100 } }
      : { key: 'range', values: { min: Number(min), max: Number(max) } }
  }
  if (reason === 'a yearly rate from 0 to 1') return { key: 'rangePercent', values: { min: 0, max: 100 } }
  if (reason.startsWith('cut points must be in ascending order')) return { key: 'ascending' }
  if (reason === 'four cut points') return { key: 'fourCuts' }
  if (reason === 'is required with the fixed method') return { key: 'required' }
  if (reason === 'must be above mid') return { key: 'aboveMid' }
  if (reason === 'must be more than dormantDays') return { key: 'lostAfterDormant' }
  if (reason === 'must not be more than dormantDays') return { key: 'newNotAboveDormant' }
  if (reason.startsWith('unknown income band')) return { key: 'unknownBand' }
  return null
}
