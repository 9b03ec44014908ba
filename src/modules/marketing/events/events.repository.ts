import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import type { EventRegistrationsTable, EventStatus, MemberEventsTable, RegistrationStatus } from './events.table.js'

type Conn = Db | Trx

export const insertEvent = (conn: Conn, row: MemberEventsTable) => conn.insertInto('member_events').values(row).execute()

export const findEvent = (conn: Conn, id: string) => conn.selectFrom('member_events').selectAll().where('id', '=', id).executeTakeFirst()

/** Events in a scope, latest start first (then newest), after the event `after` when paging. */
export const listEvents = (conn: Conn, f: { scope: Scope; status?: EventStatus; from?: string; to?: string; after?: { startsAt: string; id: string }; limit: number }) => {
  let q = scopeToStore(conn.selectFrom('member_events').selectAll(), f.scope, 'store_id')
    .orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(f.limit)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.from) q = q.where('starts_at', '>=', f.from)
  if (f.to) q = q.where('starts_at', '<', f.to)
  if (f.after) {
    const { startsAt, id } = f.after
    q = q.where((eb) => eb.or([eb('starts_at', '<', startsAt), eb.and([eb('starts_at', '=', startsAt), eb('id', '<', id)])]))
  }
  return q.execute()
}

/** Open events in a scope that have not ended, soonest first (what a till or a desk offers). */
export const openEvents = (conn: Conn, scope: Scope, now: string) =>
  scopeToStore(conn.selectFrom('member_events').selectAll(), scope, 'store_id')
    .where('status', '=', 'open').where('ends_at', '>', now).orderBy('starts_at').orderBy('id').limit(100).execute()

/** Writes the changes if the event is still at `version`, not cancelled, and holds no more seats than the capacity given; false otherwise. */
export const updateEvent = async (conn: Conn, id: string, version: number, changes: Partial<MemberEventsTable>): Promise<boolean> => {
  let q = conn.updateTable('member_events').set({ ...changes, version: version + 1 }).where('id', '=', id).where('version', '=', version).where('status', '<>', 'cancelled')
  if (changes.capacity !== undefined) q = q.where('seats_taken', '<=', changes.capacity)
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

/** Moves an event between statuses whatever its version; false if it is in none of `from`. */
export const setEventStatus = async (conn: Conn, id: string, from: readonly EventStatus[], changes: Pick<MemberEventsTable, 'status' | 'updated_by' | 'updated_at'>): Promise<boolean> =>
  Number((await conn.updateTable('member_events').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst()).numUpdatedRows) === 1

/**
 * Takes a seat of an open event, if one is left: one conditional update, so of two desks racing
 * for the last seat the second (waiting on the row's lock in PostgreSQL) finds it taken.
 */
export const takeSeat = async (trx: Trx, eventId: string): Promise<boolean> =>
  Number((await trx.updateTable('member_events').set((eb) => ({ seats_taken: eb('seats_taken', '+', 1) }))
    .where('id', '=', eventId).where('status', '=', 'open').whereRef('seats_taken', '<', 'capacity').executeTakeFirst()).numUpdatedRows) === 1

export const releaseSeat = (trx: Trx, eventId: string) =>
  trx.updateTable('member_events').set((eb) => ({ seats_taken: eb('seats_taken', '-', 1) })).where('id', '=', eventId).where('seats_taken', '>', 0).execute()

export const findRegistration = (conn: Conn, eventId: string, memberId: string) =>
  conn.selectFrom('event_registrations').selectAll().where('event_id', '=', eventId).where('member_id', '=', memberId).executeTakeFirst()

export const insertRegistration = (trx: Trx, row: EventRegistrationsTable) => trx.insertInto('event_registrations').values(row).execute()

/** Changes a registration if it is still in `from`; false otherwise. */
export const updateRegistration = async (trx: Trx, id: string, from: RegistrationStatus, changes: Partial<EventRegistrationsTable>): Promise<boolean> =>
  Number((await trx.updateTable('event_registrations').set(changes).where('id', '=', id).where('status', '=', from).executeTakeFirst()).numUpdatedRows) === 1

export const registrationsPage = (conn: Conn, eventId: string, f: { status?: RegistrationStatus; after?: string; limit: number }) => {
  let q = conn.selectFrom('event_registrations').selectAll().where('event_id', '=', eventId).orderBy('id').limit(f.limit)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.after) q = q.where('id', '>', f.after)
  return q.execute()
}

/** Registrations by status and channel (the report). */
export const registrationCounts = async (conn: Conn, eventId: string) =>
  (await conn.selectFrom('event_registrations').select(['status', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('event_id', '=', eventId).groupBy(['status', 'channel']).execute()).map((r) => ({ status: r.status, channel: r.channel, n: Number(r.n) }))

/** The members of an event's registrations in a status. */
export const memberIdsOf = async (conn: Conn, eventId: string, status: RegistrationStatus): Promise<string[]> =>
  (await conn.selectFrom('event_registrations').select('member_id').where('event_id', '=', eventId).where('status', '=', status).execute()).map((r) => r.member_id)

/** The members an invitation campaign's messages went to (every run's, each member once). */
export const campaignSentCount = async (conn: Conn, campaignId: string): Promise<number> =>
  Number((await conn.selectFrom('campaign_recipients as r').innerJoin('campaign_runs as u', 'u.id', 'r.run_id')
    .select((eb) => eb.fn.count<number>('r.member_id').distinct().as('n'))
    .where('u.campaign_id', '=', campaignId).where('r.status', '=', 'sent').executeTakeFirstOrThrow()).n)

export const findCampaignName = (conn: Conn, id: string) => conn.selectFrom('campaigns').select(['id', 'name']).where('id', '=', id).executeTakeFirst()

/** A member's registrations with their events, latest event first, in a scope (the member page). */
export const registrationsOfMember = (conn: Conn, memberId: string, scope: Scope, limit: number) =>
  scopeToStore(conn.selectFrom('event_registrations as r').innerJoin('member_events as e', 'e.id', 'r.event_id'), scope, 'e.store_id')
    .selectAll('e')
    .select(['r.id as registration_id', 'r.channel as registration_channel', 'r.status as registration_status', 'r.registered_at', 'r.cancelled_at', 'r.checked_in_at'])
    .where('r.member_id', '=', memberId).orderBy('e.starts_at', 'desc').orderBy('e.id', 'desc').limit(limit).execute()

/** Of these events, those whose invitation campaign sent the member a message. */
export const eventsInvitingMember = async (conn: Conn, memberId: string, eventIds: readonly string[]): Promise<Set<string>> =>
  new Set(eventIds.length === 0 ? [] : (await conn.selectFrom('member_events as e')
    .innerJoin('campaign_runs as u', 'u.campaign_id', 'e.campaign_id')
    .innerJoin('campaign_recipients as r', 'r.run_id', 'u.id')
    .select('e.id').distinct()
    .where('e.id', 'in', [...eventIds]).where('r.member_id', '=', memberId).where('r.status', '=', 'sent').execute()).map((r) => r.id))

/** Events not ended whose invitation campaign sent the member a message (not drafts), soonest first. */
export const upcomingInvitationsOf = (conn: Conn, memberId: string, now: string) =>
  conn.selectFrom('member_events as e')
    .where('e.ends_at', '>', now).where('e.status', '<>', 'draft')
    .where('e.campaign_id', 'in', (eb) => eb.selectFrom('campaign_recipients as r').innerJoin('campaign_runs as u', 'u.id', 'r.run_id')
      .select('u.campaign_id').where('r.member_id', '=', memberId).where('r.status', '=', 'sent'))
    .selectAll('e').orderBy('e.starts_at').orderBy('e.id').limit(100).execute()

/** The member's registrations of these events. */
export const registrationsOfEvents = (conn: Conn, memberId: string, eventIds: readonly string[]) =>
  eventIds.length === 0 ? Promise.resolve([]) : conn.selectFrom('event_registrations').selectAll().where('member_id', '=', memberId).where('event_id', 'in', [...eventIds]).execute()
