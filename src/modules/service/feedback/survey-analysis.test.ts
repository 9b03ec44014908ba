import { describe, expect, it } from 'vitest'
import { csatOf, meanOf, npsOf, periodOf, scaleCounts, topWords } from './survey-analysis.js'

const counts = (values: number[]) => {
  const m = new Map<number, number>()
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1)
  return [...m].map(([value, count]) => ({ value, count }))
}

describe('CSAT', () => {
  it.each([
    ['none', [], { answers: 0, satisfied: 0, rate: null, mean: null }],
    ['all satisfied', [4, 5, 5], { answers: 3, satisfied: 3, rate: 100, mean: 4.67 }],
    ['a 3 is not satisfied', [3, 4], { answers: 2, satisfied: 1, rate: 50, mean: 3.5 }],
    ['one in three', [1, 2, 5], { answers: 3, satisfied: 1, rate: 33.3, mean: 2.67 }],
    ['two in three rounds up', [1, 4, 5], { answers: 3, satisfied: 2, rate: 66.7, mean: 3.33 }],
  ])('%s', (_name, values, expected) => {
    expect(csatOf(counts(values))).toEqual(expected)
  })
})

describe('NPS', () => {
  it.each([
    ['none', [], { answers: 0, promoters: 0, passives: 0, detractors: 0, promotersPct: null, passivesPct: null, detractorsPct: null, score: null }],
    ['all promoters', [9, 10], { answers: 2, promoters: 2, passives: 0, detractors: 0, promotersPct: 100, passivesPct: 0, detractorsPct: 0, score: 100 }],
    ['6 is a detractor, 7 and 8 passives', [6, 7, 8, 9], { answers: 4, promoters: 1, passives: 2, detractors: 1, promotersPct: 25, passivesPct: 50, detractorsPct: 25, score: 0 }],
    ['all detractors', [0, 3, 6], { answers: 3, promoters: 0, passives: 0, detractors: 3, promotersPct: 0, passivesPct: 0, detractorsPct: 100, score: -100 }],
    ['score from counts, one decimal', [10, 10, 0], { answers: 3, promoters: 2, passives: 0, detractors: 1, promotersPct: 66.7, passivesPct: 0, detractorsPct: 33.3, score: 33.3 }],
  ])('%s', (_name, values, expected) => {
    expect(npsOf(counts(values))).toEqual(expected)
  })
})

describe('periods', () => {
  it.each([
    ['2026-03-02', 'week', '2026-03-02'], // a Monday
    ['2026-03-08', 'week', '2026-03-02'], // the Sunday after
    ['2026-01-01', 'week', '2025-12-29'], // a week across the year
    ['2026-03-31', 'month', '2026-03'],
  ] as const)('%s by %s is %s', (date, period, expected) => {
    expect(periodOf(date, period)).toBe(expected)
  })
})

describe('distributions', () => {
  it('lists every value of a scale with zeros and the mean', () => {
    expect(scaleCounts(counts([1, 5, 5]), 1, 5)).toEqual([{ value: 1, count: 1 }, { value: 2, count: 0 }, { value: 3, count: 0 }, { value: 4, count: 0 }, { value: 5, count: 2 }])
    expect(meanOf(counts([1, 5, 5]))).toBe(3.67)
    expect(meanOf([])).toBeNull()
  })
})

describe('frequent words', () => {
  it('drops punctuation, numbers, single characters and stop words, and counts the rest', () => {
    const words = topWords([
      ['收银台', '排队', '时间', '太', '长', '了', '，', '希望', '多', '开', '收银台'],
      ['排队', '排队', '！', '2026', '的', '蔬菜', '新鲜'],
    ])
    expect(words).toEqual([{ word: '排队', count: 3 }, { word: '收银台', count: 2 }, { word: '时间', count: 1 }, { word: '蔬菜', count: 1 }, { word: '新鲜', count: 1 }].sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1)))
  })
})
