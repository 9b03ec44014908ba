import { PlusOutlined } from '@ant-design/icons'
import { Button, Card, Flex, Progress, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE } from '../../../format.js'
import { useStores } from '../../../hooks/use-stores.js'
import { EVENT_STATUSES, eventTimeText, KIND_COLORS, STATUS_COLORS, type EventStatus, type MemberEvent } from './event-form.js'
import { EventFormModal } from './EventFormModal.js'

/** Seats taken of the capacity, as a number and a bar (red when full). */
export const SeatsTaken = ({ event }: { event: Pick<MemberEvent, 'seatsTaken' | 'capacity'> }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const full = event.seatsTaken >= event.capacity
  return (
    <Flex vertical gap={0} style={{ minWidth: 120 }}>
      <Typography.Text>{t('seats', { taken: event.seatsTaken, capacity: event.capacity })}</Typography.Text>
      <Progress percent={Math.round((event.seatsTaken / Math.max(1, event.capacity)) * 100)} showInfo={false} size="small" status={full ? 'exception' : 'normal'} />
    </Flex>
  )
}

/** 会员活动: the events (a store's staff: their store's) with their status and seats, and a new one. */
const EventsPage = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const { can, chain, user } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const navigate = useNavigate()
  const { stores } = useStores()
  const [status, setStatus] = useState<EventStatus | undefined>()
  const [storeId, setStoreId] = useState<string | undefined>()
  const [creating, setCreating] = useState(false)
  const query = { ...(status ? { status } : {}), ...(storeId ? { storeId } : {}) }
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/events', { params: { query } })
  if (error) return <ErrorResult error={error} onRetry={load} />
  const columns: TableColumnsType<MemberEvent> = [
    { key: 'title', title: t('columns.title'), render: (_, e) => <Link to={`/marketing/events/${e.id}`} data-testid={`event-open-${e.id}`}>{e.title}</Link> },
    { key: 'kind', title: t('columns.kind'), width: 110, render: (_, e) => <Tag color={KIND_COLORS[e.kind]}>{t(`kinds.${e.kind}`)}</Tag> },
    { key: 'store', title: t('columns.store'), width: 150, render: (_, e) => e.storeName ?? '—' },
    { key: 'time', title: t('columns.time'), width: 240, render: (_, e) => eventTimeText(e, tz) },
    { key: 'seats', title: t('columns.seats'), width: 150, render: (_, e) => <SeatsTaken event={e} /> },
    { key: 'status', title: t('columns.status'), width: 110, render: (_, e) => <Tag color={STATUS_COLORS[e.status]} data-testid="event-row-status">{t(`statuses.${e.status}`)}</Tag> },
  ]
  return (
    <Card
      title={t('title')}
      extra={can('marketing.manage') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="event-create">{t('create')}</Button>}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<EventStatus>
          allowClear placeholder={t('allStatuses')} style={{ width: 160 }} value={status} onChange={setStatus} data-testid="events-filter-status"
          options={EVENT_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
        />
        {!user?.storeId && (
          <Select<string>
            allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('allStores')} style={{ width: 200 }} value={storeId} onChange={setStoreId}
            options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="events-filter-store"
          />
        )}
      </Space>
      <Table<MemberEvent>
        rowKey="id" size="middle" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false}
        locale={{ emptyText: t('empty') }} scroll={{ x: 1000 }} data-testid="events-table"
      />
      {nextCursor && <Flex justify="center" style={{ marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{t('more')}</Button></Flex>}
      {creating && <EventFormModal event={null} onClose={() => setCreating(false)} onSaved={(e) => { setCreating(false); void navigate(`/marketing/events/${e.id}`) }} />}
    </Card>
  )
}

export default EventsPage
