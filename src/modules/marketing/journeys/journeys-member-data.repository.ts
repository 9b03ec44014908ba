import type { Db, Trx } from '../../../db/database.js'

// The journeys' queries for the member-data contract: a member's enrolments, the steps they did,
// and the lifecycle stage the journeys last saw them in.

type Conn = Db | Trx

export const countMemberRows = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('journey_members').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

const enrolmentIdsOf = async (conn: Conn, memberId: string) =>
  (await conn.selectFrom('journey_members').select('id').where('member_id', '=', memberId).execute()).map((r) => r.id)

/**
 * A merge moves the merged record's enrolments to the survivor, except where the survivor is in
 * the same journey for the same occurrence (it keeps its own; the other's, with its steps, go).
 * The survivor keeps its own lifecycle stage.
 */
export const moveMemberRows = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  const mine = await trx.selectFrom('journey_members').select(['journey_id', 'occurrence']).where('member_id', '=', toId).execute()
  const taken = new Set(mine.map((r) => `${r.journey_id}\u0000${r.occurrence}`))
  const theirs = await trx.selectFrom('journey_members').select(['id', 'journey_id', 'occurrence']).where('member_id', '=', fromId).execute()
  const clashing = theirs.filter((r) => taken.has(`${r.journey_id}\u0000${r.occurrence}`)).map((r) => r.id)
  if (clashing.length) {
    await trx.deleteFrom('journey_steps_log').where('enrolment_id', 'in', clashing).execute()
    await trx.deleteFrom('journey_members').where('id', 'in', clashing).execute()
  }
  await trx.updateTable('journey_members').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  await trx.deleteFrom('journey_lifecycle_seen').where('member_id', '=', fromId).execute()
}

export const memberRows = async (conn: Conn, memberId: string) => {
  const ids = await enrolmentIdsOf(conn, memberId)
  const [enrolments, steps, seen] = await Promise.all([
    conn.selectFrom('journey_members').selectAll().where('member_id', '=', memberId).orderBy('id').execute(),
    ids.length ? conn.selectFrom('journey_steps_log').selectAll().where('enrolment_id', 'in', ids).orderBy('enrolment_id').orderBy('step_index').execute() : Promise.resolve([]),
    conn.selectFrom('journey_lifecycle_seen').selectAll().where('member_id', '=', memberId).execute(),
  ])
  return { journey_members: enrolments, journey_steps_log: steps, journey_lifecycle_seen: seen }
}

/** Nothing of an erased person stays: their enrolments, their steps and their stage go (the messages and coupons are kept by their own modules' rules). */
export const eraseMemberRows = async (trx: Trx, memberId: string): Promise<void> => {
  const ids = await enrolmentIdsOf(trx, memberId)
  if (ids.length) await trx.deleteFrom('journey_steps_log').where('enrolment_id', 'in', ids).execute()
  await trx.deleteFrom('journey_members').where('member_id', '=', memberId).execute()
  await trx.deleteFrom('journey_lifecycle_seen').where('member_id', '=', memberId).execute()
}
