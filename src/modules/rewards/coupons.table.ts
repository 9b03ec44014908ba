export type CouponKind = 'amount' | 'percent' | 'threshold' | 'free_item' | 'points_multiplier'
export type CouponStatus = 'issued' | 'used' | 'expired' | 'voided'
export type CouponSource = 'staff' | 'bulk' | 'rule' | 'rebate' | 'draw' | 'campaign' | 'journey'
/** none: alone on a receipt; all: with any other stackable coupon; listed: with the templates in stacks_with */
export type CouponStacking = 'none' | 'all' | 'listed'
export type TemplateStatus = 'active' | 'paused' | 'archived'

export interface CouponTemplatesTable {
  id: string
  name: string
  description: string | null
  kind: CouponKind
  /**
   * amount and threshold: fen off; percent: percent off (1–99); free_item: pieces given free;
   * points_multiplier: the multiplier × 100 (200 = double points)
   */
  value: number
  /** percent: the most fen one coupon takes off; null = no cap */
  max_discount: number | null
  /** fen the lines it applies to must come to (threshold: 满 X) */
  min_spend: number
  /** free_item: the SKU given free */
  free_sku: string | null
  /** JSON { departments?, categories?, brands?, skus? }: the lines it applies to; null = every line */
  scope: string | null
  /** JSON string[]; null = every store */
  store_ids: string | null
  /** JSON string[]; null = every region */
  region_ids: string | null
  /** the least tier a member needs to use it; null = any member */
  min_tier: string | null
  /** fixed validity: local dates, inclusive */
  valid_from: string | null
  valid_to: string | null
  /** validity counted from the issue day (the issue day is day 1) */
  valid_days: number | null
  stacking: CouponStacking
  /** JSON string[] of template ids, when stacking is 'listed' */
  stacks_with: string | null
  /** 1: a return of everything on the receipt gives the coupon back */
  restore_on_return: number
  /** automatic issue: 'registration' gives one to each member who registers (not imports) */
  auto_issue: string | null
  max_issued: number | null
  /** fen of discount the template may give in all */
  max_redeemed_value: number | null
  issued_count: number
  redeemed_value: number
  status: TemplateStatus
  created_by: string | null
  created_at: string
  updated_at: string
}

export interface CouponsTable {
  id: string
  /** what the member shows: unique, unguessable */
  code: string
  template_id: string
  member_id: string
  status: CouponStatus
  /** the face value: the template's, or the rebate's for a rebate coupon (amount, threshold) */
  value: number
  /** one coupon per (template, member, issue_key): a re-run issue changes nothing */
  issue_key: string
  source: CouponSource
  issued_by: string | null
  issued_at: string
  /** local dates, inclusive */
  valid_from: string
  valid_to: string
  used_at: string | null
  used_receipt_id: string | null
  used_store_id: string | null
  /** fen it took off (0 for a points multiplier) */
  discount: number
  /** points a multiplier added */
  bonus_points: number
  voided_at: string | null
  voided_by: string | null
  void_reason: string | null
  expired_at: string | null
  /** the last time a return gave it back */
  restored_at: string | null
}

export interface CouponIssuesTable {
  id: string
  template_id: string
  issue_key: string
  source_name: string
  status: 'running' | 'completed' | 'failed'
  total: number
  issued: number
  skipped: number
  failed: number
  /** JSON [{ line, value, reason }] (the first 1,000) */
  errors: string
  error_message: string | null
  created_by: string | null
  /** the store it was issued for (a store's staff issue to their own store's members); null: HQ's */
  store_id: string | null
  created_at: string
  finished_at: string | null
}

export interface CouponsTables {
  coupon_templates: CouponTemplatesTable
  coupons: CouponsTable
  coupon_issues: CouponIssuesTable
}
