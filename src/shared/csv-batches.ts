import { parse } from 'csv-parse'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { isDomainError, unprocessable } from './errors.js'

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
}

/**
 * Streams a CSV (UTF-8, header row, optionally gzipped) in batches, with backpressure: a file of
 * any size is never held in memory. Errors that make the whole file unreadable become 422
 * IMPORT_CSV_INVALID naming the line; a missing column, 422 IMPORT_COLUMNS_MISSING.
 */
export const streamCsvBatches = async (o: CsvBatchOptions): Promise<{ bytesRead: number }> => {
  let bytesRead = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytesRead += chunk.length
      cb(null, chunk)
    },
  })
  const parser = parse({
    bom: true, skip_empty_lines: true, relax_column_count: true, trim: false, info: true, skip_records_with_error: true,
    columns: (h: string[]) => {
      const header = h.map((c) => c.trim())
      const missing = o.requiredColumns.filter((c) => !header.includes(c))
      if (missing.length) {
        throw unprocessable('IMPORT_COLUMNS_MISSING', [{ field: 'mapping', reason: `column(s) ${missing.map((m) => `"${m}"`).join(', ')} not in the file; its columns are ${header.map((m) => `"${m}"`).join(', ')}` }])
      }
      return header
    },
  })
  parser.on('skip', (err: Error & { lines?: number }) => o.onUnreadable(err.lines ?? 0, err.message))
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [o.source, counter]
  if (o.gzip) stages.push(createGunzip())
  stages.push(parser)
  const feeding = pipeline(stages as unknown as [Readable, Transform]).catch((e: unknown) => {
    parser.destroy(e as Error)
  })

  let batch: CsvRecord[] = []
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      batch.push({ record, line: info.lines })
      if (batch.length >= o.batchSize) {
        await o.onBatch(batch, bytesRead)
        batch = []
      }
    }
    await feeding
    if (batch.length) await o.onBatch(batch, bytesRead)
    return { bytesRead }
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number }
    if (isDomainError(err)) throw err
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      throw unprocessable('IMPORT_CSV_INVALID', [{ field: 'file', reason: `line ${err.lines ?? '?'}: ${err.message}` }])
    }
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') throw unprocessable('IMPORT_CSV_INVALID', [{ field: 'file', reason: 'not a valid gzip file' }])
    throw err
  }
}
