import type { AuditLabels } from '../audit/index.js'
import * as repo from './org.repository.js'

/** Stores by code and name, regions by name. */
export const orgAuditLabels: AuditLabels = {
  byPrefix: {
    sto: async (conn, ids) => (await repo.findStoresByIds(conn, ids)).map((r) => ({ id: r.id, label: `${r.code} ${r.name}` })),
    reg: async (conn, ids) => (await repo.findRegionsByIds(conn, ids)).map((r) => ({ id: r.id, label: r.name })),
  },
}
