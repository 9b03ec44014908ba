import type { ErrorDetail } from '../../shared/errors.js'

/** The chain's sign-in policy (设置 → 登录安全), HQ's to set. */
export interface SecuritySettings {
  /** a session unused this long ends (minutes) */
  sessionIdleMinutes: number
  /** a session ends this long after sign-in, however much it is used (hours) */
  sessionAbsoluteHours: number
  /** HQ administrators must sign in with a code from an authenticator app */
  requireTwoFactorForHqAdmins: boolean
}

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = { sessionIdleMinutes: 12 * 60, sessionAbsoluteHours: 7 * 24, requireTwoFactorForHqAdmins: false }

export const SECURITY_BOUNDS = { sessionIdleMinutes: [5, 24 * 60], sessionAbsoluteHours: [1, 30 * 24] } as const

/** What is wrong with a proposed policy, field by field. */
export const securitySettingsProblems = (s: SecuritySettings): ErrorDetail[] => {
  const errors: ErrorDetail[] = []
  for (const field of ['sessionIdleMinutes', 'sessionAbsoluteHours'] as const) {
    const [min, max] = SECURITY_BOUNDS[field]
    if (!Number.isInteger(s[field]) || s[field] < min || s[field] > max) errors.push({ field, reason: `must be a whole number ${min}–${max}` })
  }
  if (!errors.length && s.sessionIdleMinutes > s.sessionAbsoluteHours * 60) {
    errors.push({ field: 'sessionIdleMinutes', reason: 'must not be longer than the absolute limit' })
  }
  return errors
}

/** The stored policy over the defaults (a field stored wrong, or missing, falls back to its default). */
export const readSecuritySettings = (text: string | null): SecuritySettings => {
  if (!text) return { ...DEFAULT_SECURITY_SETTINGS }
  try {
    const stored = JSON.parse(text) as Partial<SecuritySettings>
    const merged = { ...DEFAULT_SECURITY_SETTINGS, ...stored }
    return securitySettingsProblems(merged).length ? { ...DEFAULT_SECURITY_SETTINGS } : merged
  } catch {
    return { ...DEFAULT_SECURITY_SETTINGS }
  }
}

/** When a session ends: idle after its last use, and never after the absolute limit from sign-in. */
export const sessionEndsAt = (s: SecuritySettings, createdAt: Date, lastSeenAt: Date): Date =>
  new Date(Math.min(lastSeenAt.getTime() + s.sessionIdleMinutes * 60_000, createdAt.getTime() + s.sessionAbsoluteHours * 3_600_000))
