import type { AuditLabels } from '../audit/index.js'
import * as repo from './auth.repository.js'

/** Staff users by display name and username, till keys by name. */
export const authAuditLabels: AuditLabels = {
  byPrefix: {
    usr: async (conn, ids) => (await repo.findUsersByIds(conn, ids))
      .map((r) => ({ id: r.id, label: r.display_name && r.display_name !== r.username ? `${r.display_name}（${r.username}）` : r.username })),
    key: async (conn, ids) => (await repo.findPosKeysByIds(conn, ids)).map((r) => ({ id: r.id, label: r.name })),
  },
}
