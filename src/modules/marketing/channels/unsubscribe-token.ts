import { timingSafeEqual } from 'node:crypto'
import type { Keyring } from '../../../shared/pii.js'
import { CHANNELS, type Channel } from './channels.table.js'

// The token of an unsubscribe link: which member and channel, signed with the Keyring's index
// key (an HMAC that never rotates, so a link in an old email keeps working). Nothing is stored;
// without the key no token can be made for another member.

const signature = (keyring: Keyring, channel: Channel, memberId: string) => keyring.blindIndex('unsubscribe_link', `${channel}:${memberId}`)

export const unsubscribeToken = (keyring: Keyring, memberId: string, channel: Channel): string =>
  `${Buffer.from(`${channel}:${memberId}`).toString('base64url')}.${signature(keyring, channel, memberId)}`

/** The member and channel a token names, or null when it is not one Patron signed. */
export const readUnsubscribeToken = (keyring: Keyring, token: string): { memberId: string; channel: Channel } | null => {
  const [payload, sig, ...rest] = token.split('.')
  if (!payload || !sig || rest.length) return null
  const m = /^([a-z]+):([a-z]{3}_[0-9a-z]{1,60})$/.exec(Buffer.from(payload, 'base64url').toString('utf8'))
  const channel = CHANNELS.find((c) => c === m?.[1])
  if (!m || !channel) return null
  const expected = Buffer.from(signature(keyring, channel, m[2]!))
  const given = Buffer.from(sig)
  return expected.length === given.length && timingSafeEqual(expected, given) ? { memberId: m[2]!, channel } : null
}
