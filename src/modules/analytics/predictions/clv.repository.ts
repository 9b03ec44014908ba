import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { daysBetween } from '../classes/classes.repository.js'

type Conn = Db | Trx

/** One member's purchase days around a calibration end: what BG/NBD and Gamma-Gamma are fitted on. */
export interface MemberPurchaseDays {
  memberId: string
  /** repeat purchase days up to the calibration end (purchase days after the first) */
  x: number
  /** days from the first purchase day to the last one up to the calibration end */
  txDays: number
  /** days from the first purchase day to the calibration end */
  ageDays: number
  /** fen spent on the repeat purchase days (net of returns made on those days) */
  repeatSpend: number
  /** purchase days after the calibration end, up to the holdout end (0 without one) */
  holdout: number
}

const text = (v: string): RawBuilder<string> => sql<string>`CAST(${v} AS text)`

/**
 * Per member whose first purchase is on or before `calibrationEnd`: the purchase days (business
 * days with a sale, over all stores; member_store_days, kept as each receipt is posted) counted up
 * to the calibration end and, after it, up to `holdoutEnd`. With `regionId`, the members who
 * registered in one of the region's stores.
 */
export const memberPurchaseDays = async (conn: Conn, p: { calibrationEnd: string; holdoutEnd?: string; regionId?: string }): Promise<MemberPurchaseDays[]> => {
  const cal = text(p.calibrationEnd)
  const last = text(p.holdoutEnd ?? p.calibrationEnd)
  const region = p.regionId
    ? sql`AND member_id IN (SELECT m.id FROM members m JOIN stores s ON s.id = m.registration_store_id WHERE s.region_id = ${text(p.regionId)})`
    : sql``
  const { rows } = await sql<{ member_id: string; x: number; tx_days: number; age_days: number; repeat_spend: number | string; holdout: number }>`
    WITH days AS (
      SELECT member_id, day, SUM(spend) AS spend FROM member_store_days
      WHERE sales > 0 AND day <= ${last} ${region}
      GROUP BY member_id, day
    ), firsts AS (
      SELECT member_id, MIN(day) AS first_day, MAX(CASE WHEN day <= ${cal} THEN day END) AS last_day FROM days GROUP BY member_id
    )
    SELECT f.member_id AS member_id,
      SUM(CASE WHEN d.day <= ${cal} AND d.day > f.first_day THEN 1 ELSE 0 END) AS x,
      ${daysBetween(conn, sql`f.last_day`, sql`f.first_day`)} AS tx_days,
      ${daysBetween(conn, cal, sql`f.first_day`)} AS age_days,
      SUM(CASE WHEN d.day <= ${cal} AND d.day > f.first_day THEN d.spend ELSE 0 END) AS repeat_spend,
      SUM(CASE WHEN d.day > ${cal} THEN 1 ELSE 0 END) AS holdout
    FROM firsts f JOIN days d ON d.member_id = f.member_id
    WHERE f.first_day <= ${cal}
    GROUP BY f.member_id, f.first_day, f.last_day
    ORDER BY f.member_id`.execute(conn)
  return rows.map((r) => ({
    memberId: r.member_id, x: Number(r.x), txDays: Number(r.tx_days), ageDays: Number(r.age_days),
    repeatSpend: Number(r.repeat_spend), holdout: Number(r.holdout),
  }))
}

/** The first and last business day with a member's sale (the span a calibration end may fall in). */
export const purchaseSpan = async (conn: Conn): Promise<{ first: string | null; last: string | null }> => {
  const row = await conn.selectFrom('member_store_days').select((eb) => [eb.fn.min<string>('day').as('first'), eb.fn.max<string>('day').as('last')])
    .where('sales', '>', 0).executeTakeFirst()
  return { first: row?.first ?? null, last: row?.last ?? null }
}
