import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, Page, errors } from '../../../shared/http/schemas.js'
import {
  InvitationBody, InvitationCounts, InvitationResult, MemberResponseSchema, PublicSurveySchema, ResponseBody, ResponseReceipt,
  ResultsQuery, SurveyBody, SurveyLinkSchema, SurveyPatch, SurveyResultsSchema, SurveySchema, SurveysQuery, SurveyTextSchema, TextsQuery, TokenParams,
} from './surveys.schemas.js'
import type { SurveysService } from './surveys.service.js'

/**
 * The public answer's body bound: 60 answers of at most 2,000 characters fit well inside; a
 * 1 MB text is refused (413) before it is parsed.
 */
const RESPONSE_BODY_LIMIT = 256 * 1024
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export const surveysRoutes = (app: TypedApp, { surveys }: { surveys: SurveysService }) => {
  const tags = ['surveys']
  app.addSchema(SurveySchema)
  const Survey = Type.Ref('Survey')

  app.get('/surveys', {
    schema: { tags, summary: 'Surveys, newest first, with their response and invitation counts', querystring: SurveysQuery, response: { 200: Type.Array(Survey), ...errors(400, 401, 403) } },
    config: { permission: 'service.read' },
  }, async (req) => surveys.list(actorOf(req), req.query))

  app.post('/surveys', {
    schema: { tags, summary: 'Build a survey (a draft); audited', body: SurveyBody, response: { 201: Survey, ...errors(400, 401, 403, 422) } },
    config: { permission: 'surveys.manage' },
  }, async (req, reply) => reply.code(201).send(await surveys.create(actorOf(req), req.body)))

  app.get('/surveys/:id', {
    schema: { tags, summary: 'A survey', params: IdParams, response: { 200: Survey, ...errors(401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => surveys.get(actorOf(req), req.params.id))

  app.patch('/surveys/:id', {
    schema: {
      tags, summary: 'Change a survey: its questions only while a draft or unanswered; title, texts, window and triggers any time; audited',
      params: IdParams, body: SurveyPatch, response: { 200: Survey, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'surveys.manage' },
  }, async (req) => surveys.update(actorOf(req), req.params.id, req.body))

  app.delete('/surveys/:id', {
    schema: { tags, summary: 'Delete a survey that has no responses or invitations; audited', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } },
    config: { permission: 'surveys.manage' },
  }, async (req, reply) => {
    await surveys.remove(actorOf(req), req.params.id)
    return reply.code(204).send(null)
  })

  app.post('/surveys/:id/open', {
    schema: { tags, summary: 'Open the survey for answers (within its window); audited', params: IdParams, response: { 200: Survey, ...errors(401, 403, 404, 409, 422) } },
    config: { permission: 'surveys.manage' },
  }, async (req) => surveys.open(actorOf(req), req.params.id))

  app.post('/surveys/:id/close', {
    schema: { tags, summary: 'Close the survey: no more answers; audited', params: IdParams, response: { 200: Survey, ...errors(401, 403, 404, 409) } },
    config: { permission: 'surveys.manage' },
  }, async (req) => surveys.close(actorOf(req), req.params.id))

  app.get('/surveys/:id/links', {
    schema: {
      tags, summary: "The public links: the chain's and one per open store (for QR codes on receipts and posters); made on first ask",
      params: IdParams, response: { 200: Type.Array(SurveyLinkSchema), ...errors(401, 403, 404) },
    },
    config: { permission: 'service.read' },
  }, async (req) => surveys.links(actorOf(req), req.params.id))

  app.post('/surveys/:id/invitations', {
    schema: {
      tags, summary: "Invite a segment's members: one invitation (own token) each, recorded as pending send until the marketing channels exist; audited",
      params: IdParams, body: InvitationBody, response: { 200: InvitationResult, ...errors(400, 401, 403, 404, 409) },
    },
    config: { permission: 'surveys.manage' },
  }, async (req) => surveys.inviteSegment(actorOf(req), req.params.id, req.body))

  app.get('/surveys/:id/invitations', {
    schema: { tags, summary: 'Invitation counts: total, answered, waiting to be sent, by source', params: IdParams, response: { 200: InvitationCounts, ...errors(401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => surveys.invitationCounts(actorOf(req), req.params.id))

  app.get('/surveys/:id/results', {
    schema: {
      tags, summary: "Results: CSAT, NPS by store, region and period, each question's distribution, by member class, frequent words",
      params: IdParams, querystring: ResultsQuery, response: { 200: SurveyResultsSchema, ...errors(400, 401, 403, 404) },
    },
    config: { permission: 'service.read' },
  }, async (req) => surveys.results(actorOf(req), req.params.id, req.query))

  app.get('/surveys/:id/results/texts', {
    schema: { tags, summary: 'The free-text answers, newest first', params: IdParams, querystring: TextsQuery, response: { 200: Page(SurveyTextSchema), ...errors(400, 401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => surveys.texts(actorOf(req), req.params.id, req.query))

  app.get('/surveys/:id/results/export.xlsx', {
    schema: { tags, summary: 'The results and every response as an xlsx workbook', params: IdParams, querystring: ResultsQuery, response: { ...errors(400, 401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req, reply) => {
    const file = await surveys.exportResults(actorOf(req), req.params.id, req.query)
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.bytes)
  })

  app.get('/members/:id/survey-responses', {
    schema: { tags, summary: "A member's survey answers, newest first", params: IdParams, querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }), response: { 200: Page(MemberResponseSchema), ...errors(400, 401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => surveys.memberResponses(actorOf(req), req.params.id, req.query))

  app.get('/public/surveys/:token', {
    schema: {
      tags, summary: 'The survey as the respondent sees it, by link or invitation token: no sign-in (404 unknown; 422 SURVEY_NOT_OPEN before it opens, SURVEY_CLOSED once closed or past its window)',
      params: TokenParams, response: { 200: PublicSurveySchema, ...errors(400, 404, 422) }, security: [],
    },
    config: { public: true },
  }, async (req) => surveys.publicSurvey(req.params.token))

  app.post('/public/surveys/:token/responses', {
    schema: {
      tags, summary: "Answer a survey: no sign-in; every answer checked; one response per invitation and per responseKey (409 after); a store link's, at most 30 per survey from one address an hour (429)",
      params: TokenParams, body: ResponseBody, response: { 201: ResponseReceipt, ...errors(400, 404, 409, 422, 429) }, security: [],
    },
    bodyLimit: RESPONSE_BODY_LIMIT,
    config: { public: true },
  }, async (req, reply) => reply.code(201).send(await surveys.respond(req.params.token, { ...req.body, ip: req.ip })))
}
