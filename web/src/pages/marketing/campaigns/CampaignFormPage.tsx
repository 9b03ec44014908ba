import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons'
import { Alert, App, Breadcrumb, Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Radio, Row, Select, Skeleton, Space, Steps, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { api, ApiError, call } from '../../../api/client.js'
import { REFERENCE_STALE_MS, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { clearServerErrors, errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDate } from '../../../format.js'
import { CHANNEL_COLORS, CHANNELS, type Channel } from '../marketing-words.js'
import {
  emptyCampaign, fieldPath, nextHour, reasonKey, RECURRENCES, SCHEDULE_KINDS, stepFields, stepOfField, STEPS, toCampaignBody, toFormValues,
  type Campaign, type CampaignFormValues,
} from './campaign-form.js'
import { MessagePreview } from './MessagePreview.js'
import { useSegments } from './use-campaign-refs.js'

const TIME_FORMAT = 'YYYY-MM-DD HH:mm'

/** ① Who: the segment (with its live count), now or a frozen snapshot of it, and segments left out. */
const AudienceStep = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.form' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { can } = useSession()
  const form = Form.useFormInstance<CampaignFormValues>()
  const segments = useSegments()
  const segmentId = Form.useWatch('segmentId', form)
  const mode = Form.useWatch('audienceMode', form)
  const read = { params: { path: { id: segmentId ?? '' } } }
  const count = useApiQuery('/api/v1/insight/segments/{id}/count', read, { enabled: !!segmentId })
  const snapshots = useApiQuery('/api/v1/insight/segments/{id}/snapshots', read, { enabled: !!segmentId && mode === 'snapshot' })
  const [taking, setTaking] = useState(false)
  const takeSnapshot = async () => {
    if (!segmentId) return
    setTaking(true)
    try {
      const snap = await call(api.POST('/api/v1/insight/segments/{id}/snapshots', { params: { path: { id: segmentId } } }))
      await snapshots.refetch()
      form.setFieldValue('snapshotId', snap.id)
      void message.success(t('snapshotTaken'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setTaking(false)
    }
  }
  const options = segments.active.map((s) => ({ value: s.id, label: s.name }))
  return (
    <>
      <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: t('required.name') }, { max: 100 }]}>
        <Input maxLength={100} data-testid="campaign-name" />
      </Form.Item>
      <Form.Item name="description" label={t('description')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Form.Item
        name="segmentId" label={t('segment')} rules={[{ required: true, message: t('required.segmentId') }]}
        extra={segmentId && (
          <span data-testid="campaign-segment-count">
            {count.data ? t('liveCount', { n: formatCount(count.data.count) }) : count.isFetching ? t('counting') : null}
          </span>
        )}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }} placeholder={t('segmentPlaceholder')} options={options} loading={segments.loading}
          onChange={() => form.setFieldValue('snapshotId', null)} data-testid="campaign-segment"
        />
      </Form.Item>
      <Form.Item name="audienceMode" label={t('audienceMode')} extra={t(`audienceModeHelp.${mode ?? 'dynamic'}`)}>
        <Radio.Group optionType="button" options={(['dynamic', 'snapshot'] as const).map((m) => ({ value: m, label: t(`audienceModes.${m}`) }))} data-testid="campaign-audience-mode" />
      </Form.Item>
      {mode === 'snapshot' && (
        <Form.Item label={t('snapshot')} required>
          <Flex gap={8} align="center" wrap>
            <Form.Item name="snapshotId" noStyle rules={[{ required: true, message: t('required.snapshotId') }]}>
              <Select
                style={{ minWidth: 260 }} placeholder={t('snapshotPlaceholder')} loading={snapshots.isLoading} data-testid="campaign-snapshot"
                options={(snapshots.data ?? []).map((s) => ({ value: s.id, label: t('snapshotOption', { date: formatDate(s.asOf), n: formatCount(s.memberCount) }) }))}
              />
            </Form.Item>
            {snapshots.data?.length === 0 && <Typography.Text type="secondary">{t('noSnapshots')}</Typography.Text>}
            {can('segments.manage') && segmentId && <Button loading={taking} onClick={() => void takeSnapshot()}>{t('takeSnapshot')}</Button>}
          </Flex>
        </Form.Item>
      )}
      <Form.Item name="excludeSegmentIds" label={t('exclude')} extra={t('excludeHelp')}>
        <Select
          mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('excludePlaceholder')} maxCount={10}
          options={options.filter((o) => o.value !== segmentId)} data-testid="campaign-exclude"
        />
      </Form.Item>
      <Alert type="info" showIcon title={t('audienceNote')} />
    </>
  )
}

/** The channels not chosen yet, to add at the end of the order (the form's `channels` field). */
const AddChannel = ({ value = [], onChange }: { value?: Channel[]; onChange?: (v: Channel[]) => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.form' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const left = CHANNELS.filter((c) => !value.includes(c))
  if (left.length === 0) return null
  // Mounted afresh after each pick, so it shows its placeholder again.
  return (
    <Select<Channel>
      key={value.join()} style={{ width: 200 }} placeholder={t('addChannel')} data-testid="campaign-add-channel"
      options={left.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} onChange={(c) => onChange?.([...value, c])}
    />
  )
}

/** ② How: the channels in order of preference, a template each, and what the member would read. */
const ChannelsStep = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.form' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const form = Form.useFormInstance<CampaignFormValues>()
  const channels: Channel[] = Form.useWatch('channels', form) ?? []
  const templateIds: Partial<Record<Channel, string>> = Form.useWatch('templateIds', form) ?? {}
  const couponTemplateId: string | null = Form.useWatch('couponTemplateId', form) ?? null
  const templates = useApiQuery('/api/v1/marketing/templates', { params: { query: { status: 'active' } } }, { staleTime: REFERENCE_STALE_MS })
  const ofChannel = (c: Channel) => (templates.data?.items ?? []).filter((x) => x.channel === c && x.purpose === 'marketing')
  const setChannels = (next: Channel[]) => {
    form.setFieldValue('channels', next)
    void form.validateFields(['channels']).catch(() => undefined)
  }
  const move = (i: number, by: -1 | 1) => {
    const next = [...channels]
    ;[next[i], next[i + by]] = [next[i + by]!, next[i]!]
    setChannels(next)
  }
  return (
    <Row gutter={24}>
      <Col xs={24} lg={14}>
        <Form.Item label={t('channels')} extra={t('channelsHelp')} required style={{ marginBottom: 8 }}>
          <Flex vertical gap={8} data-testid="campaign-channels">
            {channels.map((c, i) => (
              <Flex key={c} gap={8} align="start" data-testid={`campaign-channel-${c}`}>
                <Tag style={{ marginTop: 5, minWidth: 44, textAlign: 'center' }}>{i === 0 ? t('first') : t('then')}</Tag>
                <Tag color={CHANNEL_COLORS[c]} style={{ marginTop: 5, minWidth: 64, textAlign: 'center' }}>{tw(`channels.${c}`)}</Tag>
                <Form.Item
                  name={['templateIds', c]} style={{ flex: 1, marginBottom: 0 }} rules={[{ required: true, message: t('required.template') }]}
                  extra={templates.data && ofChannel(c).length === 0 ? t('noTemplates', { channel: tw(`channels.${c}`) }) : undefined}
                >
                  <Select
                    placeholder={t('templatePlaceholder', { channel: tw(`channels.${c}`) })} loading={templates.isLoading} data-testid={`campaign-template-${c}`}
                    options={ofChannel(c).map((x) => ({ value: x.id, label: x.name }))}
                  />
                </Form.Item>
                <Space.Compact>
                  <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} title={t('moveUp')} aria-label={t('moveUp')} data-testid={`campaign-channel-up-${c}`} />
                  <Button icon={<ArrowDownOutlined />} disabled={i === channels.length - 1} onClick={() => move(i, 1)} title={t('moveDown')} aria-label={t('moveDown')} />
                  <Button icon={<DeleteOutlined />} onClick={() => setChannels(channels.filter((x) => x !== c))} title={t('remove')} aria-label={t('remove')} />
                </Space.Compact>
              </Flex>
            ))}
          </Flex>
        </Form.Item>
        <Form.Item name="channels" rules={[{ type: 'array', min: 1, required: true, message: t('required.channels') }]}>
          <AddChannel />
        </Form.Item>
      </Col>
      <Col xs={24} lg={10}>
        <MessagePreview channels={channels} templateIds={templateIds} couponTemplateId={couponTemplateId} />
      </Col>
    </Row>
  )
}

/** ③ The coupon the message brings (one per member messaged, none to the holdout), seen in the message. */
const CouponStep = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.form' })
  const form = Form.useFormInstance<CampaignFormValues>()
  const channels: Channel[] = Form.useWatch('channels', form) ?? []
  const templateIds: Partial<Record<Channel, string>> = Form.useWatch('templateIds', form) ?? {}
  const couponTemplateId: string | null = Form.useWatch('couponTemplateId', form) ?? null
  const coupons = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } }, { staleTime: REFERENCE_STALE_MS })
  return (
    <Row gutter={24}>
      <Col xs={24} lg={14}>
        <Form.Item name="couponTemplateId" label={t('coupon')} extra={couponTemplateId ? t('couponHelp') : t('couponNone')}>
          <Select
            allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('couponPlaceholder')} loading={coupons.isLoading} data-testid="campaign-coupon"
            options={(coupons.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24} lg={10}>
        <MessagePreview channels={channels} templateIds={templateIds} couponTemplateId={couponTemplateId} />
      </Col>
    </Row>
  )
}

/** ④ When, how fast, and how it is measured: the holdout and the days counted. */
const ScheduleStep = ({ tz }: { tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.form' })
  const form = Form.useFormInstance<CampaignFormValues>()
  const kind = Form.useWatch('scheduleKind', form) ?? 'now'
  const past = (d: dayjs.Dayjs) => d.isBefore(dayjs().startOf('day'))
  return (
    <>
      <Form.Item name="scheduleKind" label={t('scheduleKind')}>
        <Radio.Group
          optionType="button" options={SCHEDULE_KINDS.map((k) => ({ value: k, label: t(`scheduleKinds.${k}`) }))} data-testid="campaign-schedule-kind"
          onChange={(e) => {
            if (e.target.value !== 'now' && !form.getFieldValue('sendAt')) form.setFieldValue('sendAt', nextHour(tz))
            if (e.target.value === 'recurring' && !form.getFieldValue('recurrence')) form.setFieldValue('recurrence', 'weekly')
          }}
        />
      </Form.Item>
      {kind !== 'now' && (
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="sendAt" label={kind === 'recurring' ? t('firstSendAt') : t('sendAt')} rules={[{ required: true, message: t('required.sendAt') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} disabledDate={past} style={{ width: '100%' }} data-testid="campaign-send-at" />
            </Form.Item>
          </Col>
          {kind === 'recurring' && (
            <>
              <Col xs={24} md={8}>
                <Form.Item name="recurrence" label={t('recurrence')} rules={[{ required: true, message: t('required.recurrence') }]}>
                  <Radio.Group optionType="button" options={RECURRENCES.map((r) => ({ value: r, label: t(`recurrences.${r}`) }))} data-testid="campaign-recurrence" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="repeatUntil" label={t('repeatUntil')} extra={t('repeatUntilHelp')}>
                  <DatePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} disabledDate={past} style={{ width: '100%' }} data-testid="campaign-repeat-until" />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
      )}
      <Typography.Paragraph type="secondary">{t('timeZone', { tz })}</Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="holdoutPct" label={t('holdoutPct')} extra={t('holdoutHelp')} rules={[{ required: true }]}>
            <InputNumber min={0} max={50} precision={0} suffix="%" style={{ width: '100%' }} data-testid="campaign-holdout" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="attributionDays" label={t('attributionDays')} extra={t('attributionHelp')} rules={[{ required: true }]}>
            <InputNumber min={1} max={90} precision={0} style={{ width: '100%' }} data-testid="campaign-attribution" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="ratePerMinute" label={t('ratePerMinute')} extra={t('ratePerMinuteHelp')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100_000} precision={0} style={{ width: '100%' }} data-testid="campaign-rate" />
          </Form.Item>
        </Col>
      </Row>
    </>
  )
}

/** The step form of a new campaign or a draft's: four steps, then saved as a draft. */
const CampaignForm = ({ campaign }: { campaign: Campaign | null }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const navigate = useNavigate()
  const [form] = Form.useForm<CampaignFormValues>()
  const [step, setStep] = useState(0)
  const [busy, setBusy] = useState(false)
  const [initial] = useState<CampaignFormValues>(() => (campaign ? toFormValues(campaign, tz) : emptyCampaign()))
  const last = STEPS.length - 1

  const go = async (to: number) => {
    if (to <= step) return setStep(to)
    try {
      await form.validateFields(stepFields(step, form.getFieldValue('channels') ?? []))
      setStep(to)
    } catch {
      // the fields say what is missing
    }
  }

  /** The API's field details on their fields (in words where the form has them), and the earliest step with one shown. */
  const showErrors = (err: unknown) => {
    void message.error(errorMessage(tc, err))
    if (!(err instanceof ApiError) || err.details.length === 0) return
    form.setFields(err.details.map((d) => {
      const key = reasonKey(d.reason)
      return { name: fieldPath(d.field) as never, errors: [key ? t(`reasons.${key}` as never) : d.reason] }
    }))
    setStep(Math.min(...err.details.map((d) => stepOfField(d.field))))
  }

  const save = async () => {
    try {
      await form.validateFields()
    } catch (e) {
      const first = (e as { errorFields?: Array<{ name: Array<string | number> }> }).errorFields?.[0]
      if (first) setStep(stepOfField(String(first.name[0])))
      return
    }
    const body = toCampaignBody(form.getFieldsValue(true) as CampaignFormValues, tz)
    setBusy(true)
    try {
      const saved = campaign
        ? await call(api.PATCH('/api/v1/marketing/campaigns/{id}', { params: { path: { id: campaign.id } }, body: { ...body, version: campaign.version } }))
        : await call(api.POST('/api/v1/marketing/campaigns', { body }))
      void message.success(t('form.saved'))
      void navigate(`/marketing/campaigns/${saved.id}`)
    } catch (err) {
      showErrors(err)
    } finally {
      setBusy(false)
    }
  }

  const show = (i: number) => ({ display: step === i ? undefined : 'none' })
  return (
    <Flex vertical gap={16}>
      <Breadcrumb items={[{ title: <Link to="/marketing/campaigns">{t('title')}</Link> }, ...(campaign ? [{ title: <Link to={`/marketing/campaigns/${campaign.id}`}>{campaign.name}</Link> }] : []), { title: campaign ? t('edit') : t('create') }]} />
      <Card title={campaign ? t('edit') : t('create')}>
        <Steps current={step} onChange={(i) => void go(i)} style={{ marginBottom: 24 }} items={STEPS.map((s) => ({ title: t(`form.steps.${s}`) }))} data-testid="campaign-steps" />
        <Form<CampaignFormValues>
          form={form} layout="vertical" name="campaign" initialValues={initial}
          onValuesChange={clearServerErrors(form)}
        >
          {/* Every step stays mounted (hidden), so a server error on any field finds it and no value is lost. */}
          <div style={show(0)}><AudienceStep /></div>
          <div style={show(1)}><ChannelsStep /></div>
          <div style={show(2)}><CouponStep /></div>
          <div style={show(3)}><ScheduleStep tz={tz} /></div>
        </Form>
        <Flex justify="space-between" style={{ marginTop: 24 }}>
          <Button disabled={step === 0} onClick={() => setStep(step - 1)} data-testid="campaign-previous">{t('form.previous')}</Button>
          <Space>
            {(step === last || campaign) && (
              <Button type={step === last ? 'primary' : 'default'} loading={busy} onClick={() => void save()} data-testid="campaign-save">{t('form.saveDraft')}</Button>
            )}
            {step < last && <Button type="primary" onClick={() => void go(step + 1)} data-testid="campaign-next">{t('form.next')}</Button>}
          </Space>
        </Flex>
      </Card>
    </Flex>
  )
}

const EditCampaign = ({ id }: { id: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns' })
  const { data, error, refetch } = useApiQuery('/api/v1/marketing/campaigns/{id}', { params: { path: { id } } })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!data) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
  if (data.status !== 'draft') {
    return <Alert type="warning" showIcon title={t('form.draftOnly')} action={<Link to={`/marketing/campaigns/${id}`}>{data.name}</Link>} />
  }
  return <CampaignForm campaign={data} />
}

/** 新建营销活动 / 编辑营销活动. */
const CampaignFormPage = () => {
  const { id } = useParams<{ id: string }>()
  return id ? <EditCampaign key={id} id={id} /> : <CampaignForm campaign={null} />
}

export default CampaignFormPage
