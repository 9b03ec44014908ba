import type { Trx } from '../../../db/database.js'
import type { RefreshStep } from '../classes/classify.js'

/**
 * Re-evaluates the rule tags for the members the step covers (after the classes): adds and
 * removes member_tags with their reasons and events, and on a full refresh records the day's
 * counts. Called by the insight refresh inside its transaction.
 */
export const evaluateTags = async (_trx: Trx, _step: RefreshStep): Promise<void> => {
  // placeholder until tag evaluation lands (issue 12 §3)
}
