import { describe, expect, it } from 'vitest'
import { bracketFor, rebateFor, validateProgramme, type ProgrammeInput, type RebateRules } from './rebate-rules.js'

const brackets = [
  { min: 100_000, rateBp: 100, fixed: 0 },
  { min: 500_000, rateBp: 200, fixed: 1_000 },
  { min: 1_000_000, rateBp: 300, fixed: 5_000 },
]
const spendCoupon: RebateRules = { basis: 'spend', reward: 'coupon', brackets, tierRates: null, minRebate: 0 }

describe('bracketFor', () => {
  it.each([
    [99_999, null],
    [100_000, 100_000],
    [499_999, 100_000],
    [500_000, 500_000],
    [5_000_000, 1_000_000],
  ])('a basis of %i falls in the bracket from %s', (basis, min) => {
    expect(bracketFor(brackets, basis)?.min ?? null).toBe(min)
  })
})

describe('rebateFor', () => {
  it.each([
    ['below every bracket', spendCoupon, 99_999, null, 1, 0],
    ['1% of ¥1,000 as fen', spendCoupon, 100_000, null, 1, 1_000],
    ['rounds down', spendCoupon, 100_099, null, 1, 1_000],
    ['fixed part plus 2%', spendCoupon, 600_000, null, 1, 1_000 + 12_000],
    ['top bracket', spendCoupon, 2_000_000, null, 1, 5_000 + 60_000],
    ['nothing for a net return', spendCoupon, -5_000, null, 1, 0],
    ['a tier rate replaces the bracket rate, keeps the fixed part', { ...spendCoupon, tierRates: { gold: 500 } }, 600_000, 'gold', 1, 1_000 + 30_000],
    ['another tier keeps the bracket rate', { ...spendCoupon, tierRates: { gold: 500 } }, 600_000, 'silver', 1, 13_000],
    ['tier rates alone', { ...spendCoupon, brackets: [], tierRates: { gold: 500 } }, 600_000, 'gold', 1, 30_000],
    ['tier rates alone, a tier without a rate', { ...spendCoupon, brackets: [], tierRates: { gold: 500 } }, 600_000, 'regular', 1, 0],
    ['spend in points: fen per point 1', { ...spendCoupon, reward: 'points' as const }, 100_000, null, 1, 1_000],
    ['spend in points: a point worth 2 fen', { ...spendCoupon, reward: 'points' as const }, 100_000, null, 2, 500],
    ['points as a coupon: a point worth 2 fen', { ...spendCoupon, basis: 'points' as const }, 100_000, null, 2, 2_000],
    ['points in points', { ...spendCoupon, basis: 'points' as const, reward: 'points' as const }, 100_000, null, 2, 1_000],
    ['below the minimum', { ...spendCoupon, minRebate: 1_001 }, 100_000, null, 1, 0],
    ['at the minimum', { ...spendCoupon, minRebate: 1_000 }, 100_000, null, 1, 1_000],
    ['a zero rate gives nothing', { ...spendCoupon, brackets: [{ min: 0, rateBp: 0, fixed: 0 }] }, 100_000, null, 1, 0],
  ] as const)('%s', (_name, rules, basis, tier, pointValueFen, expected) => {
    expect(rebateFor(rules as RebateRules, basis, tier, pointValueFen)).toBe(expected)
  })

  it('stays exact past 2^53 in the intermediate product', () => {
    const rules: RebateRules = { basis: 'points', reward: 'coupon', brackets: [{ min: 0, rateBp: 9_999, fixed: 0 }], tierRates: null, minRebate: 0 }
    // 1e11 points × 9999 × 10000 fen = 9.999e18 before the division: beyond a double's integers.
    expect(rebateFor(rules, 100_000_000_000, null, 10_000)).toBe(999_900_000_000_000)
  })
})

describe('validateProgramme', () => {
  const good: ProgrammeInput = {
    name: '2025 年终返利', periodFrom: '2025-01-01', periodTo: '2025-12-31', basis: 'spend', brackets, reward: 'points', minRebate: 0,
  }
  const tiers = ['regular', 'silver', 'gold']
  const fields = (input: Partial<ProgrammeInput>) => validateProgramme({ ...good, ...input } as ProgrammeInput, tiers).map((d) => d.field)

  it('accepts good terms', () => expect(validateProgramme(good, tiers)).toEqual([]))

  it.each([
    ['a blank name', { name: '  ' }, ['name']],
    ['an impossible date', { periodFrom: '2025-02-30' }, ['periodFrom']],
    ['a period ending before it starts', { periodTo: '2024-12-31' }, ['periodTo']],
    ['a period over two years', { periodTo: '2027-01-05' }, ['periodTo']],
    ['brackets out of order', { brackets: [brackets[1]!, brackets[0]!] }, ['brackets.1.min']],
    ['a repeated minimum', { brackets: [brackets[0]!, { ...brackets[0]!, rateBp: 200 }] }, ['brackets.1.min']],
    ['a rate above 100%', { brackets: [{ min: 0, rateBp: 10_001, fixed: 0 }] }, ['brackets.0.rateBp']],
    ['a negative fixed part', { brackets: [{ min: 0, rateBp: 1, fixed: -1 }] }, ['brackets.0.fixed']],
    ['a fractional minimum', { brackets: [{ min: 0.5, rateBp: 1, fixed: 0 }] }, ['brackets.0.min']],
    ['no brackets and no tier rates', { brackets: [], tierRates: {} }, ['brackets']],
    ['a rate for an unknown tier', { tierRates: { platinum: 100 } }, ['tierRates.platinum']],
    ['a tier rate above 100%', { tierRates: { gold: 20_000 } }, ['tierRates.gold']],
    ['a coupon reward without a template', { reward: 'coupon' }, ['couponTemplateId']],
    ['a points reward naming a template', { couponTemplateId: 'tpl_1' }, ['couponTemplateId']],
    ['a negative minimum', { minRebate: -1 }, ['minRebate']],
    ['a fixed part more points than an entry holds', { brackets: [{ min: 0, rateBp: 1, fixed: 10_000_001 }] }, ['brackets.0.fixed']],
    ['a minimum above the most one member can get', { minRebate: 1e12 }, ['minRebate']],
    ['a fixed coupon part above ¥1,000,000', { reward: 'coupon', couponTemplateId: 'tpl_1', brackets: [{ min: 0, rateBp: 1, fixed: 100_000_001 }] }, ['brackets.0.fixed']],
    ['an unknown basis', { basis: 'visits' as never }, ['basis']],
  ] as const)('refuses %s', (_name, input, expected) => {
    expect(fields(input as Partial<ProgrammeInput>)).toEqual(expected)
  })

  it('takes a coupon fixed part in fen above the points limit', () => {
    expect(validateProgramme({ ...good, reward: 'coupon', couponTemplateId: 'tpl_1', brackets: [{ min: 0, rateBp: 1, fixed: 20_000_000 }] }, tiers)).toEqual([])
  })

  it('accepts tier rates without brackets', () => {
    expect(validateProgramme({ ...good, brackets: [], tierRates: { gold: 300 } }, tiers)).toEqual([])
  })
})
