import { Button, Checkbox, Flex, Input, Radio, Typography } from 'antd'
import type { TFunction } from 'i18next'
import { inLang, type AnswerValue, type Lang, type SurveyQuestion } from './survey-model.js'

// One question as the respondent answers it (the public page and the builder's preview): big
// touch targets, no hover-only parts, every choice a button, so it works in WeChat's browser.

const SCALE_BUTTON = { minWidth: 44, height: 44, padding: 0, fontSize: 16 }

const Scale = ({ min, max, value, onChange, testId, low, high, captions = true }: {
  min: number; max: number; value: number | undefined; onChange: (v: number) => void; testId: string; low: string; high: string; captions?: boolean
}) => (
  <div>
    <Flex wrap gap={6}>
      {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
        <Button
          key={n} type={value === n ? 'primary' : 'default'} style={{ ...SCALE_BUTTON, flex: max - min > 5 ? '1 0 44px' : '1 0 56px' }}
          onClick={() => onChange(n)} aria-pressed={value === n} data-testid={`${testId}-${n}`}
        >
          {n}
        </Button>
      ))}
    </Flex>
    {captions && (
      <Flex justify="space-between" style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{low}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{high}</Typography.Text>
      </Flex>
    )}
  </div>
)

const BIG_CHOICE = { display: 'flex', alignItems: 'center', minHeight: 44, padding: '8px 12px', border: '1px solid #f0f0f0', borderRadius: 8, margin: 0, width: '100%' }

export interface QuestionFieldProps {
  question: SurveyQuestion
  lang: Lang
  value: AnswerValue | undefined
  onChange: (value: AnswerValue | undefined) => void
  /** the public page's words, in the respondent's language */
  t: TFunction<'service', 'feedback'>
  testId: string
}

/** The input of one question in the respondent's language; the label is the caller's. */
export const QuestionField = ({ question: q, lang, value, onChange, t, testId }: QuestionFieldProps) => {
  switch (q.kind) {
    case 'nps':
      return <Scale min={0} max={10} value={value as number | undefined} onChange={onChange} testId={testId} low={t('public.npsLow')} high={t('public.npsHigh')} />
    case 'rating':
      return <Scale min={1} max={5} value={value as number | undefined} onChange={onChange} testId={testId} low={t('public.ratingLow')} high={t('public.ratingHigh')} />
    case 'single':
      return (
        <Radio.Group value={value} onChange={(e) => onChange(e.target.value as string)} style={{ width: '100%' }}>
          <Flex vertical gap={8}>
            {(q.choices ?? []).map((c) => <Radio key={c.id} value={c.id} style={BIG_CHOICE} data-testid={`${testId}-${c.id}`}>{inLang(c.label, c.labelEn, lang)}</Radio>)}
          </Flex>
        </Radio.Group>
      )
    case 'multiple':
      return (
        <Checkbox.Group value={(value as string[] | undefined) ?? []} onChange={(v) => onChange(v as string[])} style={{ width: '100%' }}>
          <Flex vertical gap={8} style={{ width: '100%' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('public.multipleHint')}</Typography.Text>
            {(q.choices ?? []).map((c) => <Checkbox key={c.id} value={c.id} style={BIG_CHOICE} data-testid={`${testId}-${c.id}`}>{inLang(c.label, c.labelEn, lang)}</Checkbox>)}
          </Flex>
        </Checkbox.Group>
      )
    case 'text':
      return (
        <Input.TextArea
          rows={4} maxLength={2000} showCount value={(value as string | undefined) ?? ''} placeholder={t('public.textPlaceholder')}
          onChange={(e) => onChange(e.target.value)} style={{ fontSize: 16 }} data-testid={testId}
        />
      )
    case 'matrix': {
      const rated = (value as Record<string, number> | undefined) ?? {}
      return (
        <Flex vertical gap={12}>
          {(q.rows ?? []).map((r, i, rows) => (
            <div key={r.id}>
              <Typography.Text>{inLang(r.label, r.labelEn, lang)}</Typography.Text>
              <Scale
                min={1} max={5} value={rated[r.id]} onChange={(v) => onChange({ ...rated, [r.id]: v })} testId={`${testId}-${r.id}`}
                low={t('public.ratingLow')} high={t('public.ratingHigh')} captions={i === rows.length - 1}
              />
            </div>
          ))}
        </Flex>
      )
    }
  }
}
