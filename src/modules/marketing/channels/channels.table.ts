// Kysely table types of the channel layer (migrations 2026_12_15_0900, 2026_12_16_0930). Booleans are 0/1 integers,
// JSON is text, times ISO-8601 UTC.

export const CHANNELS = ['sms', 'email', 'wechat', 'push'] as const
export type Channel = (typeof CHANNELS)[number]
export const PROVIDER_KINDS = ['sandbox', 'smtp', 'aliyun_sms', 'webhook_sms', 'wechat_template', 'http_push'] as const
export type ProviderKind = (typeof PROVIDER_KINDS)[number]
export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'bounced'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]
/** The providers whose delivery receipts (callbacks) Patron takes; the sandbox delivers at once, SMTP has none. */
export const RECEIPT_KINDS = ['aliyun_sms', 'webhook_sms', 'wechat_template', 'http_push'] as const
export type ReceiptKind = (typeof RECEIPT_KINDS)[number]
/** The SMS providers whose inbound messages (members' replies) Patron takes, for unsubscribe replies. */
export const INBOUND_KINDS = ['aliyun_sms', 'webhook_sms'] as const
export type InboundKind = (typeof INBOUND_KINDS)[number]
export const PURPOSES = ['marketing', 'service'] as const
export type MessagePurpose = (typeof PURPOSES)[number]

export interface MessageProvidersTable {
  channel: Channel
  kind: ProviderKind
  /** JSON object; the secret fields encrypted through the Keyring */
  settings: string
  enabled: number
  updated_by: string | null
  updated_at: string
}

export interface MessagesTable {
  id: string
  member_id: string | null
  channel: Channel
  provider_kind: ProviderKind
  purpose: MessagePurpose
  /** the phone, address, OpenID or push token, encrypted; null once erased */
  recipient_enc: string | null
  recipient_masked: string | null
  subject: string | null
  body: string
  template_code: string | null
  /** JSON object of template parameters, or null */
  params: string | null
  status: MessageStatus
  provider_message_id: string | null
  error: string | null
  attempts: number
  source_type: string | null
  source_id: string | null
  /** source and member: one source never sends one member twice */
  dedupe_key: string | null
  created_by: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
  delivered_at: string | null
  /** a tracked email's links, a JSON array of the URLs its text carries (migration 2026_12_16_0930); null: not tracked */
  links: string | null
  /** the first open (the pixel loaded, or a click) and the first click */
  opened_at: string | null
  clicked_at: string | null
  opens: number
  clicks: number
}

export interface MemberChannelIdsTable {
  member_id: string
  wechat_openid: string | null
  push_token: string | null
  updated_at: string
}

export interface ChannelsTables {
  message_providers: MessageProvidersTable
  messages: MessagesTable
  member_channel_ids: MemberChannelIdsTable
}
