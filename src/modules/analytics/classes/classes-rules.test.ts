import { describe, expect, it } from 'vitest'
import {
  cutsFromLeast, deriveLifecycleDays, effectiveLifecycleDays, levelOf, lifecycleOf, quadrantOf, rankScores, recencyCutsFromMost, rfmClassOf,
  scoreByRank, scoreRecency, scoreUp,
} from './classes-rules.js'
import { checkSettings, DEFAULT_INSIGHT_SETTINGS, mergeSettings, type InsightSettings } from './classes-settings.js'
import { INCOME_BANDS, type IncomeBand } from '../../members/index.js'

describe('quantile scores: RANK, equal values share the first rank', () => {
  it.each([
    [1, 10, 5, 1], [2, 10, 5, 1], [3, 10, 5, 2], [10, 10, 5, 5], [1, 1, 5, 1], [4, 7, 5, 3], [7, 7, 5, 5], [5, 9, 3, 2],
  ])('rank %i of %i into %i → %i', (rank, n, k, score) => {
    expect(scoreByRank(rank, n, k)).toBe(score)
  })

  it.each([
    ['distinct values', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], false, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]],
    ['ties share the score of their first rank', [1, 1, 1, 1, 1, 1, 2, 3, 3, 9], false, [1, 1, 1, 1, 1, 1, 4, 4, 4, 5]],
    ['everyone equal: all 1', [5, 5, 5, 5], false, [1, 1, 1, 1]],
    ['recency: fewer days score higher', [1, 10, 100, 1000, 5], true, [5, 3, 2, 1, 4]],
  ] as const)('%s', (_name, values, descending, expected) => {
    expect(rankScores(values, 5, descending)).toEqual(expected)
  })

  it.each([
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100]],
    [[1, 1, 1, 1, 1, 1, 2, 3, 3, 9]],
    [[5, 5, 5, 5]],
    [[3, 8, 8, 8, 1, 2, 40, 40, 7, 7, 7, 7, 12]],
  ])('cut points from the least value of each score reproduce the ranked scores: %j', (values) => {
    const scores = rankScores(values, 5)
    const least = new Map<number, number>()
    values.forEach((v, i) => least.set(scores[i]!, Math.min(least.get(scores[i]!) ?? Infinity, v)))
    const cuts = cutsFromLeast(least, Math.max(...values))
    expect(values.map((v) => scoreUp(v, cuts))).toEqual(scores)
  })

  it.each([
    [[0, 3, 3, 10, 30, 60, 90, 200, 365, 365]],
    [[7, 7, 7, 7]],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
  ])('recency cut points reproduce the ranked R scores: %j', (days) => {
    const scores = rankScores(days, 5, true)
    const most = new Map<number, number>()
    days.forEach((d, i) => most.set(scores[i]!, Math.max(most.get(scores[i]!) ?? -Infinity, d)))
    const cuts = recencyCutsFromMost(most, Math.min(...days))
    expect(days.map((d) => scoreRecency(d, cuts))).toEqual(scores)
  })
})

describe('fixed cut points', () => {
  it.each([
    [0, 5], [7, 5], [8, 4], [30, 4], [31, 3], [90, 3], [91, 2], [180, 2], [181, 1],
  ])('R: %i days → %i (cuts 7/30/90/180)', (days, score) => {
    expect(scoreRecency(days, [7, 30, 90, 180])).toBe(score)
  })
  it.each([[1, 1], [2, 2], [3, 2], [4, 3], [8, 4], [12, 5], [100, 5]])('F: %i receipts → %i (cuts 2/4/8/12)', (f, score) => {
    expect(scoreUp(f, [2, 4, 8, 12])).toBe(score)
  })
})

describe('the eight classes: each score high when at or above its average', () => {
  const avg = { r: 3, f: 2.4, m: 3.1 }
  it.each([
    [5, 5, 5, 'important_value'], [3, 2, 4, 'important_develop'], [2, 3, 4, 'important_keep'], [1, 1, 5, 'important_retain'],
    [4, 3, 3, 'general_value'], [3, 1, 1, 'general_develop'], [1, 5, 2, 'general_keep'], [2, 2, 3, 'general_retain'],
  ] as const)('R %i F %i M %i → %s', (r, f, m, cls) => {
    expect(rfmClassOf(r, f, m, avg)).toBe(cls)
  })
})

describe('value quadrants', () => {
  const rank = (b: IncomeBand) => INCOME_BANDS.indexOf(b)
  const t = { incomeRank: rank('8k_12k'), spend: 100_000 }
  it.each([
    ['12k_20k', 150_000, 'core'], ['8k_12k', 100_000, 'core'], ['3k_5k', 200_000, 'develop'], ['20k_plus', 0, 'potential'],
    ['below_3k', 99_999, 'abandon'], [null, 1_000_000, 'unknown'],
  ] as const)('%s spending %i → %s', (band, spend, q) => {
    expect(quadrantOf(band, spend, t, rank)).toBe(q)
  })
})

describe('frequency and amount levels', () => {
  it.each([[1, 'low'], [3, 'mid'], [5, 'mid'], [6, 'high'], [40, 'high']] as const)('%i with mid 3, high 6 → %s', (v, level) => {
    expect(levelOf(v, { mid: 3, high: 6 })).toBe(level)
  })
})

describe('lifecycle stages (new 30, dormant 60, lost 120)', () => {
  const days = { newDays: 30, dormantDays: 60, lostDays: 120 }
  it.each([
    ['registered today, never bought', { registeredDaysAgo: 0, firstPurchaseDaysAgo: null, recencyDays: null, lastReturnDaysAgo: null }, 'new'],
    ['registered 29 days ago', { registeredDaysAgo: 29, firstPurchaseDaysAgo: null, recencyDays: null, lastReturnDaysAgo: null }, 'new'],
    ['registered 30 days ago, never bought', { registeredDaysAgo: 30, firstPurchaseDaysAgo: null, recencyDays: null, lastReturnDaysAgo: null }, 'prospect'],
    ['first purchase 10 days ago', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 10, recencyDays: 2, lastReturnDaysAgo: null }, 'new'],
    ['bought 59 days ago', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 300, recencyDays: 59, lastReturnDaysAgo: null }, 'active'],
    ['bought 60 days ago', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 300, recencyDays: 60, lastReturnDaysAgo: null }, 'dormant'],
    ['bought 119 days ago', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 300, recencyDays: 119, lastReturnDaysAgo: null }, 'dormant'],
    ['bought 120 days ago', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 300, recencyDays: 120, lastReturnDaysAgo: null }, 'lost'],
    ['came back 5 days ago after a long gap', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 300, recencyDays: 5, lastReturnDaysAgo: 5 }, 'returning'],
    ['came back 30 days ago: active again', { registeredDaysAgo: 400, firstPurchaseDaysAgo: 300, recencyDays: 3, lastReturnDaysAgo: 30 }, 'active'],
  ] as const)('%s → %s', (_name, facts, stage) => {
    expect(lifecycleOf(facts, days)).toBe(stage)
  })

  it.each([
    ['too few members: the fixed defaults', { members: 5, p50: 10, p80: 20 }, { newDays: 30, dormantDays: 90, lostDays: 180 }],
    ['weekly shoppers', { members: 500, p50: 6.5, p80: 21.2 }, { newDays: 7, dormantDays: 22, lostDays: 44 }],
    ['monthly shoppers', { members: 500, p50: 28, p80: 45 }, { newDays: 28, dormantDays: 45, lostDays: 90 }],
    ['daily shoppers: dormant at least 14 days', { members: 500, p50: 1, p80: 2 }, { newDays: 7, dormantDays: 14, lostDays: 28 }],
    ['rare shoppers: dormant at most 365 days', { members: 500, p50: 300, p80: 500 }, { newDays: 300, dormantDays: 365, lostDays: 730 }],
  ] as const)('derived days: %s', (_name, stats, expected) => {
    expect(deriveLifecycleDays(stats)).toEqual(expected)
  })

  it.each([
    ['nothing set: derived', { newDays: null, dormantDays: null, lostDays: null }, { newDays: 20, dormantDays: 40, lostDays: 80 }],
    ['dormant set: lost twice that', { newDays: null, dormantDays: 100, lostDays: null }, { newDays: 20, dormantDays: 100, lostDays: 200 }],
    ['lost set below the derived dormant: dormant just under it', { newDays: null, dormantDays: null, lostDays: 30 }, { newDays: 20, dormantDays: 29, lostDays: 30 }],
    ['all set', { newDays: 10, dormantDays: 50, lostDays: 70 }, { newDays: 10, dormantDays: 50, lostDays: 70 }],
  ] as const)('days in force: %s', (_name, set, expected) => {
    expect(effectiveLifecycleDays(set, { newDays: 20, dormantDays: 40, lostDays: 80 })).toEqual(expected)
  })
})

describe('settings validation', () => {
  const s = (patch: Partial<InsightSettings>) => mergeSettings(DEFAULT_INSIGHT_SETTINGS, patch)
  it('accepts the defaults', () => {
    expect(checkSettings(DEFAULT_INSIGHT_SETTINGS)).toEqual([])
  })
  it.each([
    ['a window of -3 days', s({ windowDays: -3 }), 'windowDays'],
    ['fixed RFM without cut points', s({ rfm: { method: 'fixed', fixed: null } }), 'rfm.fixed'],
    ['R cut points out of order', s({ rfm: { method: 'fixed', fixed: { r: [30, 7, 90, 180], f: [2, 4, 8, 12], m: [1, 2, 3, 4] } } }), 'rfm.fixed.r.1'],
    ['M cut points repeated', s({ rfm: { method: 'fixed', fixed: { r: [7, 30, 90, 180], f: [2, 4, 8, 12], m: [1, 2, 2, 4] } } }), 'rfm.fixed.m.2'],
    ['an unknown income band', s({ quadrant: { incomeThreshold: '50k_plus' as IncomeBand, spendThreshold: null } }), 'quadrant.incomeThreshold'],
    ['a negative spend threshold', s({ quadrant: { incomeThreshold: null, spendThreshold: -1 } }), 'quadrant.spendThreshold'],
    ['frequency high below mid', s({ frequency: { method: 'fixed', mid: 6, high: 3 } }), 'frequency.high'],
    ['fixed amount without thresholds', s({ amount: { method: 'fixed', mid: null, high: null } }), 'amount.mid'],
    ['lost before dormant', s({ lifecycle: { newDays: null, dormantDays: 90, lostDays: 60 } }), 'lifecycle.lostDays'],
    ['new longer than dormant', s({ lifecycle: { newDays: 100, dormantDays: 90, lostDays: 180 } }), 'lifecycle.newDays'],
  ] as const)('refuses %s, naming %s', (_name, settings, field) => {
    expect(checkSettings(settings).map((d) => d.field)).toContain(field)
  })
})
