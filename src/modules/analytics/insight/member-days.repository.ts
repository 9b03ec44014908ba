import { sql, type RawBuilder } from 'kysely'
import type { Trx } from '../../../db/database.js'

/**
 * The two day tables' upserts, kept here so that the posting of a receipt and a merge add rows the
 * same way: sums add, and on a day of one store the first sale is the earlier one and the last the
 * later one (either may be null, on a day of returns only).
 */
const keptAt = (col: 'first_at' | 'last_at', keepStoredIf: '<=' | '>='): RawBuilder<unknown> => sql`CASE WHEN excluded.${sql.ref(col)} IS NULL
    OR (member_store_days.${sql.ref(col)} IS NOT NULL AND member_store_days.${sql.ref(col)} ${sql.raw(keepStoredIf)} excluded.${sql.ref(col)})
    THEN member_store_days.${sql.ref(col)} ELSE excluded.${sql.ref(col)} END`

export const STORE_DAYS_COLUMNS = sql`(member_id, day, store_id, sales, spend, first_at, last_at, earned, used, receipts)`
export const CATEGORY_DAYS_COLUMNS = sql`(member_id, day, department, category, receipts, amount, promo)`

export const addToStoreDays = sql`ON CONFLICT (member_id, day, store_id) DO UPDATE SET
      sales = member_store_days.sales + excluded.sales, spend = member_store_days.spend + excluded.spend,
      first_at = ${keptAt('first_at', '<=')}, last_at = ${keptAt('last_at', '>=')},
      earned = member_store_days.earned + excluded.earned, used = member_store_days.used + excluded.used,
      receipts = member_store_days.receipts + excluded.receipts`

export const addToCategoryDays = sql`ON CONFLICT (member_id, day, department, category) DO UPDATE SET
      receipts = member_category_days.receipts + excluded.receipts, amount = member_category_days.amount + excluded.amount,
      promo = member_category_days.promo + excluded.promo`

/**
 * What the receipts of `source` (an alias `r` over receipts) add to member_store_days: per member,
 * business day and store, the sales, the spend net of returns, the first and last sale's time, the
 * points earned and paid (a return's negative), and the receipts. The rebuild and the posting of
 * a receipt both read it, so the two cannot differ.
 */
export const storeDaysOf = (source: RawBuilder<unknown>, only: RawBuilder<unknown> = sql``): RawBuilder<unknown> => {
  const signed = (col: string) => sql`CASE WHEN r.kind = 'sale' THEN ${sql.ref(`r.${col}`)} ELSE -${sql.ref(`r.${col}`)} END`
  return sql`SELECT r.member_id, r.business_date, r.store_id,
      SUM(CASE WHEN r.kind = 'sale' THEN 1 ELSE 0 END), SUM(${signed('total')}),
      MIN(CASE WHEN r.kind = 'sale' THEN r.business_at END), MAX(CASE WHEN r.kind = 'sale' THEN r.business_at END),
      SUM(${signed('points_earned')}), SUM(${signed('points_used')}), COUNT(*)
    ${source}
    WHERE r.status = 'posted' AND r.member_id IS NOT NULL ${only}
    GROUP BY r.member_id, r.business_date, r.store_id`
}

/**
 * What the receipts of `source` (alias `r`) and their lines (`lines`, alias `l`) add to
 * member_category_days: per member, day, department and category, the sales with a line there
 * (a sale counts once per category; a return counts none), the amount (a return's negative) and
 * the part of it on promotion (a discount or a coupon on the line). Per receipt and category
 * first, then per member and day: cheaper than COUNT(DISTINCT receipt) over every line.
 */
export const categoryDaysOf = (source: RawBuilder<unknown>, lines: RawBuilder<unknown>, only: RawBuilder<unknown> = sql``): RawBuilder<unknown> => sql`SELECT member_id, day, department, category, SUM(sale), SUM(amount), SUM(promo)
    FROM (
      SELECT r.member_id AS member_id, r.business_date AS day, COALESCE(p.department, '') AS department, COALESCE(p.category, '') AS category,
        MAX(CASE WHEN r.kind = 'sale' THEN 1 ELSE 0 END) AS sale,
        SUM(CASE WHEN r.kind = 'sale' THEN l.amount ELSE -l.amount END) AS amount,
        SUM(CASE WHEN l.discount > 0 OR l.coupon_amount > 0 THEN (CASE WHEN r.kind = 'sale' THEN l.amount ELSE -l.amount END) ELSE 0 END) AS promo
      ${source}
      ${lines}
      LEFT JOIN products p ON p.id = l.product_id
      WHERE r.status = 'posted' AND r.member_id IS NOT NULL ${only}
      GROUP BY r.id, r.member_id, r.business_date, COALESCE(p.department, ''), COALESCE(p.category, '')
    ) per_receipt
    GROUP BY member_id, day, department, category`

/** At most this many receipts per statement (well under SQLite's limit on bound values). */
const CHUNK = 500

/**
 * Adds posted receipts with a member, by id, to member_store_days and member_category_days, in the
 * transaction that posts them (their pages are at hand there), so that an incremental refresh
 * reads the days as they are instead of working them out again. Each receipt must be added once,
 * when its figures are final: a sale after its points, a return once posted.
 */
export const addReceipts = async (trx: Trx, receiptIds: readonly string[]): Promise<void> => {
  for (let i = 0; i < receiptIds.length; i += CHUNK) {
    const ids = receiptIds.slice(i, i + CHUNK)
    const source = sql`FROM receipts r`
    const only = sql`AND r.id IN (${sql.join(ids)})`
    await sql`INSERT INTO member_store_days ${STORE_DAYS_COLUMNS} ${storeDaysOf(source, only)} ${addToStoreDays}`.execute(trx)
    await sql`INSERT INTO member_category_days ${CATEGORY_DAYS_COLUMNS} ${categoryDaysOf(source, sql`JOIN receipt_lines l ON l.receipt_id = r.id`, only)} ${addToCategoryDays}`.execute(trx)
  }
}
