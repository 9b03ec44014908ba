import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { FactsWindow } from './member-facts-rules.js'
import type { MemberMonthlyActivityTable, MemberPurchaseStatsTable } from './member-facts.table.js'

type Conn = Db | Trx

// Member ids per read: well under the bound values of either engine.
const READ_CHUNK = 5000
// Rows per upsert: 11 columns × 1,000 stays under SQLite's 32,766 bound values.
const WRITE_CHUNK = 1000

const inChunks = async <T, R>(items: readonly T[], size: number, run: (chunk: T[]) => Promise<R[]>): Promise<R[]> => {
  const out: R[] = []
  for (let i = 0; i < items.length; i += size) out.push(...(await run(items.slice(i, i + size))))
  return out
}

export const findFacts = (conn: Conn, memberIds: readonly string[]): Promise<MemberPurchaseStatsTable[]> =>
  inChunks(memberIds, READ_CHUNK, (ids) => conn.selectFrom('member_purchase_stats').selectAll().where('member_id', 'in', ids).execute())

export const findFactsOf = (conn: Conn, memberId: string): Promise<MemberPurchaseStatsTable | undefined> =>
  conn.selectFrom('member_purchase_stats').selectAll().where('member_id', '=', memberId).executeTakeFirst()

/** The sums of the monthly rows from `from` to `to` (YYYY-MM, inclusive), by member; members without rows are absent. */
export const windowSums = async (conn: Conn, memberIds: readonly string[], from: string, to: string): Promise<Map<string, FactsWindow>> => {
  const rows = await inChunks(memberIds, READ_CHUNK, (ids) => conn.selectFrom('member_monthly_activity')
    .select((eb) => ['member_id', eb.fn.sum<number>('receipt_count').as('r'), eb.fn.sum<number>('spend').as('s'), eb.fn.sum<number>('points_earned').as('p')])
    .where('member_id', 'in', ids).where('month', '>=', from).where('month', '<=', to).groupBy('member_id').execute())
  return new Map(rows.map((w) => [w.member_id, { receipts: Number(w.r), spend: Number(w.s), points: Number(w.p) }]))
}

/** Adds to the monthly rows (creating the missing ones). */
export const addMonthly = async (trx: Trx, rows: readonly MemberMonthlyActivityTable[]): Promise<void> => {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    await trx.insertInto('member_monthly_activity').values(rows.slice(i, i + WRITE_CHUNK))
      .onConflict((oc) => oc.columns(['member_id', 'month']).doUpdateSet({
        receipt_count: sql`member_monthly_activity.receipt_count + excluded.receipt_count`,
        spend: sql`member_monthly_activity.spend + excluded.spend`,
        points_earned: sql`member_monthly_activity.points_earned + excluded.points_earned`,
      }))
      .execute()
  }
}

/** Writes the facts rows whole (creating the missing ones). */
export const saveFacts = async (trx: Trx, rows: readonly MemberPurchaseStatsTable[]): Promise<void> => {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    await trx.insertInto('member_purchase_stats').values(rows.slice(i, i + WRITE_CHUNK))
      .onConflict((oc) => oc.column('member_id').doUpdateSet((eb) => ({
        first_purchase_at: eb.ref('excluded.first_purchase_at'), last_purchase_at: eb.ref('excluded.last_purchase_at'),
        receipt_count: eb.ref('excluded.receipt_count'), spend_total: eb.ref('excluded.spend_total'), points_earned_total: eb.ref('excluded.points_earned_total'),
        receipt_count_12m: eb.ref('excluded.receipt_count_12m'), spend_12m: eb.ref('excluded.spend_12m'), points_earned_12m: eb.ref('excluded.points_earned_12m'),
        window_month: eb.ref('excluded.window_month'), updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute()
  }
}

/** Sets the 12-month figures of a member that has facts; undefined when it has none. */
export const setWindow = (conn: Conn, memberId: string, w: FactsWindow, windowMonth: string, at: string): Promise<MemberPurchaseStatsTable | undefined> =>
  conn.updateTable('member_purchase_stats')
    .set({ receipt_count_12m: w.receipts, spend_12m: w.spend, points_earned_12m: w.points, window_month: windowMonth, updated_at: at })
    .where('member_id', '=', memberId).returningAll().executeTakeFirst()

export const monthlyOf = (conn: Conn, memberId: string): Promise<MemberMonthlyActivityTable[]> =>
  conn.selectFrom('member_monthly_activity').selectAll().where('member_id', '=', memberId).orderBy('month').execute()

export const countMonthsOf = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('member_monthly_activity').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const deleteFactsOf = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.deleteFrom('member_monthly_activity').where('member_id', '=', memberId).execute()
  await trx.deleteFrom('member_purchase_stats').where('member_id', '=', memberId).execute()
}
