import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MATRIX_ROWS, addChoice, answersToSend, draftProblems, freeKey, fromApiQuestions, inLang, isAnswered, missingRequired, moveQuestion, newQuestion,
  toApiQuestions, type DraftQuestion,
} from './survey-model.js'

const choice = (id: string, label: string, labelEn = '') => ({ id, label, labelEn })

describe('the survey builder', () => {
  it('starts a question of each kind with its defaults: a matrix rates the four areas, free text is optional', () => {
    expect(newQuestion('nps')).toMatchObject({ id: 'q1', kind: 'nps', required: true, choices: [], rows: [] })
    expect(newQuestion('nps').label).toContain('推荐')
    expect(newQuestion('rating').labelEn).toContain('satisfied')
    expect(newQuestion('text').required).toBe(false)
    expect(newQuestion('single').choices.map((c) => c.id)).toEqual(['o1', 'o2'])
    const matrix = newQuestion('matrix', ['q1', 'q2'])
    expect(matrix.id).toBe('q3')
    expect(matrix.rows.map((r) => r.label)).toEqual(['商品质量', '服务水平', '价格合理性', '购物环境'])
    expect(matrix.rows.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4'])
    // The defaults are copies: editing one question's row leaves the next question's as it was.
    matrix.rows[0]!.label = '改了'
    expect(DEFAULT_MATRIX_ROWS[0]!.label).toBe('商品质量')
    expect(newQuestion('matrix').rows[0]!.label).toBe('商品质量')
  })

  it.each([
    [[], 'q', 'q1'],
    [['q1', 'q3'], 'q', 'q2'],
    [['o1', 'o2'], 'o', 'o3'],
  ])('a free key among %j with prefix %s is %s', (taken, prefix, key) => {
    expect(freeKey(prefix, taken)).toBe(key)
  })

  it('adds a choice or a row with an unused key', () => {
    expect(addChoice([choice('o1', 'a'), choice('o3', 'b')]).map((c) => c.id)).toEqual(['o1', 'o3', 'o2'])
    expect(addChoice([], 'r')).toEqual([{ id: 'r1', label: '', labelEn: '' }])
  })

  it.each([
    [0, -1, ['a', 'b', 'c']],
    [0, 1, ['b', 'a', 'c']],
    [2, -1, ['a', 'c', 'b']],
    [2, 1, ['a', 'b', 'c']],
    [5, 1, ['a', 'b', 'c']],
  ] as const)('moves the question at %i by %i', (index, step, order) => {
    expect(moveQuestion(['a', 'b', 'c'], index, step)).toEqual(order)
  })

  it('names every problem that keeps a draft from being saved, by its place', () => {
    expect(draftProblems(' ', [])).toEqual([{ path: 'title', reason: 'required' }, { path: 'questions', reason: 'noQuestions' }])
    const single: DraftQuestion = { ...newQuestion('single'), label: '您从哪里知道我们？', choices: [choice('o1', '朋友'), choice('o2', '朋友 '), choice('o3', ' ')] }
    const lonely: DraftQuestion = { ...newQuestion('multiple', ['q1']), label: '多选', choices: [choice('o1', '一')] }
    const matrix: DraftQuestion = { ...newQuestion('matrix', ['q1', 'q2']), rows: [] }
    const unnamed: DraftQuestion = { ...newQuestion('rating', ['q1', 'q2', 'q3']), label: '' }
    expect(draftProblems('满意度调查', [single, lonely, matrix, unnamed])).toEqual([
      { path: 'questions.0.choices.1', reason: 'duplicateChoice' },
      { path: 'questions.0.choices.2', reason: 'emptyChoice' },
      { path: 'questions.1.choices', reason: 'tooFewChoices' },
      { path: 'questions.2.rows', reason: 'noRows' },
      { path: 'questions.3.label', reason: 'required' },
    ])
    expect(draftProblems('满意度调查', [newQuestion('nps'), newQuestion('rating', ['q1']), newQuestion('matrix', ['q1', 'q2'])])).toEqual([])
  })

  it('sends the questions trimmed, with choices or rows only where they belong, and reads them back the same', () => {
    const single: DraftQuestion = { ...newQuestion('single'), label: ' 来店方式 ', labelEn: ' ', choices: [choice('o1', '步行', 'Walk'), choice('o2', '开车')], rows: [choice('r1', 'x')] }
    const nps = newQuestion('nps', ['q1'])
    const api = toApiQuestions([single, nps])
    expect(api).toEqual([
      { id: 'q1', kind: 'single', label: '来店方式', labelEn: null, required: true, choices: [{ id: 'o1', label: '步行', labelEn: 'Walk' }, { id: 'o2', label: '开车', labelEn: null }] },
      { id: 'q2', kind: 'nps', label: nps.label, labelEn: nps.labelEn, required: true },
    ])
    expect(fromApiQuestions(api)).toEqual([{ ...single, label: '来店方式', labelEn: '', rows: [] }, nps])
  })

  it('shows a text in the language asked, the Chinese when the English is missing', () => {
    expect(inLang('满意', 'Satisfied', 'en-US')).toBe('Satisfied')
    expect(inLang('满意', ' ', 'en-US')).toBe('满意')
    expect(inLang('满意', 'Satisfied', 'zh-CN')).toBe('满意')
    expect(inLang(null, null, 'zh-CN')).toBe('')
  })
})

describe('answers on the public page', () => {
  const matrix = { ...newQuestion('matrix'), id: 'm' }
  const questions = toApiQuestions([
    { ...newQuestion('nps'), id: 'n' },
    { ...newQuestion('multiple'), id: 'c' },
    { ...newQuestion('text'), id: 't' },
    { ...newQuestion('single'), id: 's', required: false },
    matrix,
  ])

  it.each([
    ['nps', 0, true],
    ['nps', undefined, false],
    ['rating', 5, true],
    ['multiple', [], false],
    ['multiple', ['o1'], true],
    ['text', '   ', false],
    ['text', '很好', true],
    ['single', '', false],
  ] as const)('a %s question answered with %j is answered: %s', (kind, value, answered) => {
    expect(isAnswered(newQuestion(kind), value as never)).toBe(answered)
  })

  it('counts a matrix answered only when every row has a score', () => {
    expect(isAnswered(matrix, { r1: 5, r2: 4, r3: 3 })).toBe(false)
    expect(isAnswered(matrix, { r1: 5, r2: 4, r3: 3, r4: 1 })).toBe(true)
  })

  it('lists the required questions left, and sends only what was answered in the API\'s shape', () => {
    expect(missingRequired(questions, { n: 10 })).toEqual(['c', 'm'])
    expect(missingRequired(questions, { n: 0, c: ['o2'], m: { r1: 1, r2: 2, r3: 3, r4: 4 } })).toEqual([])
    expect(answersToSend(questions, { n: 0, c: [], t: ' 收银太慢 ', s: 'o2', m: { r1: 1 } })).toEqual([
      { questionId: 'n', value: 0 }, { questionId: 't', text: '收银太慢' }, { questionId: 's', choiceId: 'o2' },
    ])
    expect(answersToSend(questions, { c: ['o1', 'o2'], m: { r4: 4, r1: 1, r2: 2, r3: 3 } })).toEqual([
      { questionId: 'c', choiceIds: ['o1', 'o2'] }, { questionId: 'm', rows: [{ rowId: 'r1', value: 1 }, { rowId: 'r2', value: 2 }, { rowId: 'r3', value: 3 }, { rowId: 'r4', value: 4 }] },
    ])
  })
})
