import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Col, Flex, Form, InputNumber, Radio, Row, Select, Space, Tag, Typography, type FormRule as Rule } from 'antd'
import { useTranslation } from 'react-i18next'
import { CHANNEL_COLORS, CHANNELS, type Channel } from '../marketing-words.js'
import { CONDITION_CHECKS, couponBefore, laterSteps, LIMITS, type JourneyFormValues, type StepType, type StepValues } from './journey-form.js'
import { SendPreview } from './SendPreview.js'
import type { JourneyRefs } from './use-journey-refs.js'

export const STEP_COLORS: Record<StepType, string> = { wait: 'gold', condition: 'purple', send: 'blue', coupon: 'magenta', tag: 'cyan', end: 'default' }

/** The steps as the form holds them now (all fields, also those no input shows). */
export const useSteps = (): StepValues[] => {
  const form = Form.useFormInstance<JourneyFormValues>()
  return Form.useWatch('steps', { form, preserve: true }) ?? []
}

/** A select of the later steps: `none` (the next one, or the end) when it may be left empty. */
const StepTarget = ({ i, steps, none, value, onChange, testId }: {
  i: number; steps: StepValues[]; none?: string; value?: number | null; onChange?: (v: number | null) => void; testId: string
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const later = laterSteps(steps.length, i).filter((j) => !none || j > i + 1)
  const options = [
    ...(none ? [{ value: -1, label: none }] : []),
    ...later.map((j) => ({ value: j, label: t('form.target', { n: j + 1, type: t(`stepTypes.${steps[j]!.type}`) }) })),
  ]
  // A pointer left behind by a move (backwards, or past the end) shows as its number, for the rule to flag.
  if (typeof value === 'number' && !options.some((o) => o.value === value)) options.push({ value, label: t('stepNo', { n: value + 1 }) })
  return (
    <Select<number>
      style={{ width: 260 }} placeholder={t('form.targetPlaceholder')} options={options} data-testid={testId}
      value={none ? value ?? -1 : value ?? undefined} onChange={(v) => onChange?.(v === -1 ? null : v)}
    />
  )
}

/** The channels not chosen yet, to add at the end of the order. */
const AddChannel = ({ value = [], onChange, testId }: { value?: Channel[]; onChange?: (v: Channel[]) => void; testId: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys.form' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const left = CHANNELS.filter((c) => !value.includes(c))
  if (left.length === 0) return null
  // Mounted afresh after each pick, so it shows its placeholder again.
  return (
    <Select<Channel>
      key={value.join()} style={{ width: 200 }} placeholder={t('addChannel')} data-testid={testId}
      options={left.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} onChange={(c) => onChange?.([...value, c])}
    />
  )
}

/** A send step: the channels in order of preference, a marketing template each, and the message as a member reads it. */
const SendFields = ({ i, steps, refs }: { i: number; steps: StepValues[]; refs: JourneyRefs }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys.form' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const form = Form.useFormInstance<JourneyFormValues>()
  const step = steps[i]!
  const channels = step.channels ?? []
  const setChannels = (next: Channel[]) => {
    form.setFieldValue(['steps', i, 'channels'], next)
    void form.validateFields([['steps', i, 'channels']]).catch(() => undefined)
  }
  const move = (k: number, by: -1 | 1) => {
    const next = [...channels]
    ;[next[k], next[k + by]] = [next[k + by]!, next[k]!]
    setChannels(next)
  }
  const couponTemplateId = couponBefore(steps, i)
  return (
    <Row gutter={24}>
      <Col xs={24} xl={14}>
        <Form.Item label={t('channels')} extra={t('channelsHelp')} required style={{ marginBottom: 8 }}>
          <Flex vertical gap={8}>
            {channels.map((c, k) => (
              <Flex key={c} gap={8} align="start" data-testid={`journey-step-${i}-channel-${c}`}>
                <Tag style={{ marginTop: 5, minWidth: 44, textAlign: 'center' }}>{k === 0 ? t('first') : t('then')}</Tag>
                <Tag color={CHANNEL_COLORS[c]} style={{ marginTop: 5, minWidth: 64, textAlign: 'center' }}>{tw(`channels.${c}`)}</Tag>
                <Form.Item
                  name={[i, 'templateIds', c]} style={{ flex: 1, marginBottom: 0 }} rules={[{ required: true, message: t('required.template') }]}
                  extra={!refs.templatesLoading && refs.templatesOf(c).length === 0 ? t('noTemplates', { channel: tw(`channels.${c}`) }) : undefined}
                >
                  <Select
                    showSearch={{ optionFilterProp: 'label' }} placeholder={t('templatePlaceholder', { channel: tw(`channels.${c}`) })} loading={refs.templatesLoading}
                    options={refs.templatesOf(c).map((x) => ({ value: x.id, label: x.name }))} data-testid={`journey-step-${i}-template-${c}`}
                  />
                </Form.Item>
                <Space.Compact>
                  <Button icon={<ArrowUpOutlined />} disabled={k === 0} onClick={() => move(k, -1)} title={t('moveUp')} aria-label={t('moveUp')} />
                  <Button icon={<ArrowDownOutlined />} disabled={k === channels.length - 1} onClick={() => move(k, 1)} title={t('moveDown')} aria-label={t('moveDown')} />
                  <Button icon={<DeleteOutlined />} onClick={() => setChannels(channels.filter((x) => x !== c))} title={t('remove')} aria-label={t('remove')} />
                </Space.Compact>
              </Flex>
            ))}
          </Flex>
        </Form.Item>
        <Form.Item name={[i, 'channels']} rules={[{ type: 'array', min: 1, required: true, message: t('required.channels') }]}>
          <AddChannel testId={`journey-step-${i}-add-channel`} />
        </Form.Item>
      </Col>
      <Col xs={24} xl={10}>
        <SendPreview
          step={i} channels={channels} templateIds={step.templateIds ?? {}} couponTemplateId={couponTemplateId}
          couponName={couponTemplateId ? refs.names.coupon(couponTemplateId) : null}
        />
      </Col>
    </Row>
  )
}

/**
 * One step of the builder: its number and kind, its fields, where it goes next, and the API's
 * problems with the step as a whole (no step leads here). Inside the form's `steps` list.
 */
export const JourneyStepCard = ({ i, refs, problems, onMove, onRemove }: {
  i: number; refs: JourneyRefs; problems: string[]; onMove: (from: number, to: number) => void; onRemove: (at: number) => void
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const form = Form.useFormInstance<JourneyFormValues>()
  const steps = useSteps()
  const step = steps[i]
  if (!step) return null
  const n = steps.length
  const later: Rule = {
    validator: (_, v: unknown) => (v === null || v === undefined || (typeof v === 'number' && v > i && v < n) ? Promise.resolve() : Promise.reject(new Error(t('form.laterStep')))),
  }
  const required = (message: string): Rule => ({ required: true, message })
  const testId = (field: string) => `journey-step-${i}-${field}`
  const next = step.type !== 'condition' && step.type !== 'end' && (
    <Form.Item name={[i, 'next']} label={t('form.next')} rules={[later]} style={{ marginBottom: 0 }}>
      <StepTarget i={i} steps={steps} none={i + 1 < n ? t('form.nextDefault', { n: i + 2 }) : t('form.nextEnd')} testId={testId('next')} />
    </Form.Item>
  )

  let body: React.ReactNode
  switch (step.type) {
    case 'wait':
      body = (
        <Space align="start" wrap>
          <Form.Item
            name={[i, 'days']} label={t('form.wait')} dependencies={[['steps', i, 'hours']]}
            rules={[{ validator: (_, v: number | null) => ((v ?? 0) + ((form.getFieldValue(['steps', i, 'hours']) as number | null) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('form.waitTooShort')))) }]}
          >
            <InputNumber min={0} max={LIMITS.waitDays} precision={0} suffix={t('form.days')} style={{ width: 140 }} data-testid={testId('days')} />
          </Form.Item>
          <Form.Item name={[i, 'hours']} label=" " colon={false}>
            <InputNumber min={0} max={LIMITS.waitHours} precision={0} suffix={t('form.hours')} style={{ width: 140 }} data-testid={testId('hours')} />
          </Form.Item>
        </Space>
      )
      break
    case 'condition':
      body = (
        <>
          <Space align="start" wrap>
            <Form.Item name={[i, 'check']} label={t('form.check')} rules={[required(t('form.required.check'))]}>
              <Select style={{ width: 240 }} options={CONDITION_CHECKS.map((c) => ({ value: c, label: t(`checkOptions.${c}`) }))} data-testid={testId('check')} />
            </Form.Item>
            {step.check === 'has_tag' && (
              <Form.Item name={[i, 'tagId']} label={t('form.tag')} rules={[required(t('form.required.tag'))]}>
                <Select showSearch={{ optionFilterProp: 'label' }} style={{ width: 220 }} options={refs.tags.map((x) => ({ value: x.id, label: x.name }))} data-testid={testId('tag')} />
              </Form.Item>
            )}
            {step.check === 'in_segment' && (
              <Form.Item name={[i, 'segmentId']} label={t('form.segment')} rules={[required(t('form.required.segment'))]}>
                <Select showSearch={{ optionFilterProp: 'label' }} style={{ width: 220 }} options={refs.segments.map((x) => ({ value: x.id, label: x.name }))} data-testid={testId('segment')} />
              </Form.Item>
            )}
          </Space>
          <Space align="start" wrap>
            <Form.Item name={[i, 'ifTrue']} label={t('form.ifTrue')} rules={[required(t('form.required.target')), later]} style={{ marginBottom: 0 }}>
              <StepTarget i={i} steps={steps} testId={testId('if-true')} />
            </Form.Item>
            <Form.Item name={[i, 'ifFalse']} label={t('form.ifFalse')} rules={[required(t('form.required.target')), later]} style={{ marginBottom: 0 }}>
              <StepTarget i={i} steps={steps} testId={testId('if-false')} />
            </Form.Item>
          </Space>
        </>
      )
      break
    case 'send':
      body = <SendFields i={i} steps={steps} refs={refs} />
      break
    case 'coupon':
      body = (
        <Form.Item name={[i, 'couponTemplateId']} label={t('form.coupon')} extra={t('form.couponHelp')} rules={[required(t('form.required.coupon'))]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }} style={{ maxWidth: 360 }} placeholder={t('form.couponPlaceholder')}
            options={refs.coupons.map((c) => ({ value: c.id, label: c.name }))} data-testid={testId('coupon')}
          />
        </Form.Item>
      )
      break
    case 'tag':
      body = (
        <Space align="start" wrap>
          <Form.Item name={[i, 'action']} label={t('form.tagAction')} rules={[required(t('form.required.action'))]}>
            <Radio.Group optionType="button" options={(['add', 'remove'] as const).map((a) => ({ value: a, label: t(`form.tagActions.${a}`) }))} data-testid={testId('action')} />
          </Form.Item>
          <Form.Item name={[i, 'tagId']} label={t('form.manualTag')} extra={t('form.manualTagHelp')} rules={[required(t('form.required.tag'))]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }} style={{ width: 240 }}
              options={refs.tags.filter((x) => x.kind === 'manual').map((x) => ({ value: x.id, label: x.name }))} data-testid={testId('tag')}
            />
          </Form.Item>
        </Space>
      )
      break
    case 'end':
      body = <Typography.Text type="secondary">{t('form.endHelp')}</Typography.Text>
      break
  }

  return (
    <Card
      size="small" data-testid={`journey-step-${i}`}
      title={(
        <Space>
          <Typography.Text strong>{t('stepNo', { n: i + 1 })}</Typography.Text>
          <Tag color={STEP_COLORS[step.type]} data-testid={testId('type')}>{t(`stepTypes.${step.type}`)}</Tag>
        </Space>
      )}
      extra={(
        <Space.Compact>
          <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => onMove(i, i - 1)} title={t('form.moveUp')} aria-label={t('form.moveUp')} data-testid={testId('up')} />
          <Button size="small" icon={<ArrowDownOutlined />} disabled={i === n - 1} onClick={() => onMove(i, i + 1)} title={t('form.moveDown')} aria-label={t('form.moveDown')} data-testid={testId('down')} />
          <Button size="small" icon={<DeleteOutlined />} disabled={n === 1} onClick={() => onRemove(i)} title={t('form.remove')} aria-label={t('form.remove')} data-testid={testId('remove')} />
        </Space.Compact>
      )}
    >
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} style={{ marginBottom: 12 }} data-testid={testId('problems')} />}
      {body}
      {next}
    </Card>
  )
}
