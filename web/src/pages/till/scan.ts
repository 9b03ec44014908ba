import { lookupKey } from '../../shared/lookup-key.js'

export type ScanKey = { cardNo: string } | { phone: string } | { qrToken: string }

/** The member page's card QR: signed, and new every minute (the server checks both). */
export const CARD_QR_PREFIX = 'PM1:'

/** What a member QR code holds: `PATRON:` and the card number. */
export const QR_PREFIX = 'PATRON:'

/**
 * What the cashier typed or scanned at the till: a member QR payload or a card number is a card,
 * a mobile number a phone (the member search's shapes, lookupKey); anything else, an ID number
 * or an email included, is null. The server checks the card's check digit and the phone's prefix.
 */
export const parseScan = (raw: string): ScanKey | null => {
  const text = raw.trim()
  if (text.toUpperCase().startsWith(CARD_QR_PREFIX)) return { qrToken: `${CARD_QR_PREFIX}${text.slice(CARD_QR_PREFIX.length)}` }
  const qr = text.toUpperCase().startsWith(QR_PREFIX)
  const key = lookupKey(qr ? text.slice(QR_PREFIX.length) : text)
  if (key && 'cardNo' in key) return key
  return key && 'phone' in key && !qr ? key : null
}
