import { describe, expect, it } from 'vitest'
import { checkProduct, parseFlag, parseYuan, skuProblem } from './product-rules.js'

describe('product rules', () => {
  it.each([
    ['12.50', 1250], ['12.5', 1250], ['12', 1200], ['0.29', 29], ['0', 0], ['¥1,299.90', 129990], [' 3.05 ', 305], ['￥8', 800],
  ])('reads %s yuan as %i fen', (raw, fen) => expect(parseYuan(raw)).toBe(fen))

  it.each(['12.505', '-1', '1e3', 'abc', '', '12,50', '.5', '1,2345'])('refuses %j as a price', (raw) => expect(parseYuan(raw)).toBeNull())

  it.each([
    ['1', true], ['true', true], ['TRUE', true], ['是', true], ['Y', true], ['y', true],
    ['0', false], ['false', false], ['否', false], ['N', false],
    ['maybe', null], ['2', null],
  ])('reads the flag %j as %s', (raw, value) => expect(parseFlag(raw)).toBe(value))

  it.each([
    ['', 'is required'], [' A1', 'must not start or end with whitespace'], ['A1\t', 'must not start or end with whitespace'],
    ['x'.repeat(65), 'longer than 64 characters'], ['A\u0000B', 'contains control characters'],
  ])('refuses the SKU %j: %s', (sku, reason) => expect(skuProblem(sku)).toBe(reason))

  it('accepts a SKU of 64 characters with inner spaces', () => expect(skuProblem(`A B${'x'.repeat(61)}`)).toBeNull())

  it.each([
    [{ name: '  ' }, 'name'], [{ name: 'n'.repeat(201) }, 'name'], [{ barcode: '1234567' }, 'barcode'], [{ barcode: '123456789012345' }, 'barcode'],
    [{ barcode: '69012345678a' }, 'barcode'], [{ listPrice: -1 }, 'listPrice'], [{ listPrice: 12.5 }, 'listPrice'], [{ memberPrice: -5 }, 'memberPrice'],
    [{ listPrice: 100, memberPrice: 101 }, 'memberPrice'], [{ department: 'd'.repeat(65) }, 'department'], [{ brand: 'b'.repeat(65) }, 'brand'],
    [{ pointsEligible: 'yes' }, 'pointsEligible'],
  ])('refuses %j naming %s', (input, field) => {
    expect(checkProduct(input).errors).toEqual([expect.objectContaining({ field })])
  })

  it('normalises blanks to null, trims text and checks the member price against the price it will have', () => {
    expect(checkProduct({ name: ' 苹果 ', barcode: '', brand: ' ', listPrice: 500 })).toEqual({
      value: { name: '苹果', barcode: null, brand: null, listPrice: 500 }, errors: [],
    })
    expect(checkProduct({ listPrice: 300 }, { listPrice: 500, memberPrice: 400 }).errors).toEqual([{ field: 'memberPrice', reason: 'must not exceed the list price' }])
    expect(checkProduct({ memberPrice: 500 }, { listPrice: 500, memberPrice: null }).errors).toEqual([])
  })
})
