import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))))

// scrypt is memory-hard: N=2^15, r=8 costs 32 MiB and ~100 ms per guess.
const N = 1 << 15
const R = 8
const P = 1
const KEYLEN = 32
const MAXMEM = 64 * 1024 * 1024

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16)
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM })
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const [alg, n, r, p, saltText, keyText] = stored.split('$')
  if (alg !== 'scrypt' || !n || !r || !p || !saltText || !keyText) return false
  const expected = Buffer.from(keyText, 'base64url')
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM,
  })
  return timingSafeEqual(key, expected)
}

/** Rules for a new password; returns the reason it is refused, or null. */
export const passwordProblem = (password: string, username?: string): string | null => {
  if (password.length < 8) return 'at least 8 characters'
  if (password.length > 200) return 'at most 200 characters'
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username'
  if (/^\d+$/.test(password)) return 'must not be digits only'
  return null
}
