// The survey builder's questions and the public page's answers: pure functions (no I/O, no
// React), tested on their own. The builder edits a list of DraftQuestion; the API's body is made
// from it (and back) in survey-api.ts once the server's types are known.

import type { Schemas } from '../../../api/client.js'
import type { paths } from '../../../api/schema.js'

export type SurveyQuestion = Schemas['Survey']['questions'][number]
export type QuestionKind = SurveyQuestion['kind']
/** rating = 1–5 (CSAT), nps = 0–10 (recommendation), matrix = a 1–5 rating per row. */
export const QUESTION_KINDS: QuestionKind[] = ['single', 'multiple', 'rating', 'nps', 'text', 'matrix']

export type Lang = 'zh-CN' | 'en-US'

/** A choice or a matrix row as the builder edits it: the English may be left empty. */
export interface DraftChoice { id: string; label: string; labelEn: string }

export interface DraftQuestion {
  id: string
  kind: QuestionKind
  required: boolean
  label: string
  labelEn: string
  /** single / multiple: the choices */
  choices: DraftChoice[]
  /** matrix: the rows, each rated 1–5 */
  rows: DraftChoice[]
}

/** The areas the literature names for a store's satisfaction: the matrix's default rows. */
export const DEFAULT_MATRIX_ROWS: ReadonlyArray<{ label: string; labelEn: string }> = [
  { label: '商品质量', labelEn: 'Product quality' },
  { label: '服务水平', labelEn: 'Service' },
  { label: '价格合理性', labelEn: 'Fair prices' },
  { label: '购物环境', labelEn: 'Store environment' },
]

const DEFAULT_LABELS: Record<QuestionKind, { label: string; labelEn: string }> = {
  single: { label: '', labelEn: '' },
  multiple: { label: '', labelEn: '' },
  rating: { label: '您对本次购物体验的总体满意度如何？', labelEn: 'How satisfied are you with your shopping experience?' },
  nps: { label: '您有多大可能向亲友推荐本店？', labelEn: 'How likely are you to recommend us to a friend?' },
  text: { label: '您还有什么意见或建议？', labelEn: 'Anything else you would like to tell us?' },
  matrix: { label: '请为以下方面打分', labelEn: 'Please rate the following' },
}

/** A key unused among `taken`: prefix + the smallest free number (q1, q2 …). */
export const freeKey = (prefix: string, taken: readonly string[]): string => {
  const used = new Set(taken)
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`
}

const blank = (id: string): DraftChoice => ({ id, label: '', labelEn: '' })

/** A new question of a kind, with its default wording, choices or rows; required except free text. */
export const newQuestion = (kind: QuestionKind, taken: readonly string[] = []): DraftQuestion => ({
  id: freeKey('q', taken),
  kind,
  required: kind !== 'text',
  ...DEFAULT_LABELS[kind],
  choices: kind === 'single' || kind === 'multiple' ? [blank('o1'), blank('o2')] : [],
  rows: kind === 'matrix' ? DEFAULT_MATRIX_ROWS.map((r, i) => ({ id: `r${i + 1}`, ...r })) : [],
})

/** The list with the item at `index` moved one place up (-1) or down (+1); unchanged at an end. */
export const moveQuestion = <T>(list: readonly T[], index: number, step: -1 | 1): T[] => {
  const to = index + step
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list]
  const next = [...list]
  const [item] = next.splice(index, 1)
  next.splice(to, 0, item!)
  return next
}

/** A choice (or matrix row) added with a key unused in its list. */
export const addChoice = (choices: readonly DraftChoice[], prefix: 'o' | 'r' = 'o'): DraftChoice[] =>
  [...choices, blank(freeKey(prefix, choices.map((c) => c.id)))]

export interface DraftProblem {
  /** where: 'title', 'questions', 'questions.2.label', 'questions.0.choices.1' … */
  path: string
  reason: 'required' | 'noQuestions' | 'tooFewChoices' | 'duplicateChoice' | 'noRows' | 'emptyChoice'
}

/**
 * What keeps a survey from being saved: a title, at least one question, each with its zh-CN
 * wording; a choice question needs two choices with words and no two alike; a matrix one row.
 */
export const draftProblems = (title: string, questions: readonly DraftQuestion[]): DraftProblem[] => {
  const problems: DraftProblem[] = []
  if (!title.trim()) problems.push({ path: 'title', reason: 'required' })
  if (questions.length === 0) problems.push({ path: 'questions', reason: 'noQuestions' })
  questions.forEach((q, i) => {
    if (!q.label.trim()) problems.push({ path: `questions.${i}.label`, reason: 'required' })
    if (q.kind === 'single' || q.kind === 'multiple') {
      if (q.choices.length < 2) problems.push({ path: `questions.${i}.choices`, reason: 'tooFewChoices' })
      const seen = new Set<string>()
      q.choices.forEach((o, j) => {
        const words = o.label.trim()
        if (!words) problems.push({ path: `questions.${i}.choices.${j}`, reason: 'emptyChoice' })
        else if (seen.has(words)) problems.push({ path: `questions.${i}.choices.${j}`, reason: 'duplicateChoice' })
        seen.add(words)
      })
    }
    if (q.kind === 'matrix') {
      if (q.rows.length === 0) problems.push({ path: `questions.${i}.rows`, reason: 'noRows' })
      q.rows.forEach((r, j) => { if (!r.label.trim()) problems.push({ path: `questions.${i}.rows.${j}`, reason: 'emptyChoice' }) })
    }
  })
  return problems
}

const orNull = (s: string) => (s.trim() ? s.trim() : null)
const toOption = (c: DraftChoice) => ({ id: c.id, label: c.label.trim(), labelEn: orNull(c.labelEn) })

/** The builder's questions as the API takes them: words trimmed, no English as null, choices or rows only where they belong. */
export const toApiQuestions = (questions: readonly DraftQuestion[]): SurveyQuestion[] => questions.map((q) => ({
  id: q.id,
  kind: q.kind,
  label: q.label.trim(),
  labelEn: orNull(q.labelEn),
  required: q.required,
  ...(q.kind === 'single' || q.kind === 'multiple' ? { choices: q.choices.map(toOption) } : {}),
  ...(q.kind === 'matrix' ? { rows: q.rows.map(toOption) } : {}),
}))

const fromOption = (o: { id: string; label: string; labelEn?: string | null }): DraftChoice => ({ id: o.id, label: o.label, labelEn: o.labelEn ?? '' })

/** A saved survey's questions back in the builder. */
export const fromApiQuestions = (questions: readonly SurveyQuestion[]): DraftQuestion[] => questions.map((q) => ({
  id: q.id,
  kind: q.kind,
  required: q.required ?? false,
  label: q.label,
  labelEn: q.labelEn ?? '',
  choices: (q.choices ?? []).map(fromOption),
  rows: (q.rows ?? []).map(fromOption),
}))

/** The words in a language: the English when asked and given, otherwise the Chinese. */
export const inLang = (zh: string | null | undefined, en: string | null | undefined, lang: Lang): string =>
  (lang === 'en-US' && en?.trim() ? en : zh ?? '')

// ── Answers (the public page) ────────────────────────────────────────────────

/** One question's answer as the page holds it: a choice id, choice ids, a score, text, or a score per row. */
export type AnswerValue = string | string[] | number | Record<string, number>
export type Answers = Record<string, AnswerValue | undefined>
type Answerable = Pick<SurveyQuestion, 'id' | 'kind' | 'rows' | 'required'>
type ResponseBody = paths['/api/v1/public/surveys/{token}/responses']['post']['requestBody']['content']['application/json']
export type ApiAnswer = ResponseBody['answers'][number]

/** Whether a question has an answer (a matrix: every row rated; text: something besides blanks). */
export const isAnswered = (q: Pick<SurveyQuestion, 'kind' | 'rows'>, value: AnswerValue | undefined): boolean => {
  if (value === undefined || value === null) return false
  switch (q.kind) {
    case 'multiple': return Array.isArray(value) && value.length > 0
    case 'text': return typeof value === 'string' && value.trim().length > 0
    case 'matrix': return typeof value === 'object' && !Array.isArray(value) && (q.rows ?? []).every((r) => typeof value[r.id] === 'number')
    case 'rating': case 'nps': return typeof value === 'number'
    default: return typeof value === 'string' && value.length > 0
  }
}

/** The ids of required questions still unanswered, in the survey's order. */
export const missingRequired = (questions: readonly Answerable[], answers: Answers): string[] =>
  questions.filter((q) => q.required && !isAnswered(q, answers[q.id])).map((q) => q.id)

/** The answers as the API takes them: answered questions only, text trimmed. */
export const answersToSend = (questions: readonly Answerable[], answers: Answers): ApiAnswer[] => {
  const out: ApiAnswer[] = []
  for (const q of questions) {
    const v = answers[q.id]
    if (!isAnswered(q, v)) continue
    if (q.kind === 'rating' || q.kind === 'nps') out.push({ questionId: q.id, value: v as number })
    else if (q.kind === 'single') out.push({ questionId: q.id, choiceId: v as string })
    else if (q.kind === 'multiple') out.push({ questionId: q.id, choiceIds: v as string[] })
    else if (q.kind === 'text') out.push({ questionId: q.id, text: (v as string).trim() })
    else out.push({ questionId: q.id, rows: (q.rows ?? []).map((r) => ({ rowId: r.id, value: (v as Record<string, number>)[r.id]! })) })
  }
  return out
}
