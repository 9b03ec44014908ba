import type { Db, Trx } from '../../db/database.js'

type Conn = Db | Trx

export interface MemberPurchases {
  /** sales receipts */
  receipts: number
  /** sales less returns, fen */
  net: number
}

/**
 * What each of these members bought in [from, to): posted sales receipts and net sales (returns
 * taken off), by member; members who bought nothing are absent. Read by chunks of 500 ids, so a
 * list of any length stays within the engines' parameter limits. (Marketing's event report.)
 */
export const memberPurchasesBetween = async (conn: Conn, memberIds: readonly string[], from: string, to: string): Promise<Map<string, MemberPurchases>> => {
  const out = new Map<string, MemberPurchases>()
  const ids = [...new Set(memberIds)]
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await conn.selectFrom('receipts')
      .select(['member_id',
        (eb) => eb.fn.sum<number>(eb.case().when('kind', '=', 'sale').then(1).else(0).end()).as('receipts'),
        (eb) => eb.fn.sum<number>(eb.case().when('kind', '=', 'sale').then(eb.ref('total')).else(eb.neg(eb.ref('total'))).end()).as('net')])
      .where('member_id', 'in', ids.slice(i, i + 500)).where('status', '=', 'posted').where('business_at', '>=', from).where('business_at', '<', to)
      .groupBy('member_id').execute()
    for (const r of rows) out.set(r.member_id!, { receipts: Number(r.receipts ?? 0), net: Number(r.net ?? 0) })
  }
  return out
}
