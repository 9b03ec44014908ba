import { describe, expect, it } from 'vitest'
import { parseLocalDateTime } from '../../shared/time.js'
import {
  buildReceipts, hashOf, memberKeyOf, parseReceiptMapping, parseRow, parseYuanSigned, timeParser, toReturnInput, toSaleInput,
  type ImportRow, type ReceiptGroup, type RowContext,
} from './receipt-import-rules.js'
import { payloadHash } from './receipt-rules.js'

const NOW = new Date('2026-03-02T02:00:00.000Z')
const columns = { receipt_no: 'No', business_at: 'At', sku: 'Sku', name: 'Name', quantity: 'Qty', unit_price: 'Price', member: 'Member', discount: 'Disc', tender: 'Pay' } as const
const ctx: RowContext = { columns, stores: new Map([['S1', 'sto_1']]), defaultStoreId: 'sto_1', parseTime: timeParser('Europe/London', NOW) }

const row = (over: Partial<ImportRow> & { line: number }): ImportRow => ({
  businessAt: '2011-01-01T10:00:00.000Z', sku: 'A', name: null, quantity: 1, unitPrice: 100, discount: 0, amount: null, member: null, kind: null,
  till: null, cashier: null, tender: 'cash', ...over,
})
const group = (receiptNo: string, rows: ImportRow[]): ReceiptGroup => ({ storeId: 'sto_1', receiptNo, firstLine: rows[0]?.line ?? 2, rows, badRows: 0 })
const build = (g: ReceiptGroup) => buildReceipts(g, { columns, returnPrefix: 'C', memberKey: 'auto' })

describe('receipt import mapping', () => {
  it('names the unknown field, a field mapped twice and the required fields left out', () => {
    expect(parseReceiptMapping('No=receipt_no,At=business_at,Sku=sku,Qty=quantity,Price=unit_price')).toMatchObject({ No: 'receipt_no', Price: 'unit_price' })
    expect(() => parseReceiptMapping('No=receipt_no,At=business_at,Sku=sku,Qty=quantity,Price=price')).toThrow(/unknown field "price"/)
    expect(() => parseReceiptMapping('No=receipt_no,N2=receipt_no')).toThrow(/"receipt_no" is mapped twice/)
    expect(() => parseReceiptMapping('No=receipt_no,Sku=sku')).toThrow(/map a column to business_at, quantity, unit_price/)
    expect(() => parseReceiptMapping('receipt_no')).toThrow(/is not column=field/)
  })
})

describe('receipt import cells', () => {
  it.each([
    ['2.55', 255], ['0.29', 29], ['1,234.5', 123450], ['-3', -300], ['¥12.50', 1250], ['7.650', 765],
    ['0.001', 'finer than a fen (at most 2 decimals)'], ['abc', 'not an amount in yuan (e.g. 12.50)'], ['', 'not an amount in yuan (e.g. 12.50)'],
  ])('reads the price %s exactly as fen (%s)', (text, fen) => {
    expect(parseYuanSigned(text)).toBe(fen)
  })

  it.each([
    ['8000000000000011', 'auto', { kind: 'card', value: '8000000000000011' }],
    ['138 0013 8000', 'auto', { kind: 'phone', value: '13800138000' }],
    ['17850', 'auto', { kind: 'external', value: '17850' }],
    ['17850', 'external', { kind: 'external', value: '17850' }],
    ['17850', 'phone', 'not a mainland China mobile number'],
    ['8000000000000019', 'card', 'not a Patron card number (check digit wrong)'],
  ] as const)('takes the member %s with key %s as %j', (raw, key, expected) => {
    expect(memberKeyOf(raw, key)).toEqual(expected)
  })

  it('parses business times as wall-clock time in the zone, as parseLocalDateTime does, across DST changes', () => {
    const parse = timeParser('Europe/London', NOW)
    const texts: string[] = []
    for (const day of ['2011-03-27', '2011-10-30', '2011-06-15', '2010-12-01']) {
      for (let h = 0; h < 24; h++) for (const ms of ['00:00', '30:15', '59:59']) texts.push(`${day} ${String(h).padStart(2, '0')}:${ms}`)
    }
    texts.push('2011-02-29 10:00:00', '2011-01-01 24:00:00', '2011-01-01 10:60:00', '2011-01-01T10:00:00+08:00', '2011-01-01', '1999-12-31 23:00:00', '2030-01-01 00:00:00')
    for (const text of texts) {
      const expected = parseLocalDateTime(text, 'Europe/London')
      const got = parse(text)
      if (!expected) expect(got, text).toEqual({ reason: expect.stringContaining('not a date-time') })
      else if (typeof got === 'string') expect(got, text).toBe(expected.toISOString())
      else expect(got.reason, text).toMatch(/before 2000|future/)
    }
  })

  it('reports every problem of a row with its column and value, and keeps the row out of its receipt', () => {
    const out = parseRow({ No: '536365', At: '2010-13-01 08:26', Sku: ' ', Qty: '6x', Price: '-2.55', Member: '', Disc: '', Pay: 'points' }, 7, ctx)
    expect(out).toMatchObject({ key: 'sto_1\u0000536365', row: null })
    expect(out.errors).toEqual([
      { line: 7, column: 'At', value: '2010-13-01 08:26', reason: expect.stringContaining('not a date-time') },
      { line: 7, column: 'Sku', value: ' ', reason: 'is required' },
      { line: 7, column: 'Qty', value: '6x', reason: 'not a whole number' },
      { line: 7, column: 'Price', value: '-2.55', reason: 'negative' },
      { line: 7, column: 'Pay', value: 'points', reason: expect.stringContaining('points payments cannot be imported') },
    ])
    expect(parseRow({ No: '', At: '2010-12-01 08:26' }, 8, ctx)).toEqual({ key: null, errors: [{ line: 8, column: 'No', value: '', reason: 'required' }] })
  })
})

describe('receipts from rows', () => {
  it('refuses negative and zero lines on a sale and posts the rest', () => {
    const b = build(group('1001', [row({ line: 2 }), row({ line: 3, quantity: -2 }), row({ line: 4, unitPrice: 0 }), row({ line: 5, quantity: 0 })]))
    expect(b.outcome).toBe('post')
    expect(b.receipts).toHaveLength(1)
    expect(b.receipts[0]!.lines.map((l) => l.line)).toEqual([2])
    expect(b.errors.map((e) => [e.line, e.column, e.reason])).toEqual([
      [3, 'Qty', 'negative quantity on a sale (a return needs its own receipt number)'],
      [4, 'Price', 'price 0 on a receipt with other lines'],
      [5, 'Qty', 'quantity 0 on a receipt with other lines'],
    ])
  })

  it('skips a receipt whose every line is 0 with one reason, and fails one with nothing left', () => {
    expect(build(group('1002', [row({ line: 2, unitPrice: 0, quantity: -5 }), row({ line: 3, quantity: 0 })]))).toMatchObject({
      outcome: 'skipped', receipts: [], errors: [{ line: 2, column: 'No', value: '1002', reason: expect.stringContaining('receipt skipped') }],
    })
    expect(build(group('1003', [row({ line: 2, quantity: -1 })]))).toMatchObject({ outcome: 'failed', receipts: [] })
  })

  it('makes a C receipt a stand-alone return of the pieces taken back', () => {
    const b = build(group('C1004', [row({ line: 2, quantity: -3, unitPrice: 250, discount: 50, member: '17850' })]))
    expect(b.receipts[0]).toMatchObject({ kind: 'return', receiptNo: 'C1004', member: { kind: 'external', value: '17850' }, lines: [{ quantity: 3, amount: 700 }] })
    expect(toReturnInput(b.receipts[0]!, 'mem_1')).toEqual({
      storeId: 'sto_1', receiptNo: 'C1004', businessAt: '2011-01-01T10:00:00.000Z', originalReceiptNo: null, member: { id: 'mem_1' },
      lines: [{ sku: 'A', quantity: 3, unitPrice: 250, amount: 700 }],
    })
  })

  it('posts more than 500 lines as parts numbered NO, NO/2', () => {
    const b = build(group('1005', Array.from({ length: 1001 }, (_, i) => row({ line: i + 2, sku: `S${i}` }))))
    expect(b.receipts.map((r) => [r.receiptNo, r.lines.length, r.firstLine])).toEqual([['1005', 500, 2], ['1005/2', 500, 502], ['1005/3', 1, 1002]])
  })

  it('refuses a line naming another member than the receipt, or an amount that does not add up', () => {
    const b = build(group('1006', [row({ line: 2, member: 'X1' }), row({ line: 3, member: 'X2' }), row({ line: 4, amount: 999 }), row({ line: 5, amount: 100 })]))
    expect(b.receipts[0]!.lines.map((l) => l.line)).toEqual([2, 5])
    expect(b.errors.map((e) => [e.line, e.reason])).toEqual([[3, 'another member than line 2 of the same receipt'], [4, '9.99 but quantity × price − discount is 1.00']])
  })

  it('hashes a receipt exactly as the receipts service does', () => {
    const sale = build(group('1007', [
      row({ line: 2, name: 'MUG "BIG"', discount: 10, tender: 'wechat_pay', cashier: 'c1' }), row({ line: 3, sku: '8', quantity: 2, till: 'T1' }),
    ])).receipts[0]!
    for (const memberId of [null, 'mem_9']) {
      const s = toSaleInput(sale, memberId)
      expect(hashOf(s, memberId)).toBe(payloadHash({ ...s, storeId: s.storeId, member: memberId }))
      const r = toReturnInput({ ...sale, kind: 'return', receiptNo: 'C1007' }, memberId)
      expect(hashOf(r, memberId)).toBe(payloadHash({ ...r, storeId: r.storeId, member: memberId }))
    }
  })
})
