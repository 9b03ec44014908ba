import { Type } from 'typebox'
import { CursorQuery, IsoDateTime, Nullable } from '../../../shared/http/schemas.js'
import { CHANNELS, MESSAGE_STATUSES, PROVIDER_KINDS, PURPOSES, RECEIPT_KINDS } from './channels.table.js'

export const ChannelSchema = Type.Enum([...CHANNELS])
export const ProviderKindSchema = Type.Enum([...PROVIDER_KINDS])
export const MessageStatusSchema = Type.Enum([...MESSAGE_STATUSES])
export const ReceiptKindSchema = Type.Enum([...RECEIPT_KINDS])

const SettingValue = Type.Union([Type.Null(), Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()])

export const ProviderSchema = Type.Object({
  channel: ChannelSchema,
  kind: ProviderKindSchema,
  enabled: Type.Boolean(),
  settings: Type.Record(Type.String(), SettingValue, { description: 'the settings without their secrets' }),
  hasSecret: Type.Record(Type.String(), Type.Boolean(), { description: 'which secrets are set; their values are never returned' }),
  kinds: Type.Array(ProviderKindSchema, { description: 'the kinds this channel may use' }),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Type.String({ description: 'null: never set (the sandbox of a fresh install)' })),
}, { $id: 'MessageProvider' })

export const ChannelParams = Type.Object({ channel: ChannelSchema })
export const ReceiptParams = Type.Object({ kind: ReceiptKindSchema })

export const ProviderBody = Type.Object({
  kind: ProviderKindSchema,
  enabled: Type.Optional(Type.Boolean()),
  settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), SettingValue, {
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
}, { $id: 'Message' })

export const MessagesQuery = Type.Object({
  channel: Type.Optional(ChannelSchema),
  status: Type.Optional(MessageStatusSchema),
  memberId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  sourceType: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  sourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  from: Type.Optional(IsoDateTime),
  to: Type.Optional(IsoDateTime),
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
