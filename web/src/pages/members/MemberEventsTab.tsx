import { Skeleton, Table, Tag, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { eventTimeText, REGISTRATION_COLORS, STATUS_COLORS, type MemberEventEntry } from '../marketing/events/event-form.js'

/** The member page's 活动 tab label. */
export const MemberEventsTabLabel = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  return <span data-testid="member-tab-events">{t('member.tab')}</span>
}

/** The member's events (会员活动), latest first: the event, where they registered, whether they came. Store staff see their store's. */
export const MemberEventsTab = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data, error, refetch } = useApiQuery('/api/v1/members/{id}/events', { params: { path: { id: memberId } } })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} compact />
  if (!data) return <Skeleton active />
  const columns: TableColumnsType<MemberEventEntry> = [
    {
      key: 'event', title: t('member.event'),
      render: (_, x) => (
        <>
          <Link to={`/marketing/events/${x.event.id}`}>{x.event.title}</Link>{' '}
          <Tag color={STATUS_COLORS[x.event.status]}>{t(`statuses.${x.event.status}`)}</Tag>
        </>
      ),
    },
    { key: 'time', title: t('member.time'), width: 220, render: (_, x) => eventTimeText(x.event, tz) },
    { key: 'store', title: t('member.store'), width: 140, render: (_, x) => x.event.storeName ?? '—' },
    { key: 'registration', title: t('member.registration'), width: 200, render: (_, x) => `${formatDateTime(x.registration.registeredAt, tz)} · ${t(`channels.${x.registration.channel}`)}` },
    { key: 'status', title: t('member.status'), width: 90, render: (_, x) => <Tag color={REGISTRATION_COLORS[x.registration.status]}>{t(`registrationStatuses.${x.registration.status}`)}</Tag> },
    { key: 'checkedInAt', title: t('member.checkedInAt'), width: 140, render: (_, x) => formatDateTime(x.registration.checkedInAt, tz) },
  ]
  return (
    <Table<MemberEventEntry>
      size="small" rowKey={(x) => x.registration.id} pagination={false} dataSource={data.items} columns={columns}
      locale={{ emptyText: t('member.empty') }} scroll={{ x: 900 }} data-testid="member-events-table"
    />
  )
}
