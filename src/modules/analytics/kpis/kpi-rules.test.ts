import { describe, expect, it } from 'vitest'
import { EMPTY_SUMS, boundariesOf, changeOf, comparisonsOf, figuresOf, periodOf, spanOf, periodsBetween, periodsNeeded, previousPeriod, rangesOf, sameLastYear } from './kpi-rules.js'

describe('periods', () => {
  it.each([
    ['day', '2026-03-05', { key: '2026-03-05', from: '2026-03-05', to: '2026-03-05' }],
    ['week', '2026-03-05', { key: '2026-W10', from: '2026-03-02', to: '2026-03-08' }],
    ['week', '2027-01-01', { key: '2026-W53', from: '2026-12-28', to: '2027-01-03' }],
    ['week', '2026-01-01', { key: '2026-W01', from: '2025-12-29', to: '2026-01-04' }],
    ['month', '2024-02-10', { key: '2024-02', from: '2024-02-01', to: '2024-02-29' }],
    ['year', '2026-07-01', { key: '2026', from: '2026-01-01', to: '2026-12-31' }],
    ['quarter', '2026-01-01', { key: '2026-Q1', from: '2026-01-01', to: '2026-03-31' }],
    ['quarter', '2024-05-31', { key: '2024-Q2', from: '2024-04-01', to: '2024-06-30' }],
    ['quarter', '2026-09-30', { key: '2026-Q3', from: '2026-07-01', to: '2026-09-30' }],
    ['quarter', '2026-12-04', { key: '2026-Q4', from: '2026-10-01', to: '2026-12-31' }],
  ] as const)('a %s holding %s', (grain, date, period) => {
    expect(periodOf(grain, date)).toEqual(period)
  })

  it.each([
    ['day', '2024-02-29', '2024-02-28', '2023-02-28'],
    ['week', '2026-03-02', '2026-02-23', '2025-03-03'],
    ['month', '2026-01-15', '2025-12-01', '2025-01-01'],
    ['quarter', '2026-02-10', '2025-10-01', '2025-01-01'],
    ['quarter', '2026-11-10', '2026-07-01', '2025-10-01'],
    ['year', '2026-11-10', '2025-01-01', '2025-01-01'],
  ] as const)('the %s of %s: 环比 from %s, 同比 from %s', (grain, date, prev, ly) => {
    const p = periodOf(grain, date)
    expect(previousPeriod(grain, p).from).toBe(prev)
    expect(sameLastYear(grain, p).from).toBe(ly)
  })

  it('lists the periods overlapping a range and what their comparisons need', () => {
    const months = periodsBetween('month', '2026-02-15', '2026-03-02')
    expect(months.map((p) => p.key)).toEqual(['2026-02', '2026-03'])
    const needed = periodsNeeded('month', months)
    expect(needed.map((p) => p.key)).toEqual(['2025-01', '2025-02', '2025-03', '2025-12', '2026-01', '2026-02', '2026-03'])
    expect(rangesOf(needed)).toEqual([{ from: '2025-01-01', until: '2025-04-01' }, { from: '2025-12-01', until: '2026-04-01' }])
    expect(boundariesOf(needed)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'])
  })
})

describe('a partial period compares like for like', () => {
  it.each([
    // grain, today, days, 环比 base, 同比 base
    ['month', '2026-12-04', 4, ['2026-11/4', '2026-11-01', '2026-11-04'], ['2025-12/4', '2025-12-01', '2025-12-04']],
    ['month', '2026-03-31', 31, ['2026-02', '2026-02-01', '2026-02-28'], ['2025-03', '2025-03-01', '2025-03-31']],
    ['month', '2028-03-29', 29, ['2028-02', '2028-02-01', '2028-02-29'], ['2027-03/29', '2027-03-01', '2027-03-29']],
    ['month', '2029-02-28', 28, ['2029-01/28', '2029-01-01', '2029-01-28'], ['2028-02/28', '2028-02-01', '2028-02-28']],
    ['week', '2026-12-04', 5, ['2026-W48/5', '2026-11-23', '2026-11-27'], ['2025-W49/5', '2025-12-01', '2025-12-05']],
    ['quarter', '2026-12-04', 65, ['2026-Q3/65', '2026-07-01', '2026-09-03'], ['2025-Q4/65', '2025-10-01', '2025-12-04']],
    ['quarter', '2028-03-31', 91, ['2027-Q4/91', '2027-10-01', '2027-12-30'], ['2027-Q1', '2027-01-01', '2027-03-31']],
    ['year', '2028-02-29', 60, ['2027/60', '2027-01-01', '2027-03-01'], ['2027/60', '2027-01-01', '2027-03-01']],
    ['year', '2028-12-31', 366, ['2027', '2027-01-01', '2027-12-31'], ['2027', '2027-01-01', '2027-12-31']],
    ['day', '2026-12-04', 1, ['2026-12-03', '2026-12-03', '2026-12-03'], ['2025-12-04', '2025-12-04', '2025-12-04']],
  ] as const)('a %s on %s: %s days, against %j and %j', (grain, today, days, previous, lastYear) => {
    const span = spanOf(periodOf(grain, today), today)
    expect(span).toMatchObject({ partial: true, days, through: today })
    const c = comparisonsOf(grain, span)
    expect([c.previous.key, c.previous.from, c.previous.to]).toEqual(previous)
    expect([c.lastYear.key, c.lastYear.from, c.lastYear.to]).toEqual(lastYear)
  })

  it('leaves a whole period whole', () => {
    const span = spanOf(periodOf('month', '2026-11-10'), '2026-12-04')
    expect(span).toMatchObject({ partial: false, days: 30, through: '2026-11-30' })
    expect(comparisonsOf('month', span)).toEqual({ previous: periodOf('month', '2026-10-01'), lastYear: periodOf('month', '2025-11-01') })
  })
})

describe('figures', () => {
  it('derives the ratios from the sums, with none where there is nothing to divide by', () => {
    const f = figuresOf(
      { ...EMPTY_SUMS, activeMembers: 4, retainedMembers: 3, repeatMembers: 1, netSales: 10_000, memberNetSales: 7_500, memberSaleReceipts: 6, nonMemberSaleReceipts: 1, couponsIssued: 4, couponsRedeemed: 1 },
      { ...EMPTY_SUMS, activeMembers: 5 },
    )
    expect(f).toMatchObject({
      memberSalesShare: 0.75, avgTicketMember: 1_250, avgTicketNonMember: 2_500, purchaseFrequency: 1.5, repurchaseRate: 0.25,
      churnRate: 0.4, retentionRate: 0.6, couponRedemptionRate: 0.25,
    })
    expect(figuresOf(EMPTY_SUMS, null)).toMatchObject({ memberSalesShare: null, avgTicketMember: null, purchaseFrequency: null, repurchaseRate: null, churnRate: null, retentionRate: null })
  })

  it.each([
    [110, 100, 0.1], [90, 100, -0.1], [5, 0, null], [null, 4, null], [-50, -100, 0.5],
  ])('changes from %s to %s by %s', (now, before, change) => {
    expect(changeOf(now, before)).toBe(change)
  })
})

describe('periodsBetween past the last four-digit year', () => {
  it('ends at 9999-12-31 instead of looping', () => {
    expect(periodsBetween('quarter', '9999-10-01', '9999-12-31').map((p) => p.key)).toEqual(['9999-Q4'])
    expect(periodsBetween('month', '9999-11-15', '9999-12-31').map((p) => p.key)).toEqual(['9999-11', '9999-12'])
    expect(periodsBetween('day', '9999-12-30', '9999-12-31')).toHaveLength(2)
    expect(periodsBetween('year', '9998-06-01', '9999-12-31').map((p) => p.key)).toEqual(['9998', '9999'])
  })
})
