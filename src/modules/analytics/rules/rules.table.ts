/** The item level baskets are mined at. */
export type RuleLevel = 'sku' | 'subcategory' | 'category' | 'department'

/** One association-rule mining run: what was mined, with which thresholds, and what it found. */
export interface RuleRunsTable {
  id: string
  mined_at: string
  level: RuleLevel
  /** the business dates of the receipts mined, inclusive (local) */
  from_date: string
  to_date: string
  /** one store's receipts; null: every store's */
  store_id: string | null
  /** 1: members' receipts only */
  members_only: number
  min_support: number
  min_confidence: number
  min_lift: number
  max_length: number
  /** receipts mined (a sale's distinct items at the level; receipts with none are not baskets) */
  baskets: number
  /** distinct items in the baskets */
  items: number
  itemsets: number
  /** rules found */
  rules: number
  /** rules found beyond the stored ones (the strongest by lift are kept) */
  rules_dropped: number
  seconds: number
  created_by: string
}

/** A rule of a run: antecedent ⇒ consequent, with the counts its measures come from. */
export interface AssociationRulesTable {
  run_id: string
  /** 1 = the strongest (by lift, then confidence, then baskets) */
  rank: number
  /** JSON array of item keys: the product id at the SKU level, the level's name otherwise */
  antecedent: string
  consequent: string
  /** items on both sides */
  size: number
  /** baskets with every item of the rule */
  baskets: number
  antecedent_count: number
  consequent_count: number
  support: number
  confidence: number
  lift: number
}

export interface RulesTables {
  rule_runs: RuleRunsTable
  association_rules: AssociationRulesTable
}
