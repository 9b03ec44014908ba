import type { Db } from '../../../db/database.js'

/** Journeys' names for the audit log. */
export const journeyLabels = async (conn: Db, ids: string[]) =>
  ids.length === 0 ? [] : (await conn.selectFrom('journeys').select(['id', 'name as label']).where('id', 'in', ids).execute())
