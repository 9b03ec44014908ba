import type { Db } from '../../../db/database.js'

/** Events' titles for the audit log. */
export const eventLabels = async (conn: Db, ids: string[]) =>
  ids.length === 0 ? [] : (await conn.selectFrom('member_events').select(['id', 'title as label']).where('id', 'in', ids).execute())
