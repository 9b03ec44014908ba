import { hostname } from 'node:os'
import type { Logger } from 'pino'
import type { Db } from '../db/database.js'
import type { Services } from '../services.js'
import { dateIn } from '../shared/time.js'

export interface JobDefinition {
  name: string
  description: string
  /** One run per key: the chain's local date for daily jobs. */
  runKey: (now: Date, timezone: string) => string
  run: (services: Services) => Promise<unknown>
}

const daily = (now: Date, timezone: string) => dateIn(now, timezone)

/** The scheduled jobs. Each is idempotent on its own; the run key keeps it to once a day. */
export const JOBS: JobDefinition[] = [
  { name: 'points.expire', description: 'expire points lots whose last day has passed', runKey: daily, run: (s) => s.loyalty.expireDue() },
  { name: 'points.expiring-notice', description: 'announce points that expire within the notice period', runKey: daily, run: (s) => s.loyalty.notifyExpiring() },
  { name: 'coupons.welcome', description: 'give welcome coupons that a registration missed (the process stopped before its event)', runKey: daily, run: (s) => s.coupons.issueMissedWelcomes() },
  { name: 'coupons.expire', description: 'mark unused coupons whose last day has passed as expired', runKey: daily, run: (s) => s.coupons.expireDue() },
  { name: 'gift-orders.expire', description: 'expire gift orders not picked up in time, returning stock and points', runKey: daily, run: (s) => s.gifts.expireDue() },
  { name: 'login-throttle.prune', description: 'forget sign-in failures a day old and addresses not signed in from for 30 days', runKey: daily, run: (s) => s.auth.pruneThrottle() },
  { name: 'tiers.evaluate', description: 'refresh 12-month windows, upgrade, and downgrade after the grace period', runKey: daily, run: (s) => s.loyalty.evaluateTiers() },
]

export const findJob = (name: string): JobDefinition | undefined => JOBS.find((j) => j.name === name)

/** A run whose owner stopped beating for this long is taken over (its process died). */
const STALE_MS = 15 * 60_000
const HEARTBEAT_MS = 30_000

export type JobOutcome =
  | { status: 'completed'; result: unknown }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string }

export const jobOwner = () => `${hostname()}:${process.pid}`

/**
 * Claims the run (name, key) in the database, so that with several processes on one
 * PostgreSQL exactly one runs it; a completed run is not repeated, a failed or abandoned one is.
 */
const claim = async (db: Db, name: string, key: string, owner: string, now: Date): Promise<boolean> => {
  const at = now.toISOString()
  const inserted = await db.insertInto('job_runs')
    .values({ name, run_key: key, status: 'running', owner, result: null, started_at: at, heartbeat_at: at, finished_at: null })
    .onConflict((oc) => oc.columns(['name', 'run_key']).doNothing())
    .returning('name').executeTakeFirst()
  if (inserted) return true
  const staleBefore = new Date(now.getTime() - STALE_MS).toISOString()
  const taken = await db.updateTable('job_runs')
    .set({ status: 'running', owner, started_at: at, heartbeat_at: at, finished_at: null, result: null })
    .where('name', '=', name).where('run_key', '=', key)
    .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)])]))
    .returning('name').executeTakeFirst()
  return taken !== undefined
}

export const runJob = async (services: Services, job: JobDefinition, options: { key?: string; owner?: string } = {}): Promise<JobOutcome> => {
  const { db, clock, timezone } = services
  const key = options.key ?? job.runKey(clock.now(), timezone)
  const owner = options.owner ?? jobOwner()
  if (!(await claim(db, job.name, key, owner, clock.now()))) return { status: 'skipped', reason: `run ${key} is done or running elsewhere` }
  const beat = setInterval(() => {
    void db.updateTable('job_runs').set({ heartbeat_at: clock.now().toISOString() }).where('name', '=', job.name).where('run_key', '=', key).execute().catch(() => {})
  }, HEARTBEAT_MS)
  beat.unref()
  try {
    const result = await job.run(services)
    await db.updateTable('job_runs').set({ status: 'completed', result: JSON.stringify(result ?? null), finished_at: clock.now().toISOString() })
      .where('name', '=', job.name).where('run_key', '=', key).execute()
    return { status: 'completed', result }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err)
    await db.updateTable('job_runs').set({ status: 'failed', result: JSON.stringify({ error }), finished_at: clock.now().toISOString() })
      .where('name', '=', job.name).where('run_key', '=', key).execute()
    return { status: 'failed', error }
  } finally {
    clearInterval(beat)
  }
}

/**
 * Runs every job when its run key changes (once a day), checking each minute. Every API process
 * may start one: the claim in the database lets only one of them run each job.
 */
export const startScheduler = (services: Services, log: Pick<Logger, 'info' | 'error'>, options: { everyMs?: number } = {}) => {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      for (const job of JOBS) {
        const outcome = await runJob(services, job)
        if (outcome.status === 'completed') log.info({ job: job.name, result: outcome.result }, 'job completed')
        if (outcome.status === 'failed') log.error({ job: job.name, error: outcome.error }, 'job failed')
      }
    } catch (err) {
      log.error({ err }, 'scheduler tick failed')
    } finally {
      running = false
    }
  }
  const first = setTimeout(() => void tick(), 5_000)
  const timer = setInterval(() => void tick(), options.everyMs ?? 60_000)
  first.unref()
  timer.unref()
  return {
    tick,
    stop: () => {
      clearTimeout(first)
      clearInterval(timer)
    },
  }
}
