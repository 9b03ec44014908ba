import { createHmac, randomUUID } from 'node:crypto'
import { DEFAULT_TIMEOUT_MS, failure, httpFailure, networkFailure, type ChannelAdapter } from './channel.js'

export interface AliyunSmsSettings {
  /** https://dysmsapi.aliyuncs.com/ unless pointed elsewhere (tests: a local server) */
  endpoint: string
  accessKeyId: string
  accessKeySecret: string
  /** the approved signature, shown as 【…】 before the text */
  signName: string
  /** the default template (SMS_…) when a message names none */
  templateCode: string
}

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com/'

/**
 * RFC 3986 as Alibaba's RPC signature wants it: only A–Z a–z 0–9 - _ . ~ stay, a space is %20
 * (encodeURIComponent also leaves ! ' ( ) * alone, so those are encoded here).
 */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** Signature version 1.0, HMAC-SHA1 over METHOD&%2F&percentEncode(sorted, encoded parameters), keyed by secret + '&'. */
export const aliyunSignature = (method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string => {
  const canonical = Object.keys(params).sort().map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`).join('&')
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`
  return createHmac('sha1', `${accessKeySecret}&`).update(toSign).digest('base64')
}

// Codes worth a retry: flow control and the service's own trouble. The rest (an illegal number,
// a template not approved, a wrong key) fail the same way however often they are sent.
const RETRYABLE = new Set([
  'isv.BUSINESS_LIMIT_CONTROL', 'isv.DAY_LIMIT_CONTROL', 'isv.OUT_OF_SERVICE', 'isp.SYSTEM_ERROR', 'isp.RAM_PERMISSION_DENY',
  'Throttling', 'Throttling.User', 'Throttling.Api', 'ServiceUnavailable', 'InternalError', 'SignatureNonceUsed',
])

/** SendSms (API version 2017-05-25) of Alibaba Cloud SMS, by its documented RPC call. */
export const aliyunSmsAdapter = (s: AliyunSmsSettings, options: { timeoutMs?: number; now?: () => Date } = {}): ChannelAdapter => ({
  kind: 'aliyun_sms',
  send: async (m) => {
    const params: Record<string, string> = {
      AccessKeyId: s.accessKeyId, Action: 'SendSms', Format: 'JSON', RegionId: 'cn-hangzhou', SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(), SignatureVersion: '1.0', Timestamp: (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'), Version: '2017-05-25',
      PhoneNumbers: m.to, SignName: s.signName, TemplateCode: m.templateCode ?? s.templateCode, OutId: m.id,
    }
    if (m.params && Object.keys(m.params).length) params.TemplateParam = JSON.stringify(m.params)
    const signature = aliyunSignature('POST', params, s.accessKeySecret)
    const body = [...Object.entries(params), ['Signature', signature]].map(([k, v]) => `${percentEncode(k!)}=${percentEncode(v!)}`).join('&')
    let res: Response
    let text: string
    try {
      res = await fetch(s.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) })
      text = await res.text()
    } catch (e) {
      return networkFailure(e)
    }
    let answer: { Code?: string; Message?: string; BizId?: string } | null
    try {
      answer = JSON.parse(text) as { Code?: string; Message?: string; BizId?: string } | null
    } catch {
      answer = null
    }
    if (answer?.Code === 'OK' && answer.BizId) return { ok: true, providerMessageId: answer.BizId }
    if (answer?.Code) return failure(RETRYABLE.has(answer.Code) || res.status >= 500, `${answer.Code}: ${answer.Message ?? ''}`)
    return res.ok ? failure(true, `HTTP ${res.status}: no Code in the answer`) : httpFailure(res.status, text)
  },
})
