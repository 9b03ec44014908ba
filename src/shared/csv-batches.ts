import { StringDecoder } from 'node:string_decoder'
import { PassThrough, Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { isDomainError, unprocessable } from './errors.js'

/** What an imported file may hold; beyond it the whole file is refused (a broken file or a bomb, not data). */
export interface FileLimits {
  /** Characters of one record: an unclosed quote must not make one record of the rest of the file. */
  maxRecordBytes: number
  /** Bytes a .gz may inflate to. */
  maxInflatedBytes: number
  /** Inflated ÷ compressed bytes of a .gz (checked once it has inflated past 16 MiB): real CSV compresses 5–20×. */
  maxGzipRatio: number
  /** Data rows (records after the header). */
  maxRows: number
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxRecordBytes: 1024 * 1024,
  maxInflatedBytes: 8 * 1024 * 1024 * 1024,
  maxGzipRatio: 100,
  maxRows: 50_000_000,
}

const RATIO_FROM = 16 * 1024 * 1024

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 * 1024 ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 * 1024 ? `${+(bytes / 1024 ** 2).toFixed(1)} MiB` : `${bytes} bytes`)

/** 422 IMPORT_RECORD_TOO_LARGE: a record over the limit (an unclosed quote, usually). */
export const recordTooLarge = (line: number, limits: FileLimits) =>
  unprocessable('IMPORT_RECORD_TOO_LARGE', [{ field: 'file', reason: `line ${line}: a record longer than ${sizeText(limits.maxRecordBytes)} (a quote never closed?)` }])

/** 422 IMPORT_TOO_MANY_ROWS, once the file has more data rows than the limit. */
export const tooManyRows = (line: number, limits: FileLimits) =>
  unprocessable('IMPORT_TOO_MANY_ROWS', [{ field: 'file', reason: `line ${line}: more than ${limits.maxRows.toLocaleString('en-US')} rows; split the file` }])

/**
 * Counts a .gz's compressed and inflated bytes; refuses it (422 IMPORT_GZIP_TOO_LARGE) once it
 * inflates past the limit or the ratio: a few MB must not become gigabytes in memory or hours of work.
 */
export const inflationGuard = (compressed: () => number, limits: FileLimits): Transform => {
  let inflated = 0
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inflated += chunk.length
      const zipped = Math.max(1, compressed())
      if (inflated > limits.maxInflatedBytes) {
        cb(unprocessable('IMPORT_GZIP_TOO_LARGE', [{ field: 'file', reason: `inflates to more than ${sizeText(limits.maxInflatedBytes)}` }]))
      } else if (inflated > RATIO_FROM && inflated / zipped > limits.maxGzipRatio) {
        cb(unprocessable('IMPORT_GZIP_TOO_LARGE', [{ field: 'file', reason: `${sizeText(zipped)} inflated to over ${sizeText(inflated)} (more than ${limits.maxGzipRatio}× its size): not an export` }]))
      } else cb(null, chunk)
    },
  })
}

/** Lets the event loop serve other requests (the till's lookups) between an import's batches. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export interface CsvRecord {
  record: Record<string, string>
  /** Line of the file where the record ends (1 = the header). */
  line: number
}

export interface CsvBatchOptions {
  source: Readable
  gzip?: boolean
  /** Columns the header must have; a file without them is refused before any row is read. */
  requiredColumns: string[]
  batchSize: number
  /** Handles a batch (the last one may be smaller); `bytesRead` counts the file's raw bytes so far. */
  onBatch: (records: CsvRecord[], bytesRead: number) => Promise<void>
  /** A record the parser could not read (e.g. an unclosed quote): reported, the rest goes on. */
  onUnreadable: (line: number, message: string) => void
  /** Bounds of the file; default DEFAULT_FILE_LIMITS. */
  limits?: Partial<FileLimits>
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/**
 * The one CSV reader of every import: streams a CSV (UTF-8, header row, optionally gzipped) in
 * batches, with backpressure, so a file of any size is never held in memory, within the bounds of
 * `FileLimits`. A hand-written RFC 4180 scanner, about ten times as fast as csv-parse (files of
 * millions of receipt lines) and as lenient as the csv-parse settings it replaced: a blank line is
 * skipped, rows may have more or fewer columns than the header, a quote inside an unquoted field is
 * kept as text; a record whose quoted field is never closed, or has text after its closing quote,
 * is reported unreadable and the rest goes on. A missing column is 422 IMPORT_COLUMNS_MISSING; an
 * empty file or broken gzip, 422 IMPORT_CSV_INVALID.
 */
export const streamCsvBatches = async (o: CsvBatchOptions): Promise<{ bytesRead: number }> => {
  // A record longer than the limit is a broken file, not data: it would be held in memory whole.
  const limits = { ...DEFAULT_FILE_LIMITS, ...o.limits }
  let rows = 0
  let bytesRead = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytesRead += chunk.length
      cb(null, chunk)
    },
  })
  // One pipeline: an error in any stage (the file, the gzip, a limit) ends the read, and every stage is closed.
  const input = new PassThrough()
  const stages: NodeJS.ReadWriteStream[] = [counter, ...(o.gzip ? [createGunzip(), inflationGuard(() => bytesRead, limits)] : []), input]
  const feeding = pipeline([o.source, ...stages] as unknown as [Readable, PassThrough]).catch((e: unknown) => {
    input.destroy(e as Error)
  })

  const decoder = new StringDecoder('utf8')
  let header: string[] | null = null
  const batch: CsvRecord[] = []
  let carry = ''
  /** physical lines before `carry` */
  let linesDone = 0
  let first = true

  const emit = (fields: string[], line: number) => {
    if (fields.length === 1 && fields[0] === '') return
    if (!header) {
      header = fields.map((c) => c.trim())
      const missing = o.requiredColumns.filter((c) => !header!.includes(c))
      if (missing.length) {
        throw unprocessable('IMPORT_COLUMNS_MISSING', [{ field: 'mapping', reason: `column(s) ${missing.map((m) => `"${m}"`).join(', ')} not in the file; its columns are ${header.map((m) => `"${m}"`).join(', ')}` }])
      }
      return
    }
    if (++rows > limits.maxRows) throw tooManyRows(line, limits)
    // No prototype: a column named "constructor" or "__proto__" is just a column.
    const record = Object.create(null) as Record<string, string>
    const n = Math.min(fields.length, header.length)
    for (let i = 0; i < n; i++) record[header[i]!] = fields[i]!
    batch.push({ record, line })
  }
  const deliver = async (all: boolean) => {
    while (batch.length >= o.batchSize || (all && batch.length)) await o.onBatch(batch.splice(0, o.batchSize), bytesRead)
  }

  /**
   * Reads the complete records of `text` into the batch; returns where the unfinished one
   * starts (all of it when `final`). Lines are counted from `linesDone`.
   */
  const scan = (text: string, final: boolean): number => {
    const len = text.length
    let pos = 0
    let line = linesDone
    while (pos < len) {
      const start = pos
      const startLine = line
      const fields: string[] = []
      let bad: string | null = null
      for (;;) {
        if (pos < len && text.charCodeAt(pos) === QUOTE) {
          // A quoted field: "" is a quote; it may hold commas and newlines.
          let value = ''
          let from = pos + 1
          for (;;) {
            const q = text.indexOf('"', from)
            if (q === -1) {
              if (!final) return start
              for (let i = from; i < len; i++) if (text.charCodeAt(i) === LF) line++
              if (++rows > limits.maxRows) throw tooManyRows(startLine + 1, limits)
              o.onUnreadable(startLine + 1, `Quote Not Closed: the parsing is finished with an opening quote at line ${startLine + 1}`)
              return len
            }
            if (q + 1 < len && text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(from, q + 1)
              from = q + 2
              continue
            }
            if (q + 1 >= len && !final) return start
            value += text.slice(from, q)
            for (let i = pos; i < q; i++) if (text.charCodeAt(i) === LF) line++
            pos = q + 1
            break
          }
          fields.push(value)
          const c = pos < len ? text.charCodeAt(pos) : -1
          if (c === COMMA) { pos++; continue }
          if (c === LF || c === -1 || (c === CR && (pos + 1 >= len || text.charCodeAt(pos + 1) === LF))) {
            if (c === -1 && !final) return start
            pos += c === CR ? 2 : c === LF ? 1 : 0
            if (c !== -1) line++
            break
          }
          // Text after the closing quote: the record is unreadable; skip to its end of line.
          bad = `Invalid Closing Quote: got "${String.fromCharCode(c)}" at line ${line + 1} instead of delimiter or record delimiter`
          const nl = text.indexOf('\n', pos)
          if (nl === -1 && !final) return start
          pos = nl === -1 ? len : nl + 1
          if (nl !== -1) line++
          break
        }
        // An unquoted field runs to the next comma or end of line.
        let end = pos
        while (end < len) {
          const c = text.charCodeAt(end)
          if (c === COMMA || c === LF) break
          end++
        }
        if (end >= len && !final) return start
        const raw = text.slice(pos, end)
        fields.push(raw.charCodeAt(raw.length - 1) === CR && (end >= len || text.charCodeAt(end) === LF) ? raw.slice(0, -1) : raw)
        if (end < len && text.charCodeAt(end) === COMMA) { pos = end + 1; continue }
        pos = end < len ? end + 1 : end
        if (end < len) line++
        break
      }
      const recordLine = line > startLine ? line : startLine + 1
      if (bad) {
        if (++rows > limits.maxRows) throw tooManyRows(recordLine, limits)
        o.onUnreadable(recordLine, bad)
      }
      else emit(fields, recordLine)
      linesDone = line
    }
    return len
  }

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let text = decoder.write(chunk)
      if (first && text.length) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
        first = false
      }
      const all = carry + text
      carry = all.slice(scan(all, false))
      const delivered = batch.length >= o.batchSize
      await deliver(false)
      if (delivered) await yieldToEventLoop()
      if (carry.length > limits.maxRecordBytes) throw recordTooLarge(linesDone + 1, limits)
    }
    await feeding
    carry += decoder.end()
    if (carry.length) scan(carry, true)
    if (!header && o.requiredColumns.length) throw unprocessable('IMPORT_CSV_INVALID', [{ field: 'file', reason: 'the file is empty (no header row)' }])
    await deliver(true)
    return { bytesRead }
  } catch (e) {
    input.destroy()
    o.source.destroy()
    const err = e as Error & { code?: string }
    if (isDomainError(err)) throw err
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') throw unprocessable('IMPORT_CSV_INVALID', [{ field: 'file', reason: 'not a valid gzip file' }])
    throw err
  }
}
