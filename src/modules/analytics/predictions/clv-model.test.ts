import { describe, expect, it } from 'vitest'
import { readCsvGz } from '../../../../test/real-data/csv.js'
import { daysBetween } from '../../../../test/real-data/time.js'
import {
  bgNbdLogLikelihood,
  bgNbdRefusal,
  conditionalExpectedPurchases,
  conditionalExpectedValue,
  customerLifetimeValue,
  expectedRepeatPurchases,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaRefusal,
  hyp2f1,
  minimizeNelderMead,
  probabilityAlive,
  type BgNbdFit,
  type BgNbdParams,
  type GammaGammaParams,
  type PurchaseHistory,
  type SpendHistory,
} from './clv-model.js'

// The paper's estimates on the 2,357-customer CDNOW sample (Fader, Hardie & Lee 2005, table 1),
// which lifetimes reproduces as r 0.242593, alpha 4.413532, a 0.792886, b 2.425752.
const PAPER: BgNbdParams = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 }
const LONG_LIVED: BgNbdParams = { r: 3, alpha: 1, a: 3, b: 2 }

describe('BG/NBD per customer', () => {
  it.each([
    [PAPER, 0, 38.86],
    [PAPER, 0, 0],
    [LONG_LIVED, 0, 100],
  ])('calls a customer without a repeat purchase alive for certain (%o, x = %i, T = %d)', (params, x, T) => {
    expect(probabilityAlive(params, { x, tx: 0, T })).toBe(1)
  })

  it.each([
    // x, tx, a shorter T, a longer T
    [1, 2, 10, 30],
    [5, 20, 21, 38],
    [26, 30.86, 31, 60],
  ])('calls a customer less likely alive the longer he has been silent (x %i, tx %d: T %d vs %d)', (x, tx, T1, T2) => {
    expect(probabilityAlive(PAPER, { x, tx, T: T1 })).toBeGreaterThan(probabilityAlive(PAPER, { x, tx, T: T2 }))
  })

  it.each([
    [1, 2, 30, 29],
    [5, 5, 38, 37],
    [26, 10, 31, 30.86],
  ])('calls a customer more likely alive and expects more of him the more recent his last purchase (x %i: tx %d vs %d)', (x, earlier, T, later) => {
    const before = { x, tx: earlier, T }
    const recent = { x, tx: later, T }
    expect(probabilityAlive(PAPER, recent)).toBeGreaterThan(probabilityAlive(PAPER, before))
    expect(conditionalExpectedPurchases(PAPER, recent, 10)).toBeGreaterThan(conditionalExpectedPurchases(PAPER, before, 10))
  })

  it.each([
    [PAPER, { x: 0, tx: 0, T: 30 }],
    [PAPER, { x: 4, tx: 20, T: 30 }],
    [LONG_LIVED, { x: 2, tx: 1, T: 3 }],
  ])('expects nothing in no time and more in more time (%o, %o)', (params, history) => {
    expect(conditionalExpectedPurchases(params, history, 0)).toBe(0)
    const ts = [0.5, 1, 5, 39, 200]
    const expected = ts.map((t) => conditionalExpectedPurchases(params, history, t))
    expected.forEach((e, i) => { if (i > 0) expect(e).toBeGreaterThan(expected[i - 1]!) })
  })

  it.each([[PAPER], [LONG_LIVED], [{ r: 0.5, alpha: 8, a: 1, b: 3 }]])('expects no repeat purchase at age 0 and more with age (%o)', (params) => {
    expect(expectedRepeatPurchases(params, 0)).toBe(0)
    expect(expectedRepeatPurchases(params, 10)).toBeGreaterThan(expectedRepeatPurchases(params, 1))
    expect(expectedRepeatPurchases(params, 100)).toBeGreaterThan(expectedRepeatPurchases(params, 10))
  })

  it('approaches E[1/p] = (a+b−1)/(a−1) purchases in a long life when a > 1', () => {
    // Each purchase is followed by dropout with chance p, so a life holds 1/p repeat purchases on average.
    expect(expectedRepeatPurchases(LONG_LIVED, 10_000)).toBeCloseTo((3 + 2 - 1) / (3 - 1), 5)
  })

  it('equals E[X(t)] for a new customer: eq. (10) with x = 0, T = 0 is eq. (7)', () => {
    expect(conditionalExpectedPurchases(PAPER, { x: 0, tx: 0, T: 0 }, 39)).toBeCloseTo(expectedRepeatPurchases(PAPER, 39), 14)
  })

  it('passes smoothly through a = 1, where eq. (10) divides by a − 1', () => {
    const h = { x: 3, tx: 10, T: 30 }
    const at = (a: number) => conditionalExpectedPurchases({ ...PAPER, a }, h, 39)
    expect(at(1)).toBeCloseTo((at(1 - 1e-6) + at(1 + 1e-6)) / 2, 10)
    expect(Number.isFinite(expectedRepeatPurchases({ ...PAPER, a: 1 }, 52))).toBe(true)
  })

  it.each([
    // lifetimes' Quickstart: the top customers of the CDNOW sample, purchases expected next week
    [18, 35.14, 35.86, 0.424877],
    [19, 34.0, 34.14, 0.474738],
    [17, 28.43, 28.86, 0.486526],
    [29, 37.71, 38.0, 0.662396],
    [26, 30.86, 31.0, 0.710623],
  ])('matches lifetimes: x %i, tx %d, T %d expects %d purchases next week', (x, tx, T, lifetimes) => {
    expect(conditionalExpectedPurchases(PAPER, { x, tx, T }, 1)).toBeCloseTo(lifetimes, 6)
  })

  it('matches eq. (10) computed directly with a plain ₂F₁ series', () => {
    const plain2F1 = (a: number, b: number, c: number, z: number) => {
      let term = 1
      let sum = 1
      for (let n = 0; n < 100_000 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
        term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z
        sum += term
      }
      return sum
    }
    const eq10 = ({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory, t: number) =>
      ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * plain2F1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))) /
      (1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0))
    for (const [h, t] of [[{ x: 0, tx: 0, T: 30 }, 39], [{ x: 1, tx: 5, T: 30 }, 39], [{ x: 20, tx: 30, T: 38 }, 39], [{ x: 3, tx: 1, T: 38 }, 100], [{ x: 2, tx: 10, T: 20 }, 0.5]] as const) {
      for (const params of [PAPER, LONG_LIVED]) expect(conditionalExpectedPurchases(params, h, t)).toBeCloseTo(eq10(params, h, t), 10)
    }
    // A narrow drop-out spread (a and b in the hundreds), where the transformed series overflowed.
    const narrow = { r: 1.47, alpha: 26.3, a: 587.5, b: 1_000 }
    for (const [h, t] of [[{ x: 3, tx: 36, T: 100 }, 365], [{ x: 0, tx: 0, T: 100 }, 30], [{ x: 9, tx: 90, T: 100 }, 1_000]] as const) {
      expect(conditionalExpectedPurchases(narrow, h, t)).toBeCloseTo(eq10(narrow, h, t), 8)
    }
  })

  it('is continuous where eq. (10) switches from the transformed series to the printed one (a = 2)', () => {
    const h = { x: 4, tx: 20, T: 38 }
    const at = (a: number) => conditionalExpectedPurchases({ ...PAPER, a }, h, 52)
    expect(at(2 - 1e-9)).toBeCloseTo(at(2 + 1e-9), 8)
  })
})

describe('₂F₁', () => {
  it.each([
    [1, 1, 2, 0.5, -Math.log(0.5) / 0.5],
    [1, 1, 2, -0.5, Math.log(1.5) / 0.5],
    [1, 1, 2, 0.99, -Math.log(0.01) / 0.99],
    [0.7, 2.3, 2.3, 0.4, 0.6 ** -0.7],
    [0.5, 0.5, 1.5, 0.25, Math.asin(0.5) / 0.5],
    [-2, 3, 4, 0.3, 1 - 0.45 + 0.054], // terminates: a polynomial
    [2.5, 0, 1.2, 0.9, 1],
  ])('₂F₁(%d, %d; %d; %d) = %d', (a, b, c, z, expected) => {
    expect(hyp2f1(a, b, c, z)).toBeCloseTo(expected, 12)
  })

  it.each([[1, 1, 2, 1], [1, 1, 2, -1.5], [1, 1, 0, 0.5], [1, 1, -2, 0.5]])('refuses ₂F₁(%d, %d; %d; %d) outside the series’ domain', (a, b, c, z) => {
    expect(() => hyp2f1(a, b, c, z)).toThrow(RangeError)
  })
})

describe('Nelder–Mead', () => {
  it('finds the minimum of Rosenbrock’s valley', () => {
    const m = minimizeNelderMead(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [-1.2, 1])
    expect(m.x[0]).toBeCloseTo(1, 6)
    expect(m.x[1]).toBeCloseTo(1, 6)
  })

  it('treats a value that is not finite as worse than any other', () => {
    // ln is NaN below 0: the simplex must stay on the side where the function exists.
    const m = minimizeNelderMead(([x, y]) => (x! - 2) ** 2 - Math.log(y!) + y!, [0.3, 0.3], { step: 1 })
    expect(m.x[0]).toBeCloseTo(2, 6)
    expect(m.x[1]).toBeCloseTo(1, 6)
  })

  it('minimises a badly scaled quadratic in four dimensions', () => {
    const m = minimizeNelderMead((v) => v.reduce((s, x, i) => s + 10 ** i * (x - i) ** 2, 0), [5, 5, 5, 5])
    m.x.forEach((x, i) => expect(x).toBeCloseTo(i, 5))
  })
})

describe('Gamma-Gamma per customer', () => {
  const G: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.45 }

  it.each([
    // lifetimes' Quickstart prints p, q, v to two decimals only: agreement to 0.5 % is all there is
    [2, 22.35, 24.658619],
    [0, 0, 35.170981],
    [7, 73.74, 71.462843],
  ])('matches lifetimes: x %i, mean %d → %d', (x, m, lifetimes) => {
    expect(conditionalExpectedValue(G, x, m) / lifetimes).toBeCloseTo(1, 2)
  })

  it.each([[1], [5], [50], [500]])('shrinks a customer’s mean toward the population’s less the more he bought (x = %i)', (x) => {
    const population = conditionalExpectedValue(G, 0, 0)
    const own = 100
    const fewer = conditionalExpectedValue(G, Math.max(1, x / 5), own)
    const estimate = conditionalExpectedValue(G, x, own)
    expect(estimate).toBeGreaterThan(population)
    expect(estimate).toBeLessThan(own)
    if (x > 1) expect(estimate).toBeGreaterThan(fewer)
  })

  it('refuses an expected value when q ≤ 1 (an infinite population mean)', () => {
    expect(() => conditionalExpectedValue({ ...G, q: 1 }, 2, 20)).toThrow(RangeError)
  })
})

describe('customer lifetime value', () => {
  it.each([
    // lifetimes' Quickstart, customer_lifetime_value(time=12, discount_rate=0.01) with its
    // default freq='D': 30 units a "month" (weeks here, as its example does), fed E[M] as printed.
    [{ x: 2, tx: 30.43, T: 38.86 }, 24.658619, 140.096211],
    [{ x: 0, tx: 0, T: 38.86 }, 35.170981, 38.180574],
    [{ x: 7, tx: 29.43, T: 38.86 }, 71.462843, 1003.868107],
  ])('matches lifetimes for %o', (history, value, lifetimes) => {
    expect(customerLifetimeValue(PAPER, history, value, { periods: 12, periodLength: 30, discountRate: 0.01 })).toBeCloseTo(lifetimes, 4)
  })

  it.each([
    [{ x: 0, tx: 0, T: 30 }],
    [{ x: 5, tx: 25, T: 30 }],
  ])('is value × expected purchases undiscounted, less when discounted, and nothing over no periods (%o)', (h) => {
    const horizon = { periods: 12, periodLength: 4.345, discountRate: 0 }
    expect(customerLifetimeValue(PAPER, h, 20, horizon)).toBeCloseTo(20 * conditionalExpectedPurchases(PAPER, h, 12 * 4.345), 10)
    expect(customerLifetimeValue(PAPER, h, 20, { ...horizon, discountRate: 0.01 })).toBeLessThan(customerLifetimeValue(PAPER, h, 20, horizon))
    expect(customerLifetimeValue(PAPER, h, 20, { periods: 1, periodLength: 4.345, discountRate: 0.05 })).toBeCloseTo(20 * conditionalExpectedPurchases(PAPER, h, 4.345) / 1.05, 10)
    expect(customerLifetimeValue(PAPER, h, 20, { ...horizon, periods: 0 })).toBe(0)
  })

  it.each([
    [{ periods: 1.5, periodLength: 1, discountRate: 0 }],
    [{ periods: 12, periodLength: 0, discountRate: 0 }],
    [{ periods: 12, periodLength: 1, discountRate: -1 }],
  ])('refuses a horizon %o', (horizon) => {
    expect(() => customerLifetimeValue(PAPER, { x: 1, tx: 1, T: 2 }, 10, horizon)).toThrow(RangeError)
  })
})

describe('refusing to fit on too little', () => {
  const repeaters = (n: number): PurchaseHistory[] => Array.from({ length: n }, (_, i) => ({ x: 1 + (i % 3), tx: 5 + i, T: 60 }))
  const once = (n: number): PurchaseHistory[] => Array.from({ length: n }, () => ({ x: 0, tx: 0, T: 60 }))

  it.each([
    ['no customers', 'CLV_NO_CUSTOMERS', []],
    ['nobody came back', 'CLV_NO_REPEAT_PURCHASES', once(500)],
    ['29 came back', 'CLV_TOO_FEW_REPEAT_CUSTOMERS', [...once(500), ...repeaters(29)]],
    ['30 came back', null, [...once(500), ...repeaters(30)]],
    ['30 came back, counted', null, [{ x: 2, tx: 10, T: 60, count: 30 }]],
    ['a negative count of purchases', 'CLV_INVALID_HISTORY', [...repeaters(40), { x: -1, tx: 0, T: 5 }]],
    ['a fractional count of purchases', 'CLV_INVALID_HISTORY', [...repeaters(40), { x: 1.5, tx: 1, T: 5 }]],
    ['a last purchase after the end', 'CLV_INVALID_HISTORY', [...repeaters(40), { x: 1, tx: 6, T: 5 }]],
    ['a last purchase without a repeat', 'CLV_INVALID_HISTORY', [...repeaters(40), { x: 0, tx: 2, T: 5 }]],
    ['a zero count', 'CLV_INVALID_HISTORY', [...repeaters(40), { x: 1, tx: 2, T: 5, count: 0 }]],
  ] as const)('BG/NBD: %s → %s', (_what, refusal, histories) => {
    expect(bgNbdRefusal(histories)).toBe(refusal)
  })

  const spends = (n: number): SpendHistory[] => Array.from({ length: n }, (_, i) => ({ x: 1 + (i % 4), m: 10 + i }))

  it.each([
    ['no customers', 'CLV_NO_CUSTOMERS', []],
    ['29 repeat customers', 'CLV_TOO_FEW_REPEAT_CUSTOMERS', spends(29)],
    ['30 repeat customers', null, spends(30)],
    ['all the same mean', 'CLV_NO_SPEND_VARIATION', spends(40).map((s) => ({ ...s, m: 25 }))],
    ['a customer without a repeat purchase', 'CLV_INVALID_HISTORY', [...spends(40), { x: 0, m: 10 }]],
    ['a mean of 0 (free goods)', 'CLV_INVALID_HISTORY', [...spends(40), { x: 1, m: 0 }]],
  ] as const)('Gamma-Gamma: %s → %s', (_what, refusal, data) => {
    expect(gammaGammaRefusal(data)).toBe(refusal)
  })

  it('throws the refusal rather than fitting', () => {
    expect(() => fitBgNbd(once(100))).toThrow(/CLV_NO_REPEAT_PURCHASES/)
    expect(() => fitGammaGamma(spends(10))).toThrow(/CLV_TOO_FEW_REPEAT_CUSTOMERS/)
  })
})

describe('fitting', () => {
  // A small made-up cohort: enough to fit, small enough for a penalty to matter.
  const cohort: PurchaseHistory[] = [
    { x: 0, tx: 0, T: 40, count: 120 }, { x: 0, tx: 0, T: 20, count: 60 },
    { x: 1, tx: 3, T: 40, count: 20 }, { x: 1, tx: 30, T: 38, count: 15 }, { x: 2, tx: 12, T: 35, count: 12 },
    { x: 3, tx: 33, T: 39, count: 8 }, { x: 5, tx: 36, T: 40, count: 6 }, { x: 8, tx: 20, T: 40, count: 3 },
    { x: 12, tx: 39, T: 40, count: 2 },
  ]

  it('counts a row with count n as n identical customers', () => {
    const expanded = cohort.flatMap(({ count, ...h }) => Array.from({ length: count ?? 1 }, () => h))
    expect(bgNbdLogLikelihood(PAPER, cohort)).toBeCloseTo(bgNbdLogLikelihood(PAPER, expanded), 8)
    const s: SpendHistory[] = [{ x: 2, m: 20, count: 3 }, { x: 1, m: 7 }]
    expect(gammaGammaLogLikelihood({ p: 2, q: 3, gamma: 10 }, s))
      .toBeCloseTo(gammaGammaLogLikelihood({ p: 2, q: 3, gamma: 10 }, [{ x: 2, m: 20 }, { x: 2, m: 20 }, { x: 2, m: 20 }, { x: 1, m: 7 }]), 10)
  })

  it('keeps a and b at most 1,000 when every customer drops out with about the same chance, and still predicts', () => {
    const even = Array.from({ length: 200 }, (_, i) => ({ x: i % 5, tx: (i % 5) * 12, T: 100 }))
    const fit = fitBgNbd(even)
    expect(fit.b).toBeGreaterThan(900)
    expect(Math.max(fit.a, fit.b)).toBeLessThanOrEqual(1_000)
    const next = conditionalExpectedPurchases(fit, even[3]!, 365)
    expect(Number.isFinite(next) && next > 0).toBe(true)
  })

  it('fits a local maximum, and a penalty trades likelihood for smaller parameters', () => {
    const free = fitBgNbd(cohort)
    const held = fitBgNbd(cohort, { penalty: 0.1 })
    expect(free.customers).toBe(246)
    const size = (p: BgNbdParams) => p.r ** 2 + p.alpha ** 2 + p.a ** 2 + p.b ** 2
    expect(size(held)).toBeLessThan(size(free))
    expect(held.logLikelihood).toBeLessThan(free.logLikelihood)
    // No small step in any one parameter does better than the fit.
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const f of [0.999, 1.001]) expect(bgNbdLogLikelihood({ ...free, [key]: free[key] * f }, cohort)).toBeLessThanOrEqual(free.logLikelihood + 1e-9)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// CDNOW, the full cohort (23,570 first-time buyers of Q1 1997, to June 1998; ../shared/data).
//
// Published fits are for the 1/10 sample only: BG/NBD r 0.243, alpha 4.414, a 0.793, b 2.426,
// LL −9,582.4 (the paper; lifetimes' Quickstart reproduces them), Gamma-Gamma p 6.25, q 3.74,
// v 15.45 on its 946 repeat customers (lifetimes' Quickstart). A lifetimes fit of the full
// CDNOW_master at this calibration was searched for and not found, so nothing here is pinned to
// outside numbers: the checks are an independent computation written below.

const CALIBRATION_END = '1997-09-30'
const OBSERVATION_END = '1998-06-30'

interface Cohort {
  histories: PurchaseHistory[]
  holdout: number[]
  spends: SpendHistory[]
  zeroSpend: number
}

const readCdnow = (): Cohort => {
  const csv = readCsvGz('cdnow/cdnow_master.csv.gz')
  const [id, date, dollars] = [csv.col('customer_id'), csv.col('date'), csv.col('dollar_value')]
  // A customer-date is one purchase, as in the model literature (1,774 pairs have several rows).
  const days = new Map<string, Map<string, number>>()
  for (const row of csv.rows) {
    let own = days.get(row[id]!)
    if (!own) days.set(row[id]!, (own = new Map()))
    own.set(row[date]!, (own.get(row[date]!) ?? 0) + Number(row[dollars]))
  }
  const cohort: Cohort = { histories: [], holdout: [], spends: [], zeroSpend: 0 }
  for (const own of days.values()) {
    const sorted = [...own.keys()].sort()
    const calibration = sorted.filter((d) => d <= CALIBRATION_END)
    const first = calibration[0]!
    const x = calibration.length - 1
    cohort.histories.push({ x, tx: daysBetween(first, calibration[x]!) / 7, T: daysBetween(first, CALIBRATION_END) / 7 })
    cohort.holdout.push(sorted.length - calibration.length)
    if (x > 0) {
      const m = calibration.slice(1).reduce((s, d) => s + own.get(d)!, 0) / x
      if (m > 0) cohort.spends.push({ x, m })
      else cohort.zeroSpend++
    }
  }
  return cohort
}

// Lanczos (g = 7, n = 9): a plain log-gamma, not the one Patron uses.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
const lgamma = (z: number): number => {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z)
  const x = z - 1
  let s = LANCZOS[0]!
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (x + i)
  const t = x + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s)
}
const lnBeta = (p: number, q: number) => lgamma(p) + lgamma(q) - lgamma(p + q)

/** Identical rows merged, by a key of their own (Patron collapses its own way). */
const collapse = <T extends object>(rows: readonly T[]): Array<T & { n: number }> => {
  const out = new Map<string, T & { n: number }>()
  for (const row of rows) {
    const key = JSON.stringify(row)
    const seen = out.get(key)
    if (seen) seen.n++
    else out.set(key, { ...row, n: 1 })
  }
  return [...out.values()]
}

/** Eq. (6) as printed: the two terms as ratios of beta and gamma functions, added, then logged. */
const plainBgNbdLogLikelihood = ([r, alpha, a, b]: readonly number[], rows: ReadonlyArray<PurchaseHistory & { n: number }>): number => {
  const byX = new Map<number, { gammas: number; alive: number; died: number }>()
  let ll = 0
  for (const { x, tx, T, n } of rows) {
    let k = byX.get(x)
    if (!k) {
      k = {
        gammas: Math.exp(lgamma(r! + x) - lgamma(r!)) * alpha! ** r!,
        alive: Math.exp(lnBeta(a!, b! + x) - lnBeta(a!, b!)),
        died: x > 0 ? Math.exp(lnBeta(a! + 1, b! + x - 1) - lnBeta(a!, b!)) : 0,
      }
      byX.set(x, k)
    }
    const L = k.alive * k.gammas / (alpha! + T) ** (r! + x) + k.died * k.gammas / (alpha! + tx) ** (r! + x)
    ll += n * Math.log(L)
  }
  return ll
}

/** The mean's density written as a beta-prime: Γ(px+q)/(Γ(px)Γ(q)) · (γ/(γ+mx))^q · (mx/(γ+mx))^px / m. */
const plainGammaGammaLogLikelihood = ([p, q, gamma]: readonly number[], rows: ReadonlyArray<SpendHistory & { n: number }>): number => {
  const gammas = new Map<number, number>()
  let ll = 0
  for (const { x, m, n } of rows) {
    const px = p! * x
    let g = gammas.get(x)
    if (g === undefined) gammas.set(x, (g = lgamma(px + q!) - lgamma(px) - lgamma(q!)))
    ll += n * (g + q! * Math.log(gamma! / (gamma! + m * x)) + px * Math.log((m * x) / (gamma! + m * x)) - Math.log(m))
  }
  return ll
}

/**
 * A crude maximiser, nothing like Nelder–Mead: the best point of a grid with unit spacing over
 * the box [lo, hi], then compass search from it (try ± step along each axis, take the first
 * gain, halve the step when none) down to a step of 1e-7.
 */
const gridCompassMaximize = (f: (u: number[]) => number, lo: number[], hi: number[]): { u: number[]; fu: number } => {
  let u = lo
  let fu = -Infinity
  const visit = (prefix: number[]): void => {
    if (prefix.length === lo.length) {
      const fv = f(prefix)
      if (fv > fu) { u = prefix; fu = fv }
      return
    }
    for (let v = lo[prefix.length]!; v <= hi[prefix.length]!; v++) visit([...prefix, v])
  }
  visit([])
  for (let step = 0.5; step > 1e-7;) {
    let moved = false
    for (let i = 0; i < u.length && !moved; i++) {
      for (const s of [step, -step]) {
        const v = u.map((c, j) => (j === i ? c + s : c))
        const fv = f(v)
        if (fv > fu) { u = v; fu = fv; moved = true; break }
      }
    }
    if (!moved) step /= 2
  }
  return { u, fu }
}

const relative = (x: number, y: number) => Math.abs(x / y - 1)

describe('CDNOW', () => {
  const cohort = readCdnow()
  let fitted: BgNbdFit | undefined
  const bgNbd = (): BgNbdFit => (fitted ??= fitBgNbd(cohort.histories))

  it('fits BG/NBD at the likelihood’s maximum, by a computation that shares nothing with Patron’s', () => {
    const started = performance.now()
    const fit = bgNbd()
    const ms = performance.now() - started
    console.info(`CDNOW BG/NBD: r ${fit.r.toFixed(4)}, alpha ${fit.alpha.toFixed(4)}, a ${fit.a.toFixed(4)}, b ${fit.b.toFixed(4)}, ` +
      `LL ${fit.logLikelihood.toFixed(3)}; ${fit.customers} customers, ${fit.iterations} iterations, ${ms.toFixed(0)} ms`)
    expect(fit.customers).toBe(23_570)

    const rows = collapse(cohort.histories)
    expect(plainBgNbdLogLikelihood([fit.r, fit.alpha, fit.a, fit.b], rows) / fit.logLikelihood).toBeCloseTo(1, 11)

    // Searched along ln(r/alpha) (the mean rate), ln r, ln(a/b), ln a: the likelihood's ridges
    // run along r/alpha and a/b, which would hold a compass search on r, alpha, a, b for long.
    const toParams = ([u0, u1, u2, u3]: number[]) => [Math.exp(u1!), Math.exp(u1! - u0!), Math.exp(u3!), Math.exp(u3! - u2!)]
    const crude = gridCompassMaximize((u) => plainBgNbdLogLikelihood(toParams(u), rows), [-3, -1, -1, -1], [0, 1, 1, 1])
    const [r, alpha, a, b] = toParams(crude.u)
    expect(crude.fu - fit.logLikelihood).toBeLessThanOrEqual(1e-6 * Math.abs(fit.logLikelihood))
    for (const [mine, theirs] of [[fit.r, r], [fit.alpha, alpha], [fit.a, a], [fit.b, b]] as const) expect(relative(mine, theirs!)).toBeLessThan(5e-4)
  })

  it('tracks the calibration’s repeat purchases, and under-forecasts the holdout’s as a stationary model must', () => {
    const fit = bgNbd()
    const weeks = daysBetween(CALIBRATION_END, OBSERVATION_END) / 7
    const predicted = cohort.histories.reduce((s, h) => s + conditionalExpectedPurchases(fit, h, weeks), 0)
    const actual = cohort.holdout.reduce((s, n) => s + n, 0)
    const tracked = cohort.histories.reduce((s, h) => s + expectedRepeatPurchases(fit, h.T), 0)
    const calibration = cohort.histories.reduce((s, h) => s + h.x, 0)
    const alive = cohort.histories.reduce((s, h) => s + probabilityAlive(fit, h), 0)
    console.info(`CDNOW holdout (${weeks} weeks): predicted ${predicted.toFixed(0)}, actual ${actual} (${((predicted / actual - 1) * 100).toFixed(1)} %); ` +
      `calibration: E[X(T)] ${tracked.toFixed(0)} vs ${calibration}; expected alive at the end of calibration ${alive.toFixed(0)} of ${cohort.histories.length}`)
    expect(calibration).toBe(24_337)
    expect(actual).toBe(19_684)
    expect(relative(tracked, calibration)).toBeLessThan(0.01)
    // The holdout holds Christmas 1997 (weeks 45–52 ran 16–31 % above the model) and a spike in
    // March 1998 (+53 % in weeks 61–64): the nonstationarity Fader & Hardie's CDNOW case study
    // (Interfaces 2001) models with a time-varying component. A stationary BG/NBD fitted on
    // January–September falls short of it by about 14 %.
    expect(predicted).toBeLessThan(actual)
    expect(predicted / actual).toBeGreaterThan(0.8)
  })

  it('fits Gamma-Gamma at its likelihood’s maximum, checked the same way', () => {
    const started = performance.now()
    const fit = fitGammaGamma(cohort.spends)
    const ms = performance.now() - started
    const xs = cohort.spends.map((s) => s.x)
    const ms_ = cohort.spends.map((s) => s.m)
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length
    const [mx, mm] = [mean(xs), mean(ms_)]
    const cov = mean(xs.map((x, i) => (x - mx) * (ms_[i]! - mm)))
    const correlation = cov / Math.sqrt(mean(xs.map((x) => (x - mx) ** 2)) * mean(ms_.map((m) => (m - mm) ** 2)))
    console.info(`CDNOW Gamma-Gamma: p ${fit.p.toFixed(4)}, q ${fit.q.toFixed(4)}, gamma ${fit.gamma.toFixed(4)}, LL ${fit.logLikelihood.toFixed(3)}; ` +
      `${fit.customers} customers (${cohort.zeroSpend} with $0 repeats left out), corr(x, m) ${correlation.toFixed(3)}, ${ms.toFixed(0)} ms`)

    const rows = collapse(cohort.spends)
    expect(plainGammaGammaLogLikelihood([fit.p, fit.q, fit.gamma], rows) / fit.logLikelihood).toBeCloseTo(1, 11)
    // Searched along ln p, ln q, ln(pγ/q): the data pin the mean spend pγ/(q−1) down far better
    // than p or γ, which a search along ln γ would have to crawl along together.
    const toParams = ([u0, u1, u2]: number[]) => [Math.exp(u0!), Math.exp(u1!), Math.exp(u2! + u1! - u0!)]
    const crude = gridCompassMaximize((u) => plainGammaGammaLogLikelihood(toParams(u), rows), [-1, -1, 0], [4, 3, 6])
    const [p, q, gamma] = toParams(crude.u)
    expect(crude.fu - fit.logLikelihood).toBeLessThanOrEqual(1e-6 * Math.abs(fit.logLikelihood))
    for (const [mine, theirs] of [[fit.p, p], [fit.q, q], [fit.gamma, gamma]] as const) expect(relative(mine, theirs!)).toBeLessThan(5e-4)
    // The population's mean spend per purchase, pγ/(q−1), is near the customers' mean of means.
    expect(relative(conditionalExpectedValue(fit, 0, 0), mm)).toBeLessThan(0.1)
  })
})
