import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { AuditLogTable } from './audit.table.js'

type Conn = Db | Trx

export const insertEntry = async (conn: Conn, row: AuditLogTable): Promise<void> => {
  await conn.insertInto('audit_log').values(row).execute()
}

export interface EntryFilter {
  action?: string
  entityType?: string
  entityId?: string
  actorId?: string
  /** part of the actor's name, lower case */
  actorLike?: string
  from?: string
  to?: string
  /** ids below this one (the page after) */
  before?: string
  limit: number
}

/** A page of entries, newest first. */
export const findEntries = (conn: Conn, f: EntryFilter) => {
  let q = conn.selectFrom('audit_log').selectAll()
  if (f.action) q = q.where('action', '=', f.action)
  if (f.entityType) q = q.where('entity_type', '=', f.entityType)
  if (f.entityId) q = q.where('entity_id', '=', f.entityId)
  if (f.actorId) q = q.where('actor_id', '=', f.actorId)
  if (f.actorLike) {
    const pattern = `%${f.actorLike.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where(sql<boolean>`lower(actor_name) like ${pattern} escape '\\'`)
  }
  if (f.from) q = q.where('at', '>=', f.from)
  if (f.to) q = q.where('at', '<', f.to)
  if (f.before) q = q.where('id', '<', f.before)
  return q.orderBy('id', 'desc').limit(f.limit).execute()
}

/** A page of the entries about any of these entities of one type, newest first. */
export const findEntriesOf = (conn: Conn, entityType: string, entityIds: readonly string[], before: string | undefined, limit: number) => {
  let q = conn.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', 'in', entityIds)
  if (before) q = q.where('id', '<', before)
  return q.orderBy('id', 'desc').limit(limit).execute()
}

/** The first entry of an action (a run that records its plan once). */
export const findFirstEntryOf = (conn: Conn, action: string) =>
  conn.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('at').orderBy('id').limit(1).executeTakeFirst()

// ---- the hash chain ---------------------------------------------------------------------------

/** PostgreSQL: one sealer of the chain at a time, until its transaction ends (a constant key of its own). */
export const lockChain = async (trx: Trx): Promise<void> => {
  await sql`SELECT pg_advisory_xact_lock(7283100116)`.execute(trx)
}

/** The last entry of the chain, or undefined when none is chained yet. */
export const chainHead = (conn: Conn) =>
  conn.selectFrom('audit_log').select(['chain_seq', 'hash']).where('chain_seq', 'is not', null).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst()

/** Entries not chained yet, in the order written. */
export const unsealedEntries = (conn: Conn, limit: number) =>
  conn.selectFrom('audit_log').selectAll().where('chain_seq', 'is', null).orderBy('at').orderBy('id').limit(limit).execute()

/** Gives an entry its place and hashes (the one update the append-only trigger lets through: chain columns of an unchained entry). */
export const sealEntry = async (conn: Conn, id: string, chain: { chain_seq: number; prev_hash: string; hash: string }): Promise<void> => {
  await conn.updateTable('audit_log').set(chain).where('id', '=', id).where('chain_seq', 'is', null).execute()
}

/** Chained entries after `afterSeq`, in chain order. */
export const chainPage = (conn: Conn, afterSeq: number, limit: number) =>
  conn.selectFrom('audit_log').selectAll().where('chain_seq', '>', afterSeq).orderBy('chain_seq').limit(limit).execute()
