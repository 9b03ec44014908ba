import type { Trx } from '../../../db/database.js'

/** Which members a refresh step covers: everyone, or the members in `insight_dirty`. */
export interface RefreshStep {
  /** the local business date the refresh is as of (YYYY-MM-DD) */
  asOf: string
  only: 'all' | 'dirty'
  /** ISO UTC time of the refresh */
  at: string
}

/**
 * Assigns the classes of member_insight (RFM scores and class, quadrant, frequency and amount
 * class, lifecycle) after the refresh has written the figures; on a full refresh also the
 * cut points and the lifecycle history. Called by the insight refresh inside its transaction.
 */
export const classifyMembers = async (_trx: Trx, _step: RefreshStep): Promise<void> => {
  // placeholder until the classifier lands (issue 12 §2)
}
