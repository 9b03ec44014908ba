import { sql } from 'kysely'
import type { Trx } from '../../../db/database.js'
import { daysBetween, num, txt } from './classes.repository.js'

// ---- the lifecycle history ----

/** One month-end of the history: the stage rules' dates at it. */
export interface MonthEnd {
  /** YYYY-MM */
  month: string
  /** the month's last day, or asOf for the current month */
  end: string
  /** the first instant (UTC) of the day after `end`: members registered before it exist */
  endAt: string
  /** first local date (and its first instant) of the newDays days ending at `end` */
  newFrom: string
  newFromAt: string
  /** a last purchase on or before this date is dormantDays (lostDays) or more ago */
  dormantOnOrBefore: string
  lostOnOrBefore: string
}

/**
 * Members per (month, registration store, stage at the month-end before, stage at this
 * month-end) for each month-end after the first (the first is only the "before" of the second),
 * from the days of the members' sales (member_store_days, kept by the refresh), registered_at and
 * the first purchase, for the members of member_insight. `from` is null for members not yet
 * registered at the month-end before. Only the sales after `since` are read: it must lie at least
 * max(lostDays, newDays + dormantDays) days before the first month-end, so a member without a sale
 * in the range who had bought before is lost, and the first sale in the range of one who had
 * bought before came after more than dormantDays without one (a return).
 */
export const lifecycleTransitions = async (trx: Trx, asOf: string, days: { newDays: number; dormantDays: number; lostDays: number }, ends: readonly MonthEnd[], since: string) => {
  const { dormantDays } = days
  await dropLifecycleScratch(trx)
  // The month-ends' months, to carry each member's purchases to every month-end after them (the
  // stage rules' dates are written into the stage query itself).
  await sql`CREATE TEMP TABLE classes_tmp_ends (m text PRIMARY KEY)`.execute(trx)
  await sql`INSERT INTO classes_tmp_ends (m) VALUES ${sql.join(ends.map((e) => sql`(${txt(e.month)})`))}`.execute(trx)
  // Per member and month-end from the first purchase on: the member's purchases up to then, from
  // one pass over the days with a sale (member_store_days, in member order; a purchase after
  // dormantDays or more without one is a return), carried from each month with purchases to the next.
  await sql`CREATE TEMP TABLE classes_tmp_spans (member_id text NOT NULL, m text NOT NULL, first_d text, last_d text, ret text, PRIMARY KEY (member_id, m))`.execute(trx)
  const spans = sql`
    WITH days AS (
      SELECT member_id, day AS d FROM member_store_days
      WHERE sales > 0 AND day > ${txt(since)} AND day <= ${txt(asOf)}
      GROUP BY member_id, day
    ),
    ev AS (
      SELECT member_id, d, CASE WHEN prev IS NULL OR ${daysBetween(trx, sql`d`, sql`prev`)} >= ${num(dormantDays)} THEN d END AS ret
      FROM (SELECT member_id, d, LAG(d) OVER (PARTITION BY member_id ORDER BY d) AS prev FROM days) lagged
    ),
    mm AS (SELECT member_id, substr(d, 1, 7) AS m, MIN(d) AS first_d, MAX(d) AS last_d, MAX(ret) AS ret FROM ev GROUP BY member_id, substr(d, 1, 7)),
    run AS (
      SELECT member_id, m, LEAD(m) OVER (PARTITION BY member_id ORDER BY m) AS next_m, last_d,
        MAX(ret) OVER (PARTITION BY member_id ORDER BY m ROWS UNBOUNDED PRECEDING) AS ret,
        MIN(first_d) OVER (PARTITION BY member_id) AS first_d
      FROM mm
    )
    SELECT run.member_id, e.m, run.first_d, run.last_d, run.ret FROM run
    JOIN classes_tmp_ends e ON e.m >= run.m AND (run.next_m IS NULL OR e.m < run.next_m)`
  await sql`INSERT INTO classes_tmp_spans (member_id, m, first_d, last_d, ret) ${spans}`.execute(trx)
  // Each member's stage at every month-end as a column of one row (null before they registered),
  // then the flows of each month from the stages at its end and at the one before: no sort of
  // every member × month-end by member for a LAG (11 s of a 1M-member full refresh).
  const stageAt = (e: MonthEnd, i: number) => {
    const s = sql.ref(`s${i}`)
    return sql`CASE
      WHEN mi.registered_at >= ${txt(e.endAt)} THEN NULL
      WHEN mi.registered_at >= ${txt(e.newFromAt)} OR (mi.first_purchase_at >= ${txt(e.newFromAt)} AND mi.first_purchase_at < ${txt(e.endAt)}) THEN 'new'
      WHEN mi.first_purchase_at IS NULL OR mi.first_purchase_at >= ${txt(e.endAt)} THEN 'prospect'
      WHEN ${s}.last_d IS NULL OR ${s}.last_d <= ${txt(e.lostOnOrBefore)} THEN 'lost'
      WHEN ${s}.last_d <= ${txt(e.dormantOnOrBefore)} THEN 'dormant'
      WHEN ${s}.ret >= ${txt(e.newFrom)} THEN 'returning'
      ELSE 'active' END AS ${sql.ref(`st${i}`)}`
  }
  // Members per store and path of stages, in one grouped pass: no table of every member's stages
  // sorted again for each month (7.7 s of a 1M-member full refresh with two months).
  const { rows } = await sql<Record<string, string | number | null>>`SELECT COALESCE(mi.registration_store_id, '') AS store,
      ${sql.join(ends.map(stageAt))}, COUNT(*) AS n
    FROM member_insight mi
    ${sql.join(ends.map((e, i) => sql`LEFT JOIN classes_tmp_spans ${sql.ref(`s${i}`)} ON ${sql.ref(`s${i}.member_id`)} = mi.member_id AND ${sql.ref(`s${i}.m`)} = ${txt(e.month)}`), sql` `)}
    WHERE mi.registered_at < ${txt(ends[ends.length - 1]!.endAt)}
    GROUP BY 1, ${sql.join(ends.map((_, i) => sql.raw(String(i + 2))))}`.execute(trx)
  await dropLifecycleScratch(trx)
  // Then each month's flows, from the stage at its end and at the one before (the first month-end
  // is only the "before" of the second: it has no rows of its own).
  const flows = new Map<string, { month: string; store: string; from: string | null; to: string; members: number }>()
  for (const r of rows) {
    for (let k = 1; k < ends.length; k++) {
      const to = r[`st${k}`] as string | null
      if (to === null) continue
      const from = r[`st${k - 1}`] as string | null
      const month = ends[k]!.month
      const key = `${month}\u0000${r.store}\u0000${from ?? '-'}\u0000${to}`
      const flow = flows.get(key) ?? { month, store: String(r.store), from, to, members: 0 }
      flow.members += Number(r.n)
      flows.set(key, flow)
    }
  }
  return [...flows.values()]
}

const dropLifecycleScratch = async (trx: Trx) => {
  await sql`DROP TABLE IF EXISTS classes_tmp_spans`.execute(trx)
  await sql`DROP TABLE IF EXISTS classes_tmp_ends`.execute(trx)
}

/** Replaces the stored months from `fromMonth` on, and drops those before `oldestMonth`. */
export const replaceLifecycleHistory = async (
  trx: Trx, fromMonth: string, oldestMonth: string,
  months: Array<{ month: string; store_id: string; stage: string; members: number }>,
  flows: Array<{ month: string; store_id: string; from_stage: string; to_stage: string; members: number }>,
): Promise<void> => {
  for (const table of ['insight_lifecycle_months', 'insight_lifecycle_flows'] as const) {
    await trx.deleteFrom(table).where((eb) => eb.or([eb('month', '>=', fromMonth), eb('month', '<', oldestMonth)])).execute()
  }
  for (let i = 0; i < months.length; i += 500) {
    await trx.insertInto('insight_lifecycle_months').values(months.slice(i, i + 500) as never).execute()
  }
  for (let i = 0; i < flows.length; i += 400) {
    await trx.insertInto('insight_lifecycle_flows').values(flows.slice(i, i + 400) as never).execute()
  }
}

/**
 * Whether what the stored history was computed from may have changed since `since` (ISO): a
 * receipt written since with a business date on or before `onOrBefore`, or a member changed since
 * (a merge, an erasure, an import) who registered before `registeredBefore`.
 */
export const historyChangedSince = async (trx: Trx, since: string, onOrBefore: string, registeredBefore: string): Promise<boolean> => {
  const receipt = await trx.selectFrom('receipts').select('id').where('created_at', '>', since).where('business_date', '<=', onOrBefore).limit(1).executeTakeFirst()
  if (receipt) return true
  const member = await trx.selectFrom('members').select('id').where('updated_at', '>', since).where('registered_at', '<', registeredBefore).limit(1).executeTakeFirst()
  return member !== undefined
}
