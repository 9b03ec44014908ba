import type { ExpressionBuilder } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { DB } from '../../db/schema.js'

// Reads across modules' tables for the privacy module's retention sweep (PIPL, issue 16 §2): the
// members without activity since a cutoff. Analytics may read across tables; privacy calls these
// instead of joining members, receipts and the points ledger itself.
//
// Inactive since `cutoff`: a live record (active or frozen: not erased, not merged into another)
// registered before it, with no receipt (sale or return) of a business time since it and no
// points-ledger entry since it other than an expiry (the system expires points; the person did
// nothing). Each is an index probe per member (receipts_member_idx,
// points_entries_member_activity_idx), walked in registration order (members_registered_at_idx),
// so a page reads about as many members as it lists and a count one pass over the older members.

type Conn = Db | Trx
type MemberEb = ExpressionBuilder<DB & { m: DB['members'] }, 'm'>

/** The member the page starts after, in the list's order (registration time, then id). */
export interface InactiveAfter { registeredAt: string; id: string }

export interface InactiveMemberRow {
  id: string
  card_no: string
  name_masked: string | null
  registration_store_id: string | null
  registered_at: string
}

const boughtSince = (eb: MemberEb, cutoff: string) =>
  eb.exists(eb.selectFrom('receipts as r').select('r.id').whereRef('r.member_id', '=', 'm.id').where('r.business_at', '>=', cutoff))

const ledgerMovedSince = (eb: MemberEb, cutoff: string) =>
  eb.exists(eb.selectFrom('points_entries as e').select('e.id').whereRef('e.member_id', '=', 'm.id').where('e.created_at', '>=', cutoff).where('e.kind', '<>', 'expire'))

const erasurePending = (eb: MemberEb) =>
  eb.exists(eb.selectFrom('erasure_requests as q').select('q.id').whereRef('q.member_id', '=', 'm.id').where('q.status', '=', 'pending'))

/** The inactive members; those already waiting for an erasure left out unless asked for. */
const inactive = (conn: Conn, cutoff: string, options: { withPending?: boolean } = {}) => {
  let q = conn.selectFrom('members as m')
    .where('m.status', 'in', ['active', 'frozen'])
    .where('m.registered_at', '<', cutoff)
    .where((eb) => eb.not(boughtSince(eb, cutoff)))
    .where((eb) => eb.not(ledgerMovedSince(eb, cutoff)))
  if (!options.withPending) q = q.where((eb) => eb.not(erasurePending(eb)))
  return q
}

/** A page of the inactive members (no pending erasure), oldest registration first. */
export const inactiveMembersPage = async (conn: Conn, q: { cutoff: string; after?: InactiveAfter | null; limit: number }): Promise<InactiveMemberRow[]> => {
  let query = inactive(conn, q.cutoff)
    .select(['m.id', 'm.card_no', 'm.name_masked', 'm.registration_store_id', 'm.registered_at'])
    .orderBy('m.registered_at').orderBy('m.id').limit(q.limit)
  if (q.after) {
    const { registeredAt, id } = q.after
    query = query.where('m.registered_at', '>=', registeredAt)
      .where((eb) => eb.or([eb('m.registered_at', '>', registeredAt), eb('m.id', '>', id)]))
  }
  return query.execute()
}

/** How many members are inactive since `cutoff` (no pending erasure). */
export const countInactiveMembers = async (conn: Conn, cutoff: string): Promise<number> => {
  const row = await inactive(conn, cutoff).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Which of these members are inactive since `cutoff`, and whether an erasure of each is pending already. */
export const inactiveAmong = async (conn: Conn, cutoff: string, ids: readonly string[]): Promise<Array<{ id: string; registrationStoreId: string | null; pending: boolean }>> => {
  const out: Array<{ id: string; registrationStoreId: string | null; pending: boolean }> = []
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await inactive(conn, cutoff, { withPending: true }).where('m.id', 'in', unique.slice(i, i + 500))
      .select((eb) => ['m.id', 'm.registration_store_id', eb.case().when(erasurePending(eb)).then(1).else(0).end().as('pending')])
      .execute()
    for (const r of rows) out.push({ id: r.id, registrationStoreId: r.registration_store_id, pending: Number(r.pending) === 1 })
  }
  return out
}

/**
 * When each of these members last did something: their latest receipt's business time or ledger
 * entry (expiries aside), whichever is later; null for one who never did.
 */
export const lastActivityOf = async (conn: Conn, ids: readonly string[]): Promise<Map<string, string | null>> => {
  const out = new Map<string, string | null>()
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await conn.selectFrom('members as m').where('m.id', 'in', unique.slice(i, i + 500))
      .select((eb) => [
        'm.id',
        eb.selectFrom('receipts as r').select((r) => r.fn.max('r.business_at').as('at')).whereRef('r.member_id', '=', 'm.id').as('receipt_at'),
        eb.selectFrom('points_entries as e').select((e) => e.fn.max('e.created_at').as('at')).whereRef('e.member_id', '=', 'm.id').where('e.kind', '<>', 'expire').as('entry_at'),
      ])
      .execute()
    for (const r of rows) {
      const times = [r.receipt_at, r.entry_at].filter((v): v is string => typeof v === 'string')
      out.set(r.id, times.length ? times.sort().at(-1)! : null)
    }
  }
  return out
}
