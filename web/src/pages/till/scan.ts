export type ScanKey = { cardNo: string } | { phone: string }

/** What a member QR code holds: `PATRON:` and the card number. */
export const QR_PREFIX = 'PATRON:'

/**
 * What the cashier typed or scanned at the till: a member QR payload or a bare 16-digit card
 * number is a card, 11 digits (with or without +86) a phone. null = none of these; the server
 * checks the card's check digit and the phone's prefix.
 */
export const parseScan = (raw: string): ScanKey | null => {
  const text = raw.trim()
  if (text.toUpperCase().startsWith(QR_PREFIX)) {
    const card = text.slice(QR_PREFIX.length).replace(/\s/g, '')
    return /^\d{16}$/.test(card) ? { cardNo: card } : null
  }
  const compact = text.replace(/[\s-]/g, '')
  if (/^\d{16}$/.test(compact)) return { cardNo: compact }
  const phone = compact.replace(/^(\+86|0086|86(?=\d{11}$))/, '')
  if (/^\d{11}$/.test(phone)) return { phone }
  return null
}
