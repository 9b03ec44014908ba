import { hostname } from 'node:os'
import type { Logger } from 'pino'
import type { JobRun, QueuedJob } from '../modules/outbox/index.js'
import type { Services } from '../services.js'

/** A claimed job not finished by then is claimed by another worker (this one died); a live worker renews it. */
export const DEFAULT_LEASE_MS = 5 * 60_000

export type JobOutcome =
  | { status: 'completed'; result: unknown }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string }

type Log = Pick<Logger, 'info' | 'error' | 'warn'>

/** A job's progress is written at most this often (and at its end). */
const PROGRESS_EVERY_MS = 1_000

export const workerOwner = (n = 0) => `${hostname()}:${process.pid}:${n}`

/**
 * Runs `work` for a job this worker holds, renewing its lease while it runs (a long handler keeps
 * its job), then completes it or records the failure (retried after a backoff, dead after the
 * last attempt). The handler's result is kept with the job.
 */
export const runHeld = async (services: Services, job: QueuedJob, owner: string, work: (run: JobRun) => Promise<unknown>, leaseMs = DEFAULT_LEASE_MS): Promise<JobOutcome> => {
  const { outbox } = services
  const beat = setInterval(() => void outbox.renew(job.id, owner, leaseMs).catch(() => {}), Math.max(1_000, leaseMs / 3))
  beat.unref()
  let reported = 0
  const progress = async (done: number, total: number, step?: string) => {
    const at = Date.now()
    if (done < total && at - reported < PROGRESS_EVERY_MS) return
    reported = at
    await outbox.reportProgress(job.id, owner, { done, total, step: step ?? null })
  }
  try {
    const result = await work({ id: job.id, name: job.name, attempt: job.attempts, enqueuedAt: job.createdAt, progress })
    await outbox.complete(job.id, owner, result ?? null)
    return { status: 'completed', result }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err)
    await outbox.fail(job, owner, error)
    return { status: 'failed', error }
  } finally {
    clearInterval(beat)
  }
}

/** Runs a claimed job by its declared handler, with every service as its context. */
export const runQueued = (services: Services, job: QueuedJob, owner: string, leaseMs = DEFAULT_LEASE_MS): Promise<JobOutcome> => {
  const definition = services.outbox.registry.get(job.name)
  if (!definition) return Promise.resolve({ status: 'skipped', reason: `no job named ${job.name}` })
  return runHeld(services, job, owner, (run) => definition.run(job.payload, { ...services, job: run }), leaseMs)
}

export interface DrainResult {
  completed: number
  failed: number
}

/**
 * Runs due jobs until none is left (tests, the demo seed, `patron worker --once`). Jobs retried
 * after a backoff are not due yet, so it ends; jobs a handler enqueues meanwhile are run too.
 */
export const runUntilIdle = async (services: Services, options: { owner?: string; batch?: number; leaseMs?: number; maxRounds?: number } = {}): Promise<DrainResult> => {
  const owner = options.owner ?? workerOwner()
  const out: DrainResult = { completed: 0, failed: 0 }
  for (let round = 0; round < (options.maxRounds ?? 10_000); round++) {
    await services.outbox.buryAbandoned()
    const jobs = await services.outbox.claim(owner, { limit: options.batch ?? 20, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, names: services.outbox.registry.names() })
    if (jobs.length === 0) break
    for (const job of jobs) {
      const outcome = await runQueued(services, job, owner, options.leaseMs)
      if (outcome.status === 'completed') out.completed++
      if (outcome.status === 'failed') out.failed++
    }
  }
  return out
}

export interface WorkerOptions {
  owner?: string
  /** how long to wait when no job is due */
  pollMs?: number
  leaseMs?: number
  batch?: number
  log?: Log
}

export interface Worker {
  owner: string
  /** Finishes the job in hand, gives back the rest it claimed, and stops. */
  stop(): Promise<void>
}

/** A worker loop: claims due jobs of the names this process knows, runs them one by one, sleeps when idle. */
export const startWorker = (services: Services, options: WorkerOptions = {}): Worker => {
  const owner = options.owner ?? workerOwner()
  const pollMs = options.pollMs ?? 1_000
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
  let stopping = false
  let wake: (() => void) | null = null
  const nap = () => new Promise<void>((resolve) => {
    // Asked to stop while claiming: no nap, the loop ends now.
    if (stopping) return resolve()
    const timer = setTimeout(() => {
      wake = null
      resolve()
    }, pollMs)
    wake = () => {
      clearTimeout(timer)
      wake = null
      resolve()
    }
  })
  const unsubscribe = services.outbox.onQueued(() => wake?.())
  let buriedAt = 0
  const loop = async () => {
    while (!stopping) {
      try {
        // Jobs whose worker died on their last attempt: looked for now and then, not every poll.
        if (Date.now() - buriedAt > 30_000) {
          await services.outbox.buryAbandoned()
          buriedAt = Date.now()
        }
        const jobs = await services.outbox.claim(owner, { limit: options.batch ?? 10, leaseMs, names: services.outbox.registry.names() })
        if (jobs.length === 0) {
          await nap()
          continue
        }
        for (const job of jobs) {
          if (stopping) {
            await services.outbox.release(job.id, owner)
            continue
          }
          const outcome = await runQueued(services, job, owner, leaseMs)
          if (outcome.status === 'failed') options.log?.warn({ job: job.name, id: job.id, attempt: job.attempts, error: outcome.error }, 'job failed')
        }
      } catch (err) {
        options.log?.error({ err }, 'worker poll failed')
        if (!stopping) await nap()
      }
    }
  }
  const running = loop()
  return {
    owner,
    stop: async () => {
      stopping = true
      unsubscribe()
      wake?.()
      await running
    },
  }
}

/**
 * Queues every schedule's job once per period, checking each minute; the workers run them. Every
 * process may run one: the dedupe key lets only the first queue each period's job.
 */
export const startScheduler = (services: Services, log: Pick<Logger, 'info' | 'error'>, options: { everyMs?: number } = {}) => {
  const tick = async () => {
    try {
      const queued = await services.outbox.enqueueSchedules()
      if (queued) log.info({ queued }, 'scheduled jobs queued')
    } catch (err) {
      log.error({ err }, 'scheduler tick failed')
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
