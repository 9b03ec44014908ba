import { describe, expect, it } from 'vitest'
import { checkDigit, gramsOfPrice, kgText, parseScaleLabel, parseWeight, skusOfPlu } from './scale-barcode.js'

/** A code of `body` with its check digit. */
const withCheck = (body: string) => `${body}${checkDigit(body)}`

describe('the check digit', () => {
  it.each([
    ['690123456789', 2],
    ['695476741038', 8],
    ['1234567', 0],
    ['200100101250', checkDigit('200100101250')],
  ])('of %s is %i', (digits, digit) => {
    expect(checkDigit(digits)).toBe(digit)
  })
})

describe('a scale label', () => {
  it.each([
    ['the default: 2, six-digit PLU, grams', withCheck('210001001250'), undefined, { plu: '100010', grams: 1250 }],
    ['a PLU with leading zeros', withCheck('200123400350'), undefined, { plu: '001234', grams: 350 }],
    ['a flag digit, five-digit PLU, price in fen', withCheck('220012301999'), '2XPPPPPMMMMMC', { plu: '00123', price: 1999 }],
    ['a two-digit flag', withCheck('270012300500'), '27PPPPPWWWWWC', { plu: '00123', grams: 500 }],
  ])('reads %s', (_, code, layout, expected) => {
    expect(parseScaleLabel(code, layout)).toEqual(expected)
  })

  it.each([
    ['a wrong check digit', '2100010012509'],
    ['an ordinary EAN-13', '6901234567892'],
    ['too short', '21000100125'],
    ['letters', '21000A0012504'],
    ['no weight', withCheck('210001000000')],
    ['another flag than the layout\'s', withCheck('280012300500'), '27PPPPPWWWWWC'],
  ])('refuses %s', (_, code, layout?: string) => {
    expect(parseScaleLabel(code, layout)).toBeNull()
  })

  it.each([
    ['100010', ['100010']],
    ['001234', ['001234', '1234']],
    ['000000', ['000000', '0']],
  ])('PLU %s may be the SKU %j', (plu, skus) => {
    expect(skusOfPlu(plu)).toEqual(skus)
  })

  it.each([
    [1999, 3998, 500],
    [1, 3998, 1],
    [1000, 0, null],
  ])('a price of %i fen at %i fen/kg is %s g', (price, perKg, grams) => {
    expect(gramsOfPrice(price, perKg)).toBe(grams)
  })
})

describe('a weight typed at the till', () => {
  it.each([
    ['1.25', 1250],
    ['1.250', 1250],
    ['0.35', 350],
    ['2', 2000],
    ['350g', 350],
    ['350 克', 350],
    ['1.5kg', 1500],
    ['1.5 KG', 1500],
    ['2公斤', 2000],
    ['3斤', 1500],
    ['0.5斤', 250],
    ['', null],
    ['0', null],
    ['1.2345', null],
    ['1.5g', null],
    ['-1', null],
    ['abc', null],
    ['6901234567892', null],
  ])('%j is %s grams', (text, grams) => {
    expect(parseWeight(text)).toBe(grams)
  })

  it('shows grams as kilograms to the gram', () => {
    expect(kgText(1250)).toBe('1.250 kg')
    expect(kgText(5)).toBe('0.005 kg')
  })
})
