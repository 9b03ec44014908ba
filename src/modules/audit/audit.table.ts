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
}

export interface AuditTables {
  audit_log: AuditLogTable
}
