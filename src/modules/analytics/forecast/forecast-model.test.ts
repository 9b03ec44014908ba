import { beforeAll, describe, expect, it } from 'vitest'
import { readCsvGz } from '../../../../test/real-data/csv.js'
import { seededRandom } from '../../../shared/random.js'
import {
  backtest,
  fitEts,
  forecastVarianceFactors,
  forecastSeries,
  initialStates,
  seasonalNaive,
  smapeTerm,
  smoothEts,
  type EtsParams,
  type EtsSpec,
  type EtsStates,
} from './forecast-model.js'

// ---------------------------------------------------------------------------------------------
// A plain re-implementation of FPP's component forms (§8.1–8.3), written with one array per state
// indexed by time, to check the model's ring-buffer version against.

const reference = (y: readonly number[], spec: EtsSpec, p: EtsParams, init: EtsStates, horizon: number) => {
  const m = spec.seasonal === 'none' ? 1 : spec.period
  const phi = spec.trend && spec.damped ? p.phi : 1
  const n = y.length
  const l = [init.level]
  const b = [spec.trend ? init.trend : 0]
  // s_t is s[t + m − 1] for t = 1 − m … n
  const s = spec.seasonal === 'none' ? [] : [...init.season]
  const fitted: number[] = []
  let sse = 0
  for (let t = 1; t <= n; t++) {
    const yt = y[t - 1]!
    const lPrev = l[t - 1]!
    const bPrev = b[t - 1]!
    const sPrev = spec.seasonal === 'none' ? 0 : s[t - 1]!
    let yHat: number
    let lt: number
    if (spec.seasonal === 'additive') {
      yHat = lPrev + phi * bPrev + sPrev
      lt = p.alpha * (yt - sPrev) + (1 - p.alpha) * (lPrev + phi * bPrev)
      s.push(p.gamma * (yt - lPrev - phi * bPrev) + (1 - p.gamma) * sPrev)
    } else if (spec.seasonal === 'multiplicative') {
      yHat = (lPrev + phi * bPrev) * sPrev
      lt = p.alpha * (yt / sPrev) + (1 - p.alpha) * (lPrev + phi * bPrev)
      s.push(p.gamma * (yt / (lPrev + phi * bPrev)) + (1 - p.gamma) * sPrev)
    } else {
      yHat = lPrev + phi * bPrev
      lt = p.alpha * yt + (1 - p.alpha) * (lPrev + phi * bPrev)
    }
    l.push(lt)
    b.push(spec.trend ? p.beta * (lt - lPrev) + (1 - p.beta) * phi * bPrev : 0)
    fitted.push(yHat)
    sse += (yt - yHat) ** 2
  }
  const forecast = Array.from({ length: horizon }, (_, i) => {
    const h = i + 1
    const k = Math.floor((h - 1) / m)
    let damping = 0
    for (let j = 1; j <= h; j++) damping += phi ** j
    const base = l[n]! + damping * b[n]!
    const season = spec.seasonal === 'none' ? 0 : s[n + h - m * (k + 1) + m - 1]!
    return spec.seasonal === 'additive' ? base + season : spec.seasonal === 'multiplicative' ? base * season : base
  })
  return { sse, fitted, forecast }
}

const closeTo = (actual: number, expected: number, relative = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)))
}

const caught = (fn: () => unknown): unknown => {
  try { fn() } catch (e) { return e }
  throw new Error('did not throw')
}

/** Weekly sales in fen: level + trend + a yearly pattern with a Spring-Festival-like peak, ± noise. */
const weekly = (weeks: number, options: { seed: number; noise: number; seasonal: boolean; level?: number; slope?: number }) => {
  const random = seededRandom(options.seed)
  const level = options.level ?? 1_000_000
  const slope = options.slope ?? 500
  const pattern = Array.from({ length: 52 }, (_, j) => (options.seasonal ? 150_000 * Math.sin((2 * Math.PI * j) / 52) + (j === 5 ? 400_000 : 0) + (j === 6 ? 150_000 : 0) : 0))
  const truth = (t: number): number => level + slope * t + pattern[t % 52]!
  const series = Array.from({ length: weeks }, (_, t) => truth(t) * (1 + options.noise * (2 * random() - 1)))
  return { series, truth, pattern }
}

const correlation = (a: readonly number[], b: readonly number[]): number => {
  const ma = a.reduce((s, x) => s + x, 0) / a.length
  const mb = b.reduce((s, x) => s + x, 0) / b.length
  let sab = 0
  let saa = 0
  let sbb = 0
  a.forEach((x, i) => { sab += (x - ma) * (b[i]! - mb); saa += (x - ma) ** 2; sbb += (b[i]! - mb) ** 2 })
  return sab / Math.sqrt(saa * sbb)
}

const specs: EtsSpec[] = (['none', 'additive', 'multiplicative'] as const).flatMap((seasonal) => [
  { seasonal, trend: false, damped: false, period: 4 },
  { seasonal, trend: true, damped: false, period: 4 },
  { seasonal, trend: true, damped: true, period: 4 },
])

describe('ETS recursions (FPP §8.1–8.3)', () => {
  const random = seededRandom(7)
  const quarterly = Array.from({ length: 28 }, (_, t) => (200 + 3 * t) * [1.2, 0.8, 0.9, 1.1][t % 4]! + 10 * random())
  const params: EtsParams = { alpha: 0.35, beta: 0.12, gamma: 0.2, phi: 0.9 }

  it.each(specs)('runs %o as the plain component form does, with the classical initial states', (spec) => {
    const init = initialStates(quarterly, spec)
    const mine = smoothEts(quarterly, spec, params, init, 9)
    const theirs = reference(quarterly, spec, params, init, 9)
    closeTo(mine.sse, theirs.sse)
    mine.fitted.forEach((v, i) => closeTo(v, theirs.fitted[i]!))
    expect(mine.forecast).toHaveLength(9)
    mine.forecast.forEach((v, i) => closeTo(v, theirs.forecast[i]!))
  })

  it.each(specs)('runs %o as the plain component form does, from arbitrary states', (spec) => {
    const init: EtsStates = { level: 180, trend: 4, season: spec.seasonal === 'additive' ? [30, -40, -20, 25] : [1.15, 0.8, 0.92, 1.1] }
    const mine = smoothEts(quarterly, spec, { alpha: 0.6, beta: 0.3, gamma: 0.15, phi: 0.85 }, init, 6)
    const theirs = reference(quarterly, spec, { alpha: 0.6, beta: 0.3, gamma: 0.15, phi: 0.85 }, init, 6)
    closeTo(mine.sse, theirs.sse)
    mine.forecast.forEach((v, i) => closeTo(v, theirs.forecast[i]!))
  })

  it('recovers level, slope and season exactly from a noise-free additive series, which it then fits perfectly', () => {
    const season = [5, -3, 2, -4]
    const y = Array.from({ length: 12 }, (_, i) => 100 + 2 * (i + 1) + season[i % 4]!)
    const spec: EtsSpec = { seasonal: 'additive', trend: true, damped: false, period: 4 }
    const init = initialStates(y, spec)
    closeTo(init.level, 100)
    closeTo(init.trend, 2)
    init.season.forEach((s, j) => closeTo(s, season[j]!))
    const run = smoothEts(y, spec, { alpha: 0.5, beta: 0.5, gamma: 0.5, phi: 1 }, init, 4)
    expect(run.sse).toBeLessThan(1e-18)
    run.forecast.forEach((v, h) => closeTo(v, 100 + 2 * (13 + h) + season[(12 + h) % 4]!))
  })
})

describe('fitting and model choice', () => {
  it('finds an SSE no point of a coarse (α, β*, γ) grid beats', () => {
    const random = seededRandom(11)
    const y = Array.from({ length: 60 }, (_, t) => 500 + 4 * t + 80 * Math.sin((2 * Math.PI * t) / 12) + 40 * (random() - 0.5))
    const spec: EtsSpec = { seasonal: 'additive', trend: true, damped: false, period: 12 }
    const fit = fitEts(y, spec)
    const init = initialStates(y, spec)
    const grid = Array.from({ length: 19 }, (_, i) => 0.025 + 0.05 * i)
    let bestOnGrid = Infinity
    for (const alpha of grid) {
      for (const beta of grid) {
        for (const gamma of grid.filter((g) => g < 1 - alpha)) {
          bestOnGrid = Math.min(bestOnGrid, smoothEts(y, spec, { alpha, beta, gamma, phi: 1 }, init).sse)
        }
      }
    }
    expect(fit.sse).toBeLessThanOrEqual(bestOnGrid)
    expect(fit.alpha).toBeGreaterThan(0)
    expect(fit.gamma).toBeLessThan(1 - fit.alpha)
  })

  it('chooses seasonality on a seasonal weekly series, recovers its pattern and forecasts it closely', () => {
    const { series, truth, pattern } = weekly(156, { seed: 3, noise: 0.01, seasonal: true })
    const result = forecastSeries(series, { period: 52, horizon: 12 })
    expect(result.model.seasonal).not.toBe('none')
    expect(result.model.reason).toBeNull()
    // The season for the next 52 weeks, on the scale of the pattern, against the true one.
    const level = truth(156) - pattern[0]!
    const season = result.season.map((s) => (result.model.seasonal === 'multiplicative' ? (s - 1) * level : s))
    const expected = Array.from({ length: 52 }, (_, h) => pattern[(156 + h) % 52]!)
    const corr = correlation(season, expected)
    expect(corr).toBeGreaterThan(0.98)
    // The Spring-Festival-like peak is the season's highest week.
    expect(season.indexOf(Math.max(...season))).toBe(expected.indexOf(Math.max(...expected)))
    result.forecast.forEach((v, h) => expect(Math.abs(v / truth(156 + h) - 1)).toBeLessThan(0.03))
  })

  it('chooses no seasonality on a series without one', () => {
    const { series } = weekly(156, { seed: 5, noise: 0.05, seasonal: false })
    const result = forecastSeries(series, { period: 52, horizon: 8 })
    expect(result.model.seasonal).toBe('none')
    expect(result.model.reason).toBeNull()
    expect(result.season).toEqual([])
  })

  it.each([
    [80, 52, 'shorter_than_two_periods'],
    [40, 1, 'period_is_one'],
  ] as const)('fits without seasonality and says why (%i weeks, period %i)', (weeks, period, reason) => {
    const { series } = weekly(weeks, { seed: 9, noise: 0.01, seasonal: true })
    const result = forecastSeries(series, { period, horizon: 4 })
    expect(result.model).toMatchObject({ seasonal: 'none', gamma: 0, reason })
    expect(result.forecast.every(Number.isFinite)).toBe(true)
  })

  it('never tries multiplicative seasonality on a series with weeks at or below zero (net of returns)', () => {
    // The yearly swing (±150,000) is larger than the level (100,000): a third of the weeks are negative.
    const { series } = weekly(156, { seed: 3, noise: 0.01, seasonal: true, level: 100_000, slope: 0 })
    expect(series.some((y) => y < 0)).toBe(true)
    const result = forecastSeries(series, { period: 52, horizon: 4 })
    expect(result.model.seasonal).toBe('additive')
  })

  it('chooses multiplicative seasonality when the swing grows with the level', () => {
    const random = seededRandom(13)
    // (A smooth sine alone is not enough: Holt's trend follows it week by week nearly as well, and
    // AICc rightly prefers that to 51 more seasonal states. The holiday peak needs the season.)
    const factor = (t: number): number => 1 + 0.3 * Math.sin((2 * Math.PI * t) / 52) + (t % 52 === 5 ? 0.8 : t % 52 === 6 ? 0.3 : 0)
    const series = Array.from({ length: 156 }, (_, t) => (300_000 + 8_000 * t) * factor(t) * (1 + 0.01 * (2 * random() - 1)))
    const result = forecastSeries(series, { period: 52, horizon: 4 })
    expect(result.model.seasonal).toBe('multiplicative')
    expect(result.lower80).toBeNull()
  })
})

describe('seasonal naive', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, 6, [7, 8, 9, 10, 7, 8]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1, 3, [10, 10, 10]],
    [[1, 2, 3], 4, 3, [3, 3, 3]],
    [[4, 1, 9, 2], 4, 5, [4, 1, 9, 2, 4]],
  ])('forecasts %o with period %i for %i periods as %o', (series, period, horizon, expected) => {
    expect(seasonalNaive(series, { period, horizon })).toEqual(expected)
  })
})

describe('accuracy and backtest', () => {
  it.each([
    [0, 0, 0],
    [100, 50, 200 / 3],
    [-10, 10, 200],
    [100, 100, 0],
  ])('scores actual %d against %d with sMAPE term %d', (actual, predicted, expected) => {
    closeTo(smapeTerm(actual, predicted), expected)
  })

  it('scores every (origin, h) pair against the forecasts made from that origin alone', () => {
    const { series } = weekly(40, { seed: 21, noise: 0.05, seasonal: false })
    series[37] = 0
    const origins = 3
    const horizon = 2
    const result = backtest(series, { period: 4, horizon, origins })
    const model: number[][] = []
    const naive: number[][] = []
    for (let T = series.length - origins; T < series.length; T++) {
      const steps = Math.min(horizon, series.length - T)
      const f = forecastSeries(series.slice(0, T), { period: 4, horizon: steps }).forecast
      const g = seasonalNaive(series.slice(0, T), { period: 4, horizon: steps })
      for (let h = 0; h < steps; h++) { model.push([series[T + h]!, f[h]!]); naive.push([series[T + h]!, g[h]!]) }
    }
    const score = (pairs: number[][]) => {
      const kept = pairs.filter(([y]) => y !== 0)
      return {
        mape: kept.reduce((s, [y, f]) => s + (100 * Math.abs(y! - f!)) / Math.abs(y!), 0) / kept.length,
        mapeSkipped: pairs.length - kept.length,
        smape: pairs.reduce((s, [y, f]) => s + (200 * Math.abs(y! - f!)) / (Math.abs(y!) + Math.abs(f!)), 0) / pairs.length,
        pairs: pairs.length,
      }
    }
    expect(result.model.pairs).toBe(5)
    expect(result.model.mapeSkipped).toBe(1)
    for (const [got, want] of [[result.model, score(model)], [result.seasonalNaive, score(naive)]] as const) {
      closeTo(got.mape!, want.mape)
      closeTo(got.smape, want.smape)
      expect(got).toMatchObject({ mapeSkipped: want.mapeSkipped, pairs: want.pairs })
    }
  })

  it('beats seasonal naive on a trending seasonal series', () => {
    const { series } = weekly(160, { seed: 4, noise: 0.01, seasonal: true })
    const result = backtest(series, { period: 52, horizon: 4, origins: 4 })
    expect(result.seasonalFits).toBe(4)
    expect(result.naiveOrigins).toBe(0)
    expect(result.model.smape).toBeLessThan(result.seasonalNaive.smape)
    expect(result.model.mape!).toBeLessThan(result.seasonalNaive.mape!)
  })

  it('reports null MAPE when every actual is zero', () => {
    const series = [5, 3, 4, 6, 5, 4, 3, 5, 0, 0]
    const result = backtest(series, { period: 1, horizon: 1, origins: 2 })
    expect(result.model).toMatchObject({ mape: null, mapeSkipped: 2, pairs: 2 })
    // naive from 5 against 0 scores 200, from 0 against 0 scores 0
    expect(result.seasonalNaive.smape).toBe(100)
  })
})

describe('prediction intervals (FPP §8.7, table 8.8)', () => {
  const p = { alpha: 0.4, beta: 0.25, gamma: 0.3, phi: 1 }
  const m = 4
  // β in the table is αβ*; k = ⌊(h − 1)/m⌋.
  const b = p.alpha * p.beta
  it.each([
    ['ETS(A,N,N)', { seasonal: 'none', trend: false }, (h: number) => 1 + p.alpha ** 2 * (h - 1)],
    ['ETS(A,A,N)', { seasonal: 'none', trend: true }, (h: number) => 1 + (h - 1) * (p.alpha ** 2 + p.alpha * b * h + (b ** 2 * h * (2 * h - 1)) / 6)],
    ['ETS(A,N,A)', { seasonal: 'additive', trend: false }, (h: number) => {
      const k = Math.floor((h - 1) / m)
      return 1 + p.alpha ** 2 * (h - 1) + p.gamma * k * (2 * p.alpha + p.gamma)
    }],
    ['ETS(A,A,A)', { seasonal: 'additive', trend: true }, (h: number) => {
      const k = Math.floor((h - 1) / m)
      return 1 + (h - 1) * (p.alpha ** 2 + p.alpha * b * h + (b ** 2 * h * (2 * h - 1)) / 6) + p.gamma * k * (2 * p.alpha + p.gamma + b * m * (k + 1))
    }],
  ] as const)('gives %s the published h-step variance', (_, spec, table) => {
    const factors = forecastVarianceFactors({ ...spec, damped: false, period: m, ...p, beta: spec.trend ? p.beta : 0, gamma: spec.seasonal === 'none' ? 0 : p.gamma }, 13)
    factors.forEach((v, i) => closeTo(v, table(i + 1)))
  })

  it('puts the 80 % interval z·σ·√factor around the forecast, σ² = SSE/(n − estimated parameters)', () => {
    const { series } = weekly(156, { seed: 5, noise: 0.05, seasonal: false })
    const result = forecastSeries(series, { period: 52, horizon: 8 })
    const sigma = Math.sqrt(result.model.sse / (series.length - (result.model.parameters - 1)))
    const factors = forecastVarianceFactors(result.model, 8)
    result.forecast.forEach((f, h) => {
      closeTo(result.upper80![h]! - f, 1.2815515655446004 * sigma * Math.sqrt(factors[h]!))
      closeTo(f - result.lower80![h]!, 1.2815515655446004 * sigma * Math.sqrt(factors[h]!))
    })
    expect(result.upper80![7]! - result.lower80![7]!).toBeGreaterThan(result.upper80![0]! - result.lower80![0]!)
  })
})

describe('input checks', () => {
  const ok = Array.from({ length: 20 }, (_, i) => 100 + i)
  it.each([
    ['a period of 0', () => forecastSeries(ok, { period: 0, horizon: 4 }), 'period'],
    ['a negative period', () => forecastSeries(ok, { period: -52, horizon: 4 }), 'period'],
    ['a fractional period', () => forecastSeries(ok, { period: 1.5, horizon: 4 }), 'period'],
    ['a horizon of 0', () => forecastSeries(ok, { period: 4, horizon: 0 }), 'horizon'],
    ['NaN in the series', () => forecastSeries([...ok.slice(0, 5), NaN, ...ok.slice(5)], { period: 4, horizon: 4 }), 'series[5]'],
    ['a series too short', () => forecastSeries([1, 2, 3, 4, 5], { period: 1, horizon: 4 }), 'series'],
    ['holiday flags too short', () => forecastSeries(ok, { period: 4, horizon: 4, holidays: ok.map(() => false) }), 'holidays'],
    ['a backtest with no origin', () => backtest(ok, { period: 4, horizon: 4, origins: 0 }), 'origins'],
    ['a backtest with too little history before its origins', () => backtest(ok.slice(0, 10), { period: 4, horizon: 4, origins: 8 }), 'series'],
    ['seasonal naive of nothing', () => seasonalNaive([], { period: 4, horizon: 4 }), 'series'],
  ])('refuses %s with FORECAST_INVALID_INPUT (422)', (_, run, field) => {
    expect(caught(run)).toMatchObject({ code: 'FORECAST_INVALID_INPUT', status: 422, details: [{ field }] })
  })
})

describe('holiday weeks', () => {
  it('estimates a moving holiday lift from past flagged weeks and applies it to the flagged future week', () => {
    const random = seededRandom(17)
    const weeks = 130
    const flagged = new Set([4, 58, 107, 133])
    const base = (t: number): number => 800_000 + 300 * t
    const series = Array.from({ length: weeks }, (_, t) => base(t) * (flagged.has(t) ? 1.5 : 1) * (1 + 0.01 * (2 * random() - 1)))
    const holidays = Array.from({ length: weeks + 8 }, (_, t) => flagged.has(t))
    const result = forecastSeries(series, { period: 52, horizon: 8, holidays })
    expect(result.holidayFactor!).toBeGreaterThan(1.4)
    expect(result.holidayFactor!).toBeLessThan(1.6)
    expect(result.forecast[3]! / base(133)).toBeGreaterThan(1.4)
    expect(result.forecast[2]! / base(132)).toBeLessThan(1.05)
    const plain = forecastSeries(series, { period: 52, horizon: 8 })
    expect(plain.holidayFactor).toBeNull()
  })
})

// ---------------------------------------------------------------------------------------------
// Real data: UCI Online Retail (../shared/data/online_retail_uci), weekly net sales in fen —
// Σ Quantity × UnitPrice over every line, cancellations (C… invoices, negative quantities)
// included as negatives, lines priced ≤ 0 (adjustments, free items, bad debt) left out. Weeks run
// Monday to Sunday; the first (from Wednesday 2010-12-01) and last (to Friday 2011-12-09) are
// partial and dropped, leaving the 52 weeks from 2010-12-06 to 2011-12-04: one season only.

describe('real data: UCI Online Retail weekly net sales', () => {
  let weeklySales: number[] = []
  beforeAll(() => {
    const csv = readCsvGz('online_retail_uci/online_retail.csv.gz')
    const [cQty, cDate, cPrice] = ['Quantity', 'InvoiceDate', 'UnitPrice'].map(csv.col) as [number, number, number]
    const firstMonday = Date.UTC(2010, 11, 6) / 86_400_000
    const sums = new Map<number, number>()
    for (const r of csv.rows) {
      const price = Number(r[cPrice])
      if (!(price > 0)) continue
      const d = r[cDate]!
      const day = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000
      const week = Math.floor((day - firstMonday) / 7)
      if (week < 0 || week >= 52) continue
      sums.set(week, (sums.get(week) ?? 0) + Number(r[cQty]) * price * 100)
    }
    weeklySales = Array.from({ length: 52 }, (_, w) => Math.round(sums.get(w) ?? 0))
  }, 120_000)

  it('forecasts without seasonality (one season only) and backtests beside naive', () => {
    expect(weeklySales).toHaveLength(52)
    const result = forecastSeries(weeklySales, { period: 52, horizon: 4 })
    expect(result.model).toMatchObject({ seasonal: 'none', reason: 'shorter_than_two_periods' })
    expect(result.forecast.every(Number.isFinite)).toBe(true)
    const scores = backtest(weeklySales, { period: 52, horizon: 4, origins: 8 })
    expect(scores.seasonalFits).toBe(0)
    expect(scores.naiveOrigins).toBe(8)
    expect(scores.model.pairs).toBe(26)
    // Measured: SES (α ≈ 0.355) scores MAPE 18.8 %, sMAPE 21.6 % over the 26 pairs of the last 8
    // weeks' origins (h = 1…4); naive (one season of history is too little for seasonal naive)
    // scores MAPE 19.7 %, sMAPE 21.0 %. The autumn ramp to the November peak is what both miss.
    expect(result.model).toMatchObject({ trend: false })
    expect(scores.model.mape!).toBeCloseTo(18.82, 1)
    expect(scores.model.smape).toBeCloseTo(21.63, 1)
    expect(scores.seasonalNaive.mape!).toBeCloseTo(19.74, 1)
    expect(scores.seasonalNaive.smape).toBeCloseTo(21.05, 1)
    for (const s of [scores.model, scores.seasonalNaive]) {
      expect(Number.isFinite(s.mape)).toBe(true)
      expect(Number.isFinite(s.smape)).toBe(true)
    }
  })
})
