import { daysBetween, plusDays } from './time.js'

// The figures the insight pages show, computed the plain way (arrays and maps, straight from the
// definitions in the README's Insight section) so the real-data tests can hold Patron's SQL to them.

/** A posted receipt as the figures see it. */
export interface PlainReceipt {
  kind: 'sale' | 'return'
  customer: string | null
  /** business date (YYYY-MM-DD) */
  date: string
  /** fen, positive on both kinds */
  total: number
}

/** Σ of the largest ⌈…⌉ `top` values over Σ of all: the share of the top of a ranking. */
export const shareOfTop = (values: readonly number[], top: number): number => {
  const sorted = [...values].sort((a, b) => b - a)
  const total = sorted.reduce((a, v) => a + v, 0)
  return sorted.slice(0, top).reduce((a, v) => a + v, 0) / total
}

/**
 * Scores 1–k by rank, with ties sharing the rank of the first of them (SQL's RANK()): the value
 * of rank r among n gets 1 + ⌊k·(r − 1)/n⌋. `better` says which way ranks: for F and M the
 * smallest value is rank 1 (score 1); for R the most days since the last purchase is rank 1.
 */
export const scoresByRank = (values: readonly number[], k: number, lowestFirst: 'ascending' | 'descending'): number[] => {
  const sorted = [...values].sort((a, b) => (lowestFirst === 'ascending' ? a - b : b - a))
  const rankOf = new Map<number, number>()
  sorted.forEach((v, i) => { if (!rankOf.has(v)) rankOf.set(v, i + 1) })
  return values.map((v) => 1 + Math.floor((k * (rankOf.get(v)! - 1)) / values.length))
}

/** How many of each score 1–5. */
export const countScores = (scores: readonly number[]): Record<1 | 2 | 3 | 4 | 5, number> => {
  const out = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }
  for (const s of scores) out[s as 1 | 2 | 3 | 4 | 5]++
  return out
}

/** One member's behaviour in the window (asOf − days, asOf] and before. */
export interface WindowFacts {
  customer: string
  /** sale receipts in the window */
  receipts: number
  /** fen, sales minus returns in the window */
  spend: number
  /** days from the last sale's date (whole history up to asOf) to asOf */
  recencyDays: number
}

/** Per customer: receipts and net spend in the window, days since the last sale (up to as-of). */
export const windowFacts = (receipts: readonly PlainReceipt[], asOf: string, days: number): Map<string, WindowFacts> => {
  const from = plusDays(asOf, 1 - days)
  const out = new Map<string, WindowFacts>()
  const lastSale = new Map<string, string>()
  for (const r of receipts) {
    if (!r.customer || r.date > asOf) continue
    if (r.kind === 'sale' && (lastSale.get(r.customer) ?? '') < r.date) lastSale.set(r.customer, r.date)
    if (r.date < from) continue
    const f = out.get(r.customer) ?? { customer: r.customer, receipts: 0, spend: 0, recencyDays: 0 }
    if (r.kind === 'sale') { f.receipts++; f.spend += r.total } else f.spend -= r.total
    out.set(r.customer, f)
  }
  for (const f of out.values()) {
    const last = lastSale.get(f.customer)
    f.recencyDays = last ? daysBetween(last, asOf) : Number.NaN
  }
  return out
}

export interface MonthFigures {
  month: string
  /** members with a sale in the month */
  active: number
  /** of them, members whose first sale was before the month */
  repeat: number
  /** repeat / active, to 4 decimals */
  repurchaseRate: number | null
  /** fen: members' sales minus returns dated in the month */
  memberNetSales: number
  memberSaleReceipts: number
  /** fen: memberNetSales / memberSaleReceipts, rounded */
  avgTicketMember: number | null
}

/** Month-by-month member KPIs (calendar months of the business date). */
export const monthlyFigures = (receipts: readonly PlainReceipt[]): MonthFigures[] => {
  const firstSale = new Map<string, string>()
  for (const r of receipts) {
    if (r.kind === 'sale' && r.customer && (!firstSale.has(r.customer) || r.date < firstSale.get(r.customer)!)) firstSale.set(r.customer, r.date)
  }
  const months = new Map<string, { active: Set<string>; net: number; count: number }>()
  for (const r of receipts) {
    if (!r.customer) continue
    const m = r.date.slice(0, 7)
    const acc = months.get(m) ?? { active: new Set<string>(), net: 0, count: 0 }
    if (r.kind === 'sale') { acc.active.add(r.customer); acc.net += r.total; acc.count++ } else acc.net -= r.total
    months.set(m, acc)
  }
  return [...months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, acc]) => {
    const repeat = [...acc.active].filter((c) => firstSale.get(c)! < `${month}-01`).length
    const active = acc.active.size
    return {
      month, active, repeat,
      repurchaseRate: active ? Math.round((repeat / active) * 10_000) / 10_000 : null,
      memberNetSales: acc.net, memberSaleReceipts: acc.count,
      avgTicketMember: acc.count ? Math.round(acc.net / acc.count) : null,
    }
  })
}

/** The nearest-rank percentile: the value at position ⌈p·n⌉ (at least 1) of the ascending values. */
export const nearestRank = <T>(ascending: readonly T[], p: number): T | undefined => ascending[Math.max(1, Math.ceil(p * ascending.length)) - 1]

export type QuadrantName = 'core' | 'develop' | 'potential' | 'abandon' | 'unknown'

/**
 * The value quadrants: without an income band, unknown; otherwise high income at or above the
 * threshold band (by the bands' order), high spend at or above the threshold (fen in the window).
 */
export const quadrantCounts = (
  members: ReadonlyArray<{ band: string | null; spend: number }>,
  bands: readonly string[],
  threshold: { band: string; spend: number },
): Record<QuadrantName, number> => {
  const out: Record<QuadrantName, number> = { core: 0, develop: 0, potential: 0, abandon: 0, unknown: 0 }
  for (const m of members) {
    if (m.band === null) { out.unknown++; continue }
    const rich = bands.indexOf(m.band) >= bands.indexOf(threshold.band)
    const spends = m.spend >= threshold.spend
    out[rich ? (spends ? 'core' : 'potential') : (spends ? 'develop' : 'abandon')]++
  }
  return out
}

export type Stage = 'new' | 'active' | 'dormant' | 'lost' | 'returning' | 'prospect'

export interface LifecycleResult {
  days: { newDays: number; dormantDays: number; lostDays: number }
  intervals: { members: number; p50: number | null; p80: number | null }
  stages: Record<Stage, number>
}

/**
 * Lifecycle stages at `asOf` with the days derived from the members' own purchase intervals
 * (mean days between first and last sale over sales − 1, for members with two sales or more):
 * dormant after the nearest-rank 80th percentile rounded up (14 to 365 days), lost after twice
 * that, new for the median rounded up (7 days to the dormant days). A member is, first rule that
 * holds: new (registered, or first sale, within the last newDays days), prospect (never bought),
 * lost, dormant (days since the last sale), returning (a sale within newDays days that came
 * dormantDays or more after the one before), else active. `registered` maps each member to the
 * business date of registration.
 */
export const lifecycleStages = (receipts: readonly PlainReceipt[], registered: ReadonlyMap<string, string>, asOf: string): LifecycleResult => {
  const saleDays = new Map<string, Set<string>>()
  const sales = new Map<string, number>()
  for (const r of receipts) {
    if (!r.customer || r.kind !== 'sale' || r.date > asOf) continue
    const days = saleDays.get(r.customer) ?? saleDays.set(r.customer, new Set()).get(r.customer)!
    days.add(r.date)
    sales.set(r.customer, (sales.get(r.customer) ?? 0) + 1)
  }
  const sorted = new Map([...saleDays].map(([c, d]) => [c, [...d].sort()]))
  const intervals = [...sorted].filter(([c]) => sales.get(c)! > 1)
    .map(([c, d]) => daysBetween(d[0]!, d.at(-1)!) / (sales.get(c)! - 1)).sort((a, b) => a - b)
  const p50 = nearestRank(intervals, 0.5) ?? null
  const p80 = nearestRank(intervals, 0.8) ?? null
  const derived = intervals.length < 20 || p50 === null || p80 === null
    ? { newDays: 30, dormantDays: 90, lostDays: 180 }
    : (() => {
        const dormantDays = Math.min(365, Math.max(14, Math.ceil(p80)))
        return { newDays: Math.min(dormantDays, Math.max(7, Math.ceil(p50))), dormantDays, lostDays: 2 * dormantDays }
      })()
  const newFrom = plusDays(asOf, 1 - derived.newDays)
  const stages: Record<Stage, number> = { new: 0, active: 0, dormant: 0, lost: 0, returning: 0, prospect: 0 }
  for (const [member, registeredOn] of registered) {
    const days = sorted.get(member) ?? []
    const stage: Stage = (() => {
      if (registeredOn >= newFrom || (days[0] !== undefined && days[0] >= newFrom)) return 'new'
      const last = days.at(-1)
      if (last === undefined) return 'prospect'
      const recency = daysBetween(last, asOf)
      if (recency >= derived.lostDays) return 'lost'
      if (recency >= derived.dormantDays) return 'dormant'
      const returned = days.some((d, i) => i > 0 && d >= newFrom && daysBetween(days[i - 1]!, d) >= derived.dormantDays)
      return returned ? 'returning' : 'active'
    })()
    stages[stage]++
  }
  return { days: derived, intervals: { members: intervals.length, p50, p80 }, stages }
}
