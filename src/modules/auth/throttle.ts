// Login throttling policy: pure, so the numbers are tested without a clock or database.
//
// Failures are counted three ways, and a correct password is never counted at all:
// - per user and address pair: the attacker's own address slows, then locks with a lock that
//   doubles with every further failure; the user signing in from anywhere else is untouched;
// - per user, across addresses (a guesser spread over many addresses), and
// - per address, across usernames (one address trying many names),
// and these two lock only addresses the user has not signed in from lately: the HQ
// administrator at their usual desk, or the staff of a store behind one NAT address, keep
// signing in however many failures others cause under their name or from their address.

export interface ThrottleState {
  failures: number
  windowStartedAt: string
  lockedUntil: string | null
}

export interface ThrottleLimits {
  /** failures after which each attempt is delayed */
  slowAfter: number
  /** failures after which the key is refused until the lock ends */
  lockAfter: number
  /** the first lock; each further failure doubles it, up to `maxLockMs` */
  lockMs: number
  maxLockMs: number
}

/** Failures are forgotten a day after the first of them. */
export const WINDOW_MS = 24 * 60 * 60 * 1000
/** An address the user signed in from within this time is "known" to them. */
export const KNOWN_MS = 30 * 24 * 60 * 60 * 1000
const MINUTE = 60 * 1000

export const PAIR_LIMITS: ThrottleLimits = { slowAfter: 3, lockAfter: 5, lockMs: MINUTE, maxLockMs: 15 * MINUTE }
export const USER_LIMITS: ThrottleLimits = { slowAfter: 10, lockAfter: 20, lockMs: MINUTE, maxLockMs: 15 * MINUTE }
export const ADDRESS_LIMITS: ThrottleLimits = { slowAfter: 10, lockAfter: 30, lockMs: MINUTE, maxLockMs: 15 * MINUTE }

const windowOver = (state: ThrottleState, now: Date) => now.getTime() - Date.parse(state.windowStartedAt) >= WINDOW_MS

/** Seconds the key is still locked for, or 0. */
export const lockedFor = (state: ThrottleState | undefined, now: Date): number => {
  if (!state?.lockedUntil) return 0
  return Math.max(0, (Date.parse(state.lockedUntil) - now.getTime()) / 1000)
}

/** Delay before answering an attempt, growing with the failures in the window (max 4 s). */
export const delayFor = (state: ThrottleState | undefined, limits: ThrottleLimits, now: Date): number => {
  if (!state || windowOver(state, now)) return 0
  const over = state.failures - limits.slowAfter + 1
  return over > 0 ? Math.min(4000, 250 * 2 ** (over - 1)) : 0
}

/** How long the lock set by the `failures`th failure lasts: none before `lockAfter`, then doubling. */
export const lockMsFor = (failures: number, limits: ThrottleLimits): number => {
  if (failures < limits.lockAfter) return 0
  return Math.min(limits.maxLockMs, limits.lockMs * 2 ** Math.min(30, failures - limits.lockAfter))
}

/** The state after one more failure. */
export const afterFailure = (state: ThrottleState | undefined, limits: ThrottleLimits, now: Date): ThrottleState => {
  const fresh = !state || windowOver(state, now)
  const failures = fresh ? 1 : state.failures + 1
  const lockMs = lockMsFor(failures, limits)
  return {
    failures,
    windowStartedAt: fresh ? now.toISOString() : state.windowStartedAt,
    lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs).toISOString() : null,
  }
}

/** Whether a successful sign-in at `lastSuccessAt` makes the address known to the user at `now`. */
export const isKnown = (lastSuccessAt: string | undefined, now: Date): boolean =>
  lastSuccessAt !== undefined && now.getTime() - Date.parse(lastSuccessAt) < KNOWN_MS
