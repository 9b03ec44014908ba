import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, errors } from '../../../shared/http/schemas.js'
import {
  CancelRegistrationBody, CheckInBody, EventBody, EventPatchBody, EventReportSchema, EventsQuery, MemberEventEntrySchema, MemberEventSchema, PosRegisterBody, RegisterBody,
  RegistrationParams, RegistrationSchema, RegistrationsQuery, ReportQuery,
} from './events.schemas.js'
import type { MemberEventsService } from './events.service.js'

// Reads are for marketing (marketing.read) and for the staff and tills who register members
// (events.register): the service checks either, and store roles and tills see their own store's.
const READ = { authenticated: true } as const

export const memberEventsRoutes = (app: TypedApp, { memberEvents: events }: { memberEvents: MemberEventsService }) => {
  const tags = ['marketing']
  app.addSchema(MemberEventSchema)
  app.addSchema(RegistrationSchema)
  const Event = Type.Ref('MemberEvent')
  const Registration = Type.Ref('EventRegistration')
  const write = { 200: Event, ...errors(400, 401, 403, 404, 409, 422) }
  const desk = { 201: Registration, ...errors(400, 401, 403, 404, 409, 422, 429) }

  app.get('/marketing/events', {
    schema: { tags, summary: 'Member events (会员活动), latest start first (store roles: their store); for marketing.read or events.register', querystring: EventsQuery, response: { 200: Type.Object({ items: Type.Array(Event), nextCursor: Type.Union([Type.Null(), Type.String()]) }), ...errors(400, 401, 403, 422) } },
    config: READ,
  }, async (req) => events.list(actorOf(req), req.query))

  app.post('/marketing/events', {
    schema: { tags, summary: 'A new event (a draft): title, kind, store, times, capacity, audience segment, invitation campaign; audited', body: EventBody, response: { 201: Event, ...errors(400, 401, 403, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req, reply) => reply.code(201).send(await events.create(actorOf(req), req.body)))

  app.get('/marketing/events/:id', {
    schema: { tags, summary: 'An event with its seats taken', params: IdParams, response: { 200: Event, ...errors(401, 403, 404) } },
    config: READ,
  }, async (req) => events.get(actorOf(req), req.params.id))

  app.patch('/marketing/events/:id', {
    schema: { tags, summary: 'Change an event from the version read (409 if changed since); the capacity never below the seats taken; audited', params: IdParams, body: EventPatchBody, response: write },
    config: { permission: 'marketing.manage' },
  }, async (req) => events.update(actorOf(req), req.params.id, req.body))

  for (const [action, summary] of [
    ['open', 'Open registration (a draft, or a closed event again)'],
    ['close', 'Close registration: no more registrations, check-in goes on'],
    ['cancel', 'Cancel the event (registrations are kept as they are)'],
  ] as const) {
    app.post(`/marketing/events/:id/${action}`, {
      schema: { tags, summary: `${summary}; audited`, params: IdParams, response: write },
      config: { permission: 'marketing.manage' },
    }, async (req) => events[action](actorOf(req), req.params.id))
  }

  app.get('/marketing/events/:id/registrations', {
    schema: { tags, summary: "An event's registrations with the member's masked name and card", params: IdParams, querystring: RegistrationsQuery, response: { 200: Type.Object({ items: Type.Array(Registration), nextCursor: Type.Union([Type.Null(), Type.String()]) }), ...errors(400, 401, 403, 404) } },
    config: READ,
  }, async (req) => events.registrations(actorOf(req), req.params.id, req.query))

  app.post('/marketing/events/:id/registrations', {
    schema: { tags, summary: 'Register a member (by id or card) for an open event of your store, taking a seat (409 EVENT_FULL when none is left); audited', params: IdParams, body: RegisterBody, response: desk },
    config: { permission: 'events.register' },
  }, async (req, reply) => reply.code(201).send(await events.register(actorOf(req), req.params.id, req.body)))

  app.post('/marketing/events/:id/registrations/:memberId/cancel', {
    schema: { tags, summary: "Cancel a member's registration (not once checked in): the seat is free again; audited", params: RegistrationParams, body: CancelRegistrationBody, response: { 200: Registration, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'events.register' },
  }, async (req) => events.cancelRegistration(actorOf(req), req.params.id, req.params.memberId, req.body ?? {}))

  app.post('/marketing/events/:id/check-ins', {
    schema: { tags, summary: 'Check a registered member in, by member id or the card they show; audited', params: IdParams, body: CheckInBody, response: { 200: Registration, ...errors(400, 401, 403, 404, 409, 422, 429) } },
    config: { permission: 'events.register' },
  }, async (req) => events.checkIn(actorOf(req), req.params.id, req.body))

  app.get('/marketing/events/:id/report', {
    schema: { tags, summary: 'Invited, registered, cancelled, attended and the rate; the purchases of attendees against registered no-shows from the start to N days after the end', params: IdParams, querystring: ReportQuery, response: { 200: EventReportSchema, ...errors(400, 401, 403, 404) } },
    config: READ,
  }, async (req) => events.report(actorOf(req), req.params.id, req.query))

  app.get('/pos/events', {
    schema: { tags, summary: "The till's store's open events that have not ended, soonest first", response: { 200: Type.Object({ items: Type.Array(Event) }), ...errors(401, 403) } },
    config: { permission: 'events.register' },
  }, async (req) => ({ items: await events.openAtStore(actorOf(req)) }))

  app.post('/pos/events/:id/registrations', {
    schema: { tags, summary: "Register the member being served (by id or card) for an open event at the till's store (channel till); audited", params: IdParams, body: PosRegisterBody, response: desk },
    config: { permission: 'events.register' },
  }, async (req, reply) => reply.code(201).send(await events.register(actorOf(req), req.params.id, { ...req.body, channel: 'till' })))

  app.get('/members/:id/events', {
    schema: { tags, summary: "The member's events with their registration, latest first (store roles: their store's events)", params: IdParams, response: { 200: Type.Object({ items: Type.Array(MemberEventEntrySchema) }), ...errors(401, 403) } },
    config: READ,
  }, async (req) => ({ items: await events.ofMember(actorOf(req), req.params.id) }))
}
