import type { Db, Trx } from '../../../db/database.js'
import { scopeToStore, type Scope } from '../../../shared/scope.js'
import type { InvitationSendStatus, SurveyAnswersTable, SurveyInvitationsTable, SurveyLinksTable, SurveyResponsesTable, SurveysTable, SurveyStatus } from './feedback.table.js'

type Conn = Db | Trx

export const insertSurvey = (conn: Conn, row: SurveysTable) => conn.insertInto('surveys').values(row).execute()
export const updateSurvey = (conn: Conn, id: string, changes: Partial<Omit<SurveysTable, 'id'>>) => conn.updateTable('surveys').set(changes).where('id', '=', id).execute()
export const findSurvey = (conn: Conn, id: string) => conn.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst()
export const deleteSurvey = async (trx: Trx, id: string) => {
  await trx.deleteFrom('survey_links').where('survey_id', '=', id).execute()
  await trx.deleteFrom('surveys').where('id', '=', id).execute()
}

export const listSurveys = (conn: Conn, status?: SurveyStatus) => {
  let q = conn.selectFrom('surveys').selectAll()
  if (status) q = q.where('status', '=', status)
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute()
}

/** Open surveys with a trigger (JSON text holding it). */
export const openSurveysWithTrigger = (conn: Conn, trigger: string) =>
  conn.selectFrom('surveys').selectAll().where('status', '=', 'open').where('triggers', 'like', `%"${trigger}"%`).orderBy('id').execute()

/** Responses and invitations per survey. */
export const countsOf = async (conn: Conn, ids: string[]): Promise<Map<string, { responses: number; invitations: number }>> => {
  const out = new Map(ids.map((id) => [id, { responses: 0, invitations: 0 }]))
  if (!ids.length) return out
  for (const r of await conn.selectFrom('survey_responses').select(['survey_id', (eb) => eb.fn.countAll<number>().as('n')]).where('survey_id', 'in', ids).groupBy('survey_id').execute()) {
    out.get(r.survey_id)!.responses = Number(r.n)
  }
  for (const r of await conn.selectFrom('survey_invitations').select(['survey_id', (eb) => eb.fn.countAll<number>().as('n')]).where('survey_id', 'in', ids).groupBy('survey_id').execute()) {
    out.get(r.survey_id)!.invitations = Number(r.n)
  }
  return out
}

/** Rating and NPS answers per survey, counted by value (the list's CSAT and NPS). */
export const scoresOf = async (conn: Conn, ids: string[]) =>
  ids.length ? (await conn.selectFrom('survey_answers').where('survey_id', 'in', ids).where('kind', 'in', ['rating', 'nps'])
    .select(['survey_id', 'kind', 'value', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['survey_id', 'kind', 'value']).execute())
    .map((r) => ({ surveyId: r.survey_id, kind: r.kind as 'rating' | 'nps', value: Number(r.value), count: Number(r.n) })) : []

// ---- links and invitations ----

export const linksOf = (conn: Conn, surveyId: string) =>
  conn.selectFrom('survey_links as l').select(['l.token', 'l.place', 'l.store_id']).where('l.survey_id', '=', surveyId).execute()

export const insertLinks = (conn: Conn, rows: SurveyLinksTable[]) =>
  rows.length ? conn.insertInto('survey_links').values(rows).onConflict((oc) => oc.columns(['survey_id', 'place']).doNothing()).execute() : Promise.resolve([])

export const findLink = (conn: Conn, token: string) =>
  conn.selectFrom('survey_links as l').select(['l.token', 'l.survey_id', 'l.store_id']).where('l.token', '=', token).executeTakeFirst()

export const findInvitation = (conn: Conn, token: string) =>
  conn.selectFrom('survey_invitations as i').selectAll('i').where('i.token', '=', token).executeTakeFirst()

/** Inserts invitations; those whose survey and key exist already are skipped. Returns how many were new. */
export const insertInvitations = async (conn: Conn, rows: SurveyInvitationsTable[]): Promise<number> => {
  if (!rows.length) return 0
  const out = await conn.insertInto('survey_invitations').values(rows).onConflict((oc) => oc.columns(['survey_id', 'dedupe_key']).doNothing()).returning('id').execute()
  return out.length
}

export const invitationCounts = (conn: Conn, surveyId: string) =>
  conn.selectFrom('survey_invitations').select(['source', 'send_status'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('responded_at').as('responded')])
    .where('survey_id', '=', surveyId).groupBy(['source', 'send_status']).execute()

/** Invitations the send job has not taken yet, oldest first, with their survey's title and window; without a segment's (marketing) in quiet hours. */
export const pendingInvitations = (conn: Conn, limit: number, o: { withSegments: boolean }) => {
  let q = conn.selectFrom('survey_invitations as i').innerJoin('surveys as s', 's.id', 'i.survey_id')
    .select(['i.id', 'i.token', 'i.member_id', 'i.source', 'i.source_ref', 'i.responded_at', 's.title', 's.status as survey_status', 's.closes_at'])
    .where('i.send_status', '=', 'pending_send')
  if (!o.withSegments) q = q.where('i.source', '<>', 'segment')
  return q.orderBy('i.id').limit(limit).execute()
}

/** Marks an invitation's sending, once (a second run finds it no longer pending). */
export const markInvitationSent = (conn: Conn, id: string, status: InvitationSendStatus) =>
  conn.updateTable('survey_invitations').set({ send_status: status }).where('id', '=', id).where('send_status', '=', 'pending_send').execute()

/** Invitations not answered yet, oldest first (the demo answers some). */
export const openInvitations = (conn: Conn, surveyId: string, limit: number) =>
  conn.selectFrom('survey_invitations').select(['token', 'member_id', 'store_id', 'created_at']).where('survey_id', '=', surveyId).where('responded_at', 'is', null)
    .orderBy('id').limit(limit).execute()

/** Marks an invitation answered, once: false when it was answered already (a second post, or a race). */
export const claimInvitation = async (trx: Trx, id: string, at: string): Promise<boolean> =>
  Number((await trx.updateTable('survey_invitations').set({ responded_at: at }).where('id', '=', id).where('responded_at', 'is', null).executeTakeFirst()).numUpdatedRows) === 1

/** A member's invitations not answered yet, of open surveys, oldest first. */
export const memberOpenInvitations = (conn: Conn, memberId: string) =>
  conn.selectFrom('survey_invitations as i').innerJoin('surveys as s', 's.id', 'i.survey_id').selectAll('i')
    .where('i.member_id', '=', memberId).where('i.responded_at', 'is', null).where('s.status', '=', 'open').orderBy('i.id').execute()

/** The member's oldest invitation to a survey not answered yet, whatever the survey's status. */
export const memberInvitationTo = (conn: Conn, surveyId: string, memberId: string) =>
  conn.selectFrom('survey_invitations').selectAll().where('survey_id', '=', surveyId).where('member_id', '=', memberId).where('responded_at', 'is', null)
    .orderBy('id').limit(1).executeTakeFirst()

/** Open surveys that take answers from anyone (their triggers are the service's to weigh). */
export const openAnonymousSurveys = (conn: Conn) =>
  conn.selectFrom('surveys').selectAll().where('status', '=', 'open').where('allow_anonymous', '=', 1).orderBy('id', 'desc').limit(200).execute()

/** Of these surveys, those the member has answered (by any invitation, or on their page). */
export const surveysAnsweredBy = async (conn: Conn, memberId: string, surveyIds: readonly string[]): Promise<Set<string>> =>
  new Set(surveyIds.length === 0 ? [] : (await conn.selectFrom('survey_responses').select('survey_id').distinct()
    .where('member_id', '=', memberId).where('survey_id', 'in', [...surveyIds]).execute()).map((r) => r.survey_id))

// ---- responses ----

/** A survey's responses from one address (its blind index) since a time. */
export const responsesFromAddress = async (conn: Conn, surveyId: string, ipHash: string, since: string): Promise<number> =>
  Number((await conn.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_id', '=', surveyId).where('ip_hash', '=', ipHash).where('submitted_at', '>=', since).executeTakeFirstOrThrow()).n)

export const insertResponse = (trx: Trx, row: SurveyResponsesTable) =>
  trx.insertInto('survey_responses').values(row).onConflict((oc) => oc.columns(['survey_id', 'response_key']).doNothing()).returning('id').execute()

export const insertAnswers = async (trx: Trx, rows: SurveyAnswersTable[]) => {
  // SQLite's bound-parameter ceiling: a few hundred rows at a time.
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('survey_answers').values(rows.slice(i, i + 200)).execute()
}

export const responseExists = async (conn: Conn, surveyId: string, responseKey: string) =>
  (await conn.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId).where('response_key', '=', responseKey).executeTakeFirst()) !== undefined

export const memberResponses = (conn: Conn, memberId: string, scope: Scope, page: { cursor?: string; limit: number }) => {
  let q = scopeToStore(conn.selectFrom('survey_responses as r')
    .innerJoin('surveys as s', 's.id', 'r.survey_id')
    .selectAll('r').select(['s.title as survey_title', 's.questions'])
    .where('r.member_id', '=', memberId), scope, 'r.store_id', { orUnassigned: true })
  if (page.cursor) q = q.where('r.id', '<', page.cursor)
  return q.orderBy('r.id', 'desc').limit(page.limit).execute()
}

export const hasAnswers = async (conn: Conn, surveyId: string) =>
  (await conn.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId).limit(1).executeTakeFirst()) !== undefined
    || (await conn.selectFrom('survey_invitations').select('id').where('survey_id', '=', surveyId).limit(1).executeTakeFirst()) !== undefined

export const responseCount = async (conn: Conn, surveyId: string) =>
  Number((await conn.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_id', '=', surveyId).executeTakeFirstOrThrow()).n)
