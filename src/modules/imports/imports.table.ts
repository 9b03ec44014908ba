/** One run of an import of any kind (members, receipts, products, …). */
export interface ImportsTable {
  id: string
  /** The kind that ran it: 'members', 'receipts', 'products', … */
  kind: string
  status: 'running' | 'completed' | 'failed' | 'cancelled'
  source_name: string
  /** The kind's settings (mapping, options), JSON. */
  settings: string
  /** The kind's progress counts (rows read, inserted, …), JSON. */
  counts: string
  total_bytes: number
  processed_bytes: number
  /** Why the run stopped, as a code the console translates (null: completed or running). */
  error_code: string | null
  error_message: string | null
  created_by: string | null
  /** The store the run is for (a member import's registration store, a receipt import's store), if one. */
  store_id: string | null
  created_at: string
  /** Last sign of life of the process running it; a stale running import was interrupted. */
  heartbeat_at: string
  finished_at: string | null
  /** The uploaded file it reads (in the uploads folder), while it runs. */
  upload_file: string | null
}

/** A refused row (or a problem with one) of an import. */
export interface ImportErrorsTable {
  import_id: string
  line: number
  column_name: string
  /** As in the file, or masked when it is personal data. */
  value: string
  /** The refused value, encrypted: shown in clear only to the person who uploaded the file. */
  value_sealed: string | null
  reason: string
}

export interface ImportsTables {
  imports: ImportsTable
  import_errors: ImportErrorsTable
}
