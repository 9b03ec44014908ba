import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../shared/http/schemas.js'
import { CHANNELS, CONSENT_CHANNELS, EDUCATIONS, GENDERS, INCOME_BANDS, MEMBER_STATUSES, OCCUPATIONS, REVEAL_FIELDS } from './members.types.js'

const ConsentSchema = Type.Object({
  channel: Type.Enum([...CONSENT_CHANNELS]),
  granted: Type.Boolean(),
  source: Type.String(),
  changedAt: Type.String(),
})

export const MemberSchema = Type.Object({
  id: Type.String(),
  cardNo: Type.String(),
  phone: Nullable(Type.String({ description: 'masked, e.g. 138****5678' })),
  name: Nullable(Type.String({ description: 'masked, e.g. 张*' })),
  gender: Type.Enum([...GENDERS]),
  birthday: Nullable(Type.String({ description: 'YYYY-MM-DD; YYYY-**-** when the member has an ID number (it embeds the date; reveal shows it)' })),
  idNumber: Nullable(Type.String({ description: 'masked' })),
  email: Nullable(Type.String({ description: 'masked' })),
  occupation: Nullable(Type.Enum([...OCCUPATIONS])),
  education: Nullable(Type.Enum([...EDUCATIONS])),
  incomeBand: Nullable(Type.Enum([...INCOME_BANDS])),
  district: Nullable(Type.String()),
  address: Nullable(Type.String({ description: 'masked' })),
  registrationStoreId: Nullable(Type.String()),
  registeredBy: Nullable(Type.String()),
  registeredByName: Type.Optional(Nullable(Type.String({ description: 'the clerk who registered the member (detail and lookup only)' }))),
  registrationStoreName: Type.Optional(Nullable(Type.String({ description: 'detail and lookup only' }))),
  registrationChannel: Type.Enum([...CHANNELS]),
  externalCode: Nullable(Type.String()),
  status: Type.Enum([...MEMBER_STATUSES]),
  statusReason: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.String()),
  registeredAt: Type.String(),
  updatedAt: Type.String(),
  consents: Type.Array(ConsentSchema),
  profile: Type.Optional(Type.Object({
    tags: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), color: Nullable(Type.String()) })),
    rfmClass: Nullable(Type.String({ description: 'one of the eight RFM classes (important_value …)' })),
    lifecycle: Nullable(Type.String({ description: 'new, active, dormant, lost, returning or prospect' })),
    mainDepartment: Nullable(Type.String()),
    asOf: Nullable(Type.String({ description: 'the date of the insight refresh the classes are from' })),
  }, { description: 'lookup only: the member\'s tags and classes, for the till' })),
}, { $id: 'Member' })

// Formats are checked by the service (with the reasons a cashier understands), so the
// schema only bounds types and sizes.
const profile = {
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  gender: Type.Optional(Nullable(Type.Enum([...GENDERS]))),
  birthday: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  idNumber: Type.Optional(Nullable(Type.String({ maxLength: 18 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  occupation: Type.Optional(Nullable(Type.Enum([...OCCUPATIONS]))),
  education: Type.Optional(Nullable(Type.Enum([...EDUCATIONS]))),
  incomeBand: Type.Optional(Nullable(Type.Enum([...INCOME_BANDS]))),
  district: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  externalCode: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
}

export const RegisterBody = Type.Object({
  ...profile,
  registrationStoreId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  channel: Type.Optional(Type.Enum(['till', 'qr', 'mini_program'])),
  clerkUsername: Type.Optional(Nullable(Type.String({ maxLength: 64, description: "tills: the cashier's username, recorded as the registering clerk" }))),
  consents: Type.Optional(Type.Object(Object.fromEntries(CONSENT_CHANNELS.map((c) => [c, Type.Optional(Type.Boolean())])), { additionalProperties: false })),
}, { additionalProperties: false })

export const RegisterResult = Type.Object({
  member: Type.Ref('Member'),
  created: Type.Boolean({ description: 'false when the phone was already registered: the existing member is returned' }),
})

export const UpdateBody = Type.Object(profile, { additionalProperties: false, minProperties: 1 })

export const LookupBody = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  cardNo: Type.Optional(Type.String({ maxLength: 24 })),
  idNumber: Type.Optional(Type.String({ maxLength: 18 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  externalCode: Type.Optional(Type.String({ maxLength: 64 })),
  qrToken: Type.Optional(Type.String({ maxLength: 80, description: "the QR of the member's electronic card, as scanned (it changes every minute)" })),
}, { additionalProperties: false, minProperties: 1 })

export const ListQuery = Type.Object({
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.Enum([...MEMBER_STATUSES])),
  channel: Type.Optional(Type.Enum([...CHANNELS])),
  registeredFrom: Type.Optional(Type.String({ format: 'date-time' })),
  registeredTo: Type.Optional(Type.String({ format: 'date-time' })),
  ...CursorQuery,
}, { additionalProperties: false })

const { cursor: _cursor, limit: _limit, ...listFilter } = ListQuery.properties
export const ExportQuery = Type.Object({
  ...listFilter,
  lang: Type.Optional(Type.Enum(['zh-CN', 'en-US'], { description: "headers, codes and times in this language; default: Accept-Language, else zh-CN" })),
}, { additionalProperties: false })

export const LookupAlertsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) }, { additionalProperties: false })
export const LookupAlertsResult = Type.Object({
  alertMisses: Type.Integer({ description: 'misses in an hour that raise an alert' }),
  missesPerHour: Type.Integer({ description: 'misses in an hour after which lookups are refused until the hour ends (0: no limit)' }),
  items: Type.Array(Type.Object({
    actorType: Type.Enum(['staff', 'pos']),
    actorId: Type.String(),
    actorName: Nullable(Type.String()),
    storeId: Nullable(Type.String()),
    storeName: Nullable(Type.String()),
    hour: Type.String({ description: 'start of the hour, UTC' }),
    lookups: Type.Integer(),
    misses: Type.Integer(),
    limited: Type.Boolean({ description: 'the actor was refused for the rest of that hour' }),
  })),
})

export const NameSearchBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false })
export const NameSearchResult = Type.Object({ items: Type.Array(Type.Ref('Member')) })

export const RevealBody = Type.Object({
  fields: Type.Optional(Type.Array(Type.Enum([...REVEAL_FIELDS]), { minItems: 1, uniqueItems: true })),
}, { additionalProperties: false })

export const RevealResult = Type.Object(Object.fromEntries(REVEAL_FIELDS.map((f) => [f, Type.Optional(Nullable(Type.String()))])))

export const FreezeBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })

export const ConsentParams = Type.Object({ id: Type.String({ maxLength: 64 }), channel: Type.Enum([...CONSENT_CHANNELS]) })
export const ConsentBody = Type.Object({ granted: Type.Boolean(), source: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false })

export const ConsentHistorySchema = Type.Array(Type.Object({
  channel: Type.Enum([...CONSENT_CHANNELS]),
  granted: Type.Boolean(),
  source: Type.String(),
  changedAt: Type.String(),
  changedBy: Nullable(Type.String()),
}))

export const MergeBody = Type.Object({
  survivorId: Type.String({ minLength: 1, maxLength: 64 }),
  mergedId: Type.String({ minLength: 1, maxLength: 64 }),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false })

export const MergePreviewSchema = Type.Object({
  survivor: Type.Ref('Member'),
  merged: Type.Ref('Member'),
  fieldsFilled: Type.Array(Type.String(), { description: 'fields the survivor lacks and takes from the merged record' }),
  moves: Type.Record(Type.String(), Type.Integer(), { description: 'history items that move to the survivor, by kind' }),
  survivorCardNo: Type.String(),
  retiredCardNo: Type.String(),
})

export const MergeResult = Type.Object({ member: Type.Ref('Member'), summary: MergePreviewSchema })

export const MemberAuditSchema = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String(),
    at: Type.String(),
    actorType: Type.String(),
    actorName: Nullable(Type.String()),
    action: Type.String(),
    entityId: Nullable(Type.String()),
    changes: Nullable(Type.Record(Type.String(), Type.Unknown())),
  })),
  nextCursor: Nullable(Type.String()),
  /** Names of the ids the entries mention, by id. */
  labels: Type.Record(Type.String(), Type.String()),
})
