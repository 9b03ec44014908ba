import { createHmac } from 'node:crypto'
import { DEFAULT_TIMEOUT_MS, failure, postJson, type ChannelAdapter } from './channel.js'

export interface WebhookSmsSettings {
  url: string
  /** signs each request (and the provider's receipts): X-Patron-Signature: sha256=<hex HMAC of the body> */
  secret: string
  signName: string | null
}

export const SIGNATURE_HEADER = 'x-patron-signature'

export const hmacSignature = (secret: string, body: string | Buffer): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

/**
 * A generic SMS gateway: POST { id, to, text, template, params } as JSON, signed with HMAC-SHA256;
 * the answer is 2xx with { messageId }.
 */
export const webhookSmsAdapter = (s: WebhookSmsSettings, options: { timeoutMs?: number } = {}): ChannelAdapter => ({
  kind: 'webhook_sms',
  send: async (m) => {
    // A message from a template is signed already (the chain's signature setting): never twice.
    const payload = { id: m.id, to: m.to, text: s.signName && !m.body.startsWith('【') ? `【${s.signName}】${m.body}` : m.body, template: m.templateCode, params: m.params }
    const body = JSON.stringify(payload)
    const res = await postJson(s.url, payload, { [SIGNATURE_HEADER]: hmacSignature(s.secret, body) }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    if (!res.ok) return res.result
    const id = (res.json as { messageId?: unknown } | null)?.messageId
    return typeof id === 'string' && id ? { ok: true, providerMessageId: id } : failure(false, 'the gateway answered without a messageId')
  },
})
