/**
 * Temporary tables of one lifecycle history computation (classes.repository.ts): created in the
 * refresh's transaction, dropped at its end, never in the schema. Declared here so the query
 * check knows whose they are.
 */
export interface ClassesScratchTables {
  /** the months of the history's month-ends */
  classes_tmp_ends: { m: string }
  /** per member and month-end (from the first purchase on): first and last purchase, latest return from dormancy */
  classes_tmp_spans: { member_id: string; m: string; first_d: string; last_d: string; ret: string | null }
  /** the rows of member_insight a partial count reads (the dirty or changed members, the gone, or one), copied once for its seven groupings */
  class_counts_rows: {
    registration_store_id: string | null; rfm_class: string | null; r_score: number | null; f_score: number | null; m_score: number | null
    quadrant: string | null; frequency_class: string | null; amount_class: string | null; lifecycle: string | null
    main_department: string | null; main_category: string | null; age_band: string | null; gender: string | null
    spend_w: number; recency_days: number | null; receipts_w: number
  }
  /** the class counts folded into one row per group before they replace insight_class_counts */
  class_counts_tmp: { kind: string; store_id: string; k1: string | null; k2: string | null; k3: string | null; k4: string | null; members: number; spend: number; recency: number; receipts: number; bought: number }
  /** a full refresh's members whose part of the class counts changes (new, other groups or sums, or not as of the last date) */
  class_counts_changed: { member_id: string }
}
