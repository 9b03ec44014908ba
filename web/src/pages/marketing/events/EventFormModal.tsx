import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../../api/client.js'
import { REFERENCE_STALE_MS, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { errorMessage } from '../../../components/errors.js'
import { FormModal } from '../../../components/FormModal.js'
import { DEFAULT_TIMEZONE } from '../../../format.js'
import { useStores } from '../../../hooks/use-stores.js'
import { emptyEvent, EVENT_KINDS, reasonKey, toEventBody, toFormValues, type EventFormValues, type MemberEvent } from './event-form.js'

const TIME_FORMAT = 'YYYY-MM-DD HH:mm'

/**
 * A new event or a change of one: title, kind, store, times in the chain's zone, seats, the
 * audience segment and the invitation campaign. The API's field errors land on their fields, in
 * words where the form has them.
 */
export const EventFormModal = ({ event, onClose, onSaved }: { event: MemberEvent | null; onClose: () => void; onSaved: (e: MemberEvent) => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [form] = Form.useForm<EventFormValues>()
  const { stores } = useStores()
  const segments = useApiQuery('/api/v1/insight/segments', { params: { query: { status: 'active' } } }, { staleTime: REFERENCE_STALE_MS })
  const campaigns = useApiQuery('/api/v1/marketing/campaigns', { params: { query: { limit: 200 } } }, { staleTime: REFERENCE_STALE_MS })
  const locked = (event?.seatsTaken ?? 0) > 0

  const save = async (v: EventFormValues) => {
    const body = toEventBody(v, tz)
    try {
      const saved = event
        ? await call(api.PATCH('/api/v1/marketing/events/{id}', { params: { path: { id: event.id } }, body: { ...body, version: event.version } }))
        : await call(api.POST('/api/v1/marketing/events', { body }))
      void message.success(t('form.saved'))
      onSaved(saved)
    } catch (err) {
      void message.error(errorMessage(tc, err))
      if (!(err instanceof ApiError)) return
      form.setFields(err.details.filter((d) => d.field in body).map((d) => {
        const key = reasonKey(d.reason)
        return { name: d.field as keyof EventFormValues, errors: [key ? t(`form.reasons.${key}` as never) : d.reason] }
      }))
    }
  }

  return (
    <FormModal<EventFormValues>
      open title={event ? t('edit') : t('create')} form={form} name="event" width={720} onClose={onClose} onSubmit={save}
      initialValues={event ? toFormValues(event, tz) : emptyEvent(tz)} submitTestId="event-save" formTestId="event-form"
    >
      <Form.Item name="title" label={t('form.title')} rules={[{ required: true, whitespace: true, message: t('form.required.title') }, { max: 100 }]}>
        <Input maxLength={100} placeholder={t('form.titlePlaceholder')} data-testid="event-title" />
      </Form.Item>
      <Form.Item name="kind" label={t('form.kind')}>
        <Radio.Group optionType="button" options={EVENT_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} data-testid="event-kind" />
      </Form.Item>
      <Form.Item name="storeId" label={t('form.store')} rules={[{ required: true, message: t('form.required.store') }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }} placeholder={t('form.storePlaceholder')} disabled={locked} data-testid="event-store"
          options={stores.filter((s) => s.status === 'open' || s.id === event?.storeId).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="startsAt" label={t('form.startsAt')} rules={[{ required: true, message: t('form.required.startsAt') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} style={{ width: '100%' }} data-testid="event-starts-at" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="endsAt" label={t('form.endsAt')} rules={[{ required: true, message: t('form.required.endsAt') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} style={{ width: '100%' }} data-testid="event-ends-at" />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>{t('form.timeZone', { tz })}</Typography.Paragraph>
      <Form.Item name="capacity" label={t('form.capacity')} extra={t('form.capacityHelp')} rules={[{ required: true, message: t('form.required.capacity') }]}>
        <InputNumber min={Math.max(1, event?.seatsTaken ?? 1)} max={100_000} precision={0} style={{ width: 200 }} data-testid="event-capacity" />
      </Form.Item>
      <Form.Item name="segmentId" label={t('form.segment')} extra={t('form.segmentHelp')}>
        <Select
          allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('form.segmentPlaceholder')} loading={segments.isLoading} data-testid="event-segment"
          options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
      </Form.Item>
      <Form.Item name="campaignId" label={t('form.campaign')} extra={t('form.campaignHelp')}>
        <Select
          allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('form.campaignPlaceholder')} loading={campaigns.isLoading} data-testid="event-campaign"
          options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
      </Form.Item>
      <Form.Item name="description" label={t('form.description')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      {locked && <Alert type="info" showIcon title={t('form.reasons.storeLocked')} />}
    </FormModal>
  )
}
