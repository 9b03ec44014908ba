import type { SealedColumns } from '../../db/sealed-columns.js'
import { TOTP_FIELD } from './two-factor.js'

/** A staff user's two-factor secret (and one being set up), encrypted with the data key. */
export const authSealedColumns: SealedColumns = { table: 'staff_users', id: 'id', columns: { totp_secret_enc: TOTP_FIELD, totp_pending_enc: TOTP_FIELD } }
