import { describe, expect, it } from 'vitest'
import { expiresOn, policyFieldName, toPolicy, toPolicyValues } from './policy.js'
import type { Policy } from './types.js'

const policy: Policy = {
  pointValueFen: 1, maxPointsPaymentPct: 50, expiry: { mode: 'calendar_years', years: 1 }, expiringNoticeDays: 30, tierBasis: 'spend', tierGraceDays: 30,
}

describe('the policy form', () => {
  it('round-trips a policy, whichever expiry mode', () => {
    expect(toPolicy(toPolicyValues(policy))).toEqual(policy)
    const rolling: Policy = { ...policy, expiry: { mode: 'rolling_months', months: 18 } }
    expect(toPolicy(toPolicyValues(rolling))).toEqual(rolling)
  })

  it('sends only the chosen mode\'s number', () => {
    expect(toPolicy({ ...toPolicyValues(policy), expiryMode: 'rolling_months', months: 6 }).expiry).toEqual({ mode: 'rolling_months', months: 6 })
  })

  it.each([
    [{ mode: 'calendar_years', years: 1 }, '2026-03-15', '2027-12-31'],
    [{ mode: 'calendar_years', years: 0 }, '2026-03-15', '2026-12-31'],
    [{ mode: 'rolling_months', months: 12 }, '2026-03-15', '2027-03-31'],
    [{ mode: 'rolling_months', months: 11 }, '2026-03-15', '2027-02-28'],
    [{ mode: 'rolling_months', months: 1 }, '2026-12-01', '2027-01-31'],
  ] as const)('%j earned on %s expires on %s', (expiry, date, end) => {
    expect(expiresOn(expiry, date)).toBe(end)
  })

  it('puts the expiry error on the number shown', () => {
    expect(policyFieldName('expiry', 'calendar_years')).toBe('years')
    expect(policyFieldName('expiry', 'rolling_months')).toBe('months')
    expect(policyFieldName('tierGraceDays', 'rolling_months')).toBe('tierGraceDays')
    expect(policyFieldName('nope', 'rolling_months')).toBeNull()
  })
})
