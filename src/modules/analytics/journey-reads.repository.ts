import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type { Condition } from './conditions/condition.js'
import { matchingMembers, type CompileContext } from './conditions/conditions.repository.js'

// Reads across modules' tables for marketing's journeys: who a daily trigger takes (birthdays,
// points about to expire, lifecycle stages, tags added, a segment's members on a date) and what a
// journey's condition asks of one member (bought since, holds a tag, in a segment). Analytics may
// read across tables; the journeys call these instead of joining others' tables. Lists are pages
// by member id (`after`), so a chain of any size is read a page at a time.

type Conn = Db | Trx
export interface IdPage { after: string | null; limit: number }

/** Active members whose birthday (MM-DD) is one of `monthDays`, by id. */
export const membersWithBirthdayOn = async (conn: Conn, monthDays: readonly string[], page: IdPage): Promise<string[]> => {
  let q = conn.selectFrom('members').select('id').where('status', '=', 'active').where('birthday', 'is not', null)
    .where(sql<string>`substr(birthday, 6, 5)`, 'in', [...monthDays]).orderBy('id').limit(page.limit)
  if (page.after) q = q.where('id', '>', page.after)
  return (await q.execute()).map((r) => r.id)
}

/** Active members with points left in a lot whose last day is `expiresOn`, by id. */
export const membersWithPointsExpiringOn = async (conn: Conn, expiresOn: string, page: IdPage): Promise<string[]> => {
  let q = conn.selectFrom('points_lots as l').innerJoin('members as m', 'm.id', 'l.member_id').select('l.member_id')
    .where('l.expires_on', '=', expiresOn).where('l.remaining', '>', 0).where('m.status', '=', 'active')
    .groupBy('l.member_id').orderBy('l.member_id').limit(page.limit)
  if (page.after) q = q.where('l.member_id', '>', page.after)
  return (await q.execute()).map((r) => r.member_id)
}

/** Active members' lifecycle stage as the last insight refresh classed them, by id. */
export const lifecycleStages = async (conn: Conn, page: IdPage): Promise<Array<{ memberId: string; stage: string }>> => {
  let q = conn.selectFrom('member_insight as i').innerJoin('members as m', 'm.id', 'i.member_id').select(['i.member_id', 'i.lifecycle'])
    .where('m.status', '=', 'active').orderBy('i.member_id').limit(page.limit)
  if (page.after) q = q.where('i.member_id', '>', page.after)
  return (await q.execute()).map((r) => ({ memberId: r.member_id, stage: r.lifecycle }))
}

/** Times a tag was added to an active member since a time, by the event's id (ids are time-ordered). */
export const tagAdditionsSince = async (conn: Conn, tagId: string, since: string, page: IdPage): Promise<Array<{ id: string; memberId: string; at: string }>> => {
  let q = conn.selectFrom('member_tag_events as e').innerJoin('members as m', 'm.id', 'e.member_id').select(['e.id', 'e.member_id', 'e.at'])
    .where('e.tag_id', '=', tagId).where('e.event', '=', 'added').where('e.at', '>=', since).where('m.status', '=', 'active')
    .orderBy('e.id').limit(page.limit)
  if (page.after) q = q.where('e.id', '>', page.after)
  return (await q.execute()).map((r) => ({ id: r.id, memberId: r.member_id, at: r.at }))
}

const segmentOf = async (conn: Conn, segmentId: string) => {
  const row = await conn.selectFrom('segments').select(['definition', 'store_id']).where('id', '=', segmentId).executeTakeFirst()
  return row ? { condition: JSON.parse(row.definition) as Condition, stores: row.store_id ? [row.store_id] : null } : null
}

/** Active members a segment matches now (a store's segment: of that store), by id; none for an unknown segment. */
export const segmentMemberIds = async (conn: Conn, segmentId: string, ctx: CompileContext, page: IdPage): Promise<string[]> => {
  const seg = await segmentOf(conn, segmentId)
  if (!seg) return []
  let q = matchingMembers(conn, seg.condition, ctx, seg.stores).select('m.id').where('m.status', '=', 'active').orderBy('m.id').limit(page.limit)
  if (page.after) q = q.where('m.id', '>', page.after)
  return (await q.execute()).map((r) => r.id)
}

/** Whether a segment matches a member now. */
export const segmentHasMember = async (conn: Conn, segmentId: string, memberId: string, ctx: CompileContext): Promise<boolean> => {
  const seg = await segmentOf(conn, segmentId)
  if (!seg) return false
  return !!(await matchingMembers(conn, seg.condition, ctx, seg.stores).select('m.id').where('m.id', '=', memberId).executeTakeFirst())
}

/** Whether a member has a posted sale since a time. */
export const boughtSince = async (conn: Conn, memberId: string, since: string): Promise<boolean> =>
  !!(await conn.selectFrom('receipts').select('id').where('member_id', '=', memberId).where('kind', '=', 'sale').where('status', '=', 'posted')
    .where('business_at', '>=', since).limit(1).executeTakeFirst())

/** Whether a member holds a tag now. */
export const holdsTag = async (conn: Conn, memberId: string, tagId: string): Promise<boolean> =>
  !!(await conn.selectFrom('member_tags').select('tag_id').where('member_id', '=', memberId).where('tag_id', '=', tagId).executeTakeFirst())

/** Tags by id: kind and status (a journey checks what its definition names). */
export const tagsById = async (conn: Conn, ids: readonly string[]): Promise<Map<string, { kind: string; status: string }>> => {
  if (ids.length === 0) return new Map()
  const rows = await conn.selectFrom('tags').select(['id', 'kind', 'status']).where('id', 'in', [...new Set(ids)]).execute()
  return new Map(rows.map((r) => [r.id, { kind: r.kind, status: r.status }]))
}

/** Each tier's rank by code (a manual tier change is an upgrade when the rank goes up). */
export const tierRanks = async (conn: Conn): Promise<Map<string, number>> =>
  new Map((await conn.selectFrom('tiers').select(['code', 'rank']).execute()).map((r) => [r.code, Number(r.rank)]))

/** Every active member, by id (a date journey without a segment). */
export const activeMembersPage = async (conn: Conn, page: IdPage): Promise<string[]> => {
  let q = conn.selectFrom('members').select('id').where('status', '=', 'active').orderBy('id').limit(page.limit)
  if (page.after) q = q.where('id', '>', page.after)
  return (await q.execute()).map((r) => r.id)
}
