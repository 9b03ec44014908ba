import type { Db, Trx } from '../../db/database.js'
import { insertChunked } from '../../db/bulk.js'
import type { ImportErrorsTable, ImportsTable } from './imports.table.js'

type Conn = Db | Trx

export const insertImport = (db: Conn, row: ImportsTable) => db.insertInto('imports').values(row).execute()

/** An import of the kind, or undefined (an id of another kind is not found either). */
export const findImport = (db: Conn, kind: string, id: string) =>
  db.selectFrom('imports').selectAll().where('kind', '=', kind).where('id', '=', id).executeTakeFirst()

export const findImportStatus = async (db: Conn, id: string) =>
  (await db.selectFrom('imports').select('status').where('id', '=', id).executeTakeFirst())?.status

/** The latest imports of the kind, newest first. */
export const listImports = (db: Conn, kind: string, limit: number) =>
  db.selectFrom('imports').selectAll().where('kind', '=', kind).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()

/** Progress and heartbeat of a running import; nothing once it has ended (cancelled meanwhile). */
export const recordProgress = (db: Conn, id: string, p: { counts: string; processedBytes: number; at: string }) =>
  db.updateTable('imports').set({ counts: p.counts, processed_bytes: p.processedBytes, heartbeat_at: p.at })
    .where('id', '=', id).where('status', '=', 'running').execute()

/** Ends a running import; false when it had ended already (cancelled, or settled as interrupted). */
export const finishImport = async (db: Conn, id: string, end: Pick<ImportsTable, 'status' | 'counts' | 'processed_bytes' | 'error_code' | 'error_message' | 'finished_at'> & { heartbeat_at?: string }) =>
  Number((await db.updateTable('imports').set(end).where('id', '=', id).where('status', '=', 'running').executeTakeFirst()).numUpdatedRows) > 0

/** The final counts of an import that ended while it ran (its status stays). */
export const recordFinalCounts = (db: Conn, id: string, counts: string, processedBytes: number) =>
  db.updateTable('imports').set({ counts, processed_bytes: processedBytes }).where('id', '=', id).execute()

/** Records that an import failed, whatever its status said. */
export const failImport = (db: Conn, id: string, end: Pick<ImportsTable, 'counts' | 'processed_bytes' | 'error_code' | 'error_message' | 'finished_at'>) =>
  db.updateTable('imports').set({ ...end, status: 'failed' }).where('id', '=', id).execute()

/** Running imports of the kind with no sign of life since `cutoff`. */
export const findStaleImports = (db: Conn, kind: string, cutoff: string) =>
  db.selectFrom('imports').select(['id', 'upload_file']).where('kind', '=', kind).where('status', '=', 'running').where('heartbeat_at', '<', cutoff).execute()

export const settleImports = (db: Conn, ids: string[], end: { error_code: string; error_message: string; finished_at: string }) =>
  db.updateTable('imports').set({ ...end, status: 'failed' }).where('id', 'in', ids).where('status', '=', 'running').execute()

/** The uploaded files running imports (of any kind) still read. */
export const findUploadsInUse = async (db: Conn): Promise<string[]> =>
  (await db.selectFrom('imports').select('upload_file').where('status', '=', 'running').where('upload_file', 'is not', null).execute()).map((r) => r.upload_file!)

export const insertImportErrors = (db: Conn, rows: ImportErrorsTable[]) => insertChunked(db, 'import_errors', rows)

/** Problems per import. */
export const countImportErrors = async (db: Conn, ids: string[]): Promise<Map<string, number>> => {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('import_errors').select((eb) => ['import_id', eb.fn.countAll<number>().as('n')]).where('import_id', 'in', ids).groupBy('import_id').execute()
  return new Map(rows.map((r) => [r.import_id, Number(r.n)]))
}

/**
 * A page of an import's problems in file order: by line, then column and reason (a stable order
 * for paging), or by line alone (a line's problems as they were reported).
 */
export const findImportErrors = (db: Conn, id: string, page: { offset: number; limit: number; order: 'line' | 'line-column-reason' }) => {
  const q = db.selectFrom('import_errors').selectAll().where('import_id', '=', id).orderBy('line')
  return (page.order === 'line' ? q : q.orderBy('column_name').orderBy('reason')).limit(page.limit).offset(page.offset).execute()
}

/** The source files of these imports (the audit log's labels). */
export const findImportLabels = (db: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('imports').select(['id', 'source_name as label']).where('id', 'in', ids).execute()
