import { stringify } from 'csv-stringify'
import { PassThrough, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

// A cell a spreadsheet would run as a formula (=HYPERLINK(…), @SUM, -1+1, +cmd|…) is kept as
// text; a plain signed number (-1, +8613700000000) is left as it is.
const FORMULA_START = /^[=@\t\r]/
const SIGNED = /^[+-]/
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/
export const spreadsheetSafe = (cell: string): string =>
  FORMULA_START.test(cell) || (SIGNED.test(cell) && !PLAIN_NUMBER.test(cell)) ? `'${cell}` : cell

/**
 * A CSV download streamed from pages of records: UTF-8 with a BOM (Excel), cells kept from
 * running as formulas. Built with `stream.pipeline`, so a failure in the middle (the database
 * gone, a bad page) ends this response, is handed to `onError` to be logged, and never reaches
 * the process as an unhandled error.
 */
export const csvDownload = (pages: AsyncIterable<ReadonlyArray<ReadonlyArray<string | number>>> | Iterable<ReadonlyArray<ReadonlyArray<string | number>>>, onError: (e: Error) => void): Readable => {
  const out = new PassThrough()
  out.write('\uFEFF')
  async function* records() {
    for await (const page of pages) for (const r of page) yield r.map((c) => (typeof c === 'string' ? spreadsheetSafe(c) : c))
  }
  pipeline(Readable.from(records()), stringify(), out).catch((e: unknown) => {
    onError(e as Error)
    out.destroy(e as Error)
  })
  return out
}
