/**
 * Per-member purchase facts: one row per member and one per member and month. Written only by
 * the facts writer (member-facts.ts); loyalty's tier window and later insight read them.
 */
export interface MemberPurchaseStatsTable {
  member_id: string
  first_purchase_at: string | null
  last_purchase_at: string | null
  receipt_count: number
  /** fen, net of returns */
  spend_total: number
  points_earned_total: number
  receipt_count_12m: number
  spend_12m: number
  points_earned_12m: number
  /** the month (YYYY-MM, local) whose 12-month window the *_12m columns cover */
  window_month: string
  updated_at: string
}

export interface MemberMonthlyActivityTable {
  member_id: string
  /** YYYY-MM of the receipts' local business date */
  month: string
  receipt_count: number
  spend: number
  points_earned: number
}

export interface MemberFactsTables {
  member_purchase_stats: MemberPurchaseStatsTable
  member_monthly_activity: MemberMonthlyActivityTable
}
