import pino from 'pino'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { buildApp, loggerOptions } from './app.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
const valueOf = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

const scrape = async (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/metrics', headers })

describe('GET /metrics', () => {
  it('counts requests by route and status, with latency, in Prometheus text', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' })
    await t.app.inject({ method: 'GET', url: '/healthz' })
    await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing/12345' })
    const res = await scrape()
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/plain')
    expect(valueOf(res.body, 'http_requests_total{method="GET",route="/healthz",status="200"}')).toBe(2)
    // Unknown URLs share one series, whatever the path.
    expect(valueOf(res.body, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1)
    expect(res.body).not.toContain('no-such-thing')
    expect(valueOf(res.body, 'http_request_duration_seconds_count{method="GET",route="/healthz"}')).toBe(2)
    expect(res.body).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}')
    // Node's own figures come along.
    expect(res.body).toContain('nodejs_eventloop_lag_seconds')
    expect(res.body).toContain('process_resident_memory_bytes')
  })

  it('counts refused sign-ins by reason', async () => {
    const before = valueOf((await scrape()).body, 'patron_failed_logins_total{reason="credentials"}') ?? 0
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: t.users.analyst!.username, password: 'not-the-password' } })
    expect(res.statusCode).toBe(401)
    expect(valueOf((await scrape()).body, 'patron_failed_logins_total{reason="credentials"}')).toBe(before + 1)
  })

  it('reports the chain: receipts of the last minute, jobs waiting and the oldest one\'s wait', async () => {
    const before = valueOf((await scrape()).body, 'patron_receipts_last_minute')
    expect(before).toBe(0)
    await t.given.receipt()
    await t.given.receipt()
    expect(valueOf((await scrape()).body, 'patron_receipts_last_minute')).toBe(2)

    await t.services.outbox.enqueue(t.services.db, 'privacy.runErasures', {})
    t.clock.advance(90_000)
    const text = (await scrape()).body
    expect(valueOf(text, 'patron_receipts_last_minute')).toBe(0)
    expect(valueOf(text, 'patron_jobs{name="privacy.runErasures",state="due"}')).toBe(1)
    expect(valueOf(text, 'patron_job_lag_seconds{name="privacy.runErasures"}')).toBe(90)
    // No backup has run in this database: no age, no alert (the alert waits for a first run).
    expect(valueOf(text, 'patron_backup_last_ok_age_seconds')).toBeNaN()
    expect(valueOf(text, 'patron_backup_alert')).toBe(0)
    if (t.services.database.engine === 'postgres') {
      expect(valueOf(text, 'patron_db_pool_max')).toBe(12)
      expect(valueOf(text, 'patron_db_pool_connections{state="total"}')).toBeGreaterThan(0)
    } else {
      expect(text).not.toContain('patron_db_pool')
    }
    await t.drainJobs()
  })

  it('answers only this machine when no token is set: not another address, not through a proxy', async () => {
    const remote = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' })
    expect(remote.statusCode).toBe(403)
    expect(remote.json().error.code).toBe('METRICS_FORBIDDEN')
    const relayed = await scrape({ 'x-forwarded-for': '203.0.113.9' })
    expect(relayed.statusCode).toBe(403)
    expect(relayed.body).not.toContain('http_requests_total')
  })

  it('with PATRON_METRICS_TOKEN, answers whoever sends it and no one else', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'silent', metricsToken: 'scrape-token-0123456789' }, logger: false })
    try {
      const none = await app.inject({ method: 'GET', url: '/metrics' })
      expect(none.statusCode).toBe(401)
      expect(none.json().error.code).toBe('METRICS_TOKEN_REQUIRED')
      expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token-012345678X' } })).statusCode).toBe(401)
      const ok = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer scrape-token-0123456789' } })
      expect(ok.statusCode).toBe(200)
      expect(ok.body).toContain('patron_receipts_last_minute')
    } finally {
      await app.close()
    }
  })

  it('is not in the OpenAPI document (it is for the operator, not API clients)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.paths['/metrics']).toBeUndefined()
  })
})

describe('request ids', () => {
  it('answers every request with an X-Request-Id, the id its log line carries', async () => {
    const lines: string[] = []
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'info' }, logger: pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) }) })
    try {
      const a = await app.inject({ method: 'GET', url: '/healthz' })
      const b = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
      const ids = [a.headers['x-request-id'], b.headers['x-request-id']]
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/)
      expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/)
      expect(ids[0]).not.toBe(ids[1])
      const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string }).filter((l) => l.msg === 'request')
      expect(logged.map((l) => l.reqId)).toEqual(ids)
    } finally {
      await app.close()
    }
  })

  it('keeps a trusted proxy\'s plain X-Request-Id, and ignores a client\'s or a strange one', async () => {
    const untrusted = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-4f2a-0001' } })
    expect(untrusted.headers['x-request-id']).not.toBe('lb-4f2a-0001')
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'silent', trustProxy: 'loopback' }, logger: false })
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-4f2a-0001' } })).headers['x-request-id']).toBe('lb-4f2a-0001')
      const odd = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a b\nforged: line' } })
      expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    } finally {
      await app.close()
    }
  })
})
