import type { Db, Engine, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { dateIn } from '../../shared/time.js'
import type { AuditService } from '../audit/index.js'
import { JobRegistry, type ScheduleDefinition } from './job-registry.js'
import type { DurableEventName, DurableEvents } from './outbox.events.js'
import * as repo from './outbox.repository.js'
import type { JobQueueTable, JobStatus } from './outbox.table.js'

export interface OutboxDeps {
  db: Db
  engine: Engine
  clock: Clock
  audit: AuditService
  timezone: string
  registry?: JobRegistry
}

export interface EnqueueOptions {
  /** not before this time (ISO) */
  runAt?: string
  /** a second enqueue with the same key is a no-op (whether the first is queued, running or done) */
  key?: string
  maxAttempts?: number
}

export interface QueuedJob {
  id: string
  name: string
  payload: unknown
  runAt: string
  status: JobStatus
  attempts: number
  maxAttempts: number
  lastError: string | null
  result: unknown
  lockedBy: string | null
  lockedUntil: string | null
  key: string | null
  createdAt: string
  updatedAt: string
  finishedAt: string | null
  /** how far a job that reports progress has come (its last report) */
  progress: JobProgress | null
}

export interface JobProgress {
  done: number
  total: number
  /** what it is doing, in the job's words (e.g. a series' name) */
  step: string | null
}

export interface QueueView {
  name: string
  /** queued jobs, due or not */
  queued: number
  /** queued jobs whose time has come */
  due: number
  /** seconds since the oldest due job became due (0 when none is waiting) */
  lagSeconds: number
  running: number
  done: number
  dead: number
}

export const DEFAULT_MAX_ATTEMPTS = 5
const BACKOFF_BASE_MS = 30_000
const BACKOFF_CAP_MS = 60 * 60_000

/** Wait before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min, … at most an hour. */
export const backoffMs = (attempts: number): number => Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1))

const parse = (text: string | null): unknown => {
  if (text === null) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const toQueuedJob = (row: JobQueueTable): QueuedJob => ({
  id: row.id, name: row.name, payload: parse(row.payload), runAt: row.run_at, status: row.status, attempts: Number(row.attempts),
  maxAttempts: Number(row.max_attempts), lastError: row.last_error, result: parse(row.result), lockedBy: row.locked_by, lockedUntil: row.locked_until,
  key: row.dedupe_key, createdAt: row.created_at, updatedAt: row.updated_at, finishedAt: row.finished_at,
  progress: row.progress ? parse(row.progress) as JobProgress : null,
})

/** The period a schedule runs once in: the chain's local date, or the n-minute slot. */
export const scheduleRunKey = (schedule: ScheduleDefinition, now: Date, timezone: string): string =>
  schedule.daily ? dateIn(now, timezone) : `${Math.floor(now.getTime() / (schedule.everyMinutes! * 60_000))}`

export const createOutboxService = ({ db, engine, clock, audit, timezone, registry = new JobRegistry() }: OutboxDeps) => {
  const now = () => clock.now().toISOString()
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString()

  // Workers of this process nap between polls; a job queued here wakes them instead of waiting
  // for the next poll. The enqueue runs inside the caller's transaction, whose commit we cannot
  // see: wake them a moment later, and again later still for a transaction slow to commit (a
  // wake that finds nothing costs one claim query).
  const listeners = new Set<() => void>()
  const queued = () => {
    if (!listeners.size) return
    for (const ms of [20, 300, 1_500]) setTimeout(() => { for (const l of listeners) l() }, ms).unref()
  }
  /** Calls `listener` soon after a job is queued in this process; returns what stops it. */
  const onQueued = (listener: () => void) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }

  const rowFor = (name: string, payload: unknown, options: EnqueueOptions, at: string): JobQueueTable => ({
    id: newId('job'), name, payload: JSON.stringify(payload ?? {}), run_at: options.runAt ? new Date(options.runAt).toISOString() : at, status: 'queued',
    attempts: 0, max_attempts: options.maxAttempts ?? registry.get(name)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, last_error: null, result: null,
    locked_by: null, locked_until: null, dedupe_key: options.key ?? null, created_at: at, updated_at: at, finished_at: null,
  })

  /**
   * Queues a job in the caller's transaction: it is committed with the caller's change or not at
   * all. Returns the job's id, or null when its key was already taken.
   */
  const enqueue = async (trx: Db | Trx, name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> => {
    const [id] = await repo.insertJobs(trx, [rowFor(name, payload, options, now())])
    if (id) queued()
    return id ?? null
  }

  /** Publishes durable events in the caller's transaction: one job per subscriber and event. */
  const publishMany = async <E extends DurableEventName>(trx: Db | Trx, event: E, payloads: readonly DurableEvents[E][]): Promise<number> => {
    const at = now()
    const rows: JobQueueTable[] = []
    for (const job of registry.subscribers(event)) {
      for (const p of payloads) {
        if (job.when && !job.when(p)) continue
        rows.push(rowFor(job.name, p, { key: job.key ? `${job.name}:${job.key(p)}` : undefined }, at))
      }
    }
    const written = (await repo.insertJobs(trx, rows)).length
    if (written) queued()
    return written
  }

  const publish = <E extends DurableEventName>(trx: Db | Trx, event: E, payload: DurableEvents[E]): Promise<number> => publishMany(trx, event, [payload])

  // What workers call.
  const claim = async (owner: string, options: { limit: number; leaseMs: number; names?: readonly string[] }): Promise<QueuedJob[]> => {
    const rows = await repo.claimDue(db, engine, { owner, now: now(), until: later(options.leaseMs), limit: options.limit, names: options.names })
    return rows.map(toQueuedJob)
  }

  const claimByKey = async (key: string, owner: string, leaseMs: number): Promise<QueuedJob | null> => {
    const row = await repo.claimByKey(db, key, { owner, now: now(), until: later(leaseMs) })
    return row ? toQueuedJob(row) : null
  }

  const renew = (id: string, owner: string, leaseMs: number) => repo.renewLease(db, id, owner, later(leaseMs), now())

  /** A running job's progress, written while this worker holds it. */
  const reportProgress = (id: string, owner: string, progress: JobProgress) => repo.setProgress(db, id, owner, JSON.stringify(progress), now())

  const complete = (id: string, owner: string, result: unknown) =>
    repo.completeJob(db, id, owner, result === undefined ? null : JSON.stringify(result), now())

  /** A failed attempt: again after a backoff, or to the dead-letter list once its attempts are spent. */
  const fail = (job: Pick<QueuedJob, 'id' | 'attempts' | 'maxAttempts'>, owner: string, error: string) =>
    repo.failJob(db, job.id, owner, error.slice(0, 2000), job.attempts >= job.maxAttempts ? null : later(backoffMs(job.attempts)), now())

  const release = (id: string, owner: string) => repo.releaseJob(db, id, owner, now())

  const buryAbandoned = () => repo.buryAbandoned(db, now())

  /** Queues each schedule's job once per period (the dedupe key names the period); the worker runs it. */
  const enqueueSchedules = async (): Promise<number> => {
    let queued = 0
    for (const s of registry.schedules) {
      if (await enqueue(db, s.job.name, s.payload ?? {}, { key: `${s.name}:${scheduleRunKey(s, clock.now(), timezone)}` })) queued++
    }
    return queued
  }

  const findByKey = async (key: string): Promise<QueuedJob | null> => {
    const row = await repo.findJobByKey(db, key)
    return row ? toQueuedJob(row) : null
  }

  const findById = async (id: string): Promise<QueuedJob | null> => {
    const row = await repo.findJobById(db, id)
    return row ? toQueuedJob(row) : null
  }

  /** Forgets jobs done more than `days` ago. */
  const prune = async (days = 7) => ({ deleted: await repo.deleteDoneBefore(db, later(-days * 86_400_000)) })

  // The console's view.
  const queues = async (actor: Actor): Promise<QueueView[]> => {
    assertCan(actor, 'jobs.manage')
    const at = now()
    const [counts, due] = await Promise.all([repo.countByNameAndStatus(db), repo.oldestDueByName(db, at)])
    const names = [...new Set([...registry.names(), ...counts.map((c) => c.name)])].sort()
    return names.map((name) => {
      const n = (status: JobStatus) => Number(counts.find((c) => c.name === name && c.status === status)?.n ?? 0)
      const d = due.find((x) => x.name === name)
      return {
        name, queued: n('queued'), due: Number(d?.n ?? 0), lagSeconds: d?.oldest ? Math.max(0, Math.round((Date.parse(at) - Date.parse(d.oldest)) / 1000)) : 0,
        running: n('running'), done: n('done'), dead: n('dead'),
      }
    })
  }

  const jobs = async (actor: Actor, filter: { status?: JobStatus; name?: string; failed?: boolean; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'jobs.manage')
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
    const rows = await repo.listJobs(db, { status: filter.status, name: filter.name, failed: filter.failed, after: filter.cursor, limit: limit + 1 })
    const items = rows.slice(0, limit).map(toQueuedJob)
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const mustBeDead = async (trx: Trx, id: string) => {
    const row = await repo.findJobById(trx, id)
    if (!row) throw notFound('JOB_NOT_FOUND', [{ field: 'id', reason: 'no such job' }])
    if (row.status !== 'dead') throw conflict('JOB_NOT_DEAD', [{ field: 'id', reason: `the job is ${row.status}; only dead jobs are retried or discarded` }])
    return row
  }

  /** A dead job is queued again now, with its attempts reset. */
  const retry = (actor: Actor, id: string): Promise<QueuedJob> => {
    assertCan(actor, 'jobs.manage')
    return db.transaction().execute(async (trx) => {
      const row = await mustBeDead(trx, id)
      // Two admins at once: the second finds it queued already.
      if (!(await repo.requeueDead(trx, id, now()))) throw conflict('JOB_NOT_DEAD', [{ field: 'id', reason: 'the job was queued again meanwhile' }])
      await audit.record(trx, actor, { action: 'job.retry', entityType: 'job', entityId: id, changes: { job: row.name, attempts: Number(row.attempts), error: row.last_error } })
      return toQueuedJob((await repo.findJobById(trx, id))!)
    })
  }

  /** A dead job is deleted: what it would have done is given up. */
  const discard = (actor: Actor, id: string): Promise<void> => {
    assertCan(actor, 'jobs.manage')
    return db.transaction().execute(async (trx) => {
      const row = await mustBeDead(trx, id)
      if (!(await repo.deleteDead(trx, id))) throw notFound('JOB_NOT_FOUND', [{ field: 'id', reason: 'the job was discarded or retried meanwhile' }])
      await audit.record(trx, actor, { action: 'job.discard', entityType: 'job', entityId: id, changes: { job: row.name, attempts: Number(row.attempts), error: row.last_error } })
    })
  }

  return {
    registry, enqueue, publish, publishMany, onQueued, claim, claimByKey, renew, complete, fail, release, buryAbandoned, enqueueSchedules, findByKey, findById, reportProgress, prune,
    queues, jobs, retry, discard,
  }
}

export type OutboxService = ReturnType<typeof createOutboxService>

/** What a module that publishes durable events needs of the outbox. */
export type Publisher = Pick<OutboxService, 'publish' | 'publishMany' | 'enqueue'>
