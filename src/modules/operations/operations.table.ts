// Kysely table types of operations (migration 2026_12_18_0910).

export type BackupTrigger = 'schedule' | 'manual'
export type BackupStatus = 'running' | 'ok' | 'failed'

export interface BackupRunsTable {
  id: string
  trigger: BackupTrigger
  status: BackupStatus
  started_at: string
  finished_at: string | null
  /** who asked (a manual run), or null for the schedule */
  started_by: string | null
  /** the backup folder's name under the backups folder */
  name: string | null
  bytes: number | null
  rows_total: number | null
  /** JSON: the folders retention removed after this run */
  removed: string | null
  error: string | null
}

export interface OperationsTables {
  backup_runs: BackupRunsTable
}
