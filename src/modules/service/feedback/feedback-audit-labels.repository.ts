import type { AuditLabels } from '../../audit/index.js'

/** How the audit log names suggestions (their number) and surveys (their title). */
export const feedbackAuditLabels: AuditLabels = {
  byPrefix: {
    sug: (db, ids) => db.selectFrom('suggestions').select(['id', 'number as label']).where('id', 'in', ids).execute(),
    svy: (db, ids) => db.selectFrom('surveys').select(['id', 'title as label']).where('id', 'in', ids).execute(),
  },
}
