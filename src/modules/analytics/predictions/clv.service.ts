import type { Db, Engine } from '../../../db/database.js'
import { actorName, assertCan, type Actor } from '../../../shared/actor.js'
import { scopeOf } from '../../../shared/scope.js'
import type { Clock } from '../../../shared/clock.js'
import { unprocessable } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { addDays, dateIn, isLocalDate } from '../../../shared/time.js'
import {
  bgNbdRefusal, conditionalExpectedPurchases, customerLifetimeValue, fitBgNbd, fitGammaGamma, gammaGammaRefusal, probabilityAlive,
  type BgNbdFit, type ClvRefusal, type GammaGammaFit, type PurchaseHistory, type SpendHistory,
} from './clv-model.js'
import * as repo from './clv.repository.js'
import { INSIGHT_SETTINGS_KEY } from '../classes/classes-settings.js'
import { findMetaValue } from '../classes/classes.repository.js'
import { parseSettings } from '../classes/classify.js'

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

const dayNumber = (v: string) => Date.parse(`${v}T00:00:00Z`) / 86_400_000
const UNIT_DAYS: Record<ClvUnit, number> = { day: 1, week: 7 }
const REFUSALS: Record<ClvRefusal, string> = {
  CLV_INVALID_HISTORY: 'the purchase histories are not consistent',
  CLV_NO_CUSTOMERS: 'no member bought on or before this date',
  CLV_NO_REPEAT_PURCHASES: 'no member bought a second time by this date',
  CLV_TOO_FEW_REPEAT_CUSTOMERS: 'too few members bought a second time by this date to fit the model (at least 30)',
  CLV_NO_SPEND_VARIATION: 'every repeat purchase has the same value',
}

const checkInput = (input: ClvFitInput): ClvUnit => {
  const unit = input.unit ?? 'week'
  if (!isLocalDate(input.calibrationEnd)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'calibrationEnd', reason: 'must be a date YYYY-MM-DD' }])
  if (input.holdoutEnd !== undefined) {
    if (!isLocalDate(input.holdoutEnd)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'holdoutEnd', reason: 'must be a date YYYY-MM-DD' }])
    if (input.holdoutEnd <= input.calibrationEnd) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'holdoutEnd', reason: 'must be after the calibration end' }])
  }
  if (!(unit in UNIT_DAYS)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'unit', reason: 'must be day or week' }])
  return unit
}

interface Fitted {
  bg: BgNbdFit
  gg: GammaGammaFit | null
  ggRefusal: ClvRefusal | null
  groups: repo.PurchaseGroup[]
  members: number
  repeatMembers: number
}

/** BG/NBD and Gamma-Gamma on the members' purchase days to the calibration end (time in `per` days). */
const fitModels = async (db: Db, scope: repo.PurchaseScope, per: number, field: 'calibrationEnd' | 'asOf'): Promise<Fitted> => {
  const { purchases, spends } = await repo.purchaseGroups(db, scope)
  const histories: PurchaseHistory[] = purchases.map((g) => ({ x: g.x, tx: g.txDays / per, T: g.ageDays / per, count: g.members }))
  const refusal = bgNbdRefusal(histories)
  if (refusal) throw unprocessable(refusal, [{ field, reason: REFUSALS[refusal] }])
  const bg = fitBgNbd(histories)
  const values: SpendHistory[] = spends.map((g) => ({ x: g.x, m: g.repeatSpend / g.x, count: g.members }))
  const ggRefusal = gammaGammaRefusal(values)
  return {
    bg, gg: ggRefusal ? null : fitGammaGamma(values), ggRefusal, groups: purchases,
    members: purchases.reduce((s, g) => s + g.members, 0), repeatMembers: purchases.reduce((s, g) => s + (g.x > 0 ? g.members : 0), 0),
  }
}

const resultOf = (f: Fitted, unit: ClvUnit, calibrationEnd: string): ClvFitResult => ({
  model: 'bg/nbd', r: f.bg.r, alpha: f.bg.alpha, a: f.bg.a, b: f.bg.b, logLikelihood: f.bg.logLikelihood,
  members: f.members, repeatMembers: f.repeatMembers, unit, calibrationEnd,
  gammaGamma: f.gg ? { p: f.gg.p, q: f.gg.q, gamma: f.gg.gamma, logLikelihood: f.gg.logLikelihood, members: f.gg.customers } : { refused: f.ggRefusal! },
  seconds: 0,
})

export interface ScoreInput {
  /** the last business day of the purchases fitted (default: today in the chain's zone) */
  asOf?: string
  /** the CLV's horizon in months (default: HQ's setting, 洞察设置, 12 unless changed) */
  horizonMonths?: number
  /** the yearly discount rate of the CLV (default: HQ's setting, 0.1 = 10 % a year unless changed) */
  discountRate?: number
}

export interface ScoreResult {
  fitId: string
  fit: ClvFitResult
  horizonMonths: number
  discountRate: number
  /** members whose predictions were written */
  scored: number
  fittedAt: string
}

const MONTH_DAYS = 365.25 / 12
/** The holdout a stored check uses unless told: the last 26 weeks. */
const DEFAULT_HOLDOUT_WEEKS = 26
const CHECKS_KEPT = 10

/** A stored calibration / holdout check. */
export interface StoredCheck {
  id: string
  checkedAt: string
  regionId: string | null
  createdBy: string
  /** the fit up to the calibration end, with its holdout comparison */
  result: ClvFitResult
}

export interface StoredFit {
  id: string
  fittedAt: string
  calibrationEnd: string
  scored: number
  horizonMonths: number
  discountRate: number
  result: ClvFitResult
}

/** P(alive) below this is a churn risk (the member page and the at-risk list). */
export const AT_RISK_BELOW_PM = 300
const AT_RISK_LIMIT = 50

export interface ClvOverview {
  fit: StoredFit | null
  /** the members the fit scored (in the actor's stores), per tenth of P(alive): 0 = below 10 % … 9 = 90 % or more */
  bands: Array<{ band: number; members: number; clv: number; expected365: number }>
  totals: { members: number; clv: number; expected365: number }
  atRiskBelowPm: number
  /** the members most worth winning back: P(alive) below the line, the highest CLV first */
  atRisk: Array<{
    memberId: string; cardNo: string; name: string | null; storeId: string | null; pAlivePm: number; clv: number | null; expectedValue: number | null
    receiptsTotal: number; recencyDays: number | null; intervalDays: number | null; lastPurchaseAt: string | null
  }>
}

export const createClvService = ({ db, engine, clock, timezone }: { db: Db; engine: Engine; clock: Clock; timezone: string }) => {
  /** The last fit that scored the members, or null before the first. */
  const latest = async (): Promise<StoredFit | null> => {
    const row = await repo.latestFit(db)
    if (!row) return null
    const stored = JSON.parse(row.result) as { fit: ClvFitResult; horizonMonths: number; discountRate: number }
    return { id: row.id, fittedAt: row.fitted_at, calibrationEnd: row.calibration_end, scored: row.scored, horizonMonths: stored.horizonMonths, discountRate: stored.discountRate, result: stored.fit }
  }

  /** The CLV page: the last fit, its members by P(alive) with their CLV, and the at-risk list (the actor's stores). */
  const overview = async (actor: Actor): Promise<ClvOverview> => {
    assertCan(actor, 'insight.read')
    const fit = await latest()
    const empty = { fit, bands: [], totals: { members: 0, clv: 0, expected365: 0 }, atRiskBelowPm: AT_RISK_BELOW_PM, atRisk: [] }
    if (!fit) return empty
    const scope = scopeOf(actor)
    const [bands, risk] = await Promise.all([repo.pAliveBands(db, fit.id, scope), repo.atRiskMembers(db, fit.id, scope, AT_RISK_BELOW_PM, AT_RISK_LIMIT)])
    const all = Array.from({ length: 10 }, (_, band) => bands.find((b) => b.band === band) ?? { band, members: 0, clv: 0, expected365: 0 })
    return {
      ...empty,
      bands: all,
      totals: { members: sum(all, 'members'), clv: sum(all, 'clv'), expected365: Math.round(sum(all, 'expected365') * 10) / 10 },
      atRisk: risk.map((r) => ({
        memberId: r.member_id, cardNo: r.card_no, name: r.name_masked, storeId: r.registration_store_id, pAlivePm: Number(r.p_alive_pm),
        clv: r.clv === null ? null : Number(r.clv), expectedValue: r.expected_value === null ? null : Number(r.expected_value),
        receiptsTotal: Number(r.receipts_total), recencyDays: r.recency_days === null ? null : Number(r.recency_days),
        intervalDays: r.interval_days === null ? null : Math.round(Number(r.interval_days) * 10) / 10, lastPurchaseAt: r.last_purchase_at,
      })),
    }
  }

  const fits = fitting({ db, engine, clock, timezone })

  /**
   * The calibration / holdout check, stored (CHECKS_KEPT kept): fits on the purchases up to the
   * calibration end (default 26 weeks before today) and sets the purchase days predicted for the
   * members in the holdout (to the holdout end, default today) beside those made, by repeat
   * purchases before the calibration end and in total — the CLV page's chart.
   */
  const check = async (actor: Actor, input: Partial<ClvFitInput> = {}): Promise<StoredCheck> => {
    assertCan(actor, 'insight.manage')
    const today = dateIn(clock.now(), timezone)
    const holdoutEnd = input.holdoutEnd ?? today
    const calibrationEnd = input.calibrationEnd ?? (isLocalDate(holdoutEnd) ? addDays(holdoutEnd, -7 * DEFAULT_HOLDOUT_WEEKS) : holdoutEnd)
    const result = await fits.fit(actor, { ...input, calibrationEnd, holdoutEnd, unit: input.unit ?? 'week' })
    const stored: StoredCheck = { id: newId('clc'), checkedAt: clock.now().toISOString(), regionId: input.regionId ?? null, createdBy: actorName(actor), result }
    await db.transaction().execute(async (trx) => {
      await repo.insertCheck(trx, {
        id: stored.id, checked_at: stored.checkedAt, calibration_end: calibrationEnd, holdout_end: holdoutEnd, region_id: stored.regionId,
        result: JSON.stringify(result), created_by: stored.createdBy,
      })
      await repo.pruneChecks(trx, CHECKS_KEPT)
    })
    return stored
  }

  /** The newest stored check, or null before the first. */
  const latestCheck = async (actor: Actor): Promise<StoredCheck | null> => {
    assertCan(actor, 'insight.read')
    const row = await repo.latestCheck(db)
    return row ? { id: row.id, checkedAt: row.checked_at, regionId: row.region_id, createdBy: row.created_by, result: JSON.parse(row.result) as ClvFitResult } : null
  }

  return { latest, overview, check, latestCheck, ...fits }
}

const sum = <K extends string>(rows: ReadonlyArray<Record<K, number>>, key: K) => rows.reduce((s, r) => s + r[key], 0)

/** Fitting and scoring (the part of the service that computes). */
const fitting = ({ db, engine, clock, timezone }: { db: Db; engine: Engine; clock: Clock; timezone: string }) => ({

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
    const fitted = await fitModels(db, input, per, 'calibrationEnd')
    const result = resultOf(fitted, unit, input.calibrationEnd)
    if (input.holdoutEnd) {
      const length = (dayNumber(input.holdoutEnd) - dayNumber(input.calibrationEnd)) / per
      const buckets = new Map<string, HoldoutRow>()
      for (const g of fitted.groups) {
        const repeats = g.x >= 7 ? '7+' : String(g.x)
        const row = buckets.get(repeats) ?? { repeats, members: 0, actual: 0, predicted: 0 }
        row.members += g.members
        row.actual += g.holdout * g.members
        row.predicted += conditionalExpectedPurchases(fitted.bg, { x: g.x, tx: g.txDays / per, T: g.ageDays / per }, length) * g.members
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

  /**
   * Fits both models on every purchase to the as-of date and writes each member's predictions
   * beside the insight figures: P(alive), the purchases expected in the next 30, 90 and 365 days,
   * the expected value of a purchase and the CLV over the horizon, discounted monthly. The fit is
   * kept (clv_fits) with its parameters and settings. Refuses (422) when the data are too few.
   */
  score: async (actor: Actor, input: ScoreInput = {}): Promise<ScoreResult> => {
    assertCan(actor, 'insight.manage')
    const asOf = input.asOf ?? dateIn(clock.now(), timezone)
    const settings = input.horizonMonths === undefined || input.discountRate === undefined ? parseSettings(await findMetaValue(db, INSIGHT_SETTINGS_KEY)).clv : null
    const horizonMonths = input.horizonMonths ?? settings!.horizonMonths
    const discountRate = input.discountRate ?? settings!.discountRate
    if (!isLocalDate(asOf)) throw unprocessable('CLV_INVALID_INPUT', [{ field: 'asOf', reason: 'must be a date YYYY-MM-DD' }])
    if (!(Number.isInteger(horizonMonths) && horizonMonths >= 1 && horizonMonths <= 120)) {
      throw unprocessable('CLV_INVALID_INPUT', [{ field: 'horizonMonths', reason: 'must be a whole number of months from 1 to 120' }])
    }
    if (!(Number.isFinite(discountRate) && discountRate >= 0 && discountRate <= 1)) {
      throw unprocessable('CLV_INVALID_INPUT', [{ field: 'discountRate', reason: 'must be a yearly rate from 0 to 1' }])
    }
    const started = performance.now()
    const per = UNIT_DAYS.week
    const fitted = await fitModels(db, { calibrationEnd: asOf }, per, 'asOf')
    const horizon = { periods: horizonMonths, periodLength: MONTH_DAYS / per, discountRate: (1 + discountRate) ** (1 / 12) - 1 }
    const seen = new Set<string>()
    const groups: repo.GroupPrediction[] = []
    for (const g of fitted.groups) {
      const key = `${g.x}:${g.txDays}:${g.ageDays}`
      if (seen.has(key)) continue
      seen.add(key)
      const h = { x: g.x, tx: g.txDays / per, T: g.ageDays / per }
      groups.push({
        x: g.x, txDays: g.txDays, ageDays: g.ageDays,
        pAlivePm: Math.round(1000 * probabilityAlive(fitted.bg, h)),
        expected30: conditionalExpectedPurchases(fitted.bg, h, 30 / per),
        expected90: conditionalExpectedPurchases(fitted.bg, h, 90 / per),
        expected365: conditionalExpectedPurchases(fitted.bg, h, 365 / per),
        discountedPurchases: customerLifetimeValue(fitted.bg, h, 1, horizon),
      })
    }
    // q ≤ 1: the spread of values has no mean, so no value is expected (the CLV stays empty).
    const value = fitted.gg && fitted.gg.q > 1 ? { p: fitted.gg.p, q: fitted.gg.q, gamma: fitted.gg.gamma } : null
    const fit = resultOf(fitted, 'week', asOf)
    const fitId = newId('clf')
    const fittedAt = clock.now().toISOString()
    const scored = await db.transaction().execute(async (trx) => {
      const n = await repo.writePredictions(trx, engine, { calibrationEnd: asOf }, fitId, groups, value)
      fit.seconds = Math.round(performance.now() - started) / 1000
      await repo.insertFit(trx, {
        id: fitId, fitted_at: fittedAt, calibration_end: asOf, members: fit.members, scored: n,
        result: JSON.stringify({ fit, horizonMonths, discountRate }), created_by: actorName(actor),
      })
      return n
    })
    return { fitId, fit, horizonMonths, discountRate, scored, fittedAt }
  },
})

export type ClvService = ReturnType<typeof createClvService>
