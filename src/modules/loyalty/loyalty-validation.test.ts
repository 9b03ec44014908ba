import { describe, expect, it } from 'vitest'
import { validatePolicy, validateRuleDefinition, validateTiers } from './loyalty-validation.js'
import type { LoyaltyPolicy, RuleDefinition, Tier } from './loyalty.types.js'

const rule = (definition: Partial<RuleDefinition> & Pick<RuleDefinition, 'kind'>, extra: { validFrom?: string; validTo?: string | null } = {}) => {
  const base = { base: { fenPerPoint: 100, rounding: 'floor', excludeTenders: [] }, multiplier: { factor: 2 }, birthday: { factor: 2 }, cap: { perDay: 1000 } }[definition.kind]
  return { name: '规则', definition: { ...base, ...definition } as RuleDefinition, validFrom: extra.validFrom ?? '2026-03-01T00:00:00Z', validTo: extra.validTo ?? null }
}
const fieldsOf = (input: ReturnType<typeof rule>) => validateRuleDefinition(input).map((d) => d.field)

describe('validateRuleDefinition', () => {
  it.each([
    ['1 point per ¥1', rule({ kind: 'base', fenPerPoint: 100 })],
    ['100 points per ¥1 (1 fen a point)', rule({ kind: 'base', fenPerPoint: 1 })],
    ['1 point per ¥2.50', rule({ kind: 'base', fenPerPoint: 250 })],
    ['half points', rule({ kind: 'multiplier', factor: 0.5 })],
    ['a cap of 0', rule({ kind: 'cap', perReceipt: 0 })],
    ['an end after the start', rule({ kind: 'birthday' }, { validTo: '2026-12-31T15:59:59.999Z' })],
  ])('accepts %s', (_label, input) => {
    expect(validateRuleDefinition(input)).toEqual([])
  })

  it.each([
    ['1e-300 fen a point (every sale then failed)', rule({ kind: 'base', fenPerPoint: 1e-300 }), 'definition.fenPerPoint'],
    ['half a fen a point', rule({ kind: 'base', fenPerPoint: 0.5 }), 'definition.fenPerPoint'],
    ['0 fen a point', rule({ kind: 'base', fenPerPoint: 0 }), 'definition.fenPerPoint'],
    ['Infinity fen a point', rule({ kind: 'base', fenPerPoint: Infinity }), 'definition.fenPerPoint'],
    ['NaN fen a point', rule({ kind: 'base', fenPerPoint: NaN }), 'definition.fenPerPoint'],
    ['more than ¥10,000 a point', rule({ kind: 'base', fenPerPoint: 1_000_001 }), 'definition.fenPerPoint'],
    ['a factor of 101', rule({ kind: 'multiplier', factor: 101 }), 'definition.factor'],
    ['a factor of 0', rule({ kind: 'birthday', factor: 0 }), 'definition.factor'],
    ['a cap of 1e308', rule({ kind: 'cap', perDay: 1e308 }), 'definition.perDay'],
    ['a fractional cap', rule({ kind: 'cap', perReceipt: 1.5 }), 'definition.perReceipt'],
    ['a leap-second start', rule({ kind: 'birthday' }, { validFrom: '2026-12-31T23:59:60Z' }), 'validFrom'],
    ['a 30th of February start', rule({ kind: 'birthday' }, { validFrom: '2026-02-30T00:00:00Z' }), 'validFrom'],
    ['a leap-second end', rule({ kind: 'birthday' }, { validTo: '2026-12-31T23:59:60Z' }), 'validTo'],
    ['a 31st of April end', rule({ kind: 'birthday' }, { validTo: '2026-04-31T00:00:00Z' }), 'validTo'],
  ])('refuses %s, naming the field', (_label, input, field) => {
    expect(fieldsOf(input)).toEqual([field])
  })
})

const tier = (t: Partial<Tier>): Tier => ({ code: 'regular', name: '普卡', rank: 0, threshold: 0, earnFactorPct: 100, memberPrices: false, ...t })

describe('validateTiers', () => {
  it('accepts a ladder', () => {
    expect(validateTiers([tier({}), tier({ code: 'gold', name: '金卡', rank: 1, threshold: 500_000, earnFactorPct: 150 })])).toEqual([])
  })

  it.each([
    ['a rank past what the column holds', tier({ rank: 2 ** 40 }), 'tiers[0].rank'],
    ['a rank of 1e308', tier({ rank: 1e308 }), 'tiers[0].rank'],
    ['a negative rank', tier({ rank: -1 }), 'tiers[0].rank'],
    ['an earn factor of 1001%', tier({ earnFactorPct: 1001 }), 'tiers[0].earnFactorPct'],
  ])('refuses %s', (_label, t, field) => {
    expect(validateTiers([t]).map((d) => d.field)).toContain(field)
  })
})

describe('validatePolicy', () => {
  const good: LoyaltyPolicy = { pointValueFen: 1, maxPointsPaymentPct: 50, expiry: { mode: 'calendar_years', years: 1 }, expiringNoticeDays: 30, tierBasis: 'spend', tierGraceDays: 30 }

  it('accepts the default terms', () => expect(validatePolicy(good)).toEqual([]))

  it.each([
    ['a point worth 0.5 fen', { pointValueFen: 0.5 }, 'pointValueFen'],
    ['a point worth 1e308 fen', { pointValueFen: 1e308 }, 'pointValueFen'],
    ['points paying 101%', { maxPointsPaymentPct: 101 }, 'maxPointsPaymentPct'],
    ['points kept 1e9 months', { expiry: { mode: 'rolling_months', months: 1e9 } }, 'expiry'],
    ['a notice 1e308 days ahead', { expiringNoticeDays: 1e308 }, 'expiringNoticeDays'],
  ] as const)('refuses %s', (_label, patch, field) => {
    expect(validatePolicy({ ...good, ...patch } as LoyaltyPolicy).map((d) => d.field)).toEqual([field])
  })
})
