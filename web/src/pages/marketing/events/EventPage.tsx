import { EditOutlined } from '@ant-design/icons'
import { App, Breadcrumb, Button, Card, Descriptions, Flex, Popconfirm, Skeleton, Space, Tabs, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api, call } from '../../../api/client.js'
import { REFERENCE_STALE_MS, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { eventActions, eventTimeText, KIND_COLORS, STATUS_COLORS, type EventAction, type MemberEvent } from './event-form.js'
import { EventFormModal } from './EventFormModal.js'
import { EventRegistrations } from './EventRegistrations.js'
import { EventReport } from './EventReport.js'
import { SeatsTaken } from './EventsPage.js'

/** The audience segment and the invitation campaign by name, for those who may read them. */
const useNames = (event: MemberEvent) => {
  const { can } = useSession()
  const segments = useApiQuery('/api/v1/insight/segments', undefined, { staleTime: REFERENCE_STALE_MS, enabled: !!event.segmentId && can('insight.read') })
  const campaign = useApiQuery('/api/v1/marketing/campaigns/{id}', { params: { path: { id: event.campaignId ?? '' } } }, { enabled: !!event.campaignId && can('marketing.read') })
  return {
    segment: event.segmentId ? segments.data?.find((s) => s.id === event.segmentId)?.name ?? null : null,
    campaign: campaign.data ?? null,
  }
}

/** An event as loaded: header with its actions, details, and the registration and report tabs. */
const EventView = ({ event: e, tz, reload }: { event: MemberEvent; tz: string; reload: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { can } = useSession()
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState<EventAction | null>(null)
  const names = useNames(e)
  const move = async (action: 'open' | 'close' | 'cancel') => {
    setBusy(action)
    try {
      await call(api.POST(`/api/v1/marketing/events/{id}/${action}`, { params: { path: { id: e.id } } }))
      void message.success(t(`detail.done.${action}`))
      reload()
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(null)
    }
  }
  const actions = eventActions(e.status, can('marketing.manage')).map((a) => a === 'edit'
    ? <Button key={a} icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="event-edit">{t('detail.actions.edit')}</Button>
    : (
      <Popconfirm key={a} title={<div style={{ maxWidth: 300 }}>{t(`detail.confirm.${a}`)}</div>} onConfirm={() => move(a)} okButtonProps={{ 'data-testid': `event-${a}-confirm` } as never}>
        <Button type={a === 'open' ? 'primary' : 'default'} danger={a === 'cancel'} loading={busy === a} data-testid={`event-${a}`}>{t(`detail.actions.${a}`)}</Button>
      </Popconfirm>
    ))
  const left = Math.max(0, e.capacity - e.seatsTaken)
  return (
    <Flex vertical gap={16} data-testid="event-detail">
      <Breadcrumb items={[{ title: <Link to="/marketing/events">{t('detail.back')}</Link> }, { title: e.title }]} />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <Space orientation="vertical" size={4}>
            <Space align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="event-title-text">{e.title}</Typography.Title>
              <Tag color={KIND_COLORS[e.kind]}>{t(`kinds.${e.kind}`)}</Tag>
              <Tag color={STATUS_COLORS[e.status]} data-testid="event-status">{t(`statuses.${e.status}`)}</Tag>
            </Space>
            <Typography.Text type="secondary">{e.storeName} · {eventTimeText(e, tz)}</Typography.Text>
          </Space>
          <Space wrap>{actions}</Space>
        </Flex>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginTop: 16 }} data-testid="event-descriptions">
          <Descriptions.Item label={t('detail.store')}>{e.storeName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('detail.time')}>{eventTimeText(e, tz)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.seats')}>
            <Space orientation="vertical" size={0}>
              <SeatsTaken event={e} />
              <Typography.Text type="secondary" data-testid="event-seats-left">{left === 0 ? t('detail.full') : t('detail.seatsLeft', { taken: e.seatsTaken, left })}</Typography.Text>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.segment')}>{e.segmentId ? names.segment ?? t('detail.unknownSegment') : t('detail.noSegment')}</Descriptions.Item>
          <Descriptions.Item label={t('detail.campaign')}>
            {e.campaignId ? (names.campaign ? <Link to={`/marketing/campaigns/${e.campaignId}`}>{names.campaign.name}</Link> : '—') : t('detail.noCampaign')}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.createdAt')}>{formatDateTime(e.createdAt, tz)}</Descriptions.Item>
          {e.description && <Descriptions.Item label={t('detail.description')} span={3}><Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{e.description}</Typography.Text></Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card styles={{ body: { paddingTop: 8 } }}>
        <Tabs
          items={[
            { key: 'registrations', label: <span data-testid="event-tab-registrations">{t('detail.tabs.registrations')}</span>, children: <EventRegistrations event={e} onChanged={reload} /> },
            { key: 'report', label: <span data-testid="event-tab-report">{t('detail.tabs.report')}</span>, children: <EventReport event={e} tz={tz} /> },
          ]}
        />
      </Card>
      {editing && <EventFormModal event={e} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); reload() }} />}
    </Flex>
  )
}

const EventDetail = ({ id }: { id: string }) => {
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data: event, error, refetch } = useApiQuery('/api/v1/marketing/events/{id}', { params: { path: { id } } })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!event) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
  return <EventView event={event} tz={tz} reload={() => void refetch()} />
}

/** 会员活动 › an event: its details, registration and check-in at the desk, and the report. Keyed by id. */
const EventPage = () => {
  const { id } = useParams()
  return id ? <EventDetail key={id} id={id} /> : null
}

export default EventPage
