import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { DB } from '../../db/schema.js'

type MemberPurchaseStatsTable = DB['member_purchase_stats']

/** YYYY-MM shifted by `delta` months. */
export const addMonths = (month: string, delta: number): string => {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`
}

export interface PurchaseDelta {
  businessAt: string
  /** YYYY-MM of the business date */
  month: string
  receipts: number
  spend: number
  points: number
}

/** Receipts, spend and points of the 12 months up to `currentMonth`, from the monthly rows. */
export const windowSums = async (conn: Db | Trx, memberId: string, currentMonth: string) => {
  const row = await conn.selectFrom('member_monthly_activity')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('receipt_count'), eb.lit(0)).as('receipts'),
      eb.fn.coalesce(eb.fn.sum<number>('spend'), eb.lit(0)).as('spend'),
      eb.fn.coalesce(eb.fn.sum<number>('points_earned'), eb.lit(0)).as('points'),
    ])
    .where('member_id', '=', memberId).where('month', '>=', addMonths(currentMonth, -11)).where('month', '<=', currentMonth)
    .executeTakeFirstOrThrow()
  return { receipt_count_12m: Number(row.receipts), spend_12m: Number(row.spend), points_earned_12m: Number(row.points) }
}

/**
 * Keeps a member's purchase aggregates current with each receipt or return, so insight and tiers
 * read one row instead of rescanning receipts. The 12-month figures cover the months up to the
 * current one; when the month turns they are recomputed from the monthly rows.
 */
export const recordPurchase = async (trx: Trx, memberId: string, d: PurchaseDelta, currentMonth: string, now: string): Promise<MemberPurchaseStatsTable> => {
  await trx.insertInto('member_monthly_activity')
    .values({ member_id: memberId, month: d.month, receipt_count: d.receipts, spend: d.spend, points_earned: d.points })
    .onConflict((oc) => oc.columns(['member_id', 'month']).doUpdateSet({
      receipt_count: sql`member_monthly_activity.receipt_count + excluded.receipt_count`,
      spend: sql`member_monthly_activity.spend + excluded.spend`,
      points_earned: sql`member_monthly_activity.points_earned + excluded.points_earned`,
    }))
    .execute()
  const stats = await trx.selectFrom('member_purchase_stats').selectAll().where('member_id', '=', memberId).executeTakeFirst()
  const isSale = d.receipts > 0
  if (!stats) {
    const row: MemberPurchaseStatsTable = {
      member_id: memberId,
      first_purchase_at: isSale ? d.businessAt : null,
      last_purchase_at: isSale ? d.businessAt : null,
      receipt_count: d.receipts, spend_total: d.spend, points_earned_total: d.points,
      ...(await windowSums(trx, memberId, currentMonth)),
      window_month: currentMonth, updated_at: now,
    }
    await trx.insertInto('member_purchase_stats').values(row).execute()
    return row
  }
  const inWindow = d.month >= addMonths(currentMonth, -11) && d.month <= currentMonth
  const window = stats.window_month !== currentMonth
    ? await windowSums(trx, memberId, currentMonth)
    : inWindow
      ? { receipt_count_12m: stats.receipt_count_12m + d.receipts, spend_12m: stats.spend_12m + d.spend, points_earned_12m: stats.points_earned_12m + d.points }
      : { receipt_count_12m: stats.receipt_count_12m, spend_12m: stats.spend_12m, points_earned_12m: stats.points_earned_12m }
  const next: MemberPurchaseStatsTable = {
    ...stats,
    first_purchase_at: isSale && (stats.first_purchase_at === null || d.businessAt < stats.first_purchase_at) ? d.businessAt : stats.first_purchase_at,
    last_purchase_at: isSale && (stats.last_purchase_at === null || d.businessAt > stats.last_purchase_at) ? d.businessAt : stats.last_purchase_at,
    receipt_count: stats.receipt_count + d.receipts,
    spend_total: stats.spend_total + d.spend,
    points_earned_total: stats.points_earned_total + d.points,
    ...window,
    window_month: currentMonth,
    updated_at: now,
  }
  const { member_id: _, ...patch } = next
  await trx.updateTable('member_purchase_stats').set(patch).where('member_id', '=', memberId).execute()
  return next
}

/** Recomputes the 12-month figures of one member for the current month (the nightly refresh). */
export const refreshWindow = async (trx: Db | Trx, memberId: string, currentMonth: string, now: string): Promise<MemberPurchaseStatsTable | undefined> => {
  const sums = await windowSums(trx, memberId, currentMonth)
  return trx.updateTable('member_purchase_stats').set({ ...sums, window_month: currentMonth, updated_at: now })
    .where('member_id', '=', memberId).returningAll().executeTakeFirst()
}
