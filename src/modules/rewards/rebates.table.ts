export type RebateBasis = 'points' | 'spend'
export type RebateReward = 'points' | 'coupon'

export interface RebateProgrammesTable {
  id: string
  name: string
  /** local dates, inclusive */
  period_from: string
  period_to: string
  basis: RebateBasis
  /** JSON [{ min, rateBp, fixed }]: the bracket with the highest min not above the basis applies */
  brackets: string
  /** JSON { tierCode: rateBp }: a rate per tier (instead of the brackets' rates), or null */
  tier_rates: string | null
  reward: RebateReward
  coupon_template_id: string | null
  /** rebates below this (fen or points) are not given */
  min_rebate: number
  /** draft: editable; running: a run started (running it again resumes); completed: all given */
  status: 'draft' | 'running' | 'completed'
  /** kept up to date by each chunk of the run, in the transaction that writes its awards */
  members_rewarded: number
  /** in the reward's unit: fen of coupon value, or points */
  total_rebate: number
  /** fen per point the run converts with, fixed when it starts (null while a draft) */
  point_value_fen: number | null
  created_by: string | null
  created_at: string
  updated_at: string
  run_at: string | null
  run_by: string | null
}

export interface RebateAwardsTable {
  programme_id: string
  member_id: string
  /** fen or points, as the programme's basis */
  basis: number
  /** fen (a coupon's face value) or points, as the programme's reward */
  rebate: number
  coupon_id: string | null
  entry_id: string | null
  created_at: string
}

export interface RebatesTables {
  rebate_programmes: RebateProgrammesTable
  rebate_awards: RebateAwardsTable
}
