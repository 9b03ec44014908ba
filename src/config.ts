import { resolve } from 'node:path'
import { parseDatabaseUrl } from './db/database.js'

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
  /** Which proxies' X-Forwarded-For to believe (Fastify trustProxy: addresses, CIDRs or names). */
  trustProxy: string
  /** Run the daily jobs in this process (PATRON_SCHEDULER=off for API-only processes). */
  scheduler: boolean
  /** PostgreSQL connections of a server process (PATRON_DB_POOL); SQLite has one. */
  dbPool: number
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
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
  return {
    databaseUrl,
    port,
    host: env.HOST || '0.0.0.0',
    dataDir,
    timezone,
    keyFile: resolve(env.PATRON_KEY_FILE || resolve(dataDir, 'patron.key')),
    logLevel,
    secureCookies: secure === 'true',
    trustProxy: env.PATRON_TRUST_PROXY || 'loopback, linklocal, uniquelocal',
    scheduler: scheduler === 'on',
    dbPool,
  }
}
