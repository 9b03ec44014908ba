import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { streamCsvBatches, type CsvRecord } from './csv-batches.js'

// Chunks of 7 bytes: records, quotes and multi-byte characters split across chunks.
const read = async (text: string | Buffer, options: { gzip?: boolean; requiredColumns?: string[] } = {}) => {
  const buf = Buffer.from(text)
  const chunks = Array.from({ length: Math.ceil(buf.length / 7) }, (_, i) => buf.subarray(i * 7, i * 7 + 7))
  const records: CsvRecord[] = []
  const unreadable: Array<[number, string]> = []
  const batches: number[] = []
  await streamCsvBatches({
    source: Readable.from(chunks), gzip: options.gzip, requiredColumns: options.requiredColumns ?? [], batchSize: 2,
    onBatch: async (r) => { batches.push(r.length); records.push(...r) },
    onUnreadable: (line, message) => { unreadable.push([line, message]) },
  })
  return { records, unreadable, batches }
}

/** What csv-parse (the reader this one replaced) reads, with the settings the imports used. */
const csvParse = (text: string): CsvRecord[] =>
  (parse(text, { bom: true, columns: (h: string[]) => h.map((c) => c.trim()), relax_column_count: true, skip_empty_lines: true, info: true }) as Array<{ record: Record<string, string>; info: { lines: number } }>)
    .map(({ record, info }) => ({ line: info.lines, record }))

const TRICKY = '\uFEFFno, name ,qty\n1,"a, ""b""",2\n\n2,"两行\n文本",3\n3,short\n4,x,5,extra\n5,末尾,6'

describe('streamCsvBatches', () => {
  it('reads what csv-parse reads, with the same line numbers, in batches', async () => {
    const fast = await read(TRICKY)
    expect(fast.records).toEqual(csvParse(TRICKY))
    expect(fast.records).toEqual([
      { line: 2, record: { no: '1', name: 'a, "b"', qty: '2' } },
      { line: 5, record: { no: '2', name: '两行\n文本', qty: '3' } },
      { line: 6, record: { no: '3', name: 'short' } },
      { line: 7, record: { no: '4', name: 'x', qty: '5' } },
      { line: 8, record: { no: '5', name: '末尾', qty: '6' } },
    ])
    expect(fast.batches).toEqual([2, 2, 1])
    const crlf = await read(TRICKY.replaceAll('\n', '\r\n'))
    expect(crlf.records.map((r) => [r.line, r.record.name])).toEqual([[2, 'a, "b"'], [5, '两行\r\n文本'], [6, 'short'], [7, 'x'], [8, '末尾']])
  })

  it('reports a record with text after a closing quote or a quote never closed, and goes on', async () => {
    const { records, unreadable } = await read('a,b\n1,"x"y\n2,ok\n3,"open\n4,z\n')
    expect(records).toEqual([{ line: 3, record: { a: '2', b: 'ok' } }])
    expect(unreadable).toEqual([[2, expect.stringContaining('Invalid Closing Quote')], [4, expect.stringContaining('Quote Not Closed')]])
  })

  it('reads gzip, and refuses a file without the columns, an empty file or broken gzip as csv-parse did', async () => {
    expect((await read(gzipSync('a,b\n1,2\n'), { gzip: true })).records).toEqual([{ line: 2, record: { a: '1', b: '2' } }])
    await expect(read('a,b\n1,2\n', { requiredColumns: ['a', 'c'] })).rejects.toMatchObject({ code: 'IMPORT_COLUMNS_MISSING', details: [{ reason: expect.stringContaining('"c" not in the file') }] })
    await expect(read('', { requiredColumns: ['a'] })).rejects.toMatchObject({ code: 'IMPORT_CSV_INVALID' })
    await expect(read('not gzip', { gzip: true })).rejects.toMatchObject({ code: 'IMPORT_CSV_INVALID', details: [{ reason: 'not a valid gzip file' }] })
  })

  it('keeps a column named like an Object property a column', async () => {
    const { records } = await read('__proto__,constructor\n1\n')
    expect(Object.entries(records[0]!.record)).toEqual([['__proto__', '1']])
    expect(records[0]!.record.constructor).toBeUndefined()
  })
})
