import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../../shared/http/schemas.js'
import { CHANNELS, CONTACT_PREFS, ESCALATION_STEPS, EVENT_KINDS, SEVERITIES, TEAM_KINDS, TICKET_KINDS, TICKET_STATUSES } from './ticket-rules.js'

// The service desk's contract (issue 14 §1): tickets, their timeline, photos, compensation and
// follow-up; teams, categories, SLA policies, the desk's settings; reports.

const lit = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {})

const QUEUES = ['mine', 'team', 'unassigned', 'due_soon', 'overdue', 'all'] as const
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Time = Type.String({ pattern: '^([01]\\d|2[0-4]):[0-5]\\d$', description: 'HH:MM local time (24:00 = midnight at the end of the day)' })
const Interval = Type.Tuple([Time, Time])
export const WeeklyHoursSchema = Type.Object(
  Object.fromEntries(DAYS.map((d) => [d, Type.Optional(Type.Array(Interval, { maxItems: 6 }))])),
  { additionalProperties: false, description: 'opening intervals per weekday, local time, e.g. {"mon":[["08:00","22:00"]]}; a day left out is closed' },
)
const LocalDate = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date, YYYY-MM-DD' })

// ---- tickets ----

export const TicketEventSchema = Type.Object({
  id: Type.String(),
  kind: lit(EVENT_KINDS),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  body: Nullable(Type.String({ description: 'the note, the reply told to the customer, the reason, the outcome' })),
  channel: Nullable(Type.String({ description: 'reply: the contact channel used (phone, sms, email, wechat, in_person)' })),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'what changed: from/to status, team and assignee, escalation level and target, deadline kind, compensation' }),
  at: Type.String(),
}, { $id: 'TicketEvent' })

export const TicketPhotoSchema = Type.Object({
  id: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  uploadedBy: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'TicketPhoto' })

export const CompensationSchema = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  memberId: Type.String(),
  kind: lit(['points', 'coupon'] as const),
  points: Nullable(Type.Integer()),
  couponTemplateId: Nullable(Type.String()),
  couponTemplateName: Nullable(Type.String()),
  couponId: Nullable(Type.String()),
  faceValue: Nullable(Type.Integer({ description: 'fen, a coupon\'s' })),
  status: lit(['pending', 'granted'] as const),
  requestKey: Type.String(),
  grantedBy: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'TicketCompensation' })

export const FollowUpSchema = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  dueAt: Type.String(),
  assigneeId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  doneAt: Nullable(Type.String()),
  doneBy: Nullable(Type.String()),
  reached: Nullable(Type.Boolean()),
  satisfaction: Nullable(Type.Integer()),
  comment: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'TicketFollowUp' })

const ticketFields = {
  id: Type.String(),
  ticketNo: Type.String({ description: 'TS-YYYYMMDD-NNNN by the local date of intake' }),
  kind: lit(TICKET_KINDS),
  memberId: Nullable(Type.String()),
  memberName: Nullable(Type.String({ description: 'masked' })),
  memberCardNo: Nullable(Type.String()),
  contactName: Nullable(Type.String({ description: 'an anonymous contact\'s name, masked' })),
  contactPhone: Nullable(Type.String({ description: 'an anonymous contact\'s phone, masked' })),
  storeId: Type.String(),
  storeName: Nullable(Type.String()),
  categoryId: Type.String(),
  categoryName: Nullable(Type.String()),
  categoryNameEn: Nullable(Type.String()),
  severity: lit(SEVERITIES),
  channel: lit(CHANNELS),
  description: Type.String(),
  receiptId: Nullable(Type.String()),
  productId: Nullable(Type.String()),
  productName: Nullable(Type.String()),
  preferredContact: lit(CONTACT_PREFS),
  status: lit(TICKET_STATUSES),
  teamId: Nullable(Type.String()),
  teamName: Nullable(Type.String()),
  assigneeId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  firstResponseDueAt: Nullable(Type.String()),
  resolutionDueAt: Nullable(Type.String()),
  firstRespondedAt: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  escalationLevel: Type.Integer({ description: '0: not escalated; 1.. one level per breached deadline' }),
  escalatedTo: Nullable(lit(ESCALATION_STEPS)),
  escalatedUserId: Nullable(Type.String()),
  escalatedUserName: Nullable(Type.String()),
  escalatedAt: Nullable(Type.String()),
  firstResponseBreached: Type.Boolean(),
  resolutionBreached: Type.Boolean(),
  outcome: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  photoCount: Type.Integer(),
  version: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}

export const TicketSchema = Type.Object(ticketFields, { $id: 'Ticket' })

export const TicketDetailSchema = Type.Object({
  ...ticketFields,
  contactNameFull: Nullable(Type.String({ description: 'the contact\'s name in full, for the desk handling it (service.handle)' })),
  contactPhoneFull: Nullable(Type.String({ description: 'the contact\'s phone in full, for the desk handling it (service.handle)' })),
  timeline: Type.Array(Type.Ref('TicketEvent')),
  photos: Type.Array(Type.Ref('TicketPhoto')),
  compensations: Type.Array(Type.Ref('TicketCompensation')),
  followUps: Type.Array(Type.Ref('TicketFollowUp')),
}, { $id: 'TicketDetail' })

export const TicketBody = Type.Object({
  kind: Type.Optional(lit(TICKET_KINDS)),
  memberId: Type.Optional(Nullable(Id)),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  storeId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'a store role and a till: their own store (the default)' }))),
  categoryId: Id,
  severity: Type.Optional(lit(SEVERITIES)),
  channel: Type.Optional(lit(CHANNELS)),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  receiptId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  productId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  preferredContact: Type.Optional(lit(CONTACT_PREFS)),
  teamId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'default: the store\'s team' }))),
}, { additionalProperties: false })

export const TicketsQuery = Type.Object({
  queue: Type.Optional(lit(QUEUES, 'mine: assigned to me; team: my teams\'; unassigned; due_soon: a deadline not yet met within the settings\' dueSoonMinutes (default 120); overdue: a deadline passed; all (default)')),
  status: Type.Optional(lit(TICKET_STATUSES)),
  open: Type.Optional(Type.Boolean({ description: 'only tickets not yet resolved or closed' })),
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  teamId: Type.Optional(Type.String({ maxLength: 64 })),
  categoryId: Type.Optional(Type.String({ maxLength: 64 })),
  severity: Type.Optional(lit(SEVERITIES)),
  memberId: Type.Optional(Type.String({ maxLength: 64 })),
  q: Type.Optional(Type.String({ maxLength: 60, description: 'the ticket number or words of the description' })),
  ...CursorQuery,
}, { additionalProperties: false })

export const MemberTicketsQuery = Type.Object({ ...CursorQuery }, { additionalProperties: false })

export const PhotoParams = Type.Object({ id: Id, photoId: Id })

export const AssignBody = Type.Object({
  teamId: Id,
  assigneeId: Type.Optional(Nullable(Id)),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 300, description: 'required when the ticket had a team or assignee already' }))),
}, { additionalProperties: false })

export const NoteBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })

export const ReplyBody = Type.Object({
  body: Type.String({ minLength: 1, maxLength: 2000, description: 'what the customer is told' }),
  channel: lit(['phone', 'sms', 'email', 'wechat', 'in_person'] as const, 'how the customer is told: sms, email and wechat are sent through the message channels after the commit (the reply event shows sent or why not); phone and in_person are recorded only'),
}, { additionalProperties: false })

export const StatusBody = Type.Object({
  status: Type.Optional(lit(['in_progress'] as const, 'the only status this route sets (resolve, close and reopen have their own routes)')),
  version: Type.Optional(Type.Integer({ minimum: 0, description: 'the version read: a ticket changed since is refused (409 TICKET_VERSION)' })),
}, { additionalProperties: false })

export const ResolveBody = Type.Object({
  outcome: Type.String({ minLength: 1, maxLength: 1000 }),
  reply: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'what the customer is told, recorded as a reply' }))),
  replyChannel: Type.Optional(lit(['phone', 'sms', 'email', 'wechat', 'in_person'] as const)),
}, { additionalProperties: false })

export const CompensationBody = Type.Object({
  kind: lit(['points', 'coupon'] as const),
  points: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  couponTemplateId: Type.Optional(Id),
  requestKey: Type.String({ minLength: 1, maxLength: 100, description: 'the client\'s key for this grant: sent again (a double click), the first grant is returned' }),
  note: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
}, { additionalProperties: false })

export const FollowUpBody = Type.Object({
  reached: Type.Boolean({ description: 'whether the customer was reached; not reached: the task stays open' }),
  satisfaction: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5 }))),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
}, { additionalProperties: false })

export const CloseBody = Type.Object({ reason: Type.Optional(Nullable(Type.String({ maxLength: 300 }))) }, { additionalProperties: false })

export const FollowUpsQuery = Type.Object({
  due: Type.Optional(Type.Boolean({ description: 'only open tasks due by now' })),
  mine: Type.Optional(Type.Boolean()),
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  ...CursorQuery,
}, { additionalProperties: false })

export const FollowUpTaskSchema = Type.Object({
  ...FollowUpSchema.properties,
  ticketNo: Type.String(),
  storeId: Type.String(),
  memberName: Nullable(Type.String()),
  categoryName: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
}, { $id: 'TicketFollowUpTask' })

// ---- configuration ----

export const TeamSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: lit(TEAM_KINDS),
  storeId: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  leadUserId: Nullable(Type.String()),
  leadName: Nullable(Type.String()),
  workingHours: Nullable(WeeklyHoursSchema),
  active: Type.Boolean(),
  members: Type.Array(Type.Object({ userId: Type.String(), name: Nullable(Type.String()), role: Nullable(Type.String()) })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'ServiceTeam' })

export const TeamBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  kind: lit(TEAM_KINDS),
  storeId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  leadUserId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  workingHours: Type.Optional(Nullable(WeeklyHoursSchema)),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })

export const TeamPatch = Type.Partial(TeamBody, { additionalProperties: false, minProperties: 1 })

export const TeamMemberBody = Type.Object({ userId: Id }, { additionalProperties: false })
export const TeamMemberParams = Type.Object({ id: Id, userId: Id })

export const TeamsQuery = Type.Object({
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })

export const CategorySchema = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  sort: Type.Integer(),
  active: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'ServiceCategory' })

export const CategoryBody = Type.Object({
  parentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  name: Type.String({ minLength: 1, maxLength: 40 }),
  nameEn: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })

export const CategoryPatch = Type.Partial(CategoryBody, { additionalProperties: false, minProperties: 1 })

export const SlaPolicySchema = Type.Object({
  id: Type.String(),
  categoryId: Nullable(Type.String({ description: 'null: the default for every category without its own (a child inherits its parent\'s)' })),
  severity: lit(SEVERITIES),
  firstResponseMinutes: Type.Integer({ description: 'working minutes' }),
  resolutionMinutes: Type.Integer({ description: 'working minutes' }),
  remindBeforeMinutes: Type.Integer({ description: 'working minutes before each deadline' }),
  updatedAt: Type.String(),
}, { $id: 'SlaPolicy' })

export const SlaPolicyBody = Type.Object({
  categoryId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  severity: lit(SEVERITIES),
  firstResponseMinutes: Type.Integer({ minimum: 1, maximum: 100_000 }),
  resolutionMinutes: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  remindBeforeMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
}, { additionalProperties: false })

export const SlaPoliciesBody = Type.Object({
  policies: Type.Array(SlaPolicyBody, { maxItems: 500 }),
}, { additionalProperties: false })

const RoleLimit = Type.Object({
  maxPoints: Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'goodwill points per ticket (null: no limit)' })),
  maxCouponValue: Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'fen of coupon face value per ticket (null: no limit)' })),
}, { additionalProperties: false })

export const SettingsSchema = Type.Object({
  escalationChain: Type.Array(lit(ESCALATION_STEPS), { maxItems: 4, description: 'who a breached deadline goes to, level by level' }),
  followUpDays: Type.Integer({ minimum: 0, maximum: 60, description: 'the follow-up call is due this many days after resolution' }),
  dueSoonMinutes: Type.Integer({ minimum: 1, maximum: 10_000, description: 'the due_soon queue: a deadline within this many minutes' }),
  compensationLimits: Type.Record(Type.String(), RoleLimit, { description: 'by role (store_manager, service_agent, hq_admin…); a role not listed may not compensate' }),
  holidays: Type.Array(LocalDate, { maxItems: 400 }),
  workingHours: WeeklyHoursSchema,
  updatedAt: Nullable(Type.String()),
  updatedBy: Nullable(Type.String()),
}, { $id: 'ServiceSettings' })

export const SettingsBody = Type.Object({
  escalationChain: Type.Optional(Type.Array(lit(ESCALATION_STEPS), { minItems: 1, maxItems: 4, uniqueItems: true })),
  followUpDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  dueSoonMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  compensationLimits: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), RoleLimit)),
  holidays: Type.Optional(Type.Array(LocalDate, { maxItems: 400 })),
  workingHours: Type.Optional(WeeklyHoursSchema),
}, { additionalProperties: false, minProperties: 1 })

// ---- reports ----

export const ReportQuery = Type.Object({
  from: Type.Optional(LocalDate),
  to: Type.Optional(LocalDate),
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  regionId: Type.Optional(Type.String({ maxLength: 64 })),
  period: Type.Optional(lit(['day', 'week', 'month'] as const)),
  kind: Type.Optional(lit(TICKET_KINDS)),
  lang: Type.Optional(lit(['zh-CN', 'en-US'] as const)),
}, { additionalProperties: false })

const Stat = Type.Object({
  count: Type.Integer(),
  medianWorking: Nullable(Type.Number()),
  meanWorking: Nullable(Type.Number()),
  medianElapsed: Nullable(Type.Number()),
  meanElapsed: Nullable(Type.Number()),
}, { description: 'minutes' })
const Compliance = Type.Object({ due: Type.Integer(), met: Type.Integer(), rate: Nullable(Type.Number()) })
const Count = Type.Object({ key: Type.String(), name: Nullable(Type.String()), nameEn: Nullable(Type.String()), count: Type.Integer() })

export const ReportSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  period: lit(['day', 'week', 'month'] as const),
  total: Type.Integer(),
  byCategory: Type.Array(Count),
  byStore: Type.Array(Count),
  byPeriod: Type.Array(Type.Object({ period: Type.String(), count: Type.Integer(), complaints: Type.Integer(), requests: Type.Integer() })),
  bySeverity: Type.Array(Count),
  firstResponse: Stat,
  resolution: Stat,
  slaCompliance: Type.Object({ firstResponse: Compliance, resolution: Compliance }),
  reopenRate: Type.Object({ resolved: Type.Integer(), reopened: Type.Integer(), rate: Nullable(Type.Number()) }),
  repeatComplainants: Type.Array(Type.Object({ memberId: Type.String(), memberName: Nullable(Type.String()), cardNo: Nullable(Type.String()), count: Type.Integer() })),
  topProducts: Type.Array(Count),
  topStores: Type.Array(Count),
  satisfaction: Type.Object({
    responses: Type.Integer(), mean: Nullable(Type.Number()),
    distribution: Type.Array(Type.Object({ score: Type.Integer(), count: Type.Integer() })),
  }),
  compensation: Type.Object({ points: Type.Integer(), coupons: Type.Integer(), tickets: Type.Integer() }),
}, { $id: 'ServiceReport' })

export const ReopenBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false })
