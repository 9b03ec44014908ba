import type { MemberData } from '../members/index.js'
import * as repo from './transactions-member-data.repository.js'

/** A stored JSON document with its `member` (the response's member, a request's member key) taken out. */
const withoutMember = (json: string | null): string | null => {
  if (json === null) return null
  const doc = JSON.parse(json) as Record<string, unknown>
  if (!('member' in doc)) return json
  return JSON.stringify({ ...doc, member: null })
}

/**
 * A member's receipts. A merge moves them to the survivor. An erasure keeps them (the chain
 * must keep its sales for tax, and its reports — member sales, buyers, repurchase — add them up
 * as before) but drops every link to the person: the receipts go to the erasure's holder, an
 * anonymous record, and the member in the response stored for a resend and in a desk return's
 * request is taken out.
 */
export const transactionsMemberData: MemberData = {
  name: 'receipts',
  count: repo.countReceiptsOf,
  move: repo.moveReceipts,
  export: repo.memberRows,
  erase: async (trx, memberId, { holderId }) => {
    const { receipts, approvals } = await repo.memberDocuments(trx, memberId)
    for (const r of receipts) await repo.handOverReceipt(trx, r.id, holderId, { result: withoutMember(r.result), pending_payload: withoutMember(r.pending_payload) })
    for (const a of approvals) await repo.handOverApproval(trx, a.id, holderId, withoutMember(a.request)!)
  },
}
