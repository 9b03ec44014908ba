import { Space, Tag, Timeline, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Step } from './journey-form.js'
import { stepText, type Names } from './journey-words.js'
import { STEP_COLORS } from './JourneyStepCard.js'

// Timeline takes CSS colours (its 'blue' is the theme's primary colour): the step tags' own.
const DOT: Record<Step['type'], string> = { wait: '#faad14', condition: '#722ed1', send: '#1677ff', coupon: '#eb2f96', tag: '#13c2c2', end: '#8c8c8c' }

/** A version's steps in order, each in words (the templates a send uses named beside it). */
export const JourneyStepsView = ({ steps, names, templateName, testId }: {
  steps: readonly Step[]; names: Names; templateName: (id: string) => string | null; testId?: string
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  return (
    <Timeline
      data-testid={testId}
      items={steps.map((s, i) => ({
        key: i,
        color: DOT[s.type],
        content: (
          <Space orientation="vertical" size={0}>
            <Space size={6} wrap>
              <Typography.Text type="secondary">{t('stepNo', { n: i + 1 })}</Typography.Text>
              <Tag color={STEP_COLORS[s.type]} style={{ marginInlineEnd: 0 }}>{t(`stepTypes.${s.type}`)}</Tag>
              <Typography.Text>{stepText(t, s, names)}</Typography.Text>
            </Space>
            {s.type === 'send' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {(s.channels ?? []).map((c) => t('stepText.template', { channel: names.channel(c), template: templateName(s.templateIds?.[c] ?? '') ?? t('unknown') })).join(' / ')}
              </Typography.Text>
            )}
          </Space>
        ),
      }))}
    />
  )
}
