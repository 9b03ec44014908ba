import { describe, expect, it } from 'vitest'
import { formatLift, formatPercent } from './bought-together.js'

describe('the bought-together figures in words', () => {
  it.each([
    [0.2857142857142857, 1, '28.6%'],
    [1, 1, '100.0%'],
    [0, 1, '0.0%'],
    [0.009345794392523364, 2, '0.93%'],
    [0.018691588785046728, 2, '1.87%'],
    [null, 1, '—'],
    [Number.NaN, 2, '—'],
    [Number.POSITIVE_INFINITY, 1, '—'],
  ])('writes the share %s with %i decimals as %s', (share, digits, text) => {
    expect(formatPercent(share, digits)).toBe(text)
  })

  it('writes a confidence with one decimal unless told', () => {
    expect(formatPercent(0.14285714285714285)).toBe('14.3%')
  })

  it.each([[7.642857142857143, '7.64'], [1, '1.00'], [0.5, '0.50'], [15.285714285714286, '15.29'], [Number.NaN, '—']])('writes the lift %s as %s', (lift, text) => {
    expect(formatLift(lift)).toBe(text)
  })
})
