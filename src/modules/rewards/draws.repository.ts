import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { MemberIdsSubquery } from '../members/index.js'
import type { DrawEntriesTable, DrawPrizesTable, DrawsTable, PrizeKind } from './draws.table.js'

// Draws' queries: draws, their prizes and entries (with the coupons and gifts they gave, which are
// rewards' too). The connection comes first; services pass their transaction. A prize is taken by
// a conditional update (`won < stock`): keep each WHERE as it is.

type Conn = Db | Trx

// ---- draws and prizes ----

export const findDraw = (conn: Conn, id: string) => conn.selectFrom('draws').selectAll().where('id', '=', id).executeTakeFirst()

export const prizesOf = (conn: Conn, drawIds: readonly string[]) =>
  conn.selectFrom('draw_prizes').selectAll().where('draw_id', 'in', [...drawIds]).orderBy('seq').execute()

/** Draws, newest first, from before `cursor`. */
export const listDraws = (conn: Conn, page: { status?: DrawsTable['status']; cursor?: string; limit: number }) => {
  let q = conn.selectFrom('draws').selectAll().orderBy('id', 'desc').limit(page.limit)
  if (page.status) q = q.where('status', '=', page.status)
  if (page.cursor) q = q.where('id', '<', page.cursor)
  return q.execute()
}

export const insertDraw = async (trx: Conn, row: DrawsTable, prizes: DrawPrizesTable[]) => {
  await trx.insertInto('draws').values(row).execute()
  if (prizes.length) await trx.insertInto('draw_prizes').values(prizes).execute()
}

/** Changes a draft's rules and replaces its prizes; false when the draw is no longer a draft. */
export const updateDraft = async (trx: Conn, id: string, columns: Partial<Omit<DrawsTable, 'id'>>, prizes: DrawPrizesTable[]): Promise<boolean> => {
  const changed = await trx.updateTable('draws').set(columns).where('id', '=', id).where('status', '=', 'draft').returning('id').executeTakeFirst()
  if (!changed) return false
  await trx.deleteFrom('draw_prizes').where('draw_id', '=', id).execute()
  if (prizes.length) await trx.insertInto('draw_prizes').values(prizes).execute()
  return true
}

export const touchDraw = (trx: Conn, id: string, at: string) => trx.updateTable('draws').set({ updated_at: at }).where('id', '=', id).execute()

/** Moves a draw to `to` from one of `from`; false when it was in none of them. */
export const setDrawStatus = async (trx: Conn, id: string, from: DrawsTable['status'][], to: DrawsTable['status'], at: string): Promise<boolean> =>
  (await trx.updateTable('draws').set({ status: to, updated_at: at }).where('id', '=', id).where('status', 'in', from).returning('id').executeTakeFirst()) !== undefined

/** Sets a prize's stock unless more were won; false when they were. */
export const setPrizeStock = async (trx: Conn, prizeId: string, stock: number): Promise<boolean> =>
  (await trx.updateTable('draw_prizes').set({ stock }).where('id', '=', prizeId).where('won', '<=', stock).returning('id').executeTakeFirst()) !== undefined

/** Takes one piece of a prize if any is left (locks the prize's row on PostgreSQL); false when none. */
export const takePrize = async (trx: Trx, prizeId: string): Promise<boolean> =>
  (await trx.updateTable('draw_prizes').set({ won: sql`won + 1` })
    .where('id', '=', prizeId).whereRef('won', '<', 'stock').returning('id').executeTakeFirst()) !== undefined

export const putPrizeBack = (trx: Trx, prizeId: string) => trx.updateTable('draw_prizes').set({ won: sql`won - 1` }).where('id', '=', prizeId).execute()

// ---- entries ----

/** A member's entries of a draw, in all and on `day`. */
export const entryCounts = async (trx: Conn, drawId: string, memberId: string, day: string): Promise<{ total: number; today: number }> => {
  const counts = await trx.selectFrom('draw_entries')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(eb.case().when('business_date', '=', day).then(1).else(0).end()).as('today')])
    .where('draw_id', '=', drawId).where('member_id', '=', memberId).executeTakeFirstOrThrow()
  return { total: Number(counts.total), today: Number(counts.today ?? 0) }
}

/** Of these receipts, those that gave an entry of the draw already. */
export const receiptsEntered = async (trx: Conn, drawId: string, receiptIds: readonly string[]): Promise<Set<string>> =>
  receiptIds.length === 0 ? new Set() : new Set((await trx.selectFrom('draw_entries').select('receipt_id')
    .where('draw_id', '=', drawId).where('receipt_id', 'in', [...receiptIds]).execute()).map((r) => r.receipt_id!))

export const insertEntry = (trx: Conn, row: DrawEntriesTable) => trx.insertInto('draw_entries').values(row).execute()

/** Entries with their draw's name, prize and coupon code. */
const entriesWithPrize = (conn: Conn) => conn.selectFrom('draw_entries as e')
  .innerJoin('draws as d', 'd.id', 'e.draw_id')
  .leftJoin('draw_prizes as p', 'p.id', 'e.prize_id')
  .leftJoin('coupons as c', 'c.id', 'e.coupon_id')
  .selectAll('e')
  .select(['d.name as draw_name', 'p.name as prize_name', 'p.kind as prize_kind', 'p.points as prize_points', 'c.code as coupon_code'])

export type EntryWithPrize = DrawEntriesTable & { draw_name: string; prize_name: string | null; prize_kind: PrizeKind | null; prize_points: number | null; coupon_code: string | null }

export const findEntry = (conn: Conn, id: string): Promise<EntryWithPrize | undefined> =>
  entriesWithPrize(conn).where('e.id', '=', id).executeTakeFirst() as Promise<EntryWithPrize | undefined>

/** Entries, newest first, of a draw or a member; `memberIds` narrows to a scope's members. */
export const findEntries = (conn: Conn, f: { drawId?: string; memberId?: string; won?: boolean; cursor?: string; limit: number; memberIds?: MemberIdsSubquery | null }): Promise<EntryWithPrize[]> => {
  let q = entriesWithPrize(conn).orderBy('e.id', 'desc').limit(f.limit)
  if (f.drawId) q = q.where('e.draw_id', '=', f.drawId)
  if (f.memberId) q = q.where('e.member_id', '=', f.memberId)
  if (f.memberIds) q = q.where('e.member_id', 'in', f.memberIds)
  if (f.won) q = q.where('e.outcome', '=', 'won')
  if (f.cursor) q = q.where('e.id', '<', f.cursor)
  return q.execute() as Promise<EntryWithPrize[]>
}

// ---- report and verify ----

const one = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`

/** A draw's figures: entries by how they were paid, outcomes, what the prizes cost, and per day; `memberIds` narrows to a scope's members. */
export const drawFigures = async (conn: Db, drawId: string, memberIds: MemberIdsSubquery | null) => {
  const entries = () => {
    const q = conn.selectFrom('draw_entries as e').where('e.draw_id', '=', drawId)
    return memberIds ? q.where('e.member_id', 'in', memberIds) : q
  }
  const totals = await entries().select((eb) => [
    eb.fn.countAll<number>().as('entries'),
    eb.fn.count<number>('e.member_id').distinct().as('members'),
    one(sql`e.cost_points > 0`).as('paid'),
    one(sql`e.free_reason = 'tier'`).as('tier'),
    one(sql`e.free_reason = 'purchase'`).as('purchase'),
    one(sql`e.cost_points = 0 and e.free_reason is null`).as('free_draw'),
    eb.fn.sum<number>('e.cost_points').as('charged'),
    one(sql`e.outcome = 'won'`).as('won'),
    one(sql`e.fell_back = 1`).as('fell_back'),
    eb.fn.count<number>('e.coupon_id').as('coupons'),
    eb.fn.count<number>('e.gift_order_id').as('gifts'),
  ]).executeTakeFirstOrThrow()
  const pointsGiven = await entries().innerJoin('draw_prizes as p', 'p.id', 'e.prize_id')
    .where('p.kind', '=', 'points')
    .select((eb) => eb.fn.sum<number>('p.points').as('points')).executeTakeFirstOrThrow()
  const couponValue = await entries().innerJoin('coupons as c', 'c.id', 'e.coupon_id').innerJoin('coupon_templates as t', 't.id', 'c.template_id')
    .where('t.kind', 'in', ['amount', 'threshold'])
    .select((eb) => eb.fn.sum<number>('c.value').as('fen')).executeTakeFirstOrThrow()
  const giftValue = await entries().innerJoin('draw_prizes as p', 'p.id', 'e.prize_id').innerJoin('gifts as g', 'g.id', 'p.gift_id')
    .where('e.gift_order_id', 'is not', null)
    .select((eb) => eb.fn.sum<number>('g.points_price').as('points')).executeTakeFirstOrThrow()
  const byDay = await entries()
    .select((eb) => ['e.business_date', eb.fn.countAll<number>().as('entries'), one(sql`e.outcome = 'won'`).as('won'), eb.fn.sum<number>('e.cost_points').as('charged')])
    .groupBy('e.business_date').orderBy('e.business_date').execute()
  return { totals, pointsGiven, couponValue, giftValue, byDay }
}

/** Every prize with its won count and the entries that won it. */
export const prizesWithWins = (conn: Db) =>
  conn.selectFrom('draw_prizes as p')
    .leftJoin(conn.selectFrom('draw_entries').select(['prize_id', (eb) => eb.fn.countAll<number>().as('n')]).where('outcome', '=', 'won').groupBy('prize_id').as('w'), 'w.prize_id', 'p.id')
    .select(['p.id', 'p.draw_id', 'p.stock', 'p.won', 'w.n']).execute()

/** Per draw: the points its entries cost and the points prizes they won. */
export const chargedByDraw = (conn: Db) =>
  conn.selectFrom('draw_entries as e')
    .leftJoin('draw_prizes as p', 'p.id', 'e.prize_id')
    .select((eb) => ['e.draw_id', eb.fn.sum<number>('e.cost_points').as('cost'),
      eb.fn.sum<number>(eb.case().when('p.kind', '=', 'points').then(eb.ref('p.points')).else(0).end()).as('awarded')])
    .groupBy('e.draw_id').execute()

/** The id of a draw of this name, if any (the first by id). */
export const findDrawIdByName = async (conn: Conn, name: string): Promise<string | undefined> =>
  (await conn.selectFrom('draws').select('id').where('name', '=', name).orderBy('id').executeTakeFirst())?.id

/** How many entries a draw has, and the members who entered it. */
export const entrantsOf = async (conn: Conn, drawId: string): Promise<{ entries: number; memberIds: Set<string> }> => {
  const rows = await conn.selectFrom('draw_entries').select('member_id').where('draw_id', '=', drawId).execute()
  return { entries: rows.length, memberIds: new Set(rows.map((r) => r.member_id)) }
}
