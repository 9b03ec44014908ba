import { sql } from 'kysely'
import type { Db } from './database.js'

/** Whether the database answers at all (the readiness probe): a trivial query, nothing read. */
export const databaseAnswers = async (db: Db): Promise<boolean> => {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}
