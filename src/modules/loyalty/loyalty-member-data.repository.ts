import type { Db, Trx } from '../../db/database.js'
import type { PointsLotsTable, TiersTable } from './loyalty.table.js'

// Loyalty's queries for the member-data contract: what a merge moves, an export shows and an
// erasure removes of one member's points and tiers.

type Conn = Db | Trx

export const countEntriesOf = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('points_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

/** The member's lots with points left, earliest expiry first. */
export const liveLotsOf = (trx: Trx, memberId: string): Promise<PointsLotsTable[]> =>
  trx.selectFrom('points_lots').selectAll().where('member_id', '=', memberId).where('remaining', '>', 0).orderBy('expires_on').execute()

export const allTiers = (trx: Trx): Promise<TiersTable[]> => trx.selectFrom('tiers').selectAll().execute()

/** Everything loyalty holds about the member, by table. */
export const memberRows = async (conn: Conn, memberId: string) => {
  const [account, lots, entries, allocations, notices, tierHistory] = await Promise.all([
    conn.selectFrom('points_accounts').selectAll().where('member_id', '=', memberId).execute(),
    conn.selectFrom('points_lots').selectAll().where('member_id', '=', memberId).orderBy('expires_on').execute(),
    conn.selectFrom('points_entries').selectAll().where('member_id', '=', memberId).orderBy('id').execute(),
    conn.selectFrom('points_allocations').innerJoin('points_entries', 'points_entries.id', 'points_allocations.entry_id')
      .selectAll('points_allocations').where('points_entries.member_id', '=', memberId).orderBy('points_allocations.entry_id').execute(),
    conn.selectFrom('points_expiry_notices').selectAll().where('member_id', '=', memberId).orderBy('expires_on').execute(),
    conn.selectFrom('member_tier_history').selectAll().where('member_id', '=', memberId).orderBy('at').orderBy('id').execute(),
  ])
  return { points_accounts: account, points_lots: lots, points_entries: entries, points_allocations: allocations, points_expiry_notices: notices, member_tier_history: tierHistory }
}

/**
 * Hands the member's points to an erasure's holder, whole (account, lots, entries, allocations
 * stay consistent, and gift orders, draw entries and rebates find their entries); the tier
 * history, which only describes the person, goes.
 */
export const handOverMemberRows = async (trx: Trx, memberId: string, holderId: string): Promise<void> => {
  await trx.updateTable('points_accounts').set({ member_id: holderId, tier_code: null, tier_since: null, tier_below_since: null }).where('member_id', '=', memberId).execute()
  await trx.updateTable('points_lots').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
  await trx.updateTable('points_entries').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
  // A merge's entries name the other record of the person.
  await trx.updateTable('points_entries').set({ reference: holderId }).where('reference', '=', memberId).execute()
  await trx.updateTable('points_expiry_notices').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
  await trx.deleteFrom('member_tier_history').where('member_id', '=', memberId).execute()
}
