import type { Channel, ConsentChannel, Education, Gender, IncomeBand, MemberStatus, Occupation } from './members.types.js'

export interface MembersTable {
  id: string
  card_no: string
  phone_enc: string | null
  phone_bidx: string | null
  phone_masked: string | null
  name_enc: string | null
  /** Keyed index of the normalised full name (exact-name search); null until backfilled for older rows. */
  name_bidx: string | null
  name_masked: string | null
  gender: Gender
  birthday: string | null
  id_number_enc: string | null
  id_number_bidx: string | null
  id_number_masked: string | null
  email_enc: string | null
  email_bidx: string | null
  email_masked: string | null
  occupation: Occupation | null
  education: Education | null
  income_band: IncomeBand | null
  district: string | null
  address_enc: string | null
  address_masked: string | null
  registration_store_id: string | null
  registered_by: string | null
  registration_channel: Channel
  external_code: string | null
  status: MemberStatus
  status_reason: string | null
  merged_into_id: string | null
  registered_at: string
  updated_at: string
}

export interface MemberConsentsTable {
  member_id: string
  channel: ConsentChannel
  granted: number
  source: string
  changed_at: string
  changed_by: string | null
}

export interface MemberConsentHistoryTable extends MemberConsentsTable {
  id: string
}

export interface MemberImportsTable {
  id: string
  status: 'running' | 'completed' | 'failed' | 'cancelled'
  source_name: string
  mapping: string
  update_existing: number
  registration_store_id: string | null
  total_bytes: number
  processed_bytes: number
  rows_read: number
  inserted: number
  updated: number
  skipped: number
  failed: number
  error_message: string | null
  created_by: string | null
  created_at: string
  /** Last sign of life of the process running it; a stale running import was interrupted. */
  heartbeat_at: string
  finished_at: string | null
  /** Why the run stopped, as a code the console translates (null: completed, or an older run). */
  error_code: string | null
  /** The uploaded file it reads (in the uploads folder), while it runs. */
  upload_file: string | null
}

export interface MemberImportErrorsTable {
  import_id: string
  line: number
  column_name: string
  value: string
  reason: string
  /** The refused value, encrypted: shown in clear only to the person who uploaded the file. */
  value_sealed: string | null
}

/** Member lookups of one actor (`staff:<id>` or `pos:<keyId>`) in one hour (`YYYY-MM-DDTHH`, UTC). */
export interface MemberLookupCountsTable {
  actor_key: string
  period: string
  actor_name: string | null
  store_id: string | null
  lookups: number
  misses: number
  /** The current minute (`YYYY-MM-DDTHH:MM`) and the lookups in it. */
  minute: string
  minute_lookups: number
}

export interface MembersTables {
  members: MembersTable
  member_consents: MemberConsentsTable
  member_consent_history: MemberConsentHistoryTable
  member_imports: MemberImportsTable
  member_import_errors: MemberImportErrorsTable
  member_lookup_counts: MemberLookupCountsTable
}
