import type { IncomeBand } from '../../members/index.js'
import type { LifecycleStage, Level, Quadrant, RfmClass } from '../insight/insight.table.js'
import type { Cuts4, InsightSettings } from './classes-settings.js'

// The classes' rules, pure: the classifier's SQL applies the same thresholds (classes.repository.ts),
// and these functions say what it must produce (tests compare the two).

/**
 * The tie rule of the quantile scores: members are ranked by value with `RANK()` (equal values
 * share the rank of the first of them), and a member of rank `rank` among `n` gets score
 * 1 + ⌊k·(rank − 1)/n⌋. Equal values therefore always share a score, and a score may be empty
 * when a value is shared by many members (e.g. everyone with one receipt has the same F).
 */
export const scoreByRank = (rank: number, n: number, k: number): number => 1 + Math.floor((k * (rank - 1)) / n)

/** F or M score from the ascending cut points: 1 + the number of cut points the value reaches. */
export const scoreUp = (value: number, cuts: readonly number[]): number => 1 + cuts.filter((c) => value >= c).length

/** R score from the ascending day cut points: 5 if within cuts[0] days, … 1 beyond cuts[3]. */
export const scoreRecency = (days: number, cuts: readonly number[]): number => 1 + cuts.filter((c) => days <= c).length

/**
 * Cut points from the least value of each score present (F, M): the cut for score s is the least
 * value of the lowest score ≥ s that has members; with none, one above the largest value (no
 * member reaches it). Applying `scoreUp` with them reproduces the ranked scores exactly.
 */
export const cutsFromLeast = (least: ReadonlyMap<number, number>, max: number, k = 5): number[] => {
  const out: number[] = []
  for (let s = 2; s <= k; s++) {
    const present = [...least.keys()].filter((x) => x >= s).sort((a, b) => a - b)[0]
    out.push(present === undefined ? max + 1 : least.get(present)!)
  }
  return out
}

/**
 * R's cut points from the most days of each score present: [days of 5, of 4, of 3, of 2], each
 * the most days of the lowest score ≥ s present; with none, one below the fewest days.
 */
export const recencyCutsFromMost = (most: ReadonlyMap<number, number>, min: number): Cuts4 => {
  const byScore = [5, 4, 3, 2].map((s) => {
    const present = [...most.keys()].filter((x) => x >= s).sort((a, b) => a - b)[0]
    return present === undefined ? min - 1 : most.get(present)!
  })
  return byScore as Cuts4
}

/** The reference computation: each value's score under the tie rule (for tests and small sets). */
export const rankScores = (values: readonly number[], k: number, descending = false): number[] => {
  const sorted = [...values].sort((a, b) => (descending ? b - a : a - b))
  const firstRank = new Map<number, number>()
  sorted.forEach((v, i) => { if (!firstRank.has(v)) firstRank.set(v, i + 1) })
  return values.map((v) => scoreByRank(firstRank.get(v)!, values.length, k))
}

/** High when the score is at or above the average score of the members scored. */
export const isHigh = (score: number, average: number): boolean => score >= average

const CLASS_BY_SIGNS: Record<string, RfmClass> = {
  '+++': 'important_value', '+-+': 'important_develop', '-++': 'important_keep', '--+': 'important_retain',
  '++-': 'general_value', '+--': 'general_develop', '-+-': 'general_keep', '---': 'general_retain',
}

/** The eight classic classes: R, F and M each high (≥ its average score) or low. */
export const rfmClassOf = (r: number, f: number, m: number, avg: { r: number; f: number; m: number }): RfmClass =>
  CLASS_BY_SIGNS[[isHigh(r, avg.r), isHigh(f, avg.f), isHigh(m, avg.m)].map((h) => (h ? '+' : '-')).join('')]!

/** Value quadrant: income band at or above the threshold band × spend at or above the threshold. */
export const quadrantOf = (band: IncomeBand | null, spend: number, threshold: { incomeRank: number; spend: number }, bandRank: (b: IncomeBand) => number): Quadrant => {
  if (band === null) return 'unknown'
  const rich = bandRank(band) >= threshold.incomeRank
  const spends = spend >= threshold.spend
  return rich ? (spends ? 'core' : 'potential') : (spends ? 'develop' : 'abandon')
}

/** 高/中/低: at or above `high`, at or above `mid`, below. */
export const levelOf = (value: number, t: { mid: number; high: number }): Level => (value >= t.high ? 'high' : value >= t.mid ? 'mid' : 'low')

/** What the lifecycle stage of a member at a date depends on (days counted back from that date). */
export interface LifecycleFacts {
  /** days from registration's local date to the date (0 = registered that day) */
  registeredDaysAgo: number
  /** days since the first purchase; null if never bought by then */
  firstPurchaseDaysAgo: number | null
  /** days since the last purchase; null if never bought by then */
  recencyDays: number | null
  /**
   * days since the latest purchase that came after at least `dormantDays` without one (a return
   * from dormant or lost); null if none
   */
  lastReturnDaysAgo: number | null
}

export interface LifecycleDays {
  newDays: number
  dormantDays: number
  lostDays: number
}

/**
 * The stage, first rule that holds: new (registered or first purchase within the last newDays
 * days, the date included), prospect (never bought), lost (no purchase for lostDays days or
 * more), dormant (for dormantDays or more), returning (a purchase within the last newDays days
 * that came after dormantDays or more without one), else active.
 */
export const lifecycleOf = (f: LifecycleFacts, d: LifecycleDays): LifecycleStage => {
  if (f.registeredDaysAgo < d.newDays || (f.firstPurchaseDaysAgo !== null && f.firstPurchaseDaysAgo < d.newDays)) return 'new'
  if (f.recencyDays === null) return 'prospect'
  if (f.recencyDays >= d.lostDays) return 'lost'
  if (f.recencyDays >= d.dormantDays) return 'dormant'
  if (f.lastReturnDaysAgo !== null && f.lastReturnDaysAgo < d.newDays) return 'returning'
  return 'active'
}

/** What the lifecycle defaults are derived from: members' mean days between purchases. */
export interface IntervalStats {
  /** members with two purchases or more (who have a mean interval) */
  members: number
  /** nearest-rank percentiles of the members' mean interval, in days */
  p50: number | null
  p80: number | null
}

/** Fewer members with an interval than this, and the defaults fall back to fixed ones. */
export const MIN_MEMBERS_FOR_DERIVATION = 20
export const FALLBACK_LIFECYCLE: LifecycleDays = { newDays: 30, dormantDays: 90, lostDays: 180 }

/**
 * Lifecycle days derived from the chain's own purchase intervals: dormant after the 80th
 * percentile of members' mean interval (rounded up, at least 14 and at most 365 days: four in
 * five regular customers come back sooner), lost after twice that, and new for one median
 * interval (rounded up, from 7 days to the dormant days). With fewer than 20 members who bought
 * twice, the fixed 30 / 90 / 180 days.
 */
export const deriveLifecycleDays = (s: IntervalStats): LifecycleDays => {
  if (s.members < MIN_MEMBERS_FOR_DERIVATION || s.p80 === null || s.p50 === null) return { ...FALLBACK_LIFECYCLE }
  const dormantDays = Math.min(365, Math.max(14, Math.ceil(s.p80)))
  return { newDays: Math.min(dormantDays, Math.max(7, Math.ceil(s.p50))), dormantDays, lostDays: 2 * dormantDays }
}

/** The days in force: HQ's where set, else derived; kept consistent (new ≤ dormant < lost). */
export const effectiveLifecycleDays = (set: InsightSettings['lifecycle'], derived: LifecycleDays): LifecycleDays => {
  const dormantDays = set.dormantDays ?? derived.dormantDays
  const lostDays = set.lostDays ?? (set.dormantDays !== null ? 2 * dormantDays : Math.max(derived.lostDays, dormantDays + 1))
  const newDays = set.newDays ?? Math.min(derived.newDays, dormantDays)
  return { newDays, dormantDays: Math.min(dormantDays, lostDays - 1), lostDays }
}

/** Nearest-rank percentile position (1-based) of p in (0, 1] among n values. */
export const percentilePosition = (p: number, n: number): number => Math.max(1, Math.ceil(p * n))

/** Tercile thresholds from the least value of each third present (as cutsFromLeast with k = 3). */
export const levelThresholds = (least: ReadonlyMap<number, number>, max: number): { mid: number; high: number } => {
  const [mid, high] = cutsFromLeast(least, max, 3)
  return { mid: mid!, high: high! }
}
