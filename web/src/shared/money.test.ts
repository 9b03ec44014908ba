import { describe, expect, it } from 'vitest'
import { fenToYuan, optionalYuanToFen, yuanText, yuanToFen } from './money.js'

describe('yuan and fen', () => {
  it.each([
    [12.3, 1230],
    [0.29, 29],
    [1.005, 101],
    [0, 0],
    [19999.99, 1999999],
    [-2.5, -250],
  ])('%s yuan is %s fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen)
  })

  it('turns fen back into the number a form field shows', () => {
    expect(fenToYuan(1230)).toBe(12.3)
    expect(fenToYuan(29)).toBe(0.29)
    expect(yuanToFen(fenToYuan(123456))).toBe(123456)
  })

  it('leaves an empty amount empty', () => {
    expect(optionalYuanToFen(null)).toBeNull()
    expect(optionalYuanToFen(undefined)).toBeNull()
    expect(optionalYuanToFen(Number.NaN)).toBeNull()
    expect(optionalYuanToFen(0)).toBe(0)
    expect(optionalYuanToFen(8.8)).toBe(880)
  })

  it.each([
    [100, '¥1.00'],
    [50, '¥0.50'],
    [0.5, '¥0.005'],
    [123456, '¥1,234.56'],
    [-250, '-¥2.50'],
  ])('writes %s fen as %s', (fen, text) => {
    expect(yuanText(fen)).toBe(text)
  })
})
