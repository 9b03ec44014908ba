import type { AuditLabels } from '../../audit/index.js'

/** How the audit log names the desk's things: teams and categories by name, tickets and what hangs on them by ticket number. */
export const ticketsAuditLabels: AuditLabels = {
  byPrefix: {
    stm: (db, ids) => db.selectFrom('service_teams').select(['id', 'name as label']).where('id', 'in', ids).execute(),
    scg: (db, ids) => db.selectFrom('service_categories').select(['id', 'name as label']).where('id', 'in', ids).execute(),
    tkt: (db, ids) => db.selectFrom('tickets').select(['id', 'ticket_no as label']).where('id', 'in', ids).execute(),
    tcm: (db, ids) => db.selectFrom('ticket_compensations').innerJoin('tickets', 'tickets.id', 'ticket_compensations.ticket_id')
      .select(['ticket_compensations.id as id', 'tickets.ticket_no', 'ticket_compensations.kind']).where('ticket_compensations.id', 'in', ids).execute()
      .then((rows) => rows.map((r) => ({ id: r.id, label: `${r.ticket_no} ${r.kind}` }))),
    tfu: (db, ids) => db.selectFrom('ticket_followups').innerJoin('tickets', 'tickets.id', 'ticket_followups.ticket_id')
      .select(['ticket_followups.id as id', 'tickets.ticket_no as label']).where('ticket_followups.id', 'in', ids).execute(),
    tph: (db, ids) => db.selectFrom('ticket_photos').innerJoin('tickets', 'tickets.id', 'ticket_photos.ticket_id')
      .select(['ticket_photos.id as id', 'tickets.ticket_no as label']).where('ticket_photos.id', 'in', ids).execute(),
  },
}
