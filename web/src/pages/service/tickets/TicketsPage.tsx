import { PlusOutlined } from '@ant-design/icons'
import { App, Badge, Button, Card, Flex, Input, Select, Table, Tabs, TreeSelect, Typography } from 'antd'
import { useQueries } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api, call } from '../../../api/client.js'
import { apiKey, useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { useStores } from '../../../hooks/use-stores.js'
import { categoryLabel, moveSelection, nextDeadline, takenBy } from './ticket-format.js'
import { Countdown, SeverityTag, StatusTag } from './TicketTags.js'
import { QUEUES, SEVERITIES, STATUSES, type Queue, type Severity, type Ticket, type TicketStatus } from './types.js'
import { useDesk } from './use-desk.js'
import { useNow } from './use-now.js'

const COUNT_LIMIT = 100

/** Whether a key press belongs to a field (typing), not to the queue's shortcuts. */
const typing = (target: EventTarget | null) => {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('.ant-select, .ant-modal, .ant-drawer, .ant-picker'))
}

/** Each queue's count of open tickets (COUNT_LIMIT+ past a page), for the tabs. */
const useQueueCounts = (storeId: string | undefined) => {
  const results = useQueries({
    queries: QUEUES.map((queue) => {
      const init = { params: { query: { queue, open: true, limit: COUNT_LIMIT, ...(storeId ? { storeId } : {}) } } }
      return {
        queryKey: [...apiKey('/api/v1/tickets', init), 'count'],
        queryFn: ({ signal }: { signal: AbortSignal }) => call(api.GET('/api/v1/tickets', { ...init, signal })),
      }
    }),
  })
  return Object.fromEntries(QUEUES.map((q, i) => {
    const data = results[i]?.data
    return [q, data ? (data.nextCursor ? `${COUNT_LIMIT}+` : String(data.items.length)) : null]
  })) as Record<Queue, string | null>
}

/** The complaints queues: mine, my team's, unassigned, due soon, overdue, all; by keyboard too. */
export const TicketsPage = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const { user, can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const navigate = useNavigate()
  const { stores } = useStores()
  const desk = useDesk({ teams: false })
  const now = useNow()
  const [queue, setQueue] = useState<Queue>(can('service.handle') ? 'mine' : 'all')
  const [status, setStatus] = useState<TicketStatus | undefined>()
  const [severity, setSeverity] = useState<Severity | undefined>()
  const [categoryId, setCategoryId] = useState<string | undefined>()
  const [storeId, setStoreId] = useState<string | undefined>()
  const [q, setQ] = useState('')
  const [selected, setSelected] = useState(-1)
  const [taking, setTaking] = useState<string | null>(null)
  const counts = useQueueCounts(storeId)

  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/tickets', {
    params: {
      query: {
        queue, limit: 50,
        ...(status ? { status } : {}), ...(severity ? { severity } : {}), ...(categoryId ? { categoryId } : {}),
        ...(storeId ? { storeId } : {}), ...(q ? { q } : {}),
      },
    },
  })
  const rows = useMemo(() => items ?? [], [items])
  useEffect(() => setSelected(-1), [queue, status, severity, categoryId, storeId, q])

  const open = useCallback((ticket: Ticket | undefined) => {
    if (ticket) void navigate(`/service/tickets/${ticket.id}`)
  }, [navigate])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      if (e.key === 'n' && can('service.intake')) {
        e.preventDefault()
        void navigate('/service/tickets/new')
      } else if (e.key === 'Enter' && selected >= 0) {
        e.preventDefault()
        open(rows[selected])
      } else if (['j', 'k', 'ArrowDown', 'ArrowUp'].includes(e.key)) {
        e.preventDefault()
        setSelected((i) => moveSelection(i, e.key, rows.length))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [rows, selected, open, navigate, can])

  useEffect(() => {
    if (selected >= 0) document.querySelector(`[data-row-key="${rows[selected]?.id}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [selected, rows])

  const take = async (ticket: Ticket) => {
    setTaking(ticket.id)
    try {
      await call(api.POST('/api/v1/tickets/{id}/take', { params: { path: { id: ticket.id } } }))
      message.success(t('queue.taken'))
    } catch (err) {
      message.error(takenBy(err) ? t('takeConflict', { name: takenBy(err) }) : errorText(err))
    } finally {
      setTaking(null)
    }
  }

  const mayTake = (ticket: Ticket) =>
    can('service.handle') && ['new', 'assigned'].includes(ticket.status) && ticket.assigneeId !== user?.id

  return (
    <Card
      title={t('title')}
      extra={can('service.intake') && <Link to="/service/tickets/new"><Button type="primary" icon={<PlusOutlined />} data-testid="tickets-new">{t('queue.new')}</Button></Link>}
    >
      <Tabs
        activeKey={queue} onChange={(k) => setQueue(k as Queue)} data-testid="tickets-queues"
        items={QUEUES.map((key) => ({
          key,
          label: (
            <span data-testid={`tickets-queue-${key}`}>
              {t(`queue.tabs.${key}`)}{' '}
              {counts[key] !== null && <Badge count={counts[key]} showZero overflowCount={Number.MAX_SAFE_INTEGER} color={key === 'overdue' && counts[key] !== '0' ? '#cf1322' : '#bfbfbf'} data-testid={`tickets-count-${key}`} />}
            </span>
          ),
        }))}
      />
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear placeholder={t('queue.allStatuses')} style={{ width: 130 }} value={status} onChange={setStatus} data-testid="tickets-status"
          options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
        />
        <Select
          allowClear placeholder={t('queue.allSeverities')} style={{ width: 130 }} value={severity} onChange={setSeverity} data-testid="tickets-severity"
          options={SEVERITIES.map((s) => ({ value: s, label: t(`severities.${s}`) }))}
        />
        <TreeSelect
          allowClear showSearch treeNodeFilterProp="title" placeholder={t('queue.allCategories')} style={{ width: 180 }} value={categoryId} onChange={setCategoryId}
          treeData={desk.tree} treeDefaultExpandAll data-testid="tickets-category"
        />
        {!user?.storeId && (
          <Select
            allowClear showSearch optionFilterProp="label" placeholder={t('queue.allStores')} style={{ width: 200 }} value={storeId} onChange={setStoreId} data-testid="tickets-store"
            options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
          />
        )}
        <Input.Search allowClear placeholder={t('queue.search')} style={{ width: 220 }} onSearch={(v) => setQ(v.trim())} data-testid="tickets-search" />
      </Flex>
      {error
        ? <ErrorResult error={error} onRetry={load} />
        : (
            <>
              <Table<Ticket>
                size="middle" rowKey="id" pagination={false} loading={items === null} dataSource={rows} data-testid="tickets-table"
                locale={{ emptyText: t('queue.empty') }}
                rowClassName={(_, i) => (i === selected ? 'ant-table-row-selected' : '')}
                onRow={(r, i) => ({ onClick: () => setSelected(i ?? -1), onDoubleClick: () => open(r) })}
                scroll={{ x: 'max-content' }}
                columns={[
                  { key: 'ticketNo', title: t('queue.columns.ticketNo'), render: (_, r) => <Link to={`/service/tickets/${r.id}`} data-testid="ticket-no">{r.ticketNo}</Link> },
                  { key: 'category', title: t('queue.columns.category'), render: (_, r) => categoryLabel(r, desk.english) },
                  { key: 'severity', title: t('queue.columns.severity'), render: (_, r) => <SeverityTag severity={r.severity} /> },
                  {
                    key: 'customer', title: t('queue.columns.customer'),
                    render: (_, r) => (r.memberId
                      ? <Link to={`/members/${r.memberId}`} onClick={(e) => e.stopPropagation()}>{r.memberName ?? r.memberCardNo ?? r.memberId}</Link>
                      : <Typography.Text type="secondary">{r.contactName ?? r.contactPhone ?? t('queue.anonymous')}</Typography.Text>),
                  },
                  { key: 'store', title: t('queue.columns.store'), render: (_, r) => r.storeName ?? r.storeId },
                  {
                    key: 'assignee', title: t('queue.columns.assignee'),
                    render: (_, r) => (r.assigneeName ?? r.teamName ?? <Typography.Text type="secondary">{t('queue.unassigned')}</Typography.Text>),
                  },
                  { key: 'status', title: t('queue.columns.status'), render: (_, r) => <StatusTag status={r.status} /> },
                  {
                    key: 'deadline', title: t('queue.columns.deadline'),
                    render: (_, r) => {
                      const next = nextDeadline(r)
                      return next
                        ? <span title={t(`deadlineKinds.${next.kind}`)}><Countdown dueAt={next.dueAt} now={now} soonMs={desk.soonMs} testId="ticket-countdown" /></span>
                        : <Typography.Text type="secondary">—</Typography.Text>
                    },
                  },
                  {
                    key: 'escalation', title: t('queue.columns.escalation'),
                    render: (_, r) => (r.escalationLevel > 0
                      ? <Typography.Text type="danger" data-testid="ticket-escalation">{t('queue.escalationLevel', { level: r.escalationLevel })}{r.escalatedTo ? ` · ${t(`escalationSteps.${r.escalatedTo}`)}` : ''}</Typography.Text>
                      : '—'),
                  },
                  {
                    key: 'actions', title: '', width: 80,
                    render: (_, r) => mayTake(r) && (
                      <Button size="small" loading={taking === r.id} onClick={(e) => { e.stopPropagation(); void take(r) }} data-testid={`ticket-take-${r.id}`}>{t('queue.take')}</Button>
                    ),
                  },
                ]}
              />
              {nextCursor && (
                <div style={{ textAlign: 'center', marginTop: 16 }}>
                  <Button loading={loadingMore} onClick={more} data-testid="tickets-more">{tc('actions.loadMore')}</Button>
                </div>
              )}
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{t('queue.keys')}</Typography.Paragraph>
            </>
          )}
    </Card>
  )
}

export default TicketsPage
