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
 * must keep its sales for tax and its reports add them up) but drops every link to the person:
 * the receipt's member, and the member in the response stored for a resend and in a desk
 * return's request.
 */
export const transactionsMemberData: MemberData = {
  name: 'receipts',
  count: repo.countReceiptsOf,
  move: repo.moveReceipts,
  export: repo.memberRows,
  erase: async (trx, memberId) => {
    const { receipts, approvals } = await repo.memberDocuments(trx, memberId)
    for (const r of receipts) await repo.detachReceipt(trx, r.id, { result: withoutMember(r.result), pending_payload: withoutMember(r.pending_payload) })
    for (const a of approvals) await repo.detachApproval(trx, a.id, withoutMember(a.request)!)
  },
}
