import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allocate, splitRefund, validateReturn } from './receipt-rules.js'
import { checkTillSettings, scaleLayoutProblem } from './till-settings.js'

describe('allocate (largest remainder)', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [10, [3, 3, 4], [3, 3, 4]],
    [7, [0, 5, 5], [0, 4, 3]],
    [6181, [14061], [6181]],
    [1, [2, 1], [1, 0]],
    [2, [1, 1, 1], [1, 1, 0]],
    [5, [0, 0], [5, 0]],
    [0, [3, 9], [0, 0]],
    [999, [1, 2_000_000_000_000], [0, 999]],
  ])('splits %i over %j as %j', (total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected)
  })

  it('always adds up, never goes below the floor share nor one above it', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 10_000_000_000 }), fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 1, maxLength: 12 }),
      (total, weights) => {
        const parts = allocate(total, weights)
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
        const sum = weights.reduce((a, b) => a + b, 0)
        if (sum === 0) return
        parts.forEach((p, i) => {
          const exact = (total * weights[i]!) / sum
          expect(p).toBeGreaterThanOrEqual(Math.floor(exact) - 1e-6 * exact)
          expect(p).toBeLessThanOrEqual(Math.floor(exact) + 1 + 1e-6 * exact)
        })
      },
    ))
  })
})

describe('splitRefund', () => {
  it.each([
    // The sale of the issue: ¥164.70 = ¥20 coupon + 409 points + ¥140.61 WeChat Pay; one of two bags of rice comes back.
    ['one bag of rice', { total: 7240, couponShare: 879, pointsBack: 180, pointValueFen: 1, tenders: [{ kind: 'wechat_pay' as const, reference: null, amount: 14061, refunded: 0 }] },
      { money: 6181, pointsValue: 180, couponShare: 879, tenders: [{ kind: 'wechat_pay', reference: null, amount: 6181 }] }],
    ['two money tenders, in proportion', { total: 1000, couponShare: 0, pointsBack: 0, pointValueFen: 1, tenders: [{ kind: 'cash' as const, reference: null, amount: 300, refunded: 0 }, { kind: 'alipay' as const, reference: 'A1', amount: 700, refunded: 0 }] },
      { money: 1000, pointsValue: 0, couponShare: 0, tenders: [{ kind: 'cash', reference: null, amount: 300 }, { kind: 'alipay', reference: 'A1', amount: 700 }] }],
    ['what earlier returns left of each tender', { total: 500, couponShare: 0, pointsBack: 0, pointValueFen: 1, tenders: [{ kind: 'cash' as const, reference: null, amount: 300, refunded: 300 }, { kind: 'bank_card' as const, reference: null, amount: 700, refunded: 200 }] },
      { money: 500, pointsValue: 0, couponShare: 0, tenders: [{ kind: 'bank_card', reference: null, amount: 500 }] }],
    ['points worth 2 fen each', { total: 1000, couponShare: 100, pointsBack: 50, pointValueFen: 2, tenders: [{ kind: 'cash' as const, reference: null, amount: 800, refunded: 0 }] },
      { money: 800, pointsValue: 100, couponShare: 100, tenders: [{ kind: 'cash', reference: null, amount: 800 }] }],
    ['paid wholly by a coupon', { total: 500, couponShare: 500, pointsBack: 0, pointValueFen: 1, tenders: [] },
      { money: 0, pointsValue: 0, couponShare: 500, tenders: [] }],
    ['coupon and points shares above the amount', { total: 100, couponShare: 90, pointsBack: 20, pointValueFen: 1, tenders: [{ kind: 'cash' as const, reference: null, amount: 100, refunded: 0 }] },
      { money: 0, pointsValue: 20, couponShare: 80, tenders: [] }],
  ])('%s', (_, input, expected) => {
    const refund = splitRefund(input)
    expect(refund).toMatchObject(expected)
    expect(refund.money + refund.pointsValue + refund.couponShare).toBe(input.total)
  })

  it('hands back exactly what each tender paid over any sequence of partial returns', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
      (amounts, cuts) => {
        const paid = amounts.reduce((a, b) => a + b, 0)
        const sum = cuts.reduce((a, b) => a + b, 0)
        // The returns' money: shares of the sale that together are all of it.
        const shares = allocate(paid, cuts)
        const refunded = amounts.map(() => 0)
        for (const money of shares) {
          const refund = splitRefund({
            total: money, couponShare: 0, pointsBack: 0, pointValueFen: 1,
            tenders: amounts.map((amount, i) => ({ kind: 'cash' as const, reference: String(i), amount, refunded: refunded[i]! })),
          })
          expect(refund.tenders.reduce((a, t) => a + t.amount, 0)).toBe(money)
          for (const t of refund.tenders) refunded[Number(t.reference)]! += t.amount
          refunded.forEach((r, i) => expect(r).toBeLessThanOrEqual(amounts[i]!))
        }
        expect(refunded).toEqual(amounts)
        expect(sum).toBeGreaterThan(0)
      },
    ))
  })
})

describe('a return reason', () => {
  const at = new Date('2026-03-02T02:00:00.000Z')
  const base = { receiptNo: 'RT1', businessAt: '2026-03-02T01:00:00.000Z', originalReceiptNo: 'S1' }
  it.each([
    [{ reason: 'quality' }, []],
    [{ reason: 'other', reasonNote: '顾客买重了' }, []],
    [{ reason: 'other' }, ['reasonNote']],
    [{ reason: 'other', reasonNote: '  ' }, ['reasonNote']],
    [{ reason: 'because' }, ['reason']],
    [{ reason: 'quality', reasonNote: 'x'.repeat(201) }, ['reasonNote']],
  ])('%j → problems with %j', (extra, fields) => {
    expect(validateReturn({ ...base, ...extra }, at).map((d) => d.field)).toEqual(fields)
  })
})

describe('till settings', () => {
  it.each([
    ['2PPPPPPWWWWWC', null],
    ['2XPPPPPMMMMMC', null],
    ['22PPPPPWWWWWXC', null],
    ['PPPPPPWWWWWWC', 'starts'],
    ['2PPPPPPC', 'W'],
    ['2PPPWWWPPPC', 'one run of P'],
    ['2PPPPPWWWWWMMC', 'W'],
    ['2CPPPPPPWWWWWC', 'C'],
    ['2PPPPWWWWWWWWC', 'at most 6'],
    ['2ppppppwwwwwc', '8 to 18'],
  ])('%s → %s', (layout, problem) => {
    const found = scaleLayoutProblem(layout)
    if (problem === null) expect(found).toBeNull()
    else expect(found).toContain(problem)
  })

  it('takes a limit in fen or none, and refuses the rest', () => {
    expect(checkTillSettings({ returnApprovalAbove: null })).toEqual([])
    expect(checkTillSettings({ returnApprovalAbove: 50_000 })).toEqual([])
    expect(checkTillSettings({ returnApprovalAbove: -1 }).map((d) => d.field)).toEqual(['returnApprovalAbove'])
    expect(checkTillSettings({ returnApprovalAbove: 1.5 }).map((d) => d.field)).toEqual(['returnApprovalAbove'])
  })
})
