import type { Channel, ProviderKind } from './channels.table.js'

/** One message as an adapter sends it: the recipient in clear (phone, address, OpenID or push token). */
export interface OutboundMessage {
  id: string
  channel: Channel
  to: string
  subject: string | null
  body: string
  /** the provider's template (Alibaba's TemplateCode, WeChat's template_id); else the provider's default */
  templateCode: string | null
  params: Record<string, string> | null
  /** a marketing email's one-click unsubscribe URL (RFC 8058): sent as its List-Unsubscribe header */
  unsubscribeUrl?: string | null
  /** a tracked marketing email's HTML part (its links through Patron, an open pixel): sent beside the text */
  html?: string | null
}

export type SendResult =
  | { ok: true; providerMessageId: string; /** the sandbox delivers at once; real providers confirm by receipt */ delivered?: boolean }
  | { ok: false; retryable: boolean; error: string }

/** One adapter per provider kind, behind one interface. */
export interface ChannelAdapter {
  readonly kind: ProviderKind
  send(message: OutboundMessage): Promise<SendResult>
}

/** How long a provider's HTTP call may take before it counts as a retryable failure. */
export const DEFAULT_TIMEOUT_MS = 10_000

export const failure = (retryable: boolean, error: string): SendResult => ({ ok: false, retryable, error: error.slice(0, 500) })

/** A network error or a timeout of fetch: worth a retry. */
export const networkFailure = (e: unknown): SendResult => {
  const err = e as { name?: string; message?: string; cause?: { code?: string } }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return failure(true, 'timed out')
  return failure(true, `network: ${err.cause?.code ?? err.message ?? String(e)}`)
}

/** A provider's HTTP status: 5xx and 429 are the provider's trouble (retry), other 4xx ours (do not). */
export const httpFailure = (status: number, text: string): SendResult =>
  failure(status >= 500 || status === 429 || status === 408, `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`)

/** POSTs JSON with a timeout; the parsed answer, or the failure to record. */
export const postJson = async (url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<{ ok: true; status: number; json: unknown } | { ok: false; result: SendResult }> => {
  const text = JSON.stringify(body)
  let res: Response
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text, signal: AbortSignal.timeout(timeoutMs) })
  } catch (e) {
    return { ok: false, result: networkFailure(e) }
  }
  let answer: string
  try {
    answer = await res.text()
  } catch (e) {
    return { ok: false, result: networkFailure(e) }
  }
  if (!res.ok) return { ok: false, result: httpFailure(res.status, answer) }
  try {
    return { ok: true, status: res.status, json: answer ? JSON.parse(answer) : null }
  } catch {
    return { ok: false, result: failure(true, `HTTP ${res.status}: not JSON`) }
  }
}
