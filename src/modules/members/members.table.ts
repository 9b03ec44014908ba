import type { Channel, ConsentChannel, Education, Gender, IncomeBand, MemberStatus, Occupation } from './members.types.js'

export interface MembersTable {
  id: string
  card_no: string
  phone_enc: string | null
  phone_bidx: string | null
  phone_masked: string | null
  name_enc: string | null
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
  status: 'running' | 'completed' | 'failed'
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
}

export interface MemberImportErrorsTable {
  import_id: string
  line: number
  column_name: string
  value: string
  reason: string
}

export interface MembersTables {
  members: MembersTable
  member_consents: MemberConsentsTable
  member_consent_history: MemberConsentHistoryTable
  member_imports: MemberImportsTable
  member_import_errors: MemberImportErrorsTable
}
