import type { Db, Trx } from '../../db/database.js'
import type { BackupRunsTable } from './operations.table.js'

type Conn = Db | Trx

const SETTINGS_KEY = 'backup.settings'

export const readSettings = async (conn: Conn): Promise<string | null> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst())?.value ?? null

export const writeSettings = (conn: Conn, value: string) =>
  conn.insertInto('meta').values({ key: SETTINGS_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()

export const insertRun = (conn: Conn, row: BackupRunsTable) => conn.insertInto('backup_runs').values(row).execute()

export const finishRun = (conn: Conn, id: string, patch: Partial<BackupRunsTable>) => conn.updateTable('backup_runs').set(patch).where('id', '=', id).execute()

export const latestRuns = (conn: Conn, limit: number) =>
  conn.selectFrom('backup_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute()

export const latestOk = (conn: Conn) =>
  conn.selectFrom('backup_runs').selectAll().where('status', '=', 'ok').orderBy('started_at', 'desc').limit(1).executeTakeFirst()
