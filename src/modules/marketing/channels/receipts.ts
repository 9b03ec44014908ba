import type { ErrorDetail } from '../../../shared/errors.js'

// Delivery receipts (provider callbacks) read into one shape, without I/O. A malformed callback
// gives its problems as field and reason, and nothing of it is applied.

export interface Receipt {
  providerMessageId: string
  status: 'delivered' | 'failed' | 'bounced'
  error: string | null
  /** when the provider saw it, ISO-8601 UTC, if it says */
  at: string | null
}

export type Parsed = { receipts: Receipt[]; details: ErrorDetail[] }

export const MAX_RECEIPTS = 1000
export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
export const str = (v: unknown, max = 200) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null)

/** Alibaba's report times are Beijing time, "yyyy-MM-dd HH:mm:ss". */
export const beijing = (v: unknown): string | null => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v)) return null
  const d = new Date(`${v.replace(' ', 'T')}+08:00`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/**
 * Alibaba Cloud SMS delivery reports by HTTP batch push (SmsReport): a JSON array of
 * { phone_number, send_time, report_time, success, err_code, err_msg, sms_size, biz_id, out_id }.
 */
export const parseAliyunReports = (body: unknown): Parsed => {
  const details: ErrorDetail[] = []
  if (!Array.isArray(body)) return { receipts: [], details: [{ field: 'body', reason: 'an array of reports' }] }
  if (body.length === 0) return { receipts: [], details: [{ field: 'body', reason: 'no reports' }] }
  if (body.length > MAX_RECEIPTS) return { receipts: [], details: [{ field: 'body', reason: `at most ${MAX_RECEIPTS} reports` }] }
  const receipts: Receipt[] = []
  body.forEach((r, i) => {
    if (!isObject(r)) return details.push({ field: `${i}`, reason: 'a report object' })
    const id = str(r.biz_id)
    if (!id) details.push({ field: `${i}.biz_id`, reason: 'required: the BizId SendSms answered' })
    if (typeof r.success !== 'boolean') details.push({ field: `${i}.success`, reason: 'a boolean' })
    if (r.report_time !== undefined && beijing(r.report_time) === null) details.push({ field: `${i}.report_time`, reason: 'yyyy-MM-dd HH:mm:ss' })
    if (id && typeof r.success === 'boolean') {
      receipts.push({
        providerMessageId: id, status: r.success ? 'delivered' : 'failed',
        error: r.success ? null : [str(r.err_code, 100), str(r.err_msg, 200)].filter(Boolean).join(': ') || 'failed', at: beijing(r.report_time),
      })
    }
  })
  return { receipts, details }
}

const STATUSES = ['delivered', 'failed', 'bounced'] as const

/** Patron's own receipt shape (webhook SMS gateways, push providers): { receipts: [{ messageId, status, error?, at? }] }. */
export const parseSignedReceipts = (body: unknown): Parsed => {
  const details: ErrorDetail[] = []
  if (!isObject(body) || !Array.isArray(body.receipts)) return { receipts: [], details: [{ field: 'receipts', reason: 'required: an array' }] }
  const list = body.receipts as unknown[]
  if (list.length === 0 || list.length > MAX_RECEIPTS) return { receipts: [], details: [{ field: 'receipts', reason: `1 to ${MAX_RECEIPTS} receipts` }] }
  const receipts: Receipt[] = []
  list.forEach((r, i) => {
    if (!isObject(r)) return details.push({ field: `receipts.${i}`, reason: 'a receipt object' })
    const id = str(r.messageId)
    if (!id) details.push({ field: `receipts.${i}.messageId`, reason: 'required: the id the provider answered' })
    const status = STATUSES.find((s) => s === r.status)
    if (!status) details.push({ field: `receipts.${i}.status`, reason: `one of ${STATUSES.join(', ')}` })
    let at: string | null = null
    if (r.at !== undefined && r.at !== null) {
      const d = typeof r.at === 'string' ? new Date(r.at) : null
      if (!d || Number.isNaN(d.getTime())) details.push({ field: `receipts.${i}.at`, reason: 'an ISO-8601 time' })
      else at = d.toISOString()
    }
    if (r.error !== undefined && r.error !== null && typeof r.error !== 'string') details.push({ field: `receipts.${i}.error`, reason: 'a string' })
    if (id && status) receipts.push({ providerMessageId: id, status, error: status === 'delivered' ? null : (typeof r.error === 'string' ? r.error.slice(0, 500) : status), at })
  })
  return { receipts, details }
}

/** The text of an element of a WeChat XML message (CDATA or plain), or null. */
const xmlText = (xml: string, name: string): string | null => {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`).exec(xml)
  return m ? (m[1] ?? m[2] ?? '').trim() : null
}

/** A WeChat push: a template message's receipt, or the OpenID of a follower who unfollowed the 公众号. */
export type WechatParsed = Parsed & { unfollowed: string | null }

/**
 * A WeChat server push (plaintext mode): the TEMPLATESENDJOBFINISH event of a template message,
 * <xml>…<MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event><MsgID>…</MsgID><Status>success</Status></xml>,
 * or the unsubscribe event of a follower who unfollowed (<Event>unsubscribe</Event>, the OpenID in
 * FromUserName). Other events the 公众号 pushes to the same URL are neither: read as none, not refused.
 */
export const parseWechatEvent = (body: unknown): WechatParsed => {
  const none = { receipts: [], unfollowed: null }
  if (typeof body !== 'string' || !/^\s*<xml>[\s\S]*<\/xml>\s*$/.test(body)) return { ...none, details: [{ field: 'body', reason: 'a WeChat XML message' }] }
  const type = xmlText(body, 'MsgType')
  if (!type) return { ...none, details: [{ field: 'MsgType', reason: 'required' }] }
  const event = type === 'event' ? xmlText(body, 'Event') : null
  if (event === 'unsubscribe') {
    const openid = xmlText(body, 'FromUserName')
    if (!openid || !/^[A-Za-z0-9_-]{6,64}$/.test(openid)) return { ...none, details: [{ field: 'FromUserName', reason: "required: the follower's OpenID" }] }
    return { ...none, unfollowed: openid, details: [] }
  }
  if (event !== 'TEMPLATESENDJOBFINISH') return { ...none, details: [] }
  const details: ErrorDetail[] = []
  const id = xmlText(body, 'MsgID')
  if (!id || !/^\d{1,30}$/.test(id)) details.push({ field: 'MsgID', reason: 'required: the msgid the send answered' })
  const status = xmlText(body, 'Status')
  if (!status || (status !== 'success' && !status.startsWith('failed'))) details.push({ field: 'Status', reason: 'success or failed:…' })
  const created = Number(xmlText(body, 'CreateTime'))
  if (details.length) return { ...none, details }
  return {
    unfollowed: null,
    receipts: [{
      providerMessageId: id!, status: status === 'success' ? 'delivered' : 'failed', error: status === 'success' ? null : status!.slice(0, 200),
      at: Number.isInteger(created) && created > 0 && created < 1e11 ? new Date(created * 1000).toISOString() : null,
    }],
    details: [],
  }
}
