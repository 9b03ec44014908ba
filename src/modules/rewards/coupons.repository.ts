import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { scopeOf } from '../../shared/scope.js'
import type { MemberIdsSubquery } from '../members/index.js'
import type { CouponIssuesTable, CouponsTable, CouponStatus, CouponTemplatesTable, TemplateStatus } from './coupons.table.js'

// Coupons' queries: templates, coupons and bulk issue runs. The connection comes first; services
// pass their transaction. The conditional updates are how budgets and single use hold under
// concurrency: keep each WHERE as it is.

type Conn = Db | Trx

// ---- templates ----

export const findTemplate = (conn: Conn, id: string) => conn.selectFrom('coupon_templates').selectAll().where('id', '=', id).executeTakeFirst()

/** Which of these template ids exist. */
export const existingTemplateIds = async (conn: Conn, ids: readonly string[]): Promise<Set<string>> =>
  ids.length === 0 ? new Set() : new Set((await conn.selectFrom('coupon_templates').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id))

export const listTemplates = (conn: Conn, filter: { status?: TemplateStatus } = {}) => {
  let q = conn.selectFrom('coupon_templates').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (filter.status) q = q.where('status', '=', filter.status)
  return q.execute()
}

/** id, name and kind of templates (a report's rows, or labels for coupons), newest first. */
export const templateLabels = (conn: Conn, filter: { ids?: readonly string[] } = {}) => {
  let q = conn.selectFrom('coupon_templates').select(['id', 'name', 'kind']).orderBy('created_at', 'desc')
  if (filter.ids) q = q.where('id', 'in', [...filter.ids])
  return q.execute()
}

export const insertTemplate = (trx: Conn, row: CouponTemplatesTable) => trx.insertInto('coupon_templates').values(row).execute()

/**
 * Changes a template unless, since it was read, it was archived, coupons were issued (when the
 * kind changes) or more were issued than the new budget; the row after, or undefined.
 */
export const updateTemplateIfStill = (trx: Conn, id: string, changes: Partial<CouponTemplatesTable> & Pick<CouponTemplatesTable, 'kind' | 'max_issued'>, at: string) =>
  trx.updateTable('coupon_templates').set({ ...changes, updated_at: at }).where('id', '=', id)
    .where('status', '!=', 'archived')
    .where((eb) => eb.or([eb('issued_count', '=', 0), eb('kind', '=', changes.kind)]))
    .where((eb) => (changes.max_issued === null ? eb.lit(true) : eb('issued_count', '<=', changes.max_issued)))
    .returningAll().executeTakeFirst()

/** Sets the status; an archived template only stays archived. The row after, or undefined. */
export const setTemplateStatus = (trx: Conn, id: string, status: TemplateStatus, at: string) =>
  trx.updateTable('coupon_templates').set({ status, updated_at: at }).where('id', '=', id)
    .where((eb) => (status === 'archived' ? eb.lit(true) : eb('status', '!=', 'archived'))).returningAll().executeTakeFirst()

/** Counts `n` more issued coupons, within the template's budget; false when it would pass it. */
export const countIssued = async (trx: Trx, templateId: string, n: number): Promise<boolean> =>
  (n === 1
    ? await trx.updateTable('coupon_templates').set({ issued_count: sql`issued_count + 1` })
      .where('id', '=', templateId).where((eb) => eb.or([eb('max_issued', 'is', null), eb('issued_count', '<', eb.ref('max_issued'))]))
      .returning('id').executeTakeFirst()
    : await trx.updateTable('coupon_templates').set({ issued_count: sql`issued_count + ${n}` })
      .where('id', '=', templateId).where((eb) => eb.or([eb('max_issued', 'is', null), eb(sql`issued_count + ${n}`, '<=', eb.ref('max_issued'))]))
      .returning('id').executeTakeFirst()) !== undefined

/** Counts fen given against the template's redeemed-value budget; false when it would pass it. */
export const countRedeemed = async (trx: Trx, templateId: string, discount: number): Promise<boolean> =>
  (await trx.updateTable('coupon_templates').set({ redeemed_value: sql`redeemed_value + ${discount}` })
    .where('id', '=', templateId).where(sql<boolean>`redeemed_value + ${discount} <= max_redeemed_value`).returning('id').executeTakeFirst()) !== undefined

export const uncountRedeemed = (trx: Trx, templateId: string, discount: number) =>
  trx.updateTable('coupon_templates').set({ redeemed_value: sql`redeemed_value - ${discount}` }).where('id', '=', templateId).execute()

/** Active templates given to new members (only those that existed at `existedAt`, when given). */
export const welcomeTemplateIds = async (conn: Conn, existedAt?: string): Promise<string[]> => {
  let q = conn.selectFrom('coupon_templates').select('id').where('auto_issue', '=', 'registration').where('status', '=', 'active')
  if (existedAt !== undefined) q = q.where('created_at', '<=', existedAt)
  return (await q.execute()).map((r) => r.id)
}

/** Active welcome templates with budget left. */
export const welcomeTemplatesWithBudget = (conn: Conn) =>
  conn.selectFrom('coupon_templates').select(['id', 'created_at']).where('auto_issue', '=', 'registration').where('status', '=', 'active')
    .where((eb) => eb.or([eb('max_issued', 'is', null), eb('issued_count', '<', eb.ref('max_issued'))])).execute()

export const templateBudgets = (conn: Conn) =>
  conn.selectFrom('coupon_templates').select(['id', 'issued_count', 'max_issued', 'redeemed_value', 'max_redeemed_value']).execute()

// ---- coupons ----

export const findCoupon = (conn: Conn, id: string) => conn.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirst()

export const findCouponByCode = (conn: Conn, code: string) => conn.selectFrom('coupons').selectAll().where('code', '=', code).executeTakeFirst()

/** The coupon a key issued to a member, if any. */
export const findIssued = (conn: Conn, key: { templateId: string; memberId: string; issueKey: string }) =>
  conn.selectFrom('coupons').select(['id', 'code']).where('template_id', '=', key.templateId)
    .where('member_id', '=', key.memberId).where('issue_key', '=', key.issueKey).executeTakeFirst()

export const insertCoupon = (trx: Conn, row: CouponsTable) => trx.insertInto('coupons').values(row).execute()

/** Inserts coupons, skipping those a key issued already; how many were inserted. */
export const insertCouponsUnlessIssued = async (trx: Trx, rows: CouponsTable[]): Promise<number> =>
  (await trx.insertInto('coupons').values(rows)
    .onConflict((oc) => oc.columns(['template_id', 'member_id', 'issue_key']).doNothing()).returning('id').execute()).length

/** Of these members, those the key issued a coupon of the template to. */
export const membersIssued = async (conn: Conn, templateId: string, issueKey: string, memberIds: readonly string[]): Promise<string[]> =>
  (await conn.selectFrom('coupons').select('member_id').where('template_id', '=', templateId).where('issue_key', '=', issueKey)
    .where('member_id', 'in', [...memberIds]).execute()).map((r) => r.member_id)

export const couponsOfMember = (conn: Conn, memberId: string, filter: { status?: CouponStatus; limit: number }) => {
  let q = conn.selectFrom('coupons').selectAll().where('member_id', '=', memberId).orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(filter.limit)
  if (filter.status) q = q.where('status', '=', filter.status)
  return q.execute()
}

/**
 * A template's coupons, newest first, from before `cursor`; `memberIds` (a members subquery)
 * narrows them to a scope's members.
 */
export const couponsOfTemplate = (conn: Conn, templateId: string, page: { status?: CouponStatus; cursor?: string; limit: number; memberIds?: MemberIdsSubquery | null }) => {
  let q = conn.selectFrom('coupons').selectAll().where('template_id', '=', templateId).orderBy('id', 'desc').limit(page.limit)
  if (page.memberIds) q = q.where('member_id', 'in', page.memberIds)
  if (page.status) q = q.where('status', '=', page.status)
  if (page.cursor) q = q.where('id', '<', page.cursor)
  return q.execute()
}

/** Voids an unused or expired coupon; the row after, or undefined when it was used or voided. */
export const voidCoupon = (trx: Conn, id: string, v: { at: string; by: string | null; reason: string }) =>
  trx.updateTable('coupons').set({ status: 'voided', voided_at: v.at, voided_by: v.by, void_reason: v.reason })
    .where('id', '=', id).where('status', 'in', ['issued', 'expired']).returningAll().executeTakeFirst()

/** Marks unused coupons whose last day is before `today` expired; how many. */
export const expireCoupons = async (conn: Conn, today: string, at: string): Promise<number> =>
  Number((await conn.updateTable('coupons').set({ status: 'expired', expired_at: at }).where('status', '=', 'issued').where('valid_to', '<', today).executeTakeFirst()).numUpdatedRows)

/**
 * Marks a coupon used by a receipt if it is still unused (or expired after the receipt's date: an
 * offline till's sale); its template, or undefined when another receipt took it first.
 */
export const useCoupon = (trx: Trx, code: string, use: { receiptId: string; storeId: string; date: string; at: string; discount: number; bonusPoints: number }) =>
  trx.updateTable('coupons')
    .set({ status: 'used', used_at: use.at, used_receipt_id: use.receiptId, used_store_id: use.storeId, discount: use.discount, bonus_points: use.bonusPoints, expired_at: null })
    .where('code', '=', code)
    .where((eb) => eb.or([eb('status', '=', 'issued'), eb.and([eb('status', '=', 'expired'), eb('valid_to', '>=', use.date)])]))
    .returning(['template_id']).executeTakeFirst()

/** The coupons a receipt used whose template gives them back on a return. */
export const restorableOfReceipt = (trx: Conn, receiptId: string) =>
  trx.selectFrom('coupons').innerJoin('coupon_templates', 'coupon_templates.id', 'coupons.template_id')
    .select(['coupons.id', 'coupons.code', 'coupons.discount', 'coupons.valid_to', 'coupons.template_id', 'coupon_templates.name', 'coupon_templates.max_redeemed_value'])
    .where('coupons.used_receipt_id', '=', receiptId).where('coupons.status', '=', 'used').where('coupon_templates.restore_on_return', '=', 1).execute()

export const restoreCoupon = (trx: Conn, id: string, expired: boolean, at: string) =>
  trx.updateTable('coupons').set({
    status: expired ? 'expired' : 'issued', expired_at: expired ? at : null, used_at: null, used_receipt_id: null, used_store_id: null, discount: 0, bonus_points: 0, restored_at: at,
  }).where('id', '=', id).execute()

/** Coupons with their templates, in one query (the till's quote and commit run this). */
const couponsOnBasket = (conn: Conn) => conn.selectFrom('coupons').innerJoin('coupon_templates', 'coupon_templates.id', 'coupons.template_id')
  .selectAll('coupon_templates')
  .select(['coupons.code as c_code', 'coupons.member_id as c_member_id', 'coupons.status as c_status', 'coupons.value as c_value', 'coupons.valid_from as c_valid_from', 'coupons.valid_to as c_valid_to'])
export type BasketRow = Awaited<ReturnType<ReturnType<typeof couponsOnBasket>['execute']>>[number]

export const basketCouponsByCode = (conn: Conn, codes: readonly string[]): Promise<BasketRow[]> =>
  couponsOnBasket(conn).where('coupons.code', 'in', [...codes]).execute()

/** A member's unused coupons valid on `date`, the soonest to end first. */
export const basketCouponsOfMember = (conn: Conn, memberId: string, date: string, limit: number): Promise<BasketRow[]> =>
  couponsOnBasket(conn).where('coupons.member_id', '=', memberId).where('coupons.status', '=', 'issued')
    .where('coupons.valid_to', '>=', date).orderBy('coupons.valid_to').limit(limit).execute()

/** Coupons per template and status, with the discount and bonus points; `memberIds` narrows to a scope's members. */
export const countsByTemplate = (conn: Conn, templateIds: readonly string[], memberIds?: MemberIdsSubquery | null) => {
  let q = conn.selectFrom('coupons').select(['template_id', 'status', (eb) => eb.fn.countAll<number>().as('n'),
    (eb) => eb.fn.coalesce(eb.fn.sum<number>('discount'), eb.lit(0)).as('discount'), (eb) => eb.fn.coalesce(eb.fn.sum<number>('bonus_points'), eb.lit(0)).as('bonus')])
    .where('template_id', 'in', [...templateIds])
  if (memberIds) q = q.where('member_id', 'in', memberIds)
  return q.groupBy(['template_id', 'status']).execute()
}

/** Per template and status: how many coupons and the discount they took (for verify). */
export const statusCounts = (conn: Conn) =>
  conn.selectFrom('coupons').select(['template_id', 'status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('discount').as('discount')])
    .groupBy(['template_id', 'status']).execute()

// ---- bulk issue runs ----

export const insertIssueRun = (conn: Conn, row: CouponIssuesTable) => conn.insertInto('coupon_issues').values(row).execute()

export const addIssueProgress = (trx: Conn, runId: string, issued: number, skipped: number) =>
  trx.updateTable('coupon_issues').set({ issued: sql`issued + ${issued}`, skipped: sql`skipped + ${skipped}` }).where('id', '=', runId).execute()

export const finishIssueRun = (trx: Conn, runId: string, end: Pick<CouponIssuesTable, 'status' | 'finished_at'> & { error_message?: string }) =>
  trx.updateTable('coupon_issues').set(end).where('id', '=', runId).execute()

/**
 * A template's bulk issue runs, newest first: a store's own only (their errors quote the keys
 * given), and the runs a staff user started themselves (a region manager's runs belong to no store).
 */
export const issueRunsOfTemplate = (conn: Conn, templateId: string, who: Actor, limit: number) => {
  const scope = scopeOf(who)
  let q = conn.selectFrom('coupon_issues').selectAll().where('template_id', '=', templateId)
  if (scope.kind === 'stores') {
    const self = who.kind === 'staff' ? who.username : null
    q = q.where((eb) => eb.or([
      ...(scope.storeIds.length ? [eb('store_id', 'in', scope.storeIds)] : []),
      ...(self ? [eb('created_by', '=', self)] : []),
    ]))
  }
  return q.orderBy('created_at', 'desc').limit(limit).execute()
}

export const findIssueRun = (conn: Conn, id: string) => conn.selectFrom('coupon_issues').selectAll().where('id', '=', id).executeTakeFirst()

/**
 * Issued coupons of the templates of this kind and name, by member then id, after a
 * (member, id) cursor: code, member, value and the template's minimum spend.
 */
export const issuedCouponsOfTemplateNamed = (conn: Conn, template: { kind: CouponTemplatesTable['kind']; name: string },
  page: { after?: { memberId: string; id: string }; limit: number }) => {
  let q = conn.selectFrom('coupons').innerJoin('coupon_templates as t', 't.id', 'coupons.template_id')
    .select(['coupons.id', 'coupons.code', 'coupons.member_id', 'coupons.value', 't.min_spend'])
    .where('t.kind', '=', template.kind).where('t.name', '=', template.name).where('coupons.status', '=', 'issued')
  const after = page.after
  if (after) q = q.where((eb) => eb.or([eb('coupons.member_id', '>', after.memberId), eb.and([eb('coupons.member_id', '=', after.memberId), eb('coupons.id', '>', after.id)])]))
  return q.orderBy('coupons.member_id').orderBy('coupons.id').limit(page.limit).execute()
}
