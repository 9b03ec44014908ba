import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import { insertChunked } from '../../db/bulk.js'
import type { SelectQueryBuilder } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { Actor } from '../../shared/actor.js'
import { scopeOf, scopeToStore, type Scope } from '../../shared/scope.js'
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
  db.selectFrom('member_lookup_counts')
    .select(['actor_key', 'actor_name', 'store_id', 'period', 'lookups', 'misses'])
    .where('period', '>=', fromPeriod).where('misses', '>=', minMisses)
    .orderBy('period', 'desc').orderBy('misses', 'desc').limit(limit).execute()

/** Live members with this name index, newest first. */
export const findMembersByNameIndex = (db: Conn, bidx: string, limit: number) =>
  db.selectFrom('members').selectAll().where('name_bidx', '=', bidx).where('status', 'in', ['active', 'frozen'])
    .orderBy('registered_at', 'desc').orderBy('id', 'desc').limit(limit).execute()

export interface MemberPageQuery {
  /** the registration stores read (the actor's scope, narrowed by a store filter) */
  scope: Scope
  status?: MembersTable['status']
  channel?: MembersTable['registration_channel']
  registeredFrom?: string
  registeredTo?: string
  /** keyset: the (registered_at, id) of the last row of the page before */
  after?: [string, string] | null
  limit: number
}

/** One page of members, newest registration first: the member list and the export page through the same filters. */
export const findMembersPage = (db: Conn, f: MemberPageQuery) => {
  let q = scopeToStore(db.selectFrom('members').selectAll('members'), f.scope, 'members.registration_store_id')
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

/** The records merged into this member (a till's resend may still name one of them). */
export const findIdsMergedInto = async (db: Conn, memberId: string): Promise<string[]> =>
  (await db.selectFrom('members').select('id').where('merged_into_id', '=', memberId).execute()).map((r) => r.id)

/** How lists show members: the masked name and the card, by id. */
export const findMemberLabels = async (db: Conn, ids: readonly string[]): Promise<Map<string, { nameMasked: string | null; cardNo: string }>> => {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('members').select(['id', 'name_masked', 'card_no']).where('id', 'in', [...new Set(ids)]).execute()
  return new Map(rows.map((r) => [r.id, { nameMasked: r.name_masked, cardNo: r.card_no }]))
}

/** A member's status, registration store and survivor, for other modules' checks (erased members too: callers decide). */
export const findMemberState = (db: Conn, id: string) =>
  db.selectFrom('members').select(['id', 'status', 'registration_store_id', 'merged_into_id']).where('id', '=', id).executeTakeFirst()

/** The states of the members holding a blind index value (a phone's: an SMS reply names the number, not the member). */
export const findMemberStatesByBlindIndex = (db: Conn, field: 'phone_bidx', bidx: string) =>
  db.selectFrom('members').select(['id', 'status', 'registration_store_id', 'merged_into_id']).where(field, '=', bidx).orderBy('id').execute()

/** Which of these members gave consent on a channel (their current consent, not its history). */
export const findConsentedIds = async (db: Conn, channel: ConsentChannel, memberIds: readonly string[]): Promise<string[]> =>
  (await db.selectFrom('member_consents').select('member_id').where('channel', '=', channel).where('granted', '=', 1).where('member_id', 'in', [...memberIds]).execute())
    .map((r) => r.member_id)

/** The registration store of each of these members (those that exist). */
export const findRegistrationStores = async (db: Conn, ids: readonly string[]): Promise<Map<string, string | null>> => {
  const out = new Map<string, string | null>()
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db.selectFrom('members').select(['id', 'registration_store_id']).where('id', 'in', unique.slice(i, i + 1000)).execute()
    for (const r of rows) out.set(r.id, r.registration_store_id)
  }
  return out
}

/**
 * The ids of the members registered in a scope, as a subquery another module's repository
 * narrows by (`where('member_id', 'in', …)`); null for the whole chain (no narrowing).
 */
export const memberIdsInScope = (db: Conn, who: Actor | Scope): MemberIdsSubquery | null =>
  (who.kind === 'chain' || (who.kind !== 'stores' && scopeOf(who).kind === 'chain')) ? null : scopeToStore(db.selectFrom('members').select('members.id'), who, 'members.registration_store_id')
export type MemberIdsSubquery = SelectQueryBuilder<DB, 'members', { id: string }>

export type KeyField = 'id' | 'card_no' | 'phone_bidx' | 'external_code'

/** The members whose `field` is one of `values`, with that value as `key`. */
export const findMembersByKey = (db: Conn, field: KeyField, values: readonly string[]) =>
  values.length === 0 ? Promise.resolve([]) : db.selectFrom('members').select(['id', 'status', 'merged_into_id', `${field} as key`]).where(field, 'in', values).execute()

/** Inserts new members with their consents (and the consents' history) in chunks. */
export const insertMembers = async (trx: Trx, rows: MembersTable[], consents: Array<MemberConsentsTable & { id: string }>): Promise<void> => {
  await insertChunked(trx, 'members', rows)
  await insertChunked(trx, 'member_consents', consents.map(({ id: _id, ...c }) => c))
  await insertChunked(trx, 'member_consent_history', consents)
}

/** How many consent changes a member has (the merge preview). */
export const countConsentChanges = async (db: Conn, memberId: string): Promise<number> =>
  Number((await db.selectFrom('member_consent_history').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirst())?.n ?? 0)

/** Sets a member's consent to `row`'s (insert or overwrite), without a history entry. */
export const putConsent = async (db: Conn, row: MemberConsentsTable): Promise<void> => {
  await db.insertInto('member_consents').values(row)
    .onConflict((oc) => oc.columns(['member_id', 'channel']).doUpdateSet({ granted: row.granted, source: row.source, changed_at: row.changed_at, changed_by: row.changed_by }))
    .execute()
}

/** Drops a merged record's consents and gives its consent history to the survivor. */
export const retireConsents = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  await trx.deleteFrom('member_consents').where('member_id', '=', fromId).execute()
  await trx.updateTable('member_consent_history').set({ member_id: toId }).where('member_id', '=', fromId).execute()
}

/** Locks two members' rows in id order (PostgreSQL), so two merges of one pair run one after the other. */
export const lockMembersForUpdate = async (trx: Trx, ids: readonly string[]): Promise<void> => {
  await sql`select id from members where id in (${sql.join([...ids])}) order by id for update`.execute(trx)
}

// ---- key rotation ----------------------------------------------------------------------------

export const ENCRYPTED_COLUMNS = ['phone_enc', 'name_enc', 'id_number_enc', 'email_enc', 'address_enc'] as const
export type EncryptedColumn = typeof ENCRYPTED_COLUMNS[number]

/** The encrypted values (and name index) of the members after `afterId`, in id order. */
export const findEncryptedPage = (db: Conn, afterId: string, limit: number) =>
  db.selectFrom('members').select(['id', 'name_bidx', ...ENCRYPTED_COLUMNS]).where('id', '>', afterId).orderBy('id').limit(limit).execute()

/** Members with a name but no name index yet, after `afterId`, in id order. */
export const findMissingNameIndex = (db: Conn, afterId: string, limit: number) =>
  db.selectFrom('members').select(['id', 'name_enc']).where('name_bidx', 'is', null).where('name_enc', 'is not', null)
    .where('id', '>', afterId).orderBy('id').limit(limit).execute()

/** Updates a member only if the given columns still hold the values read; whether it did. */
export const updateMemberIfUnchanged = async (db: Conn, id: string, patch: Partial<MembersTable>, expected: Partial<Record<EncryptedColumn, string | null>>): Promise<boolean> => {
  let q = db.updateTable('members').set(patch).where('id', '=', id)
  for (const [column, value] of Object.entries(expected) as Array<[EncryptedColumn, string | null]>) {
    q = value === null ? q.where(column, 'is', null) : q.where(column, '=', value)
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

export type ImportKeyField = 'id' | 'phone_bidx' | 'external_code' | 'id_number_bidx' | 'card_no'

/** The members whose `field` is one of `values`, with the keys an import matches rows by (one indexed IN list). */
export const findMembersForImport = (db: Conn, field: ImportKeyField, values: readonly string[]) =>
  values.length === 0 ? Promise.resolve([]) : db.selectFrom('members')
    .select(['id', 'card_no', 'phone_bidx', 'external_code', 'id_number_bidx', 'merged_into_id', 'status']).where(field, 'in', values).execute()

/** The members holding any of these blind index values (demo data and imports skip the ones taken). */
export const findMembersByBlindIndexes = (db: Conn, field: 'phone_bidx' | 'id_number_bidx', values: readonly string[]) =>
  values.length === 0 ? Promise.resolve([]) : db.selectFrom('members').select(['id', 'phone_bidx', 'id_number_bidx']).where(field, 'in', values).execute()

export const findActiveMemberIds = async (db: Conn): Promise<string[]> =>
  (await db.selectFrom('members').select('id').where('status', '=', 'active').execute()).map((m) => m.id)
