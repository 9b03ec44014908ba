// Kysely table types of personal-data requests (migration 2026_12_18_0900).

/** pending: waiting out the cooling-off period; cancelled: withdrawn before it ran; done: erased */
export type ErasureStatus = 'pending' | 'cancelled' | 'done'
/** where the person asked: at the service desk (staff), on the member's own page, by HQ's retention sweep */
export type ErasureChannel = 'desk' | 'member_page' | 'retention'

export interface ErasureRequestsTable {
  id: string
  member_id: string
  /** the member's registration store when asked (store and region roles see their own) */
  store_id: string | null
  status: ErasureStatus
  channel: ErasureChannel
  /** why, in staff's words; cleared when the erasure runs (it may name the person) */
  reason: string | null
  requested_by: string | null
  requested_at: string
  /** when the erasure runs: the request's time plus the cooling-off days */
  due_at: string
  cancelled_by: string | null
  cancelled_at: string | null
  done_at: string | null
  /** JSON: what the erasure did (records erased, points and coupons forfeited) */
  result: string | null
}

export interface PrivacySettingsTable {
  key: string
  value: string
  updated_by: string | null
  updated_at: string
}

export interface PrivacyTables {
  erasure_requests: ErasureRequestsTable
  privacy_settings: PrivacySettingsTable
}
