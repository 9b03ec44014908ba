import { timingSafeEqual } from 'node:crypto'
import type { Keyring } from '../../shared/pii.js'
import { isValidCardNo } from './member-rules.js'

// The electronic member card's QR (issue 17 §2): the card number, when the code stops working
// and a keyed signature over both. The member's page shows a new one every minute, so a
// screenshot someone else keeps is refused at the till a minute later.

/** How long a card QR works after it is made (the page asks for the next one before). */
export const CARD_QR_TTL_MS = 60_000
const PREFIX = 'PM1'
const SIG_CHARS = 16

const signature = (keyring: Pick<Keyring, 'blindIndex'>, cardNo: string, expires: number) =>
  keyring.blindIndex('member_card_qr', `${cardNo}:${expires}`).slice(0, SIG_CHARS)

/** A card QR for now: `PM1:<card>:<expiry, epoch seconds>:<signature>`. */
export const cardQrToken = (keyring: Pick<Keyring, 'blindIndex'>, cardNo: string, now: Date): { token: string; expiresAt: string } => {
  const expires = Math.floor((now.getTime() + CARD_QR_TTL_MS) / 1000)
  return { token: `${PREFIX}:${cardNo}:${expires}:${signature(keyring, cardNo, expires)}`, expiresAt: new Date(expires * 1000).toISOString() }
}

export const looksLikeCardQr = (text: string): boolean => text.trim().startsWith(`${PREFIX}:`)

/** The card a QR names, or why it is refused: not one of ours (or altered), or expired. */
export const readCardQr = (keyring: Pick<Keyring, 'blindIndex'>, token: string, now: Date): { cardNo: string } | { problem: 'invalid' | 'expired' } => {
  const parts = token.trim().split(':')
  if (parts.length !== 4 || parts[0] !== PREFIX) return { problem: 'invalid' }
  const [, cardNo, exp, sig] = parts as [string, string, string, string]
  if (!isValidCardNo(cardNo) || !/^\d{1,12}$/.test(exp)) return { problem: 'invalid' }
  const expected = Buffer.from(signature(keyring, cardNo, Number(exp)))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'invalid' }
  if (Number(exp) * 1000 <= now.getTime()) return { problem: 'expired' }
  return { cardNo }
}
