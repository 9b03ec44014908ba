import { sql } from 'kysely'
import type { MergeHook } from '../members/index.js'

/**
 * A merge moves the merged member's coupons, gift orders, draw entries and rebate awards to the
 * survivor. A coupon whose issue the survivor already holds (both got the welcome coupon) moves
 * under a key naming its origin, so both stay usable; a rebate the survivor also received stays
 * with the merged record, so a programme never counts one person twice.
 */
export const rewardsMergeHook: MergeHook = {
  name: 'rewards',
  count: async (conn, memberId) => {
    const n = async (table: 'coupons' | 'gift_orders' | 'draw_entries' | 'rebate_awards') =>
      Number((await conn.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)
    return (await n('coupons')) + (await n('gift_orders')) + (await n('draw_entries')) + (await n('rebate_awards'))
  },
  move: async (trx, fromId, toId) => {
    await trx.updateTable('coupons').set({ issue_key: sql`issue_key || ${`:merged:${fromId}`}` })
      .where('member_id', '=', fromId)
      .where((eb) => eb.exists(eb.selectFrom('coupons as s').select('s.id').where('s.member_id', '=', toId)
        .whereRef('s.template_id', '=', 'coupons.template_id').whereRef('s.issue_key', '=', 'coupons.issue_key')))
      .execute()
    await trx.updateTable('coupons').set({ member_id: toId }).where('member_id', '=', fromId).execute()
    await trx.updateTable('gift_orders').set({ member_id: toId }).where('member_id', '=', fromId).execute()
    await trx.updateTable('draw_entries').set({ member_id: toId }).where('member_id', '=', fromId).execute()
    await trx.updateTable('rebate_awards').set({ member_id: toId }).where('member_id', '=', fromId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('rebate_awards as s').select('s.member_id').where('s.member_id', '=', toId)
        .whereRef('s.programme_id', '=', 'rebate_awards.programme_id'))))
      .execute()
  },
}
