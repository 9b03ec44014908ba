import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, Page, errors } from '../../../shared/http/schemas.js'
import {
  MemberSuggestionsQuery, PublicSuggestionBody, PublicSuggestionReceipt, SuggestionBody, SuggestionPatch, SuggestionSchema, SuggestionStatsQuery,
  SuggestionStatsSchema, SuggestionsQuery,
} from './suggestions.schemas.js'
import type { SuggestionsService } from './suggestions.service.js'

/** The public form's body bound: a suggestion is 2,000 characters; anything far larger is refused before parsing. */
const PUBLIC_BODY_LIMIT = 32 * 1024

export const suggestionsRoutes = (app: TypedApp, { suggestions }: { suggestions: SuggestionsService }) => {
  const tags = ['suggestions']
  app.addSchema(SuggestionSchema)
  const Suggestion = Type.Ref('Suggestion')

  app.post('/suggestions', {
    schema: { tags, summary: 'Record a suggestion (意见箱) from the desk, the till or the API; audited', body: SuggestionBody, response: { 201: Suggestion, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'service.intake' },
  }, async (req, reply) => reply.code(201).send(await suggestions.create(actorOf(req), req.body)))

  app.get('/suggestions', {
    schema: { tags, summary: "Suggestions, newest first (a store's staff: their store's)", querystring: SuggestionsQuery, response: { 200: Page(Suggestion), ...errors(400, 401, 403) } },
    config: { permission: 'service.read' },
  }, async (req) => suggestions.list(actorOf(req), req.query))

  app.get('/suggestions/stats', {
    schema: {
      tags, summary: 'Monthly counts by category and store, and the adopted suggestions with what changed (default: the last 12 months)',
      querystring: SuggestionStatsQuery, response: { 200: SuggestionStatsSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'service.read' },
  }, async (req) => suggestions.stats(actorOf(req), req.query))

  app.get('/suggestions/:id', {
    schema: { tags, summary: 'A suggestion', params: IdParams, response: { 200: Suggestion, ...errors(401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => suggestions.get(actorOf(req), req.params.id))

  app.patch('/suggestions/:id', {
    schema: {
      tags, summary: 'Triage, reply and decide: status, category, the reply the customer is told; adopting needs a note of what changed; audited',
      params: IdParams, body: SuggestionPatch, response: { 200: Suggestion, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'service.handle' },
  }, async (req) => suggestions.update(actorOf(req), req.params.id, req.body))

  app.get('/members/:id/suggestions', {
    schema: { tags, summary: "A member's suggestions, newest first", params: IdParams, querystring: MemberSuggestionsQuery, response: { 200: Page(Suggestion), ...errors(400, 401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => suggestions.memberSuggestions(actorOf(req), req.params.id, req.query))

  app.post('/public/suggestions', {
    schema: {
      tags, summary: "The public suggestion form (the receipt's QR): no sign-in; a few per address an hour", body: PublicSuggestionBody,
      response: { 201: PublicSuggestionReceipt, ...errors(400, 422, 429) }, security: [],
    },
    bodyLimit: PUBLIC_BODY_LIMIT,
    config: { public: true },
  }, async (req, reply) => reply.code(201).send(await suggestions.submitPublic({ ...req.body, ip: req.ip })))
}
