import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'
import { ChannelSchema } from '../channels/channels.schemas.js'
import { CHANNELS } from '../channels/channels.table.js'
import { MAX_ATTRIBUTION_DAYS, MAX_HOLDOUT_PCT, MAX_RATE_PER_MINUTE } from './campaign-rules.js'
import { AUDIENCE_MODES, CAMPAIGN_STATUSES, RECIPIENT_GROUPS, RECIPIENT_STATUSES, RECURRENCES, RUN_STATUSES, SCHEDULE_KINDS, SKIP_REASONS } from './campaigns.table.js'

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Status = Type.Enum([...CAMPAIGN_STATUSES])
const AudienceMode = Type.Enum([...AUDIENCE_MODES], { description: 'dynamic: the segment is found again at each send; snapshot: the frozen list chosen' })
const ScheduleKind = Type.Enum([...SCHEDULE_KINDS])
const Recurrence = Type.Enum([...RECURRENCES])
const TemplateIds = Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Optional(Id)])), { additionalProperties: false, description: 'a message template per channel chosen' })
const PerChannel = Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Optional(Type.Integer())])))

export const CampaignSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  status: Status,
  segmentId: Type.String(),
  audienceMode: AudienceMode,
  snapshotId: Nullable(Type.String()),
  excludeSegmentIds: Type.Array(Type.String()),
  channels: Type.Array(ChannelSchema, { description: 'in order of preference: each member gets the first they agreed to and can be reached on' }),
  templateIds: TemplateIds,
  couponTemplateId: Nullable(Type.String()),
  scheduleKind: ScheduleKind,
  sendAt: Nullable(Type.String()),
  recurrence: Nullable(Recurrence),
  repeatUntil: Nullable(Type.String()),
  ratePerMinute: Type.Integer(),
  holdoutPct: Type.Integer(),
  attributionDays: Type.Integer(),
  version: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  submittedBy: Nullable(Type.String()),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  nextRunAt: Nullable(Type.String()),
}, { $id: 'Campaign' })

export const RunSchema = Type.Object({
  id: Type.String(),
  dueAt: Type.String(),
  status: Type.Enum([...RUN_STATUSES]),
  startedAt: Type.String(),
  preparedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  audience: Type.Integer({ description: "the segment's members when the run began" }),
  excluded: Type.Integer({ description: 'in an excluded segment' }),
  noConsent: Type.Integer({ description: 'agreed to none of the channels, or not active' }),
  chainHoldout: Type.Integer(),
  holdout: Type.Integer(),
  targets: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
  skipped: Type.Integer(),
  pending: Type.Integer(),
  skippedBy: Type.Object(Object.fromEntries(SKIP_REASONS.map((r) => [r, Type.Optional(Type.Integer())]))),
  sentBy: PerChannel,
  error: Nullable(Type.String()),
}, { $id: 'CampaignRun' })

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  segmentId: Id,
  audienceMode: Type.Optional(AudienceMode),
  snapshotId: Type.Optional(Nullable(Id)),
  excludeSegmentIds: Type.Optional(Type.Array(Id, { maxItems: 10 })),
  channels: Type.Array(ChannelSchema, { minItems: 1, maxItems: CHANNELS.length }),
  templateIds: TemplateIds,
  couponTemplateId: Type.Optional(Nullable(Id)),
  scheduleKind: Type.Optional(ScheduleKind),
  sendAt: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'ISO-8601 time of the (first) send' }))),
  recurrence: Type.Optional(Nullable(Recurrence)),
  repeatUntil: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RATE_PER_MINUTE, description: 'messages a minute (default 1000)' })),
  holdoutPct: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_HOLDOUT_PCT, description: 'percent of the eligible audience held out at random (default 10)' })),
  attributionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ATTRIBUTION_DAYS, description: 'days after the send whose purchases the report counts (default 14)' })),
}

export const CampaignBody = Type.Object(Fields, { additionalProperties: false })
export const CampaignPatchBody = Type.Object({
  version: Type.Integer(),
  name: Type.Optional(Fields.name),
  description: Fields.description,
  segmentId: Type.Optional(Fields.segmentId),
  audienceMode: Fields.audienceMode,
  snapshotId: Fields.snapshotId,
  excludeSegmentIds: Fields.excludeSegmentIds,
  channels: Type.Optional(Fields.channels),
  templateIds: Type.Optional(Fields.templateIds),
  couponTemplateId: Fields.couponTemplateId,
  scheduleKind: Fields.scheduleKind,
  sendAt: Fields.sendAt,
  recurrence: Fields.recurrence,
  repeatUntil: Fields.repeatUntil,
  ratePerMinute: Fields.ratePerMinute,
  holdoutPct: Fields.holdoutPct,
  attributionDays: Fields.attributionDays,
}, { additionalProperties: false })
export const VersionBody = Type.Object({ version: Type.Integer() })
export const WithdrawBody = Type.Object({ version: Type.Integer(), reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) })
export const TestBody = Type.Object({ channel: ChannelSchema, to: Type.String({ minLength: 1, maxLength: 254 }), memberId: Type.Optional(Nullable(Id)) })

export const CampaignsQuery = Type.Object({
  status: Type.Optional(Status),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

export const RecipientsQuery = Type.Object({
  runId: Type.Optional(Id),
  group: Type.Optional(Type.Enum([...RECIPIENT_GROUPS])),
  status: Type.Optional(Type.Enum([...RECIPIENT_STATUSES])),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

export const RecipientSchema = Type.Object({
  memberId: Type.String(),
  cardNo: Type.String(),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  group: Type.Enum([...RECIPIENT_GROUPS]),
  status: Type.Enum([...RECIPIENT_STATUSES]),
  channel: Nullable(ChannelSchema),
  reason: Nullable(Type.Enum([...SKIP_REASONS])),
  messageId: Nullable(Type.String()),
  couponId: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
})

const Group = Type.Object({ members: Type.Integer(), buyers: Type.Integer(), sales: Type.Integer(), buyRate: Nullable(Type.Number()), salesPerMember: Nullable(Type.Number()) })
export const ReportSchema = Type.Object({
  runId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  partial: Type.Boolean(),
  groups: Type.Object({ target: Group, holdout: Group, chain_holdout: Group }),
  uplift: Type.Object({
    buyRateTarget: Nullable(Type.Number()), buyRateHoldout: Nullable(Type.Number()), salesPerMemberTarget: Nullable(Type.Number()), salesPerMemberHoldout: Nullable(Type.Number()),
    incrementalSales: Nullable(Type.Integer()), incrementalLow: Nullable(Type.Integer()), incrementalHigh: Nullable(Type.Integer()),
  }),
  coupons: Type.Object({ issued: Type.Integer(), used: Type.Integer(), redemptionRate: Nullable(Type.Number()) }),
  messages: Type.Object({ total: Type.Integer(), byChannel: PerChannel, delivered: Type.Integer(), failed: Type.Integer(), cost: Type.Integer() }),
  roi: Nullable(Type.Number()),
  daily: Type.Array(Type.Object({ date: Type.String(), target: Type.Integer(), holdout: Type.Integer() })),
})

const Costs = Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Integer({ minimum: 0, maximum: 10_000 })])))
export const CampaignSettingsSchema = Type.Object({
  capCount: Type.Integer(), capDays: Type.Integer(), quietStart: Type.String(), quietEnd: Type.String(), chainHoldoutPct: Type.Integer(), approvalRequired: Type.Boolean(),
  costs: Costs, updatedBy: Nullable(Type.String()), updatedAt: Nullable(Type.String()),
})
export const CampaignSettingsBody = Type.Object({
  capCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'marketing messages per member per period, every campaign and journey (0: no cap)' })),
  capDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  quietStart: Type.Optional(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })),
  quietEnd: Type.Optional(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })),
  chainHoldoutPct: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  approvalRequired: Type.Optional(Type.Boolean()),
  costs: Type.Optional(Type.Partial(Costs)),
}, { additionalProperties: false })

export const MemberCampaignSchema = Type.Object({
  campaignId: Type.String(), name: Type.String(), runId: Type.String(), startedAt: Type.String(), group: Type.Enum([...RECIPIENT_GROUPS]),
  status: Type.Enum([...RECIPIENT_STATUSES]), channel: Nullable(ChannelSchema), reason: Nullable(Type.Enum([...SKIP_REASONS])), messageId: Nullable(Type.String()), couponId: Nullable(Type.String()),
})
