import { Type } from 'typebox'
import { attachment } from '../../shared/http/table-export.js'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, errors } from '../../shared/http/schemas.js'
import {
  ErasureBody, ErasureRequestSchema, ErasuresQuery, PrivacySettingsBody, PrivacySettingsSchema, RetentionEraseBody, RetentionEraseResult, RetentionListSchema, RetentionQuery,
} from './privacy.schemas.js'
import type { PrivacyService } from './privacy.service.js'

export const privacyRoutes = (app: TypedApp, { privacy }: { privacy: PrivacyService }) => {
  const tags = ['privacy']
  app.addSchema(ErasureRequestSchema)
  const Erasure = Type.Ref('ErasureRequest')

  app.get('/members/:id/personal-data.zip', {
    schema: {
      tags, summary: 'Everything Patron holds on a person (the member and the records merged into it) as a zip of JSON and CSV (PIPL); audited',
      params: IdParams, response: { 200: Type.Any({ description: 'application/zip' }), ...errors(401, 403, 404, 409) },
    },
    config: { permission: 'members.privacy' },
  }, async (req, reply) => {
    const file = await privacy.exportPersonalData(actorOf(req), req.params.id)
    return reply.type('application/zip').header('cache-control', 'no-store').header('content-disposition', attachment(file.fileName, file.fileName)).send(Buffer.from(file.bytes))
  })

  app.post('/members/:id/erasure-requests', {
    schema: {
      tags, summary: 'Ask for a person to be erased: their personal data destroyed, points and coupons forfeited, after the chain\'s cooling-off days (at once when 0); irreversible once run; audited',
      params: IdParams, body: ErasureBody, response: { 201: Erasure, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'members.privacy' },
  }, async (req, reply) => reply.code(201).send(await privacy.requestErasure(actorOf(req), req.params.id, { reason: req.body.reason ?? null })))

  app.get('/privacy/erasure-requests', {
    schema: { tags, summary: 'Erasure requests, newest first (store roles: their store\'s members)', querystring: ErasuresQuery, response: { 200: Type.Object({ items: Type.Array(Erasure), nextCursor: Type.Union([Type.Null(), Type.String()]) }), ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'members.privacy' },
  }, async (req) => privacy.list(actorOf(req), req.query))

  app.get('/privacy/erasure-requests/:id', {
    schema: { tags, summary: 'One erasure request', params: IdParams, response: { 200: Erasure, ...errors(401, 403, 404) } },
    config: { permission: 'members.privacy' },
  }, async (req) => privacy.get(actorOf(req), req.params.id))

  app.post('/privacy/erasure-requests/:id/cancel', {
    schema: { tags, summary: 'Withdraw a pending erasure request (before its cooling-off ends); audited', params: IdParams, response: { 200: Erasure, ...errors(401, 403, 404, 409) } },
    config: { permission: 'members.privacy' },
  }, async (req) => privacy.cancelErasure(actorOf(req), req.params.id))

  app.get('/privacy/settings', {
    schema: { tags, summary: 'The personal-data settings: the cooling-off days before an erasure runs, the retention sweep\'s years', response: { 200: PrivacySettingsSchema, ...errors(401, 403) } },
    config: { permission: 'members.privacy' },
  }, async (req) => privacy.settings(actorOf(req)))

  app.put('/privacy/settings', {
    schema: { tags, summary: 'Set the cooling-off days (0–90) or the retention sweep\'s years (1–30, 0 off), either or both (HQ administrators); audited', body: PrivacySettingsBody, response: { 200: PrivacySettingsSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'chain.manage' },
  }, async (req) => privacy.updateSettings(actorOf(req), req.body))

  app.get('/privacy/retention', {
    schema: {
      tags, summary: 'The retention sweep (HQ): members without a receipt or a points entry (expiries aside) for the chain\'s retention years, registered before the cutoff, oldest first; those with an erasure pending left out. 409 RETENTION_OFF when the setting is 0',
      querystring: RetentionQuery, response: { 200: RetentionListSchema, ...errors(400, 401, 403, 409, 422) },
    },
    config: { permission: 'members.privacy' },
  }, async (req) => privacy.retention(actorOf(req), req.query))

  app.post('/privacy/retention/erase', {
    schema: {
      tags, summary: 'Ask for the erasure of the members the retention sweep lists (all, or memberIds of them), after the cooling-off days; the cutoff echoes the list\'s (409 RETENTION_CUTOFF_CHANGED when it moved); pending ones are skipped; audited',
      body: RetentionEraseBody, response: { 200: RetentionEraseResult, ...errors(400, 401, 403, 409, 422) },
    },
    config: { permission: 'chain.manage' },
  }, async (req) => privacy.eraseInactive(actorOf(req), req.body))
}
