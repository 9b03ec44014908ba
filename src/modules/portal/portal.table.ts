// The member's own page (issue 17): sign-in codes sent by SMS and the members' sessions, apart
// from staff sessions (their own table, cookie and lifetime).

/** A one-time code sent to a mobile number; kept a day for the rate limits, then pruned. */
export interface MemberLoginCodesTable {
  id: string
  /** keyed hash of the number (its own domain, not the members' phone index) */
  phone_index: string
  /** SHA-256 of the id and the code: the code itself is never stored */
  code_hash: string
  /** the address that asked for it (per-address limit) */
  ip: string | null
  created_at: string
  expires_at: string
  /** wrong codes tried against it */
  attempts: number
  used_at: string | null
}

export interface MemberSessionsTable {
  /** SHA-256 of the cookie token */
  id: string
  member_id: string
  created_at: string
  last_seen_at: string
  expires_at: string
  ip: string | null
  user_agent: string | null
}

export interface PortalTables {
  member_login_codes: MemberLoginCodesTable
  member_sessions: MemberSessionsTable
}
