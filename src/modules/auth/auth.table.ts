import type { Role } from '../../shared/permissions.js'

export interface StaffUsersTable {
  id: string
  username: string
  display_name: string
  password_hash: string
  role: Role
  store_id: string | null
  /** a region manager's region (null for every other role) */
  region_id?: string | null
  status: 'active' | 'disabled'
  password_changed_at: string
  created_at: string
  updated_at: string
  /** the TOTP secret (base32), encrypted with the data key; null until two-factor sign-in is on */
  totp_secret_enc?: string | null
  /** a secret being set up, until a first code from it confirms it */
  totp_pending_enc?: string | null
  totp_enabled_at?: string | null
  /** the 30-second step of the last code accepted: a code is refused a second time */
  totp_last_step?: number | null
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database does not hold usable sessions. */
  id: string
  user_id: string
  created_at: string
  expires_at: string
  last_seen_at: string
  ip: string | null
  user_agent: string | null
}

export interface LoginThrottleTable {
  key: string
  failures: number
  window_started_at: string
  locked_until: string | null
}

export interface PosApiKeysTable {
  id: string
  store_id: string
  name: string
  key_hash: string
  key_prefix: string
  created_by: string | null
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}

export interface AuthTables {
  staff_users: StaffUsersTable
  sessions: SessionsTable
  login_throttle: LoginThrottleTable
  pos_api_keys: PosApiKeysTable
}
