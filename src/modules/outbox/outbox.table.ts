export type JobStatus = 'queued' | 'running' | 'done' | 'dead'

export interface JobQueueTable {
  id: string
  /** the job's name, as declared with defineJob (e.g. `coupons.issueWelcome`) */
  name: string
  /** JSON text */
  payload: string
  /** not claimed before this time (delayed jobs, retry backoff) */
  run_at: string
  status: JobStatus
  /** claims so far, counted when claimed, so a worker that dies mid-job uses up an attempt */
  attempts: number
  max_attempts: number
  last_error: string | null
  /** JSON text of what the handler returned */
  result: string | null
  locked_by: string | null
  /** the lease: a running job whose lease has run out is claimed again (its worker died) */
  locked_until: string | null
  /** unique when set: enqueuing a job with a key already queued or run changes nothing */
  dedupe_key: string | null
  created_at: string
  updated_at: string
  finished_at: string | null
  /** JSON { done, total, step } a running job last reported; null when it reports none */
  progress?: string | null
}

export interface OutboxTables {
  job_queue: JobQueueTable
}
