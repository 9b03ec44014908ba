import { PlusOutlined } from '@ant-design/icons'
import { Button, Card, DatePicker, Input, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { useStores } from '../../../hooks/use-stores.js'
import { NewSuggestionModal } from './NewSuggestionModal.js'
import { SuggestionDrawer } from './SuggestionDrawer.js'
import { SuggestionStats } from './SuggestionStats.js'
import { CATEGORIES, STATUS_COLORS, STATUSES, type Suggestion, type SuggestionCategory, type SuggestionStatus } from './suggestion-words.js'

interface Filters {
  status?: SuggestionStatus
  category?: SuggestionCategory
  storeId?: string
  q?: string
  range?: [Dayjs, Dayjs] | null
}

const SuggestionList = ({ onOpen }: { onOpen: (id: string) => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: tc } = useTranslation()
  const { user, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { stores } = useStores()
  const [filters, setFilters] = useState<Filters>({})
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }))
  const query = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.storeId ? { storeId: filters.storeId } : {}),
    ...(filters.q?.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.range ? { from: filters.range[0].format('YYYY-MM-DD'), to: filters.range[1].format('YYYY-MM-DD') } : {}),
  }
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/suggestions', { params: { query } })

  const columns: TableColumnsType<Suggestion> = [
    { key: 'number', title: t('suggestions.columns.number'), width: 150, render: (_, s) => <Typography.Link onClick={() => onOpen(s.id)} data-testid={`suggestion-open-${s.id}`}>{s.number}</Typography.Link> },
    { key: 'createdAt', title: t('suggestions.columns.createdAt'), width: 140, render: (_, s) => formatDateTime(s.createdAt, tz) },
    { key: 'category', title: t('suggestions.columns.category'), width: 100, render: (_, s) => t(`categories.${s.category}`) },
    ...(user?.storeId ? [] : [{ key: 'store', title: t('suggestions.columns.store'), width: 120, render: (_: unknown, s: Suggestion) => s.storeName ?? '—' }]),
    { key: 'text', title: t('suggestions.columns.text'), render: (_, s) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{s.text}</Typography.Paragraph> },
    { key: 'customer', title: t('suggestions.columns.customer'), width: 130, render: (_, s) => s.memberCardNo ?? s.contact ?? t('suggestions.anonymous') },
    { key: 'channel', title: t('suggestions.columns.channel'), width: 100, render: (_, s) => t(`channels.${s.channel}`) },
    { key: 'status', title: t('suggestions.columns.status'), width: 90, render: (_, s) => <Tag color={STATUS_COLORS[s.status]}>{t(`statuses.${s.status}`)}</Tag> },
  ]

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<SuggestionStatus>
          allowClear placeholder={t('suggestions.filters.status')} style={{ width: 130 }} value={filters.status} onChange={(status) => set({ status })}
          options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} data-testid="suggestions-filter-status"
        />
        <Select<SuggestionCategory>
          allowClear placeholder={t('suggestions.filters.category')} style={{ width: 130 }} value={filters.category} onChange={(category) => set({ category })}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))} data-testid="suggestions-filter-category"
        />
        {!user?.storeId && (
          <Select<string>
            allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('suggestions.filters.store')} style={{ width: 160 }} value={filters.storeId}
            onChange={(storeId) => set({ storeId })} options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="suggestions-filter-store"
          />
        )}
        <DatePicker.RangePicker value={filters.range ?? null} onChange={(range) => set({ range: range as [Dayjs, Dayjs] | null })} data-testid="suggestions-filter-range" />
        <Input.Search allowClear placeholder={t('suggestions.filters.search')} style={{ width: 220 }} onSearch={(q) => set({ q })} data-testid="suggestions-search" />
      </Space>
      {error ? <ErrorResult error={error} onRetry={load} compact /> : (
        <>
          <Table<Suggestion>
            rowKey="id" size="middle" columns={columns} dataSource={items ?? []} loading={items === null} pagination={false} scroll={{ x: 1000 }}
            locale={{ emptyText: t('suggestions.empty') }} data-testid="suggestions-table"
            onRow={(s) => ({ onDoubleClick: () => onOpen(s.id) })}
          />
          {nextCursor && <div style={{ textAlign: 'center', marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button></div>}
        </>
      )}
    </>
  )
}

/** The suggestion box (意见箱): the list to triage, monthly counts by category and store, and what adopted suggestions changed. */
export const SuggestionsPage = () => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { can } = useSession()
  const [open, setOpen] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  return (
    <Card
      title={t('suggestions.title')}
      extra={can('service.intake') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="suggestion-create">{t('suggestions.newButton')}</Button>}
    >
      <Tabs
        data-testid="suggestions-tabs"
        items={[
          { key: 'list', label: t('suggestions.tabs.list'), children: <SuggestionList onOpen={setOpen} /> },
          { key: 'stats', label: t('suggestions.tabs.stats'), children: <SuggestionStats view="counts" /> },
          { key: 'adopted', label: t('suggestions.tabs.adopted'), children: <SuggestionStats view="adopted" /> },
        ]}
      />
      <SuggestionDrawer id={open} onClose={() => setOpen(null)} />
      {creating && <NewSuggestionModal onClose={() => setCreating(false)} onCreated={(s) => { setCreating(false); setOpen(s.id) }} />}
    </Card>
  )
}

export default SuggestionsPage
