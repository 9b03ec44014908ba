import type { ErrorDetail } from '../../../shared/errors.js'
import { beijing, isObject, MAX_RECEIPTS, str } from './receipts.js'

// Inbound SMS (members' replies, the providers' uplink callbacks) read into one shape, without
// I/O. As with receipts, a malformed callback gives its problems as field and reason and none of
// it is applied.

export interface Reply {
  /** the number as the provider gives it (normalised where it is matched to members) */
  from: string
  text: string
  /** when the member sent it, ISO-8601 UTC, if the provider says */
  at: string | null
}

export type ParsedReplies = { replies: Reply[]; details: ErrorDetail[] }

const MAX_TEXT = 1000
const text = (v: unknown) => (typeof v === 'string' && v.length <= MAX_TEXT ? v : null)

/**
 * Alibaba Cloud SMS replies by HTTP batch push (SmsUp): a JSON array of
 * { phone_number, send_time, content, sign_name, dest_code, sequence_id }.
 */
export const parseAliyunReplies = (body: unknown): ParsedReplies => {
  if (!Array.isArray(body)) return { replies: [], details: [{ field: 'body', reason: 'an array of replies' }] }
  if (body.length === 0 || body.length > MAX_RECEIPTS) return { replies: [], details: [{ field: 'body', reason: `1 to ${MAX_RECEIPTS} replies` }] }
  const details: ErrorDetail[] = []
  const replies: Reply[] = []
  body.forEach((r, i) => {
    if (!isObject(r)) return details.push({ field: `${i}`, reason: 'a reply object' })
    const from = str(r.phone_number, 40)
    if (!from) details.push({ field: `${i}.phone_number`, reason: "required: the member's number" })
    const content = text(r.content)
    if (content === null) details.push({ field: `${i}.content`, reason: `required: the text (at most ${MAX_TEXT} characters)` })
    if (r.send_time !== undefined && beijing(r.send_time) === null) details.push({ field: `${i}.send_time`, reason: 'yyyy-MM-dd HH:mm:ss' })
    if (from && content !== null) replies.push({ from, text: content, at: beijing(r.send_time) })
  })
  return { replies, details }
}

/** Patron's own reply shape (webhook SMS gateways): { from, text, at? }, or an array of them. */
export const parseSignedReplies = (body: unknown): ParsedReplies => {
  const single = isObject(body)
  if (!single && !Array.isArray(body)) return { replies: [], details: [{ field: 'body', reason: 'a reply { from, text, at? } or an array of them' }] }
  const list: unknown[] = single ? [body] : (body as unknown[])
  if (list.length === 0 || list.length > MAX_RECEIPTS) return { replies: [], details: [{ field: 'body', reason: `1 to ${MAX_RECEIPTS} replies` }] }
  const details: ErrorDetail[] = []
  const replies: Reply[] = []
  list.forEach((r, i) => {
    const at = single ? '' : `${i}.`
    if (!isObject(r)) return details.push({ field: `${i}`, reason: 'a reply object' })
    const from = str(r.from, 40)
    if (!from) details.push({ field: `${at}from`, reason: "required: the member's number" })
    const content = text(r.text)
    if (content === null) details.push({ field: `${at}text`, reason: `required: the text (at most ${MAX_TEXT} characters)` })
    let sent: string | null = null
    if (r.at !== undefined && r.at !== null) {
      const d = typeof r.at === 'string' ? new Date(r.at) : null
      if (!d || Number.isNaN(d.getTime())) details.push({ field: `${at}at`, reason: 'an ISO-8601 time' })
      else sent = d.toISOString()
    }
    if (from && content !== null) replies.push({ from, text: content, at: sent })
  })
  return { replies, details }
}
