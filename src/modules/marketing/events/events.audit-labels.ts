import type { AuditLabels } from '../../audit/index.js'
import { eventLabels } from './events-audit-labels.repository.js'

/** Member events by title in the audit log. */
export const eventsAuditLabels: AuditLabels = { byPrefix: { mev: (conn, ids) => eventLabels(conn, ids) } }
