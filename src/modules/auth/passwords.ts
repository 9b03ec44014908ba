import zxcvbnCore from '@zxcvbn-ts/core'
import zxcvbnCommon from '@zxcvbn-ts/language-common'
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

// What people at a Chinese supermarket chain pick besides the English words and names of
// zxcvbn's common dictionary: pinyin surnames, cities, love numbers, the product's own name.
const LOCAL_WORDS = [
  'woaini', 'aini', 'woaini520', 'woaini1314', '5201314', '1314520', 'qq123456', 'a123456', 'abc123456',
  'zhang', 'wang', 'li', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo',
  'he', 'lin', 'luo', 'gao', 'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng', 'zeng',
  'xiao', 'tian', 'dong', 'pan', 'yuan', 'cai', 'jiang', 'yu', 'du', 'ye', 'cheng', 'wei', 'su', 'lu', 'ding', 'shen',
  'shanghai', 'beijing', 'guangzhou', 'shenzhen', 'hangzhou', 'nanjing', 'chengdu', 'wuhan', 'tianjin', 'suzhou',
  'chaoshi', 'shouyin', 'huiyuan', 'patron', 'admin', 'manager', 'cashier', 'service',
]

// A strength estimator (zxcvbn: dictionaries, keyboard patterns, repeats, dates, l33t) rather
// than composition rules: it refuses `password`, `aaaaaaaa` and `Password1`, and takes a long
// passphrase without symbols. Score 2 means about 10^8 guesses, far beyond what the login
// throttle lets anyone try online; the scrypt hash makes offline guessing slow too.
const MIN_SCORE = 2
const estimator = new zxcvbnCore.ZxcvbnFactory({
  graphs: zxcvbnCommon.adjacencyGraphs,
  dictionary: { ...zxcvbnCommon.dictionary, local: LOCAL_WORDS },
})

/** Rules for a new password; returns the reason it is refused, or null. */
export const passwordProblem = (password: string, username?: string): string | null => {
  if (password.length < 8) return 'at least 8 characters'
  if (password.length > 200) return 'at most 200 characters'
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username'
  if (/^\d+$/.test(password)) return 'must not be digits only'
  // zxcvbn's time grows with the length; what lies beyond 100 characters changes no score.
  const { score } = estimator.check(password.slice(0, 100), username ? [username] : [])
  if (score < MIN_SCORE) return 'too easy to guess (a common word, name, date or pattern): add unusual words or characters'
  return null
}
