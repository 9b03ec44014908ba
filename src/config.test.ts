import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'

describe('configuration', () => {
  it('defaults to SQLite in ./data, port 3000 and Asia/Shanghai', () => {
    const c = loadConfig({})
    expect(c.databaseUrl).toMatch(/^sqlite:.*\/data\/patron\.db$/)
    expect(c).toMatchObject({ port: 3000, timezone: 'Asia/Shanghai', secureCookies: false, scheduler: true, dbPool: 20 })
    expect(c.keyFile).toMatch(/\/data\/patron\.key$/)
  })

  it('takes PostgreSQL, a port, a data dir and a key file from the environment', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/patron', PORT: '8080', PATRON_DATA_DIR: '/srv/patron', PATRON_KEY_FILE: '/etc/patron/key.json', PATRON_TIMEZONE: 'Asia/Urumqi', PATRON_DB_POOL: '40' })
    expect(c).toMatchObject({ databaseUrl: 'postgres://u@db:5432/patron', port: 8080, dataDir: '/srv/patron', keyFile: '/etc/patron/key.json', timezone: 'Asia/Urumqi', dbPool: 40 })
  })

  it('names every bad value with the reason', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: '70000', PATRON_TIMEZONE: 'Mars/Olympus', LOG_LEVEL: 'loud', PATRON_DB_POOL: '0' }))
      .toThrow(/DATABASE_URL: expected sqlite:<path> or postgres:\/\/[\s\S]*PORT: expected a port number 1–65535, got "70000"[\s\S]*PATRON_TIMEZONE: "Mars\/Olympus"[\s\S]*LOG_LEVEL[\s\S]*PATRON_DB_POOL: expected a number of connections 1–500, got "0"/)
  })
})
