import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'

// The survey results' counting: set-based, grouped by one dimension at a time; the figures
// (CSAT, NPS, means, shares) are computed from these counts by survey-analysis.ts.

type Conn = Db | Trx

export interface Selection {
  surveyId: string
  scope: Scope
  from?: string
  to?: string
  /** a region's stores (the caller resolves the region through org) */
  storeIds?: readonly string[]
}

/** What results group by: the answer's or response's store, day or member (classes and regions are mapped by the caller). */
export type Dimension = 'all' | 'store' | 'day' | 'member'
const KEY: Record<Dimension, RawBuilder<string | null>> = {
  // One group: the survey itself (PostgreSQL refuses a constant in GROUP BY).
  all: sql<string>`a.survey_id`,
  store: sql<string | null>`a.store_id`,
  day: sql<string>`a.local_date`,
  member: sql<string | null>`a.member_id`,
}

const answersOf = (conn: Conn, s: Selection) => {
  let q = scopeToStore(conn.selectFrom('survey_answers as a').where('a.survey_id', '=', s.surveyId), s.scope, 'a.store_id')
  if (s.from) q = q.where('a.local_date', '>=', s.from)
  if (s.to) q = q.where('a.local_date', '<=', s.to)
  if (s.storeIds) q = s.storeIds.length ? q.where('a.store_id', 'in', [...s.storeIds]) : q.where((eb) => eb.or([]))
  return q
}

const responsesOf = (conn: Conn, s: Selection) => {
  let q = scopeToStore(conn.selectFrom('survey_responses as a').where('a.survey_id', '=', s.surveyId), s.scope, 'a.store_id')
  if (s.from) q = q.where('a.local_date', '>=', s.from)
  if (s.to) q = q.where('a.local_date', '<=', s.to)
  if (s.storeIds) q = s.storeIds.length ? q.where('a.store_id', 'in', [...s.storeIds]) : q.where((eb) => eb.or([]))
  return q
}

/** Rating and NPS answers counted by dimension, kind and value. */
export const scoreCounts = async (conn: Conn, s: Selection, dim: Dimension) =>
  (await answersOf(conn, s).where('a.kind', 'in', ['rating', 'nps'])
    .select([KEY[dim].as('key'), 'a.kind', 'a.value', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([KEY[dim], 'a.kind', 'a.value']).execute())
    .map((r) => ({ key: r.key as string | null, kind: r.kind as 'rating' | 'nps', value: Number(r.value), count: Number(r.n) }))

/** Responses counted by dimension. */
export const responseCounts = async (conn: Conn, s: Selection, dim: Dimension) =>
  (await responsesOf(conn, s).select([KEY[dim].as('key'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(KEY[dim]).execute())
    .map((r) => ({ key: r.key as string | null, count: Number(r.n) }))

/** Every question's answers counted by row, choice and value; and how many responses answered each question. */
export const questionCounts = async (conn: Conn, s: Selection) => {
  const cells = (await answersOf(conn, s).where('a.kind', '!=', 'text')
    .select(['a.question_id', 'a.row_key', 'a.choice', 'a.value', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['a.question_id', 'a.row_key', 'a.choice', 'a.value']).execute())
    .map((r) => ({ questionId: r.question_id, rowKey: r.row_key, choice: r.choice, value: r.value === null ? null : Number(r.value), count: Number(r.n) }))
  const answered = (await answersOf(conn, s)
    .select(['a.question_id', (eb) => eb.fn.count<number>('a.response_id').distinct().as('n')])
    .groupBy('a.question_id').execute())
    .map((r) => ({ questionId: r.question_id, count: Number(r.n) }))
  return { cells, answered }
}

/** Free-text answers, newest response first (keyset: response id descending, then seq). */
export const textPage = async (conn: Conn, s: Selection, page: { questionId?: string; after?: { responseId: string; seq: number }; limit: number }) => {
  let q = answersOf(conn, s).where('a.kind', '=', 'text')
    .select(['a.response_id', 'a.seq', 'a.question_id', 'a.text', 'a.store_id', 'a.member_id', 'a.local_date'])
  if (page.questionId) q = q.where('a.question_id', '=', page.questionId)
  if (page.after) {
    const { responseId, seq } = page.after
    q = q.where((eb) => eb.or([eb('a.response_id', '<', responseId), eb.and([eb('a.response_id', '=', responseId), eb('a.seq', '>', seq)])]))
  }
  return q.orderBy('a.response_id', 'desc').orderBy('a.seq').limit(page.limit).execute()
}

export const textCount = async (conn: Conn, s: Selection) =>
  Number((await answersOf(conn, s).where('a.kind', '=', 'text').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

/** Every response of the selection with its answers as given, for the export (oldest first). */
export const responsesForExport = (conn: Conn, s: Selection, limit: number) =>
  responsesOf(conn, s)
    .select(['a.id', 'a.submitted_at', 'a.local_date', 'a.language', 'a.answers', 'a.store_id', 'a.member_id', 'a.invitation_id'])
    .orderBy('a.id').limit(limit).execute()

// ---- satisfaction for the KPIs: every survey's answers in a window ----

const scoresIn = (conn: Conn, scope: Scope, from: string, to: string) =>
  scopeToStore(conn.selectFrom('survey_answers as a'), scope, 'a.store_id')
    .where('a.kind', 'in', ['rating', 'nps']).where('a.local_date', '>=', from).where('a.local_date', '<=', to)

/** Rating and NPS answers of all surveys between two local dates in a scope, counted by day and value. */
export const satisfactionCounts = async (conn: Conn, scope: Scope, from: string, to: string) =>
  (await scoresIn(conn, scope, from, to)
    .select(['a.local_date', 'a.kind', 'a.value', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['a.local_date', 'a.kind', 'a.value']).execute())
    .map((r) => ({ day: r.local_date, kind: r.kind as 'rating' | 'nps', value: Number(r.value), count: Number(r.n) }))

/** The same answers counted by store (null: answered at no store), kind and value. */
export const satisfactionCountsByStore = async (conn: Conn, scope: Scope, from: string, to: string) =>
  (await scoresIn(conn, scope, from, to)
    .select(['a.store_id', 'a.kind', 'a.value', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['a.store_id', 'a.kind', 'a.value']).execute())
    .map((r) => ({ storeId: r.store_id, kind: r.kind as 'rating' | 'nps', value: Number(r.value), count: Number(r.n) }))
