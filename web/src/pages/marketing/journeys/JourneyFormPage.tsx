import { PlusOutlined } from '@ant-design/icons'
import { Alert, App, Breadcrumb, Button, Card, DatePicker, Dropdown, Flex, Form, Input, InputNumber, Select, Skeleton, Space, Typography } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { api, ApiError, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import {
  changedPaths, emptyJourney, firstPlaced, LIFECYCLE_STAGES, LIMITS, moveStep, newStep, placeErrors, removeStep, sameDefinition, savesNewVersion, STEP_TYPES,
  toFormValues, toJourneyBody, TRIGGER_TYPES, type Journey, type JourneyFormValues, type TriggerType,
} from './journey-form.js'
import { reasonText } from './journey-words.js'
import { JourneyStepCard } from './JourneyStepCard.js'
import { useJourneyRefs, type JourneyRefs } from './use-journey-refs.js'

/** The trigger: its kind, what it takes, and when members enter by it, in words. */
const TriggerFields = ({ refs }: { refs: JourneyRefs }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const form = Form.useFormInstance<JourneyFormValues>()
  const type: TriggerType = Form.useWatch(['trigger', 'type'], form) ?? 'registered'
  const required = (message: string) => [{ required: true, message }]
  // A kind that takes days starts from a usual number, not an empty box.
  const onType = (next: TriggerType) => {
    if (next === 'birthday' && form.getFieldValue(['trigger', 'daysBefore']) == null) form.setFieldValue(['trigger', 'daysBefore'], 0)
    if (next === 'points_expiring' && form.getFieldValue(['trigger', 'daysAhead']) == null) form.setFieldValue(['trigger', 'daysAhead'], 30)
  }
  return (
    <>
      <Form.Item name={['trigger', 'type']} label={t('form.triggerType')} extra={t(`triggerHelp.${type}`)}>
        <Select<TriggerType>
          style={{ maxWidth: 360 }} onChange={onType} data-testid="journey-trigger-type"
          options={TRIGGER_TYPES.map((x) => ({ value: x, label: t(`triggers.${x}`) }))}
        />
      </Form.Item>
      {type === 'birthday' && (
        <Form.Item name={['trigger', 'daysBefore']} label={t('form.daysBefore')} extra={t('form.daysBeforeHelp')} rules={required(t('form.required.daysBefore'))}>
          <InputNumber min={0} max={LIMITS.birthdayDaysBefore} precision={0} style={{ width: 160 }} data-testid="journey-trigger-days-before" />
        </Form.Item>
      )}
      {type === 'lifecycle' && (
        <Form.Item name={['trigger', 'stage']} label={t('form.stage')} rules={required(t('form.required.stage'))}>
          <Select style={{ maxWidth: 360 }} options={LIFECYCLE_STAGES.map((s) => ({ value: s, label: refs.names.stage(s) }))} data-testid="journey-trigger-stage" />
        </Form.Item>
      )}
      {type === 'points_expiring' && (
        <Form.Item name={['trigger', 'daysAhead']} label={t('form.daysAhead')} rules={required(t('form.required.daysAhead'))}>
          <InputNumber min={1} max={LIMITS.pointsDaysAhead} precision={0} style={{ width: 160 }} data-testid="journey-trigger-days-ahead" />
        </Form.Item>
      )}
      {type === 'tier_upgrade' && (
        <Form.Item name={['trigger', 'tierCode']} label={t('form.tier')}>
          <Select allowClear style={{ maxWidth: 360 }} placeholder={t('form.anyTier')} options={refs.tiers.map((x) => ({ value: x.code, label: x.name }))} data-testid="journey-trigger-tier" />
        </Form.Item>
      )}
      {type === 'tag_added' && (
        <Form.Item name={['trigger', 'tagId']} label={t('form.tag')} rules={required(t('form.required.tag'))}>
          <Select showSearch={{ optionFilterProp: 'label' }} style={{ maxWidth: 360 }} options={refs.tags.map((x) => ({ value: x.id, label: x.name }))} data-testid="journey-trigger-tag" />
        </Form.Item>
      )}
      {type === 'date' && (
        <Space align="start" wrap>
          <Form.Item name={['trigger', 'date']} label={t('form.date')} rules={required(t('form.required.date'))}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} data-testid="journey-trigger-date" />
          </Form.Item>
          <Form.Item name={['trigger', 'segmentId']} label={t('form.segment')}>
            <Select
              allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 260 }} placeholder={t('form.allMembers')}
              options={refs.segments.map((x) => ({ value: x.id, label: x.name }))} data-testid="journey-trigger-segment"
            />
          </Form.Item>
        </Space>
      )}
    </>
  )
}

/** The builder of a new journey or a journey's next version: its name, its trigger, then its steps in order. */
const JourneyForm = ({ journey }: { journey: Journey | null }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { t: tc } = useTranslation()
  const { message, modal } = App.useApp()
  const navigate = useNavigate()
  const refs = useJourneyRefs()
  const [form] = Form.useForm<JourneyFormValues>()
  const [initial] = useState<JourneyFormValues>(() => (journey ? toFormValues(journey) : emptyJourney()))
  const [busy, setBusy] = useState(false)
  /** The API's problems with a whole step (no step leads here), and with none in particular. */
  const [stepProblems, setStepProblems] = useState<Map<number, string[]>>(new Map())
  const [otherProblems, setOtherProblems] = useState<string[]>([])

  const setSteps = (steps: JourneyFormValues['steps']) => {
    form.setFieldValue('steps', steps)
    setStepProblems(new Map())
    // The pointers moved with their steps: the rules say at once which now point backwards (a
    // new step's empty ones wait for the user, or the save).
    const moved = steps.flatMap((s, i) => (['ifTrue', 'ifFalse', 'next'] as const).filter((k) => typeof s[k] === 'number').map((k) => ['steps', i, k]))
    if (moved.length) void form.validateFields(moved).catch(() => undefined)
  }
  const steps = () => (form.getFieldValue('steps') as JourneyFormValues['steps'] | undefined) ?? []

  /** The API's field details on their fields and steps, in words, and the first scrolled to. */
  const showErrors = (err: unknown) => {
    void message.error(errorMessage(tc, err))
    if (!(err instanceof ApiError) || err.details.length === 0) return
    const placed = placeErrors(err.details, form.getFieldsValue(true) as JourneyFormValues)
    form.setFields(placed.fields.map((f) => ({ name: f.name as never, errors: [reasonText(t, f.reason)] })))
    setStepProblems(new Map([...placed.steps].map(([i, rs]) => [i, rs.map((r) => reasonText(t, r))])))
    setOtherProblems(placed.other.map((r) => reasonText(t, r)))
    const first = firstPlaced(placed)
    if (first) form.scrollToField(first as never, { block: 'center' })
  }

  const send = async (values: JourneyFormValues) => {
    const body = toJourneyBody(values)
    setBusy(true)
    try {
      const saved = journey
        ? await call(api.PATCH('/api/v1/marketing/journeys/{id}', { params: { path: { id: journey.id } }, body: { ...body, revision: journey.revision } }))
        : await call(api.POST('/api/v1/marketing/journeys', { body }))
      void message.success(journey && saved.version > journey.version ? t('form.savedVersion', { n: saved.version }) : t('form.saved'))
      void navigate(`/marketing/journeys/${saved.id}`)
    } catch (err) {
      showErrors(err)
    } finally {
      setBusy(false)
    }
  }

  const save = async () => {
    setOtherProblems([])
    try {
      await form.validateFields()
    } catch (e) {
      const first = (e as { errorFields?: Array<{ name: Array<string | number> }> }).errorFields?.[0]
      if (first) form.scrollToField(first.name as never, { block: 'center' })
      return
    }
    const values = form.getFieldsValue(true) as JourneyFormValues
    const body = toJourneyBody(values)
    if (journey && savesNewVersion(journey.status, !sameDefinition(body, journey))) {
      modal.confirm({
        title: t('form.saveVersion', { n: journey.version + 1 }), content: t('form.confirmVersion', { n: journey.version + 1 }),
        okButtonProps: { 'data-testid': 'journey-save-confirm' } as never, onOk: () => send(values),
      })
      return
    }
    await send(values)
  }

  const addItems = STEP_TYPES.map((type) => ({ key: type, label: <span data-testid={`journey-add-${type}`}>{t(`stepTypes.${type}`)}</span> }))
  const stepCount = Form.useWatch('steps', { form, preserve: true })?.length ?? 0
  const live = journey && (journey.status === 'active' || journey.status === 'paused') ? journey : null

  return (
    <Flex vertical gap={16}>
      <Breadcrumb items={[
        { title: <Link to="/marketing/journeys">{t('title')}</Link> },
        ...(journey ? [{ title: <Link to={`/marketing/journeys/${journey.id}`}>{journey.name}</Link> }] : []),
        { title: journey ? t('edit') : t('create') },
      ]}
      />
      {live && (
        <Alert
          type="warning" showIcon data-testid="journey-version-notice"
          title={t('form.liveNotice', { status: t(`form.liveStatus.${live.status as 'active'}`), version: live.version, next: live.version + 1, inside: live.members.active })}
        />
      )}
      <Form<JourneyFormValues>
        form={form} layout="vertical" name="journey" initialValues={initial}
        onValuesChange={(changed: object) => {
          form.setFields(changedPaths(changed).map((name) => ({ name: name as never, errors: [] })))
          if ('steps' in changed && stepProblems.size) setStepProblems(new Map())
        }}
      >
        <Flex vertical gap={16}>
          <Card title={t('form.basics')}>
            <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true, message: t('form.required.name') }, { max: 100 }]}>
              <Input maxLength={100} style={{ maxWidth: 480 }} data-testid="journey-name" />
            </Form.Item>
            <Form.Item name="description" label={t('form.description')} rules={[{ max: 1000 }]} style={{ marginBottom: 0 }}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Card>
          <Card title={t('form.trigger')}>
            <TriggerFields refs={refs} />
          </Card>
          <Card title={t('form.steps')} extra={<Typography.Text type="secondary">{t('form.stepsHelp')}</Typography.Text>} styles={{ header: { flexWrap: 'wrap' } }}>
            {otherProblems.length > 0 && <Alert type="error" showIcon title={otherProblems.join('；')} style={{ marginBottom: 12 }} data-testid="journey-problems" />}
            <Form.List name="steps">
              {(fields) => (
                <Flex vertical gap={12} data-testid="journey-steps">
                  {fields.map((f) => (
                    <JourneyStepCard
                      key={f.key} i={f.name} refs={refs} problems={stepProblems.get(f.name) ?? []}
                      onMove={(from, to) => setSteps(moveStep(steps(), from, to))} onRemove={(at) => setSteps(removeStep(steps(), at))}
                    />
                  ))}
                </Flex>
              )}
            </Form.List>
            <Dropdown
              trigger={['click']} disabled={stepCount >= LIMITS.steps}
              menu={{ items: addItems, onClick: ({ key }) => setSteps([...steps(), newStep(key as (typeof STEP_TYPES)[number])]) }}
            >
              <Button type="dashed" icon={<PlusOutlined />} block style={{ marginTop: 12 }} data-testid="journey-add-step">{t('form.addStep')}</Button>
            </Dropdown>
          </Card>
        </Flex>
      </Form>
      <Flex justify="end" gap={8}>
        <Button onClick={() => void navigate(journey ? `/marketing/journeys/${journey.id}` : '/marketing/journeys')}>{tc('actions.cancel')}</Button>
        <Button type="primary" loading={busy} onClick={() => void save()} data-testid="journey-save">{t('form.save')}</Button>
      </Flex>
    </Flex>
  )
}

const EditJourney = ({ id }: { id: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { data, error, refetch } = useApiQuery('/api/v1/marketing/journeys/{id}', { params: { path: { id } } })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!data) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
  if (data.status === 'archived') return <Alert type="warning" showIcon title={t('form.archivedOnly')} action={<Link to={`/marketing/journeys/${id}`}>{data.name}</Link>} />
  return <JourneyForm journey={data} />
}

/** 新建旅程 / 编辑旅程. */
const JourneyFormPage = () => {
  const { id } = useParams<{ id: string }>()
  return id ? <EditJourney key={id} id={id} /> : <JourneyForm journey={null} />
}

export default JourneyFormPage
