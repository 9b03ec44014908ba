import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EyeOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Empty, Flex, Form, Input, Modal, Row, Segmented, Space, Switch, Tag, Tooltip, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useSession } from '../../../auth/session.js'
import { clearServerErrors, reportFormError } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE } from '../../../format.js'
import { fromZoneWallTime, toZoneWallTime } from '../../loyalty/zone-time.js'
import { QuestionField } from './QuestionField.js'
import {
  QUESTION_KINDS, addChoice, draftProblems, fromApiQuestions, inLang, moveQuestion, newQuestion, toApiQuestions,
  type Answers, type DraftChoice, type DraftProblem, type DraftQuestion, type Lang,
} from './survey-model.js'
import { TRIGGERS, type Survey, type SurveyTrigger } from './survey-words.js'

interface Basics {
  title: string
  titleEn?: string | null
  intro?: string | null
  introEn?: string | null
  window?: [Dayjs | null, Dayjs | null] | null
  allowAnonymous: boolean
  triggers: SurveyTrigger[]
}

const TIME_FORMAT = 'YYYY-MM-DD HH:mm'
const blankToNull = (s: string | null | undefined) => (s?.trim() ? s.trim() : null)

const ChoicesEditor = ({ choices, onChange, prefix, problem, testId, disabled }: {
  choices: DraftChoice[]; onChange: (c: DraftChoice[]) => void; prefix: 'o' | 'r'; problem: (j: number) => string | null; testId: string; disabled: boolean
}) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const set = (j: number, change: Partial<DraftChoice>) => onChange(choices.map((c, k) => (k === j ? { ...c, ...change } : c)))
  return (
    <Flex vertical gap={6}>
      {choices.map((c, j) => {
        const p = problem(j)
        return (
          <Flex key={c.id} gap={6} align="center">
            <Input
              value={c.label} placeholder={t('surveys.builder.choiceZh')} status={p ? 'error' : undefined} disabled={disabled}
              onChange={(e) => set(j, { label: e.target.value })} data-testid={`${testId}-${j}`} maxLength={200}
            />
            <Input value={c.labelEn} placeholder={t('surveys.builder.choiceEn')} disabled={disabled} onChange={(e) => set(j, { labelEn: e.target.value })} data-testid={`${testId}-${j}-en`} maxLength={200} />
            {!disabled && <Button type="text" icon={<MinusCircleOutlined />} onClick={() => onChange(choices.filter((_, k) => k !== j))} aria-label="remove" />}
            {p && <Typography.Text type="danger" style={{ whiteSpace: 'nowrap' }}>{p}</Typography.Text>}
          </Flex>
        )
      })}
      {!disabled && (
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange(addChoice(choices, prefix))} data-testid={`${testId}-add`}>
          {prefix === 'r' ? t('surveys.builder.addRow') : t('surveys.builder.addChoice')}
        </Button>
      )}
    </Flex>
  )
}

/** The builder's preview: the questions as the public page shows them, in either language. */
const PreviewModal = ({ title, questions, onClose }: { title: string; questions: DraftQuestion[]; onClose: () => void }) => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'feedback' })
  const [lang, setLang] = useState<Lang>('zh-CN')
  const [answers, setAnswers] = useState<Answers>({})
  const tp = useMemo(() => i18n.getFixedT(lang, 'service', 'feedback'), [i18n, lang])
  const shown = toApiQuestions(questions)
  return (
    <Modal open title={t('surveys.builder.previewTitle')} onCancel={onClose} footer={null} width={440} data-testid="survey-preview">
      <Segmented<Lang> value={lang} onChange={setLang} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en-US', label: 'English' }]} style={{ marginBottom: 12 }} />
      <div style={{ background: '#f5f5f5', padding: 12, borderRadius: 8, maxHeight: 600, overflow: 'auto' }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{title}</Typography.Title>
        <Flex vertical gap={12}>
          {shown.map((q, i) => (
            <Card key={q.id} size="small" variant="borderless">
              <Typography.Paragraph strong>{i + 1}. {inLang(q.label, q.labelEn, lang)}{q.required && <Typography.Text type="danger"> *</Typography.Text>}</Typography.Paragraph>
              <QuestionField question={q} lang={lang} value={answers[q.id]} onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))} t={tp} testId={`preview-${q.id}`} />
            </Card>
          ))}
        </Flex>
      </div>
    </Modal>
  )
}

/**
 * A survey's questions and settings: the title and introduction in both languages, the window,
 * anonymous or invited only, automatic invitations, and the questions (added by kind, reordered,
 * previewed). Questions are locked once the survey has answers; the rest can change any time.
 */
export const SurveyBuilder = ({ survey, onSaved }: { survey: Survey | null; onSaved: (s: Survey) => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const manage = can('surveys.manage')
  const [form] = Form.useForm<Basics>()
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => (survey ? fromApiQuestions(survey.questions) : [newQuestion('rating'), newQuestion('nps', ['q1']), newQuestion('matrix', ['q1', 'q2']), newQuestion('text', ['q1', 'q2', 'q3'])]))
  const [problems, setProblems] = useState<DraftProblem[]>([])
  const [busy, setBusy] = useState(false)
  const [previewing, setPreviewing] = useState(false)
  const locked = !manage || (survey !== null && survey.status !== 'draft' && survey.responses > 0)

  const initialValues: Basics = survey
    ? {
      title: survey.title, titleEn: survey.titleEn, intro: survey.intro, introEn: survey.introEn, allowAnonymous: survey.allowAnonymous, triggers: survey.triggers,
      window: survey.opensAt || survey.closesAt ? [survey.opensAt ? toZoneWallTime(survey.opensAt, tz) : null, survey.closesAt ? toZoneWallTime(survey.closesAt, tz) : null] : null,
    }
    : { title: '', allowAnonymous: true, triggers: [] }

  const problemAt = (path: string) => {
    const p = problems.find((x) => x.path === path)
    return p ? t(`surveys.builder.problems.${p.reason}`) : null
  }
  const setQuestion = (i: number, change: Partial<DraftQuestion>) => {
    setQuestions((qs) => qs.map((q, k) => (k === i ? { ...q, ...change } : q)))
    setProblems([])
  }

  const save = async (v: Basics) => {
    const found = draftProblems(v.title ?? '', questions)
    setProblems(found)
    if (found.length) {
      void message.error(t('surveys.builder.fixProblems'))
      return
    }
    const [opens, closes] = v.window ?? [null, null]
    const body = {
      title: v.title.trim(), titleEn: blankToNull(v.titleEn), intro: blankToNull(v.intro), introEn: blankToNull(v.introEn),
      opensAt: opens ? fromZoneWallTime(opens, tz) : null, closesAt: closes ? fromZoneWallTime(closes, tz) : null,
      allowAnonymous: v.allowAnonymous, triggers: v.triggers ?? [],
    }
    setBusy(true)
    try {
      const saved = survey
        ? await call(api.PATCH('/api/v1/surveys/{id}', { params: { path: { id: survey.id } }, body: locked ? body : { ...body, questions: toApiQuestions(questions) } }))
        : await call(api.POST('/api/v1/surveys', { body: { ...body, questions: toApiQuestions(questions) } }))
      void message.success(survey ? t('surveys.builder.saved') : t('surveys.builder.created'))
      onSaved(saved)
    } catch (err) {
      reportFormError(form, err, tc, message)
    } finally {
      setBusy(false)
    }
  }

  const taken = questions.map((q) => q.id)
  return (
    <Form form={form} layout="vertical" name="survey" initialValues={initialValues} onFinish={(v) => void save(v)} onValuesChange={clearServerErrors(form)} disabled={!manage} data-testid="survey-builder">
      <Card size="small" title={t('surveys.builder.basics')} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="title" label={t('surveys.builder.titleZh')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} data-testid="survey-title" /></Form.Item>
          </Col>
          <Col xs={24} md={12}><Form.Item name="titleEn" label={t('surveys.builder.titleEn')}><Input maxLength={100} data-testid="survey-title-en" /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="intro" label={t('surveys.builder.introZh')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="introEn" label={t('surveys.builder.introEn')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item></Col>
          <Col xs={24} md={12}>
            <Form.Item name="window" label={t('surveys.builder.window')} extra={t('surveys.builder.windowHelp')}>
              <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} allowEmpty={[true, true]} style={{ width: '100%' }} placeholder={[t('surveys.builder.opensAt'), t('surveys.builder.closesAt')]} data-testid="survey-window" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="allowAnonymous" label={t('surveys.builder.anonymous')} valuePropName="checked" extra={t('surveys.builder.anonymousHelp')}>
              <Switch data-testid="survey-anonymous" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="triggers" label={t('surveys.builder.triggers')} extra={t('surveys.builder.triggersHelp')}>
              <Checkbox.Group options={TRIGGERS.map((x) => ({ value: x, label: t(`surveys.triggers.${x}`) }))} data-testid="survey-triggers" />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card
        size="small" title={t('surveys.builder.questions')}
        extra={<Button icon={<EyeOutlined />} onClick={() => setPreviewing(true)} disabled={false} data-testid="survey-preview-open">{t('surveys.builder.preview')}</Button>}
      >
        {locked && manage && <Alert type="info" showIcon title={t('surveys.builder.locked')} style={{ marginBottom: 12 }} />}
        {problemAt('questions') && <Alert type="error" showIcon title={problemAt('questions')} style={{ marginBottom: 12 }} />}
        {questions.length === 0 && <Empty description={t('surveys.builder.noQuestions')} />}
        <Flex vertical gap={12}>
          {questions.map((q, i) => (
            <Card
              key={q.id} size="small" type="inner" data-testid={`survey-question-${i}`}
              title={<Space><Typography.Text strong>{i + 1}.</Typography.Text><Tag color="volcano">{t(`surveys.kinds.${q.kind}`)}</Tag></Space>}
              extra={!locked && (
                <Space size={0}>
                  <Tooltip title={t('surveys.builder.moveUp')}><Button type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => setQuestions((qs) => moveQuestion(qs, i, -1))} data-testid={`survey-question-${i}-up`} /></Tooltip>
                  <Tooltip title={t('surveys.builder.moveDown')}><Button type="text" icon={<ArrowDownOutlined />} disabled={i === questions.length - 1} onClick={() => setQuestions((qs) => moveQuestion(qs, i, 1))} data-testid={`survey-question-${i}-down`} /></Tooltip>
                  <Tooltip title={t('surveys.builder.remove')}><Button type="text" danger icon={<DeleteOutlined />} onClick={() => setQuestions((qs) => qs.filter((_, k) => k !== i))} data-testid={`survey-question-${i}-remove`} /></Tooltip>
                </Space>
              )}
            >
              <Row gutter={12}>
                <Col xs={24} md={11}>
                  <Form.Item label={t('surveys.builder.label')} required validateStatus={problemAt(`questions.${i}.label`) ? 'error' : undefined} help={problemAt(`questions.${i}.label`)} style={{ marginBottom: 8 }}>
                    <Input value={q.label} disabled={locked} onChange={(e) => setQuestion(i, { label: e.target.value })} maxLength={200} data-testid={`survey-question-${i}-label`} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={10}>
                  <Form.Item label={t('surveys.builder.labelEn')} style={{ marginBottom: 8 }}>
                    <Input value={q.labelEn} disabled={locked} onChange={(e) => setQuestion(i, { labelEn: e.target.value })} maxLength={200} data-testid={`survey-question-${i}-label-en`} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={3}>
                  <Form.Item label={t('surveys.builder.required')} style={{ marginBottom: 8 }}>
                    <Switch checked={q.required} disabled={locked} onChange={(required) => setQuestion(i, { required })} data-testid={`survey-question-${i}-required`} />
                  </Form.Item>
                </Col>
              </Row>
              {(q.kind === 'single' || q.kind === 'multiple') && (
                <Form.Item label={t('surveys.builder.choices')} validateStatus={problemAt(`questions.${i}.choices`) ? 'error' : undefined} help={problemAt(`questions.${i}.choices`)} style={{ marginBottom: 0 }}>
                  <ChoicesEditor choices={q.choices} prefix="o" disabled={locked} onChange={(choices) => setQuestion(i, { choices })} problem={(j) => problemAt(`questions.${i}.choices.${j}`)} testId={`survey-question-${i}-choice`} />
                </Form.Item>
              )}
              {q.kind === 'matrix' && (
                <Form.Item label={t('surveys.builder.rows')} validateStatus={problemAt(`questions.${i}.rows`) ? 'error' : undefined} help={problemAt(`questions.${i}.rows`)} style={{ marginBottom: 0 }}>
                  <ChoicesEditor choices={q.rows} prefix="r" disabled={locked} onChange={(rows) => setQuestion(i, { rows })} problem={(j) => problemAt(`questions.${i}.rows.${j}`)} testId={`survey-question-${i}-row`} />
                </Form.Item>
              )}
            </Card>
          ))}
        </Flex>
        {!locked && (
          <Flex wrap gap={8} style={{ marginTop: 12 }} align="center">
            <Typography.Text type="secondary">{t('surveys.builder.addQuestion')}:</Typography.Text>
            {QUESTION_KINDS.map((kind) => (
              <Button key={kind} size="small" icon={<PlusOutlined />} onClick={() => { setQuestions((qs) => [...qs, newQuestion(kind, taken)]); setProblems([]) }} data-testid={`survey-add-${kind}`}>
                {t(`surveys.kinds.${kind}`)}
              </Button>
            ))}
          </Flex>
        )}
      </Card>
      {manage && (
        <Flex justify="flex-end" style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="survey-save">{t('surveys.builder.save')}</Button>
        </Flex>
      )}
      {previewing && <PreviewModal title={form.getFieldValue('title') as string} questions={questions} onClose={() => setPreviewing(false)} />}
    </Form>
  )
}
