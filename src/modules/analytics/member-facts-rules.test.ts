import { describe, expect, it } from 'vitest'
import { addMonths, isInWindow, mergeFacts, monthlyRows, needsWindow, nextFacts, type MemberFacts, type PurchaseFactDelta } from './member-facts-rules.js'

const facts = (over: Partial<MemberFacts> = {}): MemberFacts => ({
  memberId: 'mem_1', firstPurchaseAt: '2026-01-10T02:00:00.000Z', lastPurchaseAt: '2026-02-10T02:00:00.000Z',
  receiptCount: 3, spendTotal: 30_000, pointsEarnedTotal: 300, receiptCount12m: 2, spend12m: 20_000, pointsEarned12m: 200,
  windowMonth: '2026-03', updatedAt: '2026-03-01T00:00:00.000Z', ...over,
})
const sale = (over: Partial<PurchaseFactDelta> = {}): PurchaseFactDelta => ({
  memberId: 'mem_1', businessAt: '2026-03-05T02:00:00.000Z', month: '2026-03', receipts: 1, spend: 5_000, points: 50, ...over,
})
const ctx = { currentMonth: '2026-03', now: '2026-03-05T03:00:00.000Z' }

describe('member facts rules', () => {
  it.each([
    ['2026-03', 0, '2026-03'], ['2026-03', -11, '2025-04'], ['2026-01', -1, '2025-12'], ['2025-12', 1, '2026-01'], ['2026-03', -27, '2023-12'],
  ])('addMonths(%s, %i) is %s', (month, delta, expected) => {
    expect(addMonths(month, delta)).toBe(expected)
  })

  it.each([
    ['2026-03', true], ['2025-04', true], ['2025-03', false], ['2026-04', false],
  ])('month %s is in the window ending 2026-03: %s', (month, expected) => {
    expect(isInWindow(month, '2026-03')).toBe(expected)
  })

  it.each([
    ['no facts yet', undefined, true], ['facts of this month', facts(), false], ['facts of an earlier month', facts({ windowMonth: '2026-02' }), true],
  ])('needs the window summed again with %s', (_, f, expected) => {
    expect(needsWindow(f, '2026-03')).toBe(expected)
  })

  it.each<[string, MemberFacts | undefined, PurchaseFactDelta, Partial<MemberFacts>]>([
    ['a first sale starts the facts from the window', undefined, sale(),
      { firstPurchaseAt: '2026-03-05T02:00:00.000Z', lastPurchaseAt: '2026-03-05T02:00:00.000Z', receiptCount: 1, spendTotal: 5_000, pointsEarnedTotal: 50, receiptCount12m: 2, spend12m: 6_000, pointsEarned12m: 60 }],
    ['a first return counts no receipt and no purchase time', undefined, sale({ receipts: 0, spend: -5_000, points: -50 }),
      { firstPurchaseAt: null, lastPurchaseAt: null, receiptCount: 0, spendTotal: -5_000, pointsEarnedTotal: -50, receiptCount12m: 1, spend12m: -4_000, pointsEarned12m: -40 }],
    ['a sale adds to this month’s window', facts(), sale(),
      { lastPurchaseAt: '2026-03-05T02:00:00.000Z', receiptCount: 4, spendTotal: 35_000, pointsEarnedTotal: 350, receiptCount12m: 3, spend12m: 25_000, pointsEarned12m: 250 }],
    ['an earlier sale moves the first purchase back', facts(), sale({ businessAt: '2025-12-01T02:00:00.000Z', month: '2025-12' }),
      { firstPurchaseAt: '2025-12-01T02:00:00.000Z', lastPurchaseAt: '2026-02-10T02:00:00.000Z', receiptCount12m: 3, spend12m: 25_000 }],
    ['a sale older than the window adds to the totals only', facts(), sale({ businessAt: '2025-03-01T02:00:00.000Z', month: '2025-03' }),
      { firstPurchaseAt: '2025-03-01T02:00:00.000Z', receiptCount: 4, spendTotal: 35_000, receiptCount12m: 2, spend12m: 20_000, pointsEarned12m: 200 }],
    ['a return takes off spend and points, not receipts', facts(), sale({ receipts: 0, spend: -2_000, points: -20 }),
      { lastPurchaseAt: '2026-02-10T02:00:00.000Z', receiptCount: 3, spendTotal: 28_000, pointsEarnedTotal: 280, receiptCount12m: 2, spend12m: 18_000, pointsEarned12m: 180 }],
    ['after the month turned the window is summed again', facts({ windowMonth: '2026-02' }), sale(),
      { receiptCount: 4, receiptCount12m: 2, spend12m: 6_000, pointsEarned12m: 60, windowMonth: '2026-03' }],
  ])('%s', (_, before, delta, expected) => {
    const next = nextFacts(before, delta, { ...ctx, windowBefore: { receipts: 1, spend: 1_000, points: 10 } })
    expect(next).toMatchObject({ ...expected, memberId: 'mem_1', windowMonth: '2026-03', updatedAt: ctx.now })
  })

  it('refuses to guess a window it was not given', () => {
    expect(() => nextFacts(undefined, sale(), ctx)).toThrow(/window/)
  })

  it('adds the deltas up by member and month', () => {
    expect(monthlyRows([sale(), sale({ receipts: 0, spend: -1_000, points: -10 }), sale({ month: '2026-02' }), sale({ memberId: 'mem_2' })])).toEqual([
      { member_id: 'mem_1', month: '2026-03', receipt_count: 1, spend: 4_000, points_earned: 40 },
      { member_id: 'mem_1', month: '2026-02', receipt_count: 1, spend: 5_000, points_earned: 50 },
      { member_id: 'mem_2', month: '2026-03', receipt_count: 1, spend: 5_000, points_earned: 50 },
    ])
  })

  it.each<[string, MemberFacts | undefined, Partial<MemberFacts>]>([
    ['into a survivor without facts', undefined, { firstPurchaseAt: '2026-01-10T02:00:00.000Z', receiptCount: 3, spendTotal: 30_000 }],
    ['into a survivor with facts', facts({ memberId: 'mem_2', firstPurchaseAt: '2025-06-01T00:00:00.000Z', lastPurchaseAt: '2026-01-01T00:00:00.000Z', receiptCount: 1, spendTotal: 1_000, pointsEarnedTotal: 10 }),
      { firstPurchaseAt: '2025-06-01T00:00:00.000Z', lastPurchaseAt: '2026-02-10T02:00:00.000Z', receiptCount: 4, spendTotal: 31_000, pointsEarnedTotal: 310 }],
  ])('merges facts %s, with the window summed from the merged months', (_, into, expected) => {
    const merged = mergeFacts(facts({ memberId: 'mem_2' }), into, { ...ctx, window: { receipts: 9, spend: 90, points: 9 } })
    expect(merged).toMatchObject({ ...expected, memberId: 'mem_2', receiptCount12m: 9, spend12m: 90, pointsEarned12m: 9, windowMonth: '2026-03' })
  })
})
