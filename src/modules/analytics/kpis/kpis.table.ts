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

export interface KpisTables {
  kpi_targets: KpiTargetsTable
}
