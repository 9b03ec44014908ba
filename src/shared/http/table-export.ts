import { stringify } from 'csv-stringify'
import ExcelJS from 'exceljs'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PassThrough, Readable, pipeline } from 'node:stream'

/** The languages a downloaded file is written in. */
export type FileLanguage = 'zh-CN' | 'en-US'

/**
 * The language of a download: an explicit `lang` wins, then the first supported language of an
 * `Accept-Language` header by its q-values (any `en` is en-US), else zh-CN (the console's default).
 */
export const fileLanguage = (lang: string | undefined, acceptLanguage: string | undefined): FileLanguage => {
  if (lang === 'zh-CN' || lang === 'en-US') return lang
  const ranked = (acceptLanguage ?? '').split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1')
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, i }
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN'
    if (tag === 'en' || tag.startsWith('en-')) return 'en-US'
  }
  return 'zh-CN'
}

/** `Content-Disposition` of a download: an ASCII name, and the name in the file's language. */
export const attachment = (asciiName: string, localName: string): string =>
  `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(localName)}`

type Rows = AsyncIterable<unknown[]> | Iterable<unknown[]>

// An error in the middle of a file (a database gone away) ends that response and is logged;
// pipeline() hands it to every stream, so nothing is left unhandled to kill the process.
const logFailure = (req: FastifyRequest, what: string) => (err: Error | null | undefined) => {
  if (err) req.log.error({ err }, `${what} failed; the response was cut short`)
}

/** Streams rows (the header first) as a CSV download, with a BOM so Excel reads the Chinese as UTF-8. */
export const sendCsv = (req: FastifyRequest, reply: FastifyReply, rows: Rows, disposition: string, what: string) => {
  void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', disposition)
  return reply.send(pipeline(Readable.from(rows), stringify({ bom: true }), logFailure(req, what)))
}

/** Streams rows (the header first) as a one-sheet xlsx download, row by row. */
export const sendXlsx = (req: FastifyRequest, reply: FastifyReply, rows: Rows, sheetName: string, disposition: string, what: string) => {
  const body = new PassThrough()
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: body, useStyles: false, useSharedStrings: false })
  const sheet = workbook.addWorksheet(sheetName)
  const write = async () => {
    for await (const cells of rows) {
      // The client went away: stop reading rows for nobody.
      if (body.destroyed) return
      sheet.addRow(cells).commit()
    }
    sheet.commit()
    await workbook.commit()
  }
  write().catch((err: Error) => {
    logFailure(req, what)(err)
    body.destroy(err)
  })
  void reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', disposition)
  return reply.send(body)
}
