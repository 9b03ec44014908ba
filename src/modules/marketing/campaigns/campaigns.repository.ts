import type { Db, Trx } from '../../../db/database.js'
import type { campaignAudience } from '../../analytics/index.js'
import type { CampaignRecipientsTable, CampaignRunsTable, CampaignsTable, CampaignStatus, RecipientGroup } from './campaigns.table.js'

type Conn = Db | Trx

export const insertCampaign = (conn: Conn, row: CampaignsTable) => conn.insertInto('campaigns').values(row).execute()

export const findCampaign = (conn: Conn, id: string) => conn.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()

export const findCampaignByName = (conn: Conn, name: string) => conn.selectFrom('campaigns').select('id').where('name', '=', name).executeTakeFirst()

export const listCampaigns = (conn: Conn, f: { status?: CampaignStatus; limit: number; before?: string }) => {
  let q = conn.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.before) q = q.where('id', '<', f.before)
  return q.execute()
}

/** Writes the changes if the campaign is still at `version` (and in one of `from`, when given); false otherwise. */
export const updateCampaign = async (conn: Conn, id: string, version: number, changes: Partial<CampaignsTable>, from?: readonly CampaignStatus[]): Promise<boolean> => {
  let q = conn.updateTable('campaigns').set({ ...changes, version: version + 1 }).where('id', '=', id).where('version', '=', version)
  if (from) q = q.where('status', 'in', [...from])
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

/** Moves a campaign between statuses whatever its version (the workers: running, completed). */
export const setCampaignStatus = async (conn: Conn, id: string, from: readonly CampaignStatus[], changes: Partial<CampaignsTable>): Promise<boolean> =>
  Number((await conn.updateTable('campaigns').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst()).numUpdatedRows) === 1

/** A run for the campaign's due time, or nothing when that due time has its run already. */
export const insertRun = async (conn: Conn, row: CampaignRunsTable): Promise<boolean> => {
  const r = await conn.insertInto('campaign_runs').values(row).onConflict((oc) => oc.columns(['campaign_id', 'due_at']).doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}

export const findRun = (conn: Conn, id: string) => conn.selectFrom('campaign_runs').selectAll().where('id', '=', id).executeTakeFirst()

export const findRunByDue = (conn: Conn, campaignId: string, dueAt: string) =>
  conn.selectFrom('campaign_runs').selectAll().where('campaign_id', '=', campaignId).where('due_at', '=', dueAt).executeTakeFirst()

export const runsOf = (conn: Conn, campaignId: string) =>
  conn.selectFrom('campaign_runs').selectAll().where('campaign_id', '=', campaignId).orderBy('started_at', 'desc').orderBy('id', 'desc').execute()

export const updateRun = (conn: Conn, id: string, changes: Partial<CampaignRunsTable>) => conn.updateTable('campaign_runs').set(changes).where('id', '=', id).execute()

export const setRunStatus = async (conn: Conn, id: string, from: readonly CampaignRunsTable['status'][], changes: Partial<CampaignRunsTable>): Promise<boolean> =>
  Number((await conn.updateTable('campaign_runs').set(changes).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst()).numUpdatedRows) === 1

/** Runs of a campaign still preparing or sending (or paused). */
export const openRuns = (conn: Conn, campaignId: string) =>
  conn.selectFrom('campaign_runs').selectAll().where('campaign_id', '=', campaignId).where('status', 'in', ['preparing', 'sending', 'paused']).execute()

/** Writes a run's recipients in one statement: the audience analytics reads (campaignAudience), the holdouts marked at once. */
export const insertRecipients = async (trx: Trx, runId: string, audience: ReturnType<typeof campaignAudience>): Promise<void> => {
  await trx.insertInto('campaign_recipients').columns(['run_id', 'member_id', 'grp', 'status']).expression(audience).execute()
  // Holdouts get nothing: marked so the send never reads them.
  await trx.updateTable('campaign_recipients').set({ status: 'held_out' }).where('run_id', '=', runId).where('grp', '<>', 'target').execute()
}

export const groupCounts = async (conn: Conn, runId: string): Promise<Record<RecipientGroup, number>> => {
  const rows = await conn.selectFrom('campaign_recipients').select(['grp', (eb) => eb.fn.countAll<number>().as('n')]).where('run_id', '=', runId).groupBy('grp').execute()
  const out: Record<RecipientGroup, number> = { target: 0, holdout: 0, chain_holdout: 0 }
  for (const r of rows) out[r.grp] = Number(r.n)
  return out
}

export const statusCounts = async (conn: Conn, runId: string) =>
  (await conn.selectFrom('campaign_recipients').select(['status', 'reason', 'channel', (eb) => eb.fn.countAll<number>().as('n')]).where('run_id', '=', runId)
    .groupBy(['status', 'reason', 'channel']).execute()).map((r) => ({ status: r.status, reason: r.reason, channel: r.channel, n: Number(r.n) }))

export const pendingRecipients = (conn: Conn, runId: string, limit: number) =>
  conn.selectFrom('campaign_recipients').select(['member_id']).where('run_id', '=', runId).where('status', '=', 'pending').orderBy('member_id').limit(limit).execute()

export const hasPending = async (conn: Conn, runId: string): Promise<boolean> =>
  !!(await conn.selectFrom('campaign_recipients').select('member_id').where('run_id', '=', runId).where('status', '=', 'pending').limit(1).executeTakeFirst())

export const updateRecipient = (conn: Conn, runId: string, memberId: string, changes: Partial<CampaignRecipientsTable>) =>
  conn.updateTable('campaign_recipients').set(changes).where('run_id', '=', runId).where('member_id', '=', memberId).execute()

/** Cancels what is still waiting to go. */
export const skipPending = async (conn: Conn, runId: string, at: string): Promise<number> =>
  Number((await conn.updateTable('campaign_recipients').set({ status: 'skipped', reason: 'cancelled', updated_at: at }).where('run_id', '=', runId).where('status', '=', 'pending').executeTakeFirst()).numUpdatedRows)

/** The run's messages by channel and status (the log is the truth of what went). */
export const messageFigures = async (conn: Conn, runId: string) =>
  (await conn.selectFrom('messages').select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('source_type', '=', 'campaign_run').where('source_id', '=', runId).groupBy(['channel', 'status']).execute())
    .map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }))

export const findSetting = (conn: Conn, key: string) => conn.selectFrom('marketing_settings').selectAll().where('key', '=', key).executeTakeFirst()

export const saveSetting = (conn: Conn, row: { key: string; value: string; updated_by: string | null; updated_at: string }) =>
  conn.insertInto('marketing_settings').values(row).onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by: row.updated_by, updated_at: row.updated_at })).execute()

/** The member's campaign history (the member page). */
export const campaignsOfMember = (conn: Conn, memberId: string, limit: number) =>
  conn.selectFrom('campaign_recipients as r').innerJoin('campaign_runs as u', 'u.id', 'r.run_id').innerJoin('campaigns as c', 'c.id', 'u.campaign_id')
    .select(['c.id as campaign_id', 'c.name', 'u.id as run_id', 'u.started_at', 'r.grp', 'r.status', 'r.channel', 'r.reason', 'r.message_id', 'r.coupon_id'])
    .where('r.member_id', '=', memberId).orderBy('u.started_at', 'desc').limit(limit).execute()
