/**
 * Temporary tables of one CLV scoring (clv.repository.ts): created in its transaction, dropped
 * at its end, never in the schema. Declared here so the query check knows whose they are.
 */
export interface PredictionsScratchTables {
  clv_tmp_members: { member_id: string; x: number; tx_days: number; age_days: number; repeat_spend: number; holdout: number }
  clv_tmp_groups: { x: number; tx_days: number; age_days: number; p_alive_pm: number; e30: number; e90: number; e365: number; discounted: number }
}
