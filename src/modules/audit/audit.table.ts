export interface AuditLogTable {
  id: string
  at: string
  actor_type: 'staff' | 'pos' | 'system'
  actor_id: string | null
  actor_name: string | null
  ip: string | null
  action: string
  entity_type: string
  entity_id: string | null
  store_id: string | null
  /** JSON: { field: { from, to } } with PII values redacted, or other context of the action. */
  changes: string | null
  /** the entry's place in the hash chain: 1, 2, 3, … in the order sealed; null until the sealer chains it (within a minute) */
  chain_seq: number | null
  /** the previous entry's hash (64 zeros for the first) */
  prev_hash: string | null
  /** SHA-256 of prev_hash and this entry's fields (src/shared/audit-hash.ts) */
  hash: string | null
}

export interface AuditTables {
  audit_log: AuditLogTable
}
