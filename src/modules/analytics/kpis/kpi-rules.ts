import { addDays } from '../../../shared/time.js'

// Pure KPI logic (issue 12 §5): periods of a grain, their 环比 and 同比 periods, and the figures
// from the per-period sums the repository reads. No I/O, no clock.

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const
export type Grain = (typeof GRAINS)[number]

/** The most periods one request may ask for, per grain (about a year of days, two of weeks, five of months or quarters, ten years). */
export const MAX_PERIODS: Record<Grain, number> = { day: 400, week: 106, month: 60, quarter: 20, year: 10 }

/** A period of local business dates, both ends inclusive. */
export interface Period {
  /** 2026-03-02 (day), 2026-W10 (ISO week, Monday to Sunday), 2026-03 (month), 2026-Q4 (quarter: Q1 = Jan–Mar), 2026 (year) */
  key: string
  from: string
  to: string
}

const DAY = 86_400_000
const toMs = (date: string): number => Date.parse(`${date}T00:00:00Z`)
const toDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
export { addDays }

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

const monthEnd = (y: number, m: number): string => toDate(Date.UTC(y, m, 0))

/** ISO week-numbering year and week of a date. */
const isoWeek = (date: string): { year: number; week: number } => {
  const d = new Date(toMs(date))
  const dow = (d.getUTCDay() + 6) % 7
  const thursday = new Date(d.getTime() + (3 - dow) * DAY)
  const year = thursday.getUTCFullYear()
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7)
  return { year, week }
}

/** The period of a grain that holds a date. */
export const periodOf = (grain: Grain, date: string): Period => {
  if (grain === 'year') return { key: date.slice(0, 4), from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-12-31` }
  if (grain === 'day') return { key: date, from: date, to: date }
  if (grain === 'week') {
    const dow = (new Date(toMs(date)).getUTCDay() + 6) % 7
    const from = addDays(date, -dow)
    const { year, week } = isoWeek(from)
    return { key: `${year}-W${pad(week)}`, from, to: addDays(from, 6) }
  }
  const [y, m] = date.split('-').map(Number) as [number, number]
  if (grain === 'quarter') {
    const q = Math.ceil(m / 3)
    return { key: `${y}-Q${q}`, from: `${y}-${pad(3 * q - 2)}-01`, to: monthEnd(y, 3 * q) }
  }
  return { key: `${y}-${pad(m)}`, from: `${y}-${pad(m)}-01`, to: monthEnd(y, m) }
}

/** The periods that overlap [from, to], in order (the first and last may reach outside it). */
export const periodsBetween = (grain: Grain, from: string, to: string): Period[] => {
  const out: Period[] = []
  for (let p = periodOf(grain, from); p.from <= to; p = periodOf(grain, addDays(p.to, 1))) {
    // Past 9999-12-31 a date is no longer YYYY-MM-DD (it sorts before it, and the periods stop
    // moving): that period lies after any `to`.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.from)) break
    out.push(p)
  }
  return out
}

/** 环比: the period just before. */
export const previousPeriod = (grain: Grain, p: Period): Period => periodOf(grain, addDays(p.from, -1))

/**
 * 同比: the same period a year before: the same calendar day, month or quarter, and for a week the
 * week 52 weeks before (so it also runs Monday to Sunday). 29 February compares with 28 February.
 * A year's 同比 is the year before, the same period as its 环比 (what 年同比 means to a retailer).
 */
export const sameLastYear = (grain: Grain, p: Period): Period => {
  if (grain === 'year') return previousPeriod('year', p)
  if (grain === 'week') return periodOf('week', addDays(p.from, -364))
  const [y, m, d] = p.from.split('-').map(Number) as [number, number, number]
  if (grain === 'month' || grain === 'quarter') return periodOf(grain, `${y - 1}-${pad(m)}-01`)
  const last = Number(monthEnd(y - 1, m).slice(8))
  return periodOf('day', `${y - 1}-${pad(m)}-${pad(Math.min(d, last))}`)
}

/**
 * A period as far as it has run: the one holding today (in the chain's zone) is partial, its
 * `days` counted from its start through today; any other is whole (`days` its length).
 */
export interface PeriodSpan extends Period {
  partial: boolean
  days: number
  through: string
}

/** Days from `from` to `to`, both ends counted. */
export const daysBetween = (from: string, to: string): number => Math.round((toMs(to) - toMs(from)) / DAY) + 1

export const spanOf = (p: Period, today: string): PeriodSpan =>
  p.from <= today && today <= p.to
    ? { ...p, partial: true, days: daysBetween(p.from, today), through: today }
    : { ...p, partial: false, days: daysBetween(p.from, p.to), through: p.to }

/**
 * The first `days` days of a period, keyed `2026-11/4` (a month's first four days, a week's Monday
 * to Thursday); the whole period when it has no more days than that (a partial March of 31 days
 * against a February of 28 compares with the whole of February).
 */
export const firstDays = (p: Period, days: number): Period =>
  days >= daysBetween(p.from, p.to) ? p : { key: `${p.key}/${days}`, from: p.from, to: addDays(p.from, days - 1) }

/** Whether a period is only the first days of one (a key from firstDays). */
export const isPart = (p: Period): boolean => p.key.includes('/')

/**
 * What a period's 环比 and 同比 compare with. A whole period: the whole period before and the whole
 * same period last year. A partial one: the same number of days from the start of each (Dec 1–4
 * against Nov 1–4 and last year's Dec 1–4; a week's Monday to Wednesday against Monday to
 * Wednesday; a quarter's first 65 days against the first 65 of the quarter before and of last
 * year's; a year's first 60 days against the first 60 of the year before), never more than
 * the comparison period holds. A day cannot be split (the read model keeps whole days), so today
 * compares with whole days.
 */
export const comparisonsOf = (grain: Grain, p: PeriodSpan): { previous: Period; lastYear: Period } => {
  const previous = previousPeriod(grain, p)
  const lastYear = sameLastYear(grain, p)
  if (!p.partial || grain === 'day') return { previous, lastYear }
  return { previous: firstDays(previous, p.days), lastYear: firstDays(lastYear, p.days) }
}

/**
 * Every period the figures of `periods` need: themselves, their 环比 and 同比 periods, and the
 * period before each of those (churn compares a period with the one before). Sorted, distinct.
 */
export const periodsNeeded = (grain: Grain, periods: readonly Period[]): Period[] => {
  const all = new Map<string, Period>()
  const add = (p: Period) => all.set(p.key, p)
  for (const p of periods) {
    const prev = previousPeriod(grain, p)
    const ly = sameLastYear(grain, p)
    for (const q of [p, prev, ly, previousPeriod(grain, ly), previousPeriod(grain, prev)]) add(q)
  }
  return [...all.values()].sort((a, b) => (a.from < b.from ? -1 : 1))
}

/** Contiguous date ranges [from, toExclusive) covering sorted periods (what the queries read). */
export const rangesOf = (periods: readonly Period[]): Array<{ from: string; until: string }> => {
  const out: Array<{ from: string; until: string }> = []
  for (const p of periods) {
    const last = out.at(-1)
    if (last && last.until === p.from) last.until = addDays(p.to, 1)
    else out.push({ from: p.from, until: addDays(p.to, 1) })
  }
  return out
}

/**
 * The boundaries the queries bucket by: each period's start and the day after its end, sorted.
 * A row dated d falls in interval i when boundaries[i] <= d < boundaries[i + 1]; `intervalOf`
 * maps a period to its interval.
 */
export const boundariesOf = (periods: readonly Period[]): string[] =>
  [...new Set(periods.flatMap((p) => [p.from, addDays(p.to, 1)]))].sort()

/** What the repository sums per period (before any ratio). */
export interface PeriodSums {
  /** live members (active or frozen today) registered before the period's end */
  members: number
  newMembers: number
  /** members with at least one sale in the period (in scope) */
  activeMembers: number
  /** of those, members who also had a sale in the period before (in scope) */
  retainedMembers: number
  /** of those, members whose first sale anywhere in the chain was before the period */
  repeatMembers: number
  /** fen: sales minus returns, each at its own business date */
  netSales: number
  memberNetSales: number
  memberSaleReceipts: number
  nonMemberSaleReceipts: number
  pointsIssued: number
  pointsRedeemed: number
  couponsIssued: number
  couponsRedeemed: number
}

export const EMPTY_SUMS: PeriodSums = {
  members: 0, newMembers: 0, activeMembers: 0, retainedMembers: 0, repeatMembers: 0, netSales: 0, memberNetSales: 0,
  memberSaleReceipts: 0, nonMemberSaleReceipts: 0, pointsIssued: 0, pointsRedeemed: 0, couponsIssued: 0, couponsRedeemed: 0,
}

export const METRICS = [
  'members', 'newMembers', 'activeMembers', 'netSales', 'memberNetSales', 'memberSalesShare', 'avgTicketMember', 'avgTicketNonMember',
  'purchaseFrequency', 'repurchaseRate', 'churnRate', 'retentionRate', 'pointsIssued', 'pointsRedeemed', 'couponsIssued', 'couponsRedeemed',
  'couponRedemptionRate',
] as const
export type Metric = (typeof METRICS)[number]

/** Metrics a target may be set for: every KPI, sales growth (同比) and satisfaction (once surveys exist). */
export const TARGET_METRICS = [...METRICS, 'salesGrowth', 'satisfaction'] as const
export type TargetMetric = (typeof TARGET_METRICS)[number]

/** Metrics that are ratios (0.25 = 25%); the rest are counts, fen or receipts per member. */
export const RATIO_METRICS: ReadonlySet<TargetMetric> = new Set<TargetMetric>([
  'memberSalesShare', 'repurchaseRate', 'churnRate', 'retentionRate', 'couponRedemptionRate', 'salesGrowth',
])

export type Figures = Record<Metric, number | null>

const ratio = (a: number, b: number, digits = 4): number | null => (b === 0 ? null : Math.round((a / b) * 10 ** digits) / 10 ** digits)

/** The figures of a period from its sums and the sums of the period before (for churn). */
export const figuresOf = (s: PeriodSums, before: PeriodSums | null): Figures => {
  const churn = before ? ratio(before.activeMembers - s.retainedMembers, before.activeMembers) : null
  const avgMember = ratio(s.memberNetSales, s.memberSaleReceipts, 0)
  const avgNon = ratio(s.netSales - s.memberNetSales, s.nonMemberSaleReceipts, 0)
  return {
    members: s.members,
    newMembers: s.newMembers,
    activeMembers: s.activeMembers,
    netSales: s.netSales,
    memberNetSales: s.memberNetSales,
    memberSalesShare: s.netSales > 0 ? ratio(s.memberNetSales, s.netSales) : null,
    avgTicketMember: avgMember,
    avgTicketNonMember: avgNon,
    purchaseFrequency: ratio(s.memberSaleReceipts, s.activeMembers, 2),
    repurchaseRate: ratio(s.repeatMembers, s.activeMembers),
    churnRate: churn,
    retentionRate: churn === null ? null : Math.round((1 - churn) * 10_000) / 10_000,
    pointsIssued: s.pointsIssued,
    pointsRedeemed: s.pointsRedeemed,
    couponsIssued: s.couponsIssued,
    couponsRedeemed: s.couponsRedeemed,
    couponRedemptionRate: ratio(s.couponsRedeemed, s.couponsIssued),
  }
}

/** Relative change from `before` to `now` (0.1 = +10%); null without a base to compare with. */
export const changeOf = (now: number | null, before: number | null): number | null =>
  now === null || before === null || before === 0 ? null : Math.round(((now - before) / Math.abs(before)) * 10_000) / 10_000

export interface Compared {
  value: number | null
  /** 环比: the period before */
  previous: number | null
  previousChange: number | null
  /** 同比: the same period last year */
  lastYear: number | null
  lastYearChange: number | null
}

export const compare = (now: number | null, previous: number | null, lastYear: number | null): Compared => ({
  value: now, previous, previousChange: changeOf(now, previous), lastYear, lastYearChange: changeOf(now, lastYear),
})
