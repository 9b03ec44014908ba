import type { AuditLabels } from '../../audit/index.js'
import { journeyLabels } from './journeys-audit-labels.repository.js'

/** Journeys by name in the audit log. */
export const journeysAuditLabels: AuditLabels = { byPrefix: { jny: (conn, ids) => journeyLabels(conn, ids) } }
