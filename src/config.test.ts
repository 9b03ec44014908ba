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

  it('runs one job-queue worker by default; more only on PostgreSQL', () => {
    expect(loadConfig({}).workers).toBe(1)
    expect(loadConfig({ PATRON_WORKERS: '0' }).workers).toBe(0)
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/patron', PATRON_WORKERS: '4' }).workers).toBe(4)
    expect(() => loadConfig({ PATRON_WORKERS: '2' })).toThrow(/PATRON_WORKERS: SQLite runs one worker per database, got 2/)
    expect(() => loadConfig({ PATRON_WORKERS: 'many' })).toThrow(/PATRON_WORKERS: expected a number of worker loops 0–64, got "many"/)
  })

  it('takes the address members reach the server at (unsubscribe links), by default this machine on its port', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000')
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080')
    expect(loadConfig({ PATRON_PUBLIC_URL: 'https://crm.example.com/' }).publicUrl).toBe('https://crm.example.com')
    expect(loadConfig({ PATRON_PUBLIC_URL: 'https://example.com/patron' }).publicUrl).toBe('https://example.com/patron')
    expect(() => loadConfig({ PATRON_PUBLIC_URL: 'crm.example.com' })).toThrow(/PATRON_PUBLIC_URL: expected the address members reach this server at/)
  })

  it('listens on this machine only and believes no proxy unless told otherwise', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ host: '127.0.0.1', trustProxy: false, allowedOrigins: [] })
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0')
  })

  it.each([
    ['10.0.0.5', '10.0.0.5'],
    ['10.0.0.0/8, loopback', '10.0.0.0/8, loopback'],
    ['::1,fd00::/8', '::1, fd00::/8'],
    ['2', 2],
    ['false', false],
  ])('takes PATRON_TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ PATRON_TRUST_PROXY: value }).trustProxy).toEqual(expected)
  })

  it.each(['true', 'everyone', '10.0.0.0/33', '300.1.1.1'])('refuses PATRON_TRUST_PROXY=%s, naming what it expects', (value) => {
    expect(() => loadConfig({ PATRON_TRUST_PROXY: value })).toThrow(/PATRON_TRUST_PROXY: expected the proxies' addresses/)
  })

  it('takes allowed origins and refuses what is not an origin', () => {
    expect(loadConfig({ PATRON_ALLOWED_ORIGINS: 'https://crm.example.com, http://10.0.0.5:5173' }).allowedOrigins).toEqual(['https://crm.example.com', 'http://10.0.0.5:5173'])
    expect(() => loadConfig({ PATRON_ALLOWED_ORIGINS: 'https://crm.example.com/console' })).toThrow(/PATRON_ALLOWED_ORIGINS: expected origins/)
  })
})
