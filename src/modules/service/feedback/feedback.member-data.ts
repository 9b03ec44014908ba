import type { MemberData } from '../../members/index.js'
import * as repo from './feedback-member-data.repository.js'

/**
 * A member's suggestions, survey invitations and survey answers. A merge moves them to the
 * survivor; an erasure unlinks them (the counts and satisfaction figures keep the answers, naming
 * nobody) and deletes invitations not answered.
 */
export const feedbackMemberData: MemberData = {
  name: 'feedback',
  count: repo.countMemberRows,
  move: repo.moveMemberRows,
  export: repo.memberRows,
  erase: (trx, memberId) => repo.unlinkMemberRows(trx, memberId),
}
