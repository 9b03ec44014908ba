import { sql } from 'kysely'
import type { Db, Engine, Trx } from '../../db/database.js'
import type { ErasureRequestsTable, ErasureStatus } from './privacy.table.js'

type Conn = Db | Trx

// ---- settings ----
export const readSetting = (conn: Conn, key: string) =>
  conn.selectFrom('privacy_settings').selectAll().where('key', '=', key).executeTakeFirst()

export const writeSetting = (trx: Trx, row: { key: string; value: string; updated_by: string | null; updated_at: string }) =>
  trx.insertInto('privacy_settings').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by: row.updated_by, updated_at: row.updated_at })).execute()

// ---- erasure requests ----
export const insertRequest = (trx: Trx, row: ErasureRequestsTable) => trx.insertInto('erasure_requests').values(row).execute()

/**
 * Inserts pending requests of many members at once; a member with a pending request already (the
 * unique index on pending requests) is passed over. Returns the members whose request was written.
 */
export const insertPendingRequests = async (trx: Trx, rows: readonly ErasureRequestsTable[]): Promise<Set<string>> => {
  if (rows.length === 0) return new Set()
  const written = await trx.insertInto('erasure_requests').values([...rows]).onConflict((oc) => oc.doNothing()).returning('member_id').execute()
  return new Set(written.map((r) => r.member_id))
}

export const findRequest = (conn: Conn, id: string) => conn.selectFrom('erasure_requests').selectAll().where('id', '=', id).executeTakeFirst()

export const pendingOf = (conn: Conn, memberId: string) =>
  conn.selectFrom('erasure_requests').selectAll().where('member_id', '=', memberId).where('status', '=', 'pending').executeTakeFirst()

/** A member's requests (of a status, if given), newest first. */
export const requestsOf = (conn: Conn, memberId: string, status: ErasureStatus | undefined, limit: number) => {
  let q = conn.selectFrom('erasure_requests').selectAll().where('member_id', '=', memberId)
  if (status) q = q.where('status', '=', status)
  return q.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

export const listRequests = (conn: Conn, q: { status?: ErasureStatus; storeIds?: readonly string[] | null; before?: { at: string; id: string }; limit: number }) => {
  let query = conn.selectFrom('erasure_requests').selectAll()
  if (q.status) query = query.where('status', '=', q.status)
  if (q.storeIds) query = q.storeIds.length === 0 ? query.where((eb) => eb.or([])) : query.where('store_id', 'in', [...q.storeIds])
  if (q.before) {
    const b = q.before
    query = query.where((eb) => eb.or([eb('requested_at', '<', b.at), eb.and([eb('requested_at', '=', b.at), eb('id', '<', b.id)])]))
  }
  return query.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute()
}

/** Pending requests whose cooling-off has ended, oldest first. */
export const dueRequests = (conn: Conn, now: string, limit: number) =>
  conn.selectFrom('erasure_requests').select(['id']).where('status', '=', 'pending').where('due_at', '<=', now)
    .orderBy('due_at').orderBy('id').limit(limit).execute()

/** Moves a pending request on; false if it was no longer pending (cancelled or run meanwhile). */
export const settleRequest = async (trx: Trx, id: string, patch: Partial<ErasureRequestsTable> & { status: ErasureStatus }): Promise<boolean> => {
  const r = await trx.updateTable('erasure_requests').set(patch).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** What a done request's erasure did. */
export const recordResult = (trx: Trx, id: string, result: string) =>
  trx.updateTable('erasure_requests').set({ result }).where('id', '=', id).execute()

/** Clears the notes of every request about these member records (they may name the person). */
export const clearReasons = (trx: Trx, memberIds: readonly string[]) =>
  trx.updateTable('erasure_requests').set({ reason: null }).where('member_id', 'in', [...memberIds]).execute()

/**
 * After an erasure on SQLite: the write-ahead log copied into the file and truncated, so that
 * the page images from before it (with the person's ciphertext) leave the log file. Best effort:
 * a reader still in the log makes it wait (busy timeout) and then stop; the next erasure or the
 * log's own reuse clears them. PostgreSQL keeps old row versions until vacuum (see the README).
 */
export const scrubLog = async (db: Db, engine: Engine): Promise<void> => {
  if (engine === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
}
