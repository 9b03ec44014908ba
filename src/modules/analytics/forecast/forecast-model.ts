import { unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { minimizeNelderMead } from '../predictions/clv-model.js'

// The weekly demand forecast of issue 13 §4: exponential smoothing (Holt-Winters / ETS) with its
// model chosen by AICc, the seasonal-naive baseline, and a rolling-origin backtest of both.
// Pure math: no I/O, no clock. A series is one value per period (weeks, for the caller), oldest
// first; values in, numbers out (the caller rounds to fen).
//
// The recursions are the component forms of Hyndman & Athanasopoulos, "Forecasting: Principles
// and Practice", 3rd ed.: §8.1 simple exponential smoothing, §8.2 Holt's linear trend and the
// additive damped trend, §8.3 Holt-Winters additive and multiplicative (and damped) seasonality.
// With φ = 1 for an undamped trend and b = 0 without one, all of them are, for t = 1…n:
//   ŷ_t        = (ℓ_{t−1} + φ b_{t−1}) ⊕ s_{t−m}                  (⊕ = + or × or nothing)
//   ℓ_t        = α (y_t ⊖ s_{t−m}) + (1 − α)(ℓ_{t−1} + φ b_{t−1})
//   b_t        = β* (ℓ_t − ℓ_{t−1}) + (1 − β*) φ b_{t−1}
//   s_t        = γ (y_t ⊖ (ℓ_{t−1} + φ b_{t−1})) + (1 − γ) s_{t−m}
//   ŷ_{T+h|T}  = (ℓ_T + (φ + φ² + … + φ^h) b_T) ⊕ s_{T+h−m(k+1)},  k = ⌊(h − 1)/m⌋
// (with φ = 1 the trend sum is h b_T).

// ---------------------------------------------------------------------------------------------
// Types

export type Seasonality = 'none' | 'additive' | 'multiplicative'

/** Why a fit has no seasonality although the caller asked for a period: null when AICc chose so. */
export type NoSeasonReason = 'period_is_one' | 'shorter_than_two_periods' | null

export interface EtsSpec {
  seasonal: Seasonality
  trend: boolean
  /** only with a trend */
  damped: boolean
  /** m, the periods in a season (52 for weeks of a year); ignored without seasonality */
  period: number
}

export interface EtsParams {
  alpha: number
  /** β* of the component form (the trend's own smoothing); 0 without a trend */
  beta: number
  /** 0 without seasonality */
  gamma: number
  /** 1 without damping */
  phi: number
}

/** The states before the first observation: ℓ₀, b₀ and s_{1−m}…s₀ (season[j] is the index of the periods ≡ j + 1 mod m). */
export interface EtsStates {
  level: number
  trend: number
  season: number[]
}

export interface Smoothed {
  /** Σ (y_t − ŷ_{t|t−1})², NaN when a state went non-finite */
  sse: number
  /** one-step in-sample forecasts ŷ_{t|t−1} */
  fitted: number[]
  /** ŷ_{T+h|T}, h = 1…horizon */
  forecast: number[]
  /** the states after the last observation; season in the order of the next m periods */
  final: EtsStates
}

export interface EtsModel extends EtsSpec, EtsParams {
  sse: number
  aicc: number
  /** parameters counted by AICc: smoothing parameters, initial states and the error variance */
  parameters: number
  reason: NoSeasonReason
}

export interface ForecastOptions {
  /** m: 52 for weekly data with a yearly season; 1 for none */
  period: number
  /** how many periods to forecast (≥ 1) */
  horizon: number
  /**
   * Holiday flags for the series' periods followed by the forecast's (length ≥ series + horizon):
   * a flagged forecast period is scaled by the ratio of flagged past periods' actuals to fit.
   */
  holidays?: readonly boolean[]
}

export interface Forecast {
  model: EtsModel
  forecast: number[]
  /** one-step in-sample forecasts of the chosen model */
  fitted: number[]
  /** the chosen model's seasonal indices for the next m periods (empty without seasonality) */
  season: number[]
  /**
   * 80 % prediction interval (FPP §8.7), for the linear (additive or no seasonality) models only;
   * null with multiplicative seasonality, which has no closed form.
   */
  lower80: number[] | null
  upper80: number[] | null
  /** the holiday factor applied to flagged forecast periods; null without holiday flags */
  holidayFactor: number | null
}

export interface Accuracy {
  /** mean of 100·|y − ŷ|/|y| over the pairs with y ≠ 0; null when every actual was 0 */
  mape: number | null
  /** (origin, h) pairs left out of MAPE because the actual was 0 */
  mapeSkipped: number
  /** mean of 200·|y − ŷ|/(|y| + |ŷ|) (0 when both are 0) over every pair */
  smape: number
  pairs: number
}

export interface BacktestOptions {
  period: number
  horizon: number
  /** the last N periods are forecast from the origins before them (default 8) */
  origins?: number
  /** holiday flags of the series' periods (length ≥ series), as in ForecastOptions */
  holidays?: readonly boolean[]
}

export interface Backtest {
  origins: number
  horizon: number
  model: Accuracy
  seasonalNaive: Accuracy
  /** origins where the chosen model had seasonality */
  seasonalFits: number
  /** origins with less than one season of history, where the baseline was plain naive */
  naiveOrigins: number
}

/** The fewest observations forecast: fewer leave AICc no degrees of freedom even for SES. */
export const MIN_HISTORY = 6
const DEFAULT_ORIGINS = 8

// ---------------------------------------------------------------------------------------------
// Input checks

const checkSeries = (series: readonly number[], details: ErrorDetail[], minLength: number): void => {
  if (!Array.isArray(series)) { details.push({ field: 'series', reason: 'is not a list of numbers' }); return }
  const bad = series.findIndex((y) => typeof y !== 'number' || !Number.isFinite(y))
  if (bad >= 0) details.push({ field: `series[${bad}]`, reason: 'is not a finite number' })
  if (series.length < minLength) details.push({ field: 'series', reason: `has ${series.length} values; at least ${minLength} are needed` })
}

const checkPositiveInteger = (value: number, field: string, details: ErrorDetail[]): void => {
  if (!Number.isInteger(value) || value < 1) details.push({ field, reason: 'must be an integer of at least 1' })
}

const checkHolidays = (holidays: readonly boolean[] | undefined, length: number, details: ErrorDetail[]): void => {
  if (holidays !== undefined && (!Array.isArray(holidays) || holidays.length < length)) {
    details.push({ field: 'holidays', reason: `must flag every period of the series and of the forecast (${length})` })
  }
}

const throwIfAny = (details: ErrorDetail[]): void => {
  if (details.length > 0) throw unprocessable('FORECAST_INVALID_INPUT', details)
}

// ---------------------------------------------------------------------------------------------
// Recursions

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length

/** Least squares of ys on t = 1…k: the value at t = 0 and the slope. */
const lineFit = (ys: readonly number[]): { intercept: number; slope: number } => {
  const k = ys.length
  if (k < 2) return { intercept: ys[0] ?? 0, slope: 0 }
  const tBar = (k + 1) / 2
  const yBar = mean(ys)
  let sxy = 0
  let sxx = 0
  ys.forEach((y, i) => { sxy += (i + 1 - tBar) * (y - yBar); sxx += (i + 1 - tBar) ** 2 })
  const slope = sxy / sxx
  return { intercept: yBar - slope * tBar, slope }
}

/**
 * Initial states by the classical heuristic (classical decomposition, FPP §3.4, as Hyndman et al.
 * 2008, "Forecasting with exponential smoothing", start ets; here on the first two seasons): seasonal indices from the first two seasons detrended
 * by the line through their means, normalised to sum 0 (additive) or average 1 (multiplicative);
 * ℓ₀ and b₀ from a line through the seasonally adjusted first two seasons (without seasonality:
 * through the first ten observations). NaN states when multiplicative seasonality meets a trend
 * line at or below 0: the caller's fit then refuses that model.
 */
export const initialStates = (series: readonly number[], spec: EtsSpec): EtsStates => {
  const m = spec.period
  if (spec.seasonal === 'none') {
    const head = series.slice(0, Math.min(series.length, 10))
    if (!spec.trend) return { level: mean(head), trend: 0, season: [] }
    const { intercept, slope } = lineFit(head)
    return { level: intercept, trend: slope, season: [] }
  }
  const first = mean(series.slice(0, m))
  const slope = (mean(series.slice(m, 2 * m)) - first) / m
  const line = (t: number): number => first + slope * (t - (m + 1) / 2)
  const multiplicative = spec.seasonal === 'multiplicative'
  const detrended = series.slice(0, 2 * m).map((y, i) => (multiplicative ? y / line(i + 1) : y - line(i + 1)))
  if (multiplicative && series.slice(0, 2 * m).some((_, i) => line(i + 1) <= 0)) return { level: NaN, trend: NaN, season: new Array<number>(m).fill(NaN) }
  const raw = Array.from({ length: m }, (_, j) => (detrended[j]! + detrended[m + j]!) / 2)
  const centre = mean(raw)
  const season = raw.map((s) => (multiplicative ? s / centre : s - centre))
  const adjusted = series.slice(0, 2 * m).map((y, i) => (multiplicative ? y / season[i % m]! : y - season[i % m]!))
  if (!spec.trend) return { level: mean(adjusted), trend: 0, season }
  const fit = lineFit(adjusted)
  return { level: fit.intercept, trend: fit.slope, season }
}

/** Runs the recursions over the series with fixed parameters and states, and forecasts `horizon` periods. */
export const smoothEts = (series: readonly number[], spec: EtsSpec, params: EtsParams, init: EtsStates, horizon = 0): Smoothed => {
  const { alpha, gamma } = params
  const beta = spec.trend ? params.beta : 0
  const phi = spec.trend && spec.damped ? params.phi : 1
  const seasonal = spec.seasonal
  const m = seasonal === 'none' ? 1 : spec.period
  let level = init.level
  let trend = spec.trend ? init.trend : 0
  // s_{t−m} sits at ring[(t − 1) mod m] and is overwritten by s_t.
  const ring = seasonal === 'none' ? [0] : [...init.season]
  const fitted: number[] = []
  let sse = 0
  for (let i = 0; i < series.length; i++) {
    const y = series[i]!
    const base = level + phi * trend
    const s = ring[i % m]!
    const yHat = seasonal === 'additive' ? base + s : seasonal === 'multiplicative' ? base * s : base
    fitted.push(yHat)
    sse += (y - yHat) ** 2
    const adjusted = seasonal === 'additive' ? y - s : seasonal === 'multiplicative' ? y / s : y
    const next = alpha * adjusted + (1 - alpha) * base
    trend = beta * (next - level) + (1 - beta) * phi * trend
    if (seasonal === 'additive') ring[i % m] = gamma * (y - base) + (1 - gamma) * s
    else if (seasonal === 'multiplicative') ring[i % m] = gamma * (y / base) + (1 - gamma) * s
    level = next
  }
  const n = series.length
  const season = seasonal === 'none' ? [] : Array.from({ length: m }, (_, h) => ring[(n + h) % m]!)
  const forecast: number[] = []
  let damping = 0
  for (let h = 1; h <= horizon; h++) {
    damping += phi ** h
    const base = level + damping * trend
    const s = seasonal === 'none' ? 0 : season[(h - 1) % m]!
    forecast.push(seasonal === 'additive' ? base + s : seasonal === 'multiplicative' ? base * s : base)
  }
  return { sse: Number.isFinite(sse) ? sse : NaN, fitted, forecast, final: { level, trend, season } }
}

// ---------------------------------------------------------------------------------------------
// Fitting

// Clamped, so a parameter at its bound leaves a flat objective the simplex shrinks on instead of
// an endless slope it walks down until its evaluations run out.
const logistic = (u: number): number => 1 / (1 + Math.exp(-Math.max(-15, Math.min(15, u))))
const logit = (p: number): number => Math.log(p / (1 - p))
// FPP §8.2: φ is kept within 0.8–0.98 in practice; below it damps too hard, above it is Holt's.
const PHI_MIN = 0.8
const PHI_MAX = 0.98

/**
 * Unconstrained → admissible parameters (logistic maps): 0 < α < 1, 0 < β* < 1, 0 < γ < 1 − α
 * (FPP §8.3's usual restriction), 0.8 < φ < 0.98. The vector holds only the spec's parameters.
 */
const toParams = (u: readonly number[], spec: EtsSpec): EtsParams => {
  let i = 0
  const alpha = logistic(u[i++]!)
  const beta = spec.trend ? logistic(u[i++]!) : 0
  const gamma = spec.seasonal !== 'none' ? (1 - alpha) * logistic(u[i++]!) : 0
  const phi = spec.trend && spec.damped ? PHI_MIN + (PHI_MAX - PHI_MIN) * logistic(u[i]!) : 1
  return { alpha, beta, gamma, phi }
}

const fromParams = (p: EtsParams, spec: EtsSpec): number[] => [
  logit(p.alpha),
  ...(spec.trend ? [logit(p.beta)] : []),
  ...(spec.seasonal !== 'none' ? [logit(p.gamma / (1 - p.alpha))] : []),
  ...(spec.trend && spec.damped ? [logit((p.phi - PHI_MIN) / (PHI_MAX - PHI_MIN))] : []),
]

/** Smoothing parameters + initial states (m − 1 free seasonal ones) + the error variance, as ets counts them. */
const parameterCount = (spec: EtsSpec): number => {
  const smoothing = 1 + (spec.trend ? 1 : 0) + (spec.trend && spec.damped ? 1 : 0) + (spec.seasonal !== 'none' ? 1 : 0)
  const states = 1 + (spec.trend ? 1 : 0) + (spec.seasonal !== 'none' ? spec.period - 1 : 0)
  return smoothing + states + 1
}

/**
 * AICc of a fit by SSE (FPP §8.6): every candidate is read as an additive-error ETS model, whose
 * Gaussian likelihood gives AIC = n log(SSE/n) + 2k up to a constant shared by all, so additive and
 * multiplicative seasonality compare on one scale. Infinity when n − k − 1 ≤ 0 (no fit to judge).
 */
const aiccOf = (sse: number, n: number, k: number): number => {
  if (!Number.isFinite(sse) || n - k - 1 <= 0) return Infinity
  const aic = n * Math.log(Math.max(sse / n, Number.MIN_VALUE)) + 2 * k
  return aic + (2 * k * (k + 1)) / (n - k - 1)
}

const STARTS: readonly EtsParams[] = [
  { alpha: 0.3, beta: 0.1, gamma: 0.1, phi: 0.9 },
  { alpha: 0.7, beta: 0.3, gamma: 0.1, phi: 0.95 },
  { alpha: 0.1, beta: 0.05, gamma: 0.5, phi: 0.85 },
]

/**
 * Fits α, β*, γ, φ of one spec by minimising the one-step SSE (FPP §8.6), with the initial states
 * fixed by `initialStates`: Nelder–Mead from three starts, the best restarted with a fresh simplex
 * until that stops helping (a simplex can stall on the flat valleys of an SSE surface).
 */
export const fitEts = (series: readonly number[], spec: EtsSpec): EtsModel & { smoothed: Smoothed; init: EtsStates } => {
  const init = initialStates(series, spec)
  const n = series.length
  const scale = mean(series.map(Math.abs)) || 1
  const objective = (u: readonly number[]): number => smoothEts(series, spec, toParams(u, spec), init).sse / (n * scale * scale)
  const options = { step: 1, xTolerance: 1e-7, fTolerance: 1e-13, maxEvaluations: 4000 }
  let best = STARTS.map((p) => minimizeNelderMead(objective, fromParams(p, spec), options)).reduce((a, b) => (b.fx < a.fx ? b : a))
  for (let restart = 0; restart < 5; restart++) {
    const again = minimizeNelderMead(objective, best.x, { ...options, step: 0.5 })
    if (!(again.fx < best.fx - 1e-12 * Math.abs(best.fx))) { if (again.fx < best.fx) best = again; break }
    best = again
  }
  const params = toParams(best.x, spec)
  const smoothed = smoothEts(series, spec, params, init)
  const k = parameterCount(spec)
  return { ...spec, ...params, sse: smoothed.sse, aicc: aiccOf(smoothed.sse, n, k), parameters: k, reason: null, smoothed, init }
}

/** The candidate specs for a series: ETS(A, N/A/Ad, N/A/M), multiplicative only for positive data. */
const candidates = (series: readonly number[], period: number): { specs: EtsSpec[]; reason: NoSeasonReason } => {
  const reason: NoSeasonReason = period <= 1 ? 'period_is_one' : series.length < 2 * period ? 'shorter_than_two_periods' : null
  const seasonals: Seasonality[] = reason !== null ? ['none'] : series.every((y) => y > 0) ? ['none', 'additive', 'multiplicative'] : ['none', 'additive']
  const trends = [{ trend: false, damped: false }, { trend: true, damped: false }, { trend: true, damped: true }]
  return { specs: seasonals.flatMap((seasonal) => trends.map((t) => ({ seasonal, ...t, period }))), reason }
}

/** The candidate with the lowest AICc, fitted. */
const selectModel = (series: readonly number[], period: number): ReturnType<typeof fitEts> => {
  const { specs, reason } = candidates(series, period)
  const fits = specs.map((spec) => fitEts(series, spec))
  // SES always has the fewest parameters; with too few points for any AICc, fall back on it.
  const best = fits.reduce((a, b) => (b.aicc < a.aicc ? b : a))
  return { ...best, reason }
}

// ---------------------------------------------------------------------------------------------
// Holidays

/**
 * The holiday factor: Σ actual / Σ fitted over the flagged past periods whose one-step forecast
 * came after the first season (the first one is spent learning the states). Null without a usable
 * flagged period.
 */
const holidayRatio = (series: readonly number[], fitted: readonly number[], flags: readonly boolean[], skip: number): number | null => {
  let actual = 0
  let expected = 0
  for (let t = skip; t < series.length; t++) {
    if (flags[t]) { actual += series[t]!; expected += fitted[t]! }
  }
  return expected > 0 && actual > 0 ? actual / expected : null
}

// ---------------------------------------------------------------------------------------------
// Prediction intervals

const Z80 = 1.2815515655446004

/**
 * The h-step forecast variance over σ² of a linear ETS model, 1 + Σ_{j<h} c_j², from the error
 * correction form (ℓ_t = ℓ_{t−1} + φb_{t−1} + αe_t, b_t = φb_{t−1} + αβ*e_t, s_t = s_{t−m} + γe_t):
 * an error's effect j periods on is c_j = α + αβ*(φ + … + φ^j) + γ·[m divides j]. This is FPP
 * §8.7's table 8.8 for every (A, N/A/Ad, N/A) model (e.g. ETS(A,N,N): 1 + α²(h − 1)).
 */
export const forecastVarianceFactors = (model: EtsSpec & EtsParams, horizon: number): number[] => {
  const phi = model.trend && model.damped ? model.phi : 1
  const out: number[] = []
  let total = 1
  let damping = 0
  for (let h = 1; h <= horizon; h++) {
    out.push(total)
    damping += phi ** h
    const c = model.alpha + (model.trend ? model.alpha * model.beta * damping : 0) + (model.seasonal !== 'none' && h % model.period === 0 ? model.gamma : 0)
    total += c * c
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Public forecasts

const checkForecast = (series: readonly number[], options: ForecastOptions, minLength = MIN_HISTORY): void => {
  const details: ErrorDetail[] = []
  checkSeries(series, details, minLength)
  checkPositiveInteger(options.period, 'period', details)
  checkPositiveInteger(options.horizon, 'horizon', details)
  if (Array.isArray(series)) checkHolidays(options.holidays, series.length + options.horizon, details)
  throwIfAny(details)
}

const forecastChecked = (series: readonly number[], options: ForecastOptions): Forecast => {
  const { period, horizon, holidays } = options
  let fit = selectModel(series, period)
  let fittedOn = series
  let factor: number | null = null
  if (holidays) {
    // A holiday peak read as ordinary demand would lift the level and season after it: estimate
    // the factor, deflate the flagged periods by it, refit, and take the factor again as the
    // flagged actuals over that fit's forecasts of them. No flagged past period: factor 1.
    const skip = fit.seasonal === 'none' ? 1 : period
    const first = holidayRatio(series, fit.smoothed.fitted, holidays, skip)
    factor = 1
    if (first !== null) {
      fittedOn = series.map((y, t) => (holidays[t] ? y / first : y))
      fit = selectModel(fittedOn, period)
      factor = holidayRatio(series, fit.smoothed.fitted, holidays, skip) ?? first
    }
  }
  const ahead = smoothEts(fittedOn, fit, fit, fit.init, horizon)
  const lift = (h: number): number => (factor !== null && holidays?.[series.length + h] ? factor : 1)
  const forecast = ahead.forecast.map((y, h) => y * lift(h))
  // σ² = SSE / (n − estimated parameters), the error variance itself not counted.
  const sigma = Math.sqrt(fit.sse / Math.max(1, series.length - (fit.parameters - 1)))
  const spread = fit.seasonal === 'multiplicative' ? null : forecastVarianceFactors(fit, horizon).map((v) => Z80 * sigma * Math.sqrt(v))
  const model: EtsModel = {
    seasonal: fit.seasonal, trend: fit.trend, damped: fit.damped, period: fit.period,
    alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, phi: fit.phi,
    sse: fit.sse, aicc: fit.aicc, parameters: fit.parameters, reason: fit.reason,
  }
  return {
    model,
    forecast,
    fitted: fit.smoothed.fitted,
    season: ahead.final.season,
    lower80: spread ? ahead.forecast.map((y, h) => (y - spread[h]!) * lift(h)) : null,
    upper80: spread ? ahead.forecast.map((y, h) => (y + spread[h]!) * lift(h)) : null,
    holidayFactor: factor,
  }
}

/**
 * Forecasts `horizon` periods by the ETS model of lowest AICc among ETS(A, N/A/Ad, N/A/M).
 * Seasonality needs two full periods of history: with less the model has none and `reason` says
 * why. Throws FORECAST_INVALID_INPUT (422) on a bad series, period, horizon or holiday list.
 */
export const forecastSeries = (series: readonly number[], options: ForecastOptions): Forecast => {
  checkForecast(series, options)
  return forecastChecked(series, options)
}

/**
 * The seasonal naive forecast ŷ_{T+h} = y_{T+h−m(⌊(h−1)/m⌋+1)} (FPP §5.2): each period repeats the
 * same period of the last season. With fewer than m values (or m = 1), plain naive: ŷ_{T+h} = y_T.
 */
export const seasonalNaive = (series: readonly number[], options: { period: number; horizon: number }): number[] => {
  checkForecast(series, options, 1)
  const n = series.length
  const m = options.period
  return Array.from({ length: options.horizon }, (_, i) => {
    const h = i + 1
    return n < m ? series[n - 1]! : series[n + h - m * (Math.floor((h - 1) / m) + 1) - 1]!
  })
}

/** FPP §5.8's sMAPE term: 200·|y − ŷ|/(|y| + |ŷ|), 0 when both are 0. */
export const smapeTerm = (actual: number, predicted: number): number => {
  const denominator = Math.abs(actual) + Math.abs(predicted)
  return denominator === 0 ? 0 : (200 * Math.abs(actual - predicted)) / denominator
}

const accuracyOf = (pairs: readonly { actual: number; predicted: number }[]): Accuracy => {
  let apeSum = 0
  let apeCount = 0
  let smapeSum = 0
  for (const { actual, predicted } of pairs) {
    if (actual !== 0) { apeSum += (100 * Math.abs(actual - predicted)) / Math.abs(actual); apeCount++ }
    smapeSum += smapeTerm(actual, predicted)
  }
  return {
    mape: apeCount > 0 ? apeSum / apeCount : null,
    mapeSkipped: pairs.length - apeCount,
    smape: pairs.length > 0 ? smapeSum / pairs.length : 0,
    pairs: pairs.length,
  }
}

/**
 * Rolling-origin backtest (FPP §5.10, time series cross-validation) over the last N periods: from
 * each origin T = n − N … n − 1 the whole procedure (model choice included) is run on y₁…y_T and
 * scored on the h = 1…horizon periods that the series holds, beside seasonal naive from the same
 * origins. MAPE and sMAPE average every (origin, h) pair.
 */
export const backtest = (series: readonly number[], options: BacktestOptions): Backtest => {
  const origins = options.origins ?? DEFAULT_ORIGINS
  const details: ErrorDetail[] = []
  checkPositiveInteger(origins, 'origins', details)
  checkPositiveInteger(options.period, 'period', details)
  checkPositiveInteger(options.horizon, 'horizon', details)
  checkSeries(series, details, MIN_HISTORY + (Number.isInteger(origins) && origins > 0 ? origins : 0))
  if (Array.isArray(series)) checkHolidays(options.holidays, series.length, details)
  throwIfAny(details)

  const n = series.length
  const model: { actual: number; predicted: number }[] = []
  const baseline: { actual: number; predicted: number }[] = []
  let seasonalFits = 0
  let naiveOrigins = 0
  for (let T = n - origins; T < n; T++) {
    const train = series.slice(0, T)
    const steps = Math.min(options.horizon, n - T)
    const holidays = options.holidays ? [...options.holidays.slice(0, T + steps)] : undefined
    const fit = forecastChecked(train, { period: options.period, horizon: steps, ...(holidays ? { holidays } : {}) })
    const naive = seasonalNaive(train, { period: options.period, horizon: steps })
    if (fit.model.seasonal !== 'none') seasonalFits++
    if (T < options.period) naiveOrigins++
    for (let h = 0; h < steps; h++) {
      model.push({ actual: series[T + h]!, predicted: fit.forecast[h]! })
      baseline.push({ actual: series[T + h]!, predicted: naive[h]! })
    }
  }
  return { origins, horizon: options.horizon, model: accuracyOf(model), seasonalNaive: accuracyOf(baseline), seasonalFits, naiveOrigins }
}
