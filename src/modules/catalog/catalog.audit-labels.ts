import type { AuditLabels } from '../audit/index.js'
import { findProductNamesByIds } from './catalog.repository.js'

/** Products by name. */
export const catalogAuditLabels: AuditLabels = {
  byPrefix: {
    prd: async (conn, ids) => (await findProductNamesByIds(conn, ids)).map((r) => ({ id: r.id, label: r.name })),
  },
}
