import type { MemberData } from '../members/index.js'
import * as repo from './rewards-member-data.repository.js'

/**
 * A member's coupons, gift orders, draw entries and rebate awards. A merge moves them to the
 * survivor; an erasure hands them to the erasure's holder, since coupon budgets, gift stock,
 * prizes and rebate totals count them, and voids the coupons still unused (forfeited: a code
 * the person kept finds a voided coupon).
 */
export const rewardsMemberData: MemberData = {
  name: 'rewards',
  count: repo.countMemberRows,
  move: repo.moveMemberRows,
  export: repo.memberRows,
  erase: async (trx, memberId, { holderId, at }) => {
    await repo.handOverMemberRows(trx, memberId, holderId)
    await repo.voidIssuedCoupons(trx, holderId, { at, reason: 'erasure' })
  },
}
