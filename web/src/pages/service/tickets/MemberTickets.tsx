import { PlusOutlined } from '@ant-design/icons'
import { Button, Card, Flex, Skeleton, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { categoryLabel, newTicketLink, nextDeadline } from './ticket-format.js'
import { Countdown, SeverityTag, StatusTag } from './TicketTags.js'
import type { Ticket } from './types.js'
import { useDesk } from './use-desk.js'
import { useNow } from './use-now.js'

/** The member page's 服务 tab label. */
export const MemberServiceTabLabel = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return <span data-testid="member-tab-service">{t('member.title')}</span>
}

/** The member page's complaints (服务 tab), newest first, with the desk's "登记投诉" for this member. */
export const MemberTickets = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const desk = useDesk({ teams: false })
  const now = useNow(5000)
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/members/{id}/tickets', { params: { path: { id: memberId }, query: { limit: 20 } } })

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!items) return <Skeleton active />
  return (
    <Card
      size="small" title={t('member.tickets')} data-testid="member-tickets"
      extra={can('service.intake') && (
        <Link to={newTicketLink({ memberId })}>
          <Button type="primary" size="small" icon={<PlusOutlined />} data-testid="member-new-ticket">{t('member.new')}</Button>
        </Link>
      )}
    >
      <Table<Ticket>
        size="small" rowKey="id" pagination={false} dataSource={items} locale={{ emptyText: t('member.empty') }} data-testid="member-tickets-table"
        columns={[
          { key: 'ticketNo', title: t('queue.columns.ticketNo'), render: (_, r) => <Link to={`/service/tickets/${r.id}`}>{r.ticketNo}</Link> },
          { key: 'createdAt', title: t('detail.createdAt'), render: (_, r) => formatDateTime(r.createdAt, tz) },
          { key: 'category', title: t('queue.columns.category'), render: (_, r) => categoryLabel(r, desk.english) },
          { key: 'severity', title: t('queue.columns.severity'), render: (_, r) => <SeverityTag severity={r.severity} /> },
          { key: 'store', title: t('queue.columns.store'), render: (_, r) => r.storeName ?? r.storeId },
          { key: 'status', title: t('queue.columns.status'), render: (_, r) => <StatusTag status={r.status} /> },
          {
            key: 'deadline', title: t('queue.columns.deadline'),
            render: (_, r) => {
              const next = nextDeadline(r)
              return next ? <Countdown dueAt={next.dueAt} now={now} soonMs={desk.soonMs} /> : <Typography.Text type="secondary">—</Typography.Text>
            },
          },
        ]}
      />
      {nextCursor && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button>
        </Flex>
      )}
    </Card>
  )
}

export default MemberTickets
