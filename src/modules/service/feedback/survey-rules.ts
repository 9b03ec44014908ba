import type { ErrorDetail } from '../../../shared/errors.js'
import type { SurveyStatus } from './feedback.table.js'

// Surveys' pure rules: what a question may be, whether a survey takes answers now, and whether
// a set of answers fits the questions. No I/O, no clock.

export type QuestionKind = 'single' | 'multiple' | 'rating' | 'nps' | 'text' | 'matrix'
export type SurveyTrigger = 'after_complaint' | 'after_first_purchase'

export interface Option { id: string; label: string; labelEn?: string | null }

export interface SurveyQuestion {
  id: string
  kind: QuestionKind
  label: string
  labelEn?: string | null
  required?: boolean
  /** single and multiple */
  choices?: Option[]
  /** matrix */
  rows?: Option[]
}

export interface Answer {
  questionId: string
  value?: number
  choiceId?: string
  choiceIds?: string[]
  text?: string
  rows?: Array<{ rowId: string; value: number }>
}

/** The areas a matrix rates unless the builder names others (the literature's four). */
export const DEFAULT_MATRIX_ROWS: Option[] = [
  { id: 'quality', label: '商品质量', labelEn: 'Product quality' },
  { id: 'service', label: '服务水平', labelEn: 'Service' },
  { id: 'price', label: '价格合理性', labelEn: 'Fair prices' },
  { id: 'environment', label: '购物环境', labelEn: 'Store environment' },
]

/** Rating scales: CSAT and matrix rows 1–5, NPS 0–10. */
export const SCALE: Record<'rating' | 'nps' | 'matrix', { min: number; max: number }> = {
  rating: { min: 1, max: 5 }, matrix: { min: 1, max: 5 }, nps: { min: 0, max: 10 },
}

export const TEXT_MAX = 2000

/** The questions as stored: matrix rows filled with the default four, choices only where they belong. */
export const normalizeQuestions = (questions: readonly SurveyQuestion[]): SurveyQuestion[] => questions.map((q) => {
  const base: SurveyQuestion = { id: q.id, kind: q.kind, label: q.label.trim(), labelEn: q.labelEn?.trim() || null, required: q.required ?? false }
  if (q.kind === 'single' || q.kind === 'multiple') return { ...base, choices: (q.choices ?? []).map((c) => ({ id: c.id, label: c.label.trim(), labelEn: c.labelEn?.trim() || null })) }
  if (q.kind === 'matrix') {
    const rows = q.rows && q.rows.length ? q.rows : DEFAULT_MATRIX_ROWS
    return { ...base, rows: rows.map((r) => ({ id: r.id, label: r.label.trim(), labelEn: r.labelEn?.trim() || null })) }
  }
  return base
})

/** What is wrong with a survey's questions (empty: nothing). */
export const checkQuestions = (questions: readonly SurveyQuestion[], field = 'questions'): ErrorDetail[] => {
  const details: ErrorDetail[] = []
  const ids = new Set<string>()
  questions.forEach((q, i) => {
    const at = `${field}.${i}`
    if (ids.has(q.id)) details.push({ field: `${at}.id`, reason: `question id ${q.id} is used twice` })
    ids.add(q.id)
    if (!q.label.trim()) details.push({ field: `${at}.label`, reason: 'a question needs a label' })
    const options = (list: Option[] | undefined, name: 'choices' | 'rows', min: number) => {
      const items = list ?? []
      if (items.length < min) details.push({ field: `${at}.${name}`, reason: `needs at least ${min}` })
      const seen = new Set<string>()
      items.forEach((o, k) => {
        if (seen.has(o.id)) details.push({ field: `${at}.${name}.${k}.id`, reason: `${o.id} is used twice` })
        seen.add(o.id)
        if (!o.label.trim()) details.push({ field: `${at}.${name}.${k}.label`, reason: 'needs a label' })
      })
    }
    if (q.kind === 'single' || q.kind === 'multiple') options(q.choices, 'choices', 2)
    else if (q.choices?.length) details.push({ field: `${at}.choices`, reason: `a ${q.kind} question has no choices` })
    if (q.kind === 'matrix') { if (q.rows?.length) options(q.rows, 'rows', 1) } else if (q.rows?.length) details.push({ field: `${at}.rows`, reason: `a ${q.kind} question has no rows` })
  })
  return details
}

export type Availability = 'open' | 'draft' | 'closed' | 'not_yet' | 'ended'

/** Whether a survey takes answers at `now`: open, and inside its window (opens_at inclusive, closes_at exclusive). */
export const availabilityAt = (s: { status: SurveyStatus; opensAt: string | null; closesAt: string | null }, now: Date): Availability => {
  if (s.status === 'draft') return 'draft'
  if (s.status === 'closed') return 'closed'
  if (s.opensAt && now.getTime() < Date.parse(s.opensAt)) return 'not_yet'
  if (s.closesAt && now.getTime() >= Date.parse(s.closesAt)) return 'ended'
  return 'open'
}

/** One stored answer row: a multiple choice gives a row per choice, a matrix a row per row. */
export interface AnswerRow { questionId: string; kind: QuestionKind; rowKey: string | null; choice: string | null; value: number | null; text: string | null }

const inScale = (v: number, kind: 'rating' | 'nps' | 'matrix') => Number.isInteger(v) && v >= SCALE[kind].min && v <= SCALE[kind].max

/**
 * Checks answers against the questions: every answer names a question once, fits its kind and
 * scale (ratings 1–5, NPS 0–10, choices that exist, text of at most 2,000 characters), and every
 * required question is answered. Returns the rows to store, or what is wrong.
 */
export const checkAnswers = (questions: readonly SurveyQuestion[], answers: readonly Answer[]): { rows: AnswerRow[]; details: ErrorDetail[] } => {
  const byId = new Map(questions.map((q) => [q.id, q]))
  const details: ErrorDetail[] = []
  const rows: AnswerRow[] = []
  const answered = new Set<string>()
  // Questions with a wrong answer: said once, not again as "required".
  const wrong = new Set<string>()
  const refuse = (d: ErrorDetail, questionId: string) => { details.push(d); wrong.add(questionId) }
  answers.forEach((a, i) => {
    const at = `answers.${i}`
    const q = byId.get(a.questionId)
    if (!q) { details.push({ field: `${at}.questionId`, reason: `no question ${a.questionId} in this survey` }); return }
    if (answered.has(q.id)) { refuse({ field: `${at}.questionId`, reason: `question ${q.id} is answered twice` }, q.id); return }
    const extra = (['value', 'choiceId', 'choiceIds', 'text', 'rows'] as const).filter((k) => a[k] !== undefined && k !== fieldOf(q.kind))
    if (extra.length) { refuse({ field: `${at}.${extra[0]}`, reason: `a ${q.kind} question is answered with ${fieldOf(q.kind)}` }, q.id); return }
    answered.add(q.id)
    const row = (r: Partial<AnswerRow>): AnswerRow => ({ questionId: q.id, kind: q.kind, rowKey: null, choice: null, value: null, text: null, ...r })
    switch (q.kind) {
      case 'rating': case 'nps': {
        if (a.value === undefined) return
        if (!inScale(a.value, q.kind)) { refuse({ field: `${at}.value`, reason: `from ${SCALE[q.kind].min} to ${SCALE[q.kind].max}` }, q.id); return }
        rows.push(row({ value: a.value }))
        break
      }
      case 'single': {
        if (a.choiceId === undefined) return
        if (!q.choices?.some((c) => c.id === a.choiceId)) { refuse({ field: `${at}.choiceId`, reason: `no choice ${a.choiceId}` }, q.id); return }
        rows.push(row({ choice: a.choiceId }))
        break
      }
      case 'multiple': {
        const ids = a.choiceIds ?? []
        const bad = ids.find((c) => !q.choices?.some((o) => o.id === c))
        if (bad !== undefined) { refuse({ field: `${at}.choiceIds`, reason: `no choice ${bad}` }, q.id); return }
        if (new Set(ids).size !== ids.length) { refuse({ field: `${at}.choiceIds`, reason: 'a choice is given twice' }, q.id); return }
        if (ids.length === 0) return
        for (const c of ids) rows.push(row({ choice: c }))
        break
      }
      case 'text': {
        const text = a.text?.trim() ?? ''
        if ([...text].length > TEXT_MAX) { refuse({ field: `${at}.text`, reason: `at most ${TEXT_MAX} characters` }, q.id); return }
        if (!text) return
        rows.push(row({ text }))
        break
      }
      case 'matrix': {
        const given = a.rows ?? []
        const seen = new Set<string>()
        for (const [k, r] of given.entries()) {
          if (!q.rows?.some((o) => o.id === r.rowId)) { refuse({ field: `${at}.rows.${k}.rowId`, reason: `no row ${r.rowId}` }, q.id); return }
          if (seen.has(r.rowId)) { refuse({ field: `${at}.rows.${k}.rowId`, reason: `row ${r.rowId} is rated twice` }, q.id); return }
          seen.add(r.rowId)
          if (!inScale(r.value, 'matrix')) { refuse({ field: `${at}.rows.${k}.value`, reason: 'from 1 to 5' }, q.id); return }
        }
        if (q.required && q.rows && seen.size < q.rows.length) { refuse({ field: `${at}.rows`, reason: 'rate every row' }, q.id); return }
        for (const r of given) rows.push(row({ rowKey: r.rowId, value: r.value }))
        break
      }
    }
  })
  questions.forEach((q) => {
    if (q.required && !wrong.has(q.id) && !rows.some((r) => r.questionId === q.id)) details.push({ field: `answers.${q.id}`, reason: 'this question is required' })
  })
  return { rows, details }
}

const fieldOf = (kind: QuestionKind): 'value' | 'choiceId' | 'choiceIds' | 'text' | 'rows' =>
  kind === 'rating' || kind === 'nps' ? 'value' : kind === 'single' ? 'choiceId' : kind === 'multiple' ? 'choiceIds' : kind === 'text' ? 'text' : 'rows'

/** An answer in words (the member page): a choice's label, a rating "4/5", a matrix "商品质量 4, 服务水平 5". */
export const answerInWords = (q: SurveyQuestion, rows: readonly AnswerRow[]): string => {
  const label = (list: Option[] | undefined, id: string | null) => list?.find((o) => o.id === id)?.label ?? id ?? ''
  switch (q.kind) {
    case 'rating': return `${rows[0]?.value}/5`
    case 'nps': return `${rows[0]?.value}/10`
    case 'single': case 'multiple': return rows.map((r) => label(q.choices, r.choice)).join('、')
    case 'text': return rows[0]?.text ?? ''
    case 'matrix': return rows.map((r) => `${label(q.rows, r.rowKey)} ${r.value}`).join('，')
  }
}
