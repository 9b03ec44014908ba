import type { Db, Trx } from '../../../db/database.js'
import type { Condition } from '../conditions/condition.js'
import { matchingMembers, type CompileContext } from '../conditions/conditions.repository.js'
import type { SegmentsTable, SegmentSnapshotsTable } from './segments.table.js'

type Conn = Db | Trx

export const insertSegment = (conn: Conn, row: SegmentsTable) => conn.insertInto('segments').values(row).execute()

export const updateSegment = (conn: Conn, id: string, changes: Partial<Omit<SegmentsTable, 'id'>>) =>
  conn.updateTable('segments').set(changes).where('id', '=', id).execute()

export const findSegment = (conn: Conn, id: string) => conn.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst()

/** Segments of some stores (null store = the chain's) or all, newest change first, with their snapshot figures. */
const segmentsWithSnapshots = (conn: Conn) =>
  conn.selectFrom('segments as s')
    .select(['s.id', 's.name', 's.description', 's.definition', 's.store_id', 's.status', 's.created_by', 's.created_at', 's.updated_at'])
    .select((eb) => [
      eb.selectFrom('segment_snapshots as ss').whereRef('ss.segment_id', '=', 's.id').select((e) => e.fn.countAll<number>().as('n')).as('snapshots'),
      eb.selectFrom('segment_snapshots as ss').whereRef('ss.segment_id', '=', 's.id').select('ss.member_count')
        .orderBy('ss.created_at', 'desc').orderBy('ss.id', 'desc').limit(1).as('last_count'),
      eb.selectFrom('segment_snapshots as ss').whereRef('ss.segment_id', '=', 's.id').select('ss.created_at')
        .orderBy('ss.created_at', 'desc').orderBy('ss.id', 'desc').limit(1).as('last_snapshot_at'),
    ])

export const listSegments = (conn: Conn, filter: { storeIds: readonly string[] | null; status: 'active' | 'archived' }) => {
  let q = segmentsWithSnapshots(conn).where('s.status', '=', filter.status)
  if (filter.storeIds) q = q.where('s.store_id', 'in', filter.storeIds.length > 0 ? filter.storeIds : [''])
  return q.orderBy('s.updated_at', 'desc').orderBy('s.id', 'desc').limit(500).execute()
}

export const findSegmentWithSnapshots = (conn: Conn, id: string) => segmentsWithSnapshots(conn).where('s.id', '=', id).executeTakeFirst()

/** Which of these ids exist (tags, stores, tiers, coupon templates), for checking a definition. */
export const existingIds = async (conn: Conn, kind: 'tags' | 'stores' | 'tiers' | 'templates', ids: string[]): Promise<Set<string>> => {
  if (ids.length === 0) return new Set()
  const unique = [...new Set(ids)]
  const rows = kind === 'tags' ? await conn.selectFrom('tags').select('id').where('id', 'in', unique).execute()
    : kind === 'stores' ? await conn.selectFrom('stores').select('id').where('id', 'in', unique).execute()
      : kind === 'tiers' ? await conn.selectFrom('tiers').select('code as id').where('code', 'in', unique).execute()
        : await conn.selectFrom('coupon_templates').select('id').where('id', 'in', unique).execute()
  return new Set(rows.map((r) => r.id))
}

/** Names of tags, stores, tiers and templates, for putting a definition into words. */
export const namesOf = async (conn: Conn, ids: { tags: string[]; stores: string[]; tiers: string[]; templates: string[] }): Promise<Record<string, string>> => {
  const out: Record<string, string> = {}
  const add = (rows: Array<{ id: string; name: string }>) => { for (const r of rows) out[r.id] = r.name }
  if (ids.tags.length) add(await conn.selectFrom('tags').select(['id', 'name']).where('id', 'in', ids.tags).execute())
  if (ids.stores.length) add(await conn.selectFrom('stores').select(['id', 'name']).where('id', 'in', ids.stores).execute())
  if (ids.tiers.length) add(await conn.selectFrom('tiers').select(['code as id', 'name']).where('code', 'in', ids.tiers).execute())
  if (ids.templates.length) add(await conn.selectFrom('coupon_templates').select(['id', 'name']).where('id', 'in', ids.templates).execute())
  return out
}

/** The masked columns of a member row in a preview, an export or a snapshot's page. */
const memberColumns = [
  'm.id', 'm.card_no', 'm.name_masked', 'm.phone_masked', 'm.gender', 'm.registration_store_id', 'pa.tier_code', 't.name as tier_name',
  'i.spend_w', 'i.receipts_w', 'i.last_purchase_at', 'i.rfm_class', 'i.lifecycle',
] as const

/** A page of the members a condition matches, by id (keyset: after the cursor's id). */
export const matchingPage = (conn: Conn, c: Condition, ctx: CompileContext, storeIds: readonly string[] | null, page: { after: string | null; limit: number }) => {
  let q = matchingMembers(conn, c, ctx, storeIds)
    .leftJoin('points_accounts as pa', 'pa.member_id', 'm.id')
    .leftJoin('tiers as t', 't.code', 'pa.tier_code')
    .select(memberColumns)
  if (page.after) q = q.where('m.id', '>', page.after)
  return q.orderBy('m.id').limit(page.limit).execute()
}

/** The ids of the members a condition matches, a page at a time (for the coupon issue). */
export const matchingIds = async (conn: Conn, c: Condition, ctx: CompileContext, storeIds: readonly string[] | null, page: { after: string | null; limit: number }): Promise<string[]> => {
  let q = matchingMembers(conn, c, ctx, storeIds).select('m.id')
  if (page.after) q = q.where('m.id', '>', page.after)
  return (await q.orderBy('m.id').limit(page.limit).execute()).map((r) => r.id)
}

export const insertSnapshot = (trx: Trx, row: SegmentSnapshotsTable) => trx.insertInto('segment_snapshots').values(row).execute()

/** Freezes the members a condition matches now into a snapshot, inside the database; returns how many. */
export const fillSnapshot = async (trx: Trx, snapshotId: string, c: Condition, ctx: CompileContext, storeIds: readonly string[] | null): Promise<number> => {
  await trx.insertInto('segment_snapshot_members').columns(['snapshot_id', 'member_id'])
    .expression(matchingMembers(trx, c, ctx, storeIds).select((eb) => [eb.cast<string>(eb.val(snapshotId), 'text').as('snapshot_id'), 'm.id as member_id']))
    .execute()
  const row = await trx.selectFrom('segment_snapshot_members').select((eb) => eb.fn.countAll<number>().as('n')).where('snapshot_id', '=', snapshotId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export const setSnapshotCount = (trx: Trx, id: string, count: number) =>
  trx.updateTable('segment_snapshots').set({ member_count: count }).where('id', '=', id).execute()

export const findSnapshot = (conn: Conn, id: string) => conn.selectFrom('segment_snapshots').selectAll().where('id', '=', id).executeTakeFirst()

export const listSnapshots = (conn: Conn, segmentId: string) =>
  conn.selectFrom('segment_snapshots').selectAll().where('segment_id', '=', segmentId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute()

export type CompareList = 'joined' | 'left' | 'stayed'

/** Members in `to` and not `from` (joined), in `from` and not `to` (left), in both (stayed). */
export const compareCounts = async (conn: Conn, from: string, to: string): Promise<Record<CompareList, number>> => {
  const count = async (inSnap: string, other: string, present: boolean) => {
    const row = await conn.selectFrom('segment_snapshot_members as a')
      .where('a.snapshot_id', '=', inSnap)
      .where((eb) => {
        const inOther = eb.exists(eb.selectFrom('segment_snapshot_members as b').select('b.member_id').where('b.snapshot_id', '=', other).whereRef('b.member_id', '=', 'a.member_id'))
        return present ? inOther : eb.not(inOther)
      })
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }
  const [joined, left, stayed] = await Promise.all([count(to, from, false), count(from, to, false), count(to, from, true)])
  return { joined, left, stayed }
}

/** A masked page of one of the comparison's lists, by member id. */
export const comparePage = (conn: Conn, from: string, to: string, list: CompareList, page: { after: string | null; limit: number }) => {
  const [base, other] = list === 'left' ? [from, to] : [to, from]
  let q = conn.selectFrom('segment_snapshot_members as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .leftJoin('member_insight as i', 'i.member_id', 'm.id')
    .leftJoin('points_accounts as pa', 'pa.member_id', 'm.id')
    .leftJoin('tiers as t', 't.code', 'pa.tier_code')
    .select(memberColumns)
    .where('a.snapshot_id', '=', base)
    .where((eb) => {
      const inOther = eb.exists(eb.selectFrom('segment_snapshot_members as b').select('b.member_id').where('b.snapshot_id', '=', other).whereRef('b.member_id', '=', 'a.member_id'))
      return list === 'stayed' ? inOther : eb.not(inOther)
    })
  if (page.after) q = q.where('a.member_id', '>', page.after)
  return q.orderBy('a.member_id').limit(page.limit).execute()
}

/** A page of a snapshot's members (masked), by id; erased members are left out. */
export const snapshotPage = (conn: Conn, snapshotId: string, page: { after: string | null; limit: number }) => {
  let q = conn.selectFrom('segment_snapshot_members as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .leftJoin('member_insight as i', 'i.member_id', 'm.id')
    .leftJoin('points_accounts as pa', 'pa.member_id', 'm.id')
    .leftJoin('tiers as t', 't.code', 'pa.tier_code')
    .select(memberColumns)
    .where('a.snapshot_id', '=', snapshotId)
    .where('m.status', '!=', 'erased')
  if (page.after) q = q.where('a.member_id', '>', page.after)
  return q.orderBy('a.member_id').limit(page.limit).execute()
}

/** The ids of a snapshot's members, a page at a time. */
export const snapshotIds = async (conn: Conn, snapshotId: string, page: { after: string | null; limit: number }): Promise<string[]> => {
  let q = conn.selectFrom('segment_snapshot_members').select('member_id').where('snapshot_id', '=', snapshotId)
  if (page.after) q = q.where('member_id', '>', page.after)
  return (await q.orderBy('member_id').limit(page.limit).execute()).map((r) => r.member_id)
}

/** Store codes and names by id, for an export. */
export const storesByIds = async (conn: Conn, ids: string[]): Promise<Map<string, { code: string; name: string }>> => {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await conn.selectFrom('stores').select(['id', 'code', 'name']).where('id', 'in', unique).execute()
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]))
}

export type MemberPageRow = Awaited<ReturnType<typeof matchingPage>>[number]

export const segmentLabels = async (conn: Db, ids: string[]) =>
  ids.length === 0 ? [] : (await conn.selectFrom('segments').select(['id', 'name as label']).where('id', 'in', ids).execute())
