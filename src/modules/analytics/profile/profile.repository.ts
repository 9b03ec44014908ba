import { CompiledQuery, sql } from 'kysely'
import { prepareOnPostgres, type Db, type Trx } from '../../../db/database.js'
import type { LookupKey } from '../../members/index.js'

type Conn = Db | Trx

// One member's profile: their member_insight row, their spend per department in the window (from
// member_category_days by the member's primary key range), and the till's compact form.

export const findMemberStatus = (conn: Conn, memberId: string) =>
  conn.selectFrom('members').select(['id', 'status', 'registration_store_id']).where('id', '=', memberId).executeTakeFirst()

export const findInsightRow = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_insight').selectAll().where('member_id', '=', memberId).executeTakeFirst()

/** The member's spend per department between two business dates, largest first ('' = no department). */
export const spendByDepartment = async (conn: Conn, memberId: string, from: string, to: string) =>
  (await conn.selectFrom('member_category_days').select(['department', (eb) => eb.fn.sum<number>('amount').as('amount')])
    .where('member_id', '=', memberId).where('day', '>=', from).where('day', '<=', to)
    .groupBy('department').execute())
    .map((r) => ({ department: r.department, amount: Number(r.amount) }))
    .sort((a, b) => b.amount - a.amount || a.department.localeCompare(b.department))

export const readMetaValue = async (conn: Conn, key: string): Promise<string | undefined> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value

/**
 * The record a lookup's key names with the till's profile, in one indexed read: the member by the
 * key's index (unique but for email: the first by id is theirs), whatever their status, their
 * member_insight row and their active tags (member_tags by its primary key's leading column), one
 * row per tag.
 */
const lookupProfileQuery = (conn: Conn, field: LookupKey['field'], value: string) =>
  conn.selectFrom('members as m')
    .leftJoin('member_insight as i', 'i.member_id', 'm.id')
    .leftJoin('member_tags as mt', 'mt.member_id', 'm.id')
    .leftJoin('tags as t', (j) => j.onRef('t.id', '=', 'mt.tag_id').on('t.status', '=', sql.lit('active')))
    .selectAll('m')
    .select(['i.rfm_class', 'i.lifecycle', 'i.main_department', 'i.as_of', 't.id as tag_id', 't.name as tag_name', 't.color as tag_color', 'mt.added_at as tag_added_at'])
    .where(`m.${field}`, '=', value)
    .orderBy('m.id').orderBy('mt.added_at')

type LookupProfileRow = Awaited<ReturnType<ReturnType<typeof lookupProfileQuery>['execute']>>[number]

// The query's text per engine and key, built once: building it took longer than running it
// (about 25 µs against 20 on SQLite), and the till's lookup is read at every customer. On
// PostgreSQL it is also planned once per connection (planning the join cost 6× running it).
const lookupTexts = new Map<string, string>()

export const findLookupProfileRows = async (conn: Conn, key: LookupKey): Promise<LookupProfileRow[]> => {
  const at = `${conn.getExecutor().adapter.constructor.name}:${key.field}`
  let text = lookupTexts.get(at)
  if (text === undefined) {
    const compiled = lookupProfileQuery(conn, key.field, '').compile()
    if (compiled.parameters.length !== 1) throw new Error('the lookup profile query takes the key as its only parameter')
    text = compiled.sql
    lookupTexts.set(at, text)
    prepareOnPostgres(text)
  }
  return (await conn.executeQuery<LookupProfileRow>(CompiledQuery.raw(text, [key.value]))).rows
}
