import { sql, type Insertable } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { scopeToStore, type Scope } from '../../shared/scope.js'
import type { GiftOrdersTable, GiftOrderStatus, GiftsTable, GiftStockTable } from './gifts.table.js'

// Gifts' queries: the catalogue, stock per place and orders. The connection comes first; services
// pass their transaction. Stock moves by conditional updates (`available >= n`), so the last
// piece goes to one order only: keep each WHERE as it is.

type Conn = Db | Trx

/** A gift's columns but its picture (read on its own). */
export const GIFT_COLUMNS = [
  'id', 'name', 'description', 'points_price', 'cash_price', 'stock_mode', 'valid_from', 'valid_to', 'per_member_limit', 'min_tier',
  'pickup_days', 'picture_type', 'status', 'created_at', 'updated_at',
] as const

// ---- catalogue ----

export const findGift = (conn: Conn, id: string) => conn.selectFrom('gifts').select(GIFT_COLUMNS).where('id', '=', id).executeTakeFirst()

/** Which of these gift ids exist. */
export const existingGiftIds = async (conn: Conn, ids: readonly string[]): Promise<Set<string>> =>
  ids.length === 0 ? new Set() : new Set((await conn.selectFrom('gifts').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id))

/** Gifts, newest first; `text` matches the name (LIKE wildcards already dropped). */
export const listGifts = (conn: Conn, filter: { status?: 'active' | 'inactive'; text?: string; limit: number }) => {
  let q = conn.selectFrom('gifts').select(GIFT_COLUMNS).orderBy('id', 'desc')
  if (filter.status) q = q.where('status', '=', filter.status)
  if (filter.text) q = q.where('name', 'like', `%${filter.text}%`)
  return q.limit(filter.limit).execute()
}

/** Active gifts, cheapest first (what the desk offers). */
export const activeGifts = (conn: Conn, limit: number) =>
  conn.selectFrom('gifts').select(GIFT_COLUMNS).where('status', '=', 'active').orderBy('points_price').orderBy('id').limit(limit).execute()

export const insertGift = (trx: Conn, row: GiftsTable) => trx.insertInto('gifts').values(row).execute()

export const updateGift = (trx: Conn, id: string, patch: Partial<Omit<GiftsTable, 'id'>>) => trx.updateTable('gifts').set(patch).where('id', '=', id).execute()

export const findPicture = (conn: Conn, id: string) => conn.selectFrom('gifts').select(['picture', 'picture_type', 'updated_at']).where('id', '=', id).executeTakeFirst()

// ---- stock ----

export const stockOf = (conn: Conn, giftIds: readonly string[]) => conn.selectFrom('gift_stock').selectAll().where('gift_id', 'in', [...giftIds]).execute()

export const allStock = (conn: Conn) => conn.selectFrom('gift_stock').selectAll().execute()

export const hasStock = async (trx: Conn, giftId: string): Promise<boolean> =>
  (await trx.selectFrom('gift_stock').select('location').where('gift_id', '=', giftId).where('stocked', '>', 0).limit(1).execute()).length > 0

export const insertStock = (trx: Conn, rows: GiftStockTable[]) => trx.insertInto('gift_stock').values(rows).execute()

/** Adds pieces at a location (its row made if needed). */
export const addStock = (trx: Conn, giftId: string, location: string, d: number) =>
  trx.insertInto('gift_stock').values({ gift_id: giftId, location, stocked: d, available: d, reserved: 0, collected: 0 })
    .onConflict((oc) => oc.columns(['gift_id', 'location']).doUpdateSet({
      stocked: sql`gift_stock.stocked + ${d}`, available: sql`gift_stock.available + ${d}`,
    })).execute()

/** Takes `n` available pieces away at a location; false when fewer are available. */
export const removeStock = async (trx: Conn, giftId: string, location: string, n: number): Promise<boolean> =>
  (await trx.updateTable('gift_stock').set({ stocked: sql`stocked - ${n}`, available: sql`available - ${n}` })
    .where('gift_id', '=', giftId).where('location', '=', location).where('available', '>=', n).returning('available').executeTakeFirst()) !== undefined

export const availableAt = async (trx: Conn, giftId: string, location: string): Promise<number | undefined> =>
  (await trx.selectFrom('gift_stock').select('available').where('gift_id', '=', giftId).where('location', '=', location).executeTakeFirst())?.available

/** Reserves `n` available pieces at a location; false when fewer are available. */
export const reserveStock = async (trx: Conn, giftId: string, location: string, n: number): Promise<boolean> =>
  (await trx.updateTable('gift_stock')
    .set({ available: sql`available - ${n}`, reserved: sql`reserved + ${n}` })
    .where('gift_id', '=', giftId).where('location', '=', location).where('available', '>=', n)
    .returning('available').executeTakeFirst()) !== undefined

/** Reserved pieces handed over. */
export const collectStock = (trx: Conn, giftId: string, location: string, n: number) =>
  trx.updateTable('gift_stock').set({ reserved: sql`reserved - ${n}`, collected: sql`collected + ${n}` })
    .where('gift_id', '=', giftId).where('location', '=', location).execute()

/** Reserved pieces back to available (an order closed). */
export const releaseStock = (trx: Conn, giftId: string, location: string, n: number) =>
  trx.updateTable('gift_stock').set({ available: sql`available + ${n}`, reserved: sql`reserved - ${n}` })
    .where('gift_id', '=', giftId).where('location', '=', location).execute()

/** Where a gift has pieces available: central stock first, then the store with the most. */
export const placesWithStock = async (trx: Conn, giftId: string, central: string): Promise<string[]> =>
  (await trx.selectFrom('gift_stock').select('location').where('gift_id', '=', giftId).where('available', '>', 0)
    .orderBy(sql`case when location = ${central} then 0 else 1 end`).orderBy('available', 'desc').orderBy('location').execute()).map((r) => r.location)

// ---- orders ----

export const findOrder = (conn: Conn, id: string) => conn.selectFrom('gift_orders').selectAll().where('id', '=', id).executeTakeFirst()

export const findOrderByRequestKey = (conn: Conn, memberId: string, requestKey: string) =>
  conn.selectFrom('gift_orders').select(['id', 'gift_id', 'quantity']).where('member_id', '=', memberId).where('request_key', '=', requestKey).executeTakeFirst()

export const insertOrder = (trx: Conn, row: Insertable<GiftOrdersTable>) => trx.insertInto('gift_orders').values(row).execute()

/** Orders with their gift's name. */
const ordersWithGift = (conn: Conn) => conn.selectFrom('gift_orders as o').innerJoin('gifts as g', 'g.id', 'o.gift_id').selectAll('o').select('g.name as gift_name')
export type OrderWithGift = GiftOrdersTable & { gift_name: string }

export const findOrderWithGift = (conn: Conn, id: string): Promise<OrderWithGift | undefined> => ordersWithGift(conn).where('o.id', '=', id).executeTakeFirst()

export interface OrderQuery {
  /** the viewer's scope: its stores' orders and those any store may hand over */
  who?: Actor | Scope
  storeId?: string
  status?: GiftOrderStatus
  memberId?: string
  giftId?: string
  orderNo?: string
  cursor?: string
  limit: number
}

/** Orders, newest first. */
export const findOrders = (conn: Conn, f: OrderQuery): Promise<OrderWithGift[]> => {
  let q = ordersWithGift(conn).orderBy('o.id', 'desc').limit(f.limit)
  if (f.who) q = scopeToStore(q, f.who, 'o.pickup_store_id', { orUnassigned: true })
  if (f.storeId) q = q.where('o.pickup_store_id', '=', f.storeId)
  if (f.status) q = q.where('o.status', '=', f.status)
  if (f.memberId) q = q.where('o.member_id', '=', f.memberId)
  if (f.giftId) q = q.where('o.gift_id', '=', f.giftId)
  if (f.orderNo) q = q.where('o.order_no', '=', f.orderNo)
  if (f.cursor) q = q.where('o.id', '<', f.cursor)
  return q.execute()
}

/** Pieces a member holds of each gift (reserved or collected redemptions; prizes do not count). */
export const redeemedByGift = async (conn: Conn, memberId: string, giftId?: string): Promise<Map<string, number>> => {
  let q = conn.selectFrom('gift_orders').select(['gift_id', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .where('member_id', '=', memberId).where('source', '=', 'redeem').where('status', 'in', ['reserved', 'collected']).groupBy('gift_id')
  if (giftId) q = q.where('gift_id', '=', giftId)
  return new Map((await q.execute()).map((r) => [r.gift_id, Number(r.n)]))
}

/** Hands a reserved order over if its pick-up time has not ended; the row after, or undefined. */
export const collectOrder = (trx: Conn, id: string, c: { at: string; by: string | null; pickupStoreId: string | null }) =>
  trx.updateTable('gift_orders')
    .set({ status: 'collected', collected_at: c.at, collected_by: c.by, pickup_store_id: c.pickupStoreId })
    .where('id', '=', id).where('status', '=', 'reserved').where('expires_at', '>', c.at)
    .returningAll().executeTakeFirst()

export const orderState = (trx: Conn, id: string) => trx.selectFrom('gift_orders').select(['status', 'expires_at']).where('id', '=', id).executeTakeFirst()

/**
 * Closes a member's reserved order (an expiry only once its pick-up time has ended); the row
 * after, or undefined when it was not reserved any more.
 */
export const closeOrder = (trx: Conn, order: { id: string; memberId: string }, to: 'cancelled' | 'expired', reason: string, at: string) => {
  let q = trx.updateTable('gift_orders').set({ status: to, closed_at: at, close_reason: reason })
    .where('id', '=', order.id).where('status', '=', 'reserved').where('member_id', '=', order.memberId)
  if (to === 'expired') q = q.where('expires_at', '<=', at)
  return q.returningAll().executeTakeFirst()
}

/** Reserved orders whose pick-up time ended by `at`, the earliest first. */
export const ordersToExpire = (conn: Conn, at: string, limit: number) =>
  conn.selectFrom('gift_orders').selectAll().where('status', '=', 'reserved').where('expires_at', '<=', at).orderBy('expires_at').limit(limit).execute()

/** Pieces of reserved and collected orders per gift, location and status (for verify). */
export const heldByPlace = (conn: Conn) =>
  conn.selectFrom('gift_orders').select(['gift_id', 'location', 'status', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .where('status', 'in', ['reserved', 'collected']).groupBy(['gift_id', 'location', 'status']).execute()

export const allOrderPoints = (conn: Conn) => conn.selectFrom('gift_orders').select(['id', 'status', 'points']).execute()

/** Which of these ids are gift orders. */
export const existingOrderIds = async (conn: Conn, ids: readonly string[]): Promise<Set<string>> => {
  const out = new Set<string>()
  for (let i = 0; i < ids.length; i += 1000) {
    for (const r of await conn.selectFrom('gift_orders').select('id').where('id', 'in', ids.slice(i, i + 1000)).execute()) out.add(r.id)
  }
  return out
}

/** How many orders were asked for with a request key beginning with `prefix` (the demo's own). */
export const countOrdersByRequestKeyPrefix = async (conn: Conn, prefix: string): Promise<number> =>
  Number((await conn.selectFrom('gift_orders').select((eb) => eb.fn.countAll<number>().as('n')).where('request_key', 'like', `${prefix}%`).executeTakeFirstOrThrow()).n)
