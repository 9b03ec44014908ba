import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { parseDatabaseUrl } from './db/database.js'
import { DEFAULT_LOOKUP_LIMITS, type LookupLimits } from './modules/members/index.js'
import { DEFAULT_FILE_LIMITS, type FileLimits } from './shared/csv-batches.js'

export interface Config {
  databaseUrl: string
  port: number
  host: string
  dataDir: string
  timezone: string
  keyFile: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Set the cookie's Secure flag (behind HTTPS). */
  secureCookies: boolean
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify trustProxy): addresses, CIDRs or names
   * (loopback, linklocal, uniquelocal), or a hop count; false (the default) believes none.
   */
  trustProxy: string | number | false
  /** Origins besides the server's own that may send state-changing requests (a console served elsewhere). */
  allowedOrigins: string[]
  /** Queue the scheduled (daily) jobs from this process for the workers (PATRON_SCHEDULER=off: another process does). */
  scheduler: boolean
  /** PostgreSQL connections of a server process (PATRON_DB_POOL); SQLite has one. */
  dbPool: number
  /** Job-queue worker loops per process (PATRON_WORKERS, default 1; 0 none); SQLite allows at most 1. */
  workers: number
  /** Bounds of every imported file (PATRON_IMPORT_MAX_*): record size, inflated size and ratio of a .gz, rows. */
  importLimits: FileLimits
  /** Member lookups per staff user or till (PATRON_MEMBER_LOOKUP_*): per minute, misses per hour, misses that alert. */
  memberLookupLimits: LookupLimits
  /** Where members reach this server from outside (PATRON_PUBLIC_URL): the origin of unsubscribe links in messages. */
  publicUrl: string
  /**
   * The bearer token Prometheus sends to /metrics (PATRON_METRICS_TOKEN, at least 16 characters);
   * without one, /metrics answers only this machine (a scraper on the same host), never through a proxy.
   */
  metricsToken: string | null
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Reads Patron's settings from the environment; every bad value is named with the reason. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const problems: string[] = []
  const dataDir = resolve(env.PATRON_DATA_DIR || './data')
  const databaseUrl = env.DATABASE_URL || `sqlite:${resolve(dataDir, 'patron.db')}`
  try {
    parseDatabaseUrl(databaseUrl)
  } catch (err) {
    problems.push((err as Error).message)
  }
  const portText = env.PORT ?? '3000'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) problems.push(`PORT: expected a port number 1–65535, got "${portText}"`)
  const timezone = env.PATRON_TIMEZONE || 'Asia/Shanghai'
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone })
  } catch {
    problems.push(`PATRON_TIMEZONE: "${timezone}" is not an IANA time zone (e.g. Asia/Shanghai)`)
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  const secure = env.PATRON_SECURE_COOKIES ?? 'false'
  if (!['true', 'false'].includes(secure)) problems.push(`PATRON_SECURE_COOKIES: expected true or false, got "${secure}"`)
  const scheduler = env.PATRON_SCHEDULER ?? 'on'
  if (!['on', 'off'].includes(scheduler)) problems.push(`PATRON_SCHEDULER: expected on or off, got "${scheduler}"`)
  const poolText = env.PATRON_DB_POOL ?? '20'
  const dbPool = Number(poolText)
  if (!/^\d+$/.test(poolText) || dbPool < 1 || dbPool > 500) problems.push(`PATRON_DB_POOL: expected a number of connections 1–500, got "${poolText}"`)
  const workersText = env.PATRON_WORKERS ?? '1'
  const workers = Number(workersText)
  if (!/^\d+$/.test(workersText) || workers > 64) problems.push(`PATRON_WORKERS: expected a number of worker loops 0–64, got "${workersText}"`)
  // SQLite writes one transaction at a time: a second worker would only wait for the first.
  else if (workers > 1 && databaseUrl.startsWith('sqlite:')) problems.push(`PATRON_WORKERS: SQLite runs one worker per database, got ${workers} (use PostgreSQL for more)`)
  const trustProxy = parseTrustProxy(env.PATRON_TRUST_PROXY, problems)
  const allowedOrigins = parseOrigins(env.PATRON_ALLOWED_ORIGINS, problems)
  const importLimits = parseImportLimits(env, problems)
  const memberLookupLimits = parseLookupLimits(env, problems)
  const publicUrl = parsePublicUrl(env.PATRON_PUBLIC_URL, port, problems)
  const metricsToken = env.PATRON_METRICS_TOKEN?.trim() || null
  if (metricsToken !== null && !/^[\x21-\x7e]{16,200}$/.test(metricsToken)) problems.push('PATRON_METRICS_TOKEN: expected 16–200 printable characters without spaces')
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
  return {
    databaseUrl,
    port,
    // Only this machine, unless told otherwise: the README publishes the demo passwords.
    host: env.HOST || '127.0.0.1',
    dataDir,
    timezone,
    keyFile: resolve(env.PATRON_KEY_FILE || resolve(dataDir, 'patron.key')),
    logLevel,
    secureCookies: secure === 'true',
    trustProxy,
    allowedOrigins,
    scheduler: scheduler === 'on',
    dbPool,
    workers,
    importLimits,
    memberLookupLimits,
    publicUrl,
    metricsToken,
  }
}

// Links in messages are opened on members' phones, so they need the address the world reaches
// (https://crm.example.com, or with a path behind a proxy); the default serves a local trial only.
const parsePublicUrl = (text: string | undefined, port: number, problems: string[]): string => {
  const value = text?.trim()
  if (!value) return `http://localhost:${port}`
  try {
    const url = new URL(value)
    if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) throw new Error('not a base URL')
    return url.href.replace(/\/+$/, '')
  } catch {
    problems.push(`PATRON_PUBLIC_URL: expected the address members reach this server at, like https://crm.example.com, got "${value}"`)
    return ''
  }
}

const LOOKUP_LIMIT_VARS: Array<[keyof LookupLimits, string]> = [
  ['perMinute', 'PATRON_MEMBER_LOOKUPS_PER_MINUTE'],
  ['missesPerHour', 'PATRON_MEMBER_LOOKUP_MISSES_PER_HOUR'],
  ['alertMisses', 'PATRON_MEMBER_LOOKUP_ALERT_MISSES'],
]

// 0 turns a limit off (a load test); the defaults fit a cashier serving one customer at a time.
const parseLookupLimits = (env: NodeJS.ProcessEnv, problems: string[]): LookupLimits => {
  const limits = { ...DEFAULT_LOOKUP_LIMITS }
  for (const [key, name] of LOOKUP_LIMIT_VARS) {
    const text = env[name]?.trim()
    if (!text) continue
    if (!/^\d{1,9}$/.test(text)) problems.push(`${name}: expected a whole number (0: no limit), got "${text}"`)
    else limits[key] = Number(text)
  }
  return limits
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal']

// Trusting every sender of X-Forwarded-For would let any client choose the address the login
// throttle and the audit log see: only named proxies (or a hop count) are believed.
const parseTrustProxy = (text: string | undefined, problems: string[]): string | number | false => {
  const value = text?.trim()
  if (!value || value === 'false') return false
  if (/^\d+$/.test(value)) return Number(value)
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean)
  const bad = entries.filter((e) => {
    if (PROXY_NAMES.includes(e)) return false
    const [address, bits, ...rest] = e.split('/')
    const version = isIP(address ?? '')
    if (!version || rest.length) return true
    return bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > (version === 4 ? 32 : 128))
  })
  if (value === 'true' || bad.length) {
    problems.push(`PATRON_TRUST_PROXY: expected the proxies' addresses or CIDRs (or ${PROXY_NAMES.join(', ')}), or a hop count, got "${value}"`)
  }
  return entries.join(', ')
}

const parseOrigins = (text: string | undefined, problems: string[]): string[] => {
  const origins: string[] = []
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    try {
      const url = new URL(entry)
      if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username) throw new Error('not an origin')
      origins.push(url.origin)
    } catch {
      problems.push(`PATRON_ALLOWED_ORIGINS: expected origins like https://crm.example.com, got "${entry}"`)
    }
  }
  return origins
}

const IMPORT_LIMIT_VARS: Array<[keyof FileLimits, string, string]> = [
  ['maxRecordBytes', 'PATRON_IMPORT_MAX_RECORD_BYTES', 'bytes of one CSV record'],
  ['maxInflatedBytes', 'PATRON_IMPORT_MAX_INFLATED_BYTES', 'bytes a .gz may inflate to'],
  ['maxGzipRatio', 'PATRON_IMPORT_MAX_GZIP_RATIO', 'inflated ÷ compressed size of a .gz'],
  ['maxRows', 'PATRON_IMPORT_MAX_ROWS', 'rows of an imported file'],
]

// A file beyond these is refused whole (a broken file or a bomb): each must be a positive whole number.
const parseImportLimits = (env: NodeJS.ProcessEnv, problems: string[]): FileLimits => {
  const limits = { ...DEFAULT_FILE_LIMITS }
  for (const [key, name, what] of IMPORT_LIMIT_VARS) {
    const text = env[name]
    if (text === undefined || text === '') continue
    const n = Number(text)
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) problems.push(`${name}: expected a positive whole number (${what}), got "${text}"`)
    else limits[key] = n
  }
  return limits
}
