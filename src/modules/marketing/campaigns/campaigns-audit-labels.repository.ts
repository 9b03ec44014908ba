import type { Db } from '../../../db/database.js'

/** Campaigns' names for the audit log. */
export const campaignLabels = async (conn: Db, ids: string[]) =>
  ids.length === 0 ? [] : (await conn.selectFrom('campaigns').select(['id', 'name as label']).where('id', 'in', ids).execute())
