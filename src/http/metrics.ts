import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Database } from '../db/database.js'
import type { HealthService } from '../modules/operations/index.js'
import { errorBody } from './errors.js'

// GET /metrics in Prometheus's text format (issue 16 §5), with prom-client.
//
// Of this process: requests by route and status with a latency histogram, failed sign-ins, the
// database pool, and Node's own (memory, CPU, event-loop delay, GC). Of the chain, read from the
// database at each scrape so every API process reports the same: jobs waiting per name and the
// oldest one's wait (the outbox's lag), receipts written in the last minute, the last backup.
//
// Who may read it: with PATRON_METRICS_TOKEN set, whoever sends it as a bearer token; without
// one, only a scraper on this machine (a loopback peer, and no X-Forwarded-For: a request a proxy
// relays from the world arrives from loopback too).

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const LOGIN_ROUTE = '/api/v1/auth/login'

export interface MetricsOptions {
  database: Database
  health: HealthService
  token: string | null
}

const sameToken = (given: string, expected: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const isLoopback = (address: string | undefined) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'

/** Why a request may not read /metrics, or null when it may. */
const refusal = (req: FastifyRequest, token: string | null): { status: number; reason: string } | null => {
  if (token !== null) {
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer ') && sameToken(auth.slice(7), token)) return null
    return { status: 401, reason: 'send the metrics token (PATRON_METRICS_TOKEN) as Authorization: Bearer …' }
  }
  if (isLoopback(req.socket.remoteAddress) && req.headers['x-forwarded-for'] === undefined) return null
  return { status: 403, reason: 'only this machine may read /metrics; set PATRON_METRICS_TOKEN to scrape from elsewhere' }
}

export const registerMetrics = (app: FastifyInstance, { database, health, token }: MetricsOptions) => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] })
  const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request, by method and route', labelNames: ['method', 'route'], buckets: LATENCY_BUCKETS, registers: [registry] })
  const failedLogins = new Counter({ name: 'patron_failed_logins_total', help: 'Staff sign-ins refused: wrong credentials or a disabled user (credentials), or throttled after failures (throttled)', labelNames: ['reason'], registers: [registry] })
  const pool = database.pool()
  if (pool) {
    new Gauge({
      name: 'patron_db_pool_connections', help: 'PostgreSQL connections of this process: open (total), of them idle, and queries waiting for one', labelNames: ['state'], registers: [registry],
      collect() {
        const now = database.pool()
        if (!now) return
        this.set({ state: 'total' }, now.total)
        this.set({ state: 'idle' }, now.idle)
        this.set({ state: 'waiting' }, now.waiting)
      },
    })
    new Gauge({ name: 'patron_db_pool_max', help: 'The most PostgreSQL connections this process opens (PATRON_DB_POOL)', registers: [registry] }).set(pool.max)
  }
  const jobs = new Gauge({ name: 'patron_jobs', help: 'Jobs in the queue, chain-wide, by name and state (queued, due: queued and due now, running, dead)', labelNames: ['name', 'state'], registers: [registry] })
  const lag = new Gauge({ name: 'patron_job_lag_seconds', help: 'How long the oldest due job of each name has waited (the outbox lag), chain-wide', labelNames: ['name'], registers: [registry] })
  const receipts = new Gauge({ name: 'patron_receipts_last_minute', help: 'Receipts written in the last 60 seconds (tills, offline batches, imports), chain-wide', registers: [registry] })
  const backupAge = new Gauge({ name: 'patron_backup_last_ok_age_seconds', help: 'Seconds since the last backup that succeeded began (NaN when none has)', registers: [registry] })
  const backupAlert = new Gauge({ name: 'patron_backup_alert', help: '1 when the dashboard shows the backup alert (the last backup failed, or none succeeded for 26 hours)', registers: [registry] })

  app.addHook('onResponse', async (req, reply) => {
    // Unmatched URLs share one label: a scanner's random paths must not grow the series.
    const route = req.routeOptions.url ?? 'unmatched'
    requests.inc({ method: req.method, route, status: String(reply.statusCode) })
    latency.observe({ method: req.method, route }, reply.elapsedTime / 1000)
    if (route === LOGIN_ROUTE && req.method === 'POST') {
      if (reply.statusCode === 401) failedLogins.inc({ reason: 'credentials' })
      else if (reply.statusCode === 429) failedLogins.inc({ reason: 'throttled' })
    }
  })

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const refused = refusal(req, token)
    if (refused) return reply.code(refused.status).send(errorBody(refused.status === 401 ? 'METRICS_TOKEN_REQUIRED' : 'METRICS_FORBIDDEN', refused.reason))
    const snapshot = await health.snapshot()
    jobs.reset()
    lag.reset()
    for (const j of snapshot.jobs) {
      jobs.set({ name: j.name, state: 'queued' }, j.queued)
      jobs.set({ name: j.name, state: 'due' }, j.due)
      jobs.set({ name: j.name, state: 'running' }, j.running)
      jobs.set({ name: j.name, state: 'dead' }, j.dead)
      lag.set({ name: j.name }, j.lagSeconds)
    }
    receipts.set(snapshot.receiptsLastMinute)
    backupAge.set(snapshot.lastBackupAgeSeconds ?? Number.NaN)
    backupAlert.set(snapshot.backupAlert ? 1 : 0)
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}
