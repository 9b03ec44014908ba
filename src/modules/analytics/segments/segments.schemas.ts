import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../../shared/http/schemas.js'

// The segments' contract (issue 12 §4). A definition is checked by parseCondition, which names the
// path and the reason of what is wrong (422 INSIGHT_CONDITION_INVALID); the schema only says it
// is an object, so the console gets those reasons rather than a schema's.

export const DefinitionSchema = Type.Object({}, {
  additionalProperties: true,
  description: 'A condition: { all: [...] } | { any: [...] } | { not: {...} } | { field, op, value, days?, min? }. See README "Segments" for the fields and operators.',
})

const MemberRow = Type.Object({
  id: Type.String(),
  cardNo: Type.String(),
  name: Nullable(Type.String({ description: 'masked' })),
  phone: Nullable(Type.String({ description: 'masked' })),
  gender: Type.String(),
  storeCode: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  tier: Nullable(Type.String()),
  tierName: Nullable(Type.String()),
  spendW: Type.Integer({ description: 'fen, in the insight window' }),
  receiptsW: Type.Integer(),
  lastPurchaseAt: Nullable(Type.String()),
  rfmClass: Nullable(Type.String()),
  lifecycle: Nullable(Type.String()),
}, { $id: 'SegmentMember' })
export const SegmentMemberSchema = MemberRow

export const MemberPageSchema = Type.Object({ items: Type.Array(Type.Ref('SegmentMember')), nextCursor: Nullable(Type.String()) })

export const SnapshotSchema = Type.Object({
  id: Type.String(),
  segmentId: Type.String(),
  asOf: Type.String({ description: 'the local business date the list was taken on' }),
  memberCount: Type.Integer(),
  definition: DefinitionSchema,
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'SegmentSnapshot' })

export const SegmentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  definition: DefinitionSchema,
  summaryZh: Type.String({ description: 'the definition in words (zh-CN)' }),
  summaryEn: Type.String({ description: 'the definition in words (en-US)' }),
  storeId: Nullable(Type.String({ description: "a store's segment covers its members only; null: the chain" })),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  snapshots: Type.Integer(),
  lastSnapshotCount: Nullable(Type.Integer()),
  lastSnapshotAt: Nullable(Type.String()),
}, { $id: 'Segment' })

export const CreateBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  definition: DefinitionSchema,
  snapshot: Type.Optional(Type.Boolean({ description: 'also freeze today’s member list' })),
})

export const UpdateBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  definition: Type.Optional(DefinitionSchema),
})

export const ListQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])) })
export const DefinitionBody = Type.Object({ definition: DefinitionSchema })
export const PreviewBody = Type.Object({ definition: DefinitionSchema, ...CursorQuery })
export const PageQuery = Type.Object(CursorQuery)
export const CountSchema = Type.Object({ count: Type.Integer(), asOf: Type.String({ description: 'the local date windows end at' }) })
export const SnapshotParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), snapshotId: Type.String({ minLength: 1, maxLength: 64 }) })

export const CompareQuery = Type.Object({
  from: Type.String({ minLength: 1, maxLength: 64, description: 'the earlier snapshot' }),
  to: Type.String({ minLength: 1, maxLength: 64, description: 'the later snapshot' }),
  list: Type.Optional(Type.Union([Type.Literal('joined'), Type.Literal('left'), Type.Literal('stayed')])),
  ...CursorQuery,
})
export const CompareSchema = Type.Object({
  from: Type.Ref('SegmentSnapshot'),
  to: Type.Ref('SegmentSnapshot'),
  joined: Type.Integer(),
  left: Type.Integer(),
  stayed: Type.Integer(),
  list: Type.Union([Type.Literal('joined'), Type.Literal('left'), Type.Literal('stayed')]),
  items: Type.Array(Type.Ref('SegmentMember')),
  nextCursor: Nullable(Type.String()),
})

export const ExportQuery = Type.Object({
  snapshotId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])),
})

export const IssueBody = Type.Object({
  templateId: Type.String({ minLength: 1, maxLength: 64 }),
  snapshotId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})
export const IssueSchema = Type.Object({
  templateId: Type.String(),
  issueKey: Type.String(),
  runs: Type.Array(Type.String(), { description: 'the bulk issue runs (see /coupon-templates/{id}/issues)' }),
  total: Type.Integer(),
  issued: Type.Integer(),
  skipped: Type.Integer({ description: 'already had one from this segment, or frozen' }),
  failed: Type.Integer(),
})

export const CountQuery = Type.Object({
  asOf: Type.Optional(Type.String({ format: 'date', description: 'the date windows end at (default today)' })),
  storeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'one store’s members only' })),
})
