import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'
import { ChannelSchema } from '../channels/channels.schemas.js'
import { PURPOSES } from '../channels/channels.table.js'
import { MAX_BODY, MAX_SUBJECT, VARIABLES } from './template-rules.js'

const Channel = ChannelSchema
const Purpose = Type.Enum([...PURPOSES], {
  description: 'marketing: only to members who consented on the channel, within caps and quiet hours, with the unsubscribe words; service: a gift ready, a complaint answered',
})
const Status = Type.Union([Type.Literal('active'), Type.Literal('archived')])
const Variable = Type.Enum([...VARIABLES])
const Lang = Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])
const Body = Type.String({ maxLength: MAX_BODY.email, description: `the text with {{variables}}: ${VARIABLES.join(', ')}` })
const Subject = Type.String({ maxLength: MAX_SUBJECT })
const Id = Type.String({ minLength: 1, maxLength: 64 })

export const MessageTemplateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel: Channel,
  purpose: Purpose,
  subjectZh: Nullable(Type.String()),
  subjectEn: Nullable(Type.String()),
  bodyZh: Type.String(),
  bodyEn: Nullable(Type.String({ description: 'null: members who read English get the Chinese text' })),
  providerTemplateCode: Nullable(Type.String({ description: "the provider's own template (Alibaba Cloud's TemplateCode, WeChat's template_id)" })),
  variables: Type.Array(Variable),
  status: Status,
  version: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedBy: Nullable(Type.String()),
  updatedAt: Type.String(),
}, { $id: 'MessageTemplate' })

export const TemplateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  channel: Channel,
  purpose: Purpose,
  subjectZh: Type.Optional(Nullable(Subject)),
  subjectEn: Type.Optional(Nullable(Subject)),
  bodyZh: Body,
  bodyEn: Type.Optional(Nullable(Body)),
  providerTemplateCode: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
}, { additionalProperties: false })

export const TemplatePatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  channel: Type.Optional(Channel),
  purpose: Type.Optional(Purpose),
  subjectZh: Type.Optional(Nullable(Subject)),
  subjectEn: Type.Optional(Nullable(Subject)),
  bodyZh: Type.Optional(Body),
  bodyEn: Type.Optional(Nullable(Body)),
  providerTemplateCode: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  status: Type.Optional(Status),
  version: Type.Integer({ minimum: 1, description: 'the version read; a change made since is refused (409)' }),
}, { additionalProperties: false })

export const TemplatesQuery = Type.Object({ channel: Type.Optional(Channel), status: Type.Optional(Status) })

export const PreviewBody = Type.Object({
  templateId: Type.Optional(Id),
  channel: Type.Optional(Channel),
  purpose: Type.Optional(Purpose),
  subject: Type.Optional(Nullable(Subject)),
  body: Type.Optional(Body),
  lang: Type.Optional(Lang),
  memberId: Type.Optional(Nullable(Id)),
  couponTemplateId: Type.Optional(Nullable(Id)),
}, { additionalProperties: false })

export const PreviewSchema = Type.Object({
  channel: Channel,
  lang: Lang,
  subject: Nullable(Type.String()),
  text: Type.String({ description: 'the message as it arrives: an SMS signed 【…】 and, for marketing, ending 回T退订; a marketing email with its unsubscribe line' }),
  length: Nullable(Type.Integer({ description: 'SMS: every character counts one, the signature with them' })),
  segments: Nullable(Type.Integer({ description: 'SMS: 1 up to 70 characters, else parts of 67' })),
  variables: Type.Array(Variable),
  missing: Type.Array(Variable, { description: 'used but without a value for this member: they go out empty' }),
  samples: Type.Array(Variable, { description: "filled with a sample (the coupon's code is drawn at issue)" }),
})

export const MarketingSettingsSchema = Type.Object({
  smsSignature: Type.String({ description: 'the SMS signature (签名) without 【】' }),
  emailTracking: Type.Boolean({ description: "marketing emails to members carry an HTML part whose links go through Patron (clicks) and a 1×1 picture (opens); off until turned on" }),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
})

export const MarketingSettingsBody = Type.Object({
  smsSignature: Type.Optional(Type.String({ maxLength: 20 })),
  emailTracking: Type.Optional(Type.Boolean({ description: "track marketing emails' opens and clicks" })),
}, { additionalProperties: false, description: 'the settings to change; those left out are kept' })
