export { createAuditService, diffFields, REDACTED } from './audit.service.js'
export type { AuditEntry, AuditInput, AuditQuery, AuditService } from './audit.service.js'
