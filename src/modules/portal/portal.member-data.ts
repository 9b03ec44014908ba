import type { MemberData } from '../members/index.js'
import * as repo from './portal.repository.js'

/**
 * A member's sessions on their own page. A merge ends the merged record's sessions (the person
 * signs in again, as the survivor); an erasure ends them all. Sign-in codes name no member (a
 * keyed hash of the number, pruned after a day).
 */
export const portalMemberData: MemberData = {
  name: 'memberPageSessions',
  // Not history that moves: a merge ends the merged record's sessions, so the merge preview
  // (which lists what moves to the survivor) leaves them out.
  derived: true,
  count: repo.countSessionsOf,
  move: async (trx, fromId) => { await repo.deleteSessionsOf(trx, [fromId]) },
  export: async (conn, memberId) => ({ member_sessions: await repo.sessionRowsOf(conn, memberId) }),
  erase: async (trx, memberId) => { await repo.deleteSessionsOf(trx, [memberId]) },
}
