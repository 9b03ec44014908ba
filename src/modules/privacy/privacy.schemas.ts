import { Type } from 'typebox'
import { Nullable } from '../../shared/http/schemas.js'

const Status = Type.Union([Type.Literal('pending'), Type.Literal('cancelled'), Type.Literal('done')])
const Channel = Type.Union([Type.Literal('desk'), Type.Literal('member_page'), Type.Literal('retention')])

export const ErasureRequestSchema = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  member: Nullable(Type.Object({ nameMasked: Nullable(Type.String()), cardNo: Type.String() })),
  storeId: Nullable(Type.String()),
  status: Status,
  channel: Channel,
  reason: Nullable(Type.String()),
  requestedBy: Nullable(Type.String()),
  requestedAt: Type.String(),
  dueAt: Type.String({ description: 'when the erasure runs: the request plus the cooling-off days' }),
  cancelledBy: Nullable(Type.String()),
  cancelledAt: Nullable(Type.String()),
  doneAt: Nullable(Type.String()),
  result: Nullable(Type.Object({ records: Type.Integer({ description: 'member records erased: the person\'s and those merged into it' }) })),
}, { $id: 'ErasureRequest' })

export const ErasureBody = Type.Object({
  reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
}, { additionalProperties: false })

export const ErasuresQuery = Type.Object({
  status: Type.Optional(Status),
  memberId: Type.Optional(Type.String({ maxLength: 64 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false })

export const PrivacySettingsSchema = Type.Object({
  coolingOffDays: Type.Integer({ description: 'days between a request to be erased and the erasure (0: at once)' }),
  retentionYears: Type.Integer({ description: 'the retention sweep: members without activity for this many years are listed for erasure (0: off)' }),
  updatedAt: Nullable(Type.String()),
  updatedBy: Nullable(Type.String()),
})

// The years' range is the service's (422 with the field), as the issue asks of a chain setting.
export const PrivacySettingsBody = Type.Object({
  coolingOffDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 })),
  retentionYears: Type.Optional(Type.Integer({ description: '1–30 years, or 0 to turn the retention sweep off' })),
}, { additionalProperties: false })

export const RetentionQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false })

export const RetentionListSchema = Type.Object({
  retentionYears: Type.Integer(),
  cutoff: Type.String({ description: 'inactive since: the start (UTC) of the day retentionYears before today; echo it to erase the list' }),
  total: Type.Integer({ description: 'every inactive member, across the pages' }),
  items: Type.Array(Type.Object({
    memberId: Type.String(),
    cardNo: Type.String(),
    nameMasked: Nullable(Type.String()),
    registrationStoreId: Nullable(Type.String()),
    registeredAt: Type.String(),
    lastActivityAt: Nullable(Type.String({ description: 'the latest receipt or points entry (expiries aside); null if none ever' })),
  })),
  nextCursor: Nullable(Type.String()),
})

export const RetentionEraseBody = Type.Object({
  cutoff: Type.String({ maxLength: 40, description: 'the cutoff of the list shown' }),
  memberIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, description: 'only these of the listed members (all listed when left out)' })),
}, { additionalProperties: false })

export const RetentionEraseResult = Type.Object({
  requested: Type.Integer({ description: 'erasure requests recorded (channel retention)' }),
  skipped: Type.Integer({ description: 'members passed over: an erasure pending already, or active again since the list' }),
})
