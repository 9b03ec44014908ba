import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError, call, type Schemas } from '../api.js'
import { formatDate, useI18n } from '../i18n.js'
import { Button, Empty, Loaded, Note, Page, Row, Section, toast } from '../ui.js'

type Survey = Schemas['MySurvey']
type Question = Survey['questions'][number]
type Answer = { questionId: string; value?: number; choiceId?: string; choiceIds?: string[]; text?: string; rows?: Array<{ rowId: string; value: number }> }

const Scale = ({ from, to, value, onChange, testId }: { from: number; to: number; value: number | undefined; onChange: (v: number) => void; testId?: string }) => (
  <div className="scale" role="radiogroup" data-testid={testId}>
    {Array.from({ length: to - from + 1 }, (_, i) => from + i).map((n) => (
      <button type="button" role="radio" aria-checked={value === n} key={n} className={value === n ? 'on' : ''} onClick={() => onChange(n)}>{n}</button>
    ))}
  </div>
)


/** One question, as its kind asks: choices, a 1–5 rating, a 0–10 recommendation, text, or a matrix of ratings. */
const QuestionInput = ({ q, answer, onChange }: { q: Question; answer: Answer; onChange: (a: Answer) => void }) => {
  const { lang, t } = useI18n()
  const label = (x: { label: string; labelEn?: string | null }) => (lang === 'en-US' ? x.labelEn ?? x.label : x.label)
  switch (q.kind) {
    case 'single':
      return <div className="stack">{(q.choices ?? []).map((c) => (
        <label key={c.id} className="check"><input type="radio" name={q.id} checked={answer.choiceId === c.id} onChange={() => onChange({ questionId: q.id, choiceId: c.id })} /><span>{label(c)}</span></label>
      ))}</div>
    case 'multiple':
      return <div className="stack">{(q.choices ?? []).map((c) => (
        <label key={c.id} className="check"><input type="checkbox" checked={answer.choiceIds?.includes(c.id) ?? false}
          onChange={(e) => onChange({ questionId: q.id, choiceIds: e.target.checked ? [...(answer.choiceIds ?? []), c.id] : (answer.choiceIds ?? []).filter((x) => x !== c.id) })} /><span>{label(c)}</span></label>
      ))}</div>
    case 'rating':
      return <Scale from={1} to={5} value={answer.value} onChange={(value) => onChange({ questionId: q.id, value })} testId={`q-${q.id}`} />
    case 'nps':
      return <><Scale from={0} to={10} value={answer.value} onChange={(value) => onChange({ questionId: q.id, value })} testId={`q-${q.id}`} /><div className="small muted">{t('npsHint')}</div></>
    case 'text':
      return <textarea rows={3} maxLength={1000} value={answer.text ?? ''} onChange={(e) => onChange({ questionId: q.id, text: e.target.value })} data-testid={`q-${q.id}`} />
    case 'matrix': {
      const rows = q.rows ?? []
      return <div className="stack">{rows.map((r) => (
        <div key={r.id}><div className="small">{label(r)}</div>
          <Scale from={1} to={5} value={answer.rows?.find((x) => x.rowId === r.id)?.value}
            onChange={(value) => onChange({ questionId: q.id, rows: [...(answer.rows ?? []).filter((x) => x.rowId !== r.id), { rowId: r.id, value }] })} /></div>
      ))}</div>
    }
  }
}

const SurveyForm = ({ survey, onDone }: { survey: Survey; onDone: () => void }) => {
  const { t, lang, errorText } = useI18n()
  const queryClient = useQueryClient()
  const [answers, setAnswers] = useState<Record<string, Answer>>({})
  const submit = useMutation({
    mutationFn: () => call(api.POST('/api/v1/me/surveys/{surveyId}/answers', {
      params: { path: { surveyId: survey.surveyId } },
      body: { answers: Object.values(answers).filter((a) => a.value !== undefined || a.choiceId || a.choiceIds?.length || a.text?.trim() || a.rows?.length), language: lang },
    })),
    onSuccess: () => { toast(t('surveyThanks')); void queryClient.invalidateQueries({ queryKey: ['surveys'] }); onDone() },
  })
  const problem = (id: string) => (submit.error instanceof ApiError ? submit.error.details.find((d) => d.field.includes(id))?.reason : undefined)
  const text = (zh: string | null, en: string | null) => (lang === 'en-US' ? en ?? zh : zh)
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); submit.mutate() }} data-testid="survey-form">
      <h2>{text(survey.title, survey.titleEn)}</h2>
      {survey.intro && <p className="small muted">{text(survey.intro, survey.introEn)}</p>}
      {survey.questions.map((q, i) => (
        <div key={q.id} className="question">
          <div><b>{i + 1}. {lang === 'en-US' ? q.labelEn ?? q.label : q.label}</b>{q.required && <span className="minus"> *</span>}</div>
          <QuestionInput q={q} answer={answers[q.id] ?? { questionId: q.id }} onChange={(a) => setAnswers({ ...answers, [q.id]: a })} />
          {problem(q.id) && <span className="field-message">{problem(q.id)}</span>}
        </div>
      ))}
      {submit.error && <Note kind="error">{errorText(submit.error)}</Note>}
      <Button kind="primary" block type="submit" loading={submit.isPending} data-testid="survey-submit">{t('submit')}</Button>
      <Button block kind="link" onClick={onDone}>{t('cancel')}</Button>
    </form>
  )
}

/** Open surveys the member may answer (their invitations first); each answered once. */
export const SurveysPage = () => {
  const { t, lang } = useI18n()
  const [open, setOpen] = useState<Survey | null>(null)
  const surveys = useQuery({ queryKey: ['surveys'], queryFn: () => call(api.GET('/api/v1/me/surveys')) })
  return (
    <Page title={t('surveys')} back="/" testId="surveys-page">
      {open ? <SurveyForm survey={open} onDone={() => setOpen(null)} /> : (
        <Loaded query={surveys}>
          {(list) => list.length === 0 ? <Empty>{t('noSurveys')}</Empty> : (
            <Section>
              <div className="list">
                {list.map((s) => (
                  <Row key={s.surveyId} testId="survey" title={<>{lang === 'en-US' ? s.titleEn ?? s.title : s.title}{s.invited && <span className="tag tag-gold">{t('invitedTag')}</span>}</>}
                    sub={s.closesAt ? t('closesOn', { date: formatDate(s.closesAt) }) : t('questionsN', { n: s.questions.length })} onClick={() => setOpen(s)} />
                ))}
              </div>
            </Section>
          )}
        </Loaded>
      )}
    </Page>
  )
}
