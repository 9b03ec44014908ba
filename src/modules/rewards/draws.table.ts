export type PrizeKind = 'coupon' | 'points' | 'gift'

export interface DrawsTable {
  id: string
  name: string
  description: string | null
  starts_at: string
  ends_at: string
  /** points each entry costs (0 = free) */
  entry_points: number
  /** JSON string[] of tier codes that enter free */
  free_tiers: string | null
  /**
   * each of the member's sales of at least this many fen (net of returns) made within the draw's
   * window gives one free entry, used by the next entry after it (once per receipt); null = none
   */
  free_min_spend: number | null
  per_member_limit: number | null
  per_day_limit: number | null
  /** the weight of "no prize" beside the prizes' weights */
  no_prize_weight: number
  /** when the drawn prize is out: 'no_prize', or the id of the prize given instead */
  fallback: string
  status: 'draft' | 'active' | 'closed'
  created_by: string | null
  created_at: string
  updated_at: string
}

export interface DrawPrizesTable {
  id: string
  draw_id: string
  seq: number
  name: string
  kind: PrizeKind
  coupon_template_id: string | null
  points: number | null
  gift_id: string | null
  stock: number
  won: number
  /** chance = weight / (Σ weights + no_prize_weight) */
  weight: number
}

export interface DrawEntriesTable {
  id: string
  draw_id: string
  member_id: string
  /** the chain's local date of the draw, for per-day limits */
  business_date: string
  /** points paid: the 'draw' ledger entry referencing this entry's id */
  cost_points: number
  /** null: paid; 'tier' or 'purchase' */
  free_reason: string | null
  /** the receipt a free purchase entry used (once per receipt) */
  receipt_id: string | null
  prize_id: string | null
  outcome: 'won' | 'lost'
  /** the drawn prize was out and the fallback was given */
  fell_back: number
  coupon_id: string | null
  gift_order_id: string | null
  /** the points ledger entry that gave a points prize */
  entry_id: string | null
  actor_name: string | null
  created_at: string
}

export interface DrawsTables {
  draws: DrawsTable
  draw_prizes: DrawPrizesTable
  draw_entries: DrawEntriesTable
}
