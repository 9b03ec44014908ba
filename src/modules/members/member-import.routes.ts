import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Nullable, errors } from '../../shared/http/schemas.js'
import { receiveUpload } from '../../shared/http/upload.js'
import { csvDownload } from '../../shared/csv-stream.js'
import { IMPORT_FIELDS, parseMapping } from './member-import.js'
import { REPORT_LANGUAGES, reportLanguageOf, reportRecords } from './member-import-report.js'
import type { MemberImportService } from './member-import.js'

const ImportSchema = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'completed', 'failed', 'cancelled']),
  sourceName: Type.String(),
  mapping: Type.Record(Type.String(), Type.String()),
  updateExisting: Type.Boolean(),
  totalBytes: Type.Integer(),
  processedBytes: Type.Integer(),
  rowsRead: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  errorCode: Nullable(Type.String({ description: 'why it stopped: IMPORT_CANCELLED, IMPORT_INTERRUPTED, IMPORT_TOO_MANY_ROWS, IMPORT_RECORD_TOO_LARGE, IMPORT_GZIP_TOO_LARGE, …' })),
  errorMessage: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
})

/** The upload's settings (besides `file`): anything else is refused by name. */
const UPLOAD_FIELDS = ['mapping', 'updateExisting', 'storeId'] as const

const ImportErrorSchema = Type.Object({ line: Type.Integer(), column: Type.String(), value: Type.String(), reason: Type.String() })

export const memberImportRoutes = (app: TypedApp, { memberImports }: { memberImports: MemberImportService }) => {
  const tags = ['member import']

  app.get('/member-imports/fields', {
    schema: { tags, summary: 'The fields a CSV column can be mapped to', response: { 200: Type.Array(Type.String()) } },
    config: { permission: 'members.import' },
  }, async () => [...IMPORT_FIELDS])

  app.post('/member-imports', {
    schema: {
      tags, summary: 'Upload a CSV (multipart: fields `mapping` = "col=field,…", optional `updateExisting`, `storeId`, then `file`); runs in the background',
      consumes: ['multipart/form-data'], response: { 202: ImportSchema, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'members.import' },
  }, async (req, reply) => {
    const actor = actorOf(req)
    // A bad mapping is refused before the upload is stored.
    const { fields, settings: mapping, ...saved } = await receiveUpload(req, memberImports.uploadDir(), 'imp', UPLOAD_FIELDS, (f) => parseMapping(f.mapping ?? ''))
    const started = await memberImports.startFromFile(actor, {
      path: saved.path, sourceName: saved.name, mapping, updateExisting: ['true', '1', 'yes'].includes(fields.updateExisting ?? ''),
      defaultStoreId: fields.storeId || null,
    })
    return reply.code(202).send(started)
  })

  app.post('/member-imports/:id/cancel', {
    schema: {
      tags, summary: 'Cancel a running import: it stops after the batch in hand, keeps what it committed, and its file is removed',
      params: IdParams, response: { 200: ImportSchema, ...errors(401, 403, 404, 409) },
    },
    config: { permission: 'members.import' },
  }, async (req) => memberImports.cancel(actorOf(req), req.params.id))

  app.get('/member-imports', {
    schema: { tags, summary: 'Recent imports', response: { 200: Type.Array(ImportSchema), ...errors(401, 403) } },
    config: { permission: 'members.import' },
  }, async (req) => memberImports.list(actorOf(req)))

  app.get('/member-imports/:id', {
    schema: { tags, summary: 'An import and its progress', params: IdParams, response: { 200: ImportSchema, ...errors(401, 403, 404) } },
    config: { permission: 'members.import' },
  }, async (req) => memberImports.get(actorOf(req), req.params.id))

  app.get('/member-imports/:id/errors', {
    schema: { tags, summary: "The import's error report (PII values masked)", params: IdParams, response: { 200: Type.Array(ImportErrorSchema), ...errors(401, 403, 404) } },
    config: { permission: 'members.import' },
  }, async (req) => memberImports.errors(actorOf(req), req.params.id))

  app.get('/member-imports/:id/errors.csv', {
    schema: {
      tags, summary: "The error report as CSV, headers and reasons in the user's language (`lang`, else Accept-Language; zh-CN by default); the uploader sees the refused values as in the file",
      params: IdParams, querystring: Type.Object({ lang: Type.Optional(Type.Enum([...REPORT_LANGUAGES])) }, { additionalProperties: false }),
      produces: ['text/csv'], response: { 200: Type.String(), ...errors(401, 403, 404) },
    },
    config: { permission: 'members.import' },
  }, async (req, reply) => {
    const rows = await memberImports.errors(actorOf(req), req.params.id)
    const lang = reportLanguageOf(req.query.lang, req.headers['accept-language'])
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${req.params.id}-errors.csv"`)
    // The response schema says text; the body is a stream of it.
    return reply.send(csvDownload([reportRecords(rows, lang)], (e) => req.log.error({ err: e }, 'member import error report failed')) as unknown as string)
  })
}
