import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import {
  DrawBody, DrawEntriesQuery, DrawEntrySchema, DrawPrizeParams, DrawReportSchema, DrawSchema, DrawsQuery, EnterBody, MemberEntriesQuery, StockBody,
} from './draws.schemas.js'
import type { DrawsService } from './draws.service.js'

export const drawsRoutes = (app: TypedApp, { draws }: { draws: DrawsService }) => {
  const tags = ['draws']
  app.addSchema(DrawSchema)
  app.addSchema(DrawEntrySchema)
  const Draw = Type.Ref('Draw')
  const Entry = Type.Ref('DrawEntry')

  app.get('/draws', {
    schema: { tags, summary: 'Lucky draws, newest first', querystring: DrawsQuery, response: { 200: Page(Draw), ...errors(400, 401, 403) } },
    config: { permission: 'rewards.read' },
  }, async (req) => draws.list(actorOf(req), req.query))

  app.post('/draws', {
    schema: { tags, summary: 'Create a lucky draw (a draft) with its prizes; audited', body: DrawBody, response: { 201: Draw, ...errors(400, 401, 403, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req, reply) => reply.code(201).send(await draws.create(actorOf(req), req.body)))

  app.get('/draws/:id', {
    schema: { tags, summary: 'A draw with its prizes, their stock and what was won', params: IdParams, response: { 200: Draw, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => draws.get(actorOf(req), req.params.id))

  app.put('/draws/:id', {
    schema: { tags, summary: 'Change a draft draw as a whole, prizes included; audited', params: IdParams, body: DrawBody, response: { 200: Draw, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => draws.update(actorOf(req), req.params.id, req.body))

  app.put('/draws/:id/prizes/:prizeId/stock', {
    schema: { tags, summary: "Set a prize's stock (once the draw is active, only raised); audited", params: DrawPrizeParams, body: StockBody, response: { 200: Draw, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => draws.setStock(actorOf(req), req.params.id, req.params.prizeId, req.body.stock))

  app.post('/draws/:id/activate', {
    schema: { tags, summary: 'Open a draft draw for entries; audited', params: IdParams, response: { 200: Draw, ...errors(401, 403, 404, 409) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => draws.activate(actorOf(req), req.params.id))

  app.post('/draws/:id/close', {
    schema: { tags, summary: 'Close a draw: no more entries; audited', params: IdParams, response: { 200: Draw, ...errors(401, 403, 404, 409) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => draws.close(actorOf(req), req.params.id))

  app.post('/draws/:id/entries', {
    schema: {
      tags, summary: 'Enter a member into a draw (pays the entry, draws, awards the prize) and say the outcome', params: IdParams, body: EnterBody,
      response: { 201: Entry, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'rewards.redeem' },
  }, async (req, reply) => reply.code(201).send(await draws.enter(actorOf(req), req.params.id, req.body)))

  app.get('/draws/:id/entries', {
    schema: { tags, summary: "A draw's entries with their outcome, newest first (won: winners only)", params: IdParams, querystring: DrawEntriesQuery, response: { 200: Page(Entry), ...errors(400, 401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => draws.entries(actorOf(req), req.params.id, req.query))

  app.get('/draws/:id/report', {
    schema: { tags, summary: 'Entries, points charged, prizes won and what they cost', params: IdParams, response: { 200: DrawReportSchema, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.reports' },
  }, async (req) => draws.report(actorOf(req), req.params.id))

  app.get('/members/:id/draw-entries', {
    schema: { tags, summary: "A member's draw entries across draws, newest first", params: IdParams, querystring: MemberEntriesQuery, response: { 200: Page(Entry), ...errors(400, 401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => draws.memberEntries(actorOf(req), req.params.id, req.query))
}
