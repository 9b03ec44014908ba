import { scheduleRunKey, type JobRun } from '../modules/outbox/index.js'
import { jobRegistry, type Services } from '../services.js'
import { DEFAULT_LEASE_MS, runHeld, workerOwner, type JobOutcome } from './worker.js'

export type { JobOutcome } from './worker.js'

/** A scheduled job as `patron jobs` shows and runs it. */
export interface JobDefinition {
  name: string
  description: string
  /** One run per key: the chain's local date for daily jobs. */
  runKey: (now: Date, timezone: string) => string
  run: (services: Services, job?: JobRun) => Promise<unknown>
}

/** The schedules every module declares in its `<module>.jobs.ts`. */
export const JOBS: JobDefinition[] = jobRegistry().schedules.map((s) => ({
  name: s.name,
  description: s.description,
  runKey: (now, timezone) => scheduleRunKey(s, now, timezone),
  run: (services, job) => s.job.run(s.payload ?? {}, { ...services, job: job ?? { id: 'manual', name: s.job.name, attempt: 1, enqueuedAt: services.clock.now().toISOString() } }),
}))

export const findJob = (name: string): JobDefinition | undefined => JOBS.find((j) => j.name === name)

export const jobOwner = () => workerOwner()

/**
 * Runs a scheduled job's run for `key` (today's by default) now, in this process, through the
 * queue: the run is the queued job with the dedupe key `name:key`, so with several processes
 * exactly one runs it; a done run is not repeated, a failed or abandoned one is.
 */
export const runJob = async (services: Services, job: JobDefinition, options: { key?: string; owner?: string } = {}): Promise<JobOutcome> => {
  const { outbox, clock, timezone, db } = services
  const key = `${job.name}:${options.key ?? job.runKey(clock.now(), timezone)}`
  const owner = options.owner ?? jobOwner()
  await outbox.enqueue(db, job.name, {}, { key })
  const held = await outbox.claimByKey(key, owner, DEFAULT_LEASE_MS)
  if (!held) return { status: 'skipped', reason: `run ${key} is done or running elsewhere` }
  return runHeld(services, held, owner, (run) => job.run(services, run))
}
