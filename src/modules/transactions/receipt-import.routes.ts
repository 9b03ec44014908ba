import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { CursorQuery, IdParams, Nullable, Page, errors } from '../../shared/http/schemas.js'
import { receiveUpload } from '../../shared/http/upload.js'
import { csvDownload } from '../../shared/csv-stream.js'
import { unprocessable } from '../../shared/errors.js'
import { REPORT_LANGUAGES, reportLanguageOf } from '../members/index.js'
import { receiptReportHeader, receiptReportReason } from './receipt-import-report.js'
import type { ReceiptImportSettings } from './receipt-import.js'
import { MEMBER_KEYS, parseReceiptMapping, RECEIPT_IMPORT_FIELDS, type MemberKeyKind } from './receipt-import-rules.js'
import type { ReceiptImportService } from './receipt-import.js'

const ImportSchema = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'completed', 'failed', 'cancelled']),
  sourceName: Type.String(),
  settings: Type.Object({
    mapping: Type.Record(Type.String(), Type.String()),
    storeCode: Nullable(Type.String()),
    timezone: Type.String(),
    awardPoints: Type.Boolean(),
    createMembers: Type.Boolean(),
    memberKey: Type.String(),
    returnPrefix: Type.String(),
  }),
  totalBytes: Type.Integer(),
  processedBytes: Type.Integer(),
  linesRead: Type.Integer(),
  receiptsPosted: Type.Integer(),
  returnsPosted: Type.Integer(),
  receiptsSkipped: Type.Integer({ description: 'already stored, or nothing to post' }),
  membersCreated: Type.Integer(),
  failed: Type.Integer({ description: 'receipts not posted' }),
  errorCount: Type.Integer({ description: 'problems in the report' }),
  errorCode: Nullable(Type.String({ description: 'why it stopped: IMPORT_CANCELLED, IMPORT_INTERRUPTED, IMPORT_TOO_MANY_ROWS, IMPORT_RECORD_TOO_LARGE, IMPORT_GZIP_TOO_LARGE, …' })),
  errorMessage: Nullable(Type.String()),
  createdAt: Type.String(),
  heartbeatAt: Type.String(),
  finishedAt: Nullable(Type.String()),
})

const ImportErrorSchema = Type.Object({ line: Type.Integer(), column: Type.String(), value: Type.String(), reason: Type.String() })

const flag = (v: string | undefined, fallback: boolean) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v.toLowerCase()))

/** The upload's form fields as import settings; a bad one is refused before the file is stored. */
const settingsOf = (fields: Record<string, string>): ReceiptImportSettings => {
  const memberKey = fields.memberKey || 'auto'
  if (!(MEMBER_KEYS as readonly string[]).includes(memberKey)) throw unprocessable('VALIDATION', [{ field: 'memberKey', reason: `one of ${MEMBER_KEYS.join(', ')}` }])
  return {
    mapping: parseReceiptMapping(fields.mapping ?? ''), storeCode: fields.store || null, timezone: fields.timezone || null,
    awardPoints: flag(fields.points, true), createMembers: flag(fields.createMembers, false), memberKey: memberKey as MemberKeyKind,
    returnPrefix: fields.returnPrefix ?? '',
  }
}

/** The upload's settings (besides `file`): anything else is refused by name. */
const UPLOAD_FIELDS = ['mapping', 'store', 'timezone', 'points', 'createMembers', 'memberKey', 'returnPrefix'] as const

export const receiptImportRoutes = (app: TypedApp, { receiptImports }: { receiptImports: ReceiptImportService }) => {
  const tags = ['receipt import']

  app.get('/receipt-imports/fields', {
    schema: { tags, summary: 'The fields a CSV column can be mapped to', response: { 200: Type.Array(Type.String()) } },
    config: { permission: 'receipts.import' },
  }, async () => [...RECEIPT_IMPORT_FIELDS])

  app.post('/receipt-imports', {
    schema: {
      tags,
      summary: 'Upload a POS export (multipart: fields `mapping` = "col=field,…", optional `store` (code), `timezone`, `points` (false: history without points), '
        + '`createMembers`, `memberKey` (auto, phone, card, external), `returnPrefix` (receipt numbers starting with it are returns; default none), then `file`, .csv or .csv.gz); runs in the background',
      consumes: ['multipart/form-data'], response: { 202: ImportSchema, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'receipts.import' },
  }, async (req, reply) => {
    const actor = actorOf(req)
    // Bad settings are refused before the upload is stored.
    const { settings, ...saved } = await receiveUpload(req, receiptImports.uploadDir(), 'rim', UPLOAD_FIELDS, settingsOf)
    const started = await receiptImports.startFromFile(actor, { ...settings, path: saved.path, sourceName: saved.name })
    return reply.code(202).send(started)
  })

  app.post('/receipt-imports/:id/cancel', {
    schema: {
      tags, summary: 'Cancel a running import: it stops after the receipts in hand, keeps what it posted, and its file is removed',
      params: IdParams, response: { 200: ImportSchema, ...errors(401, 403, 404, 409) },
    },
    config: { permission: 'receipts.import' },
  }, async (req) => receiptImports.cancel(actorOf(req), req.params.id))

  app.get('/receipt-imports', {
    schema: { tags, summary: 'Recent receipt imports', response: { 200: Type.Array(ImportSchema), ...errors(401, 403) } },
    config: { permission: 'receipts.import' },
  }, async (req) => receiptImports.list(actorOf(req)))

  app.get('/receipt-imports/:id', {
    schema: { tags, summary: 'A receipt import and its progress', params: IdParams, response: { 200: ImportSchema, ...errors(401, 403, 404) } },
    config: { permission: 'receipts.import' },
  }, async (req) => receiptImports.get(actorOf(req), req.params.id))

  app.get('/receipt-imports/:id/errors', {
    schema: {
      tags, summary: "The import's problems in file order (phone numbers masked), a page at a time", params: IdParams,
      querystring: Type.Object({ ...CursorQuery }, { additionalProperties: false }),
      response: { 200: Page(ImportErrorSchema), ...errors(401, 403, 404, 422) },
    },
    config: { permission: 'receipts.import' },
  }, async (req) => receiptImports.errors(actorOf(req), req.params.id, req.query))

  app.get('/receipt-imports/:id/errors.csv', {
    schema: {
      tags, summary: "All of the problems as CSV, headers and reasons in the user's language (`lang`, else Accept-Language; zh-CN by default)", params: IdParams,
      querystring: Type.Object({ lang: Type.Optional(Type.Enum([...REPORT_LANGUAGES])) }, { additionalProperties: false }),
      produces: ['text/csv'], response: { 200: Type.String(), ...errors(400, 401, 403, 404) },
    },
    config: { permission: 'receipts.import' },
  }, async (req, reply) => {
    const actor = actorOf(req)
    // Unknown id or no permission: a 404 or 403 before the download starts.
    await receiptImports.get(actor, req.params.id)
    const lang = reportLanguageOf(req.query.lang, req.headers['accept-language'])
    async function* pages() {
      yield [receiptReportHeader(lang)]
      for await (const page of receiptImports.allErrors(actor, req.params.id)) yield page.map((e) => [e.line, e.column, e.value, receiptReportReason(e.reason, lang)])
    }
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${req.params.id}-errors.csv"`)
    // Streamed a page at a time; a database error in the middle ends this download and is logged.
    return reply.send(csvDownload(pages(), (e) => req.log.error({ err: e }, 'receipt import error report failed')) as unknown as string)
  })
}
