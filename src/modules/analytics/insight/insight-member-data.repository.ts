import { sql } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { retractMember } from '../classes/class-counts.repository.js'
import * as days from './member-days.repository.js'

type Conn = Db | Trx

/** Rows of the member in the insight tables (the merge preview does not list them: they are derived). */
export const countOf = async (conn: Conn, memberId: string): Promise<number> => {
  let n = 0
  for (const table of ['member_category_days', 'member_store_days'] as const) {
    n += Number((await conn.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)
  }
  return n
}

/**
 * A merge: the merged record's days add to the survivor's (as a posted receipt adds to them),
 * its manual tags and tag history and its places in segment snapshots pass to the survivor, its
 * figures and rule tags go (the survivor's are computed again: it is marked dirty).
 */
export const moveTo = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  await sql`INSERT INTO member_category_days ${days.CATEGORY_DAYS_COLUMNS}
    SELECT ${sql`CAST(${toId} AS text)`}, day, department, category, receipts, amount, promo FROM member_category_days WHERE member_id = ${fromId}
    ${days.addToCategoryDays}`.execute(trx)
  await trx.deleteFrom('member_category_days').where('member_id', '=', fromId).execute()
  await sql`INSERT INTO member_store_days ${days.STORE_DAYS_COLUMNS}
    SELECT ${sql`CAST(${toId} AS text)`}, day, store_id, sales, spend, first_at, last_at, earned, used, receipts FROM member_store_days WHERE member_id = ${fromId}
    ${days.addToStoreDays}`.execute(trx)
  await trx.deleteFrom('member_store_days').where('member_id', '=', fromId).execute()
  await retractMember(trx, fromId)
  await trx.deleteFrom('member_insight').where('member_id', '=', fromId).execute()
  await sql`INSERT INTO member_tags (member_id, tag_id, source, reason, added_at, added_by)
    SELECT ${sql`CAST(${toId} AS text)`}, tag_id, source, reason, added_at, added_by FROM member_tags WHERE member_id = ${fromId} AND source = 'manual'
    ON CONFLICT (member_id, tag_id) DO NOTHING`.execute(trx)
  await trx.deleteFrom('member_tags').where('member_id', '=', fromId).execute()
  await trx.updateTable('member_tag_events').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  await sql`INSERT INTO segment_snapshot_members (snapshot_id, member_id)
    SELECT snapshot_id, ${sql`CAST(${toId} AS text)`} FROM segment_snapshot_members WHERE member_id = ${fromId}
    ON CONFLICT (snapshot_id, member_id) DO NOTHING`.execute(trx)
  await trx.deleteFrom('segment_snapshot_members').where('member_id', '=', fromId).execute()
  await trx.insertInto('insight_dirty').values({ member_id: toId }).onConflict((oc) => oc.column('member_id').doNothing()).execute()
}

export const rowsOf = async (conn: Conn, memberId: string): Promise<Record<string, object[]>> => {
  const [insight, days, storeDays, tags, events, snapshots] = await Promise.all([
    conn.selectFrom('member_insight').selectAll().where('member_id', '=', memberId).execute(),
    conn.selectFrom('member_category_days').selectAll().where('member_id', '=', memberId).orderBy('day').orderBy('department').orderBy('category').execute(),
    conn.selectFrom('member_store_days').selectAll().where('member_id', '=', memberId).orderBy('day').orderBy('store_id').execute(),
    conn.selectFrom('member_tags').selectAll().where('member_id', '=', memberId).orderBy('tag_id').execute(),
    conn.selectFrom('member_tag_events').selectAll().where('member_id', '=', memberId).orderBy('at').orderBy('id').execute(),
    conn.selectFrom('segment_snapshot_members').selectAll().where('member_id', '=', memberId).orderBy('snapshot_id').execute(),
  ])
  return { member_insight: insight, member_category_days: days, member_store_days: storeDays, member_tags: tags, member_tag_events: events, segment_snapshot_members: snapshots }
}

export const deleteOf = async (trx: Trx, memberId: string): Promise<void> => {
  await retractMember(trx, memberId)
  for (const table of ['member_insight', 'member_category_days', 'member_store_days', 'member_tags', 'member_tag_events', 'segment_snapshot_members', 'insight_dirty'] as const) {
    await trx.deleteFrom(table).where('member_id', '=', memberId).execute()
  }
}
