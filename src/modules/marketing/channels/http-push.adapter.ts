import { DEFAULT_TIMEOUT_MS, failure, postJson, type ChannelAdapter } from './channel.js'

export interface HttpPushSettings {
  url: string
  /** sent as Authorization: Bearer …; also the key of the provider's signed receipts */
  token: string
}

/** A generic HTTPS push provider: POST { id, token, title, body, data } with a bearer token; 2xx with { id }. */
export const httpPushAdapter = (s: HttpPushSettings, options: { timeoutMs?: number } = {}): ChannelAdapter => ({
  kind: 'http_push',
  send: async (m) => {
    const res = await postJson(s.url, { id: m.id, token: m.to, title: m.subject, body: m.body, data: m.params }, { authorization: `Bearer ${s.token}` }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    if (!res.ok) return res.result
    const id = (res.json as { id?: unknown } | null)?.id
    return typeof id === 'string' && id ? { ok: true, providerMessageId: id } : failure(false, 'the push provider answered without an id')
  },
})
