import type { SealedColumns } from '../../../db/sealed-columns.js'

/** The contact of a ticket from someone not a member, encrypted with the data key. */
export const ticketsSealedColumns: SealedColumns = { table: 'tickets', id: 'id', columns: { contact_name_enc: 'tickets.contact_name', contact_phone_enc: 'tickets.contact_phone' } }
