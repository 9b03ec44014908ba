import type { MemberData } from '../members/index.js'
import * as insightData from './insight/insight-member-data.repository.js'
import type { MemberFactsWriter } from './member-facts.js'

/**
 * The member's purchase facts: derived from receipts, so they move, export and erase with them
 * (an erasure hands the receipts to the erasure's holder, and the facts with them).
 */
export const createAnalyticsMemberData = (facts: MemberFactsWriter): MemberData => ({
  name: 'facts',
  derived: true,
  count: facts.count,
  move: facts.move,
  export: facts.export,
  erase: (trx, memberId, { holderId }) => facts.move(trx, memberId, holderId),
})

/**
 * The member's insight (figures, days by category, tags and their history, places in segment
 * snapshots): derived, so not in the merge preview; a merge moves it to the survivor and marks the
 * survivor for the next refresh, an erasure deletes it.
 */
export const insightMemberData: MemberData = {
  name: 'insight',
  derived: true,
  count: insightData.countOf,
  move: insightData.moveTo,
  export: insightData.rowsOf,
  erase: (trx, memberId) => insightData.deleteOf(trx, memberId),
}
