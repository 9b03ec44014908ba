import gammaln from '@stdlib/math-base-special-gammaln'

// Customer lifetime value and churn risk from purchase histories alone: the BG/NBD model of how
// often a customer buys and when he silently stops (Fader, Hardie & Lee 2005, "Counting your
// customers the easy way", Marketing Science 24(2)), and the Gamma-Gamma model of how much he
// spends per purchase (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves", JMR 42(4);
// likelihood as in Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").
// Pure math: no I/O, no clock. Time is in whatever unit the caller chose (weeks, days), the same
// for every input and output of one fit.

// ---------------------------------------------------------------------------------------------
// Inputs, parameters, refusals

/** One customer's calibration history: BG/NBD's sufficient statistics, in one time unit. */
export interface PurchaseHistory {
  /** repeat purchases: purchases (distinct purchase days, usually) after the first */
  x: number
  /** time of the last purchase, counted from the first; 0 when x = 0 */
  tx: number
  /** the customer's age: time from the first purchase to the end of calibration */
  T: number
  /** how many identical customers this row stands for (default 1) */
  count?: number
}

export interface BgNbdParams {
  /** shape and scale of the gamma spread of purchase rates */
  r: number
  alpha: number
  /** the beta spread of the chance of dropping out after each purchase */
  a: number
  b: number
}

export interface BgNbdFit extends BgNbdParams {
  /** at the fitted parameters, unpenalised */
  logLikelihood: number
  /** customers fitted (the sum of the counts) */
  customers: number
  /** Nelder–Mead iterations, all starts and restarts together */
  iterations: number
}

/** One repeat customer's spend: the Gamma-Gamma model's sufficient statistics. */
export interface SpendHistory {
  /** repeat purchases, at least 1 */
  x: number
  /** the mean value of those repeat purchases, > 0 (any money unit, the same for all) */
  m: number
  count?: number
}

export interface GammaGammaParams {
  p: number
  q: number
  gamma: number
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number
  customers: number
  iterations: number
}

/** Why a model must not be fitted to these customers. */
export type ClvRefusal =
  | 'CLV_INVALID_HISTORY'
  | 'CLV_NO_CUSTOMERS'
  | 'CLV_NO_REPEAT_PURCHASES'
  | 'CLV_TOO_FEW_REPEAT_CUSTOMERS'
  | 'CLV_NO_SPEND_VARIATION'

/**
 * Below this many repeat customers the fitted spreads are mostly noise (the likelihood is flat
 * along r/alpha and a/b) and the predictions would look more certain than they are.
 */
export const MIN_REPEAT_CUSTOMERS = 30

const weightOf = (count: number | undefined): number => count ?? 1

const isValidHistory = (h: PurchaseHistory): boolean => {
  const n = weightOf(h.count)
  return Number.isInteger(h.x) && h.x >= 0 &&
    Number.isFinite(h.tx) && Number.isFinite(h.T) && h.tx >= 0 && h.tx <= h.T &&
    (h.x > 0 || h.tx === 0) &&
    Number.isFinite(n) && n > 0
}

const isValidSpend = (s: SpendHistory): boolean => {
  const n = weightOf(s.count)
  return Number.isInteger(s.x) && s.x >= 1 && Number.isFinite(s.m) && s.m > 0 && Number.isFinite(n) && n > 0
}

/** Why BG/NBD must not be fitted to these histories, or null when it may. */
export const bgNbdRefusal = (histories: readonly PurchaseHistory[], minRepeatCustomers = MIN_REPEAT_CUSTOMERS): ClvRefusal | null => {
  if (!histories.every(isValidHistory)) return 'CLV_INVALID_HISTORY'
  let customers = 0
  let repeaters = 0
  for (const h of histories) {
    customers += weightOf(h.count)
    if (h.x > 0) repeaters += weightOf(h.count)
  }
  if (customers === 0) return 'CLV_NO_CUSTOMERS'
  // Without a single repeat purchase the likelihood rises for ever as the rates go to zero.
  if (repeaters === 0) return 'CLV_NO_REPEAT_PURCHASES'
  if (repeaters < minRepeatCustomers) return 'CLV_TOO_FEW_REPEAT_CUSTOMERS'
  return null
}

/** Why Gamma-Gamma must not be fitted to these spends (customers with x ≥ 1, m > 0), or null. */
export const gammaGammaRefusal = (spends: readonly SpendHistory[], minRepeatCustomers = MIN_REPEAT_CUSTOMERS): ClvRefusal | null => {
  if (!spends.every(isValidSpend)) return 'CLV_INVALID_HISTORY'
  let customers = 0
  for (const s of spends) customers += weightOf(s.count)
  if (customers === 0) return 'CLV_NO_CUSTOMERS'
  if (customers < minRepeatCustomers) return 'CLV_TOO_FEW_REPEAT_CUSTOMERS'
  // All means equal: the likelihood grows without bound as the spread of spend shrinks to nothing.
  if (spends.every((s) => s.m === spends[0]!.m)) return 'CLV_NO_SPEND_VARIATION'
  return null
}

// ---------------------------------------------------------------------------------------------
// Numerics

const logAddExp = (u: number, v: number): number => {
  const hi = Math.max(u, v)
  if (hi === -Infinity) return -Infinity
  return hi + Math.log1p(Math.exp(Math.min(u, v) - hi))
}

const MAX_SERIES_TERMS = 1_000_000

/**
 * Σ_{n≥1} (a)_n (b+1)_{n−1} / ((c+1)_{n−1} n!) zⁿ, which is c·(₂F₁(a, b; c; z) − 1)/b.
 * Written this way so that it stays finite as b → 0 or c → 0, where BG/NBD's expectations have
 * removable singularities (a = 1, a + b = 1).
 */
const hyp2f1ScaledTail = (a: number, b: number, c: number, z: number): number => {
  if (!(Math.abs(z) < 1)) throw new RangeError(`2F1 series needs |z| < 1, got ${z}`)
  let term = a * z
  let sum = term
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    if (c + n === 0) throw new RangeError(`2F1 is undefined for c = ${c}`)
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z
    // Past the first few terms |ratio| moves monotonically toward |z|, so the terms shrink at
    // least by max(|ratio|, |z|) each and the tail is bounded by a geometric series.
    // (A term is never tiny beside the sum before then, so that is when this can stop.)
    const rho = Math.max(Math.abs(ratio), Math.abs(z))
    if (rho < 1 && Math.abs(term) * rho / (1 - rho) <= 1e-16 * Math.abs(sum)) return sum
    term *= ratio
    if (term === 0) return sum
    sum += term
  }
  throw new RangeError(`2F1 series did not converge in ${MAX_SERIES_TERMS} terms (a=${a}, b=${b}, c=${c}, z=${z})`)
}

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) by its power series, for |z| < 1 and c not a
 * non-positive integer. Throws a RangeError outside that domain or if the series has not
 * converged to double precision within a million terms (z very close to 1).
 */
export const hyp2f1 = (a: number, b: number, c: number, z: number): number => {
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`2F1 is undefined for c = ${c}`)
  if (z === 0 || a === 0 || b === 0) return 1
  return 1 + (b / c) * hyp2f1ScaledTail(a, b, c, z)
}

// ---------------------------------------------------------------------------------------------
// Nelder–Mead

export interface MinimizeOptions {
  /** initial simplex: x0 plus this step along each axis */
  step?: number
  /** stop when every vertex is within this of the best, coordinate-wise… */
  xTolerance?: number
  /** …and every vertex's value within this of the best */
  fTolerance?: number
  maxEvaluations?: number
}

export interface Minimum {
  x: number[]
  fx: number
  iterations: number
  evaluations: number
}

// The `fmin` package (0.0.4) was tried and set aside: its `main` is a UMD build inside a
// "type": "module" package, so `import { nelderMead } from 'fmin'` yields nothing under Node; its
// shrink step assigns an undeclared `i` and throws a ReferenceError in strict mode (27 of 200
// random runs here); it reads the x-tolerance from `minErrorDelta`, stops on the distance
// between the two best vertices only, and sizes its first simplex as 5 % of each coordinate,
// which is almost nothing for a log-parameter near 0.
/**
 * Minimises f by the Nelder–Mead simplex method with the standard coefficients (reflection 1,
 * expansion 2, contraction ½, shrink ½; Lagarias et al. 1998). Non-finite values count as +∞,
 * so f may refuse a point by returning NaN or Infinity.
 */
export const minimizeNelderMead = (f: (x: readonly number[]) => number, x0: readonly number[], options: MinimizeOptions = {}): Minimum => {
  const { step = 0.5, xTolerance = 1e-9, fTolerance = 1e-12, maxEvaluations = 20_000 } = options
  const n = x0.length
  let evaluations = 0
  const value = (x: readonly number[]): number => {
    evaluations++
    const v = f(x)
    return Number.isFinite(v) ? v : Infinity
  }
  const simplex = Array.from({ length: n + 1 }, (_, i) => {
    const x = [...x0]
    if (i > 0) x[i - 1]! += step
    return { x, fx: value(x) }
  })
  const along = (from: readonly number[], to: readonly number[], t: number): number[] => from.map((v, i) => v + t * (to[i]! - v))
  let iterations = 0
  while (evaluations < maxEvaluations) {
    simplex.sort((u, v) => u.fx - v.fx)
    const best = simplex[0]!
    const worst = simplex[n]!
    const spread = Math.max(...simplex.slice(1).map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - best.x[i]!)))))
    if (spread <= xTolerance && worst.fx - best.fx <= fTolerance) break
    iterations++
    const centroid = Array.from({ length: n }, (_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i]!, 0) / n)
    const reflected = along(centroid, worst.x, -1)
    const fr = value(reflected)
    if (fr < best.fx) {
      const expanded = along(centroid, worst.x, -2)
      const fe = value(expanded)
      simplex[n] = fe < fr ? { x: expanded, fx: fe } : { x: reflected, fx: fr }
    } else if (fr < simplex[n - 1]!.fx) {
      simplex[n] = { x: reflected, fx: fr }
    } else {
      // Contract outside when the reflection beat the worst vertex, inside otherwise; if that
      // fails too, shrink every vertex halfway toward the best.
      const outside = fr < worst.fx
      const contracted = along(centroid, outside ? reflected : worst.x, 0.5)
      const fc = value(contracted)
      if (fc < (outside ? fr : worst.fx)) {
        simplex[n] = { x: contracted, fx: fc }
      } else {
        for (let i = 1; i <= n; i++) {
          const x = along(best.x, simplex[i]!.x, 0.5)
          simplex[i] = { x, fx: value(x) }
        }
      }
    }
  }
  simplex.sort((u, v) => u.fx - v.fx)
  return { x: simplex[0]!.x, fx: simplex[0]!.fx, iterations, evaluations }
}

/**
 * The best of several Nelder–Mead runs, each restarted from its own result with a fresh simplex
 * until a restart no longer improves: a simplex can collapse on a ridge short of the optimum,
 * and the BG/NBD likelihood has a long, flat r/alpha ridge.
 */
const minimizeWithRestarts = (f: (x: readonly number[]) => number, starts: readonly (readonly number[])[]): Minimum => {
  let best: Minimum | null = null
  let iterations = 0
  let evaluations = 0
  const run = (x0: readonly number[], step: number): Minimum => {
    const m = minimizeNelderMead(f, x0, { step })
    iterations += m.iterations
    evaluations += m.evaluations
    return m
  }
  for (const start of starts) {
    const m = run(start, 0.5)
    if (best === null || m.fx < best.fx) best = m
  }
  // Polish the best: fresh simplices of shrinking size around it.
  for (let restart = 0, step = 0.1; restart < 6 && best !== null; restart++, step = Math.max(step / 4, 1e-4)) {
    const m = run(best.x, step)
    const gained = best.fx - m.fx
    if (m.fx < best.fx) best = m
    if (gained <= 1e-12 * Math.max(1, Math.abs(best.fx))) break
  }
  if (best === null || !Number.isFinite(best.fx)) throw new RangeError('the likelihood is not finite at any start')
  return { ...best, iterations, evaluations }
}

// ---------------------------------------------------------------------------------------------
// BG/NBD

/** Histories collapsed to distinct (x, tx, T) rows, with x, tx and T indexed into value tables. */
interface BgNbdData {
  xs: number[]
  txs: number[]
  Ts: number[]
  xIdx: Int32Array
  txIdx: Int32Array
  TIdx: Int32Array
  counts: Float64Array
  customers: number
  /** Σ x·count and Σ T·count, for starting values */
  purchases: number
  exposure: number
}

const indexer = () => {
  const values: number[] = []
  const index = new Map<number, number>()
  return {
    values,
    of: (v: number): number => {
      let i = index.get(v)
      if (i === undefined) { i = values.length; values.push(v); index.set(v, i) }
      return i
    },
  }
}

const prepareBgNbd = (histories: readonly PurchaseHistory[]): BgNbdData => {
  const x = indexer()
  const tx = indexer()
  const T = indexer()
  const rows = new Map<string, { xi: number; txi: number; Ti: number; count: number }>()
  let customers = 0
  let purchases = 0
  let exposure = 0
  for (const h of histories) {
    const n = weightOf(h.count)
    customers += n
    purchases += h.x * n
    exposure += h.T * n
    const key = `${h.x}|${h.tx}|${h.T}`
    const row = rows.get(key)
    if (row) row.count += n
    else rows.set(key, { xi: x.of(h.x), txi: tx.of(h.tx), Ti: T.of(h.T), count: n })
  }
  const list = [...rows.values()]
  return {
    xs: x.values,
    txs: tx.values,
    Ts: T.values,
    xIdx: Int32Array.from(list, (r) => r.xi),
    txIdx: Int32Array.from(list, (r) => r.txi),
    TIdx: Int32Array.from(list, (r) => r.Ti),
    counts: Float64Array.from(list, (r) => r.count),
    customers,
    purchases,
    exposure,
  }
}

/**
 * Eq. (6) in logs: ln L = ln[Γ(r+x) αʳ / Γ(r)] + ln[B(a, b+x) / B(a, b)]
 *   + ln[(α+T)^−(r+x) + 1{x>0}·a/(b+x−1)·(α+tₓ)^−(r+x)],
 * using B(a+1, b+x−1)/B(a, b+x) = a/(b+x−1). The gamma functions depend on x only, the powers on
 * T or tₓ only, so they are computed once per distinct value.
 */
const bgNbdLogLikelihoodOf = ({ r, alpha, a, b }: BgNbdParams, d: BgNbdData): number => {
  const lnAlpha = Math.log(alpha)
  const common = gammaln(a + b) - gammaln(b) - gammaln(r) + r * lnAlpha
  const xTerm = d.xs.map((x) => gammaln(r + x) + gammaln(b + x) - gammaln(a + b + x) + common)
  const died = d.xs.map((x) => (x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity))
  const lnAT = d.Ts.map((T) => Math.log(alpha + T))
  const lnAtx = d.txs.map((tx) => Math.log(alpha + tx))
  let ll = 0
  for (let i = 0; i < d.counts.length; i++) {
    const xi = d.xIdx[i]!
    const rx = r + d.xs[xi]!
    const alive = -rx * lnAT[d.TIdx[i]!]!
    const dead = died[xi]! - rx * lnAtx[d.txIdx[i]!]!
    ll += d.counts[i]! * (xTerm[xi]! + logAddExp(alive, dead))
  }
  return ll
}

/** The BG/NBD log-likelihood of the histories at these parameters (eq. 6, summed with counts). */
export const bgNbdLogLikelihood = (params: BgNbdParams, histories: readonly PurchaseHistory[]): number =>
  bgNbdLogLikelihoodOf(params, prepareBgNbd(histories))

export interface FitOptions {
  /**
   * L2 penalty on the parameters, as lifetimes' `penalizer_coef`: the fit minimises
   * −LL/customers + penalty·Σ parameter². Off (0) by default; a small one (0.001–0.1) keeps
   * a thin data set from running a parameter off to extremes.
   */
  penalty?: number
  /** the fewest repeat customers accepted (default MIN_REPEAT_CUSTOMERS) */
  minRepeatCustomers?: number
}

const assertFittable = (refusal: ClvRefusal | null): void => {
  if (refusal !== null) throw new RangeError(`refusing to fit: ${refusal}`)
}

/**
 * The fit keeps a and b at most this. When every customer drops out with about the same chance,
 * the likelihood keeps rising as a and b grow together (the beta spread narrows to a point), and
 * an unbounded fit ran them into the millions, where eq. (10)'s series needs millions of terms
 * (a + b = 1,000 is a chance that varies by about ±1.5 % between customers: no loss worth having).
 */
const LN_MAX_DROPOUT_SHAPE = Math.log(1_000)

/**
 * Fits r, alpha, a, b by maximum likelihood: Nelder–Mead on the logs of the parameters (so they
 * stay positive) from three starts, then polished by restarts. Throws a RangeError naming the
 * refusal when `bgNbdRefusal` refuses the data: check that first.
 */
export const fitBgNbd = (histories: readonly PurchaseHistory[], options: FitOptions = {}): BgNbdFit => {
  assertFittable(bgNbdRefusal(histories, options.minRepeatCustomers))
  const penalty = options.penalty ?? 0
  const d = prepareBgNbd(histories)
  const toParams = (v: readonly number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) })
  const objective = (v: readonly number[]): number => {
    if (v[2]! > LN_MAX_DROPOUT_SHAPE || v[3]! > LN_MAX_DROPOUT_SHAPE) return Infinity
    const p = toParams(v)
    return -bgNbdLogLikelihoodOf(p, d) / d.customers + penalty * (p.r ** 2 + p.alpha ** 2 + p.a ** 2 + p.b ** 2)
  }
  // With r = 1 the mean purchase rate is 1/alpha: start alpha at the observed time per purchase.
  const timePerPurchase = d.exposure / d.purchases
  const starts = [[1, timePerPurchase, 1, 1], [0.3, 0.3 * timePerPurchase, 0.5, 2], [3, 3 * timePerPurchase, 2, 6]].map((s) => s.map(Math.log))
  const best = minimizeWithRestarts(objective, starts)
  const params = toParams(best.x)
  return { ...params, logLikelihood: bgNbdLogLikelihoodOf(params, d), customers: d.customers, iterations: best.iterations }
}

const droppedOdds = ({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory): number =>
  x === 0 ? 0 : Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)))

/**
 * P(alive | x, tₓ, T): the chance the customer has not dropped out by T, 1 − churn risk. Bayes'
 * theorem on the two terms of eq. (6), alive at T and dropped out at tₓ (Fader, Hardie & Lee
 * 2008, "Computing P(alive) using the BG/NBD model"; lifetimes' `conditional_probability_alive`).
 * Always 1 for x = 0: in BG/NBD a customer can only drop out right after a repeat purchase.
 */
export const probabilityAlive = (params: BgNbdParams, history: PurchaseHistory): number => 1 / (1 + droppedOdds(params, history))

/**
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t): the
 * numerator of eq. (10), and eq. (7) with x = 0, T = 0. By Euler's transformation
 * ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z) the power and the series become
 * (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z): parameters that do not grow with x, and a factor
 * a−1 that cancels the one below, so a = 1 needs no special case.
 */
const expectedGrowth = ({ r, alpha, a, b }: BgNbdParams, x: number, T: number, t: number): number => {
  if (!(t >= 0)) throw new RangeError(`t must be ≥ 0, got ${t}`)
  if (t === 0) return 0
  const eps = a - 1
  const c = a + b + x - 1
  const lnShrink = -Math.log1p(t / (alpha + T)) // ln(1 − z)
  const z = t / (alpha + T + t)
  // Away from a = 1, eq. (10) as printed: the transformed series' terms grow as (1−z)^−(a−1)
  // before they fall (past 10³⁰⁰ at a = 587, z = 0.74), where these stay below 1/(1−z).
  if (Math.abs(eps) >= 1) {
    const series = 1 + ((b + x) / c) * hyp2f1ScaledTail(r + x, b + x, c, z)
    return (c / eps) * -Math.expm1((r + x) * lnShrink + Math.log(series))
  }
  // [1 − (1−z)^ε] / ε, continuous at ε = 0
  const powerPart = eps === 0 ? -lnShrink : -Math.expm1(eps * lnShrink) / eps
  return c * powerPart - Math.exp(eps * lnShrink) * hyp2f1ScaledTail(a + b - 1 - r, eps, c, z)
}

/**
 * E[Y(t) | x, tₓ, T]: the purchases expected in the next t units from a customer with this
 * history (eq. 10).
 */
export const conditionalExpectedPurchases = (params: BgNbdParams, history: PurchaseHistory, t: number): number =>
  expectedGrowth(params, history.x, history.T, t) / (1 + droppedOdds(params, history))

/**
 * E[X(t)]: the repeat purchases expected from a customer in his first t units after his first
 * purchase (eq. 7); summed over a cohort's ages it tracks the cohort's repeat purchases.
 */
export const expectedRepeatPurchases = (params: BgNbdParams, t: number): number => expectedGrowth(params, 0, 0, t)

// ---------------------------------------------------------------------------------------------
// Gamma-Gamma

interface GammaGammaData {
  xs: number[]
  xIdx: Int32Array
  lnM: Float64Array
  m: Float64Array
  counts: Float64Array
  customers: number
  meanM: number
}

const prepareGammaGamma = (spends: readonly SpendHistory[]): GammaGammaData => {
  const x = indexer()
  const rows = new Map<string, { xi: number; m: number; count: number }>()
  let customers = 0
  let total = 0
  for (const s of spends) {
    const n = weightOf(s.count)
    customers += n
    total += s.m * n
    const key = `${s.x}|${s.m}`
    const row = rows.get(key)
    if (row) row.count += n
    else rows.set(key, { xi: x.of(s.x), m: s.m, count: n })
  }
  const list = [...rows.values()]
  return {
    xs: x.values,
    xIdx: Int32Array.from(list, (r) => r.xi),
    m: Float64Array.from(list, (r) => r.m),
    lnM: Float64Array.from(list, (r) => Math.log(r.m)),
    counts: Float64Array.from(list, (r) => r.count),
    customers,
    meanM: total / customers,
  }
}

/**
 * The density of the mean m̄ of x purchases (Fader & Hardie 2013), summed in logs:
 * Γ(px+q) / (Γ(px) Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + m̄x)^(px+q).
 */
const gammaGammaLogLikelihoodOf = ({ p, q, gamma }: GammaGammaParams, d: GammaGammaData): number => {
  const common = q * Math.log(gamma) - gammaln(q)
  const xTerm = d.xs.map((x) => gammaln(p * x + q) - gammaln(p * x) + p * x * Math.log(x) + common)
  let ll = 0
  for (let i = 0; i < d.counts.length; i++) {
    const xi = d.xIdx[i]!
    const px = p * d.xs[xi]!
    ll += d.counts[i]! * (xTerm[xi]! + (px - 1) * d.lnM[i]! - (px + q) * Math.log(gamma + d.m[i]! * d.xs[xi]!))
  }
  return ll
}

/** The Gamma-Gamma log-likelihood of the spends at these parameters, summed with counts. */
export const gammaGammaLogLikelihood = (params: GammaGammaParams, spends: readonly SpendHistory[]): number =>
  gammaGammaLogLikelihoodOf(params, prepareGammaGamma(spends))

/**
 * Fits p, q, gamma by maximum likelihood (Nelder–Mead on their logs, restarted). The model
 * assumes spend per purchase does not depend on how often a customer buys: check the
 * correlation of x and m before trusting it. Throws a RangeError naming the refusal when
 * `gammaGammaRefusal` refuses the data.
 */
export const fitGammaGamma = (spends: readonly SpendHistory[], options: FitOptions = {}): GammaGammaFit => {
  assertFittable(gammaGammaRefusal(spends, options.minRepeatCustomers))
  const penalty = options.penalty ?? 0
  const d = prepareGammaGamma(spends)
  const toParams = (v: readonly number[]): GammaGammaParams => ({ p: Math.exp(v[0]!), q: Math.exp(v[1]!), gamma: Math.exp(v[2]!) })
  const objective = (v: readonly number[]): number => {
    const g = toParams(v)
    return -gammaGammaLogLikelihoodOf(g, d) / d.customers + penalty * (g.p ** 2 + g.q ** 2 + g.gamma ** 2)
  }
  // gamma carries the money unit: start it at the mean spend so fen and yuan fit alike.
  const starts = [[1, 2, d.meanM], [4, 4, 3 * d.meanM], [1, 1, 1]].map((s) => s.map(Math.log))
  const best = minimizeWithRestarts(objective, starts)
  const params = toParams(best.x)
  return { ...params, logLikelihood: gammaGammaLogLikelihoodOf(params, d), customers: d.customers, iterations: best.iterations }
}

/**
 * E[M | x, m̄] = p(γ + x m̄) / (px + q − 1): the value of a customer's future purchases, his own
 * mean shrunk toward the population's (x = 0 gives the population mean pγ/(q−1)). Needs q > 1,
 * else the population mean is infinite: throws a RangeError.
 */
export const conditionalExpectedValue = ({ p, q, gamma }: GammaGammaParams, x: number, m: number): number => {
  if (!(q > 1)) throw new RangeError(`Gamma-Gamma needs q > 1 for an expected value, got q = ${q}`)
  return (p * (gamma + x * m)) / (p * x + q - 1)
}

// ---------------------------------------------------------------------------------------------
// CLV

export interface ClvHorizon {
  /** periods to sum over */
  periods: number
  /** one period in the model's time unit (4.345 for a month when the unit is a week) */
  periodLength: number
  /** discount rate per period (0.01 = 1 % a period); each period is discounted at its end */
  discountRate: number
}

/**
 * Σₖ₌₁..ₙ value · (E[Y(k·ℓ)] − E[Y((k−1)·ℓ)]) / (1 + d)ᵏ, E[Y] by eq. (10): the purchases
 * expected in each period, valued at `expectedValue` (E[M | x, m̄], say) and discounted, as
 * lifetimes' `customer_lifetime_value` does. In the money unit of `expectedValue`.
 */
export const customerLifetimeValue = (params: BgNbdParams, history: PurchaseHistory, expectedValue: number, horizon: ClvHorizon): number => {
  const { periods, periodLength, discountRate } = horizon
  if (!(Number.isInteger(periods) && periods >= 0 && periodLength > 0 && discountRate > -1)) {
    throw new RangeError('a horizon needs whole periods ≥ 0, a period length > 0 and a discount rate > −1')
  }
  let clv = 0
  let before = 0
  for (let k = 1; k <= periods; k++) {
    const upTo = conditionalExpectedPurchases(params, history, k * periodLength)
    clv += (expectedValue * (upTo - before)) / (1 + discountRate) ** k
    before = upTo
  }
  return clv
}
