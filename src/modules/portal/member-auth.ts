import { createHash, randomInt, timingSafeEqual } from 'node:crypto'

// The rules of signing in with a text code (issue 17 §1), apart from the database.

/** How long a code works. */
export const CODE_TTL_MS = 5 * 60_000
/** Wrong codes a code survives; the next is refused and a new code must be asked for. */
export const CODE_TRIES = 5
/** A number gets a new code at most this often… */
export const CODE_RESEND_MS = 60_000
/** …and this many an hour; an address this many an hour (a shop's Wi-Fi serves many members). */
export const CODES_PER_PHONE_HOUR = 5
export const CODES_PER_IP_HOUR = 30
/** A member's session ends after this long unused, and at the latest this long after sign-in. */
export const SESSION_IDLE_MS = 30 * 86_400_000
export const SESSION_ABSOLUTE_MS = 90 * 86_400_000
/** last_seen_at is written at most this often. */
export const SESSION_TOUCH_MS = 60_000

/** Six digits, from the system's CSPRNG. */
export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0')

/** What is stored of a code: bound to its row, so a table of hashes is no dictionary. */
export const codeHash = (id: string, code: string): string => createHash('sha256').update(`${id}:${code}`).digest('base64url')

export const codeMatches = (id: string, code: string, stored: string): boolean => {
  const a = Buffer.from(codeHash(id, code))
  const b = Buffer.from(stored)
  return a.length === b.length && timingSafeEqual(a, b)
}

export const sessionId = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** When a session used at `lastSeen` ends: idle limit, never past the absolute one. */
export const sessionEndsAt = (createdAt: Date, lastSeen: Date): Date =>
  new Date(Math.min(lastSeen.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_ABSOLUTE_MS))
