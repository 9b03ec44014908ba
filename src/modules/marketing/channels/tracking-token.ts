import { timingSafeEqual } from 'node:crypto'
import type { Keyring } from '../../../shared/pii.js'

// The tokens of a tracked email's links: an open (the pixel) names the message, a click the
// message and the index of the link among those stored on it. Signed with the Keyring's index key
// as unsubscribe links are, so nothing is stored and no token can be made for another message or
// link; the URL a click goes to is always the one stored on the message, never one in the token.

export type TrackingTarget = { kind: 'open'; messageId: string } | { kind: 'click'; messageId: string; link: number }

// 192 bits of the HMAC are plenty, and keep a click's token (about 80 characters) well inside the
// 100 characters the router takes for a path parameter.
const signature = (keyring: Keyring, payload: string) => keyring.blindIndex('message_tracking', payload).slice(0, 32)
const tokenOf = (keyring: Keyring, payload: string) => `${Buffer.from(payload).toString('base64url')}.${signature(keyring, payload)}`

export const openToken = (keyring: Keyring, messageId: string): string => tokenOf(keyring, `o:${messageId}`)
export const clickToken = (keyring: Keyring, messageId: string, link: number): string => tokenOf(keyring, `c:${messageId}:${link}`)

/** What a token names, or null when it is not one Patron signed. */
export const readTrackingToken = (keyring: Keyring, token: string): TrackingTarget | null => {
  const [encoded, sig, ...rest] = token.split('.')
  if (!encoded || !sig || rest.length || token.length > 300) return null
  const payload = Buffer.from(encoded, 'base64url').toString('utf8')
  const m = /^(?:o:(msg_[0-9a-z]{1,60})|c:(msg_[0-9a-z]{1,60}):(0|[1-9][0-9]{0,3}))$/.exec(payload)
  if (!m) return null
  const expected = Buffer.from(signature(keyring, payload))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  return m[1] ? { kind: 'open', messageId: m[1] } : { kind: 'click', messageId: m[2]!, link: Number(m[3]) }
}
