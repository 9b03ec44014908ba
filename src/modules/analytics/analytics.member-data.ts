import type { MemberData } from '../members/index.js'
import type { MemberFactsWriter } from './member-facts.js'

/** The member's purchase facts: derived from receipts, so they move, export and erase with them. */
export const createAnalyticsMemberData = (facts: MemberFactsWriter): MemberData => ({
  name: 'facts',
  derived: true,
  count: facts.count,
  move: facts.move,
  export: facts.export,
  erase: facts.erase,
})
