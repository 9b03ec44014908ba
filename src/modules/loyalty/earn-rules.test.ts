import { describe, expect, it } from 'vitest'
import { apportion, computeEarn, expiresOnFor, isoWeekday, MAX_POINTS_PER_RECEIPT, type EarnInput, type EarnLine } from './earn-rules.js'
import type { EarningRule, RuleDefinition, Tier } from './loyalty.types.js'

let n = 0
const rule = (definition: RuleDefinition, scope: { storeIds?: string[]; regionIds?: string[]; validFrom?: string } = {}): EarningRule => ({
  id: `rul_${++n}`, ruleKey: `k${n}`, version: 1, name: `${definition.kind}-${n}`, kind: definition.kind, definition,
  storeIds: scope.storeIds ?? null, regionIds: scope.regionIds ?? null, validFrom: scope.validFrom ?? '2000-01-01T00:00:00.000Z', validTo: null,
  status: 'active', createdBy: null, createdAt: '2026-01-01T00:00:00.000Z',
})
const base = (fenPerPoint = 100, extra: Partial<Extract<RuleDefinition, { kind: 'base' }>> = {}) =>
  rule({ kind: 'base', fenPerPoint, rounding: 'floor', excludeTenders: ['points', 'coupon'], ...extra })
const line = (amount: number, attrs: Partial<EarnLine> = {}): EarnLine => ({
  amount, sku: 'S', department: '粮油副食', category: null, subcategory: null, brand: null, pointsEligible: true, ...attrs,
})
const gold: Tier = { code: 'gold', name: '金卡', rank: 2, threshold: 1, earnFactorPct: 150, memberPrices: true }
const input = (over: Partial<EarnInput>): EarnInput => ({
  lines: [line(1000)], tenders: [], local: { date: '2026-03-04', weekday: 3 }, store: { id: 'sto_a', regionId: 'reg_e' },
  member: { birthday: null, tier: null }, rules: [base()], earnedToday: 0, ...over,
})

describe('computeEarn', () => {
  it.each([
    ['1 point per yuan, rounded down per receipt', input({ lines: [line(1999), line(1999)] }), 39],
    ['round instead of floor', input({ lines: [line(1950)], rules: [base(100, { rounding: 'round' })] }), 20],
    ['products not eligible earn nothing', input({ lines: [line(1000), line(5000, { pointsEligible: false })] }), 10],
    ['an excluded department earns nothing', input({ lines: [line(1000), line(5000, { department: '烟酒' })], rules: [base(100, { exclude: { departments: ['烟酒'] } })] }), 10],
    ['points paid earn nothing', input({ lines: [line(1000)], tenders: [{ kind: 'points', amount: 400 }, { kind: 'cash', amount: 600 }] }), 6],
    ['no base rule, no points', input({ rules: [] }), 0],
    ['double points on a department', input({ lines: [line(1000, { department: '生鲜' }), line(1000)], rules: [base(), rule({ kind: 'multiplier', factor: 2, match: { departments: ['生鲜'] } })] }), 30],
    ['a weekly member day applies on its weekday', input({ rules: [base(), rule({ kind: 'multiplier', factor: 2, weekdays: [3] })] }), 20],
    ['and not on another day', input({ local: { date: '2026-03-05', weekday: 4 }, rules: [base(), rule({ kind: 'multiplier', factor: 2, weekdays: [3] })] }), 10],
    ['birthday month doubles', input({ member: { birthday: '1990-03-20', tier: null }, rules: [base(), rule({ kind: 'birthday', factor: 2 })] }), 20],
    ['outside the birthday month it does not', input({ member: { birthday: '1990-04-20', tier: null }, rules: [base(), rule({ kind: 'birthday', factor: 2 })] }), 10],
    ['a tier multiplier', input({ member: { birthday: null, tier: gold } }), 15],
    ['multipliers add up', input({ member: { birthday: '1990-03-01', tier: gold }, rules: [base(), rule({ kind: 'birthday', factor: 2 }), rule({ kind: 'multiplier', factor: 3 })] }), 10 + 10 + 20 + 5],
    ['a per-receipt cap', input({ lines: [line(100000)], rules: [base(), rule({ kind: 'cap', perReceipt: 500 })] }), 500],
    ['a per-day cap counts what was earned today', input({ lines: [line(100000)], earnedToday: 900, rules: [base(), rule({ kind: 'cap', perDay: 1000 })] }), 100],
    ['a rule for another store does not apply', input({ rules: [base(), rule({ kind: 'multiplier', factor: 2 }, { storeIds: ['sto_b'] })] }), 10],
    ['a rule for the store\'s region applies', input({ rules: [base(), rule({ kind: 'multiplier', factor: 2 }, { regionIds: ['reg_e'] })] }), 20],
    ['a store\'s own base rule overrides HQ\'s', input({ rules: [base(100), base(50, {}), { ...base(25), storeIds: ['sto_a'] }] }), 40],
    ['the largest rates on the largest receipt stop at the ceiling', input({ lines: [line(10_000_000_000)], member: { birthday: null, tier: { ...gold, earnFactorPct: 1000 } }, rules: [base(1), rule({ kind: 'multiplier', factor: 100 })] }), MAX_POINTS_PER_RECEIPT],
  ])('%s', (_name, given, points) => {
    const result = computeEarn(given)
    expect(result.points).toBe(points)
    expect(result.linePoints.reduce((a, b) => a + b, 0)).toBe(points)
  })

  it('explains which rule gave which points', () => {
    const dbl = rule({ kind: 'multiplier', factor: 2, match: { departments: ['生鲜'] } })
    const b = base()
    const result = computeEarn(input({ lines: [line(1000, { department: '生鲜' }), line(500)], rules: [b, dbl], member: { birthday: null, tier: gold } }))
    expect(result.explanation).toEqual([
      { ruleId: b.id, name: b.name, kind: 'base', points: 15 },
      { ruleId: dbl.id, name: dbl.name, kind: 'multiplier', points: 10 },
      { ruleId: null, name: '金卡', kind: 'tier', points: 7 },
    ])
    expect(result.points).toBe(32)
    expect(result.linePoints).toEqual([25, 7])
  })

  it('says when the ceiling of a receipt took points off', () => {
    const result = computeEarn(input({ lines: [line(2_000_000_000)], rules: [base(100)] }))
    expect(result.points).toBe(MAX_POINTS_PER_RECEIPT)
    expect(result.explanation.at(-1)).toEqual({ ruleId: null, name: '单张小票积分上限', kind: 'cap', points: -10_000_000 })
  })
})

describe('apportion', () => {
  it.each([
    [10, [1, 1, 1], [4, 3, 3]],
    [0, [5, 5], [0, 0]],
    [7, [0, 0], [0, 0]],
    [100, [3, 1], [75, 25]],
  ])('%d over %j', (total, weights, expected) => {
    expect(apportion(total, weights)).toEqual(expected)
  })
})

describe('expiry', () => {
  it.each([
    [{ mode: 'calendar_years', years: 1 } as const, '2026-03-04', '2027-12-31'],
    [{ mode: 'calendar_years', years: 0 } as const, '2026-12-31', '2026-12-31'],
    [{ mode: 'rolling_months', months: 12 } as const, '2026-03-04', '2027-03-31'],
    [{ mode: 'rolling_months', months: 11 } as const, '2026-03-31', '2027-02-28'],
    [{ mode: 'rolling_months', months: 1 } as const, '2027-12-15', '2028-01-31'],
  ])('%j earned %s expires after %s', (policy, date, expected) => {
    expect(expiresOnFor(policy, date)).toBe(expected)
  })

  it('knows the ISO weekday', () => {
    expect([isoWeekday('2026-11-23'), isoWeekday('2026-11-29')]).toEqual([1, 7])
  })
})
