// Login throttling policy: pure, so the numbers are tested without a clock or database.

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
}

export const WINDOW_MS = 15 * 60 * 1000
export const LOCK_MS = 15 * 60 * 1000
export const USER_LIMITS: ThrottleLimits = { slowAfter: 3, lockAfter: 5 }
export const ADDRESS_LIMITS: ThrottleLimits = { slowAfter: 10, lockAfter: 30 }

// A window holds the failures of [start, start + 15 min), like a lock: at the moment a lock
// begun with the window ends, a new failure starts afresh instead of re-locking at once.
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

/** The state after one more failure. */
export const afterFailure = (state: ThrottleState | undefined, limits: ThrottleLimits, now: Date): ThrottleState => {
  const fresh = !state || windowOver(state, now)
  const failures = fresh ? 1 : state.failures + 1
  return {
    failures,
    windowStartedAt: fresh ? now.toISOString() : state.windowStartedAt,
    lockedUntil: failures >= limits.lockAfter ? new Date(now.getTime() + LOCK_MS).toISOString() : null,
  }
}

/** The state with one counted attempt taken back (it succeeded), lifting a lock only it caused. */
export const withoutAttempt = (state: ThrottleState, limits: ThrottleLimits): ThrottleState => {
  const failures = Math.max(0, state.failures - 1)
  return { ...state, failures, lockedUntil: failures >= limits.lockAfter ? state.lockedUntil : null }
}
