import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, Nullable, errors } from '../../../shared/http/schemas.js'
import {
  JourneyBody, JourneyDetailSchema, JourneyMemberSchema, JourneyMembersQuery, JourneyPatchBody, JourneySchema, JourneysQuery, MemberJourneySchema, StepSchema, TriggerSchema,
} from './journeys.schemas.js'
import type { JourneysService } from './journeys.service.js'

export const journeysRoutes = (app: TypedApp, { journeys }: { journeys: JourneysService }) => {
  const tags = ['marketing']
  app.addSchema(TriggerSchema)
  app.addSchema(StepSchema)
  app.addSchema(JourneySchema)
  const Journey = Type.Ref('Journey')
  const write = { 200: Journey, ...errors(400, 401, 403, 404, 409, 422) }

  app.get('/marketing/journeys', {
    schema: { tags, summary: 'Journeys, newest first, each with its current version (trigger, steps) and its members inside, done and exited', querystring: JourneysQuery, response: { 200: Type.Object({ items: Type.Array(Journey), nextCursor: Nullable(Type.String()) }), ...errors(400, 401, 403) } },
    config: { permission: 'marketing.read' },
  }, async (req) => journeys.list(actorOf(req), req.query))

  app.post('/marketing/journeys', {
    schema: {
      tags, body: JourneyBody, response: { 201: Journey, ...errors(400, 401, 403, 409, 422) },
      summary: 'A new journey (a draft): { name, description?, trigger: { type, …its fields }, steps: [{ type, …its fields }] }; every problem of the definition is a 422 with its field (steps.2.ifFalse); audited',
    },
    config: { permission: 'marketing.manage' },
  }, async (req, reply) => reply.code(201).send(await journeys.create(actorOf(req), req.body)))

  app.get('/marketing/journeys/:id', {
    schema: { tags, summary: 'A journey with its versions (newest first) and, per version and step, members waiting there, who passed it, who left there, and what it did', params: IdParams, response: { 200: JourneyDetailSchema, ...errors(401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => journeys.get(actorOf(req), req.params.id))

  app.patch('/marketing/journeys/:id', {
    schema: {
      tags, params: IdParams, body: JourneyPatchBody, response: write,
      summary: 'Change a journey from the revision read (409 if changed since). A draft is changed in place; an active or paused journey gets a new version for members entering from now on, while members inside finish theirs; audited',
    },
    config: { permission: 'marketing.manage' },
  }, async (req) => journeys.update(actorOf(req), req.params.id, req.body))

  for (const [action, summary] of [
    ['activate', 'Activate a draft or paused journey: members whose trigger happens from now on enter; audited'],
    ['pause', 'Pause: nobody enters and nobody inside moves on until activated again; audited'],
    ['archive', 'Archive: the members inside leave it, nobody enters again; audited'],
  ] as const) {
    app.post(`/marketing/journeys/:id/${action}`, {
      schema: { tags, summary, params: IdParams, response: write },
      config: { permission: 'marketing.manage' },
    }, async (req) => journeys[action](actorOf(req), req.params.id))
  }

  app.get('/marketing/journeys/:id/members', {
    schema: { tags, summary: 'The members of a journey (by status, version, step): where each is, when the next step is due, masked', params: IdParams, querystring: JourneyMembersQuery, response: { 200: Type.Object({ items: Type.Array(JourneyMemberSchema), nextCursor: Nullable(Type.String()) }), ...errors(400, 401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => journeys.members(actorOf(req), req.params.id, req.query))

  app.get('/members/:id/journeys', {
    schema: { tags, summary: "A member's journeys: the version entered, the step, status and times, and what each step done did", params: IdParams, response: { 200: Type.Object({ items: Type.Array(MemberJourneySchema) }), ...errors(401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => ({ items: await journeys.ofMember(actorOf(req), req.params.id) }))
}
