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
  updatedAt: Nullable(Type.String()),
  updatedBy: Nullable(Type.String()),
})

export const PrivacySettingsBody = Type.Object({
  coolingOffDays: Type.Integer({ minimum: 0, maximum: 90 }),
}, { additionalProperties: false })
