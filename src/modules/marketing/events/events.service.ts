import type { AuditService } from '../../audit/index.js'
import { memberSummaries, type MembersService } from '../../members/index.js'
import { storeById, storeNamesByIds } from '../../org/index.js'
import { memberPurchasesBetween } from '../../transactions/index.js'
import type { Db, Trx } from '../../../db/database.js'
import { isUniqueViolation } from '../../../db/errors.js'
import { actorId, actorStaffId, assertCan, can, type Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, DomainError, forbidden, notFound, unprocessable } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { CHAIN, assertInScope, scopeOf, scopeWithFilter } from '../../../shared/scope.js'
import {
  attendanceRate, DEFAULT_FOLLOW_UP_DAYS, eventProblems, followUpWindow, groupFigures, STATUS_ALLOWS, TRANSITIONS, type EventFields, type GroupFigures,
} from './event-rules.js'
import type { EventKind, EventRegistrationsTable, EventStatus, MemberEventsTable, RegistrationChannel, RegistrationStatus } from './events.table.js'
import { REGISTRATION_CHANNELS } from './events.table.js'
import * as repo from './events.repository.js'

export interface MemberEventsDeps {
  db: Db
  clock: Clock
  audit: AuditService
  /** finds the live member of an id (a merged record's survivor) or a card; a till's card that finds nobody counts as its miss */
  members: Pick<MembersService, 'internals'>
  /** the audience segment as the actor may see it (throws its own 404) */
  segment: (actor: Actor, segmentId: string) => Promise<{ id: string; name: string }>
}

export interface EventInput {
  title: string
  kind: EventKind
  description?: string | null
  storeId: string
  startsAt: string
  endsAt: string
  capacity: number
  segmentId?: string | null
  campaignId?: string | null
}

export interface EventView {
  id: string
  title: string
  kind: EventKind
  description: string | null
  storeId: string
  storeName: string | null
  startsAt: string
  endsAt: string
  capacity: number
  seatsTaken: number
  segmentId: string | null
  campaignId: string | null
  status: EventStatus
  version: number
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface RegistrationView {
  id: string
  eventId: string
  memberId: string
  cardNo: string | null
  /** masked */
  name: string | null
  channel: RegistrationChannel
  status: RegistrationStatus
  registeredAt: string
  cancelledAt: string | null
  checkedInAt: string | null
}

/** Who to register or check in: a member's id or their card number (one of them). */
export interface MemberKey { memberId?: string | null; cardNo?: string | null }

/** An event as a member sees it on their page: whether they were invited, and their registration. */
export interface MemberEventView {
  id: string
  title: string
  kind: EventKind
  description: string | null
  storeName: string | null
  startsAt: string
  endsAt: string
  status: Exclude<EventStatus, 'draft'>
  capacity: number
  seatsLeft: number
  /** the event's invitation campaign sent the member a message */
  invited: boolean
  registration: { status: RegistrationStatus; channel: RegistrationChannel; registeredAt: string; cancelledAt: string | null; checkedInAt: string | null } | null
  /** open, not over, seats left, and the member not registered */
  canRegister: boolean
  /** registered (not checked in) and the event open or closed */
  canCancel: boolean
}

export interface EventReport {
  eventId: string
  status: EventStatus
  capacity: number
  /** members the invitation campaign's messages went to; null without a campaign */
  invited: number | null
  /** seats taken: registered, whether they came or not */
  registered: number
  cancelled: number
  attended: number
  /** registered and not (yet) checked in */
  noShows: number
  attendanceRate: number | null
  /** seats taken by where the registration was taken */
  byChannel: Partial<Record<RegistrationChannel, number>>
  followUp: { days: number; from: string; to: string; partial: boolean; attendees: GroupFigures; noShows: GroupFigures }
}

const toView = (r: MemberEventsTable, storeName: string | null): EventView => ({
  id: r.id, title: r.title, kind: r.kind, description: r.description, storeId: r.store_id, storeName, startsAt: r.starts_at, endsAt: r.ends_at,
  capacity: Number(r.capacity), seatsTaken: Number(r.seats_taken), segmentId: r.segment_id, campaignId: r.campaign_id, status: r.status, version: Number(r.version),
  createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
})

const fieldsOf = (r: MemberEventsTable): EventFields => ({
  title: r.title, kind: r.kind, description: r.description, storeId: r.store_id, startsAt: r.starts_at, endsAt: r.ends_at, capacity: Number(r.capacity),
  segmentId: r.segment_id, campaignId: r.campaign_id,
})

/** A valid instant in the stored form (UTC, milliseconds); the rules have refused anything else. */
const iso = (v: string) => new Date(v).toISOString()

/**
 * Member events (会员活动, issue 15 §5): an event at a store with a capacity and an audience;
 * registration at the desk or the till (store staff and tills: their own store's events only),
 * cancellation freeing the seat, check-in by member or card, and a report of attendance and the
 * purchases that followed, attendees against those who registered and did not come.
 */
export const createMemberEventsService = (deps: MemberEventsDeps) => {
  const { db, clock, audit } = deps
  const now = () => clock.now().toISOString()

  const notFoundError = () => notFound('EVENT_NOT_FOUND', [{ field: 'id', reason: 'no such event' }])
  const load = async (conn: Db | Trx, id: string) => {
    const r = await repo.findEvent(conn, id)
    if (!r) throw notFoundError()
    return r
  }
  const statusError = (status: EventStatus, action: string) => conflict('EVENT_STATUS', [{ field: 'status', reason: `a ${status} event cannot be ${action}` }])
  /** Reading events: marketing, or the staff and tills who register members for them. */
  const assertReads = (actor: Actor) => {
    if (!can(actor, 'marketing.read') && !can(actor, 'events.register')) throw forbidden('FORBIDDEN', [], 'this role may not read events')
  }
  const storeNameOf = async (conn: Db | Trx, storeId: string) => (await storeNamesByIds(conn, [storeId])).get(storeId)?.name ?? null
  const views = async (conn: Db | Trx, rows: MemberEventsTable[]) => {
    const names = await storeNamesByIds(conn, rows.map((r) => r.store_id))
    return rows.map((r) => toView(r, names.get(r.store_id)?.name ?? null))
  }

  // ---- events ---------------------------------------------------------------------------------
  /** The fields' own problems, then what they name: the store, the segment, the campaign. */
  const check = async (actor: Actor, f: EventFields, seatsTaken = 0): Promise<void> => {
    const problems = eventProblems(f, seatsTaken)
    if (problems.length) throw unprocessable('EVENT_INVALID', problems)
    if (!(await storeById(db, f.storeId))) problems.push({ field: 'storeId', reason: 'not found' })
    if (f.segmentId) {
      try {
        await deps.segment(actor, f.segmentId)
      } catch (e) {
        if (!(e instanceof DomainError && (e.status === 404 || e.status === 422))) throw e
        problems.push({ field: 'segmentId', reason: 'not found' })
      }
    }
    if (f.campaignId && !(await repo.findCampaignName(db, f.campaignId))) problems.push({ field: 'campaignId', reason: 'not found' })
    if (problems.length) throw unprocessable('EVENT_INVALID', problems)
  }

  const fromInput = (input: EventInput): EventFields => ({
    title: (input.title ?? '').trim(), kind: input.kind, description: input.description?.trim() || null, storeId: input.storeId, startsAt: input.startsAt,
    endsAt: input.endsAt, capacity: input.capacity, segmentId: input.segmentId || null, campaignId: input.campaignId || null,
  })

  const create = async (actor: Actor, input: EventInput): Promise<EventView> => {
    assertCan(actor, 'marketing.manage')
    const f = fromInput(input)
    await check(actor, f)
    const at = now()
    const row: MemberEventsTable = {
      id: newId('mev'), title: f.title, kind: f.kind, description: f.description, store_id: f.storeId, starts_at: iso(f.startsAt), ends_at: iso(f.endsAt),
      capacity: f.capacity, seats_taken: 0, segment_id: f.segmentId, campaign_id: f.campaignId, status: 'draft', version: 1,
      created_by: actorStaffId(actor), created_at: at, updated_by: actorStaffId(actor), updated_at: at,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertEvent(trx, row)
      await audit.record(trx, actor, {
        action: 'event.create', entityType: 'member_event', entityId: row.id, storeId: row.store_id,
        changes: { title: row.title, kind: row.kind, storeId: row.store_id, startsAt: row.starts_at, endsAt: row.ends_at, capacity: row.capacity, segmentId: row.segment_id, campaignId: row.campaign_id },
      })
    })
    return toView(row, await storeNameOf(db, row.store_id))
  }

  /** Changes an event (not a cancelled one) from the version read; the capacity never below the seats taken, the store kept once anyone registered. */
  const update = async (actor: Actor, id: string, input: Partial<EventInput> & { version: number }): Promise<EventView> => {
    assertCan(actor, 'marketing.manage')
    const before = await load(db, id)
    if (!STATUS_ALLOWS.edit.includes(before.status)) throw statusError(before.status, 'changed')
    const old = fieldsOf(before)
    const next: EventFields = {
      ...old,
      ...Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k !== 'version')),
    }
    next.title = (next.title ?? '').trim()
    next.description = next.description?.trim() || null
    next.segmentId = next.segmentId || null
    next.campaignId = next.campaignId || null
    const seats = Number(before.seats_taken)
    if (next.storeId !== old.storeId && seats > 0) throw unprocessable('EVENT_INVALID', [{ field: 'storeId', reason: 'members have registered at this store' }])
    await check(actor, next, seats)
    const stored: EventFields = { ...next, startsAt: iso(next.startsAt), endsAt: iso(next.endsAt) }
    const changes: Record<string, { from: unknown; to: unknown }> = {}
    for (const k of Object.keys(stored) as Array<keyof EventFields>) {
      if (JSON.stringify(old[k]) !== JSON.stringify(stored[k])) changes[k] = { from: old[k], to: stored[k] }
    }
    if (Object.keys(changes).length === 0) {
      if (Number(before.version) !== input.version) throw conflict('EVENT_VERSION', [{ field: 'version', reason: 'the event changed since you read it; reload it' }])
      return toView(before, await storeNameOf(db, before.store_id))
    }
    await db.transaction().execute(async (trx) => {
      const ok = await repo.updateEvent(trx, id, input.version, {
        title: stored.title, kind: stored.kind, description: stored.description, store_id: stored.storeId, starts_at: stored.startsAt, ends_at: stored.endsAt,
        capacity: stored.capacity, segment_id: stored.segmentId, campaign_id: stored.campaignId, updated_by: actorStaffId(actor), updated_at: now(),
      })
      if (!ok) {
        const fresh = await load(trx, id)
        if (Number(fresh.version) !== input.version) throw conflict('EVENT_VERSION', [{ field: 'version', reason: 'the event changed since you read it; reload it' }])
        if (fresh.status === 'cancelled') throw statusError(fresh.status, 'changed')
        throw unprocessable('EVENT_INVALID', [{ field: 'capacity', reason: `below the seats taken (${Number(fresh.seats_taken)})` }])
      }
      await audit.record(trx, actor, { action: 'event.update', entityType: 'member_event', entityId: id, storeId: stored.storeId, changes })
    })
    return get(actor, id)
  }

  const move = async (actor: Actor, id: string, action: keyof typeof TRANSITIONS): Promise<EventView> => {
    assertCan(actor, 'marketing.manage')
    const { from, to } = TRANSITIONS[action]
    await db.transaction().execute(async (trx) => {
      const before = await load(trx, id)
      if (!(await repo.setEventStatus(trx, id, from, { status: to, updated_by: actorStaffId(actor), updated_at: now() }))) {
        throw statusError((await load(trx, id)).status, action === 'open' ? 'opened' : action === 'close' ? 'closed' : 'cancelled')
      }
      const changes = { status: { from: before.status, to } }
      if (action === 'open') await audit.record(trx, actor, { action: 'event.open', entityType: 'member_event', entityId: id, storeId: before.store_id, changes })
      else if (action === 'close') await audit.record(trx, actor, { action: 'event.close', entityType: 'member_event', entityId: id, storeId: before.store_id, changes })
      else await audit.record(trx, actor, { action: 'event.cancel', entityType: 'member_event', entityId: id, storeId: before.store_id, changes })
    })
    return get(actor, id)
  }

  // ---- registrations --------------------------------------------------------------------------
  /** The live member a key names (a merged record's survivor), or 404 on the field given. */
  const memberOf = async (conn: Db | Trx, actor: Actor, key: MemberKey): Promise<string> => {
    const given = [key.memberId, key.cardNo].filter((v) => v !== undefined && v !== null && v !== '')
    if (given.length !== 1) throw unprocessable('VALIDATION', [{ field: 'memberId', reason: 'give exactly one of memberId, cardNo' }])
    const field = key.memberId ? 'memberId' : 'cardNo'
    const row = key.memberId
      ? await deps.members.internals.resolve(conn, { id: key.memberId })
      : await deps.members.internals.resolve(conn, { cardNo: key.cardNo! }, actor)
    if (!row) throw notFound('MEMBER_NOT_FOUND', [{ field, reason: 'no such member' }])
    return row.id
  }

  /** When a system actor (an import, the demo) records a registration or check-in that happened before; everyone else: now. */
  const whenOf = (actor: Actor, at: string | undefined) => (actor.kind === 'system' && at ? iso(at) : now())

  const toRegistration = (r: EventRegistrationsTable, m: { nameMasked: string | null; cardNo: string } | undefined): RegistrationView => ({
    id: r.id, eventId: r.event_id, memberId: r.member_id, cardNo: m?.cardNo ?? null, name: m?.nameMasked ?? null, channel: r.channel, status: r.status,
    registeredAt: r.registered_at, cancelledAt: r.cancelled_at, checkedInAt: r.checked_in_at,
  })
  const withMember = async (conn: Db | Trx, r: EventRegistrationsTable) => toRegistration(r, (await memberSummaries(conn, [r.member_id])).get(r.member_id))

  /**
   * Registers a member for an open event of the actor's store (a till: channel `till`); a seat is
   * taken in the same transaction, or the registration is refused (EVENT_FULL). A member who
   * cancelled registers again on the same record.
   */
  const register = async (actor: Actor, eventId: string, input: MemberKey & { channel?: RegistrationChannel; at?: string }): Promise<RegistrationView> => {
    assertCan(actor, 'events.register')
    const channel: RegistrationChannel = actor.kind === 'pos' ? 'till' : input.channel ?? 'desk'
    if (!REGISTRATION_CHANNELS.includes(channel)) throw unprocessable('VALIDATION', [{ field: 'channel', reason: `one of ${REGISTRATION_CHANNELS.join(', ')}` }])
    const at = whenOf(actor, input.at)
    // Read before the transaction: a card that finds nobody stays counted as the till's miss.
    assertInScope(actor, (await load(db, eventId)).store_id, 'event')
    const memberId = await memberOf(db, actor, input)
    try {
      return await db.transaction().execute(async (trx) => {
        const ev = await load(trx, eventId)
        assertInScope(actor, ev.store_id, 'event')
        if (!STATUS_ALLOWS.register.includes(ev.status)) throw conflict('EVENT_NOT_OPEN', [{ field: 'status', reason: `the event is ${ev.status}` }])
        if (at >= ev.ends_at) throw conflict('EVENT_ENDED', [{ field: 'id', reason: 'the event is over' }])
        const existing = await repo.findRegistration(trx, ev.id, memberId)
        if (existing && existing.status !== 'cancelled') throw conflict('EVENT_ALREADY_REGISTERED', [{ field: 'memberId', reason: `already ${existing.status}` }])
        if (!(await repo.takeSeat(trx, ev.id))) {
          const fresh = await load(trx, ev.id)
          if (fresh.status !== 'open') throw conflict('EVENT_NOT_OPEN', [{ field: 'status', reason: `the event is ${fresh.status}` }])
          throw conflict('EVENT_FULL', [{ field: 'capacity', reason: `all ${Number(fresh.capacity)} seats are taken` }])
        }
        const by = actorId(actor)
        let row: EventRegistrationsTable
        if (existing) {
          row = { ...existing, channel, status: 'registered', registered_at: at, registered_by: by, cancelled_at: null, checked_in_at: null, checked_in_by: null }
          if (!(await repo.updateRegistration(trx, existing.id, 'cancelled', row))) throw conflict('EVENT_ALREADY_REGISTERED', [{ field: 'memberId', reason: 'registered meanwhile' }])
        } else {
          row = { id: newId('erg'), event_id: ev.id, member_id: memberId, channel, status: 'registered', registered_at: at, registered_by: by, cancelled_at: null, checked_in_at: null, checked_in_by: null }
          await repo.insertRegistration(trx, row)
        }
        await audit.record(trx, actor, { action: 'event.register', entityType: 'member', entityId: memberId, storeId: ev.store_id, changes: { eventId: ev.id, registrationChannel: channel } })
        return withMember(trx, row)
      })
    } catch (e) {
      // The same member registered at the same moment from elsewhere: the unique index refused the second.
      if (isUniqueViolation(e)) throw conflict('EVENT_ALREADY_REGISTERED', [{ field: 'memberId', reason: 'already registered' }])
      throw e
    }
  }

  /** Cancels a member's registration (not once they checked in): the seat is free again. */
  const cancelRegistration = async (actor: Actor, eventId: string, memberKey: string, input: { reason?: string | null } = {}): Promise<RegistrationView> => {
    assertCan(actor, 'events.register')
    return db.transaction().execute(async (trx) => {
      const ev = await load(trx, eventId)
      assertInScope(actor, ev.store_id, 'event')
      const memberId = await memberOf(trx, actor, { memberId: memberKey })
      const reg = await repo.findRegistration(trx, ev.id, memberId)
      if (!reg || reg.status === 'cancelled') throw conflict('EVENT_NOT_REGISTERED', [{ field: 'memberId', reason: 'the member is not registered' }])
      if (reg.status === 'attended') throw conflict('EVENT_ALREADY_CHECKED_IN', [{ field: 'memberId', reason: 'the member came: the registration stays' }])
      if (!STATUS_ALLOWS.cancel_registration.includes(ev.status)) throw statusError(ev.status, 'changed')
      const at = now()
      if (!(await repo.updateRegistration(trx, reg.id, 'registered', { status: 'cancelled', cancelled_at: at }))) {
        throw conflict('EVENT_ALREADY_CHECKED_IN', [{ field: 'memberId', reason: 'checked in or cancelled meanwhile' }])
      }
      await repo.releaseSeat(trx, ev.id)
      await audit.record(trx, actor, { action: 'event.cancel_registration', entityType: 'member', entityId: memberId, storeId: ev.store_id, changes: { eventId: ev.id, reason: input.reason?.trim() || null } })
      return withMember(trx, { ...reg, status: 'cancelled', cancelled_at: at })
    })
  }

  /** Checks a registered member in, by member id or card (the card they show at the door). */
  const checkIn = async (actor: Actor, eventId: string, input: MemberKey & { at?: string }): Promise<RegistrationView> => {
    assertCan(actor, 'events.register')
    const at = whenOf(actor, input.at)
    assertInScope(actor, (await load(db, eventId)).store_id, 'event')
    const memberId = await memberOf(db, actor, input)
    return db.transaction().execute(async (trx) => {
      const ev = await load(trx, eventId)
      assertInScope(actor, ev.store_id, 'event')
      if (!STATUS_ALLOWS.check_in.includes(ev.status)) throw statusError(ev.status, 'checked in to')
      const reg = await repo.findRegistration(trx, ev.id, memberId)
      if (!reg || reg.status === 'cancelled') throw conflict('EVENT_NOT_REGISTERED', [{ field: input.memberId ? 'memberId' : 'cardNo', reason: 'the member is not registered' }])
      if (reg.status === 'attended') throw conflict('EVENT_ALREADY_CHECKED_IN', [{ field: input.memberId ? 'memberId' : 'cardNo', reason: `checked in at ${reg.checked_in_at}` }])
      const changes = { status: 'attended' as const, checked_in_at: at, checked_in_by: actorId(actor) }
      if (!(await repo.updateRegistration(trx, reg.id, 'registered', changes))) throw conflict('EVENT_ALREADY_CHECKED_IN', [{ field: 'memberId', reason: 'checked in meanwhile' }])
      await audit.record(trx, actor, { action: 'event.check_in', entityType: 'member', entityId: memberId, storeId: ev.store_id, changes: { eventId: ev.id } })
      return withMember(trx, { ...reg, ...changes })
    })
  }

  // ---- reads ----------------------------------------------------------------------------------
  const list = async (actor: Actor, q: { status?: EventStatus; storeId?: string; from?: string; to?: string; cursor?: string; limit?: number } = {}) => {
    assertReads(actor)
    const scope = scopeWithFilter(actor, q.storeId)
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    let after: { startsAt: string; id: string } | undefined
    if (q.cursor) {
      const c = await repo.findEvent(db, q.cursor)
      if (!c) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor of this list' }])
      after = { startsAt: c.starts_at, id: c.id }
    }
    const rows = await repo.listEvents(db, { scope, status: q.status, from: q.from, to: q.to, after, limit: limit + 1 })
    const items = await views(db, rows.slice(0, limit))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const get = async (actor: Actor, id: string): Promise<EventView> => {
    assertReads(actor)
    const r = await load(db, id)
    assertInScope(actor, r.store_id, 'event')
    return toView(r, await storeNameOf(db, r.store_id))
  }

  /** The open events of the actor's store (a till's, a desk's) that have not ended, soonest first. */
  const openAtStore = async (actor: Actor): Promise<EventView[]> => {
    assertCan(actor, 'events.register')
    return views(db, await repo.openEvents(db, scopeOf(actor), now()))
  }

  const registrations = async (actor: Actor, id: string, q: { status?: RegistrationStatus; cursor?: string; limit?: number } = {}) => {
    await get(actor, id)
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const rows = await repo.registrationsPage(db, id, { status: q.status, after: q.cursor, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const people = await memberSummaries(db, page.map((r) => r.member_id))
    return { items: page.map((r) => toRegistration(r, people.get(r.member_id))), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null }
  }

  /**
   * Attendance and what followed: invited (the invitation campaign's messages sent), registered,
   * cancelled, attended and the rate; the purchases from the event's start to `days` after its end
   * of those who came against those who registered and did not.
   */
  const report = async (actor: Actor, id: string, q: { days?: number } = {}): Promise<EventReport> => {
    const ev = await get(actor, id)
    const days = q.days ?? DEFAULT_FOLLOW_UP_DAYS
    const counts = await repo.registrationCounts(db, id)
    const sum = (status: RegistrationStatus) => counts.filter((c) => c.status === status).reduce((a, c) => a + c.n, 0)
    const byChannel: Partial<Record<RegistrationChannel, number>> = {}
    for (const c of counts) if (c.status !== 'cancelled') byChannel[c.channel] = (byChannel[c.channel] ?? 0) + c.n
    const attended = sum('attended')
    const noShows = sum('registered')
    const window = followUpWindow(ev.startsAt, ev.endsAt, days, clock.now())
    const [attendeeIds, noShowIds, invited] = await Promise.all([
      repo.memberIdsOf(db, id, 'attended'), repo.memberIdsOf(db, id, 'registered'), ev.campaignId ? repo.campaignSentCount(db, ev.campaignId) : Promise.resolve(null),
    ])
    const purchases = await memberPurchasesBetween(db, [...attendeeIds, ...noShowIds], window.from, window.upTo)
    return {
      eventId: id, status: ev.status, capacity: ev.capacity, invited, registered: attended + noShows, cancelled: sum('cancelled'), attended, noShows,
      attendanceRate: attendanceRate(attended, attended + noShows), byChannel,
      followUp: { days, from: window.from, to: window.to, partial: window.partial, attendees: groupFigures(attendeeIds, purchases), noShows: groupFigures(noShowIds, purchases) },
    }
  }

  /** A member's events, latest first (the member page): store staff see their own store's. */
  const ofMember = async (actor: Actor, memberId: string) => {
    assertReads(actor)
    const rows = await repo.registrationsOfMember(db, memberId, scopeOf(actor), 100)
    const names = await storeNamesByIds(db, rows.map((r) => r.store_id))
    return rows.map((r) => ({
      event: toView(r, names.get(r.store_id)?.name ?? null),
      registration: { id: r.registration_id, channel: r.registration_channel, status: r.registration_status, registeredAt: r.registered_at, cancelledAt: r.cancelled_at, checkedInAt: r.checked_in_at },
    }))
  }

  // ---- the member's page ----------------------------------------------------------------------
  const memberViews = async (memberId: string, rows: MemberEventsTable[]): Promise<MemberEventView[]> => {
    const ids = rows.map((r) => r.id)
    const [names, invited, regs] = await Promise.all([
      storeNamesByIds(db, rows.map((r) => r.store_id)), repo.eventsInvitingMember(db, memberId, ids), repo.registrationsOfEvents(db, memberId, ids),
    ])
    const at = now()
    return rows.map((r) => {
      const reg = regs.find((x) => x.event_id === r.id)
      const registration = reg ? { status: reg.status, channel: reg.channel, registeredAt: reg.registered_at, cancelledAt: reg.cancelled_at, checkedInAt: reg.checked_in_at } : null
      const seatsLeft = Math.max(0, Number(r.capacity) - Number(r.seats_taken))
      const registered = reg !== undefined && reg.status !== 'cancelled'
      return {
        id: r.id, title: r.title, kind: r.kind, description: r.description, storeName: names.get(r.store_id)?.name ?? null, startsAt: r.starts_at, endsAt: r.ends_at,
        status: r.status as MemberEventView['status'], capacity: Number(r.capacity), seatsLeft, invited: invited.has(r.id), registration,
        canRegister: STATUS_ALLOWS.register.includes(r.status) && r.ends_at > at && seatsLeft > 0 && !registered,
        canCancel: reg?.status === 'registered' && STATUS_ALLOWS.cancel_registration.includes(r.status),
      }
    })
  }

  /**
   * The member's events that have not ended, soonest first: the invitations sent to them, the
   * events they registered for (a cancelled event too, so they learn of it), and every event open
   * for registration. Never a draft.
   */
  const forMember = async (memberId: string): Promise<MemberEventView[]> => {
    const at = now()
    const [open, invitations, registered] = await Promise.all([
      repo.openEvents(db, CHAIN, at), repo.upcomingInvitationsOf(db, memberId, at),
      repo.registrationsOfMember(db, memberId, CHAIN, 100),
    ])
    const byId = new Map<string, MemberEventsTable>()
    for (const r of [...invitations, ...open]) byId.set(r.id, r)
    for (const r of registered) {
      if (r.ends_at > at && r.status !== 'draft' && !byId.has(r.id)) {
        const { registration_id: _a, registration_channel: _b, registration_status: _c, registered_at: _d, cancelled_at: _e, checked_in_at: _f, ...event } = r
        byId.set(r.id, event)
      }
    }
    const rows = [...byId.values()].sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id.localeCompare(b.id))
    return memberViews(memberId, rows)
  }

  /** One event as the member sees it; a draft (or no event) is 404 on `field`. */
  const forMemberOne = async (memberId: string, eventId: string, field = 'eventId'): Promise<MemberEventView> => {
    const r = await repo.findEvent(db, eventId)
    if (!r || r.status === 'draft') throw notFound('EVENT_NOT_FOUND', [{ field, reason: 'no such event' }])
    return (await memberViews(memberId, [r]))[0]!
  }

  return {
    forMember, forMemberOne,
    create, update, open: (actor: Actor, id: string) => move(actor, id, 'open'), close: (actor: Actor, id: string) => move(actor, id, 'close'),
    cancel: (actor: Actor, id: string) => move(actor, id, 'cancel'), register, cancelRegistration, checkIn, list, get, openAtStore, registrations, report, ofMember,
  }
}

export type MemberEventsService = ReturnType<typeof createMemberEventsService>
