import { stringify } from 'csv-stringify'
import { Readable } from 'node:stream'
import { Type } from 'typebox'
import type { TypedApp } from '../../http/app.js'
import { actorOf } from '../../http/auth.js'
import { IdParams, Page, errors } from '../../http/schemas.js'
import type { Services } from '../../services.js'
import {
  ConsentBody, ConsentHistorySchema, ConsentParams, FreezeBody, ListQuery, LookupBody, MemberAuditSchema, MemberSchema, MergeBody,
  MergePreviewSchema, MergeResult, RegisterBody, RegisterResult, RevealBody, RevealResult, UpdateBody,
} from './members.schemas.js'
import { CONSENT_CHANNELS } from './members.types.js'

const iso = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined)

// Fixed, so every export has the same columns: csv-stringify would otherwise take them from
// the first member, dropping the consent channels that member has no record for.
const EXPORT_COLUMNS = [
  'id', 'cardNo', 'phone', 'name', 'gender', 'birthday', 'email', 'occupation', 'education', 'incomeBand', 'district',
  'registrationStoreId', 'registrationChannel', 'externalCode', 'status', 'registeredAt', ...CONSENT_CHANNELS.map((c) => `consent.${c}`),
]

export const membersRoutes = (app: TypedApp, { members }: Services) => {
  const tags = ['members']
  app.addSchema(MemberSchema)
  const Member = Type.Ref('Member')

  app.post('/members', {
    schema: {
      tags, summary: 'Register a member (idempotent on phone: an existing phone returns that member with 200)',
      body: RegisterBody, response: { 200: RegisterResult, 201: RegisterResult, ...errors(400, 401, 403, 409, 422) },
    },
    config: { permission: 'members.register' },
  }, async (req, reply) => {
    const result = await members.register(actorOf(req), req.body)
    return reply.code(result.created ? 201 : 200).send(result)
  })

  app.post('/members/lookup', {
    schema: { tags, summary: 'Find a member by exactly one of phone, card number, ID number, email or external code (POST keeps PII out of URLs and logs)', body: LookupBody, response: { 200: Member, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'members.lookup' },
  }, async (req) => members.lookup(actorOf(req), req.body))

  app.get('/members', {
    schema: { tags, summary: 'List members, newest first (store roles: their store)', querystring: ListQuery, response: { 200: Page(Member), ...errors(400, 401, 403) } },
    config: { permission: 'members.list' },
  }, async (req) => members.list(actorOf(req), { ...req.query, registeredFrom: iso(req.query.registeredFrom), registeredTo: iso(req.query.registeredTo) }))

  app.get('/members/export.csv', {
    schema: { tags, summary: 'Export members (masked) as CSV', querystring: ListQuery, produces: ['text/csv'], response: errors(400, 401, 403) },
    config: { permission: 'members.export' },
  }, async (req, reply) => {
    const rows = members.exportRows(actorOf(req), { ...req.query, registeredFrom: iso(req.query.registeredFrom), registeredTo: iso(req.query.registeredTo) })
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="members.csv"')
    // A BOM so Excel opens the Chinese text as UTF-8.
    return reply.send(Readable.from((async function* () {
      yield '\uFEFF'
      yield* Readable.from(rows).pipe(stringify({ header: true, columns: EXPORT_COLUMNS }))
    })()))
  })

  app.get('/members/:id', {
    schema: { tags, summary: 'A member (masked)', params: IdParams, response: { 200: Member, ...errors(401, 403, 404) } },
    config: { permission: 'members.read' },
  }, async (req) => members.get(actorOf(req), req.params.id))

  app.patch('/members/:id', {
    schema: { tags, summary: "Update a member's profile", params: IdParams, body: UpdateBody, response: { 200: Member, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'members.update' },
  }, async (req) => members.update(actorOf(req), req.params.id, req.body))

  app.post('/members/:id/reveal', {
    schema: { tags, summary: 'The full values of PII fields (audited)', params: IdParams, body: RevealBody, response: { 200: RevealResult, ...errors(400, 401, 403, 404) } },
    config: { permission: 'members.reveal' },
  }, async (req) => members.reveal(actorOf(req), req.params.id, req.body.fields))

  app.post('/members/:id/freeze', {
    schema: { tags, summary: 'Freeze a member (e.g. lost card, suspected fraud)', params: IdParams, body: FreezeBody, response: { 200: Member, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'members.freeze' },
  }, async (req) => members.setFrozen(actorOf(req), req.params.id, true, req.body.reason))

  app.post('/members/:id/unfreeze', {
    schema: { tags, summary: 'Unfreeze a member', params: IdParams, response: { 200: Member, ...errors(401, 403, 404, 409) } },
    config: { permission: 'members.freeze' },
  }, async (req) => members.setFrozen(actorOf(req), req.params.id, false, null))

  app.put('/members/:id/consents/:channel', {
    schema: { tags, summary: 'Give or withdraw consent for a channel', params: ConsentParams, body: ConsentBody, response: { 200: Member, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'members.consent' },
  }, async (req) => members.setConsent(actorOf(req), req.params.id, { channel: req.params.channel, ...req.body }))

  app.get('/members/:id/consents/history', {
    schema: { tags, summary: 'Every consent change, newest first', params: IdParams, response: { 200: ConsentHistorySchema, ...errors(401, 403, 404) } },
    config: { permission: 'members.read' },
  }, async (req) => members.consentHistory(actorOf(req), req.params.id))

  app.get('/members/:id/audit', {
    schema: { tags, summary: "The member's audit trail (incl. records merged into it)", params: IdParams, querystring: Type.Object({ cursor: Type.Optional(Type.String()) }, { additionalProperties: false }), response: { 200: MemberAuditSchema, ...errors(401, 403, 404) } },
    config: { permission: 'members.audit' },
  }, async (req) => members.auditTrail(actorOf(req), req.params.id, req.query.cursor))

  app.post('/members/merge-preview', {
    schema: { tags, summary: 'What merging mergedId into survivorId would move (changes nothing)', body: MergeBody, response: { 200: MergePreviewSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'members.merge' },
  }, async (req) => members.previewMerge(actorOf(req), req.body.survivorId, req.body.mergedId))

  app.post('/members/merge', {
    schema: { tags, summary: 'Merge two records of one person; the survivor keeps its card', body: MergeBody, response: { 200: MergeResult, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'members.merge' },
  }, async (req) => members.merge(actorOf(req), req.body.survivorId, req.body.mergedId, req.body.reason))
}
