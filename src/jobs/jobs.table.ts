export interface JobRunsTable {
  name: string
  /** one run per key (e.g. the local date): a second process finds it taken */
  run_key: string
  status: 'running' | 'completed' | 'failed'
  owner: string
  result: string | null
  started_at: string
  heartbeat_at: string
  finished_at: string | null
}

export interface JobsTables {
  job_runs: JobRunsTable
}
