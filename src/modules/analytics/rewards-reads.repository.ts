import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { scopeToStore, type Scope } from '../../shared/scope.js'

// Reads across modules' tables for loyalty and rewards: reports that sum one module's rows by
// another's (points by the member's store, coupon sales by receipt totals, rebate bases from
// receipts), reconciliations against receipts, and a draw's free-entry receipt. Analytics may
// read across tables; loyalty and rewards call these instead of joining others' tables.

type Conn = Db | Trx

/** Outstanding points by expiry month and by the member's registration store, and negative balances; a store scope narrows to its stores' members. */
export const pointsLiability = async (db: Db, scope: Scope) => {
  const lotsQ = scopeToStore(db.selectFrom('points_lots').innerJoin('members', 'members.id', 'points_lots.member_id').where('points_lots.remaining', '>', 0), scope, 'members.registration_store_id')
  const month = sql<string>`substr(points_lots.expires_on, 1, 7)`
  const byMonth = await lotsQ.select([month.as('month'), (eb) => eb.fn.sum<number>('points_lots.remaining').as('points')])
    .groupBy(month).orderBy(month).execute()
  const byStore = await lotsQ.leftJoin('stores', 'stores.id', 'members.registration_store_id')
    .select(['members.registration_store_id as storeId', 'stores.code', 'stores.name', (eb) => eb.fn.sum<number>('points_lots.remaining').as('points')])
    .groupBy(['members.registration_store_id', 'stores.code', 'stores.name']).orderBy('stores.code').execute()
  const negQ = scopeToStore(db.selectFrom('points_accounts').innerJoin('members', 'members.id', 'points_accounts.member_id').where('points_accounts.balance', '<', 0), scope, 'members.registration_store_id')
  const negative = await negQ.select((eb) => [eb.fn.countAll<number>().as('members'), eb.fn.coalesce(eb.fn.sum<number>('points_accounts.balance'), eb.lit(0)).as('points')]).executeTakeFirstOrThrow()
  // An erased person's points are expired on their holder with the reason 'erasure' (loyalty's member data).
  const forfeited = scope.kind === 'stores' ? null : await db.selectFrom('points_entries').where('kind', '=', 'expire').where('reason', '=', 'erasure')
    .select((eb) => [sql<number>`count(distinct points_entries.member_id)`.as('members'), eb.fn.coalesce(eb.fn.sum<number>(sql`-points_entries.points`), eb.lit(0)).as('points')])
    .executeTakeFirstOrThrow()
  return { byMonth, byStore, negative, forfeited }
}

/** The number of each of these receipts, by id (a ledger names the receipt by number as well). */
export const receiptNumbers = async (conn: Conn, ids: readonly string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  return new Map((await conn.selectFrom('receipts').select(['id', 'receipt_no']).where('id', 'in', unique).execute()).map((r) => [r.id, r.receipt_no]))
}

/**
 * Per coupon template: the receipts that used its coupons and their totals (a receipt with two
 * coupons of different templates counts for each; per template once). `who` narrows to the
 * coupons of a scope's members.
 */
export const couponSalesByTemplate = (db: Db, templateIds: readonly string[], who: Actor | Scope) =>
  db.selectFrom(() => scopeToStore(db.selectFrom('coupons').innerJoin('members', 'members.id', 'coupons.member_id'), who, 'members.registration_store_id')
    .select(['coupons.template_id', 'coupons.used_receipt_id']).distinct()
    .where('coupons.template_id', 'in', [...templateIds]).where('coupons.status', '=', 'used').as('u'))
    .innerJoin('receipts', 'receipts.id', 'u.used_receipt_id')
    .select(['u.template_id', (eb) => eb.fn.countAll<number>().as('receipts'), (eb) => eb.fn.coalesce(eb.fn.sum<number>('receipts.total'), eb.lit(0)).as('sales')])
    .groupBy('u.template_id').execute()

/** Used coupons whose receipt does not exist. */
export const usedCouponsWithoutReceipt = (db: Db, limit: number) =>
  db.selectFrom('coupons').leftJoin('receipts', 'receipts.id', 'coupons.used_receipt_id').select(['coupons.id'])
    .where('coupons.status', '=', 'used').where('receipts.id', 'is', null).limit(limit).execute()

/** Used coupons whose receipt has no coupon tender for them, or one of another amount. */
export const couponTenderMismatches = (db: Db, limit: number) =>
  db.selectFrom('coupons').innerJoin('receipts', 'receipts.id', 'coupons.used_receipt_id')
    .leftJoin('receipt_tenders', (j) => j.onRef('receipt_tenders.receipt_id', '=', 'coupons.used_receipt_id').onRef('receipt_tenders.reference', '=', 'coupons.code'))
    .select(['coupons.id', 'coupons.discount', 'receipt_tenders.amount']).where('coupons.status', '=', 'used')
    .where((eb) => eb.or([eb('receipt_tenders.amount', 'is', null), eb('receipt_tenders.amount', '!=', eb.ref('coupons.discount'))])).limit(limit).execute()

/**
 * Members who registered (not imported) in [from, until) and are active, without a coupon the key
 * `registration` issued of the template; the earliest first.
 */
export const membersWithoutWelcome = (db: Db, templateId: string, from: string, until: string, limit: number) =>
  db.selectFrom('members').select('id').where('status', '=', 'active').where('registration_channel', '!=', 'import')
    .where('registered_at', '>=', from).where('registered_at', '<', until)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('coupons').select('coupons.id').whereRef('coupons.member_id', '=', 'members.id')
      .where('coupons.template_id', '=', templateId).where('coupons.issue_key', '=', 'registration'))))
    .orderBy('registered_at').limit(limit).execute()

/** Points the ledger charged (`draw`) and awarded (`award`) per draw, through the draw entries its entries name. */
export const drawLedgerSums = (db: Db) =>
  db.selectFrom('points_entries as pe').innerJoin('draw_entries as e', 'e.id', 'pe.reference')
    .where('pe.kind', 'in', ['draw', 'award'])
    .select((eb) => ['e.draw_id', 'pe.kind', eb.fn.sum<number>('pe.points').as('points')])
    .groupBy(['e.draw_id', 'pe.kind']).execute()

/**
 * The oldest of a member's posted sales in [from, to) whose total net of what was returned
 * reaches `minNet` and that gave no entry of the draw yet; or, when named, that receipt if it does.
 */
export const freeEntryReceipt = async (trx: Trx, q: { drawId: string; memberId: string; from: string; to: string; minNet: number; receiptId: string | null }): Promise<string | null> => {
  let query = trx.selectFrom('receipts as r').select('r.id')
    .where('r.member_id', '=', q.memberId).where('r.kind', '=', 'sale').where('r.status', '=', 'posted')
    .where('r.business_at', '>=', q.from).where('r.business_at', '<', q.to)
    .where((eb) => eb(
      eb('r.total', '-', eb.fn.coalesce(eb.selectFrom('receipt_lines as l').select((x) => x.fn.sum<number>('l.returned_amount').as('s')).whereRef('l.receipt_id', '=', 'r.id'), eb.lit(0))),
      '>=', q.minNet))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('draw_entries as de').select('de.id').where('de.draw_id', '=', q.drawId).whereRef('de.receipt_id', '=', 'r.id'))))
    .orderBy('r.business_at').orderBy('r.id').limit(1)
  if (q.receiptId) query = query.where('r.id', '=', q.receiptId)
  return (await query.executeTakeFirst())?.id ?? null
}

/**
 * Each active member's rebate basis in a period (sales less returns, by business date, of spend
 * or points earned) above zero, with card, masked name and tier, leaving out those the programme
 * rewarded already; `who` narrows to a scope's members.
 */
export const rebateBases = (db: Db, p: { programmeId: string; basis: 'spend' | 'points'; from: string; to: string }, who: Actor | Scope | null) => {
  const measure = p.basis === 'spend' ? sql.ref('total') : sql.ref('points_earned')
  const sums = db.selectFrom('receipts')
    .select(['member_id', sql<number>`sum(case when kind = 'sale' then ${measure} else -${measure} end)`.as('basis')])
    .where('status', '=', 'posted').where('member_id', 'is not', null)
    .where('business_date', '>=', p.from).where('business_date', '<=', p.to)
    .groupBy('member_id')
    .as('b')
  let due = db.selectFrom(sums)
    .innerJoin('members as m', 'm.id', 'b.member_id')
    .leftJoin('points_accounts as a', 'a.member_id', 'b.member_id')
    .select(['b.member_id', 'b.basis', 'm.card_no', 'm.name_masked', 'a.tier_code'])
    .where('m.status', '=', 'active').where('b.basis', '>', 0)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('rebate_awards as w').select('w.member_id')
      .where('w.programme_id', '=', p.programmeId).whereRef('w.member_id', '=', 'b.member_id'))))
  if (who) due = scopeToStore(due, who, 'm.registration_store_id')
  return due.execute()
}
