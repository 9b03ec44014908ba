import type { ErrorDetail } from '../../../shared/errors.js'
import { ALIYUN_SMS_ENDPOINT } from './aliyun-sms.adapter.js'
import type { Channel, ProviderKind } from './channels.table.js'
import { WECHAT_API } from './wechat-template.adapter.js'

// What each provider kind is configured with, checked without I/O. Secret fields are stored
// encrypted and never returned; an update that leaves one out keeps the stored value.

type FieldType = 'string' | 'url' | 'port' | 'boolean' | 'email' | 'choice'
interface Field { name: string; type: FieldType; required: boolean; secret?: true; default?: string | number | boolean | null; max?: number; choices?: readonly string[] }

export const KINDS_OF: Record<Channel, readonly ProviderKind[]> = {
  sms: ['sandbox', 'aliyun_sms', 'webhook_sms'],
  email: ['sandbox', 'smtp'],
  wechat: ['sandbox', 'wechat_template'],
  push: ['sandbox', 'http_push'],
}

export const FIELDS: Record<ProviderKind, readonly Field[]> = {
  sandbox: [],
  smtp: [
    { name: 'host', type: 'string', required: true, max: 253 },
    { name: 'port', type: 'port', required: false, default: 587 },
    { name: 'secure', type: 'boolean', required: false, default: false },
    { name: 'username', type: 'string', required: false, default: null, max: 200 },
    { name: 'password', type: 'string', required: false, secret: true, max: 500 },
    { name: 'from', type: 'email', required: true, max: 254 },
  ],
  aliyun_sms: [
    { name: 'endpoint', type: 'url', required: false, default: ALIYUN_SMS_ENDPOINT },
    { name: 'accessKeyId', type: 'string', required: true, max: 100 },
    { name: 'accessKeySecret', type: 'string', required: true, secret: true, max: 200 },
    { name: 'signName', type: 'string', required: true, max: 40 },
    { name: 'templateCode', type: 'string', required: true, max: 40 },
    // Alibaba's delivery reports (HTTP batch push) carry no signature: this token in the callback's URL proves them.
    { name: 'receiptToken', type: 'string', required: false, secret: true, max: 200 },
  ],
  webhook_sms: [
    { name: 'url', type: 'url', required: true },
    { name: 'secret', type: 'string', required: true, secret: true, max: 500 },
    { name: 'signName', type: 'string', required: false, default: null, max: 40 },
  ],
  wechat_template: [
    { name: 'baseUrl', type: 'url', required: false, default: WECHAT_API },
    { name: 'appId', type: 'string', required: true, max: 64 },
    { name: 'appSecret', type: 'string', required: true, secret: true, max: 200 },
    { name: 'templateId', type: 'string', required: true, max: 128 },
    { name: 'url', type: 'url', required: false, default: null },
    { name: 'messageType', type: 'choice', choices: ['template', 'subscribe'], required: false, default: 'template' },
    // The Token of the 公众号's server configuration: WeChat signs its pushes (send results) with it.
    { name: 'receiptToken', type: 'string', required: false, secret: true, max: 32 },
  ],
  http_push: [
    { name: 'url', type: 'url', required: true },
    { name: 'token', type: 'string', required: true, secret: true, max: 500 },
  ],
}

export const secretFields = (kind: ProviderKind): string[] => FIELDS[kind].filter((f) => f.secret).map((f) => f.name)

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

const checkValue = (f: Field, v: unknown): string | null => {
  switch (f.type) {
    case 'boolean': return typeof v === 'boolean' ? null : 'a boolean'
    case 'port': return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? null : 'a port number (1–65535)'
    case 'choice': return typeof v === 'string' && f.choices!.includes(v) ? null : `one of ${f.choices!.join(', ')}`
    default: {
      if (typeof v !== 'string') return 'a string'
      if (!v.trim()) return 'empty'
      if (v.length > (f.max ?? 2000)) return `at most ${f.max ?? 2000} characters`
      if (f.type === 'url') {
        try {
          const u = new URL(v)
          if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'an http(s) URL'
        } catch {
          return 'an http(s) URL'
        }
      }
      if (f.type === 'email' && !EMAIL.test(v.replace(/^.*<(.+)>\s*$/, '$1'))) return 'an email address (or "Name <address>")'
      return null
    }
  }
}

/**
 * The settings to store for `kind` on `channel`: the input checked field by field, secrets left
 * out of the input taken from `stored` (same kind only); problems as `settings.<field>` details.
 * Secrets come back in clear here: the service encrypts them.
 */
export const checkSettings = (channel: Channel, kind: ProviderKind, input: Record<string, unknown>, stored: Record<string, unknown> | null): { settings: Record<string, unknown>; details: ErrorDetail[] } => {
  const details: ErrorDetail[] = []
  if (!KINDS_OF[channel].includes(kind)) {
    return { settings: {}, details: [{ field: 'kind', reason: `a ${channel} provider is one of ${KINDS_OF[channel].join(', ')}` }] }
  }
  const known = new Set(FIELDS[kind].map((f) => f.name))
  for (const k of Object.keys(input)) if (!known.has(k)) details.push({ field: `settings.${k}`, reason: `not a setting of ${kind}` })
  const settings: Record<string, unknown> = {}
  for (const f of FIELDS[kind]) {
    let v = input[f.name]
    if (typeof v === 'string') v = v.trim()
    if ((v === undefined || v === null || v === '') && f.secret && stored?.[f.name] !== undefined && stored[f.name] !== null) v = stored[f.name]
    if (v === undefined || v === null || v === '') {
      if (f.required) details.push({ field: `settings.${f.name}`, reason: 'required' })
      else settings[f.name] = f.default ?? null
      continue
    }
    const problem = checkValue(f, v)
    if (problem) details.push({ field: `settings.${f.name}`, reason: `must be ${problem}`.replace('must be empty', 'empty') })
    else settings[f.name] = v
  }
  return { settings, details }
}

/** Checks a recipient for a channel; the normalised value, or why not. */
export const checkRecipient = (channel: Channel, to: string, normalizePhone: (raw: string) => string | null): { to: string } | { reason: string } => {
  const v = to.trim()
  if (channel === 'sms') {
    const p = normalizePhone(v)
    return p ? { to: p } : { reason: 'not a mainland China mobile number' }
  }
  if (channel === 'email') return EMAIL.test(v) && v.length <= 254 ? { to: v.toLowerCase() } : { reason: 'not an email address' }
  if (channel === 'wechat') return /^[A-Za-z0-9_-]{6,64}$/.test(v) ? { to: v } : { reason: 'not a WeChat OpenID' }
  return v.length >= 1 && v.length <= 512 && !/\s/.test(v) ? { to: v } : { reason: 'not a push token' }
}
