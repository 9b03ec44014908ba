import { sql } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import type { SuggestionChannel, SuggestionsTable, SuggestionStatus } from './feedback.table.js'

type Conn = Db | Trx

export type SuggestionRow = SuggestionsTable

const withNames = (conn: Conn) => conn.selectFrom('suggestions as s').selectAll('s')

export const insertSuggestion = (conn: Conn, row: SuggestionsTable) => conn.insertInto('suggestions').values(row).execute()

export const updateSuggestion = (conn: Conn, id: string, changes: Partial<Omit<SuggestionsTable, 'id'>>) =>
  conn.updateTable('suggestions').set(changes).where('id', '=', id).execute()

export const findSuggestion = (conn: Conn, id: string): Promise<SuggestionRow | undefined> => withNames(conn).where('s.id', '=', id).executeTakeFirst()

export interface SuggestionFilter {
  scope: Scope
  status?: SuggestionStatus
  category?: string
  channel?: SuggestionChannel
  memberId?: string
  fromAt?: string
  toAt?: string
  /** words in the text, or the number */
  text?: string
  cursor?: string
  limit: number
}

export const listSuggestions = (conn: Conn, f: SuggestionFilter): Promise<SuggestionRow[]> => {
  let q = scopeToStore(withNames(conn), f.scope, 's.store_id')
  if (f.status) q = q.where('s.status', '=', f.status)
  if (f.category) q = q.where('s.category', '=', f.category)
  if (f.channel) q = q.where('s.channel', '=', f.channel)
  if (f.memberId) q = q.where('s.member_id', '=', f.memberId)
  if (f.fromAt) q = q.where('s.created_at', '>=', f.fromAt)
  if (f.toAt) q = q.where('s.created_at', '<', f.toAt)
  if (f.text) q = q.where((eb) => eb.or([eb('s.text', 'like', `%${f.text}%`), eb('s.number', '=', f.text!.toUpperCase())]))
  if (f.cursor) q = q.where('s.id', '<', f.cursor)
  return q.orderBy('s.id', 'desc').limit(f.limit).execute()
}

/** Suggestions from one hashed address since `since` (the public form's limit). */
export const countFromAddress = async (conn: Conn, ipHash: string, since: string): Promise<number> =>
  Number((await conn.selectFrom('suggestions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip_hash', '=', ipHash).where('created_at', '>=', since).executeTakeFirstOrThrow()).n)

/** Counts by month, category and store in a window (set-based; the service sums the rest). */
export const monthlyCounts = (conn: Conn, scope: Scope, fromAt: string, toAt: string) =>
  scopeToStore(conn.selectFrom('suggestions as s'), scope, 's.store_id')
    .select(['s.month', 's.category', 's.store_id', 's.status'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.created_at', '>=', fromAt).where('s.created_at', '<', toAt)
    .groupBy(['s.month', 's.category', 's.store_id', 's.status'])
    .orderBy('s.month').orderBy('s.category').orderBy('s.store_id')
    .execute()

export const adoptedIn = (conn: Conn, scope: Scope, fromAt: string, toAt: string, limit: number) =>
  scopeToStore(withNames(conn), scope, 's.store_id')
    .where('s.status', '=', 'adopted').where('s.created_at', '>=', fromAt).where('s.created_at', '<', toAt)
    .orderBy(sql`coalesce(s.decided_at, s.created_at)`, 'desc').orderBy('s.id', 'desc').limit(limit).execute()
