import { createHash, timingSafeEqual } from 'node:crypto'
import type { Db, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, forbidden, notFound, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { isUniqueViolation } from '../../../db/errors.js'
import { newId } from '../../../shared/ids.js'
import { maskEmail, maskPhone, type Keyring } from '../../../shared/pii.js'
import type { AuditService } from '../../audit/index.js'
import { emailTrackingOn } from '../templates/index.js'
import { consentedMemberIds, memberContact, membersByPhone, memberState, normalizePhone, type MembersService } from '../../members/index.js'
import { aliyunSmsAdapter, type AliyunSmsSettings } from './aliyun-sms.adapter.js'
import { DEFAULT_TIMEOUT_MS, type ChannelAdapter, type OutboundMessage, type SendResult } from './channel.js'
import { consentChannelOf, isUnsubscribeReply, linkSource } from './consent.js'
import { emailHtml, isWebUrl, trackedLinks } from './email-tracking.js'
import { CHANNELS, type Channel, type MessagePurpose, type MessageProvidersTable, type MessagesTable, type MessageStatus, type ProviderKind, type ReceiptKind, type InboundKind } from './channels.table.js'
import * as repo from './channels.repository.js'
import { httpPushAdapter, type HttpPushSettings } from './http-push.adapter.js'
import { parseAliyunReplies, parseSignedReplies } from './inbound.js'
import { checkRecipient, checkSettings, FIELDS, KINDS_OF, secretFields } from './provider-settings.js'
import { secretField } from './provider-secrets.js'
import { parseAliyunReports, parseSignedReceipts, parseWechatEvent, type Parsed } from './receipts.js'
import { clickToken, openToken, readTrackingToken } from './tracking-token.js'
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token.js'
import { sandboxAdapter } from './sandbox.adapter.js'
import { smtpAdapter, type SmtpSettings } from './smtp.adapter.js'
import { hmacSignature, webhookSmsAdapter, type WebhookSmsSettings } from './webhook-sms.adapter.js'
import { WECHAT_API, wechatTemplateAdapter, type WechatTemplateSettings, type WechatTokenCache } from './wechat-template.adapter.js'

export interface ChannelsDeps {
  db: Db
  keyring: Keyring
  clock: Clock
  audit: AuditService
  /** How long a provider's call may take (default 10 s). */
  timeoutMs?: number
  /** withdraws a member's consent when the member unsubscribes (an SMS reply, a link, a WeChat unfollow) */
  members: Pick<MembersService, 'withdrawConsent'>
  /** where members reach the public pages (PATRON_PUBLIC_URL): unsubscribe links; default http://localhost:3000 */
  publicUrl?: string
}

export interface Provider {
  channel: Channel
  kind: ProviderKind
  enabled: boolean
  /** the settings without their secrets */
  settings: Record<string, unknown>
  /** which secrets are set (never their values) */
  hasSecret: Record<string, boolean>
  /** the kinds this channel may use */
  kinds: ProviderKind[]
  /** each of those kinds' settings, for the console's form */
  fields: Partial<Record<ProviderKind, ProviderField[]>>
  updatedBy: string | null
  updatedAt: string | null
}

export interface ProviderField {
  name: string
  type: (typeof FIELDS)[ProviderKind][number]['type']
  required: boolean
  secret: boolean
  default: string | number | boolean | null
  max: number | null
  choices: string[] | null
}

export interface Message {
  id: string
  memberId: string | null
  channel: Channel
  providerKind: ProviderKind
  purpose: MessagePurpose
  recipient: string | null
  subject: string | null
  body: string
  templateCode: string | null
  params: Record<string, string> | null
  status: MessageStatus
  providerMessageId: string | null
  error: string | null
  attempts: number
  sourceType: string | null
  sourceId: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
  sentAt: string | null
  deliveredAt: string | null
  /** a marketing email sent while tracking was on: its opens and clicks are counted */
  tracked: boolean
  /** the first open (its picture loaded, or a click: mail clients block or pre-load pictures, so opens are approximate) */
  openedAt: string | null
  clickedAt: string | null
  opens: number
  clicks: number
}

export interface DeliverInput {
  channel: Channel
  purpose: MessagePurpose
  memberId?: string | null
  /** the phone, address, OpenID or push token; default the member's own on the channel */
  to?: string | null
  subject?: string | null
  body: string
  templateCode?: string | null
  params?: Record<string, string> | null
  /** what sends it (a campaign and its id): with the member, one source never sends one member twice */
  sourceType?: string | null
  sourceId?: string | null
  createdBy?: string | null
}

export interface PutProviderInput {
  kind: ProviderKind
  enabled?: boolean
  settings?: Record<string, unknown>
}

export interface MessagesQuery {
  channel?: Channel
  status?: MessageStatus
  memberId?: string
  sourceType?: string
  sourceId?: string
  from?: string
  to?: string
  /** true: opened messages only; false: those not opened */
  opened?: boolean
  cursor?: string
  limit?: number
}

/** Retryable failures are tried this many times in all (a campaign's retries call deliver again). */
export const MAX_ATTEMPTS = 5
/**
 * A queued message is tried again no sooner than this after its last attempt began: a call while
 * an attempt is under way (a second worker, a job retried) never sends it twice, and a throttled
 * provider is not pressed at once.
 */
export const RETRY_AFTER_MS = 60_000


const maskRecipient = (channel: Channel, to: string) =>
  channel === 'sms' ? maskPhone(to) : channel === 'email' ? maskEmail(to) : `${to.slice(0, 4)}***${to.slice(-4)}`

const toMessage = (r: MessagesTable): Message => ({
  id: r.id, memberId: r.member_id, channel: r.channel, providerKind: r.provider_kind, purpose: r.purpose, recipient: r.recipient_masked, subject: r.subject,
  body: r.body, templateCode: r.template_code, params: r.params ? JSON.parse(r.params) as Record<string, string> : null, status: r.status,
  providerMessageId: r.provider_message_id, error: r.error, attempts: r.attempts, sourceType: r.source_type, sourceId: r.source_id, createdBy: r.created_by,
  createdAt: r.created_at, updatedAt: r.updated_at, sentAt: r.sent_at, deliveredAt: r.delivered_at,
  tracked: r.links !== null, openedAt: r.opened_at, clickedAt: r.clicked_at, opens: Number(r.opens), clicks: Number(r.clicks),
})

const equalText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const messageNotFound = () => notFound('MARKETING_MESSAGE_NOT_FOUND', [{ field: 'id', reason: 'no such message' }])
const linkNotFound = () => notFound('MARKETING_UNSUBSCRIBE_NOT_FOUND', [{ field: 'token', reason: 'not an unsubscribe link of this server' }])
const trackedLinkNotFound = () => notFound('MARKETING_LINK_NOT_FOUND', [{ field: 'token', reason: "not a link of a tracked message of this server" }])

/** How a provider's callback proves itself: a token in the URL, WeChat's signature of its query, or an HMAC of the body. */
export interface CallbackProof {
  rawBody: string | Buffer | null
  token?: string | null
  signature?: string | null
  timestamp?: string | null
  nonce?: string | null
}

/**
 * Which of these members consent to marketing on a channel (push: app_push), in one read per
 * thousand: what a campaign keeps of its audience before it sends.
 */
export const consentedMembers = (conn: Db | Trx, channel: Channel, memberIds: readonly string[]): Promise<Set<string>> =>
  consentedMemberIds(conn, consentChannelOf(channel), memberIds)

/**
 * The frequency cap's count: marketing messages each member was sent since a time, by every
 * campaign and journey alike (the one count both check against the chain's cap).
 */
export const marketingSentSince = (conn: Db | Trx, memberIds: readonly string[], since: string): Promise<Map<string, number>> =>
  repo.marketingSince(conn, memberIds, since)

/** The channel layer of marketing (issue 15 §1): providers, sending, the message log, delivery receipts. */
export const createChannelsService = ({ db, keyring, clock, audit, timeoutMs, members, publicUrl }: ChannelsDeps) => {
  const now = () => clock.now().toISOString()
  const base = (publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')

  /** The page where a member unsubscribes from a channel (…/u/<token>): the link a marketing message's text carries. */
  const unsubscribeUrl = (memberId: string, channel: Channel = 'email'): string => `${base}/u/${unsubscribeToken(keyring, memberId, channel)}`
  // A mail service's one-click POST (RFC 8058) goes to the API itself: the page is the console's.
  const oneClickUrl = (memberId: string, channel: Channel): string => `${base}/api/v1/public/marketing/unsubscribe/${unsubscribeToken(keyring, memberId, channel)}`
  // The unsubscribe page's own link is left as it is: leaving says nothing of interest in the
  // offer, and the way out must not depend on the redirect.
  const isTrackable = (url: string) => !url.startsWith(`${base}/u/`)

  /** A tracked email's HTML part: its stored links through the click redirect, the others as written, and the open pixel. */
  const trackedHtml = (row: MessagesTable, links: string[]): string => emailHtml(row.body, {
    href: (link) => {
      const i = links.indexOf(link)
      return i < 0 ? link : `${base}/api/v1/public/marketing/c/${clickToken(keyring, row.id, i)}`
    },
    pixel: `${base}/api/v1/public/marketing/o/${openToken(keyring, row.id)}`,
  })
  const wechatTokens: WechatTokenCache = new Map()

  /** The stored row's settings, secrets decrypted. */
  const settingsOf = (row: MessageProvidersTable): Record<string, unknown> => {
    const s = JSON.parse(row.settings) as Record<string, unknown>
    for (const f of secretFields(row.kind)) if (typeof s[f] === 'string') s[f] = keyring.decrypt(secretField(row.kind, f), s[f])
    return s
  }

  // No row: the sandbox (a fresh install and the demo), so nothing leaves the machine.
  const sandboxRow = (channel: Channel): MessageProvidersTable => ({ channel, kind: 'sandbox', settings: '{}', enabled: 1, updated_by: null, updated_at: '' })
  const providerRow = async (conn: Db | Trx, channel: Channel) => (await repo.findProvider(conn, channel)) ?? sandboxRow(channel)

  const toProvider = (row: MessageProvidersTable): Provider => {
    const stored = JSON.parse(row.settings) as Record<string, unknown>
    const secrets = new Set(secretFields(row.kind))
    return {
      channel: row.channel, kind: row.kind, enabled: row.enabled === 1,
      settings: Object.fromEntries(Object.entries(stored).filter(([k]) => !secrets.has(k))),
      hasSecret: Object.fromEntries([...secrets].map((k) => [k, typeof stored[k] === 'string'])),
      kinds: [...KINDS_OF[row.channel]],
      fields: Object.fromEntries(KINDS_OF[row.channel].map((k) => [k, FIELDS[k].map((f): ProviderField => ({
        name: f.name, type: f.type, required: f.required, secret: f.secret === true, default: f.default ?? null, max: f.max ?? null, choices: f.choices ? [...f.choices] : null,
      }))])),
      updatedBy: row.updated_by, updatedAt: row.updated_at || null,
    }
  }

  const adapterOf = (row: MessageProvidersTable): ChannelAdapter => {
    const s = settingsOf(row)
    const options = { timeoutMs }
    switch (row.kind) {
      case 'sandbox': return sandboxAdapter()
      case 'smtp': return smtpAdapter(s as unknown as SmtpSettings, options)
      case 'aliyun_sms': return aliyunSmsAdapter(s as unknown as AliyunSmsSettings, options)
      case 'webhook_sms': return webhookSmsAdapter(s as unknown as WebhookSmsSettings, options)
      case 'wechat_template': return wechatTemplateAdapter(s as unknown as WechatTemplateSettings, { ...options, tokens: wechatTokens })
      case 'http_push': return httpPushAdapter(s as unknown as HttpPushSettings, options)
    }
  }

  const listProviders = async (actor: Actor): Promise<Provider[]> => {
    assertCan(actor, 'marketing.read')
    const rows = new Map((await repo.findProviders(db)).map((r) => [r.channel, r]))
    return CHANNELS.map((c) => toProvider(rows.get(c) ?? sandboxRow(c)))
  }

  const putProvider = async (actor: Actor, channel: Channel, input: PutProviderInput): Promise<Provider> => {
    assertCan(actor, 'marketing.manage')
    return db.transaction().execute(async (trx) => {
      const before = await repo.findProvider(trx, channel)
      const stored = before && before.kind === input.kind ? settingsOf(before) : null
      const { settings, details } = checkSettings(channel, input.kind, input.settings ?? {}, stored)
      if (details.length) throw unprocessable('MARKETING_PROVIDER_SETTINGS', details)
      const secrets = new Set(secretFields(input.kind))
      const encrypted = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, secrets.has(k) && typeof v === 'string' ? keyring.encrypt(secretField(input.kind, k), v) : v]))
      const row: MessageProvidersTable = {
        channel, kind: input.kind, settings: JSON.stringify(encrypted), enabled: input.enabled === false ? 0 : 1, updated_by: actorStaffId(actor), updated_at: now(),
      }
      await repo.putProvider(trx, row)
      // The audit counts what changed, never a value (a secret's least of all).
      const changed = (names: string[]) => names.filter((k) => JSON.stringify(settings[k] ?? null) !== JSON.stringify(stored?.[k] ?? null)).length
      const names = FIELDS[input.kind].map((f) => f.name)
      await audit.record(trx, actor, {
        action: 'message_provider.update', entityType: 'message_provider', entityId: null,
        changes: {
          messageChannel: channel, providerKind: { from: before?.kind ?? 'sandbox', to: input.kind }, enabled: row.enabled === 1,
          settingsChanged: changed(names.filter((k) => !secrets.has(k))), secretsChanged: changed([...secrets]),
        },
      })
      return toProvider(row)
    })
  }

  /** Sends a stored message whose attempt is claimed (counted in `attempts`); records the outcome on its row. */
  const attempt = async (conn: Db | Trx, row: MessagesTable, provider: MessageProvidersTable): Promise<MessagesTable> => {
    let result: SendResult
    if (!row.recipient_enc) result = { ok: false, retryable: false, error: `no ${row.channel} address` }
    else if (provider.kind !== row.provider_kind) result = { ok: false, retryable: false, error: `the ${row.channel} provider changed since the message was queued` }
    else if (provider.enabled !== 1) result = { ok: false, retryable: false, error: `the ${row.channel} provider is disabled` }
    else {
      const message: OutboundMessage = {
        id: row.id, channel: row.channel, to: keyring.decrypt('message_recipient', row.recipient_enc), subject: row.subject, body: row.body,
        templateCode: row.template_code, params: row.params ? JSON.parse(row.params) as Record<string, string> : null,
        unsubscribeUrl: row.purpose === 'marketing' && row.channel === 'email' && row.member_id ? oneClickUrl(row.member_id, 'email') : null,
        html: row.links === null ? null : trackedHtml(row, JSON.parse(row.links) as string[]),
      }
      try {
        result = await adapterOf(provider).send(message)
      } catch (e) {
        result = { ok: false, retryable: true, error: (e as Error).message ?? String(e) }
      }
    }
    const at = now()
    const attempts = row.attempts
    const changes: Partial<MessagesTable> = result.ok
      ? { status: result.delivered ? 'delivered' : 'sent', provider_message_id: result.providerMessageId, error: null, attempts, sent_at: at, delivered_at: result.delivered ? at : null, updated_at: at }
      : { status: result.retryable && attempts < MAX_ATTEMPTS ? 'queued' : 'failed', error: result.error, attempts, updated_at: at }
    await repo.updateMessage(conn, row.id, changes)
    return { ...row, ...changes }
  }

  /** The member's own address on a channel, in clear, if there is one. */
  const memberRecipient = async (conn: Db | Trx, memberId: string, channel: Channel): Promise<string | null> => {
    const contact = await memberContact(conn, keyring, memberId)
    if (!contact) throw unprocessable('MEMBER_NOT_FOUND', [{ field: 'memberId', reason: 'no such member' }])
    if (channel === 'sms') return contact.phone
    if (channel === 'email') return contact.email
    const ids = await repo.memberChannelIds(conn, memberId)
    return (channel === 'wechat' ? ids?.wechat_openid : ids?.push_token) ?? null
  }

  /**
   * Writes a message to the log and sends it through the channel's provider. With a source, the
   * source and member (or recipient) make a dedupe key: a second call finds the first message and
   * sends nothing, unless that one is still queued after a retryable failure, when it is tried again.
   * In the caller's transaction when given one (campaigns), else on its own.
   */
  const deliver = async (trx: Trx | null | undefined, input: DeliverInput): Promise<Message> => {
    const conn = trx ?? db
    const details: ErrorDetail[] = []
    let to: string | null = null
    if (input.to != null) {
      const checked = checkRecipient(input.channel, input.to, normalizePhone)
      if ('reason' in checked) details.push({ field: 'to', reason: checked.reason })
      else to = checked.to
    } else if (!input.memberId) details.push({ field: 'to', reason: 'a recipient or a member' })
    if (!input.body.trim()) details.push({ field: 'body', reason: 'empty' })
    if ((input.sourceType == null) !== (input.sourceId == null)) details.push({ field: 'sourceId', reason: 'a source is a type and an id' })
    if (details.length) throw unprocessable('VALIDATION', details)
    if (to === null && input.memberId) {
      const own = await memberRecipient(conn, input.memberId, input.channel)
      const checked = own ? checkRecipient(input.channel, own, normalizePhone) : null
      to = checked && 'to' in checked ? checked.to : null
    }
    // Marketing goes to a member only on a channel they consented to; a service message (a
    // receipt, a reset code) and a message to an address alone (a test send) need none.
    if (input.purpose === 'marketing' && input.memberId && !(await consentedMembers(conn, input.channel, [input.memberId])).has(input.memberId)) {
      throw unprocessable('MARKETING_NO_CONSENT', [{ field: 'memberId', reason: `no consent to marketing by ${consentChannelOf(input.channel)}` }])
    }
    const who = input.memberId ?? (to ? keyring.blindIndex('message_recipient', `${input.channel}:${to}`) : null)
    const dedupeKey = input.sourceType && input.sourceId ? `${input.sourceType}:${input.sourceId}:${input.channel}:${who}` : null
    const provider = await providerRow(conn, input.channel)
    // Whether it is tracked is settled when the message is made, with the links it may send a
    // click to: a retry sends the same, and a click goes nowhere else.
    const tracked = input.channel === 'email' && input.purpose === 'marketing' && !!input.memberId && (await emailTrackingOn(conn))
    const at = now()
    const row: MessagesTable = {
      id: newId('msg'), member_id: input.memberId ?? null, channel: input.channel, provider_kind: provider.kind, purpose: input.purpose,
      recipient_enc: to ? keyring.encrypt('message_recipient', to) : null, recipient_masked: to ? maskRecipient(input.channel, to) : null,
      subject: input.subject ?? null, body: input.body, template_code: input.templateCode ?? null, params: input.params ? JSON.stringify(input.params) : null,
      status: 'queued', provider_message_id: null, error: null, attempts: 1, source_type: input.sourceType ?? null, source_id: input.sourceId ?? null,
      dedupe_key: dedupeKey, created_by: input.createdBy ?? null, created_at: at, updated_at: at, sent_at: null, delivered_at: null,
      links: tracked ? JSON.stringify(trackedLinks(input.body, isTrackable)) : null, opened_at: null, clicked_at: null, opens: 0, clicks: 0,
    }
    // The insert claims the first attempt; a retry claims the next by a conditional update.
    if (await repo.insertMessage(conn, row)) return toMessage(await attempt(conn, row, provider))
    const existing = (await repo.findMessageByDedupe(conn, dedupeKey!))!
    if (existing.status !== 'queued' || existing.attempts >= MAX_ATTEMPTS) return toMessage(existing)
    const due = new Date(clock.now().getTime() - RETRY_AFTER_MS).toISOString()
    if (!(await repo.claimRetry(conn, existing.id, existing.attempts, due, at))) return toMessage(existing)
    // A retry goes through the provider that took the message first, or fails if it was replaced meanwhile.
    return toMessage(await attempt(conn, { ...existing, attempts: existing.attempts + 1, updated_at: at }, provider))
  }

  /**
   * The retry job: messages a retryable failure (a timeout, a 5xx, a rate limit) left queued are
   * tried again once their wait is over — 60 s after the first attempt, doubling each time — and
   * after the fifth attempt they fail for good (the dead letters, in the log with their error).
   * A marketing message whose member has since withdrawn consent fails instead of going.
   */
  const retryDue = async (limit = 200): Promise<{ retried: number; sent: number; failed: number }> => {
    const nowMs = clock.now().getTime()
    const rows = await repo.queuedBefore(db, new Date(nowMs - RETRY_AFTER_MS).toISOString(), limit)
    const out = { retried: 0, sent: 0, failed: 0 }
    for (const row of rows) {
      const wait = RETRY_AFTER_MS * 2 ** Math.max(0, row.attempts - 1)
      const due = new Date(nowMs - wait).toISOString()
      if (row.updated_at > due || row.attempts >= MAX_ATTEMPTS) continue
      const at = now()
      if (!(await repo.claimRetry(db, row.id, row.attempts, due, at))) continue
      out.retried++
      let done: MessagesTable
      if (row.purpose === 'marketing' && row.member_id && !(await consentedMembers(db, row.channel, [row.member_id])).has(row.member_id)) {
        const changes: Partial<MessagesTable> = { status: 'failed', error: `consent to marketing by ${consentChannelOf(row.channel)} withdrawn`, attempts: row.attempts + 1, updated_at: at }
        await repo.updateMessage(db, row.id, changes)
        done = { ...row, ...changes }
      } else {
        done = await attempt(db, { ...row, attempts: row.attempts + 1, updated_at: at }, await providerRow(db, row.channel))
      }
      if (done.status === 'failed') out.failed++
      else if (done.status !== 'queued') out.sent++
    }
    return out
  }

  /** A staff member's test of a channel's provider: one message to the address given, audited. */
  const testSend = async (actor: Actor, channel: Channel, input: { to: string; subject?: string | null; body?: string | null }): Promise<Message> => {
    assertCan(actor, 'marketing.manage')
    const m = await deliver(null, {
      channel, purpose: 'service', to: input.to, subject: input.subject ?? (channel === 'sms' ? null : 'Patron test'),
      body: input.body?.trim() || 'Patron: a test message / 测试消息', createdBy: actorStaffId(actor),
    })
    await audit.record(db, actor, { action: 'message_provider.test', entityType: 'message_provider', entityId: null, changes: { messageChannel: channel, providerKind: m.providerKind, messageStatus: m.status } })
    return m
  }

  const listMessages = async (actor: Actor, q: MessagesQuery = {}): Promise<{ items: Message[]; nextCursor: string | null }> => {
    assertCan(actor, 'marketing.read')
    const instant = (field: 'from' | 'to', v: string | undefined) => {
      if (v === undefined) return undefined
      const d = new Date(v)
      if (Number.isNaN(d.getTime())) throw unprocessable('VALIDATION', [{ field, reason: 'not a time' }])
      return d.toISOString()
    }
    const fromAt = instant('from', q.from)
    const toAt = instant('to', q.to)
    if (fromAt && toAt && fromAt > toAt) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'after to' }])
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const rows = await repo.listMessages(db, {
      channel: q.channel, status: q.status, memberId: q.memberId, sourceType: q.sourceType, sourceId: q.sourceId, fromAt, toAt, opened: q.opened, cursor: q.cursor, limit: limit + 1,
    })
    const items = rows.slice(0, limit).map(toMessage)
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const getMessage = async (actor: Actor, id: string): Promise<Message> => {
    assertCan(actor, 'marketing.read')
    const row = await repo.findMessage(db, id)
    if (!row) throw messageNotFound()
    return toMessage(row)
  }

  /** WeChat's signature of a push: SHA-1 of the token, timestamp and nonce, sorted and joined. */
  const wechatSigned = (token: string, q: { signature?: string | null; timestamp?: string | null; nonce?: string | null }) =>
    !!q.signature && !!q.timestamp && !!q.nonce && equalText(q.signature, createHash('sha1').update([token, q.timestamp, q.nonce].sort().join('')).digest('hex'))

  const configuredFor = async (kind: ProviderKind) => {
    const provider = await repo.findProviderOfKind(db, kind)
    if (!provider) throw notFound('MARKETING_PROVIDER_NOT_CONFIGURED', [{ field: 'kind', reason: `no ${kind} provider is configured` }])
    return settingsOf(provider)
  }

  /** WeChat's check of the server URL (GET with echostr): the echo, when signed with the provider's token. */
  const wechatEcho = async (q: { signature?: string | null; timestamp?: string | null; nonce?: string | null; echostr?: string | null }): Promise<string> => {
    const s = await configuredFor('wechat_template')
    if (typeof s.receiptToken !== 'string' || !wechatSigned(s.receiptToken, q) || !q.echostr) {
      throw forbidden('MARKETING_RECEIPT_UNVERIFIED', [{ field: 'signature', reason: 'missing or does not match the token' }])
    }
    return q.echostr
  }

  /**
   * A provider's delivery receipts (its callback): proven by the provider's secret (a token in the
   * URL for Alibaba, whose reports carry no signature; WeChat's signature of its token; an HMAC of
   * the body for the others), then applied all or nothing. Unknown ids are counted, not refused: a
   * provider retries a refused callback.
   */
  const receipt = async (kind: ReceiptKind, input: CallbackProof & { body: unknown }): Promise<{ received: number; updated: number }> => {
    verifyCallback(kind, await configuredFor(kind), input)
    const parsed: Parsed & { unfollowed?: string | null } = kind === 'aliyun_sms' ? parseAliyunReports(input.body) : kind === 'wechat_template' ? parseWechatEvent(input.body) : parseSignedReceipts(input.body)
    if (parsed.details.length) throw unprocessable('MARKETING_RECEIPT_INVALID', parsed.details)
    return db.transaction().execute(async (trx) => {
      let updated = 0
      const at = now()
      for (const r of parsed.receipts) {
        const changes: Partial<MessagesTable> = r.status === 'delivered'
          ? { status: 'delivered', delivered_at: r.at ?? at, error: null, updated_at: at }
          : { status: r.status, error: r.error, updated_at: at }
        // A receipt moves a message forward only: a late "delivered" does not undo a bounce.
        updated += await repo.updateByProviderId(trx, kind, r.providerMessageId, r.status === 'delivered' ? ['queued', 'sent'] : ['queued', 'sent', 'delivered'], changes)
      }
      // A follower who unfollows the 公众号 withdraws the WeChat consent of the member bound to that OpenID.
      if (parsed.unfollowed) {
        const memberId = await repo.memberIdByOpenid(trx, parsed.unfollowed)
        if (memberId) await withdraw(trx, memberId, 'wechat', 'wechat_unsubscribe')
      }
      return { received: parsed.receipts.length, updated }
    })
  }

  /**
   * Proves a provider's callback (receipts, replies) by the provider's secret: a token in the URL
   * for Alibaba, whose pushes carry no signature; WeChat's signature of its token; an HMAC of the
   * body for the others. 403 otherwise.
   */
  const verifyCallback = (kind: ReceiptKind, s: Record<string, unknown>, input: CallbackProof): void => {
    if (kind === 'aliyun_sms') {
      const expected = typeof s.receiptToken === 'string' ? s.receiptToken : null
      if (!expected) throw forbidden('MARKETING_RECEIPT_UNVERIFIED', [{ field: 'token', reason: 'no receipt token is configured for this provider' }])
      if (!input.token || !equalText(input.token, expected)) throw forbidden('MARKETING_RECEIPT_UNVERIFIED', [{ field: 'token', reason: 'does not match' }])
    } else if (kind === 'wechat_template') {
      if (typeof s.receiptToken !== 'string' || !wechatSigned(s.receiptToken, input)) {
        throw forbidden('MARKETING_RECEIPT_UNVERIFIED', [{ field: 'signature', reason: 'missing or does not match the token' }])
      }
    } else {
      const key = String((kind === 'webhook_sms' ? s.secret : s.token) ?? '')
      if (!input.signature || input.rawBody === null || !key || !equalText(input.signature, hmacSignature(key, input.rawBody))) {
        throw forbidden('MARKETING_RECEIPT_UNVERIFIED', [{ field: 'x-patron-signature', reason: 'missing or does not match the body' }])
      }
    }
  }

  /** The member who stands for this record now: itself, or for a merged record the one it was merged into; null when erased. */
  const liveMember = async (conn: Db | Trx, memberId: string): Promise<string | null> => {
    let state = await memberState(conn, memberId)
    for (let hops = 0; state?.status === 'merged' && state.mergedIntoId && hops < 10; hops++) state = await memberState(conn, state.mergedIntoId)
    return state && state.status !== 'erased' && state.status !== 'merged' ? state.id : null
  }

  /** Withdraws a member's consent on a channel; false when it was withdrawn already or the member is erased. */
  const withdraw = async (trx: Trx, memberId: string, channel: Channel, source: string): Promise<boolean> => {
    const live = await liveMember(trx, memberId)
    return live ? members.withdrawConsent(trx, live, consentChannelOf(channel), source) : false
  }

  /**
   * An SMS provider's inbound messages (its uplink callback), proven as its receipts are: a reply
   * of T, TD, 退订, STOP… withdraws the SMS consent of the members holding that number (found by
   * its blind index). Other texts, and numbers no member holds, are counted, not refused: a
   * provider retries a refused callback. All or nothing.
   */
  const inbound = async (kind: InboundKind, input: CallbackProof & { body: unknown }): Promise<{ received: number; unsubscribed: number }> => {
    verifyCallback(kind, await configuredFor(kind), input)
    const parsed = kind === 'aliyun_sms' ? parseAliyunReplies(input.body) : parseSignedReplies(input.body)
    if (parsed.details.length) throw unprocessable('MARKETING_INBOUND_INVALID', parsed.details)
    return db.transaction().execute(async (trx) => {
      let unsubscribed = 0
      for (const r of parsed.replies) {
        if (!isUnsubscribeReply(r.text)) continue
        for (const m of await membersByPhone(trx, keyring, r.from)) if (await withdraw(trx, m.id, 'sms', 'sms_reply')) unsubscribed++
      }
      return { received: parsed.replies.length, unsubscribed }
    })
  }

  /** The live member an unsubscribe link names (a merged record's survivor), or 404. */
  const linkTarget = async (conn: Db | Trx, token: string): Promise<{ memberId: string; channel: Channel }> => {
    const named = readUnsubscribeToken(keyring, token)
    const live = named ? await liveMember(conn, named.memberId) : null
    if (!named || !live) throw linkNotFound()
    return { memberId: live, channel: named.channel }
  }

  const linkState = async (conn: Db | Trx, { memberId, channel }: { memberId: string; channel: Channel }) => {
    const to = await memberRecipient(conn, memberId, channel)
    return { channel, maskedRecipient: to ? maskRecipient(channel, to) : null, subscribed: (await consentedMembers(conn, channel, [memberId])).has(memberId) }
  }

  /** What an unsubscribe link's page shows: the channel, the member's address on it (masked), and whether they are subscribed. */
  const unsubscribePage = async (token: string): Promise<{ channel: Channel; maskedRecipient: string | null; subscribed: boolean }> =>
    linkState(db, await linkTarget(db, token))

  /** The member unsubscribes through a link (the page's button, a mail service's one-click): idempotent. */
  const unsubscribe = async (token: string): Promise<{ channel: Channel; maskedRecipient: string | null; subscribed: boolean }> =>
    db.transaction().execute(async (trx) => {
      const target = await linkTarget(trx, token)
      await withdraw(trx, target.memberId, target.channel, linkSource(target.channel))
      return linkState(trx, target)
    })

  /**
   * A tracked email's picture was loaded: counts an open (the first with its time). A token that
   * is not Patron's, or names no tracked message, records nothing: the caller answers the
   * picture all the same, so a mail never shows a broken image.
   */
  const recordOpen = async (token: string): Promise<void> => {
    const target = readTrackingToken(keyring, token)
    if (target?.kind === 'open') await repo.recordOpen(db, target.messageId, now())
  }

  /**
   * Where a tracked email's link goes: the URL stored on the message at that index, never one the
   * request names (no open redirect); the click counted (and an open with it) unless `record` is
   * false (a HEAD: a link checker's). 404 for a token that is not Patron's or names no stored link.
   */
  const followLink = async (token: string, { record = true }: { record?: boolean } = {}): Promise<string> => {
    const target = readTrackingToken(keyring, token)
    const row = target?.kind === 'click' ? await repo.findMessage(db, target.messageId) : undefined
    const url = target?.kind === 'click' && row?.links ? (JSON.parse(row.links) as unknown[])[target.link] : undefined
    if (typeof url !== 'string' || !isWebUrl(url)) throw trackedLinkNotFound()
    if (record) await repo.recordClick(db, row!.id, now())
    return url
  }

  /** Binds a member's WeChat OpenID or push token (the 公众号's login flow, a member app). */
  const bindChannelIds = async (memberId: string, ids: { wechatOpenid?: string | null; pushToken?: string | null }): Promise<void> => {
    const patch: { wechat_openid?: string | null; push_token?: string | null } = {}
    if (ids.wechatOpenid !== undefined) patch.wechat_openid = ids.wechatOpenid
    if (ids.pushToken !== undefined) patch.push_token = ids.pushToken
    await repo.putChannelIds(db, memberId, patch, now())
  }

  /** The WeChat OpenID bound to a member (the member's page shows it), or null. */
  const wechatOpenidOf = async (memberId: string): Promise<string | null> => (await repo.memberChannelIds(db, memberId))?.wechat_openid ?? null

  const openidTaken = () => conflict('WECHAT_OPENID_TAKEN', [{ field: 'openId', reason: 'this WeChat is bound to another member' }])

  /**
   * Binds the member's WeChat OpenID (as WeChat's authorisation named it on the member's page),
   * replacing one bound before; audited. An OpenID belongs to one member: bound to another, 409
   * WECHAT_OPENID_TAKEN. The same OpenID again changes nothing.
   */
  const bindWechat = async (actor: Actor, memberId: string, input: { openId: string }): Promise<void> => {
    const checked = checkRecipient('wechat', input.openId, normalizePhone)
    if ('reason' in checked) throw unprocessable('VALIDATION', [{ field: 'openId', reason: checked.reason }])
    const holder = await repo.memberIdByOpenid(db, checked.to)
    if (holder !== undefined && holder !== memberId) throw openidTaken()
    if (holder === memberId) return
    try {
      await db.transaction().execute(async (trx) => {
        await repo.putChannelIds(trx, memberId, { wechat_openid: checked.to }, now())
        await audit.record(trx, actor, { action: 'member.wechat.bind', entityType: 'member', entityId: memberId, changes: null })
      })
    } catch (err) {
      // Two members binding one OpenID at once: the second is told as above.
      if (isUniqueViolation(err, 'wechat_openid')) throw openidTaken()
      throw err
    }
  }

  /** Unbinds the member's WeChat (their page), audited; nothing bound: nothing done. */
  const unbindWechat = async (actor: Actor, memberId: string): Promise<void> => {
    if ((await wechatOpenidOf(memberId)) === null) return
    await db.transaction().execute(async (trx) => {
      await repo.putChannelIds(trx, memberId, { wechat_openid: null }, now())
      await audit.record(trx, actor, { action: 'member.wechat.unbind', entityType: 'member', entityId: memberId, changes: null })
    })
  }

  /** The chain's WeChat official account (its provider's settings), or 409 WECHAT_NOT_CONFIGURED. */
  const wechatAccount = async () => {
    const provider = await repo.findProvider(db, 'wechat')
    if (provider?.kind !== 'wechat_template') throw conflict('WECHAT_NOT_CONFIGURED', [{ field: 'wechat', reason: 'the chain has no WeChat official account set up (营销 → 渠道设置)' }])
    const s = settingsOf(provider)
    return { appId: String(s.appId), appSecret: String(s.appSecret), baseUrl: String(s.baseUrl ?? WECHAT_API).replace(/\/+$/, '') }
  }

  /**
   * Where the member's page sends the phone to learn its OpenID: WeChat's web authorisation of the
   * chain's official account (snsapi_base: silent), which comes back to `redirectUri` with a code
   * and the state.
   */
  const wechatAuthorizeUrl = async (redirectUri: string, state: string): Promise<string> => {
    const { appId } = await wechatAccount()
    return `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${encodeURIComponent(appId)}&redirect_uri=${encodeURIComponent(redirectUri)}`
      + `&response_type=code&scope=snsapi_base&state=${encodeURIComponent(state)}#wechat_redirect`
  }

  /** The OpenID behind an authorisation code, asked of WeChat with the account's secret (a code works once, for 5 minutes). */
  const wechatOpenidFromCode = async (code: string): Promise<string> => {
    const { appId, appSecret, baseUrl } = await wechatAccount()
    let answer: { openid?: unknown; errcode?: number; errmsg?: string }
    try {
      const url = `${baseUrl}/sns/oauth2/access_token?appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}&code=${encodeURIComponent(code)}&grant_type=authorization_code`
      answer = await (await fetch(url, { signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS) })).json() as typeof answer
    } catch {
      throw unprocessable('WECHAT_UNREACHABLE', [{ field: 'code', reason: 'WeChat did not answer: try again in a moment' }])
    }
    if (typeof answer.openid !== 'string' || answer.openid === '') {
      throw unprocessable('WECHAT_CODE_INVALID', [{ field: 'code', reason: `WeChat refused the code (${answer.errcode ?? '?'}): open the page from the official account again` }])
    }
    return answer.openid
  }

  return {
    listProviders, putProvider, testSend, deliver, retryDue, listMessages, getMessage, receipt, wechatEcho, bindChannelIds, wechatOpenidOf, bindWechat, unbindWechat, wechatAuthorizeUrl, wechatOpenidFromCode,
    consentedMembers: (trx: Trx | null, channel: Channel, memberIds: readonly string[]) => consentedMembers(trx ?? db, channel, memberIds),
    unsubscribeUrl, inbound, unsubscribePage, unsubscribe, recordOpen, followLink,
  }
}

export type ChannelsService = ReturnType<typeof createChannelsService>
