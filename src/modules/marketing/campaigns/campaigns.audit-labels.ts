import type { AuditLabels } from '../../audit/index.js'
import { campaignLabels } from './campaigns-audit-labels.repository.js'

/** Campaigns by name in the audit log. */
export const campaignsAuditLabels: AuditLabels = { byPrefix: { cmp: (conn, ids) => campaignLabels(conn, ids) } }
