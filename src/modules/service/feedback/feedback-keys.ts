import type { SealedColumns } from '../../../db/sealed-columns.js'

/** The contact a suggestion's author left, encrypted with the data key. */
export const suggestionsSealedColumns: SealedColumns = { table: 'suggestions', id: 'id', columns: { contact_name_enc: 'name', contact_phone_enc: 'phone' } }
