import type { Db } from '../../../db/database.js'
import { assertCan, type Actor } from '../../../shared/actor.js'
import { unprocessable } from '../../../shared/errors.js'
import {
  bgNbdRefusal, conditionalExpectedPurchases, fitBgNbd, fitGammaGamma, gammaGammaRefusal,
  type ClvRefusal, type PurchaseHistory, type SpendHistory,
} from './clv-model.js'
import * as repo from './clv.repository.js'

export type ClvUnit = 'day' | 'week'

export interface ClvFitInput {
  /** the last business day of the calibration period (YYYY-MM-DD) */
  calibrationEnd: string
  /** the last business day of the holdout period: predicted against actual when given */
  holdoutEnd?: string
  unit?: ClvUnit
  /** the members who registered in this region's stores only */
  regionId?: string
}

export interface HoldoutRow {
  /** repeat purchases in the calibration period: '0' … '6', then '7+' */
  repeats: string
  members: number
  /** purchase days in the holdout period, summed over the row's members */
  actual: number
  predicted: number
}

export interface ClvFitResult {
  model: 'bg/nbd'
  r: number
  alpha: number
  a: number
  b: number
  logLikelihood: number
  /** members fitted: those whose first purchase is on or before the calibration end */
  members: number
  /** of them, members with a repeat purchase */
  repeatMembers: number
  unit: ClvUnit
  calibrationEnd: string
  /** the Gamma-Gamma spend model (values in fen), or why it was not fitted */
  gammaGamma: { p: number; q: number; gamma: number; logLikelihood: number; members: number } | { refused: ClvRefusal }
  holdout?: {
    end: string
    /** the holdout's length in the unit */
    length: number
    actual: number
    predicted: number
    byRepeats: HoldoutRow[]
  }
  seconds: number
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const isDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v
const dayNumber = (v: string) => Date.parse(`${v}T00:00:00Z`) / 86_400_000
const UNIT_DAYS: Record<ClvUnit, number> = { day: 1, week: 7 }
const REFUSALS: Record<ClvRefusal, string> = {
  CLV_INVALID_HISTORY: 'the purchase histories are not consistent',
  CLV_NO_CUSTOMERS: 'no member bought on or before the calibration end',
  CLV_NO_REPEAT_PURCHASES: 'no member bought again before the calibration end',
  CLV_TOO_FEW_REPEAT_CUSTOMERS: 'too few members bought again before the calibration end to fit the model (at least 30)',
  CLV_NO_SPEND_VARIATION: 'every repeat purchase has the same value',
}

const checkInput = (input: ClvFitInput): ClvUnit => {
  const unit = input.unit ?? 'week'
  if (!isDate(input.calibrationEnd)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'calibrationEnd', reason: 'must be a date YYYY-MM-DD' }])
  if (input.holdoutEnd !== undefined) {
    if (!isDate(input.holdoutEnd)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'holdoutEnd', reason: 'must be a date YYYY-MM-DD' }])
    if (input.holdoutEnd <= input.calibrationEnd) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'holdoutEnd', reason: 'must be after the calibration end' }])
  }
  if (!(unit in UNIT_DAYS)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'unit', reason: 'must be day or week' }])
  return unit
}

/** Identical members' rows collapsed into one with a count: the fits' cost follows the distinct histories. */
const collapse = <T extends object>(items: Iterable<T>, key: (t: T) => string): Array<T & { count: number }> => {
  const out = new Map<string, T & { count: number }>()
  for (const item of items) {
    const k = key(item)
    const seen = out.get(k)
    if (seen) seen.count++
    else out.set(k, { ...item, count: 1 })
  }
  return [...out.values()]
}

export const createClvService = ({ db }: { db: Db }) => ({
  /**
   * Fits BG/NBD on the members' purchase days up to the calibration end (x, t_x and T from each
   * member's first purchase day) and Gamma-Gamma on the repeat members' mean repeat purchase
   * value; with a holdout end, the purchase days each member is expected to make after the
   * calibration end beside those made. Refuses (422) when the data are too few.
   */
  fit: async (actor: Actor, input: ClvFitInput): Promise<ClvFitResult> => {
    assertCan(actor, 'insight.read')
    const unit = checkInput(input)
    const started = performance.now()
    const per = UNIT_DAYS[unit]
    const rows = await repo.memberPurchaseDays(db, input)
    const histories: Array<PurchaseHistory & { count: number }> = collapse(
      rows.map((r) => ({ x: r.x, tx: r.txDays / per, T: r.ageDays / per })), (h) => `${h.x}:${h.tx}:${h.T}`)
    const refusal = bgNbdRefusal(histories)
    if (refusal) throw unprocessable(refusal, [{ field: 'calibrationEnd', reason: REFUSALS[refusal] }])
    const bg = fitBgNbd(histories)
    const spends: SpendHistory[] = collapse(rows.filter((r) => r.x > 0 && r.repeatSpend > 0).map((r) => ({ x: r.x, spend: r.repeatSpend })), (s) => `${s.x}:${s.spend}`)
      .map((s) => ({ x: s.x, m: s.spend / s.x, count: s.count }))
    const ggRefusal = gammaGammaRefusal(spends)
    const gg = ggRefusal ? null : fitGammaGamma(spends)
    const result: ClvFitResult = {
      model: 'bg/nbd', r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, logLikelihood: bg.logLikelihood,
      members: rows.length, repeatMembers: rows.filter((r) => r.x > 0).length, unit, calibrationEnd: input.calibrationEnd,
      gammaGamma: gg ? { p: gg.p, q: gg.q, gamma: gg.gamma, logLikelihood: gg.logLikelihood, members: gg.customers } : { refused: ggRefusal! },
      seconds: 0,
    }
    if (input.holdoutEnd) {
      const length = (dayNumber(input.holdoutEnd) - dayNumber(input.calibrationEnd)) / per
      const buckets = new Map<string, HoldoutRow>()
      const groups = collapse(rows.map((r) => ({ x: r.x, tx: r.txDays / per, T: r.ageDays / per, holdout: r.holdout })), (h) => `${h.x}:${h.tx}:${h.T}:${h.holdout}`)
      for (const g of groups) {
        const repeats = g.x >= 7 ? '7+' : String(g.x)
        const row = buckets.get(repeats) ?? { repeats, members: 0, actual: 0, predicted: 0 }
        row.members += g.count
        row.actual += g.holdout * g.count
        row.predicted += conditionalExpectedPurchases(bg, g, length) * g.count
        buckets.set(repeats, row)
      }
      const byRepeats = [...buckets.values()].sort((p, q) => (p.repeats === '7+' ? 7 : Number(p.repeats)) - (q.repeats === '7+' ? 7 : Number(q.repeats)))
      result.holdout = {
        end: input.holdoutEnd, length,
        actual: byRepeats.reduce((s, r) => s + r.actual, 0), predicted: byRepeats.reduce((s, r) => s + r.predicted, 0), byRepeats,
      }
    }
    result.seconds = Math.round(performance.now() - started) / 1000
    return result
  },
})

export type ClvService = ReturnType<typeof createClvService>
