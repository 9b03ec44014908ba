import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { scopeToStore } from '../../shared/scope.js'
import type { ReceiptLinesTable, ReceiptsTable, ReceiptTendersTable, ReturnApprovalsTable, StoreTillSettingsTable } from './receipts.table.js'

// The queries of the till's receipts, lines, tenders and return requests. `conn` is the first
// argument: a service passes its transaction, or `db` for a read outside one.
type Conn = Db | Trx

// ---- receipts -----------------------------------------------------------------------------

/** Inserts the receipt unless its store already has its number; true when inserted. */
export const insertReceiptUnlessNumbered = async (trx: Trx, row: ReceiptsTable): Promise<boolean> =>
  (await trx.insertInto('receipts').values(row).onConflict((oc) => oc.columns(['store_id', 'receipt_no']).doNothing()).returning('id').executeTakeFirst()) !== undefined

export const findReceiptByNo = (conn: Conn, storeId: string, receiptNo: string) =>
  conn.selectFrom('receipts').selectAll().where('store_id', '=', storeId).where('receipt_no', '=', receiptNo).executeTakeFirst()

export const receiptIdByNo = (conn: Conn, storeId: string, receiptNo: string) =>
  conn.selectFrom('receipts').select('id').where('store_id', '=', storeId).where('receipt_no', '=', receiptNo).executeTakeFirst()

/** The receipt, its row locked for the rest of the transaction (PostgreSQL). */
export const lockReceipt = (trx: Trx, id: string) =>
  trx.selectFrom('receipts').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow()

export const updateReceipt = async (trx: Trx, id: string, patch: Partial<Omit<ReceiptsTable, 'id'>>): Promise<void> => {
  await trx.updateTable('receipts').set(patch).where('id', '=', id).execute()
}

/** Points a member's sales of one business date earned (for a per-day cap). */
export const pointsEarnedOn = async (conn: Conn, memberId: string, businessDate: string): Promise<number> => {
  const row = await conn.selectFrom('receipts').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points_earned'), eb.lit(0)).as('p'))
    .where('member_id', '=', memberId).where('business_date', '=', businessDate).where('kind', '=', 'sale').executeTakeFirstOrThrow()
  return Number(row.p)
}

/** Returns that reached the store before its sale numbered `receiptNo`, oldest first. */
export const pendingReturnsOf = (trx: Trx, storeId: string, receiptNo: string) =>
  trx.selectFrom('receipts').selectAll().where('store_id', '=', storeId).where('original_receipt_no', '=', receiptNo)
    .where('status', '=', 'pending').orderBy('created_at').execute()

// ---- lines and tenders ----------------------------------------------------------------------

export const insertLines = async (trx: Trx, lines: ReceiptLinesTable[]): Promise<void> => {
  if (lines.length) await trx.insertInto('receipt_lines').values(lines).execute()
}

export const insertTenders = async (trx: Trx, tenders: ReceiptTendersTable[]): Promise<void> => {
  if (tenders.length) await trx.insertInto('receipt_tenders').values(tenders).execute()
}

export const linesOf = (conn: Conn, receiptId: string) =>
  conn.selectFrom('receipt_lines').selectAll().where('receipt_id', '=', receiptId).orderBy('line_no').execute()

export const tendersOf = (conn: Conn, receiptId: string) =>
  conn.selectFrom('receipt_tenders').selectAll().where('receipt_id', '=', receiptId).orderBy('seq').execute()

/** The tenders posted returns of a sale refunded through. */
export const refundTendersOf = (conn: Conn, saleId: string) =>
  conn.selectFrom('receipt_tenders').innerJoin('receipts', 'receipts.id', 'receipt_tenders.receipt_id')
    .select(['receipt_tenders.kind', 'receipt_tenders.reference', 'receipt_tenders.amount'])
    .where('receipts.original_receipt_id', '=', saleId).where('receipts.kind', '=', 'return').where('receipts.status', '=', 'posted').execute()

export const setLineReturned = async (trx: Trx, receiptId: string, lineNo: number,
  p: { qty: number; amount: number; points: number; refunded: number; coupon: number }): Promise<void> => {
  await trx.updateTable('receipt_lines').set({ returned_quantity: p.qty, returned_amount: p.amount, returned_points: p.points, refunded_points: p.refunded, returned_coupon_amount: p.coupon })
    .where('receipt_id', '=', receiptId).where('line_no', '=', lineNo).execute()
}

// ---- reads ----------------------------------------------------------------------------------

export interface ReceiptPageQuery {
  actor: Actor
  storeId?: string
  memberId?: string
  from?: string
  to?: string
  receiptNo?: string
  /** newest first: those before this business time and id */
  before?: { at: string; id: string }
  limit: number
}

export const findReceiptById = (conn: Conn, id: string) =>
  conn.selectFrom('receipts').selectAll().where('id', '=', id).executeTakeFirst()

/**
 * A page of receipts, newest first. A member's receipts are read whatever the store (members shop
 * everywhere); otherwise the actor's store scope applies.
 */
export const findReceiptsPage = (conn: Conn, f: ReceiptPageQuery) => {
  let q = conn.selectFrom('receipts').selectAll()
  if (f.memberId !== undefined) q = q.where('member_id', '=', f.memberId)
  else q = scopeToStore(q, f.actor, 'store_id')
  if (f.storeId) q = q.where('store_id', '=', f.storeId)
  if (f.from) q = q.where('business_date', '>=', f.from)
  if (f.to) q = q.where('business_date', '<=', f.to)
  if (f.receiptNo) q = q.where('receipt_no', '=', f.receiptNo)
  const before = f.before
  if (before) q = q.where((eb) => eb.or([eb('business_at', '<', before.at), eb.and([eb('business_at', '=', before.at), eb('id', '<', before.id)])]))
  return q.orderBy('business_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute()
}

export const linesOfReceipts = (conn: Conn, ids: string[]) =>
  conn.selectFrom('receipt_lines')
    .select(['receipt_id', 'line_no', 'product_id', 'sku', 'quantity', 'unit', 'unit_price', 'discount', 'amount', 'points', 'returned_quantity', 'original_line_no'])
    .where('receipt_id', 'in', ids).orderBy('line_no').execute()

export const tendersOfReceipts = (conn: Conn, ids: string[]) =>
  conn.selectFrom('receipt_tenders').selectAll().where('receipt_id', 'in', ids).orderBy('seq').execute()

// ---- return requests ------------------------------------------------------------------------

export const findApprovalByNo = (conn: Conn, storeId: string, receiptNo: string) =>
  conn.selectFrom('return_approvals').selectAll().where('store_id', '=', storeId).where('receipt_no', '=', receiptNo).executeTakeFirst()

export const findApprovalById = (conn: Conn, id: string) =>
  conn.selectFrom('return_approvals').selectAll().where('id', '=', id).executeTakeFirst()

/** Inserts the request unless its store already has one under the number; true when inserted. */
export const insertApprovalUnlessNumbered = async (conn: Conn, row: ReturnApprovalsTable): Promise<boolean> =>
  (await conn.insertInto('return_approvals').values(row).onConflict((oc) => oc.columns(['store_id', 'receipt_no']).doNothing()).returning('id').executeTakeFirst()) !== undefined

/** Decides a request still pending; false when someone decided it first. */
export const decidePendingApproval = async (trx: Trx, id: string,
  patch: Pick<ReturnApprovalsTable, 'status' | 'decided_by' | 'decided_at' | 'decision_note'> & { return_receipt_id?: string }): Promise<boolean> => {
  const done = await trx.updateTable('return_approvals').set(patch).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
  return Number(done.numUpdatedRows) === 1
}

export const findApprovals = (conn: Conn, actor: Actor, filter: { status?: ReturnApprovalsTable['status']; limit: number }) => {
  let q = scopeToStore(conn.selectFrom('return_approvals').selectAll(), actor, 'store_id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit)
  if (filter.status) q = q.where('status', '=', filter.status)
  return q.execute()
}

// ---- till settings (one JSON value in `meta`) -------------------------------------------------

const TILL_SETTINGS_KEY = 'till.settings'

export const findTillSettingsValue = async (conn: Conn): Promise<string | undefined> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', TILL_SETTINGS_KEY).executeTakeFirst())?.value

export const saveTillSettingsValue = async (trx: Trx, value: string): Promise<void> => {
  await trx.insertInto('meta').values({ key: TILL_SETTINGS_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
}

export const findStoreTillSettings = (conn: Conn, storeId: string) =>
  conn.selectFrom('store_till_settings').selectAll().where('store_id', '=', storeId).executeTakeFirst()

export const saveStoreTillSettings = async (trx: Trx, row: StoreTillSettingsTable): Promise<void> => {
  await trx.insertInto('store_till_settings').values(row)
    .onConflict((oc) => oc.column('store_id').doUpdateSet({ overrides: row.overrides, updated_by: row.updated_by, updated_at: row.updated_at })).execute()
}

/** The receipt numbers beginning with `prefix`, in any store (the demo counts its own sales by it). */
export const findReceiptNosWithPrefix = async (conn: Conn, prefix: string): Promise<string[]> =>
  (await conn.selectFrom('receipts').select('receipt_no').where('receipt_no', 'like', `${prefix}%`).execute()).map((r) => r.receipt_no)

/** Which of these receipt numbers a store already has. */
export const findReceiptNosAt = async (conn: Conn, storeId: string, receiptNos: readonly string[]): Promise<Set<string>> =>
  receiptNos.length === 0 ? new Set() : new Set((await conn.selectFrom('receipts').select('receipt_no')
    .where('store_id', '=', storeId).where('receipt_no', 'in', [...receiptNos]).execute()).map((r) => r.receipt_no))

/** Receipts (sales and returns, from tills, batches and imports) written since `since` (UTC ISO), chain-wide: for monitoring. */
export const countReceiptsWrittenSince = async (conn: Conn, since: string): Promise<number> =>
  Number((await conn.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).where('created_at', '>=', since).executeTakeFirstOrThrow()).n)
