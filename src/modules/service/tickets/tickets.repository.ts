import { sql, type Updateable } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import type {
  ServiceCategoriesTable, ServiceSlaPoliciesTable, ServiceTeamsTable, TicketCompensationsTable, TicketEventsTable, TicketFollowupsTable,
  TicketPhotosTable, TicketsTable,
} from './tickets.table.js'
import { OPEN_STATUSES, type Severity, type TicketStatus } from './ticket-rules.js'

// The service desk's queries. The connection comes first; services pass their transaction. A
// ticket moves by conditional updates (who has it, which deadline was already reminded or
// escalated), so two agents or two runs of the SLA job never both win: keep each WHERE as it is.

type Conn = Db | Trx
const OPEN = [...OPEN_STATUSES]

// ---- settings ----

export const findSetting = async (conn: Conn, key: string) =>
  conn.selectFrom('service_settings').selectAll().where('key', '=', key).executeTakeFirst()

export const saveSetting = (trx: Conn, row: { key: string; value: string; updated_by: string | null; updated_at: string }) =>
  trx.insertInto('service_settings').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by: row.updated_by, updated_at: row.updated_at })).execute()

// ---- teams ----

export const listTeams = (conn: Conn, filter: { storeId?: string; active?: boolean; scope?: Scope }) => {
  let q = conn.selectFrom('service_teams').selectAll().orderBy('name').orderBy('id')
  if (filter.storeId) q = q.where('store_id', '=', filter.storeId)
  if (filter.active !== undefined) q = q.where('active', '=', filter.active ? 1 : 0)
  if (filter.scope) q = scopeToStore(q, filter.scope, 'store_id', { orUnassigned: true })
  return q.execute()
}

export const findTeam = (conn: Conn, id: string) => conn.selectFrom('service_teams').selectAll().where('id', '=', id).executeTakeFirst()

export const findTeamsByIds = (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : conn.selectFrom('service_teams').selectAll().where('id', 'in', [...new Set(ids)]).execute()

/** The active team of a store (its 门店 team), the oldest if several. */
export const findStoreTeam = (conn: Conn, storeId: string) =>
  conn.selectFrom('service_teams').selectAll().where('store_id', '=', storeId).where('kind', '=', 'store').where('active', '=', 1)
    .orderBy('created_at').orderBy('id').limit(1).executeTakeFirst()

export const insertTeam = (trx: Conn, row: ServiceTeamsTable) => trx.insertInto('service_teams').values(row).execute()

export const updateTeam = (trx: Conn, id: string, patch: Updateable<ServiceTeamsTable>) => trx.updateTable('service_teams').set(patch).where('id', '=', id).execute()

export const teamMembers = (conn: Conn, teamIds: readonly string[]) =>
  teamIds.length === 0 ? Promise.resolve([]) : conn.selectFrom('service_team_members').selectAll().where('team_id', 'in', [...teamIds]).orderBy('added_at').execute()

export const addTeamMember = (trx: Conn, row: { team_id: string; user_id: string; added_at: string }) =>
  trx.insertInto('service_team_members').values(row).onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing()).execute()

export const removeTeamMember = (trx: Conn, teamId: string, userId: string) =>
  trx.deleteFrom('service_team_members').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()

/** The teams a staff member belongs to or leads. */
export const teamIdsOf = async (conn: Conn, userId: string): Promise<string[]> => {
  const member = await conn.selectFrom('service_team_members').select('team_id').where('user_id', '=', userId).execute()
  const led = await conn.selectFrom('service_teams').select('id').where('lead_user_id', '=', userId).execute()
  return [...new Set([...member.map((r) => r.team_id), ...led.map((r) => r.id)])]
}

export const isTeamMember = async (conn: Conn, teamId: string, userId: string): Promise<boolean> =>
  (await conn.selectFrom('service_team_members').select('user_id').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()) !== undefined

// ---- categories and policies ----

export const listCategories = (conn: Conn) =>
  conn.selectFrom('service_categories').selectAll().orderBy('sort').orderBy('id').execute()

export const findCategory = (conn: Conn, id: string) => conn.selectFrom('service_categories').selectAll().where('id', '=', id).executeTakeFirst()

export const findCategoriesByIds = (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : conn.selectFrom('service_categories').selectAll().where('id', 'in', [...new Set(ids)]).execute()

export const insertCategory = (trx: Conn, row: ServiceCategoriesTable) => trx.insertInto('service_categories').values(row).execute()

export const updateCategory = (trx: Conn, id: string, patch: Updateable<ServiceCategoriesTable>) =>
  trx.updateTable('service_categories').set(patch).where('id', '=', id).execute()

export const listPolicies = (conn: Conn) =>
  conn.selectFrom('service_sla_policies').selectAll().orderBy('category_key').orderBy('severity').execute()

export const findPolicy = (conn: Conn, id: string) => conn.selectFrom('service_sla_policies').selectAll().where('id', '=', id).executeTakeFirst()

export const upsertPolicy = (trx: Conn, row: ServiceSlaPoliciesTable) =>
  trx.insertInto('service_sla_policies').values(row).onConflict((oc) => oc.columns(['category_key', 'severity']).doUpdateSet({
    first_response_minutes: row.first_response_minutes, resolution_minutes: row.resolution_minutes, remind_before_minutes: row.remind_before_minutes,
    updated_by: row.updated_by, updated_at: row.updated_at,
  })).execute()

export const deletePolicy = (trx: Conn, id: string) => trx.deleteFrom('service_sla_policies').where('id', '=', id).execute()

export const policiesFor = (conn: Conn, categoryKeys: readonly string[], severity: Severity) =>
  conn.selectFrom('service_sla_policies').selectAll().where('category_key', 'in', [...categoryKeys]).where('severity', '=', severity).execute()

// ---- tickets ----

/** The next number of a local day (one counter row per day; the upsert is atomic on both engines). */
export const nextTicketSeq = async (trx: Conn, day: string): Promise<number> => {
  const row = await trx.insertInto('ticket_counters').values({ day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`ticket_counters.last + 1` }))
    .returning('last').executeTakeFirstOrThrow()
  return Number(row.last)
}

export const insertTicket = (trx: Conn, row: TicketsTable) => trx.insertInto('tickets').values(row).execute()

export const findTicket = (conn: Conn, id: string) => conn.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst()

export const updateTicket = async (trx: Conn, id: string, patch: Updateable<TicketsTable>): Promise<void> => {
  await trx.updateTable('tickets').set({ ...patch, version: sql`version + 1` }).where('id', '=', id).execute()
}

/** Takes an open ticket for `userId` unless someone else has it: true when it is now theirs. */
export const takeTicket = async (trx: Conn, id: string, userId: string, at: string): Promise<boolean> => {
  const r = await trx.updateTable('tickets').set({ assignee_id: userId, status: 'in_progress', updated_at: at, version: sql`version + 1` })
    .where('id', '=', id).where('status', 'in', OPEN)
    .where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '=', userId)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Marks the ticket's row locked for this transaction (PostgreSQL: the row lock; SQLite: one writer at a time). */
export const lockTicket = (trx: Conn, id: string, at: string) =>
  trx.updateTable('tickets').set({ updated_at: at }).where('id', '=', id).execute()

export interface TicketFilter {
  scope: Scope
  status?: TicketStatus
  open?: boolean
  teamIds?: string[]
  teamId?: string
  assigneeId?: string
  unassigned?: boolean
  categoryId?: string
  severity?: Severity
  memberId?: string
  text?: string
  /** a deadline (not yet met) at or before this instant */
  dueBefore?: string
  /** ...and after this one */
  dueAfter?: string
  cursor?: string
  limit: number
}

export const listTickets = (conn: Conn, f: TicketFilter) => {
  let q = scopeToStore(conn.selectFrom('tickets').selectAll(), f.scope, 'tickets.store_id').orderBy('id', 'desc').limit(f.limit + 1)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.open) q = q.where('status', 'in', OPEN)
  if (f.teamIds) q = f.teamIds.length === 0 ? q.where((eb) => eb.or([])) : q.where('team_id', 'in', f.teamIds)
  if (f.teamId) q = q.where('team_id', '=', f.teamId)
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId)
  if (f.unassigned) q = q.where('assignee_id', 'is', null)
  if (f.categoryId) q = q.where('category_id', '=', f.categoryId)
  if (f.severity) q = q.where('severity', '=', f.severity)
  if (f.memberId) q = q.where('member_id', '=', f.memberId)
  if (f.text) q = q.where((eb) => eb.or([eb('ticket_no', '=', f.text!.toUpperCase()), eb('description', 'like', `%${f.text}%`)]))
  if (f.dueBefore) {
    const before = f.dueBefore
    const after = f.dueAfter
    q = q.where('status', 'in', OPEN).where((eb) => eb.or([
      eb.and([eb('first_responded_at', 'is', null), eb('first_response_due_at', '<=', before), ...(after ? [eb('first_response_due_at', '>', after)] : [])]),
      eb.and([eb('resolution_due_at', '<=', before), ...(after ? [eb('resolution_due_at', '>', after)] : [])]),
    ]))
  }
  if (f.cursor) q = q.where('id', '<', f.cursor)
  return q.execute()
}

// ---- the SLA job's candidates ----

/** Open tickets whose reminder for a deadline is due and not yet given, the deadline still ahead. */
export const remindersDue = (conn: Conn, now: string, limit: number) =>
  conn.selectFrom('tickets').select(['id', 'first_response_remind_at', 'resolution_remind_at', 'first_response_due_at', 'resolution_due_at', 'first_responded_at', 'first_response_reminded_at', 'resolution_reminded_at'])
    .where('status', 'in', OPEN)
    .where((eb) => eb.or([
      eb.and([eb('first_responded_at', 'is', null), eb('first_response_reminded_at', 'is', null), eb('first_response_remind_at', '<=', now), eb('first_response_due_at', '>', now)]),
      eb.and([eb('resolution_reminded_at', 'is', null), eb('resolution_remind_at', '<=', now), eb('resolution_due_at', '>', now)]),
    ]))
    .orderBy('id').limit(limit).execute()

/** Sets a reminder's time unless another run did: true for the run that did. */
export const markReminded = async (trx: Conn, id: string, deadline: 'first_response' | 'resolution', at: string): Promise<boolean> => {
  const column = deadline === 'first_response' ? 'first_response_reminded_at' : 'resolution_reminded_at'
  const r = await trx.updateTable('tickets').set({ [column]: at }).where('id', '=', id).where(column, 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Open tickets with a deadline passed and not yet escalated for it. */
export const breachesDue = (conn: Conn, now: string, limit: number) =>
  conn.selectFrom('tickets').selectAll()
    .where('status', 'in', OPEN)
    .where((eb) => eb.or([
      eb.and([eb('first_responded_at', 'is', null), eb('first_response_breached_at', 'is', null), eb('first_response_due_at', '<=', now)]),
      eb.and([eb('resolution_breached_at', 'is', null), eb('resolution_due_at', '<=', now)]),
    ]))
    .orderBy('id').limit(limit).execute()

/** Escalates one level for a breached deadline unless another run did (the breach column is the guard). */
export const markEscalated = async (
  trx: Conn, id: string, deadline: 'first_response' | 'resolution', fromLevel: number,
  set: { level: number; to: string; userId: string | null; at: string },
): Promise<boolean> => {
  const column = deadline === 'first_response' ? 'first_response_breached_at' : 'resolution_breached_at'
  const r = await trx.updateTable('tickets')
    .set({ [column]: set.at, escalation_level: set.level, escalated_to: set.to as TicketsTable['escalated_to'], escalated_user_id: set.userId, escalated_at: set.at, version: sql`version + 1` })
    .where('id', '=', id).where(column, 'is', null).where('escalation_level', '=', fromLevel)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

// ---- events, photos, compensation, follow-up ----

export const insertEvent = (trx: Conn, row: TicketEventsTable) => trx.insertInto('ticket_events').values(row).execute()

export const findEvent = (conn: Conn, id: string) => conn.selectFrom('ticket_events').selectAll().where('id', '=', id).executeTakeFirst()

export const setEventData = (conn: Conn, id: string, data: string) => conn.updateTable('ticket_events').set({ data }).where('id', '=', id).execute()

export const eventsOf = (conn: Conn, ticketId: string) =>
  conn.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('at').orderBy('id').execute()

export const photosOf = (conn: Conn, ticketId: string) =>
  conn.selectFrom('ticket_photos').select(['id', 'ticket_id', 'content_type', 'size', 'uploaded_by', 'created_at']).where('ticket_id', '=', ticketId).orderBy('id').execute()

/** The replies told to the customer on these tickets (kind reply: never a note), oldest first. */
export const repliesOf = (conn: Conn, ticketIds: readonly string[]) =>
  ticketIds.length === 0 ? Promise.resolve([]) : conn.selectFrom('ticket_events').select(['ticket_id', 'body', 'channel', 'at'])
    .where('ticket_id', 'in', [...ticketIds]).where('kind', '=', 'reply').orderBy('at').orderBy('id').execute()

/** The photos of these tickets (without their bytes). */
export const photosOfTickets = (conn: Conn, ticketIds: readonly string[]) =>
  ticketIds.length === 0 ? Promise.resolve([]) : conn.selectFrom('ticket_photos').select(['id', 'ticket_id', 'content_type', 'size', 'created_at'])
    .where('ticket_id', 'in', [...ticketIds]).orderBy('id').execute()

export const photoCounts = async (conn: Conn, ticketIds: readonly string[]): Promise<Map<string, number>> => {
  if (ticketIds.length === 0) return new Map()
  const rows = await conn.selectFrom('ticket_photos').select(['ticket_id', (eb) => eb.fn.countAll().as('n')]).where('ticket_id', 'in', [...ticketIds]).groupBy('ticket_id').execute()
  return new Map(rows.map((r) => [r.ticket_id, Number(r.n)]))
}

export const findPhoto = (conn: Conn, ticketId: string, photoId: string) =>
  conn.selectFrom('ticket_photos').selectAll().where('ticket_id', '=', ticketId).where('id', '=', photoId).executeTakeFirst()

export const insertPhoto = (trx: Conn, row: TicketPhotosTable) => trx.insertInto('ticket_photos').values(row).execute()

export const compensationsOf = (conn: Conn, ticketId: string) =>
  conn.selectFrom('ticket_compensations').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()

export const findCompensationByKey = (conn: Conn, ticketId: string, requestKey: string) =>
  conn.selectFrom('ticket_compensations').selectAll().where('ticket_id', '=', ticketId).where('request_key', '=', requestKey).executeTakeFirst()

export const insertCompensation = (trx: Conn, row: TicketCompensationsTable) => trx.insertInto('ticket_compensations').values(row).execute()

export const updateCompensation = (trx: Conn, id: string, patch: Updateable<TicketCompensationsTable>) =>
  trx.updateTable('ticket_compensations').set(patch).where('id', '=', id).execute()

export const deleteCompensation = (trx: Conn, id: string) => trx.deleteFrom('ticket_compensations').where('id', '=', id).execute()

export const followUpsOf = (conn: Conn, ticketId: string) =>
  conn.selectFrom('ticket_followups').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()

export const openFollowUp = (conn: Conn, ticketId: string) =>
  conn.selectFrom('ticket_followups').selectAll().where('ticket_id', '=', ticketId).where('done_at', 'is', null).orderBy('id', 'desc').limit(1).executeTakeFirst()

export const insertFollowUp = (trx: Conn, row: TicketFollowupsTable) => trx.insertInto('ticket_followups').values(row).execute()

export const updateFollowUp = (trx: Conn, id: string, patch: Updateable<TicketFollowupsTable>) =>
  trx.updateTable('ticket_followups').set(patch).where('id', '=', id).execute()

/** Closes a ticket's open follow-up tasks without a call (the ticket was reopened or closed another way). */
export const dropOpenFollowUps = (trx: Conn, ticketId: string, at: string, by: string | null) =>
  trx.updateTable('ticket_followups').set({ done_at: at, done_by: by }).where('ticket_id', '=', ticketId).where('done_at', 'is', null).execute()

export const listFollowUps = (conn: Conn, f: { scope: Scope; dueBy?: string; assigneeId?: string; cursor?: string; limit: number }) => {
  let q = scopeToStore(
    conn.selectFrom('ticket_followups').innerJoin('tickets', 'tickets.id', 'ticket_followups.ticket_id')
      .selectAll('ticket_followups')
      .select(['tickets.ticket_no', 'tickets.member_id', 'tickets.category_id', 'tickets.outcome']),
    f.scope, 'ticket_followups.store_id',
  ).where('ticket_followups.done_at', 'is', null).orderBy('ticket_followups.id').limit(f.limit + 1)
  if (f.dueBy) q = q.where('ticket_followups.due_at', '<=', f.dueBy)
  if (f.assigneeId) q = q.where('ticket_followups.assignee_id', '=', f.assigneeId)
  if (f.cursor) q = q.where('ticket_followups.id', '>', f.cursor)
  return q.execute()
}

// ---- reports ----

export interface ReportTicketFilter { scope: Scope; from: string; to: string; storeIds?: string[]; kind?: 'complaint' | 'request' }

/** The report's tickets (taken in between the local dates, in scope), as a query to select from or nest. */
const reportTicketsQuery = (conn: Conn, f: ReportTicketFilter) => {
  let q = scopeToStore(conn.selectFrom('tickets'), f.scope, 'tickets.store_id').where('business_date', '>=', f.from).where('business_date', '<=', f.to)
  if (f.storeIds) q = f.storeIds.length === 0 ? q.where((eb) => eb.or([])) : q.where('store_id', 'in', f.storeIds)
  if (f.kind) q = q.where('kind', '=', f.kind)
  return q
}

export const reportTickets = (conn: Conn, f: ReportTicketFilter) =>
  reportTicketsQuery(conn, f).select([
    'id', 'kind', 'member_id', 'store_id', 'category_id', 'severity', 'product_id', 'status', 'business_date', 'created_at',
    'first_response_due_at', 'resolution_due_at', 'first_responded_at', 'resolved_at', 'first_response_minutes', 'resolution_minutes', 'reopen_count',
  ]).execute()

/** The satisfaction scores recorded on the follow-up calls of the report's tickets (the same filter, one query: no id list). */
export const doneFollowUpsOf = (conn: Conn, f: ReportTicketFilter) =>
  conn.selectFrom('ticket_followups').select(['ticket_id', 'satisfaction']).where('ticket_id', 'in', reportTicketsQuery(conn, f).select('tickets.id'))
    .where('done_at', 'is not', null).where('satisfaction', 'is not', null).execute()

export const grantedCompensationsOf = (conn: Conn, f: ReportTicketFilter) =>
  conn.selectFrom('ticket_compensations').select(['ticket_id', 'kind', 'points']).where('ticket_id', 'in', reportTicketsQuery(conn, f).select('tickets.id'))
    .where('status', '=', 'granted').execute()

// ---- a member's data ----

export const countMemberRows = async (conn: Conn, memberId: string): Promise<number> => {
  const t = await conn.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()
  return Number(t.n)
}

export const moveMemberRows = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  await trx.updateTable('tickets').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  await trx.updateTable('ticket_compensations').set({ member_id: toId }).where('member_id', '=', fromId).execute()
}

export const memberRows = async (conn: Conn, memberId: string): Promise<Record<string, object[]>> => {
  const tickets = await conn.selectFrom('tickets').selectAll().where('member_id', '=', memberId).orderBy('id').execute()
  const ids = tickets.map((t) => t.id)
  const none = ids.length === 0
  return {
    tickets,
    ticket_events: none ? [] : await conn.selectFrom('ticket_events').selectAll().where('ticket_id', 'in', ids).orderBy('id').execute(),
    ticket_photos: none ? [] : await conn.selectFrom('ticket_photos').select(['id', 'ticket_id', 'content_type', 'size', 'created_at']).where('ticket_id', 'in', ids).orderBy('id').execute(),
    ticket_compensations: await conn.selectFrom('ticket_compensations').selectAll().where('member_id', '=', memberId).orderBy('id').execute(),
    ticket_followups: none ? [] : await conn.selectFrom('ticket_followups').selectAll().where('ticket_id', 'in', ids).orderBy('id').execute(),
  }
}

/**
 * Erasure: the tickets stay (the desk's figures count them) without the person: no member, no
 * contact, no photos, no follow-up comment, no customer-facing text; compensation moves to the
 * erasure's holder (the ledger and the coupon count it).
 */
export const eraseMemberRows = async (trx: Trx, memberId: string, holderId: string): Promise<void> => {
  const ids = (await trx.selectFrom('tickets').select('id').where('member_id', '=', memberId).execute()).map((r) => r.id)
  if (ids.length > 0) {
    await trx.deleteFrom('ticket_photos').where('ticket_id', 'in', ids).execute()
    await trx.updateTable('ticket_followups').set({ comment: null }).where('ticket_id', 'in', ids).execute()
    await trx.updateTable('ticket_events').set({ body: null }).where('ticket_id', 'in', ids).where('kind', 'in', ['reply', 'note', 'follow_up']).execute()
    await trx.updateTable('tickets').set({
      member_id: null, contact_name_enc: null, contact_name_masked: null, contact_phone_enc: null, contact_phone_masked: null, description: '(erased)',
    }).where('id', 'in', ids).execute()
  }
  await trx.updateTable('ticket_compensations').set({ member_id: holderId }).where('member_id', '=', memberId).execute()
}
