import type { AuditLabels } from '../../audit/index.js'
import { segmentLabels } from './segments.repository.js'

/** Segments by name in the audit log. */
export const segmentsAuditLabels: AuditLabels = { byPrefix: { seg: (conn, ids) => segmentLabels(conn, ids) } }
