import type { Db, Trx } from './database.js'
import type { DB } from './schema.js'

// SQLite allows 32,766 bound values per statement; stay well under it for any table width.
const MAX_VALUES = 10_000

/** Inserts rows in statements of bounded size (one statement per chunk). */
export const insertChunked = async (conn: Db | Trx, table: keyof DB, rows: ReadonlyArray<object>): Promise<void> => {
  if (rows.length === 0) return
  const per = Math.max(1, Math.floor(MAX_VALUES / Object.keys(rows[0]!).length))
  for (let i = 0; i < rows.length; i += per) {
    await conn.insertInto(table).values(rows.slice(i, i + per) as never).execute()
  }
}
