import { CheckCircleFilled } from '@ant-design/icons'
import { Alert, Button, Card, Flex, Result, Skeleton, Tag, Typography } from 'antd'
import { useRef, useState, type ReactNode } from 'react'
import { useParams } from 'react-router'
import { ApiError, api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { formatDateTime } from '../../../format.js'
import { newRequestKey } from '../../../shared/request-key.js'
import { PublicPage, usePublicLang } from '../PublicPage.js'
import { QuestionField } from './QuestionField.js'
import { answersToSend, inLang, missingRequired, type AnswerValue, type Answers } from './survey-model.js'

type Phase = 'answering' | 'sending' | 'thanks' | 'answered'

/** Why a survey cannot be answered, from the API's refusal: unknown link, not open yet, closed (or past its window), answered. */
const refusal = (err: unknown): 'notFound' | 'closed' | 'notOpen' | 'answered' | null => {
  if (!(err instanceof ApiError)) return null
  if (err.status === 404) return 'notFound'
  if (err.code === 'SURVEY_ALREADY_ANSWERED') return 'answered'
  if (err.code === 'SURVEY_NOT_OPEN') return 'notOpen'
  if (err.code === 'SURVEY_CLOSED') return 'closed'
  return null
}

/**
 * The survey as a customer answers it, by a store's link (QR on a receipt or poster) or a
 * personal invitation: no sign-in, phone-sized, in Chinese or English. The page makes one
 * response key when it loads, so a second post (a double tap, a retry after a lost answer) is
 * stored once.
 */
export const PublicSurveyPage = () => {
  const { token = '' } = useParams()
  const { lang, setLang, t, failure: failureText } = usePublicLang()
  const responseKey = useRef(newRequestKey()).current
  const { data: survey, error, refetch, isFetching } = useApiQuery('/api/v1/public/surveys/{token}', { params: { path: { token } } })
  const [answers, setAnswers] = useState<Answers>({})
  const [missing, setMissing] = useState<string[]>([])
  const [phase, setPhase] = useState<Phase>('answering')
  const [failure, setFailure] = useState<string | null>(null)

  const setAnswer = (id: string, v: AnswerValue | undefined) => {
    setAnswers((a) => ({ ...a, [id]: v }))
    setMissing((m) => m.filter((x) => x !== id))
  }

  const submit = async () => {
    if (!survey || phase === 'sending') return
    const left = missingRequired(survey.questions, answers)
    setMissing(left)
    if (left.length) {
      document.getElementById(`question-${left[0]}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
      return
    }
    setPhase('sending')
    setFailure(null)
    try {
      await call(api.POST('/api/v1/public/surveys/{token}/responses', {
        params: { path: { token } },
        body: { answers: answersToSend(survey.questions, answers), responseKey, language: lang },
      }))
      setPhase('thanks')
    } catch (err) {
      const why = refusal(err)
      // A link's response is refused as answered only for this page's own key: a repeat of a
      // post whose answer was lost, so it was stored.
      if (why === 'answered') setPhase(survey.invitation ? 'answered' : 'thanks')
      else {
        setPhase('answering')
        setFailure(why ? t(`public.${why}`) : failureText(err))
      }
    }
  }

  const page = (body: ReactNode) => <PublicPage lang={lang} onLang={setLang} label={t('public.language')} testId="public-survey">{body}</PublicPage>

  // Once answered, a reload of the survey (a change reloads what is on screen) changes nothing shown.
  if (phase === 'thanks' || phase === 'answered' || survey?.answered) {
    return page(
      <Result
        icon={<CheckCircleFilled style={{ color: '#389e0d' }} />} data-testid={phase === 'thanks' ? 'public-survey-thanks' : 'public-survey-answered'}
        title={phase === 'thanks' ? t('public.thanks') : t('public.answered')} subTitle={phase === 'thanks' ? t('public.thanksDetail') : null}
      />,
    )
  }

  if (error) {
    const why = refusal(error)
    return page(
      <Result
        status={why === 'notFound' ? '404' : why ? 'info' : 'warning'} data-testid="public-survey-unavailable"
        title={why ? t(`public.${why}`) : t('public.loadFailed')}
        extra={why ? null : <Button size="large" loading={isFetching} onClick={() => void refetch()}>{t('public.retry')}</Button>}
      />,
    )
  }
  if (!survey) return page(<Card><Skeleton active paragraph={{ rows: 8 }} /></Card>)
  const intro = inLang(survey.intro, survey.introEn, lang)
  return page(
    <Flex vertical gap={12}>
      <Card variant="borderless">
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="public-survey-title">{inLang(survey.title, survey.titleEn, lang)}</Typography.Title>
        {intro && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{intro}</Typography.Paragraph>}
        <Flex wrap gap={8}>
          {survey.storeName && <Tag>{t('public.store', { name: survey.storeName })}</Tag>}
          {survey.closesAt && <Tag>{t('public.closesAt', { at: formatDateTime(survey.closesAt) })}</Tag>}
        </Flex>
        {!survey.invitation && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 13 }}>{t('public.anonymousNote')}</Typography.Paragraph>}
      </Card>
      {survey.questions.map((q, i) => {
        const isMissing = missing.includes(q.id)
        return (
          <Card
            key={q.id} id={`question-${q.id}`} variant="borderless" data-testid={`public-question-${q.id}`}
            style={isMissing ? { boxShadow: '0 0 0 2px #ff4d4f' } : undefined}
          >
            <Typography.Paragraph strong style={{ fontSize: 17 }}>
              {i + 1}. {inLang(q.label, q.labelEn, lang)}
              {q.required && <Typography.Text type="danger" aria-label={t('public.required')}> *</Typography.Text>}
            </Typography.Paragraph>
            <QuestionField question={q} lang={lang} value={answers[q.id]} onChange={(v) => setAnswer(q.id, v)} t={t} testId={`public-answer-${q.id}`} />
            {isMissing && <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>{t('public.required')}</Typography.Text>}
          </Card>
        )
      })}
      {missing.length > 0 && <Alert type="error" showIcon title={t('public.requiredLeft', { n: missing.length })} data-testid="public-survey-missing" />}
      {failure && <Alert type="error" showIcon title={failure} data-testid="public-survey-error" />}
      <Button
        type="primary" size="large" block style={{ height: 52, fontSize: 18 }} loading={phase === 'sending'} disabled={phase === 'sending'}
        onClick={() => void submit()} data-testid="public-survey-submit"
      >
        {phase === 'sending' ? t('public.submitting') : t('public.submit')}
      </Button>
    </Flex>,
  )
}

export default PublicSurveyPage
