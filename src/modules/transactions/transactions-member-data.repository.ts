import type { Db, Trx } from '../../db/database.js'

// Transactions' queries for the member-data contract: the receipts (and desk return requests)
// of one member.

type Conn = Db | Trx

export const countReceiptsOf = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const moveReceipts = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  await trx.updateTable('receipts').set({ member_id: toId }).where('member_id', '=', fromId).execute()
}

export const memberRows = async (conn: Conn, memberId: string) => {
  const receipts = conn.selectFrom('receipts').select('id').where('member_id', '=', memberId)
  const [rows, lines, tenders, approvals] = await Promise.all([
    conn.selectFrom('receipts').selectAll().where('member_id', '=', memberId).orderBy('business_at').orderBy('id').execute(),
    conn.selectFrom('receipt_lines').selectAll().where('receipt_id', 'in', receipts).orderBy('receipt_id').orderBy('line_no').execute(),
    conn.selectFrom('receipt_tenders').selectAll().where('receipt_id', 'in', receipts).orderBy('receipt_id').orderBy('seq').execute(),
    conn.selectFrom('return_approvals').selectAll().where('member_id', '=', memberId).orderBy('id').execute(),
  ])
  return { receipts: rows, receipt_lines: lines, receipt_tenders: tenders, return_approvals: approvals }
}

/** The stored JSON of the member's receipts and return requests, to be rewritten without the member. */
export const memberDocuments = async (trx: Trx, memberId: string) => ({
  receipts: await trx.selectFrom('receipts').select(['id', 'result', 'pending_payload']).where('member_id', '=', memberId).execute(),
  approvals: await trx.selectFrom('return_approvals').select(['id', 'request']).where('member_id', '=', memberId).execute(),
})

export const handOverReceipt = (trx: Trx, id: string, holderId: string, docs: { result: string | null; pending_payload: string | null }) =>
  trx.updateTable('receipts').set({ member_id: holderId, ...docs }).where('id', '=', id).execute()

export const handOverApproval = (trx: Trx, id: string, holderId: string, request: string) =>
  trx.updateTable('return_approvals').set({ member_id: holderId, request }).where('id', '=', id).execute()
