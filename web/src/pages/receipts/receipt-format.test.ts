import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { dateRangeQuery, quantityText } from './receipt-format.js'

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
