import nodemailer from 'nodemailer'
import { DEFAULT_TIMEOUT_MS, failure, type ChannelAdapter } from './channel.js'

export interface SmtpSettings {
  host: string
  port: number
  /** TLS from the start (465); otherwise STARTTLS when the server offers it */
  secure: boolean
  username: string | null
  password: string | null
  from: string
}

// SMTP reply codes 4xx are temporary (greylisting, a full mailbox): worth a retry; 5xx are not.
const isTemporary = (e: { responseCode?: number; code?: string }) =>
  e.responseCode !== undefined ? e.responseCode >= 400 && e.responseCode < 500 : ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED'].includes(e.code ?? '') || e.code === undefined

/** Email over SMTP with nodemailer: the text, and with an HTML part when the message has one (multipart/alternative). */
export const smtpAdapter = (s: SmtpSettings, options: { timeoutMs?: number; allowSelfSigned?: boolean } = {}): ChannelAdapter => {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const transport = nodemailer.createTransport({
    host: s.host, port: s.port, secure: s.secure,
    auth: s.username ? { user: s.username, pass: s.password ?? '' } : undefined,
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    tls: options.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
  })
  return {
    kind: 'smtp',
    send: async (m) => {
      try {
        // Mail services show their own unsubscribe button for these, and Gmail and Yahoo require them of bulk senders.
        const headers = m.unsubscribeUrl ? { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined
        const info = await transport.sendMail({ from: s.from, to: m.to, subject: m.subject ?? '', text: m.body, html: m.html ?? undefined, messageId: `<${m.id}@patron>`, headers })
        if (info.rejected.length) return failure(false, `rejected: ${info.response}`)
        return { ok: true, providerMessageId: info.messageId }
      } catch (e) {
        const err = e as { responseCode?: number; code?: string; message?: string }
        return failure(isTemporary(err), `${err.code ?? 'SMTP'}${err.responseCode ? ` ${err.responseCode}` : ''}: ${err.message ?? String(e)}`)
      } finally {
        transport.close()
      }
    },
  }
}
