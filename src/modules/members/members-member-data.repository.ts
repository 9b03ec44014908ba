import type { Db, Trx } from '../../db/database.js'
import type { MembersTable } from './members.table.js'

// Members' queries for the member-data contract (export and erasure; a merge's consent moves are
// in members.repository.ts): a member's own record, consents and consent history, and the
// records merged into it.

type Conn = Db | Trx

export const memberRows = async (conn: Conn, memberId: string) => {
  const [members, consents, history] = await Promise.all([
    conn.selectFrom('members').selectAll().where('id', '=', memberId).execute(),
    conn.selectFrom('member_consents').selectAll().where('member_id', '=', memberId).orderBy('channel').execute(),
    conn.selectFrom('member_consent_history').selectAll().where('member_id', '=', memberId).orderBy('changed_at').orderBy('id').execute(),
  ])
  return { members, member_consents: consents, member_consent_history: history }
}

/** The records merged into these, directly. */
export const mergedInto = async (conn: Conn, memberIds: readonly string[]): Promise<string[]> =>
  memberIds.length === 0 ? [] : (await conn.selectFrom('members').select('id').where('merged_into_id', 'in', memberIds).execute()).map((r) => r.id)

export const deleteConsents = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.deleteFrom('member_consents').where('member_id', '=', memberId).execute()
  await trx.deleteFrom('member_consent_history').where('member_id', '=', memberId).execute()
}

/** Clears everything about the person from the record; it stays, erased, so what points at it still resolves. */
export const blankMember = (trx: Trx, memberId: string, cardNo: string, at: string) =>
  trx.updateTable('members').set({
    card_no: cardNo, status: 'erased', status_reason: null, merged_into_id: null, updated_at: at,
    phone_enc: null, phone_bidx: null, phone_masked: null, name_enc: null, name_bidx: null, name_masked: null,
    id_number_enc: null, id_number_bidx: null, id_number_masked: null, email_enc: null, email_bidx: null, email_masked: null,
    address_enc: null, address_masked: null, gender: 'unknown', birthday: null, occupation: null, education: null,
    income_band: null, district: null, external_code: null,
  }).where('id', '=', memberId).execute()

export const insertMember = (trx: Trx, row: MembersTable) => trx.insertInto('members').values(row).execute()
