/** A KPI target HQ sets (issue 12 §6). Owned by analytics. */
export interface KpiTargetsTable {
  id: string
  /** YYYY-MM (a month) or YYYY (a year) */
  period: string
  scope_kind: 'chain' | 'region' | 'store'
  /** the region's or store's id; '' for the chain */
  scope_id: string
  /** one of TARGET_METRICS (kpi-rules.ts) */
  metric: string
  /** in the metric's unit: a count, fen, receipts per member, or a ratio (0.35 = 35%) */
  target: number
  created_by: string | null
  created_at: string
  updated_at: string
}

/** Per store ('' for none) and local business day: sales sums and live members registered. */
export interface KpiStoreDaysTable {
  store_id: string
  day: string
  net_sales: number
  member_net_sales: number
  member_sale_receipts: number
  non_member_sale_receipts: number
  new_members: number
  /** points issued and redeemed (net of returns) by entries of that store and local day */
  points_issued: number
  points_redeemed: number
}

/** Per scope (the chain '', a region's or a store's id) and month (YYYY-MM): distinct buying members. */
export interface KpiScopeMonthsTable {
  scope_id: string
  month: string
  active: number
  retained: number
  repeat: number
}

/** Watermarks of the KPI read model ('receipts', 'members': the created/updated time read up to; 'at': the last refresh). */
export interface KpiStateTable {
  key: string
  value: string
}

export interface KpisTables {
  kpi_targets: KpiTargetsTable
  kpi_store_days: KpiStoreDaysTable
  kpi_scope_months: KpiScopeMonthsTable
  kpi_state: KpiStateTable
}
