import type { AuditLabels } from '../../audit/index.js'
import { targetLabels } from './kpis.repository.js'

/** KPI targets by period, metric and scope. */
export const kpisAuditLabels: AuditLabels = { byPrefix: { kpt: (conn, ids) => targetLabels(conn, ids) } }
