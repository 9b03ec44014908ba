import type { MemberData } from '../../members/index.js'
import * as repo from './journeys-member-data.repository.js'

/**
 * A member's journeys: the enrolments (version, step, times), the steps they did (outcome, the
 * message and coupon), the lifecycle stage last seen. A merge moves them to the survivor; an
 * erasure deletes them.
 */
export const journeysMemberData: MemberData = {
  name: 'journeys',
  count: repo.countMemberRows,
  move: repo.moveMemberRows,
  export: repo.memberRows,
  erase: (trx, memberId) => repo.eraseMemberRows(trx, memberId),
}
