export { createAuditService, diffFields, REDACTED } from './audit.service.js'
export type { AuditDeps, AuditEntry, AuditInput, AuditQuery, AuditService } from './audit.service.js'
export type { AuditLabels, Labeller, Labelled } from './audit-labels.js'
