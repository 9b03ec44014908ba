import { parse } from 'csv-parse'
import { Transform, type Readable } from 'node:stream'
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

/**
 * Streams a CSV (UTF-8, header row, optionally gzipped) in batches, with backpressure: a file of
 * any size is never held in memory. Errors that make the whole file unreadable become 422
 * IMPORT_CSV_INVALID naming the line; a missing column, 422 IMPORT_COLUMNS_MISSING.
 */
export const streamCsvBatches = async (o: CsvBatchOptions): Promise<{ bytesRead: number }> => {
  const limits = { ...DEFAULT_FILE_LIMITS, ...o.limits }
  let bytesRead = 0
  let rows = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytesRead += chunk.length
      cb(null, chunk)
    },
  })
  const parser = parse({
    bom: true, max_record_size: limits.maxRecordBytes, skip_empty_lines: true, relax_column_count: true, trim: false, info: true, skip_records_with_error: true,
    columns: (h: string[]) => {
      const header = h.map((c) => c.trim())
      const missing = o.requiredColumns.filter((c) => !header.includes(c))
      if (missing.length) {
        throw unprocessable('IMPORT_COLUMNS_MISSING', [{ field: 'mapping', reason: `column(s) ${missing.map((m) => `"${m}"`).join(', ')} not in the file; its columns are ${header.map((m) => `"${m}"`).join(', ')}` }])
      }
      return header
    },
  })
  parser.on('skip', (err: Error & { code?: string; lines?: number }) => {
    // Thrown here, it stops the parser: the record would otherwise grow with the rest of the file.
    if (err.code === 'CSV_MAX_RECORD_SIZE') throw err
    if (++rows > limits.maxRows) throw tooManyRows(err.lines ?? 0, limits)
    o.onUnreadable(err.lines ?? 0, err.message)
  })
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [o.source, counter]
  if (o.gzip) stages.push(createGunzip(), inflationGuard(() => bytesRead, limits))
  stages.push(parser)
  const feeding = pipeline(stages as unknown as [Readable, Transform]).catch((e: unknown) => {
    parser.destroy(e as Error)
  })

  let batch: CsvRecord[] = []
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (++rows > limits.maxRows) throw tooManyRows(info.lines, limits)
      batch.push({ record, line: info.lines })
      if (batch.length >= o.batchSize) {
        await o.onBatch(batch, bytesRead)
        batch = []
        await yieldToEventLoop()
      }
    }
    await feeding
    if (batch.length) await o.onBatch(batch, bytesRead)
    return { bytesRead }
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number }
    parser.destroy()
    o.source.destroy()
    if (isDomainError(err)) throw err
    if (err.code === 'CSV_MAX_RECORD_SIZE') throw recordTooLarge(err.lines ?? 0, limits)
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      throw unprocessable('IMPORT_CSV_INVALID', [{ field: 'file', reason: `line ${err.lines ?? '?'}: ${err.message}` }])
    }
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') throw unprocessable('IMPORT_CSV_INVALID', [{ field: 'file', reason: 'not a valid gzip file' }])
    throw err
  }
}
