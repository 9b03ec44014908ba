import { describe, expect, it } from 'vitest'
import { availabilityAt, checkAnswers, checkQuestions, normalizeQuestions, type Answer, type SurveyQuestion } from './survey-rules.js'

const QUESTIONS: SurveyQuestion[] = normalizeQuestions([
  { id: 'csat', kind: 'rating', label: '满意度', required: true },
  { id: 'nps', kind: 'nps', label: '推荐' },
  { id: 'one', kind: 'single', label: '单选', choices: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] },
  { id: 'many', kind: 'multiple', label: '多选', choices: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] },
  { id: 'grid', kind: 'matrix', label: '矩阵', required: true },
  { id: 'say', kind: 'text', label: '文字' },
])
const base: Answer[] = [{ questionId: 'csat', value: 4 }, { questionId: 'grid', rows: [{ rowId: 'quality', value: 5 }, { rowId: 'service', value: 4 }, { rowId: 'price', value: 3 }, { rowId: 'environment', value: 2 }] }]

describe('checking answers', () => {
  it.each([
    ['a rating of 0', [{ questionId: 'csat', value: 0 }], 'answers.0.value'],
    ['a rating of 5.5 (not whole)', [{ questionId: 'csat', value: 5.5 }], 'answers.0.value'],
    ['an NPS of 11', [...base, { questionId: 'nps', value: 11 }], 'answers.2.value'],
    ['an unknown question', [...base, { questionId: 'ghost', value: 1 }], 'answers.2.questionId'],
    ['a question answered twice', [...base, { questionId: 'csat', value: 5 }], 'answers.2.questionId'],
    ['an unknown choice', [...base, { questionId: 'one', choiceId: 'z' }], 'answers.2.choiceId'],
    ['a choice given twice', [...base, { questionId: 'many', choiceIds: ['a', 'a'] }], 'answers.2.choiceIds'],
    ['an answer of the wrong kind', [...base, { questionId: 'one', value: 1 }], 'answers.2.value'],
    ['an unknown matrix row', [base[0]!, { questionId: 'grid', rows: [{ rowId: 'parking', value: 3 }] }], 'answers.1.rows.0.rowId'],
    ['a required matrix with a row left out', [base[0]!, { questionId: 'grid', rows: [{ rowId: 'quality', value: 3 }] }], 'answers.1.rows'],
    ['a text of 2,001 characters', [...base, { questionId: 'say', text: '字'.repeat(2001) }], 'answers.2.text'],
    ['a required question left out', [base[1]!], 'answers.csat'],
  ] as Array<[string, Answer[], string]>)('refuses %s', (_name, answers, field) => {
    const { details } = checkAnswers(QUESTIONS, answers)
    expect(details.map((d) => d.field)).toContain(field)
  })

  it('does not call a wrongly answered required question missing as well', () => {
    expect(checkAnswers(QUESTIONS, [{ questionId: 'csat', value: 9 }, base[1]!]).details).toEqual([{ field: 'answers.0.value', reason: 'from 1 to 5' }])
  })

  it('gives one row per answer, a row per choice and per matrix row, texts trimmed, empty answers dropped', () => {
    const { rows, details } = checkAnswers(QUESTIONS, [...base, { questionId: 'many', choiceIds: ['a', 'b'] }, { questionId: 'say', text: '  好  ' }, { questionId: 'one' }, { questionId: 'nps', value: 0 }])
    expect(details).toEqual([])
    expect(rows.map((r) => [r.questionId, r.rowKey, r.choice, r.value, r.text])).toEqual([
      ['csat', null, null, 4, null], ['grid', 'quality', null, 5, null], ['grid', 'service', null, 4, null], ['grid', 'price', null, 3, null],
      ['grid', 'environment', null, 2, null], ['many', null, 'a', null, null], ['many', null, 'b', null, null], ['say', null, null, null, '好'], ['nps', null, null, 0, null],
    ])
  })
})

describe('building questions', () => {
  it.each([
    ['a duplicate id', [{ id: 'q', kind: 'text', label: 'a' }, { id: 'q', kind: 'text', label: 'b' }], 'questions.1.id'],
    ['a choice question with one choice', [{ id: 'q', kind: 'single', label: 'a', choices: [{ id: 'x', label: 'x' }] }], 'questions.0.choices'],
    ['choices on a rating', [{ id: 'q', kind: 'rating', label: 'a', choices: [{ id: 'x', label: 'x' }, { id: 'y', label: 'y' }] }], 'questions.0.choices'],
    ['a blank label', [{ id: 'q', kind: 'nps', label: '  ' }], 'questions.0.label'],
  ] as Array<[string, SurveyQuestion[], string]>)('refuses %s', (_name, questions, field) => {
    expect(checkQuestions(questions).map((d) => d.field)).toContain(field)
  })

  it('fills a matrix with 商品质量, 服务水平, 价格合理性, 购物环境', () => {
    expect(QUESTIONS.find((q) => q.id === 'grid')!.rows!.map((r) => r.label)).toEqual(['商品质量', '服务水平', '价格合理性', '购物环境'])
  })
})

describe('the response window', () => {
  it.each([
    ['draft', null, null, '2026-03-01T00:00:00Z', 'draft'],
    ['closed', null, null, '2026-03-01T00:00:00Z', 'closed'],
    ['open', '2026-03-02T00:00:00Z', null, '2026-03-01T23:59:59Z', 'not_yet'],
    ['open', '2026-03-02T00:00:00Z', null, '2026-03-02T00:00:00Z', 'open'],
    ['open', null, '2026-03-10T00:00:00Z', '2026-03-09T23:59:59Z', 'open'],
    ['open', null, '2026-03-10T00:00:00Z', '2026-03-10T00:00:00Z', 'ended'],
  ] as const)('a %s survey from %s to %s at %s is %s', (status, opensAt, closesAt, now, expected) => {
    expect(availabilityAt({ status, opensAt, closesAt }, new Date(now))).toBe(expected)
  })
})
