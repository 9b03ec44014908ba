import { DEFAULT_TIMEOUT_MS, failure, networkFailure, postJson, type ChannelAdapter, type SendResult } from './channel.js'

export interface WechatTemplateSettings {
  /** https://api.weixin.qq.com unless pointed elsewhere (tests: a local server) */
  baseUrl: string
  appId: string
  appSecret: string
  /** the default template_id when a message names none */
  templateId: string
  /** where tapping the message leads, if anywhere */
  url: string | null
  /**
   * template: 模板消息 (/cgi-bin/message/template/send, answers a msgid, its result pushed later);
   * subscribe: 订阅通知 to members who subscribed (/cgi-bin/message/subscribe/bizsend, no msgid)
   */
  messageType: 'template' | 'subscribe'
}

export const WECHAT_API = 'https://api.weixin.qq.com'

/** Access tokens by app, shared by the adapters of one process (WeChat limits how often one is fetched). */
export type WechatTokenCache = Map<string, { token: string; expiresAt: number }>

// WeChat's errcodes worth a retry: system busy, and a token expired or revoked meanwhile (fetched anew).
const RETRYABLE = new Set([-1, 40001, 40014, 42001, 45009, 45047])
const TOKEN_ERRORS = new Set([40001, 40014, 42001])

/** 公众号 template messages or subscription notices to a member's OpenID. */
export const wechatTemplateAdapter = (s: WechatTemplateSettings, options: { timeoutMs?: number; tokens?: WechatTokenCache; now?: () => number } = {}): ChannelAdapter => {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const tokens = options.tokens ?? new Map()
  const now = options.now ?? Date.now
  const base = s.baseUrl.replace(/\/+$/, '')
  const cacheKey = `${base}|${s.appId}`

  const accessToken = async (): Promise<{ ok: true; token: string } | { ok: false; result: SendResult }> => {
    const cached = tokens.get(cacheKey)
    if (cached && cached.expiresAt > now()) return { ok: true, token: cached.token }
    let json: { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }
    try {
      const url = `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(s.appId)}&secret=${encodeURIComponent(s.appSecret)}`
      const res = await fetch(url, { signal: AbortSignal.timeout(timeout) })
      if (!res.ok) return { ok: false, result: failure(res.status >= 500, `token: HTTP ${res.status}`) }
      json = await res.json() as typeof json
    } catch (e) {
      return { ok: false, result: networkFailure(e) }
    }
    if (!json.access_token) return { ok: false, result: failure(json.errcode === -1, `token: ${json.errcode ?? '?'} ${json.errmsg ?? ''}`) }
    // A few minutes' margin before WeChat's expiry (7,200 s).
    tokens.set(cacheKey, { token: json.access_token, expiresAt: now() + Math.max(0, (json.expires_in ?? 7200) - 300) * 1000 })
    return { ok: true, token: json.access_token }
  }

  return {
    kind: 'wechat_template',
    send: async (m) => {
      const token = await accessToken()
      if (!token.ok) return token.result
      const data = Object.fromEntries(Object.entries(m.params ?? { content: m.body }).map(([k, v]) => [k, { value: v }]))
      const subscribe = s.messageType === 'subscribe'
      const payload = subscribe
        ? { touser: m.to, template_id: m.templateCode ?? s.templateId, ...(s.url ? { page: s.url } : {}), data }
        : { touser: m.to, template_id: m.templateCode ?? s.templateId, ...(s.url ? { url: s.url } : {}), data, client_msg_id: m.id }
      const path = subscribe ? '/cgi-bin/message/subscribe/bizsend' : '/cgi-bin/message/template/send'
      const res = await postJson(`${base}${path}?access_token=${encodeURIComponent(token.token)}`, payload, {}, timeout)
      if (!res.ok) return res.result
      const answer = res.json as { errcode?: number; errmsg?: string; msgid?: number | string } | null
      // A subscription notice has no msgid (and no result push): the log's own id stands for it.
      if (answer?.errcode === 0 && subscribe) return { ok: true, providerMessageId: `wx-${m.id}` }
      if (answer?.errcode === 0 && answer.msgid !== undefined) return { ok: true, providerMessageId: String(answer.msgid) }
      if (answer?.errcode !== undefined && TOKEN_ERRORS.has(answer.errcode)) tokens.delete(cacheKey)
      return failure(answer?.errcode !== undefined && RETRYABLE.has(answer.errcode), `${answer?.errcode ?? '?'}: ${answer?.errmsg ?? 'no errcode in the answer'}`)
    },
  }
}
