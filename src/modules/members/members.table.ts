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
  member_lookup_counts: MemberLookupCountsTable
}
