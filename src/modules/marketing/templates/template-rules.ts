import Mustache from 'mustache'
import type { ErrorDetail } from '../../../shared/errors.js'
import type { Channel, MessagePurpose } from '../channels/channels.table.js'

/**
 * What a message template may say about its member, filled at send time ({{name}} in the text).
 * A value Patron does not have for a member (no coupon in this send, no recommendation yet)
 * renders empty; the preview lists it as missing.
 */
export const VARIABLES = [
  'memberName', 'cardNo', 'pointsBalance', 'expiringPoints', 'expiringDate', 'tier',
  'couponName', 'couponValue', 'couponCode', 'couponValidUntil', 'storeName', 'recommendation',
] as const
export type Variable = (typeof VARIABLES)[number]
export type Values = Partial<Record<Variable, string>>

/** A template's text: at most this many characters (an SMS of 10 parts; an email's body). */
export const MAX_BODY = { sms: 670, email: 20_000, wechat: 2_000, push: 500 } as const satisfies Record<Channel, number>
export const MAX_SUBJECT = 200

/**
 * Chinese SMS providers (Alibaba Cloud, Tencent Cloud) count every character alike — a Chinese
 * character, a letter, a digit, a space, a punctuation mark — and the signature 【…】 with them:
 * up to 70 is one message; a longer text goes as parts of 67 each (the rest carries the part
 * header), billed per part.
 */
export const SMS_SINGLE = 70
export const SMS_PART = 67

/** The characters of a text as a phone counts them (code points: an emoji is one, not two). */
export const smsLength = (text: string): number => [...text].length

/** How many billed messages a text of `length` characters goes out as (0 for nothing). */
export const smsSegments = (length: number): number => (length === 0 ? 0 : length <= SMS_SINGLE ? 1 : Math.ceil(length / SMS_PART))

/** What a marketing SMS ends with so that the member can refuse more (the provider's reply keyword). */
export const SMS_UNSUBSCRIBE = { 'zh-CN': '回T退订', 'en-US': 'Reply T to unsubscribe' } as const
export type Lang = keyof typeof SMS_UNSUBSCRIBE

/** The variables a text uses, or why it cannot be a template (an unknown name, a section, a broken tag). */
export const parseTemplate = (text: string, field: string): { variables: Variable[] } | { problems: ErrorDetail[] } => {
  let tokens: unknown[]
  try {
    tokens = Mustache.parse(text)
  } catch (e) {
    return { problems: [{ field, reason: `not a template: ${(e as Error).message}` }] }
  }
  const used = new Set<Variable>()
  const problems: ErrorDetail[] = []
  for (const token of tokens as Array<[string, string]>) {
    const [kind, name] = token
    if (kind === 'text') continue
    if (kind !== 'name' && kind !== '&') {
      problems.push({ field, reason: `{{${kind}${name}}}: only {{variable}} is allowed` })
      continue
    }
    if ((VARIABLES as readonly string[]).includes(name)) used.add(name as Variable)
    else problems.push({ field, reason: `unknown variable {{${name}}}; known: ${VARIABLES.join(', ')}` })
  }
  return problems.length > 0 ? { problems } : { variables: VARIABLES.filter((v) => used.has(v)) }
}

/** The text with its variables filled, nothing escaped (an SMS, a WeChat message and a push are plain text). */
export const fill = (text: string, values: Values): string =>
  Mustache.render(text, values, undefined, { escape: (v: unknown) => String(v) })

/**
 * An SMS as the member's phone shows it: the chain's signature first (【签名】, as the provider
 * adds it), the text, and for marketing the unsubscribe words.
 */
export const smsText = (body: string, signature: string, purpose: MessagePurpose, lang: Lang): string => {
  const signed = signature ? `【${signature}】${body}` : body
  return purpose === 'marketing' ? `${signed}${lang === 'zh-CN' ? '' : ' '}${SMS_UNSUBSCRIBE[lang]}` : signed
}

/** A signature as providers accept it: 2 to 12 characters, no brackets (they add 【】 themselves). */
export const signatureProblem = (signature: string): string | null => {
  const n = smsLength(signature)
  if (n < 2 || n > 12) return 'from 2 to 12 characters'
  if (/[【】[\]]/.test(signature)) return 'without brackets: the provider adds 【】'
  return null
}

/** Fen as yuan in a message: 1000 → "10", 1050 → "10.5", 1005 → "10.05". */
export const yuanText = (fen: number): string => (fen / 100).toFixed(2).replace(/\.?0+$/, '')

/**
 * A coupon's face as a message names it ({{couponValue}}): 10元, 满100减20, 9折 (10% off),
 * 2倍积分, 赠品 — in the member's language.
 */
export const couponFace = (t: { kind: 'amount' | 'percent' | 'threshold' | 'free_item' | 'points_multiplier'; value: number; minSpend: number }, lang: Lang): string => {
  const zh = lang === 'zh-CN'
  switch (t.kind) {
    case 'amount': return zh ? `${yuanText(t.value)}元` : `¥${yuanText(t.value)}`
    case 'threshold': return zh ? `满${yuanText(t.minSpend)}减${yuanText(t.value)}` : `¥${yuanText(t.value)} off ¥${yuanText(t.minSpend)}`
    case 'percent': return zh ? `${String((100 - t.value) / 10)}折` : `${t.value}% off`
    case 'points_multiplier': return zh ? `${String(t.value / 100)}倍积分` : `${String(t.value / 100)}× points`
    case 'free_item': return zh ? `赠品${t.value > 1 ? ` ×${t.value}` : ''}` : `free item${t.value > 1 ? ` ×${t.value}` : ''}`
  }
}
