import type { Db, Trx } from '../../../db/database.js'

// Campaigns' queries for the member-data contract: the runs a member was a recipient of.

type Conn = Db | Trx

export const countMemberRows = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('campaign_recipients').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

/** The merged record's recipients become the survivor's, except in a run the survivor was in already (theirs stands). */
export const moveMemberRows = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  const both = trx.selectFrom('campaign_recipients').select('run_id').where('member_id', '=', toId)
  await trx.deleteFrom('campaign_recipients').where('member_id', '=', fromId).where('run_id', 'in', both).execute()
  await trx.updateTable('campaign_recipients').set({ member_id: toId }).where('member_id', '=', fromId).execute()
}

export const memberRows = async (conn: Conn, memberId: string) => ({
  campaign_recipients: await conn.selectFrom('campaign_recipients').selectAll().where('member_id', '=', memberId).orderBy('run_id').execute(),
})

/** The rows go: a run's counts kept on the run (audience, holdout, targets) stay as they were. */
export const eraseMemberRows = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.deleteFrom('campaign_recipients').where('member_id', '=', memberId).execute()
}
