import type { MemberData } from '../../members/index.js'
import * as repo from './campaigns-member-data.repository.js'

/**
 * The campaign runs a member was in (target or holdout, what they got). A merge moves them to the
 * survivor (a run both were in keeps the survivor's row); an erasure deletes them, the runs'
 * own counts staying.
 */
export const campaignsMemberData: MemberData = {
  name: 'campaigns',
  count: repo.countMemberRows,
  move: repo.moveMemberRows,
  export: repo.memberRows,
  erase: (trx, memberId) => repo.eraseMemberRows(trx, memberId),
}
