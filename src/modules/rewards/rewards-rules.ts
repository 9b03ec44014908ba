import { randomBytesPooled } from '../../shared/random.js'

// Pure helpers shared by coupons, gifts, rebates and draws: no I/O, no clock.

/** A broken invariant found by `patron verify`. */
export interface RewardsMismatch {
  area: 'coupons' | 'gifts' | 'draws' | 'rebates'
  id: string
  problem: string
}

/** Whether a member's tier meets a minimum (null minimum: anyone; no tier meets no minimum). */
export const meetsTier = (tiers: ReadonlyArray<{ code: string; rank: number }>, memberTier: string | null | undefined, minTier: string | null | undefined): boolean => {
  if (!minTier) return true
  if (!memberTier) return false
  const need = tiers.find((t) => t.code === minTier)
  const have = tiers.find((t) => t.code === memberTier)
  if (!need) return true
  return have !== undefined && have.rank >= need.rank
}

export { addDays, isLocalDate } from '../../shared/time.js'

// Crockford base32 without I, L, O, U: read aloud or typed at a till without confusion.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** An unguessable code: `length` symbols of 5 random bits each (16 → 80 bits). */
export const randomCode = (length = 16): string => {
  const bytes = randomBytesPooled(length)
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31]
  return out
}

/** Parses a JSON column holding a string array (null stays null). */
export const jsonList = (value: string | null): string[] | null => (value === null ? null : (JSON.parse(value) as string[]))
