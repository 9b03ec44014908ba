import { sql, type Expression, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import type { Condition, Leaf } from '../conditions/condition.js'
import { leavesOf } from '../conditions/conditions.js'
import { matchingMembers, windowStart, type CompileContext, type MemberEb } from '../conditions/conditions.repository.js'
import { valueKindOf } from './tag-reasons.js'
import type { TagKind, TagStatus, TagsTable } from './tags.table.js'

type Conn = Db | Trx

// Tags, the members who hold them and their history. Evaluation is set-based: each rule tag is
// two INSERT … SELECTs over the compiled rule (members newly matching, members no longer
// matching) and one DELETE, never a member at a time.

export const findTags = (conn: Conn, status?: TagStatus) => {
  let q = conn.selectFrom('tags').selectAll()
  if (status) q = q.where('status', '=', status)
  return q.orderBy('name').execute()
}

export const findTagById = (conn: Conn, id: string) => conn.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst()

export const findTagByName = (conn: Conn, name: string) => conn.selectFrom('tags').selectAll().where('name', '=', name).executeTakeFirst()

export const findTagNamesByIds = async (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? [] : conn.selectFrom('tags').select(['id', 'name', 'kind', 'rule', 'status']).where('id', 'in', [...new Set(ids)]).execute()

export const insertTag = (conn: Conn, row: TagsTable) => conn.insertInto('tags').values(row).execute()

export const updateTag = (conn: Conn, id: string, patch: Partial<Omit<TagsTable, 'id' | 'created_at' | 'created_by'>>) =>
  conn.updateTable('tags').set(patch).where('id', '=', id).execute()

/** Members holding each tag now, of the scope's registration stores (a store role's, or a filter). */
export const countMembersPerTag = async (conn: Conn, scope: Scope): Promise<Map<string, number>> => {
  const q = conn.selectFrom('member_tags as mt').select(['mt.tag_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('mt.tag_id')
  const rows = scope.kind === 'chain'
    ? await q.execute()
    : await scopeToStore(q.innerJoin('members as m', 'm.id', 'mt.member_id'), scope, 'm.registration_store_id').execute()
  return new Map(rows.map((r) => [r.tag_id, Number(r.n)]))
}

/**
 * Members per tag per day of the full refreshes between two dates, summed over a scope's stores,
 * oldest first. Every (day, tag) a refresh counted is answered, with 0 where the scope's stores
 * have none of its members, so a store's trend runs over the same days as the chain's.
 */
export const findTagCountsDaily = async (conn: Conn, scope: Scope, from: string, to: string, tagIds?: readonly string[]) => {
  const ofDays = () => {
    let q = conn.selectFrom('tag_counts_daily').where('day', '>=', from).where('day', '<=', to)
    if (tagIds) q = q.where('tag_id', 'in', tagIds.length > 0 ? [...tagIds] : [''])
    return q
  }
  const sums = scopeToStore(ofDays().select(['day', 'tag_id', (eb) => eb.fn.sum<number | string>('members').as('members')]).groupBy(['day', 'tag_id']), scope, 'store_id')
  const rows = scope.kind === 'chain'
    ? await sums.orderBy('day').orderBy('tag_id').execute()
    : await conn.selectFrom(ofDays().select(['day', 'tag_id']).distinct().as('k'))
      .leftJoin(sums.as('s'), (join) => join.onRef('s.day', '=', 'k.day').onRef('s.tag_id', '=', 'k.tag_id'))
      .select(['k.day', 'k.tag_id', (eb) => eb.fn.coalesce('s.members', eb.val(0)).as('members')])
      .orderBy('k.day').orderBy('k.tag_id').execute()
  return rows.map((r) => ({ day: r.day, tag_id: r.tag_id, members: Number(r.members) }))
}

/**
 * The as-of day's counts per tag and registration store ('' for members without one), replacing
 * any of that day (a second refresh the same day). A tag nobody holds gets one row of 0 (store
 * ''), so its trend shows the 0 rather than a gap.
 */
export const writeTagCountsDaily = async (trx: Trx, day: string): Promise<void> => {
  await trx.deleteFrom('tag_counts_daily').where('day', '=', day).execute()
  await trx.insertInto('tag_counts_daily').columns(['day', 'tag_id', 'store_id', 'members']).expression(
    trx.selectFrom('tags as t').leftJoin('member_tags as mt', 'mt.tag_id', 't.id').leftJoin('members as m', 'm.id', 'mt.member_id')
      .where('t.status', '=', 'active')
      .select((eb) => [
        sql<string>`cast(${day} as text)`.as('day'), 't.id', sql<string>`coalesce(m.registration_store_id, '')`.as('store_id'),
        eb.fn.count<number>('mt.member_id').as('members'),
      ])
      .groupBy(['t.id', 'm.registration_store_id']),
  ).execute()
}

/** The date the insight figures are as of (the latest refresh), or null before the first. */
export const latestInsightAsOf = async (conn: Conn): Promise<string | null> => {
  const row = await conn.selectFrom('member_insight').select((eb) => eb.fn.max('as_of').as('as_of')).executeTakeFirst()
  return row?.as_of ?? null
}

/** A member's status and store, for the scope of an action on them. */
export const findMemberForTags = (conn: Conn, memberId: string) =>
  conn.selectFrom('members').select(['id', 'status', 'registration_store_id', 'merged_into_id']).where('id', '=', memberId).executeTakeFirst()

/** The tags a member holds now, with the tag's definition to put the reason into words. */
export const findMemberTags = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_tags as mt').innerJoin('tags as t', 't.id', 'mt.tag_id')
    .select(['mt.tag_id', 't.name', 't.color', 't.kind', 't.rule', 'mt.source', 'mt.reason', 'mt.added_at', 'mt.added_by'])
    .where('mt.member_id', '=', memberId).where('t.status', '=', 'active')
    .orderBy('mt.added_at').orderBy('t.name').execute()

export const findMemberTag = (conn: Conn, memberId: string, tagId: string) =>
  conn.selectFrom('member_tags').selectAll().where('member_id', '=', memberId).where('tag_id', '=', tagId).executeTakeFirst()

export const insertMemberTag = (trx: Trx, row: { member_id: string; tag_id: string; source: TagKind; reason: string; added_at: string; added_by: string | null }) =>
  trx.insertInto('member_tags').values(row).execute()

export const deleteMemberTag = (trx: Trx, memberId: string, tagId: string) =>
  trx.deleteFrom('member_tags').where('member_id', '=', memberId).where('tag_id', '=', tagId).execute()

export const insertTagEvent = (trx: Trx, row: {
  id: string; member_id: string; tag_id: string; event: 'added' | 'removed'; source: TagKind; reason: string | null; at: string; by: string | null
}) => trx.insertInto('member_tag_events').values(row).execute()

/** A member's tag history, newest first. */
export const findMemberTagEvents = (conn: Conn, memberId: string, limit: number) =>
  conn.selectFrom('member_tag_events as e').innerJoin('tags as t', 't.id', 'e.tag_id')
    .select(['e.id', 'e.tag_id', 't.name', 't.color', 't.rule', 'e.event', 'e.source', 'e.reason', 'e.at', 'e.by'])
    .where('e.member_id', '=', memberId).orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(limit).execute()

/** Staff display names for the clerks who attached or removed tags. */
export const findStaffNames = async (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? [] : conn.selectFrom('staff_users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute()

const text = (e: Expression<unknown>): RawBuilder<string> => sql<string>`coalesce(cast(${e} as text), 'null')`

/** The member's own figure for a leaf (see tag-reasons.ts), as SQL over `m` ⟕ `i`; null for leaves without one. */
const valueOf = (eb: MemberEb, leaf: Leaf, ctx: CompileContext): Expression<unknown> | null => {
  const kind = valueKindOf(leaf)
  if (kind === null) return null
  if (leaf.field === 'bought') {
    const from = windowStart(ctx.asOf, leaf.days)
    if (leaf.op === 'department' || leaf.op === 'category') {
      // As the compiler counts: per day the busiest matched row, so one receipt never counts twice.
      const column = leaf.op === 'department' ? 'cd.department' : 'cd.category'
      const perDay = eb.selectFrom('member_category_days as cd').select((e) => e.fn.max('cd.receipts').as('n'))
        .whereRef('cd.member_id', '=', 'm.id').where(column, 'in', leaf.value)
        .where('cd.day', '>=', from).where('cd.day', '<=', ctx.asOf).where('cd.receipts', '>', 0).groupBy('cd.day')
      return eb.fn.coalesce(eb.selectFrom(perDay.as('d')).select((e) => e.fn.sum<number>('d.n').as('s')), eb.val(0))
    }
    return eb.selectFrom('products as p').innerJoin('receipt_lines as l', 'l.product_id', 'p.id').innerJoin('receipts as r', 'r.id', 'l.receipt_id')
      .select((e) => e.fn.count('r.id').distinct().as('n'))
      .whereRef('r.member_id', '=', 'm.id').where(leaf.op === 'brand' ? 'p.brand' : 'p.sku', 'in', leaf.value)
      .where('r.kind', '=', 'sale').where('r.status', '=', 'posted')
      .where('r.business_date', '>=', from).where('r.business_date', '<=', ctx.asOf)
      .whereRef('l.returned_quantity', '<', 'l.quantity')
  }
  if (leaf.field === 'shopped_at') {
    return eb.selectFrom('receipts as r').select((e) => e.fn.countAll().as('n'))
      .whereRef('r.member_id', '=', 'm.id').where('r.store_id', 'in', leaf.value)
      .where('r.kind', '=', 'sale').where('r.status', '=', 'posted')
      .where('r.business_date', '>=', windowStart(ctx.asOf, leaf.days)).where('r.business_date', '<=', ctx.asOf)
  }
  if (leaf.field === 'points_balance') {
    return eb.fn.coalesce(eb.selectFrom('points_accounts as pa').select('pa.balance').whereRef('pa.member_id', '=', 'm.id'), eb.val(0))
  }
  if (leaf.field === 'tag' || leaf.field === 'consent' || leaf.field === 'coupon' || !('op' in leaf)) return null
  return eb.ref(`i.${leaf.field}` as 'i.spend_w')
}

/** The stored reason of a rule tag: `{"v":[…]}`, the member's figure per leaf in rule order. */
export const reasonOf = (eb: MemberEb, rule: Condition, ctx: CompileContext): RawBuilder<string> => {
  const parts = leavesOf(rule).map(({ leaf }) => {
    const value = valueOf(eb, leaf, ctx)
    return value ? text(value) : sql<string>`'null'`
  })
  return sql<string>`'{"v":[' || ${sql.join(parts, sql` || ',' || `)} || ']}'`
}

export interface EvaluationScope {
  ctx: CompileContext
  at: string
  /** only the members in insight_dirty */
  dirtyOnly: boolean
}

const dirtyMembers = (trx: Trx) => trx.selectFrom('insight_dirty').select('member_id')

/**
 * Members holding a rule tag who no longer match it lose it, with a 'removed' event each.
 * `prefix` is unique to this call: the events' ids start with it, so the delete finds them.
 */
export const removeUnmatched = async (trx: Trx, tagId: string, rule: Condition, scope: EvaluationScope, prefix: string): Promise<number> => {
  let tagged = trx.selectFrom('member_tags as mt').where('mt.tag_id', '=', tagId)
    .where('mt.member_id', 'not in', matchingMembers(trx, rule, scope.ctx).select('m.id'))
  if (scope.dirtyOnly) tagged = tagged.where('mt.member_id', 'in', dirtyMembers(trx))
  const result = await trx.insertInto('member_tag_events').columns(['id', 'member_id', 'tag_id', 'event', 'source', 'reason', 'at', 'by']).expression(
    tagged.select([
      sql<string>`cast(${prefix} as text) || mt.member_id`.as('id'), 'mt.member_id', 'mt.tag_id', sql<'removed'>`'removed'`.as('event'),
      'mt.source', sql<null>`null`.as('reason'), sql<string>`cast(${scope.at} as text)`.as('at'), sql<null>`null`.as('by'),
    ]),
  ).executeTakeFirst()
  const removed = Number(result.numInsertedOrUpdatedRows ?? 0)
  if (removed > 0) {
    await trx.deleteFrom('member_tags').where('tag_id', '=', tagId).where('member_id', 'in', runEvents(trx, tagId, scope.at, 'removed', prefix).select('member_id')).execute()
  }
  return removed
}

const runEvents = (trx: Trx, tagId: string, at: string, event: 'added' | 'removed', prefix: string) =>
  trx.selectFrom('member_tag_events').where('tag_id', '=', tagId).where('at', '=', at).where('event', '=', event).where('id', 'like', `${prefix}%`)

/** Members matching a rule tag who do not hold it gain it, with the reason and an 'added' event each. */
export const addMatched = async (trx: Trx, tagId: string, rule: Condition, scope: EvaluationScope, prefix: string): Promise<number> => {
  let matching = matchingMembers(trx, rule, scope.ctx)
    .where('m.id', 'not in', trx.selectFrom('member_tags as held').select('held.member_id').where('held.tag_id', '=', tagId))
  if (scope.dirtyOnly) matching = matching.where('m.id', 'in', dirtyMembers(trx))
  const result = await trx.insertInto('member_tag_events').columns(['id', 'member_id', 'tag_id', 'event', 'source', 'reason', 'at', 'by']).expression(
    matching.select((eb) => [
      sql<string>`cast(${prefix} as text) || m.id`.as('id'), 'm.id', sql<string>`cast(${tagId} as text)`.as('tag_id'), sql<'added'>`'added'`.as('event'),
      sql<'rule'>`'rule'`.as('source'), reasonOf(eb, rule, scope.ctx).as('reason'), sql<string>`cast(${scope.at} as text)`.as('at'), sql<null>`null`.as('by'),
    ]),
  ).executeTakeFirst()
  const added = Number(result.numInsertedOrUpdatedRows ?? 0)
  if (added > 0) {
    await trx.insertInto('member_tags').columns(['member_id', 'tag_id', 'source', 'reason', 'added_at', 'added_by']).expression(
      runEvents(trx, tagId, scope.at, 'added', prefix).select(['member_id', 'tag_id', 'source', sql<string>`coalesce(reason, '')`.as('reason'), 'at', 'by']),
    ).execute()
  }
  return added
}

/** After a rule changed: the reasons of the members who still hold the tag, in the new rule's terms. */
export const rewriteReasons = async (trx: Trx, tagId: string, rule: Condition, ctx: CompileContext): Promise<void> => {
  await trx.updateTable('member_tags').set((eb) => ({
    reason: eb.selectFrom('members as m').leftJoin('member_insight as i', 'i.member_id', 'm.id')
      .select((e) => reasonOf(e as unknown as MemberEb, rule, ctx).as('r')).whereRef('m.id', '=', 'member_tags.member_id'),
  })).where('tag_id', '=', tagId).execute()
}

/** Everyone loses a tag (it was archived), with a 'removed' event each. */
export const removeAllOfTag = async (trx: Trx, tagId: string, at: string, by: string | null, prefix: string): Promise<number> => {
  const result = await trx.insertInto('member_tag_events').columns(['id', 'member_id', 'tag_id', 'event', 'source', 'reason', 'at', 'by']).expression(
    trx.selectFrom('member_tags as mt').where('mt.tag_id', '=', tagId).select([
      sql<string>`cast(${prefix} as text) || mt.member_id`.as('id'), 'mt.member_id', 'mt.tag_id', sql<'removed'>`'removed'`.as('event'),
      'mt.source', sql<string>`'archived'`.as('reason'), sql<string>`cast(${at} as text)`.as('at'), sql<string | null>`cast(${by} as text)`.as('by'),
    ]),
  ).executeTakeFirst()
  await trx.deleteFrom('member_tags').where('tag_id', '=', tagId).execute()
  return Number(result.numInsertedOrUpdatedRows ?? 0)
}

/** A masked sample of the members a rule matches, with each one's reason values. */
export const sampleMatching = (conn: Conn, rule: Condition, ctx: CompileContext, storeIds: readonly string[] | null, limit: number) =>
  matchingMembers(conn, rule, ctx, storeIds)
    .select((eb) => ['m.id', 'm.card_no', 'm.name_masked', 'm.phone_masked', reasonOf(eb, rule, ctx).as('reason')])
    .orderBy('m.id', 'desc').limit(limit).execute()
