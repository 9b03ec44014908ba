import type { AuditLabels } from '../audit/index.js'

/** How the audit log names receipts: by receipt number. */
export const transactionsAuditLabels: AuditLabels = {
  byPrefix: {
    rct: (db, ids) => db.selectFrom('receipts').select(['id', 'receipt_no as label']).where('id', 'in', ids).execute(),
  },
}
