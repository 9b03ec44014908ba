import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import { attachment, sendCsv, sendXlsx } from '../../shared/http/table-export.js'
import { exportCells, exportHeader, exportLanguage, type ExportLanguage, type ExportRow } from './member-export.js'
import {
  ConsentBody, ConsentHistorySchema, ConsentParams, ExportQuery, FreezeBody, ListQuery, LookupAlertsQuery, LookupAlertsResult, LookupBody, MemberAuditSchema, MemberSchema, MergeBody,
  MergePreviewSchema, MergeResult, NameSearchBody, NameSearchResult, RegisterBody, RegisterResult, RevealBody, RevealResult, UpdateBody,
} from './members.schemas.js'
import type { MembersService } from './members.service.js'

const iso = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined)

/**
 * The rows of a member export, header first, as the requester reads them. The first page is read
 * before anything is sent, so a refusal or a bad filter still answers with a proper error.
 */
const exportTable = async (rows: AsyncIterable<ExportRow>, lang: ExportLanguage, timezone: string, options: { escapeFormulas: boolean }): Promise<AsyncIterable<string[]>> => {
  const it = rows[Symbol.asyncIterator]()
  const first = await it.next()
  return (async function* () {
    yield exportHeader(lang)
    for (let r = first; !r.done; r = await it.next()) yield exportCells(r.value, lang, timezone, options)
  })()
}

export const membersRoutes = (app: TypedApp, { members, timezone }: { members: MembersService; timezone: string }) => {
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
    schema: { tags, summary: 'Find a member by exactly one of phone, card number, ID number, email or external code (POST keeps PII out of URLs and logs)', body: LookupBody, response: { 200: Member, ...errors(400, 401, 403, 404, 422, 429) } },
    config: { permission: 'members.lookup' },
  }, async (req) => members.lookup(actorOf(req), req.body))

  app.get('/members/lookup-alerts', {
    schema: { tags, summary: 'Hours in which a staff user or till looked up many members that do not exist (walking masked numbers), newest first', querystring: LookupAlertsQuery, response: { 200: LookupAlertsResult, ...errors(400, 401, 403) } },
    config: { permission: 'audit.read' },
  }, async (req) => members.lookupAlerts(actorOf(req), req.query.days))

  app.post('/members/name-search', {
    schema: { tags, summary: 'Members whose full name is exactly this (newest first, at most 20; counted as a lookup)', body: NameSearchBody, response: { 200: NameSearchResult, ...errors(400, 401, 403, 422, 429) } },
    config: { permission: 'members.lookup' },
  }, async (req) => members.searchByName(actorOf(req), req.body.name))

  app.get('/members', {
    schema: { tags, summary: 'List members, newest first (store roles: their store)', querystring: ListQuery, response: { 200: Page(Member), ...errors(400, 401, 403) } },
    config: { permission: 'members.list' },
  }, async (req) => members.list(actorOf(req), { ...req.query, registeredFrom: iso(req.query.registeredFrom), registeredTo: iso(req.query.registeredTo) }))

  const exportOf = async (req: FastifyRequest, query: Static<typeof ExportQuery>, options: { escapeFormulas: boolean }) => {
    const { lang, ...filter } = query
    const language = exportLanguage(lang, req.headers['accept-language'])
    const rows = members.exportRows(actorOf(req), { ...filter, registeredFrom: iso(filter.registeredFrom), registeredTo: iso(filter.registeredTo) })
    return { language, table: await exportTable(rows, language, timezone, options) }
  }
  const fileName = (language: ExportLanguage, ext: string) => attachment(`members.${ext}`, language === 'zh-CN' ? `会员.${ext}` : `members.${ext}`)

  app.get('/members/export.csv', {
    schema: { tags, summary: "Export members (masked) as CSV, in the requester's language (lang or Accept-Language) and the chain's time zone", querystring: ExportQuery, produces: ['text/csv'], response: errors(400, 401, 403) },
    config: { permission: 'members.export' },
  }, async (req, reply) => {
    const { language, table } = await exportOf(req, req.query, { escapeFormulas: true })
    return sendCsv(req, reply, table, fileName(language, 'csv'), 'member export')
  })

  app.get('/members/export.xlsx', {
    schema: { tags, summary: 'Export members (masked) as an Excel workbook, as the CSV', querystring: ExportQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: errors(400, 401, 403) },
    config: { permission: 'members.export' },
  }, async (req, reply) => {
    const { language, table } = await exportOf(req, req.query, { escapeFormulas: false })
    return sendXlsx(req, reply, table, language === 'zh-CN' ? '会员' : 'Members', fileName(language, 'xlsx'), 'member export')
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
