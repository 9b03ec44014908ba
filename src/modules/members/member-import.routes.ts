import { stringify } from 'csv-stringify/sync'
import { Type } from 'typebox'
import type { TypedApp } from '../../http/app.js'
import { actorOf } from '../../http/auth.js'
import { IdParams, Nullable, errors } from '../../http/schemas.js'
import { receiveUpload } from '../../http/upload.js'
import type { Services } from '../../services.js'
import { IMPORT_FIELDS, parseMapping } from './member-import.js'

const ImportSchema = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'completed', 'failed']),
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
  errorMessage: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
})

const ImportErrorSchema = Type.Object({ line: Type.Integer(), column: Type.String(), value: Type.String(), reason: Type.String() })

export const memberImportRoutes = (app: TypedApp, { memberImports }: Services) => {
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
    const { fields, ...saved } = await receiveUpload(req, memberImports.uploadDir(), 'imp', (f) => parseMapping(f.mapping ?? ''))
    const mapping = parseMapping(fields.mapping ?? '')
    const started = await memberImports.startFromFile(actor, {
      path: saved.path, sourceName: saved.name, mapping, updateExisting: ['true', '1', 'yes'].includes(fields.updateExisting ?? ''),
      defaultStoreId: fields.storeId || null,
    })
    return reply.code(202).send(started)
  })

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
    schema: { tags, summary: 'The error report as CSV', params: IdParams, produces: ['text/csv'], response: { 200: Type.String(), ...errors(401, 403, 404) } },
    config: { permission: 'members.import' },
  }, async (req, reply) => {
    const rows = await memberImports.errors(actorOf(req), req.params.id)
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${req.params.id}-errors.csv"`)
    return '\uFEFF' + stringify(rows, { header: true, columns: ['line', 'column', 'value', 'reason'] })
  })
}
