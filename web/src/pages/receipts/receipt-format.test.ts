import dayjs from 'dayjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatCount, formatMoney } from '../../format.js'
import { translator } from '../../i18n/test-translator.js'
import { canReturn, dateRangeQuery, memberText, pointsTexts, quantityText, refundText, returnable, returnLines } from './receipt-format.js'

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

describe('what the desk says about a return', () => {
  let zh: Awaited<ReturnType<typeof translator<'receipts'>>>
  let en: Awaited<ReturnType<typeof translator<'receipts'>>>
  beforeAll(async () => {
    zh = await translator('receipts', 'zh-CN')
    en = await translator('receipts', 'en-US')
  })
  // The sale of the issue: one of two bags of rice back from ¥164.70 paid by a ¥20 coupon, 409 points and WeChat Pay.
  const rice = { money: 6181, tenders: [{ kind: 'wechat_pay' as const, reference: null, amount: 6181 }], pointsBack: 180, pointsValue: 180, couponShare: 879 }

  it('states the money to hand back first, then the points and the coupon', () => {
    expect(refundText(zh as never, rice, 61, formatMoney, formatCount))
      .toBe('应退顾客 ¥61.81（微信支付 ¥61.81）；退回 180 积分（抵 ¥1.80）；优惠券抵扣 ¥8.79 不退；扣回所得 61 积分')
    expect(refundText(en as never, rice, 61, formatMoney, formatCount))
      .toBe('hand back ¥61.81 (WeChat Pay ¥61.81); 180 points given back (worth ¥1.80); ¥8.79 paid by coupons is not refunded; 61 points earned taken back')
  })

  it('names each tender, and says when no money goes back', () => {
    const split = { money: 1000, tenders: [{ kind: 'cash' as const, reference: null, amount: 300 }, { kind: 'alipay' as const, reference: null, amount: 700 }], pointsBack: 0, pointsValue: 0, couponShare: 0 }
    expect(refundText(zh as never, split, 0, formatMoney, formatCount)).toBe('应退顾客 ¥10.00（现金 ¥3.00、支付宝 ¥7.00）')
    expect(refundText(zh as never, { money: 0, tenders: [], pointsBack: 0, pointsValue: 0, couponShare: 500 }, 0, formatMoney, formatCount)).toBe('无需退还现金；优惠券抵扣 ¥5.00 不退')
  })

  it.each([
    [{ memberName: '张*', memberCardNo: '8084550060966013' }, '张* 尾号 6013'],
    [{ memberName: null, memberCardNo: '8084550060966013' }, '卡号尾号 6013'],
    [{ memberName: null, memberCardNo: null }, null],
  ])('names the member %j as %s', (receipt, text) => {
    expect(memberText(zh as never, receipt)).toBe(text)
  })

  it.each([
    [{ kind: 'sale' as const, points: 12, pointsUsed: 300 }, ['得 12', '用 300']],
    [{ kind: 'return' as const, points: 61, pointsUsed: 180 }, ['扣回 61', '退回 180']],
    [{ kind: 'return' as const, points: 0, pointsUsed: 0 }, []],
  ])('shows the points of %j as %j', (receipt, texts) => {
    expect(pointsTexts(zh as never, receipt, formatCount).map((p) => p.text)).toEqual(texts)
  })
})
