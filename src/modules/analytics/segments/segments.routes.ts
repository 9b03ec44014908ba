import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, errors } from '../../../shared/http/schemas.js'
import { attachment, fileLanguage, sendCsv, sendXlsx } from '../../../shared/http/table-export.js'
import { segmentExportCells, segmentExportHeader, type SegmentExportLanguage, type SegmentMember } from './segment-export.js'
import {
  CompareQuery, CompareSchema, CountQuery, CountSchema, CreateBody, DefinitionBody, ExportQuery, IssueBody, IssueSchema, ListQuery, MemberPageSchema, PageQuery,
  PreviewBody, SegmentMemberSchema, SegmentSchema, SnapshotParams, SnapshotSchema, UpdateBody,
} from './segments.schemas.js'
import type { SegmentsService } from './segments.service.js'

/** Header first, then each member's cells; the first page is read before anything is sent, so a failure still answers with an error. */
const exportTable = async (rows: AsyncIterable<SegmentMember>, lang: SegmentExportLanguage, timezone: string, escapeFormulas: boolean): Promise<AsyncIterable<string[]>> => {
  const it = rows[Symbol.asyncIterator]()
  const first = await it.next()
  return (async function* () {
    yield segmentExportHeader(lang)
    for (let r = first; !r.done; r = await it.next()) yield segmentExportCells(r.value, lang, timezone, { escapeFormulas })
  })()
}

export const segmentsRoutes = (app: TypedApp, { segments, timezone }: { segments: SegmentsService; timezone: string }) => {
  const tags = ['insight']
  app.addSchema(SegmentSchema)
  app.addSchema(SnapshotSchema)
  app.addSchema(SegmentMemberSchema)
  const Segment = Type.Ref('Segment')
  const Snapshot = Type.Ref('SegmentSnapshot')

  app.get('/insight/segments', {
    schema: { tags, summary: 'Segments, last changed first (store roles: their store’s)', querystring: ListQuery, response: { 200: Type.Array(Segment), ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.list(actorOf(req), req.query))

  app.post('/insight/segments', {
    schema: {
      tags, summary: 'Save a segment (dynamic: found again each time it is used; snapshot: true also freezes today’s list); a store manager’s covers their store; audited',
      body: CreateBody, response: { 201: Type.Intersect([Segment, Type.Object({ snapshot: Type.Union([Type.Null(), Snapshot]) })]), ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'segments.manage' },
  }, async (req, reply) => reply.code(201).send(await segments.create(actorOf(req), req.body)))

  app.post('/insight/segments/count', {
    schema: { tags, summary: 'How many live members a definition matches now (store roles: of their store)', body: DefinitionBody, response: { 200: CountSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.count(actorOf(req), req.body.definition))

  app.post('/insight/segments/preview', {
    schema: { tags, summary: 'A page of the members a definition matches (masked), by id', body: PreviewBody, response: { 200: MemberPageSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.preview(actorOf(req), req.body.definition, req.body))

  app.get('/insight/segments/:id', {
    schema: { tags, summary: 'A segment with its definition in words', params: IdParams, response: { 200: Segment, ...errors(401, 403, 404) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.get(actorOf(req), req.params.id))

  app.patch('/insight/segments/:id', {
    schema: { tags, summary: 'Change a segment’s name, description or definition; audited', params: IdParams, body: UpdateBody, response: { 200: Segment, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'segments.manage' },
  }, async (req) => segments.update(actorOf(req), req.params.id, req.body))

  app.delete('/insight/segments/:id', {
    schema: { tags, summary: 'Archive a segment (its snapshots stay); audited', params: IdParams, response: { 200: Segment, ...errors(401, 403, 404) } },
    config: { permission: 'segments.manage' },
  }, async (req) => segments.archive(actorOf(req), req.params.id))

  app.get('/insight/segments/:id/count', {
    schema: { tags, summary: 'How many members the segment has now (or as of a date; of one store)', params: IdParams, querystring: CountQuery, response: { 200: CountSchema, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.countSegment(actorOf(req), req.params.id, req.query))

  app.get('/insight/segments/:id/members', {
    schema: { tags, summary: 'A page of the segment’s members now (masked), by id', params: IdParams, querystring: PageQuery, response: { 200: MemberPageSchema, ...errors(400, 401, 403, 404) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.members(actorOf(req), req.params.id, req.query))

  app.post('/insight/segments/:id/snapshots', {
    schema: { tags, summary: 'Freeze the segment’s members now, with the date and the definition; audited', params: IdParams, response: { 201: Snapshot, ...errors(401, 403, 404) } },
    config: { permission: 'segments.manage' },
  }, async (req, reply) => reply.code(201).send(await segments.snapshot(actorOf(req), req.params.id)))

  app.get('/insight/segments/:id/snapshots', {
    schema: { tags, summary: 'The segment’s snapshots, newest first', params: IdParams, response: { 200: Type.Array(Snapshot), ...errors(401, 403, 404) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.snapshots(actorOf(req), req.params.id))

  app.get('/insight/segments/:id/snapshots/:snapshotId/members', {
    schema: { tags, summary: 'A page of a snapshot’s members (masked), by id', params: SnapshotParams, querystring: PageQuery, response: { 200: MemberPageSchema, ...errors(400, 401, 403, 404) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.snapshotMembers(actorOf(req), req.params.id, req.params.snapshotId, req.query))

  app.get('/insight/segments/:id/compare', {
    schema: { tags, summary: 'Who joined, left and stayed between two snapshots, with a page of one list', params: IdParams, querystring: CompareQuery, response: { 200: CompareSchema, ...errors(400, 401, 403, 404) } },
    config: { permission: 'insight.read' },
  }, async (req) => segments.compare(actorOf(req), req.params.id, req.query))

  app.post('/insight/segments/:id/coupons', {
    schema: {
      tags, summary: 'Issue a coupon template to the segment’s members (now, or a snapshot’s) through the bulk issue; a member gets one per segment and template however often it is run',
      params: IdParams, body: IssueBody, response: { 200: IssueSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'rewards.issue' },
  }, async (req) => segments.issueCoupons(actorOf(req), req.params.id, req.body))

  const fileName = (lang: SegmentExportLanguage, ext: string) => attachment(`segment.${ext}`, lang === 'zh-CN' ? `客群.${ext}` : `segment.${ext}`)

  app.get('/insight/segments/:id/export.csv', {
    schema: { tags, summary: 'Export the segment’s members (masked; now, or a snapshot’s) as CSV; HQ only, audited', params: IdParams, querystring: ExportQuery, produces: ['text/csv'], response: errors(400, 401, 403, 404) },
    config: { permission: 'segments.export' },
  }, async (req, reply) => {
    const lang = fileLanguage(req.query.lang, req.headers['accept-language'])
    const rows = await segments.exportRows(actorOf(req), req.params.id, { snapshotId: req.query.snapshotId, format: 'csv' })
    return sendCsv(req, reply, await exportTable(rows, lang, timezone, true), fileName(lang, 'csv'), 'segment export')
  })

  app.get('/insight/segments/:id/export.xlsx', {
    schema: {
      tags, summary: 'Export the segment’s members as an Excel workbook, as the CSV', params: IdParams, querystring: ExportQuery,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: errors(400, 401, 403, 404),
    },
    config: { permission: 'segments.export' },
  }, async (req, reply) => {
    const lang = fileLanguage(req.query.lang, req.headers['accept-language'])
    const rows = await segments.exportRows(actorOf(req), req.params.id, { snapshotId: req.query.snapshotId, format: 'xlsx' })
    return sendXlsx(req, reply, await exportTable(rows, lang, timezone, false), lang === 'zh-CN' ? '客群' : 'Segment', fileName(lang, 'xlsx'), 'segment export')
  })
}
