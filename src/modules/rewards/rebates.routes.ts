import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, errors } from '../../shared/http/schemas.js'
import { PreviewQuery, PreviewSchema, ProgrammeBody, ProgrammeSchema } from './rebates.schemas.js'
import type { RebatesService } from './rebates.service.js'

export const rebatesRoutes = (app: TypedApp, { rebates }: { rebates: RebatesService }) => {
  const tags = ['rewards']
  app.addSchema(ProgrammeSchema)
  const Programme = Type.Ref('RebateProgramme')

  app.get('/rebate-programmes', {
    schema: { tags, summary: 'Year-end rebate programmes, newest first', response: { 200: Type.Array(Programme), ...errors(401, 403) } },
    config: { permission: 'rewards.reports' },
  }, async (req) => rebates.list(actorOf(req)))

  app.post('/rebate-programmes', {
    schema: { tags, summary: 'Create a rebate programme (a draft); audited', body: ProgrammeBody, response: { 201: Programme, ...errors(400, 401, 403, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req, reply) => reply.code(201).send(await rebates.create(actorOf(req), req.body)))

  app.get('/rebate-programmes/:id', {
    schema: { tags, summary: 'A rebate programme with its status and what its run gave', params: IdParams, response: { 200: Programme, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.reports' },
  }, async (req) => rebates.get(actorOf(req), req.params.id))

  app.put('/rebate-programmes/:id', {
    schema: { tags, summary: "Change a draft programme's terms (refused once its run has started); audited", params: IdParams, body: ProgrammeBody, response: { 200: Programme, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => rebates.update(actorOf(req), req.params.id, req.body))

  app.delete('/rebate-programmes/:id', {
    schema: { tags, summary: 'Delete a draft programme; audited', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } },
    config: { permission: 'rewards.manage' },
  }, async (req, reply) => {
    await rebates.remove(actorOf(req), req.params.id)
    return reply.code(204).send(null)
  })

  app.get('/rebate-programmes/:id/preview', {
    schema: {
      tags, summary: 'Per member, the basis and the rebate a run gives (or gave), largest first, with totals; writes nothing',
      params: IdParams, querystring: PreviewQuery, response: { 200: PreviewSchema, ...errors(400, 401, 403, 404) },
    },
    config: { permission: 'rewards.reports' },
  }, async (req) => rebates.preview(actorOf(req), req.params.id, req.query))

  app.post('/rebate-programmes/:id/run', {
    schema: {
      tags, summary: 'Give every due member their rebate, once: running again resumes an interrupted run and changes nothing after it completed; audited',
      params: IdParams, response: { 200: Programme, ...errors(401, 403, 404, 409) },
    },
    config: { permission: 'rewards.manage' },
  }, async (req) => rebates.run(actorOf(req), req.params.id))
}
