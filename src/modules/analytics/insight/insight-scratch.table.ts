/**
 * Temporary tables of one insight refresh (insight.repository.ts): created in its transaction,
 * dropped at its end, never in the schema. Declared here so the query check knows whose they are.
 */
export interface InsightScratchTables {
  insight_tmp_lines: { member_id: string; day: string; department: string; category: string; receipts: number; amount: number; promo: number }
  insight_tmp_stores: { member_id: string; store_id: string }
  insight_tmp_members: { member_id: string }
  insight_tmp_main_store: { member_id: string; store_id: string }
  insight_tmp_main_department: { member_id: string; name: string }
  insight_tmp_main_category: { member_id: string; name: string }
  insight_tmp_promo: { member_id: string; promo: number }
  insight_tmp_coupons: { member_id: string; used: number }
  insight_tmp_redeemed: { member_id: string; points: number }
  insight_tmp_window: { member_id: string; department: string; category: string; receipts: number; amount: number; promo: number }
  insight_tmp_rows: { member_id: string }
}
