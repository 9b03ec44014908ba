import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { MemberConsentsTable, MembersTable } from './members.table.js'
import type { ConsentChannel } from './members.types.js'

type Conn = Db | Trx

export type BlindField = 'phone_bidx' | 'id_number_bidx' | 'email_bidx'

export const findMemberById = (db: Conn, id: string) =>
  db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst()

export const findMemberByBlindIndex = (db: Conn, field: BlindField, bidx: string) =>
  db.selectFrom('members').selectAll().where(field, '=', bidx).orderBy('id').executeTakeFirst()

export const findMemberByCard = (db: Conn, cardNo: string) =>
  db.selectFrom('members').selectAll().where('card_no', '=', cardNo).executeTakeFirst()

export const findMemberByExternalCode = (db: Conn, code: string) =>
  db.selectFrom('members').selectAll().where('external_code', '=', code).executeTakeFirst()

export const insertMember = (db: Conn, row: MembersTable) => db.insertInto('members').values(row).execute()

export const updateMember = (db: Conn, id: string, patch: Partial<MembersTable>) =>
  db.updateTable('members').set(patch).where('id', '=', id).execute()

export const consentsOf = async (db: Conn, memberIds: string[]): Promise<Map<string, MemberConsentsTable[]>> => {
  const byMember = new Map<string, MemberConsentsTable[]>()
  if (memberIds.length === 0) return byMember
  const rows = await db.selectFrom('member_consents').selectAll().where('member_id', 'in', memberIds).orderBy('channel').execute()
  for (const row of rows) {
    const list = byMember.get(row.member_id) ?? []
    list.push(row)
    byMember.set(row.member_id, list)
  }
  return byMember
}

export const upsertConsent = async (db: Conn, row: MemberConsentsTable & { id: string }) => {
  const { id, ...current } = row
  await db.insertInto('member_consents').values(current)
    .onConflict((oc) => oc.columns(['member_id', 'channel']).doUpdateSet({
      granted: current.granted, source: current.source, changed_at: current.changed_at, changed_by: current.changed_by,
    }))
    .execute()
  await db.insertInto('member_consent_history').values({ id, ...current }).execute()
}

export const consentHistoryOf = (db: Conn, memberId: string, channel?: ConsentChannel) => {
  let q = db.selectFrom('member_consent_history').selectAll().where('member_id', '=', memberId)
  if (channel) q = q.where('channel', '=', channel)
  return q.orderBy('changed_at', 'desc').orderBy('id', 'desc').execute()
}

export interface LookupCount { lookups: number; misses: number; minute_lookups: number }

/** Counts one lookup of an actor in its hour and minute (one upsert); the counts after it. */
export const countLookup = async (db: Conn, key: { actorKey: string; period: string; minute: string; actorName: string | null; storeId: string | null }): Promise<LookupCount> => {
  const row = await db.insertInto('member_lookup_counts')
    .values({ actor_key: key.actorKey, period: key.period, actor_name: key.actorName, store_id: key.storeId, lookups: 1, misses: 0, minute: key.minute, minute_lookups: 1 })
    .onConflict((oc) => oc.columns(['actor_key', 'period']).doUpdateSet({
      lookups: sql<number>`member_lookup_counts.lookups + 1`,
      minute_lookups: sql<number>`case when member_lookup_counts.minute = excluded.minute then member_lookup_counts.minute_lookups + 1 else 1 end`,
      minute: sql<string>`excluded.minute`,
    }))
    .returning(['lookups', 'misses', 'minute_lookups'])
    .executeTakeFirstOrThrow()
  return { lookups: Number(row.lookups), misses: Number(row.misses), minute_lookups: Number(row.minute_lookups) }
}

/** Counts a lookup that found nothing; the actor's misses in that hour after it. */
export const countLookupMiss = async (db: Conn, key: { actorKey: string; period: string; minute: string; actorName: string | null; storeId: string | null }): Promise<number> => {
  const row = await db.insertInto('member_lookup_counts')
    .values({ actor_key: key.actorKey, period: key.period, actor_name: key.actorName, store_id: key.storeId, lookups: 0, misses: 1, minute: key.minute, minute_lookups: 0 })
    .onConflict((oc) => oc.columns(['actor_key', 'period']).doUpdateSet({ misses: sql<number>`member_lookup_counts.misses + 1` }))
    .returning('misses')
    .executeTakeFirstOrThrow()
  return Number(row.misses)
}

/** The actor's misses in that hour so far. */
export const lookupMisses = async (db: Conn, actorKey: string, period: string): Promise<number> => {
  const row = await db.selectFrom('member_lookup_counts').select('misses').where('actor_key', '=', actorKey).where('period', '=', period).executeTakeFirst()
  return Number(row?.misses ?? 0)
}

/** The hours since `fromPeriod` in which an actor's lookups found nothing at least `minMisses` times, newest first. */
export const lookupHoursWithMisses = (db: Conn, fromPeriod: string, minMisses: number, limit: number) =>
  db.selectFrom('member_lookup_counts').leftJoin('stores', 'stores.id', 'member_lookup_counts.store_id')
    .select(['member_lookup_counts.actor_key', 'member_lookup_counts.actor_name', 'member_lookup_counts.store_id', 'stores.name as store_name',
      'member_lookup_counts.period', 'member_lookup_counts.lookups', 'member_lookup_counts.misses'])
    .where('member_lookup_counts.period', '>=', fromPeriod).where('member_lookup_counts.misses', '>=', minMisses)
    .orderBy('member_lookup_counts.period', 'desc').orderBy('member_lookup_counts.misses', 'desc').limit(limit).execute()

/** Live members with this name index, newest first. */
export const findMembersByNameIndex = (db: Conn, bidx: string, limit: number) =>
  db.selectFrom('members').selectAll().where('name_bidx', '=', bidx).where('status', 'in', ['active', 'frozen'])
    .orderBy('registered_at', 'desc').orderBy('id', 'desc').limit(limit).execute()

export interface MemberPageQuery {
  /** the store (a store role's own, or a chain role's choice); undefined: the chain */
  storeId?: string
  status?: MembersTable['status']
  channel?: MembersTable['registration_channel']
  registeredFrom?: string
  registeredTo?: string
  /** keyset: the (registered_at, id) of the last row of the page before */
  after?: [string, string] | null
  limit: number
}

/**
 * One page of members, newest registration first, with their registration store's code and
 * name: the member list and the export page through the same filters.
 */
export const findMembersPage = (db: Conn, f: MemberPageQuery) => {
  let q = db.selectFrom('members').leftJoin('stores', 'stores.id', 'members.registration_store_id')
    .selectAll('members').select(['stores.code as store_code', 'stores.name as store_name'])
  if (f.storeId !== undefined) q = q.where('members.registration_store_id', '=', f.storeId)
  q = f.status ? q.where('members.status', '=', f.status) : q.where('members.status', 'in', ['active', 'frozen'])
  if (f.channel) q = q.where('members.registration_channel', '=', f.channel)
  if (f.registeredFrom) q = q.where('members.registered_at', '>=', f.registeredFrom)
  if (f.registeredTo) q = q.where('members.registered_at', '<', f.registeredTo)
  if (f.after) {
    const [at, id] = f.after
    q = q.where((eb) => eb.or([eb('members.registered_at', '<', at), eb.and([eb('members.registered_at', '=', at), eb('members.id', '<', id)])]))
  }
  return q.orderBy('members.registered_at', 'desc').orderBy('members.id', 'desc').limit(f.limit).execute()
}
