import { Type } from 'typebox'
import { CursorQuery, IsoDateTime, Nullable } from '../../../shared/http/schemas.js'
import { CHANNELS, INBOUND_KINDS, MESSAGE_STATUSES, PROVIDER_KINDS, PURPOSES, RECEIPT_KINDS } from './channels.table.js'

export const ChannelSchema = Type.Enum([...CHANNELS])
export const ProviderKindSchema = Type.Enum([...PROVIDER_KINDS])
export const MessageStatusSchema = Type.Enum([...MESSAGE_STATUSES])
export const ReceiptKindSchema = Type.Enum([...RECEIPT_KINDS])

const SettingValue = Type.Union([Type.Null(), Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()])
// A setting as sent: its type is checked field by field by the provider's FIELDS (a union here would
// let the schema's coercion turn a port number into text, or a numeric key into a number).
const SettingInput = Type.Unknown({ description: 'text, a number, true/false or null, as the field takes' })

// What the console builds a provider's form from (provider-settings.ts FIELDS).
const ProviderFieldSchema = Type.Object({
  name: Type.String(),
  type: Type.Enum(['string', 'url', 'port', 'boolean', 'email', 'choice']),
  required: Type.Boolean(),
  secret: Type.Boolean({ description: 'stored encrypted, never returned; left out of an update, the stored one is kept' }),
  default: Type.Union([Type.Null(), Type.String(), Type.Number(), Type.Boolean()], { description: 'what an optional field left empty is stored as' }),
  max: Nullable(Type.Integer({ description: 'the longest text taken' })),
  choices: Nullable(Type.Array(Type.String(), { description: 'the values of a choice' })),
})

export const ProviderSchema = Type.Object({
  channel: ChannelSchema,
  kind: ProviderKindSchema,
  enabled: Type.Boolean(),
  settings: Type.Record(Type.String(), SettingValue, { description: 'the settings without their secrets' }),
  hasSecret: Type.Record(Type.String(), Type.Boolean(), { description: 'which secrets are set; their values are never returned' }),
  kinds: Type.Array(ProviderKindSchema, { description: 'the kinds this channel may use' }),
  fields: Type.Record(Type.String(), Type.Array(ProviderFieldSchema), { description: "each of those kinds' settings, by kind, in the order to show them" }),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Type.String({ description: 'null: never set (the sandbox of a fresh install)' })),
}, { $id: 'MessageProvider' })

export const ChannelParams = Type.Object({ channel: ChannelSchema })
export const ReceiptParams = Type.Object({ kind: ReceiptKindSchema })

export const ProviderBody = Type.Object({
  kind: ProviderKindSchema,
  enabled: Type.Optional(Type.Boolean()),
  settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), SettingInput, {
    description: 'by kind — smtp: host, port, secure, username, password*, from; aliyun_sms: endpoint, accessKeyId, accessKeySecret*, signName, templateCode, receiptToken*; ' +
      'webhook_sms: url, secret*, signName; wechat_template: baseUrl, appId, appSecret*, templateId, url, messageType (template|subscribe), receiptToken*; http_push: url, token*. (*: secret; left out, the stored one is kept)',
  })),
}, { additionalProperties: false })

export const TestSendBody = Type.Object({
  to: Type.String({ minLength: 1, maxLength: 512, description: 'a phone, an email address, an OpenID or a push token' }),
  subject: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  body: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
}, { additionalProperties: false })

export const MessageSchema = Type.Object({
  id: Type.String(),
  memberId: Nullable(Type.String()),
  channel: ChannelSchema,
  providerKind: ProviderKindSchema,
  purpose: Type.Enum([...PURPOSES]),
  recipient: Nullable(Type.String({ description: 'masked' })),
  subject: Nullable(Type.String()),
  body: Type.String(),
  templateCode: Nullable(Type.String()),
  params: Nullable(Type.Record(Type.String(), Type.String())),
  status: MessageStatusSchema,
  providerMessageId: Nullable(Type.String()),
  error: Nullable(Type.String()),
  attempts: Type.Integer({ minimum: 0 }),
  sourceType: Nullable(Type.String()),
  sourceId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  sentAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  tracked: Type.Boolean({ description: 'a marketing email sent while email tracking was on: its opens and clicks are counted' }),
  openedAt: Nullable(Type.String({ description: 'the first open: its picture loaded, or a click (approximate: mail clients block or pre-load pictures)' })),
  clickedAt: Nullable(Type.String({ description: 'the first click of one of its links' })),
  opens: Type.Integer({ minimum: 0 }),
  clicks: Type.Integer({ minimum: 0 }),
}, { $id: 'Message' })

export const MessagesQuery = Type.Object({
  channel: Type.Optional(ChannelSchema),
  status: Type.Optional(MessageStatusSchema),
  memberId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  sourceType: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  sourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  from: Type.Optional(IsoDateTime),
  to: Type.Optional(IsoDateTime),
  opened: Type.Optional(Type.Boolean({ description: 'true: opened emails only (tracked, the picture loaded or a link clicked); false: the others' })),
  ...CursorQuery,
}, { additionalProperties: false })

export const ReceiptQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200, description: "the provider's receipt token (Alibaba's reports carry no signature)" })),
  signature: Type.Optional(Type.String({ maxLength: 100, description: "WeChat's: SHA-1 of the token, timestamp and nonce" })),
  timestamp: Type.Optional(Type.String({ maxLength: 20 })),
  nonce: Type.Optional(Type.String({ maxLength: 100 })),
  echostr: Type.Optional(Type.String({ maxLength: 200, description: "WeChat's URL check: echoed back when signed" })),
})

export const ReceiptAnswer = Type.Object({
  code: Type.Integer({ description: "0: received (the answer Alibaba's report push expects)" }),
  msg: Type.String(),
  received: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
})

export const InboundParams = Type.Object({ kind: Type.Enum([...INBOUND_KINDS]) })

export const InboundQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200, description: "aliyun_sms: the provider's receipt token (Alibaba's pushes carry no signature)" })),
})

export const InboundAnswer = Type.Object({
  code: Type.Integer({ description: "0: received (the answer Alibaba's push expects)" }),
  msg: Type.String(),
  received: Type.Integer({ minimum: 0, description: 'replies read' }),
  unsubscribed: Type.Integer({ minimum: 0, description: 'members whose SMS consent the replies withdrew' }),
})

export const UnsubscribeParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) })

export const UnsubscribeState = Type.Object({
  channel: ChannelSchema,
  maskedRecipient: Nullable(Type.String({ description: "the member's address on the channel, masked; null when there is none" })),
  subscribed: Type.Boolean({ description: 'whether the member consents to marketing on the channel' }),
})

// A tracked email's open pixel and click redirect. No length limit on the open's token: whatever
// comes, the picture is answered (a 400 would be a broken image in the member's mail).
export const OpenParams = Type.Object({ token: Type.String() })
export const ClickParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 300 }) })
