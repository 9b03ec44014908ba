import type { AuditLabels, Labeller } from '../audit/index.js'
import { findImportLabels } from './imports.repository.js'

const byFile: Labeller = (conn, ids) => findImportLabels(conn, ids)

/** Imports of every kind by their file's name. */
export const importsAuditLabels: AuditLabels = {
  byPrefix: { imp: byFile, rim: byFile, pim: byFile },
}
