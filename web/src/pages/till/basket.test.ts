import { describe, expect, it } from 'vitest'
import {
  addItem, changeFor, fieldParts, grossOf, isCodeLike, lineOfField, parseItemEntry, parseYuan, pointValueOf, quoteKey, quoteLines, removeLine, saleLines, saleTenders, setQuantity,
  type BasketLine, type NewLine,
} from './basket.js'
import type { Quote } from './types.js'

const milk: NewLine = { sku: 'SKU-MILK', name: '纯牛奶', unit: 'piece', listPrice: 1250, memberPrice: 1100, known: true }
const apples: NewLine = { sku: 'SKU-APPLE', name: '苹果', unit: 'g', listPrice: 1598, memberPrice: null, known: true }
const mystery: NewLine = { sku: '6900000000001', name: '6900000000001', unit: 'piece', listPrice: 500, memberPrice: null, known: false }
let n = 0
const newId = () => `l${++n}`

describe('entries in the item box', () => {
  it.each([
    ['6901234567890', { code: '6901234567890', quantity: null }],
    [' SKU-MILK ', { code: 'SKU-MILK', quantity: null }],
    ['3*SKU-MILK', { code: 'SKU-MILK', quantity: 3 }],
    ['350 × SKU-APPLE', { code: 'SKU-APPLE', quantity: 350 }],
  ])('%j is %o', (raw, entry) => expect(parseItemEntry(raw)).toEqual(entry))

  it.each(['', '  ', '0*SKU', '3*', '2000000*SKU'])('%j is refused', (raw) => expect(parseItemEntry(raw)).toBeNull())

  it.each([['6901234567890', true], ['SKU-MILK/2', true], ['纯牛奶', false], ['two words', false], ['x'.repeat(65), false]])('%j could be a new SKU: %s', (text, codeLike) => {
    expect(isCodeLike(text)).toBe(codeLike)
  })
})

describe('prices typed at the till', () => {
  it.each([['12.5', 1250], ['¥12.50', 1250], ['0.29', 29], ['8', 800], [' 3.05 ', 305]])('%j is %i fen', (raw, fen) => expect(parseYuan(raw)).toBe(fen))
  it.each(['', 'abc', '1.234', '-1', '1,000'])('%j is not a price', (raw) => expect(parseYuan(raw)).toBeNull())
})

describe('the basket', () => {
  it('puts another piece of the same product on its line', () => {
    const one = addItem([], milk, 1, newId)
    const two = addItem(one.lines, milk, 2, newId)
    expect(two.lines).toHaveLength(1)
    expect(two.lines[0]!.quantity).toBe(3)
    expect(two.id).toBe(one.id)
  })

  it('gives goods sold by weight a line per weighing', () => {
    const one = addItem([], apples, 350, newId)
    const two = addItem(one.lines, apples, 420, newId)
    expect(two.lines.map((l) => l.quantity)).toEqual([350, 420])
  })

  it('keeps quantities whole and at least one, and removes lines', () => {
    const { lines, id } = addItem([], milk, 1, newId)
    expect(setQuantity(lines, id, 0)[0]!.quantity).toBe(1)
    expect(setQuantity(lines, id, 2.6)[0]!.quantity).toBe(3)
    expect(removeLine(lines, id)).toEqual([])
  })

  it('sends the price only of products the catalogue does not know', () => {
    const lines = addItem(addItem([], milk, 2, newId).lines, mystery, 1, newId).lines
    expect(quoteLines(lines)).toEqual([
      { sku: 'SKU-MILK', quantity: 2, unit: 'piece' },
      { sku: '6900000000001', quantity: 1, unit: 'piece', unitPrice: 500 },
    ])
  })

  it('needs a new quote when the member, a quantity or the points change', () => {
    const { lines, id } = addItem([], milk, 1, newId)
    const key = quoteKey('sto_1', 'mem_1', lines, 0)
    expect(quoteKey('sto_1', 'mem_1', lines, 0)).toBe(key)
    expect(quoteKey('sto_1', null, lines, 0)).not.toBe(key)
    expect(quoteKey('sto_1', 'mem_1', setQuantity(lines, id, 2), 0)).not.toBe(key)
    expect(quoteKey('sto_1', 'mem_1', lines, 100)).not.toBe(key)
    expect(quoteKey('sto_1', 'mem_1', lines, 0, ['CODE1'])).not.toBe(key)
    expect(quoteKey('sto_1', 'mem_1', lines, 0, ['CODE1', 'CODE2'])).not.toBe(quoteKey('sto_1', 'mem_1', lines, 0, ['CODE2', 'CODE1']))
  })
})

describe('the receipt from a quote', () => {
  const quote: Quote = {
    lines: [
      { sku: 'SKU-MILK', name: '纯牛奶', quantity: 2, unit: 'piece', listPrice: 1250, unitPrice: 1100, memberPriceApplied: true, amount: 2200, savings: 300, points: 22 },
      { sku: 'SKU-APPLE', name: '苹果', quantity: 355, unit: 'g', listPrice: 1598, unitPrice: 1598, memberPriceApplied: false, amount: 567, savings: 0, points: 5 },
      { sku: '6900000000001', name: '6900000000001', quantity: 1, unit: 'piece', listPrice: 500, unitPrice: 500, memberPriceApplied: false, amount: 500, savings: 0, points: 5 },
    ],
    total: 3267, savings: 300, points: 32, explanation: [], member: null, usablePoints: 1633, usableValue: 1633,
    coupons: [], couponDiscount: 0, toPay: 3267, usableCoupons: [],
  }
  const lines: BasketLine[] = [
    { ...milk, id: 'a', quantity: 2 },
    { ...apples, id: 'b', quantity: 355 },
    { ...mystery, id: 'c', quantity: 1, name: '散装糖果' },
  ]

  it('keeps the list price and books the member saving as the discount, so every line adds up', () => {
    const sale = saleLines(quote, lines)
    expect(sale[0]).toEqual({ sku: 'SKU-MILK', quantity: 2, unit: 'piece', unitPrice: 1250, discount: 300, amount: 2200 })
    for (const l of sale) expect(grossOf(l.quantity, l.unitPrice, l.unit ?? 'piece') - (l.discount ?? 0)).toBe(l.amount)
    expect(sale.reduce((a, l) => a + l.amount, 0)).toBe(quote.total)
  })

  it('names a product the catalogue does not know, as the cashier did', () => {
    expect(saleLines(quote, lines)[2]).toMatchObject({ sku: '6900000000001', name: '散装糖果' })
  })

  it.each([
    [3267, 'wechat_pay', 0, null, [{ kind: 'wechat_pay', amount: 3267 }]],
    [3267, 'cash', 1000, 1, [{ kind: 'points', amount: 1000, points: 1000 }, { kind: 'cash', amount: 2267 }]],
    [3000, 'alipay', 150, 10, [{ kind: 'points', amount: 1500, points: 150 }, { kind: 'alipay', amount: 1500 }]],
    [0, 'cash', 0, null, [{ kind: 'cash', amount: 0 }]],
  ] as const)('a total of %i paid by %s with %i points is %o', (total, tender, points, value, tenders) => {
    const result = saleTenders(total, tender, points, value)
    expect(result).toEqual(tenders)
    expect(result.reduce((a, t) => a + t.amount, 0)).toBe(total)
  })

  it.each([
    ['a coupon', 6000, 0, [{ code: 'AAAA', discount: 1000 }], [{ kind: 'coupon', amount: 1000, reference: 'AAAA' }, { kind: 'cash', amount: 5000 }]],
    ['a points multiplier (nothing off, still consumed)', 6000, 0, [{ code: 'MULT', discount: 0 }], [{ kind: 'coupon', amount: 0, reference: 'MULT' }, { kind: 'cash', amount: 6000 }]],
    ['two coupons and points', 6000, 500, [{ code: 'AAAA', discount: 1000 }, { code: 'BBBB', discount: 600 }],
      [{ kind: 'coupon', amount: 1000, reference: 'AAAA' }, { kind: 'coupon', amount: 600, reference: 'BBBB' }, { kind: 'points', amount: 500, points: 500 }, { kind: 'cash', amount: 3900 }]],
    ['a coupon covering everything', 800, 0, [{ code: 'FREE', discount: 800 }], [{ kind: 'coupon', amount: 800, reference: 'FREE' }]],
  ] as const)('with %s the tenders add up to the total', (_, total, points, coupons, tenders) => {
    const result = saleTenders(total, 'cash', points, 1, coupons)
    expect(result).toEqual(tenders)
    expect(result.reduce((a, t) => a + t.amount, 0)).toBe(total)
  })

  it('reads the value of a point from the quote', () => {
    expect(pointValueOf({ usablePoints: 1633, usableValue: 1633 })).toBe(1)
    expect(pointValueOf({ usablePoints: 150, usableValue: 1500 })).toBe(10)
    expect(pointValueOf({ usablePoints: 0, usableValue: 0 })).toBeNull()
  })
})

describe('at the till', () => {
  it.each([[2267, 5000, 2733], [2267, 2267, 0], [2267, 2000, null], [2267, null, null]])('change due on %i for %s received is %s', (due, received, change) => {
    expect(changeFor(due, received)).toBe(change)
  })

  it.each([['lines[2].amount', 2], ['lines[0]', 0], ['tenders[0].amount', null], ['total', null]])('%s names line %s', (field, line) => {
    expect(lineOfField(field)).toBe(line)
  })

  it.each([
    ['lines.0.quantity', { line: 0, name: 'quantity' }],
    ['/lines/3/unitPrice', { line: 3, name: 'unitPrice' }],
    ['body.lines.1.amount', { line: 1, name: 'amount' }],
    ['lines[2].amount', { line: 2, name: 'amount' }],
    ['tenders[0].reference', { line: null, name: 'reference' }],
    ['pointsToUse', { line: null, name: 'pointsToUse' }],
    ['', { line: null, name: null }],
  ])('words %j as %o, never as the path', (field, parts) => {
    expect(fieldParts(field)).toEqual(parts)
  })
})
