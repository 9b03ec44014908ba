import type { DurableEventName, DurableEvents } from './outbox.events.js'

/** What a handler gets besides the services it asks for: which job and attempt it is running. */
export interface JobRun {
  id: string
  name: string
  attempt: number
  /** when the job was enqueued (the commit of the change that caused it) */
  enqueuedAt: string
  /**
   * Reports how far the job has come (a long job: the page that queued it shows it). Written at
   * most once a second, and always at the end (done = total); absent where nothing listens (tests).
   */
  progress?: (done: number, total: number, step?: string) => Promise<void>
}

/**
 * A job: a named, idempotent handler (a retry after a crash must repeat no effect). `C` is what
 * the handler needs of the services; the worker passes all of them. (Methods, not function
 * properties, so a job of any payload fits a list of jobs.)
 */
export interface JobDefinition<P = unknown, C = unknown> {
  name: string
  description: string
  /** subscribe to a durable event: every `publish` of it enqueues this job with the event as payload */
  on?: DurableEventName
  /** at publish time: false skips this subscriber for the event (no row is written) */
  when?(payload: P): boolean
  /** a dedupe key for the payload: a second enqueue with the same key is a no-op */
  key?(payload: P): string
  /** attempts before the job goes to the dead-letter list (default 5) */
  maxAttempts?: number
  run(payload: P, ctx: C & { job: JobRun }): Promise<unknown>
}

type EventJob<E extends DurableEventName, C> = Omit<JobDefinition<DurableEvents[E], C>, 'on'> & { on: E }

/** Declares a job (in a module's `<module>.jobs.ts`). With `on`, it subscribes to that durable event. */
export function defineJob<E extends DurableEventName, C = unknown>(job: EventJob<E, C>): JobDefinition<DurableEvents[E], C>
export function defineJob<P = Record<string, never>, C = unknown>(job: JobDefinition<P, C> & { on?: undefined }): JobDefinition<P, C>
export function defineJob(job: JobDefinition): JobDefinition {
  return job
}

/** Subscribes an already declared job to a durable event. */
export const subscribe = <E extends DurableEventName, C>(event: E, job: JobDefinition<DurableEvents[E], C>): JobDefinition<DurableEvents[E], C> =>
  ({ ...job, on: event })

export interface ScheduleDefinition {
  /** the name `patron jobs run` takes; the job's name unless given */
  name: string
  description: string
  job: JobDefinition
  /** once a day (the chain's local date) */
  daily?: true
  /** once every so many minutes */
  everyMinutes?: number
  payload?: unknown
}

/** Declares a schedule: its job is enqueued once per period (dedupe key `name:period`), and the worker runs it. */
export const defineSchedule = (s: { name?: string; description?: string; job: JobDefinition; daily?: true; everyMinutes?: number; payload?: unknown }): ScheduleDefinition => {
  if (!s.daily === !s.everyMinutes) throw new Error(`schedule ${s.name ?? s.job.name}: give daily or everyMinutes`)
  return { ...s, name: s.name ?? s.job.name, description: s.description ?? s.job.description }
}

/** The jobs and schedules of every module, as wired in services.ts; tests may add their own. */
export class JobRegistry {
  private readonly jobs = new Map<string, JobDefinition>()
  readonly schedules: ScheduleDefinition[] = []

  constructor(jobs: readonly JobDefinition[] = [], schedules: readonly ScheduleDefinition[] = []) {
    for (const j of jobs) this.add(j)
    for (const s of schedules) this.addSchedule(s)
  }

  /** Adds a job; returns what removes it again (tests). */
  add(job: JobDefinition): () => void {
    const known = this.jobs.get(job.name)
    if (known && known !== job) throw new Error(`two jobs named ${job.name}`)
    this.jobs.set(job.name, job)
    return () => {
      if (this.jobs.get(job.name) === job) this.jobs.delete(job.name)
    }
  }

  addSchedule(schedule: ScheduleDefinition): void {
    if (this.schedules.some((s) => s.name === schedule.name)) throw new Error(`two schedules named ${schedule.name}`)
    this.add(schedule.job)
    this.schedules.push(schedule)
  }

  get(name: string): JobDefinition | undefined {
    return this.jobs.get(name)
  }

  names(): string[] {
    return [...this.jobs.keys()]
  }

  subscribers(event: DurableEventName): JobDefinition[] {
    return [...this.jobs.values()].filter((j) => j.on === event)
  }

  schedule(name: string): ScheduleDefinition | undefined {
    return this.schedules.find((s) => s.name === name)
  }
}
