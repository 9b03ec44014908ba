import type { Db, Trx } from '../../../db/database.js'

// Member events' queries for the member-data contract: a member's registrations.

type Conn = Db | Trx

export const countRegistrations = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('event_registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const registrationRows = (conn: Conn, memberId: string) =>
  conn.selectFrom('event_registrations').selectAll().where('member_id', '=', memberId).orderBy('id').execute()

const RANK = { attended: 2, registered: 1, cancelled: 0 } as const

/**
 * Moves a member's registrations to another record. Where both registered for the same event the
 * one further along stays (attended over registered over cancelled) and the other goes, giving
 * back its seat if it held one: one person holds one seat.
 */
export const moveRegistrations = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  const from = await registrationRows(trx, fromId)
  if (from.length === 0) return
  const theirs = new Map((await trx.selectFrom('event_registrations').selectAll().where('member_id', '=', toId)
    .where('event_id', 'in', from.map((r) => r.event_id)).execute()).map((r) => [r.event_id, r]))
  for (const r of from) {
    const other = theirs.get(r.event_id)
    if (!other) {
      await trx.updateTable('event_registrations').set({ member_id: toId }).where('id', '=', r.id).execute()
      continue
    }
    const [keep, drop] = RANK[r.status] > RANK[other.status] ? [r, other] : [other, r]
    await trx.deleteFrom('event_registrations').where('id', '=', drop.id).execute()
    if (keep.id === r.id) await trx.updateTable('event_registrations').set({ member_id: toId }).where('id', '=', r.id).execute()
    if (drop.status !== 'cancelled') {
      await trx.updateTable('member_events').set((eb) => ({ seats_taken: eb('seats_taken', '-', 1) })).where('id', '=', drop.event_id).where('seats_taken', '>', 0).execute()
    }
  }
}

/** The registrations stay for the events' counts, held by the erasure's holder instead of the person. */
export const eraseRegistrations = async (trx: Trx, memberId: string, holderId: string): Promise<void> => {
  await trx.updateTable('event_registrations').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
}
