import { generateSecret, generateURI, verify } from 'otplib'

// Two-factor sign-in with a time-based one-time code (TOTP, RFC 6238: six digits, 30-second
// steps, SHA-1), what every authenticator app (Google Authenticator, Microsoft Authenticator,
// 腾讯身份验证器, 1Password) reads from the QR of an otpauth:// address. otplib does the maths.

export const TOTP_FIELD = 'staff.totp_secret'
const PERIOD_S = 30
const CODE = /^\d{6}$/

/** A new random secret: 20 bytes, base32 as authenticator apps take it. */
export const newTotpSecret = (): string => generateSecret()

/** The otpauth:// address the app scans (issuer "Patron", the chain's name beside it, and the username). */
export const totpUri = (secret: string, username: string, issuer: string): string =>
  generateURI({ issuer, label: username, secret, period: PERIOD_S, digits: 6, algorithm: 'sha1' })

/**
 * The time step a code matched, or null: the code of the current step, or of the one before or
 * after (a phone's clock a little off, a code typed as it changed); never a step at or before
 * `afterStep` (a code is accepted once).
 */
export const matchTotp = async (secret: string, code: string, at: Date, afterStep: number | null): Promise<number | null> => {
  const token = code.replace(/\s+/g, '')
  if (!CODE.test(token)) return null
  const result = await verify({
    secret, token, epoch: Math.floor(at.getTime() / 1000), epochTolerance: PERIOD_S, period: PERIOD_S,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  })
  // A TOTP result (the strategy is TOTP): its time step is the code's.
  return result.valid && 'timeStep' in result ? result.timeStep : null
}
