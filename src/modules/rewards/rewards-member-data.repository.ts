import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'

// Rewards' queries for the member-data contract: a member's coupons, gift orders, draw entries
// and rebate awards.

type Conn = Db | Trx
type MemberTable = 'coupons' | 'gift_orders' | 'draw_entries' | 'rebate_awards'

const countOf = async (conn: Conn, table: MemberTable, memberId: string): Promise<number> =>
  Number((await conn.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const countMemberRows = async (conn: Conn, memberId: string): Promise<number> =>
  (await countOf(conn, 'coupons', memberId)) + (await countOf(conn, 'gift_orders', memberId))
  + (await countOf(conn, 'draw_entries', memberId)) + (await countOf(conn, 'rebate_awards', memberId))

/**
 * Moves the member's rewards to another member. A coupon whose issue the other already holds
 * moves under a key naming its origin, so both stay usable; a rebate the other also received
 * stays behind, so a programme never counts one person twice.
 */
export const moveMemberRows = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
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
}

export const memberRows = async (conn: Conn, memberId: string) => {
  const [coupons, giftOrders, drawEntries, rebateAwards] = await Promise.all([
    conn.selectFrom('coupons').selectAll().where('member_id', '=', memberId).orderBy('issued_at').orderBy('id').execute(),
    conn.selectFrom('gift_orders').selectAll().where('member_id', '=', memberId).orderBy('created_at').orderBy('id').execute(),
    conn.selectFrom('draw_entries').selectAll().where('member_id', '=', memberId).orderBy('created_at').orderBy('id').execute(),
    conn.selectFrom('rebate_awards').selectAll().where('member_id', '=', memberId).orderBy('created_at').orderBy('programme_id').execute(),
  ])
  return { coupons, gift_orders: giftOrders, draw_entries: drawEntries, rebate_awards: rebateAwards }
}

/**
 * Hands the member's rewards to an erasure's holder, whole: budgets, stock and draws still
 * count them, and the ledger entries they reference move to the same holder. An issue key that
 * names the member (a merge's suffix) names the holder instead.
 */
export const handOverMemberRows = async (trx: Trx, memberId: string, holderId: string): Promise<void> => {
  await trx.updateTable('coupons').set({ issue_key: sql`replace(issue_key, ${memberId}, ${holderId})` })
    .where('issue_key', 'like', `%${memberId}%`).execute()
  await trx.updateTable('coupons').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
  await trx.updateTable('gift_orders').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
  await trx.updateTable('draw_entries').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
  await trx.updateTable('rebate_awards').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
}

/** Voids the unused coupons of an erasure's holder: forfeited with the person's data. */
export const voidIssuedCoupons = (trx: Trx, holderId: string, v: { at: string; reason: string }) =>
  trx.updateTable('coupons').set({ status: 'voided', voided_at: v.at, voided_by: null, void_reason: v.reason })
    .where('member_id', '=', holderId).where('status', '=', 'issued').execute()
