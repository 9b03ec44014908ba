import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { canReturn, dateRangeQuery, quantityText, returnable, returnLines } from './receipt-format.js'

describe('receipt lines and filters', () => {
  it.each([
    [{ quantity: 3, unit: 'piece' as const }, '3'],
    [{ quantity: 1250, unit: 'g' as const }, '1.25 kg'],
    [{ quantity: 333, unit: 'g' as const }, '0.333 kg'],
    [{ quantity: -2, unit: 'piece' as const }, '-2'],
  ])('%j reads %s', (line, text) => {
    expect(quantityText(line)).toBe(text)
  })

  it('sends picked days as business dates', () => {
    expect(dateRangeQuery([dayjs('2026-03-01T23:00:00'), dayjs('2026-03-31T01:00:00')])).toEqual({ from: '2026-03-01', to: '2026-03-31' })
    expect(dateRangeQuery(null)).toEqual({})
  })
})

describe('returns at the desk', () => {
  const sale = {
    kind: 'sale' as const, status: 'posted' as const,
    lines: [{ lineNo: 1, quantity: 3, returnedQuantity: 1 }, { lineNo: 2, quantity: 500, returnedQuantity: 0 }, { lineNo: 3, quantity: 1, returnedQuantity: 1 }],
  } as Parameters<typeof canReturn>[0]

  it('offers what is left of each line', () => {
    expect(returnable(sale)).toEqual([{ lineNo: 1, left: 2 }, { lineNo: 2, left: 500 }, { lineNo: 3, left: 0 }])
    expect(canReturn(sale)).toBe(true)
    expect(canReturn({ ...sale, kind: 'return' })).toBe(false)
    expect(canReturn({ ...sale, status: 'pending' })).toBe(false)
    expect(canReturn({ ...sale, lines: sale.lines.map((l) => ({ ...l, returnedQuantity: l.quantity })) })).toBe(false)
  })

  it('sends the lines with a quantity, never more than is left', () => {
    expect(returnLines(sale, { 1: 5, 2: 250, 3: 1 })).toEqual([{ originalLineNo: 1, quantity: 2 }, { originalLineNo: 2, quantity: 250 }])
    expect(returnLines(sale, { 1: 0, 2: null })).toEqual([])
    expect(returnLines(sale, { 1: 1.7, 2: -3 })).toEqual([{ originalLineNo: 1, quantity: 1 }])
  })
})
