import type { Db, Trx } from '../../db/database.js'

type Conn = Db | Trx

/** The stored receipts of these numbers, by store (one indexed IN list per store). */
export const findStoredReceipts = (db: Conn, numbersByStore: ReadonlyMap<string, string[]>) =>
  numbersByStore.size === 0 ? Promise.resolve([]) : db.selectFrom('receipts').select(['store_id', 'receipt_no', 'payload_hash', 'kind', 'member_id'])
    .where((eb) => eb.or([...numbersByStore].map(([storeId, nos]) => eb.and([eb('store_id', '=', storeId), eb('receipt_no', 'in', nos)])))).execute()

/** Returns a till sent before their sale, waiting for one of these sales (by store and number). */
export const findReturnsWaitingFor = (db: Conn, numbersByStore: ReadonlyMap<string, string[]>) =>
  numbersByStore.size === 0 ? Promise.resolve([]) : db.selectFrom('receipts').select(['store_id', 'original_receipt_no']).where('status', '=', 'pending')
    .where((eb) => eb.or([...numbersByStore].map(([storeId, nos]) => eb.and([eb('store_id', '=', storeId), eb('original_receipt_no', 'in', nos)])))).execute()
