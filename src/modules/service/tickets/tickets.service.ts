import { fileTypeFromBuffer } from 'file-type'
import type { Db, Trx } from '../../../db/database.js'
import { isUniqueViolation } from '../../../db/errors.js'
import type { Actor } from '../../../shared/actor.js'
import { actorId, actorName, actorStaffId, assertCan, can } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, forbidden, isDomainError, notFound, payloadTooLarge, unprocessable, unsupportedMediaType, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { maskName, maskPhone, type Keyring } from '../../../shared/pii.js'
import { CHAIN, assertInScope, homeStoreId, isInScope, scopeWithFilter } from '../../../shared/scope.js'
import { addDays, dateIn, parseLocalDateTime } from '../../../shared/time.js'
import type { AuditService } from '../../audit/index.js'
import { assertLive, memberSummaries, normalizePhone } from '../../members/index.js'
import { ROLES, staffUsersByIds } from '../../auth/index.js'
import { storeById, storeNamesByIds } from '../../org/index.js'
import type { Publisher } from '../../outbox/index.js'
import {
  DEFAULT_POLICIES, DEFAULT_SETTINGS, MAX_DESCRIPTION, MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES, REOPEN_AT_OR_BELOW, couponFaceValue, escalationStepAt, isOpen, settingsFrom, ticketNo,
  type CompensationLimit, type ContactPreference, type DeadlineKind, type DeskSettings, type EscalationStep, type Severity, type TeamKind,
  type TicketChannel, type TicketEventKind, type TicketKind, type TicketStatus,
} from './ticket-rules.js'
import { buildReport, type ReportFilter, type ServiceReport } from './tickets-report.js'
import * as repo from './tickets.repository.js'
import type {
  ServiceCategoriesTable, ServiceSlaPoliciesTable, ServiceTeamsTable, TicketCompensationsTable, TicketEventsTable, TicketFollowupsTable, TicketsTable,
} from './tickets.table.js'
import { addWorkingMinutes, hasWorkingTime, weeklyHoursProblem, workingMinutesBetween, type WeeklyHours, type WorkCalendar } from './working-time.js'

/** What a coupon grant needs of the coupons service (rewards' issueOne and getTemplate). */
export interface CouponGrants {
  template(actor: Actor, id: string): Promise<{ id: string; name: string; kind: string; value: number; maxDiscount: number | null; status: string }>
  issue(actor: Actor, input: { templateId: string; memberId: string; issueKey: string; note?: string }): Promise<{ id: string }>
}

/**
 * What the desk reads of other modules, through their services (a ticket names a receipt, a
 * product, a store whose manager an escalation goes to). Called outside transactions.
 */
export interface TicketLookups {
  productNames(ids: readonly string[]): Promise<Map<string, string>>
  receiptExists(id: string): Promise<boolean>
  /** the store's active store manager's user id, if any */
  storeManagerOf(storeId: string): Promise<string | null>
  /** the active manager of a region, if any (a ticket escalated to the region goes to them) */
  regionManagerOf(regionId: string): Promise<string | null>
}

export interface TicketsDeps {
  db: Db
  audit: AuditService
  clock: Clock
  timezone: string
  keyring: Keyring
  outbox?: Publisher
  /** the marketing issue's channels (purpose service): replies told by SMS, email or WeChat go out through them */
  send?: (input: ReplyMessage) => Promise<{ id: string; status: string; error: string | null }>
  /** goodwill points on the ledger (loyalty's adjust) */
  grantPoints?: (actor: Actor, input: { memberId: string; points: number; reason: string }) => Promise<{ id: string }>
  coupons?: CouponGrants
  lookups: TicketLookups
}

/** A reply to the customer as the channels take it; the source (the reply's event) sends it once however often it is tried. */
export interface ReplyMessage {
  channel: SentChannel
  purpose: 'service'
  memberId: string | null
  /** the anonymous customer's number (the member's own address is the channels' to find) */
  to: string | null
  subject: string | null
  body: string
  sourceType: 'ticket_reply'
  sourceId: string
}

/** The reply channels a message goes out on; phone and in person are only recorded. */
const SENT_CHANNELS = ['sms', 'email', 'wechat'] as const
export type SentChannel = (typeof SENT_CHANNELS)[number]
const isSentChannel = (c: string): c is SentChannel => (SENT_CHANNELS as readonly string[]).includes(c)

// ---- views ----

export interface TicketEvent {
  id: string
  kind: TicketEventKind
  actorId: string | null
  actorName: string | null
  body: string | null
  channel: string | null
  data: Record<string, unknown>
  at: string
}

export interface TicketPhoto { id: string; contentType: string; size: number; uploadedBy: string | null; createdAt: string }

export interface Compensation {
  id: string
  ticketId: string
  memberId: string
  kind: 'points' | 'coupon'
  points: number | null
  couponTemplateId: string | null
  couponTemplateName: string | null
  couponId: string | null
  faceValue: number | null
  status: 'pending' | 'granted'
  requestKey: string
  grantedBy: string | null
  createdAt: string
}

export interface FollowUp {
  id: string
  ticketId: string
  dueAt: string
  assigneeId: string | null
  assigneeName: string | null
  doneAt: string | null
  doneBy: string | null
  reached: boolean | null
  satisfaction: number | null
  comment: string | null
  createdAt: string
}

export interface Ticket {
  id: string
  ticketNo: string
  kind: TicketKind
  memberId: string | null
  memberName: string | null
  memberCardNo: string | null
  contactName: string | null
  contactPhone: string | null
  storeId: string
  storeName: string | null
  categoryId: string
  categoryName: string | null
  categoryNameEn: string | null
  severity: Severity
  channel: TicketChannel
  description: string
  receiptId: string | null
  productId: string | null
  productName: string | null
  preferredContact: ContactPreference
  status: TicketStatus
  teamId: string | null
  teamName: string | null
  assigneeId: string | null
  assigneeName: string | null
  firstResponseDueAt: string | null
  resolutionDueAt: string | null
  firstRespondedAt: string | null
  resolvedAt: string | null
  closedAt: string | null
  escalationLevel: number
  escalatedTo: EscalationStep | null
  escalatedUserId: string | null
  escalatedUserName: string | null
  escalatedAt: string | null
  firstResponseBreached: boolean
  resolutionBreached: boolean
  outcome: string | null
  reopenCount: number
  photoCount: number
  version: number
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface TicketDetail extends Ticket {
  contactNameFull: string | null
  contactPhoneFull: string | null
  timeline: TicketEvent[]
  photos: TicketPhoto[]
  compensations: Compensation[]
  followUps: FollowUp[]
}

export interface Team {
  id: string
  name: string
  kind: TeamKind
  storeId: string | null
  storeName: string | null
  leadUserId: string | null
  leadName: string | null
  workingHours: WeeklyHours | null
  active: boolean
  members: Array<{ userId: string; name: string | null; role: string | null }>
  createdAt: string
  updatedAt: string
}

export interface Category {
  id: string
  parentId: string | null
  name: string
  nameEn: string | null
  sort: number
  active: boolean
  createdAt: string
  updatedAt: string
}

export interface SlaPolicy {
  id: string
  categoryId: string | null
  severity: Severity
  firstResponseMinutes: number
  resolutionMinutes: number
  remindBeforeMinutes: number
  updatedAt: string
}

export interface ServiceSettingsView extends DeskSettings {
  updatedAt: string | null
  updatedBy: string | null
}

// ---- inputs ----

export interface TicketInput {
  kind?: TicketKind
  memberId?: string | null
  contactName?: string | null
  contactPhone?: string | null
  storeId?: string | null
  categoryId: string
  severity?: Severity
  channel?: TicketChannel
  description: string
  receiptId?: string | null
  productId?: string | null
  preferredContact?: ContactPreference
  teamId?: string | null
  /** photos taken in with the ticket (the member's page): each checked as an upload is, all before anything is stored */
  photos?: Buffer[]
}

/** A complaint as the member who made it sees it on their page: no internal notes, no staff names. */
export interface MemberTicket {
  id: string
  ticketNo: string
  kind: TicketKind
  status: TicketStatus
  categoryName: string | null
  categoryNameEn: string | null
  storeName: string | null
  description: string
  channel: TicketChannel
  createdAt: string
  resolvedAt: string | null
  closedAt: string | null
  /** what the desk told the member (replies only), oldest first */
  replies: Array<{ body: string; channel: string | null; at: string }>
  photos: Array<{ id: string; contentType: string; size: number; createdAt: string }>
}

export type Queue = 'mine' | 'team' | 'unassigned' | 'due_soon' | 'overdue' | 'all'

export interface TicketListFilter {
  queue?: Queue
  status?: TicketStatus
  open?: boolean
  storeId?: string
  teamId?: string
  categoryId?: string
  severity?: Severity
  memberId?: string
  q?: string
  cursor?: string
  limit?: number
}

export interface TeamInput {
  name: string
  kind: TeamKind
  storeId?: string | null
  leadUserId?: string | null
  workingHours?: WeeklyHours | null
  active?: boolean
}

export interface CategoryInput {
  parentId?: string | null
  name: string
  nameEn?: string | null
  sort?: number
  active?: boolean
}

export interface PolicyInput {
  categoryId?: string | null
  severity: Severity
  firstResponseMinutes: number
  resolutionMinutes: number
  remindBeforeMinutes?: number
}

export interface CompensationInput {
  kind: 'points' | 'coupon'
  points?: number
  couponTemplateId?: string
  requestKey: string
  note?: string | null
}

const ticketNotFound = () => notFound('TICKET_NOT_FOUND', [{ field: 'id', reason: 'no such ticket' }])
const teamNotFound = (field = 'id') => notFound('SERVICE_TEAM_NOT_FOUND', [{ field, reason: 'no such team' }])
const categoryNotFound = (field = 'id') => notFound('SERVICE_CATEGORY_NOT_FOUND', [{ field, reason: 'no such category' }])
const SETTINGS_KEY = 'desk'
const JOB_BATCH = 500
const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

/** What is wrong with a week of working hours (overlaps, bad times, none at all), or null. */
const hoursProblem = (hours: WeeklyHours): string | null =>
  weeklyHoursProblem(hours) ?? (hasWorkingTime(hours) ? null : 'no working time in the week')

const toCategory = (r: ServiceCategoriesTable): Category => ({
  id: r.id, parentId: r.parent_id, name: r.name, nameEn: r.name_en, sort: Number(r.sort), active: Number(r.active) === 1, createdAt: r.created_at, updatedAt: r.updated_at,
})
const toPolicy = (r: ServiceSlaPoliciesTable): SlaPolicy => ({
  id: r.id, categoryId: r.category_id, severity: r.severity, firstResponseMinutes: Number(r.first_response_minutes), resolutionMinutes: Number(r.resolution_minutes),
  remindBeforeMinutes: Number(r.remind_before_minutes), updatedAt: r.updated_at,
})
const toEvent = (r: TicketEventsTable): TicketEvent => ({
  id: r.id, kind: r.kind, actorId: r.actor_id, actorName: r.actor_name, body: r.body, channel: r.channel, data: parseJson(r.data, {}), at: r.at,
})

/**
 * The service desk's complaints and service requests (issue 14 §1): intake, assignment, the
 * timeline, SLA deadlines in working time with reminders and escalation, compensation through
 * the ledger and coupons, resolution with a follow-up call, queues and reports.
 *
 * First response: the first thing the customer notices — a reply recorded as told to them — or
 * the first status change an agent makes (taking the ticket, starting work on it, resolving it).
 * Assigning it to a team or person is routing, not a response.
 */
export const createTicketsService = (deps: TicketsDeps) => {
  const { db, audit, clock, timezone, keyring, outbox, lookups } = deps
  const now = () => clock.now().toISOString()

  // ---- settings and calendars ----

  const loadSettings = async (conn: Db | Trx = db): Promise<{ settings: DeskSettings; updatedAt: string | null; updatedBy: string | null }> => {
    const row = await repo.findSetting(conn, SETTINGS_KEY)
    return { settings: settingsFrom(parseJson<Partial<DeskSettings> | null>(row?.value, null)), updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null }
  }

  const calendarOf = (settings: DeskSettings, team: ServiceTeamsTable | undefined | null): WorkCalendar => {
    const own = team ? parseJson<WeeklyHours | null>(team.working_hours, null) : null
    const weekly = own && hasWorkingTime(own) ? own : hasWorkingTime(settings.workingHours) ? settings.workingHours : DEFAULT_SETTINGS.workingHours
    return { timezone, weekly, holidays: settings.holidays }
  }

  /** The policy for a category (its own, its parent's, …, the default) and severity. */
  const policyFor = async (conn: Db | Trx, categoryId: string, severity: Severity): Promise<{ first: number; resolution: number; remind: number }> => {
    const chain: string[] = []
    let id: string | null = categoryId
    for (let depth = 0; id && depth < 10; depth++) {
      chain.push(id)
      id = (await repo.findCategory(conn, id))?.parent_id ?? null
    }
    const rows = await repo.policiesFor(conn, [...chain, '*'], severity)
    const found = [...chain, '*'].map((key) => rows.find((r) => r.category_key === key)).find((r) => r !== undefined)
    if (found) return { first: Number(found.first_response_minutes), resolution: Number(found.resolution_minutes), remind: Number(found.remind_before_minutes) }
    // The migration seeds a default per severity; HQ may not delete them, so this is a backstop.
    const fallback = DEFAULT_POLICIES.find((p) => p.severity === severity)!
    return { first: fallback.firstResponseMinutes, resolution: fallback.resolutionMinutes, remind: fallback.remindBeforeMinutes }
  }

  const deadlines = (start: string, policy: { first: number; resolution: number; remind: number }, cal: WorkCalendar) => ({
    first_response_due_at: addWorkingMinutes(start, policy.first, cal),
    first_response_remind_at: addWorkingMinutes(start, Math.max(0, policy.first - policy.remind), cal),
    resolution_due_at: addWorkingMinutes(start, policy.resolution, cal),
    resolution_remind_at: addWorkingMinutes(start, Math.max(0, policy.resolution - policy.remind), cal),
  })

  /** The desk's settings and the calendar of the ticket's team. */
  const calendarForTicket = async (conn: Db | Trx, t: TicketsTable) => {
    const { settings } = await loadSettings(conn)
    return { settings, cal: calendarOf(settings, t.team_id ? await repo.findTeam(conn, t.team_id) : null) }
  }

  // ---- views ----

  const staffNames = async (conn: Db | Trx, ids: Array<string | null>): Promise<Map<string, { name: string; role: string }>> => {
    const rows = await staffUsersByIds(conn, ids.filter((x): x is string => !!x))
    return new Map(rows.map((r) => [r.id, { name: r.displayName || r.username, role: r.role }]))
  }

  const toTickets = async (conn: Db | Trx, rows: TicketsTable[]): Promise<Ticket[]> => {
    if (rows.length === 0) return []
    const [members, stores, categories, teams, staff, products, photos] = await Promise.all([
      memberSummaries(conn, rows.map((r) => r.member_id).filter((x): x is string => !!x)),
      storeNamesByIds(conn, rows.map((r) => r.store_id)),
      repo.findCategoriesByIds(conn, rows.map((r) => r.category_id)),
      repo.findTeamsByIds(conn, rows.map((r) => r.team_id).filter((x): x is string => !!x)),
      staffNames(conn, rows.flatMap((r) => [r.assignee_id, r.escalated_user_id])),
      lookups.productNames([...new Set(rows.map((r) => r.product_id).filter((x): x is string => !!x))]),
      repo.photoCounts(conn, rows.map((r) => r.id)),
    ])
    const cats = new Map(categories.map((c) => [c.id, c]))
    const teamNames = new Map(teams.map((t) => [t.id, t.name]))
    return rows.map((r) => {
      const m = r.member_id ? members.get(r.member_id) : undefined
      const c = cats.get(r.category_id)
      return {
        id: r.id, ticketNo: r.ticket_no, kind: r.kind, memberId: r.member_id, memberName: m?.nameMasked ?? null, memberCardNo: m?.cardNo ?? null,
        contactName: r.contact_name_masked, contactPhone: r.contact_phone_masked, storeId: r.store_id, storeName: stores.get(r.store_id)?.name ?? null,
        categoryId: r.category_id, categoryName: c?.name ?? null, categoryNameEn: c?.name_en ?? null, severity: r.severity, channel: r.channel,
        description: r.description, receiptId: r.receipt_id, productId: r.product_id, productName: r.product_id ? products.get(r.product_id) ?? null : null,
        preferredContact: r.preferred_contact, status: r.status, teamId: r.team_id, teamName: r.team_id ? teamNames.get(r.team_id) ?? null : null,
        assigneeId: r.assignee_id, assigneeName: r.assignee_id ? staff.get(r.assignee_id)?.name ?? null : null,
        firstResponseDueAt: r.first_response_due_at, resolutionDueAt: r.resolution_due_at, firstRespondedAt: r.first_responded_at,
        resolvedAt: r.resolved_at, closedAt: r.closed_at, escalationLevel: Number(r.escalation_level), escalatedTo: r.escalated_to,
        escalatedUserId: r.escalated_user_id, escalatedUserName: r.escalated_user_id ? staff.get(r.escalated_user_id)?.name ?? null : null,
        escalatedAt: r.escalated_at, firstResponseBreached: r.first_response_breached_at !== null, resolutionBreached: r.resolution_breached_at !== null,
        outcome: r.outcome, reopenCount: Number(r.reopen_count), photoCount: photos.get(r.id) ?? 0, version: Number(r.version),
        createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
      }
    })
  }

  const toCompensations = async (rows: TicketCompensationsTable[]): Promise<Compensation[]> => {
    const names = new Map<string, string>()
    for (const id of new Set(rows.map((r) => r.coupon_template_id).filter((x): x is string => !!x))) {
      const template = await deps.coupons?.template({ kind: 'system', name: 'service desk' }, id).catch(() => null)
      if (template) names.set(id, template.name)
    }
    return rows.map((r) => ({
      id: r.id, ticketId: r.ticket_id, memberId: r.member_id, kind: r.kind, points: r.points === null ? null : Number(r.points),
      couponTemplateId: r.coupon_template_id, couponTemplateName: r.coupon_template_id ? names.get(r.coupon_template_id) ?? null : null,
      couponId: r.coupon_id, faceValue: r.face_value === null ? null : Number(r.face_value), status: r.status, requestKey: r.request_key,
      grantedBy: r.granted_by, createdAt: r.created_at,
    }))
  }

  const toFollowUps = async (conn: Db | Trx, rows: TicketFollowupsTable[]): Promise<FollowUp[]> => {
    const staff = await staffNames(conn, rows.map((r) => r.assignee_id))
    return rows.map((r) => ({
      id: r.id, ticketId: r.ticket_id, dueAt: r.due_at, assigneeId: r.assignee_id, assigneeName: r.assignee_id ? staff.get(r.assignee_id)?.name ?? null : null,
      doneAt: r.done_at, doneBy: r.done_by, reached: r.reached === null ? null : Number(r.reached) === 1,
      satisfaction: r.satisfaction === null ? null : Number(r.satisfaction), comment: r.comment, createdAt: r.created_at,
    }))
  }

  const detail = async (conn: Db | Trx, row: TicketsTable, actor: Actor): Promise<TicketDetail> => {
    const [ticket] = await toTickets(conn, [row])
    const [events, photos, comps, follow] = await Promise.all([
      repo.eventsOf(conn, row.id), repo.photosOf(conn, row.id), repo.compensationsOf(conn, row.id), repo.followUpsOf(conn, row.id),
    ])
    // The desk that handles the ticket calls the contact back; everyone else sees the masks.
    const full = actor.kind === 'system' || (actor.kind === 'staff' && can(actor, 'service.handle'))
    return {
      ...ticket!,
      contactNameFull: full && row.contact_name_enc ? keyring.decrypt('tickets.contact_name', row.contact_name_enc) : null,
      contactPhoneFull: full && row.contact_phone_enc ? keyring.decrypt('tickets.contact_phone', row.contact_phone_enc) : null,
      timeline: events.map(toEvent),
      photos: photos.map((p) => ({ id: p.id, contentType: p.content_type, size: Number(p.size), uploadedBy: p.uploaded_by, createdAt: p.created_at })),
      compensations: await toCompensations(comps),
      followUps: await toFollowUps(conn, follow),
    }
  }

  const event = async (trx: Trx, ticketId: string, actor: Actor | null, kind: TicketEventKind, fields: { body?: string | null; channel?: string | null; data?: Record<string, unknown>; at: string }): Promise<string> => {
    const id = newId('tke')
    await repo.insertEvent(trx, {
      id, ticket_id: ticketId, kind, actor_id: actor ? actorId(actor) : null, actor_name: actor ? actorName(actor) : null,
      body: fields.body ?? null, channel: fields.channel ?? null, data: JSON.stringify(fields.data ?? {}), at: fields.at,
    })
    return id
  }

  /**
   * A reply to the customer: recorded in the timeline; one told by SMS, email or WeChat is sent
   * by a job on the outbox after the commit (ticket.replied), which marks the event sent.
   */
  const replyEvent = async (trx: Trx, row: TicketsTable, actor: Actor, body: string, channel: string, at: string) => {
    const sent = isSentChannel(channel)
    const eventId = await event(trx, row.id, actor, 'reply', { at, body, channel, data: sent ? { sent: false, sending: true } : { sent: false } })
    if (sent) await outbox?.publish(trx, 'ticket.replied', { ticketId: row.id, eventId, channel, at })
  }

  /** The ticket, in the actor's scope (403 outside it, 404 unknown). */
  const ticketRow = async (conn: Db | Trx, actor: Actor, id: string): Promise<TicketsTable> => {
    const row = await repo.findTicket(conn, id)
    if (!row) throw ticketNotFound()
    assertInScope(actor, row.store_id, 'ticket')
    return row
  }

  const notOpen = (status: TicketStatus) => conflict('TICKET_NOT_OPEN', [{ field: 'status', reason: `the ticket is ${status}` }])

  const assertOpen = (row: TicketsTable) => {
    if (!isOpen(row.status)) throw notOpen(row.status)
  }

  /** 409 TICKET_TAKEN naming the agent who has the ticket. */
  const takenBy = async (conn: Db | Trx, assigneeId: string | null) => {
    const holder = assigneeId ? (await staffNames(conn, [assigneeId])).get(assigneeId)?.name ?? assigneeId : 'someone'
    return conflict('TICKET_TAKEN', [{ field: 'assigneeId', reason: `${holder} has this ticket` }], `${holder} has this ticket`)
  }

  const activeTeam = async (conn: Db | Trx, id: string) => {
    const team = await repo.findTeam(conn, id)
    if (!team || Number(team.active) !== 1) throw unprocessable('SERVICE_TEAM_NOT_FOUND', [{ field: 'teamId', reason: 'no such active team' }])
    return team
  }

  const isActiveStaff = async (conn: Db | Trx, userId: string) => (await staffUsersByIds(conn, [userId]))[0]?.status === 'active'

  /** The first-response fields, when this is the first response. */
  const firstResponse = (row: TicketsTable, at: string, cal: WorkCalendar): Partial<TicketsTable> =>
    row.first_responded_at ? {} : { first_responded_at: at, first_response_minutes: workingMinutesBetween(row.created_at, at, cal) }

  const reload = async (actor: Actor, id: string) => detail(db, (await repo.findTicket(db, id))!, actor)

  /** The image type of a photo, or the refusal: too large (413), empty, or not an image the desk takes (415). */
  const checkedPhoto = async (bytes: Buffer, field: string, truncated = false): Promise<string> => {
    if (truncated || bytes.length > MAX_PHOTO_BYTES) throw payloadTooLarge('TICKET_PHOTO_TOO_LARGE', [{ field, reason: `larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB` }])
    if (bytes.length === 0) throw unprocessable('TICKET_PHOTO_MISSING', [{ field, reason: 'is empty' }])
    const type = await fileTypeFromBuffer(bytes)
    if (!type || !(PHOTO_TYPES as readonly string[]).includes(type.mime)) {
      throw unsupportedMediaType('TICKET_PHOTO_TYPE', [{ field, reason: `not a JPEG, PNG, WebP or GIF image${type ? ` (it is ${type.mime})` : ''}` }])
    }
    return type.mime
  }

  // ---- intake ----

  const create = async (actor: Actor, input: TicketInput): Promise<TicketDetail> => {
    assertCan(actor, 'service.intake')
    const details: ErrorDetail[] = []
    const description = input.description?.trim() ?? ''
    if (description.length < 2 || description.length > MAX_DESCRIPTION) details.push({ field: 'description', reason: `say what happened, in 2 to ${MAX_DESCRIPTION} characters` })
    const contactName = input.contactName?.trim() || null
    let contactPhone: string | null = null
    if (input.contactPhone?.trim()) {
      contactPhone = normalizePhone(input.contactPhone)
      if (!contactPhone) details.push({ field: 'contactPhone', reason: 'not a valid phone number' })
    }
    if (!input.memberId && !contactName && !input.contactPhone?.trim()) {
      details.push({ field: 'memberId', reason: 'name the member, or an anonymous contact (name or phone)' })
    }
    if ((input.photos?.length ?? 0) > MAX_PHOTOS) details.push({ field: 'photos', reason: `a ticket holds at most ${MAX_PHOTOS} photos` })
    if (details.length) throw unprocessable('VALIDATION', details)
    const photos: Array<{ bytes: Buffer; mime: string }> = []
    for (const [i, bytes] of (input.photos ?? []).entries()) photos.push({ bytes, mime: await checkedPhoto(bytes, `photos.${i}`) })

    // A store's staff and tills take complaints for their own store.
    const own = homeStoreId(actor)
    const storeId = input.storeId ?? own
    if (!storeId) throw unprocessable('VALIDATION', [{ field: 'storeId', reason: 'which store the ticket is about' }])
    if (!isInScope(actor, storeId)) throw forbidden('OUT_OF_STORE_SCOPE', [{ field: 'storeId', reason: 'you can take tickets for your own store only' }])
    const store = await storeById(db, storeId)
    if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    const category = await repo.findCategory(db, input.categoryId)
    if (!category || Number(category.active) !== 1) throw unprocessable('SERVICE_CATEGORY_NOT_FOUND', [{ field: 'categoryId', reason: 'no such active category' }])
    // A merged record's complaint belongs to the member it was merged into.
    const state = input.memberId ? await assertLive(db, input.memberId) : null
    const memberId = state ? (state.status === 'merged' && state.mergedIntoId ? state.mergedIntoId : state.id) : null
    if (input.receiptId && !(await lookups.receiptExists(input.receiptId))) throw unprocessable('RECEIPT_NOT_FOUND', [{ field: 'receiptId', reason: 'no such receipt' }])
    if (input.productId && !(await lookups.productNames([input.productId])).has(input.productId)) {
      throw unprocessable('PRODUCT_NOT_FOUND', [{ field: 'productId', reason: 'no such product' }])
    }
    const team = input.teamId ? await activeTeam(db, input.teamId) : await repo.findStoreTeam(db, storeId)
    const severity = input.severity ?? 'normal'
    const at = now()
    const { settings } = await loadSettings()
    const policy = await policyFor(db, category.id, severity)
    const due = deadlines(at, policy, calendarOf(settings, team))
    const day = dateIn(new Date(at), timezone)
    const id = await db.transaction().execute(async (trx) => {
      const seq = await repo.nextTicketSeq(trx, day)
      const row: TicketsTable = {
        id: newId('tkt'), ticket_no: ticketNo(day, seq), kind: input.kind ?? 'complaint', member_id: memberId,
        contact_name_enc: contactName ? keyring.encrypt('tickets.contact_name', contactName) : null, contact_name_masked: contactName ? maskName(contactName) : null,
        contact_phone_enc: contactPhone ? keyring.encrypt('tickets.contact_phone', contactPhone) : null, contact_phone_masked: contactPhone ? maskPhone(contactPhone) : null,
        store_id: storeId, category_id: category.id, severity, channel: input.channel ?? (actor.kind === 'pos' ? 'till' : 'desk'), description,
        receipt_id: input.receiptId ?? null, product_id: input.productId ?? null, preferred_contact: input.preferredContact ?? (memberId || contactPhone ? 'phone' : 'none'),
        status: 'new', team_id: team?.id ?? null, assignee_id: null, ...due,
        first_response_reminded_at: null, resolution_reminded_at: null, first_response_breached_at: null, resolution_breached_at: null,
        first_responded_at: null, resolved_at: null, closed_at: null, escalation_level: 0, escalated_to: null, escalated_user_id: null, escalated_at: null,
        outcome: null, reopen_count: 0, first_response_minutes: null, resolution_minutes: null, version: 1, business_date: day,
        created_by: actorName(actor), created_at: at, updated_at: at,
      }
      await repo.insertTicket(trx, row)
      await event(trx, row.id, actor, 'created', {
        at, channel: row.channel,
        data: { severity, categoryId: category.id, teamId: row.team_id, firstResponseDueAt: row.first_response_due_at, resolutionDueAt: row.resolution_due_at },
      })
      for (const p of photos) {
        const photo = { id: newId('tph'), ticket_id: row.id, content_type: p.mime, size: p.bytes.length, data: p.bytes.toString('base64'), uploaded_by: actorName(actor), created_at: at }
        await repo.insertPhoto(trx, photo)
        await event(trx, row.id, actor, 'photo', { at, data: { photoId: photo.id, contentType: photo.content_type, size: photo.size } })
      }
      await audit.record(trx, actor, {
        action: 'ticket.create', entityType: 'ticket', entityId: row.id, storeId,
        changes: { ticketKind: row.kind, memberId: row.member_id, categoryId: category.id, severity, ticketChannel: row.channel },
      })
      return row.id
    })
    return reload(actor, id)
  }

  // ---- queues ----

  const list = async (actor: Actor, filter: TicketListFilter = {}): Promise<{ items: Ticket[]; nextCursor: string | null }> => {
    assertCan(actor, 'service.read')
    const scope = scopeWithFilter(actor, filter.storeId)
    const limit = Math.min(filter.limit ?? 50, 200)
    const me = actorStaffId(actor)
    const at = now()
    const f: repo.TicketFilter = {
      scope, status: filter.status, open: filter.open, teamId: filter.teamId, categoryId: filter.categoryId, severity: filter.severity,
      memberId: filter.memberId, text: filter.q?.trim().replace(/[%_\\]/g, '') || undefined, cursor: filter.cursor, limit,
    }
    switch (filter.queue ?? 'all') {
      case 'mine':
        f.assigneeId = me ?? '-'
        break
      case 'team':
        f.teamIds = me ? await repo.teamIdsOf(db, me) : []
        break
      case 'unassigned':
        f.unassigned = true
        f.open = true
        break
      case 'due_soon': {
        const { settings } = await loadSettings()
        f.dueAfter = at
        f.dueBefore = new Date(clock.now().getTime() + settings.dueSoonMinutes * 60_000).toISOString()
        break
      }
      case 'overdue':
        f.dueBefore = at
        break
      case 'all':
        break
    }
    const rows = await repo.listTickets(db, f)
    const page = rows.slice(0, limit)
    return { items: await toTickets(db, page), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null }
  }

  const get = async (actor: Actor, id: string): Promise<TicketDetail> => {
    assertCan(actor, 'service.read')
    return detail(db, await ticketRow(db, actor, id), actor)
  }

  const memberTickets = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'service.read')
    await assertLive(db, memberId)
    return list(actor, { memberId, cursor: page.cursor, limit: page.limit })
  }

  // ---- handling ----

  const staffOnly = (actor: Actor): string => {
    const id = actorStaffId(actor)
    if (!id) throw forbidden('TICKET_STAFF_ONLY', [], 'only a staff member can handle a ticket')
    return id
  }

  const take = async (actor: Actor, id: string): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const me = staffOnly(actor)
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      if (row.assignee_id === me && row.status === 'in_progress') return
      const at = now()
      if (!(await repo.takeTicket(trx, id, me, at))) {
        const current = (await repo.findTicket(trx, id))!
        if (!isOpen(current.status)) throw notOpen(current.status)
        throw await takenBy(trx, current.assignee_id)
      }
      const { cal } = await calendarForTicket(trx, row)
      await repo.updateTicket(trx, id, { ...firstResponse(row, at, cal), updated_at: at })
      await event(trx, id, actor, 'taken', { at, data: { from: row.assignee_id, status: { from: row.status, to: 'in_progress' } } })
      await audit.record(trx, actor, { action: 'ticket.take', entityType: 'ticket', entityId: id, storeId: row.store_id, changes: { assigneeId: me } })
    })
    return reload(actor, id)
  }

  const assign = async (actor: Actor, id: string, input: { teamId: string; assigneeId?: string | null; reason?: string | null }): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const reason = input.reason?.trim() || null
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      assertOpen(row)
      const team = await activeTeam(trx, input.teamId)
      const assigneeId = input.assigneeId ?? null
      if (assigneeId) {
        if (!(await isActiveStaff(trx, assigneeId))) throw unprocessable('VALIDATION', [{ field: 'assigneeId', reason: 'no such active staff member' }])
        if (team.lead_user_id !== assigneeId && !(await repo.isTeamMember(trx, team.id, assigneeId))) {
          throw unprocessable('TICKET_ASSIGNEE_NOT_IN_TEAM', [{ field: 'assigneeId', reason: 'not a member or the lead of this team' }])
        }
      }
      if (row.team_id === team.id && row.assignee_id === assigneeId) return
      // Routing a new ticket (or giving its team's ticket to a person) needs no reason; moving it away from a team or a person does.
      const reassign = (row.team_id !== null && row.team_id !== team.id) || (row.assignee_id !== null && row.assignee_id !== assigneeId)
      if (reassign && (!reason || reason.length < 2)) throw unprocessable('TICKET_REASON_REQUIRED', [{ field: 'reason', reason: 'say why the ticket moves (2 to 300 characters)' }])
      const at = now()
      // Routing keeps the SLA clock (it started at intake) but a new team's hours may differ: the
      // deadlines stay, so moving a ticket never buys time.
      const status: TicketStatus = assigneeId ? (row.assignee_id === assigneeId && row.status === 'in_progress' ? 'in_progress' : 'assigned') : 'new'
      await repo.updateTicket(trx, id, { team_id: team.id, assignee_id: assigneeId, status, updated_at: at })
      await event(trx, id, actor, reassign ? 'reassigned' : 'assigned', {
        at, body: reason, data: { fromTeamId: row.team_id, toTeamId: team.id, fromAssigneeId: row.assignee_id, toAssigneeId: assigneeId, status: { from: row.status, to: status } },
      })
      await audit.record(trx, actor, {
        action: reassign ? 'ticket.reassign' : 'ticket.assign', entityType: 'ticket', entityId: id, storeId: row.store_id,
        changes: { teamId: { from: row.team_id, to: team.id }, assigneeId: { from: row.assignee_id, to: assigneeId }, reason },
      })
    })
    return reload(actor, id)
  }

  const start = async (actor: Actor, id: string, input: { version?: number } = {}): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const me = staffOnly(actor)
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      assertOpen(row)
      if (input.version !== undefined && Number(row.version) !== input.version) {
        throw conflict('TICKET_VERSION', [{ field: 'version', reason: 'the ticket changed since you read it; reload it' }])
      }
      if (row.status === 'in_progress') return
      if (row.assignee_id && row.assignee_id !== me) throw await takenBy(trx, row.assignee_id)
      const at = now()
      const { cal } = await calendarForTicket(trx, row)
      await repo.updateTicket(trx, id, { status: 'in_progress', assignee_id: me, ...firstResponse(row, at, cal), updated_at: at })
      await event(trx, id, actor, 'status', { at, data: { from: row.status, to: 'in_progress' } })
    })
    return reload(actor, id)
  }

  const note = async (actor: Actor, id: string, input: { body: string }): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const body = input.body?.trim() ?? ''
    if (!body) throw unprocessable('VALIDATION', [{ field: 'body', reason: 'is empty' }])
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      const at = now()
      await repo.lockTicket(trx, id, at)
      await event(trx, row.id, actor, 'note', { at, body })
    })
    return reload(actor, id)
  }

  const reply = async (actor: Actor, id: string, input: { body: string; channel: string }): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const body = input.body?.trim() ?? ''
    if (!body) throw unprocessable('VALIDATION', [{ field: 'body', reason: 'is empty' }])
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      if (row.status === 'closed') throw notOpen(row.status)
      const at = now()
      const { cal } = await calendarForTicket(trx, row)
      await repo.updateTicket(trx, id, { ...firstResponse(row, at, cal), updated_at: at })
      await replyEvent(trx, row, actor, body, input.channel, at)
      await audit.record(trx, actor, { action: 'ticket.reply', entityType: 'ticket', entityId: id, storeId: row.store_id, changes: { replyChannel: input.channel } })
    })
    return reload(actor, id)
  }

  /**
   * The job of a reply told by SMS, email or WeChat (ticket.replied): sends it through the
   * channels to the member's own address, or the anonymous customer's number, and records on the
   * reply how it went (sent, or why not). A retry of the job finds the message already in the log.
   */
  const sendReply = async (eventId: string): Promise<{ status: string }> => {
    const found = await repo.findEvent(db, eventId)
    if (!found || found.kind !== 'reply' || !found.channel || !isSentChannel(found.channel)) return { status: 'skipped' }
    const data = JSON.parse(found.data) as Record<string, unknown>
    if (data.messageId) return { status: 'done' }
    const ticket = (await repo.findTicket(db, found.ticket_id))!
    let result: Record<string, unknown>
    if (!deps.send) result = { sent: false, error: 'no channels to send through' }
    else if (!ticket.member_id && !(found.channel === 'sms' && ticket.contact_phone_enc)) {
      result = { sent: false, error: found.channel === 'sms' ? 'the customer left no number' : `an anonymous customer has no ${found.channel} address` }
    } else {
      try {
        const m = await deps.send({
          channel: found.channel, purpose: 'service', memberId: ticket.member_id,
          to: ticket.member_id ? null : keyring.decrypt('tickets.contact_phone', ticket.contact_phone_enc!),
          subject: found.channel === 'email' ? `关于您的反馈 ${ticket.ticket_no} / About your feedback ${ticket.ticket_no}` : null,
          body: found.body ?? '', sourceType: 'ticket_reply', sourceId: found.id,
        })
        result = { sent: m.status !== 'failed', messageId: m.id, messageStatus: m.status, ...(m.error ? { error: m.error } : {}) }
      } catch (e) {
        // A recipient the channels refuse (a number that is not one) is told on the reply; anything else is the job's to retry.
        if (!isDomainError(e)) throw e
        result = { sent: false, error: e.details.map((d) => `${d.field}: ${d.reason}`).join('; ') || e.code }
      }
    }
    const { sending: _sending, ...rest } = data
    await repo.setEventData(db, found.id, JSON.stringify({ ...rest, ...result }))
    return { status: result.sent ? 'sent' : 'not_sent' }
  }

  /** The number an anonymous customer left on a ticket (their survey invitation goes there); null for a member's ticket or none. */
  const contactPhone = async (id: string): Promise<string | null> => {
    const row = await repo.findTicket(db, id)
    return row && !row.member_id && row.contact_phone_enc ? keyring.decrypt('tickets.contact_phone', row.contact_phone_enc) : null
  }

  /** The follow-up call's due time: the end of the Nth local day after resolution. */
  const followUpDue = (at: string, days: number) =>
    parseLocalDateTime(`${addDays(dateIn(new Date(at), timezone), days + 1)} 00:00:00`, timezone)!.toISOString()

  const resolve = async (actor: Actor, id: string, input: { outcome: string; reply?: string | null; replyChannel?: string }): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const outcome = input.outcome?.trim() ?? ''
    if (!outcome) throw unprocessable('VALIDATION', [{ field: 'outcome', reason: 'say how it was resolved' }])
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      assertOpen(row)
      const at = now()
      const { settings, cal } = await calendarForTicket(trx, row)
      const me = actorStaffId(actor)
      await repo.updateTicket(trx, id, {
        status: 'resolved', outcome, resolved_at: at, resolution_minutes: workingMinutesBetween(row.created_at, at, cal), ...firstResponse(row, at, cal),
        assignee_id: row.assignee_id ?? me, updated_at: at,
      })
      if (input.reply?.trim()) await replyEvent(trx, row, actor, input.reply.trim(), input.replyChannel ?? 'phone', at)
      await event(trx, id, actor, 'resolved', { at, body: outcome, data: { from: row.status } })
      const follow: TicketFollowupsTable = {
        id: newId('tfu'), ticket_id: id, store_id: row.store_id, due_at: followUpDue(at, settings.followUpDays), assignee_id: row.assignee_id ?? me,
        done_at: null, done_by: null, reached: null, satisfaction: null, comment: null, created_at: at,
      }
      await repo.dropOpenFollowUps(trx, id, at, null)
      await repo.insertFollowUp(trx, follow)
      await event(trx, id, null, 'follow_up_due', { at, data: { followUpId: follow.id, dueAt: follow.due_at, assigneeId: follow.assignee_id } })
      await audit.record(trx, actor, { action: 'ticket.resolve', entityType: 'ticket', entityId: id, storeId: row.store_id, changes: { outcome } })
      await outbox?.publish(trx, 'ticket.resolved', { ticketId: id, memberId: row.member_id, storeId: row.store_id, at })
    })
    return reload(actor, id)
  }

  /** Back to in progress with a new resolution deadline (from now, in the team's hours); the reminder and escalation for it start afresh. */
  const reopenIn = async (trx: Trx, actor: Actor, row: TicketsTable, reason: string, at: string, data: Record<string, unknown> = {}) => {
    const { cal } = await calendarForTicket(trx, row)
    const { resolution_due_at, resolution_remind_at } = deadlines(at, await policyFor(trx, row.category_id, row.severity), cal)
    await repo.updateTicket(trx, row.id, {
      status: 'in_progress', reopen_count: Number(row.reopen_count) + 1, resolved_at: null, closed_at: null, resolution_due_at, resolution_remind_at,
      resolution_reminded_at: null, resolution_breached_at: null, updated_at: at,
    })
    await repo.dropOpenFollowUps(trx, row.id, at, null)
    await event(trx, row.id, actor, 'reopened', { at, body: reason, data: { from: row.status, reopenCount: Number(row.reopen_count) + 1, ...data } })
    await audit.record(trx, actor, { action: 'ticket.reopen', entityType: 'ticket', entityId: row.id, storeId: row.store_id, changes: { reason, ...data } })
  }

  const reopen = async (actor: Actor, id: string, input: { reason: string }): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const reason = input.reason?.trim() ?? ''
    if (reason.length < 2) throw unprocessable('TICKET_REASON_REQUIRED', [{ field: 'reason', reason: 'say why it is reopened' }])
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      if (isOpen(row.status)) throw conflict('TICKET_NOT_RESOLVED', [{ field: 'status', reason: `the ticket is ${row.status}` }])
      await reopenIn(trx, actor, row, reason, now())
    })
    return reload(actor, id)
  }

  const closeIn = async (trx: Trx, actor: Actor, row: TicketsTable, at: string, body: string | null, data: Record<string, unknown> = {}) => {
    await repo.updateTicket(trx, row.id, { status: 'closed', closed_at: at, updated_at: at })
    await event(trx, row.id, actor, 'closed', { at, body, data: { from: row.status, ...data } })
    await audit.record(trx, actor, { action: 'ticket.close', entityType: 'ticket', entityId: row.id, storeId: row.store_id, changes: { reason: body, ...data } })
  }

  const close = async (actor: Actor, id: string, input: { reason?: string | null } = {}): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const reason = input.reason?.trim() || null
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      if (row.status === 'closed') throw notOpen(row.status)
      // An open ticket closed without resolution (a duplicate, a mistake) says why.
      if (row.status !== 'resolved' && (!reason || reason.length < 2)) throw unprocessable('TICKET_REASON_REQUIRED', [{ field: 'reason', reason: 'say why an unresolved ticket is closed' }])
      const at = now()
      await repo.dropOpenFollowUps(trx, id, at, actorName(actor))
      await closeIn(trx, actor, row, at, reason)
    })
    return reload(actor, id)
  }

  const recordFollowUp = async (actor: Actor, id: string, input: { reached: boolean; satisfaction?: number | null; comment?: string | null }): Promise<TicketDetail> => {
    assertCan(actor, 'service.handle')
    const comment = input.comment?.trim() || null
    if (input.reached && (input.satisfaction === undefined || input.satisfaction === null)) {
      throw unprocessable('VALIDATION', [{ field: 'satisfaction', reason: 'the customer was reached: record their satisfaction (1–5)' }])
    }
    await db.transaction().execute(async (trx) => {
      const row = await ticketRow(trx, actor, id)
      const task = await repo.openFollowUp(trx, id)
      if (row.status !== 'resolved' || !task) throw conflict('TICKET_NO_FOLLOW_UP', [{ field: 'id', reason: 'the ticket has no follow-up call waiting' }])
      const at = now()
      if (!input.reached) {
        await repo.lockTicket(trx, id, at)
        await event(trx, id, actor, 'follow_up', { at, body: comment, data: { followUpId: task.id, reached: false } })
        return
      }
      const satisfaction = input.satisfaction!
      await repo.updateFollowUp(trx, task.id, { done_at: at, done_by: actorName(actor), reached: 1, satisfaction, comment })
      await event(trx, id, actor, 'follow_up', { at, body: comment, data: { followUpId: task.id, reached: true, satisfaction } })
      if (satisfaction <= REOPEN_AT_OR_BELOW) await reopenIn(trx, actor, row, comment ?? `follow-up satisfaction ${satisfaction}`, at, { satisfaction })
      else await closeIn(trx, actor, row, at, null, { satisfaction })
    })
    return reload(actor, id)
  }

  const followUps = async (actor: Actor, filter: { due?: boolean; mine?: boolean; storeId?: string; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'service.read')
    const scope = scopeWithFilter(actor, filter.storeId)
    const limit = Math.min(filter.limit ?? 50, 200)
    const rows = await repo.listFollowUps(db, {
      scope, dueBy: filter.due ? now() : undefined, assigneeId: filter.mine ? actorStaffId(actor) ?? '-' : undefined, cursor: filter.cursor, limit,
    })
    const page = rows.slice(0, limit)
    const [views, members, categories] = await Promise.all([
      toFollowUps(db, page), memberSummaries(db, page.map((r) => r.member_id).filter((x): x is string => !!x)), repo.findCategoriesByIds(db, page.map((r) => r.category_id)),
    ])
    const cats = new Map(categories.map((c) => [c.id, c.name]))
    return {
      items: page.map((r, i) => ({
        ...views[i]!, ticketNo: r.ticket_no, storeId: r.store_id, memberName: r.member_id ? members.get(r.member_id)?.nameMasked ?? null : null,
        categoryName: cats.get(r.category_id) ?? null, outcome: r.outcome,
      })),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    }
  }

  // ---- photos ----

  /** Whether the actor may attach a photo to this ticket (checked before an upload is read). */
  const photoTarget = async (actor: Actor, id: string): Promise<void> => {
    assertCan(actor, 'service.intake')
    await ticketRow(db, actor, id)
  }

  const addPhoto = async (actor: Actor, id: string, upload: { bytes: Buffer; truncated?: boolean }): Promise<TicketPhoto> => {
    assertCan(actor, 'service.intake')
    const row = await ticketRow(db, actor, id)
    const mime = await checkedPhoto(upload.bytes, 'file', upload.truncated)
    const at = now()
    const photo = { id: newId('tph'), ticket_id: row.id, content_type: mime, size: upload.bytes.length, data: upload.bytes.toString('base64'), uploaded_by: actorName(actor), created_at: at }
    await db.transaction().execute(async (trx) => {
      await repo.lockTicket(trx, row.id, at)
      if ((await repo.photosOf(trx, row.id)).length >= MAX_PHOTOS) throw unprocessable('TICKET_PHOTO_LIMIT', [{ field: 'file', reason: `a ticket holds at most ${MAX_PHOTOS} photos` }])
      await repo.insertPhoto(trx, photo)
      await event(trx, row.id, actor, 'photo', { at, data: { photoId: photo.id, contentType: photo.content_type, size: photo.size } })
    })
    return { id: photo.id, contentType: photo.content_type, size: photo.size, uploadedBy: photo.uploaded_by, createdAt: at }
  }

  const photo = async (actor: Actor, id: string, photoId: string): Promise<{ contentType: string; bytes: Buffer }> => {
    assertCan(actor, 'service.read')
    await ticketRow(db, actor, id)
    const p = await repo.findPhoto(db, id, photoId)
    if (!p) throw notFound('TICKET_PHOTO_NOT_FOUND', [{ field: 'photoId', reason: 'no such photo on this ticket' }])
    return { contentType: p.content_type, bytes: Buffer.from(p.data, 'base64') }
  }

  // ---- the member's own (their page) ----

  /**
   * The member's own tickets, newest first, as they see them: the status, the replies the desk
   * told them (never a note) and their photos. `cursor`: an id of this list (the page before's last).
   */
  const forMember = async (memberId: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: MemberTicket[]; nextCursor: string | null }> => {
    const limit = Math.min(page.limit ?? 20, 200)
    const rows = await repo.listTickets(db, { scope: CHAIN, memberId, cursor: page.cursor, limit })
    const pageRows = rows.slice(0, limit)
    const ids = pageRows.map((r) => r.id)
    const [tickets, replies, photos] = await Promise.all([toTickets(db, pageRows), repo.repliesOf(db, ids), repo.photosOfTickets(db, ids)])
    const items = tickets.map((t): MemberTicket => ({
      id: t.id, ticketNo: t.ticketNo, kind: t.kind, status: t.status, categoryName: t.categoryName, categoryNameEn: t.categoryNameEn, storeName: t.storeName,
      description: t.description, channel: t.channel, createdAt: t.createdAt, resolvedAt: t.resolvedAt, closedAt: t.closedAt,
      replies: replies.filter((r) => r.ticket_id === t.id).map((r) => ({ body: r.body ?? '', channel: r.channel, at: r.at })),
      photos: photos.filter((p) => p.ticket_id === t.id).map((p) => ({ id: p.id, contentType: p.content_type, size: Number(p.size), createdAt: p.created_at })),
    }))
    return { items, nextCursor: rows.length > limit ? ids[ids.length - 1]! : null }
  }

  /** A photo of the member's own ticket; another's ticket is as unknown as no ticket (404). */
  const memberPhoto = async (memberId: string, id: string, photoId: string): Promise<{ contentType: string; bytes: Buffer }> => {
    const row = await repo.findTicket(db, id)
    if (!row || row.member_id !== memberId) throw ticketNotFound()
    const p = await repo.findPhoto(db, id, photoId)
    if (!p) throw notFound('TICKET_PHOTO_NOT_FOUND', [{ field: 'photoId', reason: 'no such photo on this ticket' }])
    return { contentType: p.content_type, bytes: Buffer.from(p.data, 'base64') }
  }

  // ---- compensation ----

  const limitOf = (actor: Actor, settings: DeskSettings): CompensationLimit | null => {
    if (actor.kind === 'system') return { maxPoints: null, maxCouponValue: null }
    if (actor.kind !== 'staff') return null
    return settings.compensationLimits[actor.role] ?? null
  }

  const compensate = async (actor: Actor, id: string, input: CompensationInput): Promise<Compensation> => {
    assertCan(actor, 'service.compensate')
    const requestKey = input.requestKey?.trim() ?? ''
    if (!requestKey) throw unprocessable('VALIDATION', [{ field: 'requestKey', reason: 'is required' }])
    const row = await ticketRow(db, actor, id)
    // A double click: the first grant, whatever state it is in.
    const first = await repo.findCompensationByKey(db, id, requestKey)
    if (first) return (await toCompensations([first]))[0]!
    if (!row.member_id) throw unprocessable('TICKET_NO_MEMBER', [{ field: 'id', reason: 'compensation goes to a member: the ticket names none' }])
    const memberId = row.member_id
    const { settings } = await loadSettings()
    const limit = limitOf(actor, settings)
    if (!limit) throw forbidden('COMPENSATION_NOT_ALLOWED', [{ field: 'kind', reason: 'the desk\'s settings give your role no compensation limit' }])
    let points: number | null = null
    let faceValue: number | null = null
    let templateId: string | null = null
    if (input.kind === 'points') {
      if (!input.points || !Number.isInteger(input.points) || input.points < 1) throw unprocessable('VALIDATION', [{ field: 'points', reason: 'a whole number of points, at least 1' }])
      if (!deps.grantPoints) throw unprocessable('COMPENSATION_UNAVAILABLE', [{ field: 'kind', reason: 'points are not available' }])
      points = input.points
    } else {
      if (!input.couponTemplateId) throw unprocessable('VALIDATION', [{ field: 'couponTemplateId', reason: 'which coupon to give' }])
      if (!deps.coupons) throw unprocessable('COMPENSATION_UNAVAILABLE', [{ field: 'kind', reason: 'coupons are not available' }])
      const template = await deps.coupons.template({ kind: 'system', name: 'service desk' }, input.couponTemplateId)
      if (template.status !== 'active') throw unprocessable('VALIDATION', [{ field: 'couponTemplateId', reason: `the coupon template is ${template.status}` }])
      templateId = template.id
      faceValue = couponFaceValue(template)
      if (faceValue === null && limit.maxCouponValue !== null) {
        throw unprocessable('COMPENSATION_LIMIT', [{ field: 'couponTemplateId', reason: 'this coupon has no face value to weigh against your limit; ask someone without a limit' }])
      }
    }
    const at = now()
    const comp: TicketCompensationsTable = {
      id: newId('tcm'), ticket_id: id, member_id: memberId, kind: input.kind, points, coupon_template_id: templateId, coupon_id: null, face_value: faceValue,
      ledger_entry_id: null, status: 'pending', request_key: requestKey, note: input.note?.trim() || null, granted_by: actorName(actor), created_at: at,
    }
    try {
      await db.transaction().execute(async (trx) => {
        await repo.lockTicket(trx, id, at)
        // The limit is per ticket and role: what was granted on it already counts.
        const given = await repo.compensationsOf(trx, id)
        const pointsSoFar = given.reduce((a, c) => a + Number(c.points ?? 0), 0)
        const valueSoFar = given.reduce((a, c) => a + Number(c.face_value ?? 0), 0)
        if (points !== null && limit.maxPoints !== null && pointsSoFar + points > limit.maxPoints) {
          throw unprocessable('COMPENSATION_LIMIT', [{ field: 'points', reason: `your role may grant at most ${limit.maxPoints} points per ticket (${pointsSoFar} granted already)` }])
        }
        if (faceValue !== null && limit.maxCouponValue !== null && valueSoFar + faceValue > limit.maxCouponValue) {
          throw unprocessable('COMPENSATION_LIMIT', [{ field: 'couponTemplateId', reason: `your role may grant coupons worth at most ${limit.maxCouponValue} fen per ticket (${valueSoFar} granted already)` }])
        }
        await repo.insertCompensation(trx, comp)
      })
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      const existing = await repo.findCompensationByKey(db, id, requestKey)
      if (!existing) throw err
      return (await toCompensations([existing]))[0]!
    }
    // The grant itself goes through the ledger or the coupons service, as the desk (the role's
    // limit above is the check; the member may be registered at another store).
    const desk: Actor = { kind: 'system', name: `service desk (${actorName(actor)})` }
    const ticket = row.ticket_no
    let patch: { ledger_entry_id: string } | { coupon_id: string }
    try {
      patch = input.kind === 'points'
        ? { ledger_entry_id: (await deps.grantPoints!(desk, { memberId, points: points!, reason: `投诉补偿 ${ticket}` })).id }
        : { coupon_id: (await deps.coupons!.issue(desk, { templateId: templateId!, memberId, issueKey: `ticket:${comp.id}`, note: `投诉补偿 ${ticket}` })).id }
      await db.transaction().execute(async (trx) => {
        await repo.updateCompensation(trx, comp.id, { ...patch, status: 'granted' })
        await event(trx, id, actor, 'compensation', { at, body: comp.note, data: { compensationId: comp.id, kind: comp.kind, points, couponTemplateId: templateId, faceValue, ...patch } })
        await audit.record(trx, actor, {
          action: 'ticket.compensate', entityType: 'ticket', entityId: id, storeId: row.store_id,
          changes: { memberId, points, couponTemplateId: templateId, faceValue, couponId: 'coupon_id' in patch ? patch.coupon_id : null },
        })
      })
    } catch (err) {
      // Nothing was granted: the key is free for another try.
      await repo.deleteCompensation(db, comp.id)
      throw err
    }
    return (await toCompensations([{ ...comp, ...patch, status: 'granted' }]))[0]!
  }

  // ---- SLA ----

  /** Who an escalation step goes to (read outside the transaction that records it). */
  const escalationTarget = async (t: TicketsTable, step: EscalationStep): Promise<{ userId: string | null; data: Record<string, unknown> }> => {
    if (step === 'team_lead') {
      const team = t.team_id ? await repo.findTeam(db, t.team_id) : undefined
      return { userId: team?.lead_user_id ?? null, data: { teamId: t.team_id } }
    }
    if (step === 'store_manager') return { userId: await lookups.storeManagerOf(t.store_id), data: { storeId: t.store_id } }
    if (step === 'region') {
      const regionId = (await storeById(db, t.store_id))?.regionId ?? null
      return { userId: regionId ? await lookups.regionManagerOf(regionId) : null, data: { regionId } }
    }
    return { userId: null, data: {} }
  }

  /**
   * The SLA job: a reminder before each deadline and one escalation level per breached deadline
   * (first response, then resolution), each exactly once however often or late it runs (the
   * reminded/breached columns are set by a conditional update). A deadline that passed while
   * nothing ran is escalated at the next run.
   */
  const checkSla = async (): Promise<{ reminded: number; escalated: number }> => {
    const at = now()
    const system: Actor = { kind: 'system', name: 'service.checkSla' }
    let reminded = 0
    let escalated = 0
    for (const r of await repo.remindersDue(db, at, JOB_BATCH)) {
      const kinds: DeadlineKind[] = []
      if (!r.first_responded_at && !r.first_response_reminded_at && r.first_response_remind_at && r.first_response_remind_at <= at && r.first_response_due_at! > at) kinds.push('first_response')
      if (!r.resolution_reminded_at && r.resolution_remind_at && r.resolution_remind_at <= at && r.resolution_due_at! > at) kinds.push('resolution')
      for (const kind of kinds) {
        await db.transaction().execute(async (trx) => {
          if (!(await repo.markReminded(trx, r.id, kind, at))) return
          await event(trx, r.id, system, 'reminder', { at, data: { deadline: kind, dueAt: kind === 'first_response' ? r.first_response_due_at : r.resolution_due_at } })
          reminded++
        })
      }
    }
    const { settings } = await loadSettings()
    for (const candidate of await repo.breachesDue(db, at, JOB_BATCH)) {
      let t = candidate
      for (const kind of ['first_response', 'resolution'] as const) {
        if (!isOpen(t.status)) continue
        const due = kind === 'first_response' ? (t.first_responded_at ? null : t.first_response_due_at) : t.resolution_due_at
        const breached = kind === 'first_response' ? t.first_response_breached_at : t.resolution_breached_at
        if (!due || due > at || breached) continue
        const level = Number(t.escalation_level) + 1
        const step = escalationStepAt(settings.escalationChain, level)
        const target = await escalationTarget(t, step)
        await db.transaction().execute(async (trx) => {
          // The guard: not yet escalated for this deadline, and at the level read (another run did nothing meanwhile).
          if (!(await repo.markEscalated(trx, t.id, kind, Number(t.escalation_level), { level, to: step, userId: target.userId, at }))) return
          await event(trx, t.id, system, 'escalated', { at, data: { deadline: kind, dueAt: due, level, to: step, userId: target.userId, ...target.data } })
          await audit.record(trx, system, { action: 'ticket.escalate', entityType: 'ticket', entityId: t.id, storeId: t.store_id, changes: { deadline: kind, level, escalatedTo: step, userId: target.userId } })
          escalated++
        })
        // The next deadline escalates from the level this one left (or another run did).
        t = (await repo.findTicket(db, t.id))!
      }
    }
    return { reminded, escalated }
  }

  // ---- teams ----

  const toTeams = async (conn: Db | Trx, rows: ServiceTeamsTable[]): Promise<Team[]> => {
    const members = await repo.teamMembers(conn, rows.map((r) => r.id))
    const staff = await staffNames(conn, [...rows.map((r) => r.lead_user_id), ...members.map((m) => m.user_id)])
    const stores = await storeNamesByIds(conn, rows.map((r) => r.store_id))
    return rows.map((r) => ({
      id: r.id, name: r.name, kind: r.kind, storeId: r.store_id, storeName: r.store_id ? stores.get(r.store_id)?.name ?? null : null,
      leadUserId: r.lead_user_id, leadName: r.lead_user_id ? staff.get(r.lead_user_id)?.name ?? null : null,
      workingHours: parseJson<WeeklyHours | null>(r.working_hours, null), active: Number(r.active) === 1,
      members: members.filter((m) => m.team_id === r.id).map((m) => ({ userId: m.user_id, name: staff.get(m.user_id)?.name ?? null, role: staff.get(m.user_id)?.role ?? null })),
      createdAt: r.created_at, updatedAt: r.updated_at,
    }))
  }

  const listTeams = async (actor: Actor, filter: { storeId?: string; active?: boolean } = {}): Promise<Team[]> => {
    assertCan(actor, 'service.read')
    return toTeams(db, await repo.listTeams(db, { ...filter, scope: scopeWithFilter(actor, filter.storeId) }))
  }

  const teamRow = async (conn: Db | Trx, actor: Actor, id: string) => {
    const row = await repo.findTeam(conn, id)
    if (!row) throw teamNotFound()
    assertInScope(actor, row.store_id, 'team', { orUnassigned: true })
    return row
  }

  const getTeam = async (actor: Actor, id: string): Promise<Team> => {
    assertCan(actor, 'service.read')
    return (await toTeams(db, [await teamRow(db, actor, id)]))[0]!
  }

  const checkTeam = async (conn: Db | Trx, input: Partial<TeamInput>) => {
    const details: ErrorDetail[] = []
    if (input.name !== undefined && !input.name.trim()) details.push({ field: 'name', reason: 'is empty' })
    if (input.storeId && !(await storeById(conn, input.storeId))) details.push({ field: 'storeId', reason: 'no such store' })
    if (input.leadUserId && !(await isActiveStaff(conn, input.leadUserId))) details.push({ field: 'leadUserId', reason: 'no such active staff member' })
    const hours = input.workingHours && hoursProblem(input.workingHours)
    if (hours) details.push({ field: 'workingHours', reason: hours })
    if (details.length) throw unprocessable('VALIDATION', details)
  }

  const createTeam = async (actor: Actor, input: TeamInput): Promise<Team> => {
    assertCan(actor, 'service.manage')
    await checkTeam(db, input)
    const at = now()
    const row: ServiceTeamsTable = {
      id: newId('stm'), name: input.name.trim(), kind: input.kind, store_id: input.storeId ?? null, lead_user_id: input.leadUserId ?? null,
      working_hours: input.workingHours ? JSON.stringify(input.workingHours) : null, active: input.active === false ? 0 : 1, created_at: at, updated_at: at,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertTeam(trx, row)
      if (row.lead_user_id) await repo.addTeamMember(trx, { team_id: row.id, user_id: row.lead_user_id, added_at: at })
      await audit.record(trx, actor, { action: 'service.team.create', entityType: 'service_team', entityId: row.id, storeId: row.store_id, changes: { name: row.name, teamKind: row.kind, storeId: row.store_id, leadUserId: row.lead_user_id } })
    })
    return getTeam(actor, row.id)
  }

  /** What a team's change records: its fields, the hours as "changed" (a week of intervals reads badly in a log). */
  const teamChanges = (input: Partial<TeamInput>) => ({
    name: input.name, teamKind: input.kind, storeId: input.storeId, leadUserId: input.leadUserId, active: input.active,
    workingHours: input.workingHours === undefined ? undefined : input.workingHours !== null,
  })

  const updateTeam = async (actor: Actor, id: string, input: Partial<TeamInput>): Promise<Team> => {
    assertCan(actor, 'service.manage')
    await checkTeam(db, input)
    await db.transaction().execute(async (trx) => {
      const row = await teamRow(trx, actor, id)
      const at = now()
      const patch: Partial<ServiceTeamsTable> = { updated_at: at }
      if (input.name !== undefined) patch.name = input.name.trim()
      if (input.kind !== undefined) patch.kind = input.kind
      if (input.storeId !== undefined) patch.store_id = input.storeId
      if (input.leadUserId !== undefined) patch.lead_user_id = input.leadUserId
      if (input.workingHours !== undefined) patch.working_hours = input.workingHours ? JSON.stringify(input.workingHours) : null
      if (input.active !== undefined) patch.active = input.active ? 1 : 0
      await repo.updateTeam(trx, id, patch)
      if (patch.lead_user_id) await repo.addTeamMember(trx, { team_id: id, user_id: patch.lead_user_id, added_at: at })
      await audit.record(trx, actor, { action: 'service.team.update', entityType: 'service_team', entityId: id, storeId: row.store_id, changes: teamChanges(input) })
    })
    return getTeam(actor, id)
  }

  const addTeamMember = async (actor: Actor, id: string, userId: string): Promise<Team> => {
    assertCan(actor, 'service.manage')
    await db.transaction().execute(async (trx) => {
      const team = await teamRow(trx, actor, id)
      if (!(await isActiveStaff(trx, userId))) throw unprocessable('VALIDATION', [{ field: 'userId', reason: 'no such active staff member' }])
      await repo.addTeamMember(trx, { team_id: id, user_id: userId, added_at: now() })
      await audit.record(trx, actor, { action: 'service.team.add_member', entityType: 'service_team', entityId: id, storeId: team.store_id, changes: { userId } })
    })
    return getTeam(actor, id)
  }

  const removeTeamMember = async (actor: Actor, id: string, userId: string): Promise<Team> => {
    assertCan(actor, 'service.manage')
    await db.transaction().execute(async (trx) => {
      const team = await teamRow(trx, actor, id)
      const r = await repo.removeTeamMember(trx, id, userId)
      if (Number(r.numDeletedRows) === 0) throw notFound('SERVICE_TEAM_MEMBER_NOT_FOUND', [{ field: 'userId', reason: 'not a member of this team' }])
      await audit.record(trx, actor, { action: 'service.team.remove_member', entityType: 'service_team', entityId: id, storeId: team.store_id, changes: { userId } })
    })
    return getTeam(actor, id)
  }

  // ---- categories ----

  // Whoever logs a complaint picks its category: the till and cashiers (service.intake) read them too.
  const listCategories = async (actor: Actor): Promise<Category[]> => {
    if (!can(actor, 'service.intake')) assertCan(actor, 'service.read')
    return (await repo.listCategories(db)).map(toCategory)
  }

  /** A parent must exist and not be the category itself or below it (the tree stays a tree). */
  const checkParent = async (conn: Db | Trx, id: string | null, parentId: string | null | undefined) => {
    if (!parentId) return
    let cursor: string | null = parentId
    for (let depth = 0; cursor; depth++) {
      if (cursor === id || depth > 10) throw unprocessable('VALIDATION', [{ field: 'parentId', reason: 'a category cannot sit below itself, nor more than 10 deep' }])
      const parent = await repo.findCategory(conn, cursor)
      if (!parent) throw categoryNotFound('parentId')
      cursor = parent.parent_id
    }
  }

  const createCategory = async (actor: Actor, input: CategoryInput): Promise<Category> => {
    assertCan(actor, 'service.manage')
    if (!input.name.trim()) throw unprocessable('VALIDATION', [{ field: 'name', reason: 'is empty' }])
    await checkParent(db, null, input.parentId)
    const at = now()
    const row: ServiceCategoriesTable = {
      id: newId('scg'), parent_id: input.parentId ?? null, name: input.name.trim(), name_en: input.nameEn?.trim() || null, sort: input.sort ?? 100,
      active: input.active === false ? 0 : 1, created_at: at, updated_at: at,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertCategory(trx, row)
      await audit.record(trx, actor, { action: 'service.category.create', entityType: 'service_category', entityId: row.id, changes: { name: row.name, parentId: row.parent_id } })
    })
    return toCategory(row)
  }

  const updateCategory = async (actor: Actor, id: string, input: Partial<CategoryInput>): Promise<Category> => {
    assertCan(actor, 'service.manage')
    const row = await repo.findCategory(db, id)
    if (!row) throw categoryNotFound()
    if (input.name !== undefined && !input.name.trim()) throw unprocessable('VALIDATION', [{ field: 'name', reason: 'is empty' }])
    await checkParent(db, id, input.parentId)
    const patch: Partial<ServiceCategoriesTable> = { updated_at: now() }
    if (input.parentId !== undefined) patch.parent_id = input.parentId
    if (input.name !== undefined) patch.name = input.name.trim()
    if (input.nameEn !== undefined) patch.name_en = input.nameEn?.trim() || null
    if (input.sort !== undefined) patch.sort = input.sort
    if (input.active !== undefined) patch.active = input.active ? 1 : 0
    await db.transaction().execute(async (trx) => {
      await repo.updateCategory(trx, id, patch)
      await audit.record(trx, actor, { action: 'service.category.update', entityType: 'service_category', entityId: id, changes: { name: input.name, parentId: input.parentId, sort: input.sort, active: input.active } })
    })
    return toCategory({ ...row, ...patch })
  }

  // ---- SLA policies ----

  const listPolicies = async (actor: Actor): Promise<SlaPolicy[]> => {
    assertCan(actor, 'service.read')
    return (await repo.listPolicies(db)).map(toPolicy)
  }

  const savePolicies = async (actor: Actor, policies: PolicyInput[]): Promise<SlaPolicy[]> => {
    assertCan(actor, 'service.manage')
    const details: ErrorDetail[] = []
    const seen = new Set<string>()
    for (const [i, p] of policies.entries()) {
      if (p.categoryId && !(await repo.findCategory(db, p.categoryId))) details.push({ field: `policies/${i}/categoryId`, reason: 'no such category' })
      if (p.resolutionMinutes < p.firstResponseMinutes) details.push({ field: `policies/${i}/resolutionMinutes`, reason: 'at least the first response\'s' })
      if ((p.remindBeforeMinutes ?? 0) >= p.firstResponseMinutes) details.push({ field: `policies/${i}/remindBeforeMinutes`, reason: 'less than the first response\'s minutes' })
      const key = `${p.categoryId ?? '*'}|${p.severity}`
      if (seen.has(key)) details.push({ field: `policies/${i}`, reason: 'the same category and severity twice' })
      seen.add(key)
    }
    if (details.length) throw unprocessable('VALIDATION', details)
    const at = now()
    await db.transaction().execute(async (trx) => {
      for (const p of policies) {
        await repo.upsertPolicy(trx, {
          id: newId('sla'), category_id: p.categoryId ?? null, category_key: p.categoryId ?? '*', severity: p.severity,
          first_response_minutes: p.firstResponseMinutes, resolution_minutes: p.resolutionMinutes, remind_before_minutes: p.remindBeforeMinutes ?? 0,
          updated_by: actorName(actor), updated_at: at,
        })
      }
      await audit.record(trx, actor, { action: 'service.sla.update', entityType: 'service_settings', entityId: null, changes: { policies: policies.length } })
    })
    return listPolicies(actor)
  }

  const deletePolicy = async (actor: Actor, id: string): Promise<SlaPolicy[]> => {
    assertCan(actor, 'service.manage')
    const row = await repo.findPolicy(db, id)
    if (!row) throw notFound('SLA_POLICY_NOT_FOUND', [{ field: 'id', reason: 'no such policy' }])
    if (row.category_id === null) throw conflict('SLA_POLICY_DEFAULT', [{ field: 'id', reason: 'the default policy of a severity stays; change its minutes instead' }])
    await db.transaction().execute(async (trx) => {
      await repo.deletePolicy(trx, id)
      await audit.record(trx, actor, { action: 'service.sla.delete', entityType: 'service_settings', entityId: null, changes: { categoryId: row.category_id, severity: row.severity } })
    })
    return listPolicies(actor)
  }

  // ---- settings ----

  const settings = async (actor: Actor): Promise<ServiceSettingsView> => {
    assertCan(actor, 'service.read')
    const s = await loadSettings()
    return { ...s.settings, updatedAt: s.updatedAt, updatedBy: s.updatedBy }
  }

  const saveSettings = async (actor: Actor, input: Partial<DeskSettings>): Promise<ServiceSettingsView> => {
    assertCan(actor, 'service.manage')
    const details: ErrorDetail[] = []
    const hours = input.workingHours && hoursProblem(input.workingHours)
    if (hours) details.push({ field: 'workingHours', reason: hours })
    for (const [i, d] of (input.holidays ?? []).entries()) {
      if (!parseLocalDateTime(d, timezone)) details.push({ field: `holidays/${i}`, reason: 'not a date' })
    }
    for (const role of Object.keys(input.compensationLimits ?? {})) {
      if (!(ROLES as readonly string[]).includes(role)) details.push({ field: `compensationLimits/${role}`, reason: 'not a role' })
    }
    if (details.length) throw unprocessable('VALIDATION', details)
    await db.transaction().execute(async (trx) => {
      const current = (await loadSettings(trx)).settings
      const next: DeskSettings = { ...current, ...input, holidays: input.holidays ? [...new Set(input.holidays)].sort() : current.holidays }
      await repo.saveSetting(trx, { key: SETTINGS_KEY, value: JSON.stringify(next), updated_by: actorName(actor), updated_at: now() })
      await audit.record(trx, actor, { action: 'service.settings.update', entityType: 'service_settings', entityId: null, changes: { fields: Object.keys(input) } })
    })
    return settings(actor)
  }

  // ---- reports ----

  const report = async (actor: Actor, filter: ReportFilter = {}): Promise<ServiceReport> => {
    assertCan(actor, 'service.read')
    if (filter.from && filter.to && filter.from > filter.to) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'after to' }])
    const scope = scopeWithFilter(actor, filter.storeId)
    return buildReport(db, { timezone, today: dateIn(clock.now(), timezone), now: now(), productNames: lookups.productNames }, scope, filter)
  }

  return {
    create, list, get, memberTickets, take, assign, start, note, reply, resolve, reopen, close, recordFollowUp, followUps,
    sendReply, contactPhone, photoTarget, addPhoto, photo, forMember, memberPhoto, compensate, checkSla,
    listTeams, getTeam, createTeam, updateTeam, addTeamMember, removeTeamMember,
    listCategories, createCategory, updateCategory, listPolicies, savePolicies, deletePolicy, settings, saveSettings, report,
  }
}

export type TicketsService = ReturnType<typeof createTicketsService>
