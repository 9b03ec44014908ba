import { describe, expect, it } from 'vitest'
import { isOverdue, orderTotal, pictureProblem, pictureUrl, stockTotals } from './gift-format.js'

describe('gift-format', () => {
  it.each([
    [{ type: 'image/png', size: 1000 }, null],
    [{ type: 'image/webp', size: 1024 * 1024 }, null],
    [{ type: 'image/jpeg', size: 1024 * 1024 + 1 }, 'tooLarge'],
    [{ type: 'image/gif', size: 10 }, 'wrongType'],
    [{ type: '', size: 10 }, 'wrongType'],
  ])('pictureProblem(%o) is %s', (file, problem) => {
    expect(pictureProblem(file)).toBe(problem)
  })

  it('adds stock rows and prices orders', () => {
    expect(stockTotals([{ stocked: 5, available: 3, reserved: 1, collected: 1 }, { stocked: 2, available: 2, reserved: 0, collected: 0 }]))
      .toEqual({ stocked: 7, available: 5, reserved: 1, collected: 1 })
    expect(stockTotals([])).toEqual({ stocked: 0, available: 0, reserved: 0, collected: 0 })
    expect(orderTotal({ pointsPrice: 300, cashPrice: 990 }, 2)).toEqual({ points: 600, cash: 1980 })
  })

  it('tells an overdue reservation and builds a cache-busting picture URL', () => {
    const now = new Date('2026-03-02T02:00:00Z')
    expect(isOverdue({ status: 'reserved', expiresAt: '2026-03-02T01:59:59Z' }, now)).toBe(true)
    expect(isOverdue({ status: 'reserved', expiresAt: '2026-03-03T00:00:00Z' }, now)).toBe(false)
    expect(isOverdue({ status: 'collected', expiresAt: '2026-03-01T00:00:00Z' }, now)).toBe(false)
    expect(pictureUrl({ id: 'gft_1', updatedAt: '2026-03-02T02:00:00.000Z' })).toBe('/api/v1/gifts/gft_1/picture?v=2026-03-02T02%3A00%3A00.000Z')
  })
})
