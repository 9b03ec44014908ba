// redeem: points paid for a gift; draw: a lucky draw's entry; award: a prize or a year-end rebate.
export type EntryKind = 'earn' | 'spend' | 'reversal' | 'refund' | 'expire' | 'adjust' | 'merge' | 'redeem' | 'draw' | 'award'
export type RuleKind = 'base' | 'multiplier' | 'birthday' | 'cap'
export type TierChangeReason = 'initial' | 'upgrade' | 'downgrade' | 'manual'

export interface PointsAccountsTable {
  member_id: string
  /** may be negative after a return reversed points already spent; a negative balance blocks spending */
  balance: number
  tier_code: string | null
  tier_since: string | null
  /** when the member first fell below the tier's threshold at an evaluation; downgrade after the grace period */
  tier_below_since: string | null
  updated_at: string
}

/** Points earned in one period, with their expiry; `remaining` never goes below zero. */
export interface PointsLotsTable {
  id: string
  member_id: string
  /** the last local date on which the points can be used */
  expires_on: string
  earned: number
  remaining: number
  created_at: string
}

export interface PointsEntriesTable {
  id: string
  member_id: string
  kind: EntryKind
  /** signed */
  points: number
  balance_after: number
  receipt_id: string | null
  store_id: string | null
  reference: string | null
  reason: string | null
  actor_id: string | null
  actor_name: string | null
  created_at: string
}

/** How an entry moved points into or out of lots; points not allocated to a lot moved the debt. */
export interface PointsAllocationsTable {
  entry_id: string
  lot_id: string
  points: number
}

export interface PointsExpiryNoticesTable {
  lot_id: string
  member_id: string
  points: number
  expires_on: string
  notified_at: string
}

export interface LoyaltyRulesTable {
  id: string
  /** the same rule across its versions */
  rule_key: string
  version: number
  name: string
  kind: RuleKind
  /** JSON of the rule's parameters */
  definition: string
  /** JSON array, null = every store */
  store_ids: string | null
  /** JSON array, null = every region */
  region_ids: string | null
  valid_from: string
  valid_to: string | null
  status: 'active' | 'disabled'
  created_by: string | null
  created_at: string
}

export interface TiersTable {
  code: string
  name: string
  rank: number
  /** fen of spend (or points earned, by policy) over the qualifying window */
  threshold: number
  /** 100 = earns the base; 150 = one and a half times */
  earn_factor_pct: number
  member_prices: number
  created_at: string
  updated_at: string
}

export interface MemberTierHistoryTable {
  id: string
  member_id: string
  from_tier: string | null
  to_tier: string
  reason: TierChangeReason
  qualifying_value: number
  receipt_id: string | null
  actor_id: string | null
  at: string
}

export interface LoyaltySettingsTable {
  key: string
  value: string
  updated_by: string | null
  updated_at: string
}

export interface LoyaltyTables {
  points_accounts: PointsAccountsTable
  points_lots: PointsLotsTable
  points_entries: PointsEntriesTable
  points_allocations: PointsAllocationsTable
  points_expiry_notices: PointsExpiryNoticesTable
  loyalty_rules: LoyaltyRulesTable
  tiers: TiersTable
  member_tier_history: MemberTierHistoryTable
  loyalty_settings: LoyaltySettingsTable
}
