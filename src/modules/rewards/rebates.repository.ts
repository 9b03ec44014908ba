import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { RebateAwardsTable, RebateProgrammesTable } from './rebates.table.js'

// Rebates' queries: programmes and their awards (and the coupons they gave, which are rewards'
// too). The connection comes first; services pass their transaction. Status changes are
// conditional on the status they leave, and an award is claimed by its unique row: keep each
// WHERE as it is.

type Conn = Db | Trx

export const findProgramme = (conn: Conn, id: string) => conn.selectFrom('rebate_programmes').selectAll().where('id', '=', id).executeTakeFirst()

export const listProgrammes = (conn: Conn) => conn.selectFrom('rebate_programmes').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute()

export const insertProgramme = (trx: Conn, row: RebateProgrammesTable) => trx.insertInto('rebate_programmes').values(row).execute()

/** Changes a draft's terms; the row after, or undefined when it is no longer a draft. */
export const updateDraft = (trx: Conn, id: string, patch: Partial<Omit<RebateProgrammesTable, 'id'>>) =>
  trx.updateTable('rebate_programmes').set(patch).where('id', '=', id).where('status', '=', 'draft').returningAll().executeTakeFirst()

/** Deletes a draft; false when it is no longer a draft. */
export const deleteDraft = async (trx: Conn, id: string): Promise<boolean> =>
  (await trx.deleteFrom('rebate_programmes').where('id', '=', id).where('status', '=', 'draft').returning('id').executeTakeFirst()) !== undefined

/** Starts a draft's run; the row after, or undefined when it was no longer a draft. */
export const startRun = (conn: Conn, id: string, start: Pick<RebateProgrammesTable, 'point_value_fen' | 'run_at' | 'run_by' | 'updated_at'>) =>
  conn.updateTable('rebate_programmes').set({ status: 'running', ...start }).where('id', '=', id).where('status', '=', 'draft').returningAll().executeTakeFirst()

/** Locks a running programme's row for a chunk of its run; false when it is not running. */
export const holdRunning = async (trx: Trx, id: string, at: string): Promise<boolean> =>
  (await trx.updateTable('rebate_programmes').set({ updated_at: at }).where('id', '=', id).where('status', '=', 'running').returning('id').executeTakeFirst()) !== undefined

export const addToCounters = (trx: Trx, id: string, rewarded: number, total: number) =>
  trx.updateTable('rebate_programmes')
    .set({ members_rewarded: sql`members_rewarded + ${rewarded}`, total_rebate: sql`total_rebate + ${total}` })
    .where('id', '=', id).execute()

/** Completes a running programme; the row after, or undefined when it was not running. */
export const completeRun = (trx: Conn, id: string, at: string) =>
  trx.updateTable('rebate_programmes').set({ status: 'completed', updated_at: at })
    .where('id', '=', id).where('status', '=', 'running').returningAll().executeTakeFirst()

// ---- awards ----

/** Claims a member's award; false when the member has it already. */
export const claimAward = async (trx: Trx, row: RebateAwardsTable): Promise<boolean> =>
  (await trx.insertInto('rebate_awards').values(row)
    .onConflict((oc) => oc.columns(['programme_id', 'member_id']).doNothing())
    .returning('member_id').executeTakeFirst()) !== undefined

export const setAwardGiven = (trx: Trx, programmeId: string, memberId: string, given: { entry_id: string } | { coupon_id: string }) =>
  trx.updateTable('rebate_awards').set(given).where('programme_id', '=', programmeId).where('member_id', '=', memberId).execute()

export const awardsOf = (conn: Conn, programmeId: string) =>
  conn.selectFrom('rebate_awards').select(['member_id', 'basis', 'rebate']).where('programme_id', '=', programmeId).execute()

// ---- verify ----

export const programmeCounters = (conn: Conn) => conn.selectFrom('rebate_programmes').select(['id', 'status', 'members_rewarded', 'total_rebate']).execute()

export const awardSums = (conn: Conn) =>
  conn.selectFrom('rebate_awards').select(['programme_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('rebate').as('total')])
    .groupBy('programme_id').execute()

/** The awards of points programmes, with the ledger entry each names. */
export const pointsAwards = (conn: Conn) =>
  conn.selectFrom('rebate_awards as w').innerJoin('rebate_programmes as p', 'p.id', 'w.programme_id')
    .select(['w.programme_id', 'w.member_id', 'w.rebate', 'w.entry_id'])
    .where('p.reward', '=', 'points').execute()

/** Awards of coupon programmes whose coupon is missing, of another value or of another template. */
export const brokenCouponAwards = (conn: Conn, limit: number) =>
  conn.selectFrom('rebate_awards as w').innerJoin('rebate_programmes as p', 'p.id', 'w.programme_id')
    .leftJoin('coupons as c', 'c.id', 'w.coupon_id')
    .select(['w.programme_id', 'w.member_id', 'w.rebate', 'c.id as coupon', 'c.value', 'c.template_id'])
    .where('p.reward', '=', 'coupon')
    .where((eb) => eb.or([eb('c.id', 'is', null), eb('c.value', '!=', eb.ref('w.rebate')), eb('c.template_id', '!=', eb.ref('p.coupon_template_id'))]))
    .limit(limit).execute()
