import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'
import { DEFAULT_FOLLOW_UP_DAYS, MAX_CAPACITY, MAX_FOLLOW_UP_DAYS } from './event-rules.js'
import { EVENT_KINDS, EVENT_STATUSES, REGISTRATION_CHANNELS, REGISTRATION_STATUSES } from './events.table.js'

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Time = Type.String({ maxLength: 40, description: 'ISO-8601 time, e.g. 2026-12-20T14:00:00+08:00' })
const Kind = Type.Enum([...EVENT_KINDS], { description: 'launch: a new-product launch or tasting; talk: a themed talk; panel: the customer panel (顾客座谈会); other' })
const Status = Type.Enum([...EVENT_STATUSES], { description: 'draft; open: taking registrations; closed: registration over (check-in goes on); cancelled' })
const Channel = Type.Enum([...REGISTRATION_CHANNELS], { description: 'where the registration was taken' })
const RegStatus = Type.Enum([...REGISTRATION_STATUSES])

export const MemberEventSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: Kind,
  description: Nullable(Type.String()),
  storeId: Type.String(),
  storeName: Nullable(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.String(),
  capacity: Type.Integer(),
  seatsTaken: Type.Integer({ description: 'registered or attended' }),
  segmentId: Nullable(Type.String()),
  campaignId: Nullable(Type.String()),
  status: Status,
  version: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'MemberEvent' })

export const RegistrationSchema = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  memberId: Type.String(),
  cardNo: Nullable(Type.String()),
  name: Nullable(Type.String({ description: 'masked' })),
  channel: Channel,
  status: RegStatus,
  registeredAt: Type.String(),
  cancelledAt: Nullable(Type.String()),
  checkedInAt: Nullable(Type.String()),
}, { $id: 'EventRegistration' })

const Fields = {
  title: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Kind,
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  storeId: Id,
  startsAt: Time,
  endsAt: Time,
  capacity: Type.Integer({ minimum: 1, maximum: MAX_CAPACITY }),
  segmentId: Type.Optional(Nullable(Id)),
  campaignId: Type.Optional(Nullable(Id)),
}

export const EventBody = Type.Object(Fields, { additionalProperties: false })
export const EventPatchBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  title: Type.Optional(Fields.title),
  kind: Type.Optional(Fields.kind),
  description: Fields.description,
  storeId: Type.Optional(Fields.storeId),
  startsAt: Type.Optional(Fields.startsAt),
  endsAt: Type.Optional(Fields.endsAt),
  capacity: Type.Optional(Fields.capacity),
  segmentId: Fields.segmentId,
  campaignId: Fields.campaignId,
}, { additionalProperties: false })

const MemberKey = {
  memberId: Type.Optional(Nullable(Id)),
  cardNo: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 32 }))),
}
export const RegisterBody = Type.Object({ ...MemberKey, channel: Type.Optional(Channel) }, { additionalProperties: false, description: 'the member by id or card number (one of them)' })
export const PosRegisterBody = Type.Object(MemberKey, { additionalProperties: false, description: 'the member by id or card number (one of them)' })
export const CheckInBody = Type.Object(MemberKey, { additionalProperties: false, description: 'the member by id or card number (one of them)' })
export const CancelRegistrationBody = Type.Object({ reason: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) }, { additionalProperties: false })
export const RegistrationParams = Type.Object({ id: Id, memberId: Id })

export const EventsQuery = Type.Object({
  status: Type.Optional(Status),
  storeId: Type.Optional(Id),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'events starting at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'events starting before' })),
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

export const RegistrationsQuery = Type.Object({
  status: Type.Optional(RegStatus),
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

export const ReportQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FOLLOW_UP_DAYS, description: `days after the event whose purchases count (default ${DEFAULT_FOLLOW_UP_DAYS})` })),
})

const Group = Type.Object({
  members: Type.Integer(), buyers: Type.Integer(), receipts: Type.Integer(), sales: Type.Integer({ description: 'net sales, fen' }),
  buyRate: Nullable(Type.Number()), salesPerMember: Nullable(Type.Number()),
})
export const EventReportSchema = Type.Object({
  eventId: Type.String(),
  status: Status,
  capacity: Type.Integer(),
  invited: Nullable(Type.Integer({ description: "members the invitation campaign's messages went to" })),
  registered: Type.Integer({ description: 'seats taken: registered, whether they came or not' }),
  cancelled: Type.Integer(),
  attended: Type.Integer(),
  noShows: Type.Integer({ description: 'registered and not checked in' }),
  attendanceRate: Nullable(Type.Number()),
  byChannel: Type.Object(Object.fromEntries(REGISTRATION_CHANNELS.map((c) => [c, Type.Optional(Type.Integer())]))),
  followUp: Type.Object({
    days: Type.Integer(), from: Type.String(), to: Type.String(), partial: Type.Boolean({ description: 'the window is still open: the figures grow' }),
    attendees: Group, noShows: Group,
  }),
})

export const MemberEventEntrySchema = Type.Object({
  event: Type.Ref('MemberEvent'),
  registration: Type.Object({
    id: Type.String(), channel: Channel, status: RegStatus, registeredAt: Type.String(), cancelledAt: Nullable(Type.String()), checkedInAt: Nullable(Type.String()),
  }),
})
