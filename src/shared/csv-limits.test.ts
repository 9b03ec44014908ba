import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config.js'
import { streamCsvBatches, type CsvBatchOptions, type FileLimits } from './csv-batches.js'
import { spreadsheetSafe } from './csv-stream.js'

/** Reads a file in 64 KiB chunks; resolves with the rows read, or rejects with the refusal. */
const read = async (data: Buffer, options: { gzip?: boolean; limits?: Partial<FileLimits> } = {}) => {
  let rows = 0
  const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) => data.subarray(i * 65536, i * 65536 + 65536))
  const o: CsvBatchOptions = {
    source: Readable.from(chunks), gzip: options.gzip, requiredColumns: ['phone'], batchSize: 500, limits: options.limits,
    onBatch: async (r) => { rows += r.length },
    onUnreadable: () => { rows++ },
  }
  await streamCsvBatches(o)
  return rows
}

describe('file limits', () => {
  it('refuses a gzip bomb of one unclosed quoted field at the record limit, not after inflating it all', async () => {
    // 6 MiB of one field compresses to a few KB; the file never says where the record ends.
    const bomb = gzipSync(Buffer.concat([Buffer.from('phone,name\n13700000001,"'), Buffer.alloc(6 * 1024 * 1024, 'a')]))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const before = process.memoryUsage().rss
    await expect(read(bomb, { gzip: true })).rejects.toMatchObject({
      code: 'IMPORT_RECORD_TOO_LARGE', status: 422, details: [{ field: 'file', reason: 'line 2: a record longer than 1 MiB (a quote never closed?)' }],
    })
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
  })

  it('refuses a .gz that inflates past its ratio (rows that compress 1000×), and past the size limit', async () => {
    const rows = Buffer.from('phone\n' + '\n'.repeat(20 * 1024 * 1024))
    const zipped = gzipSync(rows)
    await expect(read(zipped, { gzip: true })).rejects.toMatchObject({ code: 'IMPORT_GZIP_TOO_LARGE', details: [{ field: 'file', reason: expect.stringMatching(/more than 100× its size/) }] })
    await expect(read(gzipSync(Buffer.from('phone\n' + '13700000001\n'.repeat(200_000))), { gzip: true, limits: { maxInflatedBytes: 1024 * 1024 } }))
      .rejects.toMatchObject({ code: 'IMPORT_GZIP_TOO_LARGE', details: [{ field: 'file', reason: 'inflates to more than 1 MiB' }] })
    // Within the limits, the same reader reads it all.
    expect(await read(gzipSync(Buffer.from('phone\n' + '13700000001\n'.repeat(1000))), { gzip: true })).toBe(1000)
  })

  it('refuses a file over the row limit, naming the line', async () => {
    const file = Buffer.from('phone\n' + '13700000001\n'.repeat(12))
    expect(await read(file, { limits: { maxRows: 12 } })).toBe(12)
    await expect(read(file, { limits: { maxRows: 10 } })).rejects.toMatchObject({ code: 'IMPORT_TOO_MANY_ROWS', details: [{ field: 'file', reason: 'line 12: more than 10 rows; split the file' }] })
  })

  it('refuses an uncompressed record over the limit', async () => {
    const file = Buffer.from(`phone,name\n13700000001,ok\n13700000002,"${'x'.repeat(2000)}`)
    await expect(read(file, { limits: { maxRecordBytes: 1000 } })).rejects.toMatchObject({ code: 'IMPORT_RECORD_TOO_LARGE', details: [{ reason: expect.stringMatching(/^line 3: a record longer than 1000 bytes/) }] })
  })
})

describe('spreadsheetSafe', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`], ['@SUM(A1)', `'@SUM(A1)`], ['-1+1', `'-1+1`], ['+cmd|x', `'+cmd|x`],
    ['-1', '-1'], ['+8613700000001', '+8613700000001'], ['12.50', '12.50'], ['张伟', '张伟'], ['', ''],
  ])('%s → %s', (cell, safe) => {
    expect(spreadsheetSafe(cell)).toBe(safe)
  })
})

describe('import limits from the environment', () => {
  it('reads PATRON_IMPORT_MAX_* and names a bad value', () => {
    expect(loadConfig({}).importLimits).toEqual({ maxRecordBytes: 1024 * 1024, maxInflatedBytes: 8 * 1024 ** 3, maxGzipRatio: 100, maxRows: 50_000_000 })
    expect(loadConfig({ PATRON_IMPORT_MAX_ROWS: '1000', PATRON_IMPORT_MAX_RECORD_BYTES: '4096', PATRON_IMPORT_MAX_GZIP_RATIO: '30', PATRON_IMPORT_MAX_INFLATED_BYTES: '1048576' }).importLimits)
      .toEqual({ maxRecordBytes: 4096, maxInflatedBytes: 1048576, maxGzipRatio: 30, maxRows: 1000 })
    expect(() => loadConfig({ PATRON_IMPORT_MAX_ROWS: '1e6' })).toThrow(/PATRON_IMPORT_MAX_ROWS: expected a positive whole number \(rows of an imported file\), got "1e6"/)
    expect(() => loadConfig({ PATRON_IMPORT_MAX_GZIP_RATIO: '0' })).toThrow(/PATRON_IMPORT_MAX_GZIP_RATIO/)
  })
})
