import type { MemberData } from '../../members/index.js'
import * as repo from './tickets.repository.js'

/**
 * A member's tickets (with their timeline, photos and follow-up calls) and the compensation
 * granted on them. A merge moves them to the survivor; an erasure keeps the tickets for the
 * desk's figures without the person (no member, contact, photos or customer-facing text) and
 * hands the compensation to the erasure's holder, since the ledger and coupons count it.
 */
export const ticketsMemberData: MemberData = {
  name: 'tickets',
  count: repo.countMemberRows,
  move: repo.moveMemberRows,
  export: repo.memberRows,
  erase: (trx, memberId, { holderId }) => repo.eraseMemberRows(trx, memberId, holderId),
}
