import type { Generated } from 'kysely'
/** Lifecycle stages (issue 12 §2): `prospect` is a member who has never bought and is no longer new. */
export const LIFECYCLE_STAGES = ['new', 'active', 'dormant', 'lost', 'returning', 'prospect'] as const
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number]

/** The eight classic RFM classes (R, F, M each at or above the average = high). */
export const RFM_CLASSES = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
] as const
export type RfmClass = (typeof RFM_CLASSES)[number]

/** Value quadrants (income × yearly spend); `unknown` = no income band, counted apart. */
export const QUADRANTS = ['core', 'develop', 'potential', 'abandon', 'unknown'] as const
export type Quadrant = (typeof QUADRANTS)[number]

export const LEVELS = ['high', 'mid', 'low'] as const
export type Level = (typeof LEVELS)[number]

/**
 * One row per member: the member's behaviour over the window ending `as_of` (the `_w` columns)
 * and over the whole history, a copy of the profile fields segments filter on, and the classes
 * the refresh assigned. Written only by the insight refresh (and the classifier, tag evaluation
 * on their columns); everything in the 洞察 area reads it.
 */
export interface MemberInsightTable {
  member_id: string
  /** the local business date the figures are as of (YYYY-MM-DD) */
  as_of: string
  registration_store_id: string | null
  registered_at: string
  gender: string
  /** '<18' | '18-24' | '25-34' | '35-44' | '45-54' | '55-64' | '65+' ; null without birthday */
  age_band: string | null
  income_band: string | null
  district: string | null
  receipts_w: number
  /** fen, net of returns, in the window */
  spend_w: number
  /** fen: spend_w / receipts_w rounded; 0 without receipts */
  avg_ticket_w: number
  receipts_total: number
  spend_total: number
  first_purchase_at: string | null
  last_purchase_at: string | null
  /** days from the last purchase's local date to as_of; null if never bought */
  recency_days: number | null
  /** mean days between purchases over the whole history; null with fewer than two */
  interval_days: number | null
  stores_visited_w: number
  /** the store with the most spend in the window */
  main_store_id: string | null
  main_department: string | null
  main_category: string | null
  /** ‰ of the window's spend on discounted lines or paid by coupons; null without spend */
  promo_share_pm: number | null
  points_earned_w: number
  points_redeemed_w: number
  coupons_used_w: number
  r_score: number | null
  f_score: number | null
  m_score: number | null
  rfm_class: RfmClass | null
  quadrant: Quadrant | null
  frequency_class: Level | null
  amount_class: Level | null
  lifecycle: LifecycleStage
  updated_at: string
  /** the last CLV fit's predictions (predictions/clv.repository.ts; the refresh leaves them): P(alive) in ‰ */
  p_alive_pm: number | null
  expected_purchases_30: number | null
  expected_purchases_90: number | null
  expected_purchases_365: number | null
  /** fen: the expected value of a purchase (Gamma-Gamma), and the CLV over the fit's horizon */
  expected_value: number | null
  clv: number | null
  clv_fit_id: string | null
}

/** What a member bought per local business day in each department and category ('' = none). */
export interface MemberCategoryDaysTable {
  member_id: string
  day: string
  department: string
  category: string
  receipts: number
  /** fen, net of returns on that day */
  amount: number
  /** fen of `amount` on promotion: lines with a discount or a coupon's share (net of returns) */
  promo: Generated<number>
}

/**
 * What a member bought per local business day and store (posted receipts; a return on its own
 * day and store, negative): kept by the insight refresh like member_category_days.
 */
export interface MemberStoreDaysTable {
  member_id: string
  day: string
  store_id: string
  /** sales (a return is not one) */
  sales: number
  /** fen, net of returns */
  spend: number
  /** the day's first and last sale (UTC ISO); null on a day of returns only */
  first_at: string | null
  last_at: string | null
  /** points earned and used, net of returns */
  earned: number
  used: number
  /** receipts of any kind */
  receipts: number
}

/** Members whose insight an incremental refresh must compute again. */
export interface InsightDirtyTable {
  member_id: string
}

/** Members per lifecycle stage at the end of each month, by registration store ('' = none). */
export interface InsightLifecycleMonthsTable {
  month: string
  store_id: string
  stage: LifecycleStage
  members: number
}

/** Members who moved from one stage (end of the previous month) to another (end of `month`). */
export interface InsightLifecycleFlowsTable {
  month: string
  store_id: string
  from_stage: LifecycleStage
  to_stage: LifecycleStage
  members: number
}

/**
 * Members and sums per registration store and class (kind: rfm, quadrant, level, lifecycle,
 * department, category, age_gender; k1…k4 the class's keys), written by the refresh for the pages.
 */
export interface InsightClassCountsTable {
  kind: string
  store_id: string
  k1: string | null
  k2: string | null
  k3: string | null
  k4: string | null
  members: number
  spend: number
  recency: number
  receipts: number
  /** members who ever bought (recency_days not null): a full refresh moves `recency` by this times the days since the last */
  bought: number
}

export interface InsightTables {
  insight_class_counts: InsightClassCountsTable
  member_insight: MemberInsightTable
  member_category_days: MemberCategoryDaysTable
  member_store_days: MemberStoreDaysTable
  insight_dirty: InsightDirtyTable
  insight_lifecycle_months: InsightLifecycleMonthsTable
  insight_lifecycle_flows: InsightLifecycleFlowsTable
}
