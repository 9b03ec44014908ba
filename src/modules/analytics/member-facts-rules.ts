import type { MemberMonthlyActivityTable, MemberPurchaseStatsTable } from './member-facts.table.js'

/** One receipt's or return's change to a member's facts. */
export interface PurchaseFactDelta {
  memberId: string
  /** the receipt's business time (ISO UTC) */
  businessAt: string
  /** YYYY-MM of the receipt's local business date */
  month: string
  /** 1 for a sale, 0 for a return */
  receipts: number
  /** fen, signed (a return is negative) */
  spend: number
  /** points earned, signed (a return's reversal is negative) */
  points: number
}

export interface MemberFacts {
  memberId: string
  firstPurchaseAt: string | null
  lastPurchaseAt: string | null
  receiptCount: number
  /** fen, net of returns */
  spendTotal: number
  pointsEarnedTotal: number
  receiptCount12m: number
  spend12m: number
  pointsEarned12m: number
  /** the month (YYYY-MM, local) whose 12-month window the *12m figures cover */
  windowMonth: string
  updatedAt: string
}

/** Receipts, spend and points of the monthly rows of a 12-month window. */
export interface FactsWindow {
  receipts: number
  spend: number
  points: number
}

export const EMPTY_WINDOW: FactsWindow = { receipts: 0, spend: 0, points: 0 }

/** YYYY-MM shifted by `delta` months. */
export const addMonths = (month: string, delta: number): string => {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`
}

/** The first and last month of the 12-month window ending with `month`. */
export const windowMonths = (month: string): { from: string; to: string } => ({ from: addMonths(month, -11), to: month })

export const isInWindow = (month: string, windowMonth: string): boolean => month >= addMonths(windowMonth, -11) && month <= windowMonth

/**
 * Whether adding to these facts needs the window summed again from the monthly rows: a member
 * without facts yet, or whose stored window is of an earlier month (the month has turned).
 */
export const needsWindow = (facts: MemberFacts | undefined, currentMonth: string): boolean =>
  !facts || facts.windowMonth !== currentMonth

const minOf = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x < y ? x : y)
const maxOf = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x > y ? x : y)

/**
 * The facts after one more receipt or return. `windowBefore` is what the monthly rows of the
 * window ending `currentMonth` add up to without this delta; it is needed only when
 * `needsWindow(facts, currentMonth)`, otherwise the stored window is carried forward.
 */
export const nextFacts = (facts: MemberFacts | undefined, d: PurchaseFactDelta, ctx: { currentMonth: string; now: string; windowBefore?: FactsWindow }): MemberFacts => {
  const isSale = d.receipts > 0
  let base: FactsWindow
  if (needsWindow(facts, ctx.currentMonth)) {
    if (!ctx.windowBefore) throw new Error(`nextFacts: the window of ${d.memberId} for ${ctx.currentMonth} is needed`)
    base = ctx.windowBefore
  } else {
    base = { receipts: facts!.receiptCount12m, spend: facts!.spend12m, points: facts!.pointsEarned12m }
  }
  const add = isInWindow(d.month, ctx.currentMonth)
  return {
    memberId: d.memberId,
    firstPurchaseAt: isSale ? minOf(facts?.firstPurchaseAt ?? null, d.businessAt) : facts?.firstPurchaseAt ?? null,
    lastPurchaseAt: isSale ? maxOf(facts?.lastPurchaseAt ?? null, d.businessAt) : facts?.lastPurchaseAt ?? null,
    receiptCount: (facts?.receiptCount ?? 0) + d.receipts,
    spendTotal: (facts?.spendTotal ?? 0) + d.spend,
    pointsEarnedTotal: (facts?.pointsEarnedTotal ?? 0) + d.points,
    receiptCount12m: base.receipts + (add ? d.receipts : 0),
    spend12m: base.spend + (add ? d.spend : 0),
    pointsEarned12m: base.points + (add ? d.points : 0),
    windowMonth: ctx.currentMonth,
    updatedAt: ctx.now,
  }
}

/**
 * One person's facts from two records (a merge): totals add up, first and last purchase span
 * both; the window is left for the caller to sum again from the merged monthly rows.
 */
export const mergeFacts = (from: MemberFacts, into: MemberFacts | undefined, ctx: { currentMonth: string; now: string; window: FactsWindow }): MemberFacts => ({
  memberId: into?.memberId ?? from.memberId,
  firstPurchaseAt: minOf(from.firstPurchaseAt, into?.firstPurchaseAt ?? null),
  lastPurchaseAt: maxOf(from.lastPurchaseAt, into?.lastPurchaseAt ?? null),
  receiptCount: from.receiptCount + (into?.receiptCount ?? 0),
  spendTotal: from.spendTotal + (into?.spendTotal ?? 0),
  pointsEarnedTotal: from.pointsEarnedTotal + (into?.pointsEarnedTotal ?? 0),
  receiptCount12m: ctx.window.receipts,
  spend12m: ctx.window.spend,
  pointsEarned12m: ctx.window.points,
  windowMonth: ctx.currentMonth,
  updatedAt: ctx.now,
})

/** The monthly rows the deltas add to, one per member and month. */
export const monthlyRows = (deltas: readonly PurchaseFactDelta[]): MemberMonthlyActivityTable[] => {
  const rows = new Map<string, MemberMonthlyActivityTable>()
  for (const d of deltas) {
    const key = `${d.memberId}\u0000${d.month}`
    const row = rows.get(key) ?? { member_id: d.memberId, month: d.month, receipt_count: 0, spend: 0, points_earned: 0 }
    row.receipt_count += d.receipts
    row.spend += d.spend
    row.points_earned += d.points
    rows.set(key, row)
  }
  return [...rows.values()]
}

export const toMemberFacts = (row: MemberPurchaseStatsTable): MemberFacts => ({
  memberId: row.member_id,
  firstPurchaseAt: row.first_purchase_at,
  lastPurchaseAt: row.last_purchase_at,
  receiptCount: Number(row.receipt_count),
  spendTotal: Number(row.spend_total),
  pointsEarnedTotal: Number(row.points_earned_total),
  receiptCount12m: Number(row.receipt_count_12m),
  spend12m: Number(row.spend_12m),
  pointsEarned12m: Number(row.points_earned_12m),
  windowMonth: row.window_month,
  updatedAt: row.updated_at,
})

export const toFactsRow = (f: MemberFacts): MemberPurchaseStatsTable => ({
  member_id: f.memberId,
  first_purchase_at: f.firstPurchaseAt,
  last_purchase_at: f.lastPurchaseAt,
  receipt_count: f.receiptCount,
  spend_total: f.spendTotal,
  points_earned_total: f.pointsEarnedTotal,
  receipt_count_12m: f.receiptCount12m,
  spend_12m: f.spend12m,
  points_earned_12m: f.pointsEarned12m,
  window_month: f.windowMonth,
  updated_at: f.updatedAt,
})
