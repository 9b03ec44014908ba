import { DownloadOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons'
import { Button, Card, DatePicker, Flex, Form, Select, Space, Table, Typography, type TableColumnsType } from 'antd'
import { keepPreviousData } from '@tanstack/react-query'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery } from '../../api/query.js'

import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { CHANNELS, STATUSES, type Channel, type Member, type MemberStatus } from '../../shared/member-options.js'
import { MemberStatusTag } from '../../components/MemberStatusTag.js'
import { useStores } from '../../hooks/use-stores.js'

const PAGE_SIZE = 20

interface Filters {
  storeId?: string
  status?: MemberStatus
  channel?: Channel
  registeredFrom?: string
  registeredTo?: string
}

interface FilterForm {
  storeId?: string
  status?: MemberStatus
  channel?: Channel
  dates?: [Dayjs, Dayjs] | null
}

/** Dates picked are whole days in the chain's time zone; the API takes instants, the end exclusive. */
const toFilters = (v: FilterForm, tz: string): Filters => ({
  storeId: v.storeId || undefined,
  status: v.status || undefined,
  channel: v.channel || undefined,
  registeredFrom: v.dates ? dayjs.tz(v.dates[0].format('YYYY-MM-DD'), tz).toISOString() : undefined,
  registeredTo: v.dates ? dayjs.tz(v.dates[1].format('YYYY-MM-DD'), tz).add(1, 'day').toISOString() : undefined,
})

/** The export of the filtered members, in the console's language (headers, codes, times). */
const exportHref = (filters: Filters, format: 'csv' | 'xlsx', lang: string) => {
  const params = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])))
  if (lang === 'zh-CN' || lang === 'en-US') params.set('lang', lang)
  return `/api/v1/members/export.${format}?${params.toString()}`
}

/**
 * Members newest first, filtered on the server. The API pages by cursor, so "previous" walks
 * back a stack of the cursors that led to each page.
 */
export const MemberList = () => {
  const { t, i18n } = useTranslation('members')
  const { t: tc } = useTranslation()
  const { user, chain, can } = useSession()
  const { stores, storeName } = useStores()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? undefined
  const [form] = Form.useForm<FilterForm>()
  const [filters, setFilters] = useState<Filters>({ storeId: ownStore })
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined])
  const cursor = cursors[cursors.length - 1]
  // The page in hand stays on screen (dimmed) while the next one loads.
  const { data: page, error, isFetching: loading, refetch } = useApiQuery(
    '/api/v1/members', { params: { query: { ...filters, cursor, limit: PAGE_SIZE } } }, { placeholderData: keepPreviousData },
  )
  const load = () => void refetch()


  const apply = (values: FilterForm) => {
    setFilters(toFilters(values, tz))
    setCursors([undefined])
  }

  const columns = useMemo<TableColumnsType<Member>>(() => [
    { title: t('fields.cardNo'), dataIndex: 'cardNo', render: (cardNo: string, m) => <Link to={`/members/${m.id}`}>{cardNo}</Link> },
    { title: t('fields.name'), dataIndex: 'name', render: (name: string | null, m) => <Link to={`/members/${m.id}`}>{name ?? t('noName')}</Link> },
    { title: t('fields.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
    { title: t('fields.gender'), dataIndex: 'gender', render: (g: Member['gender']) => t(`genders.${g}`) },
    { title: t('fields.registrationStore'), dataIndex: 'registrationStoreId', render: (id: string | null) => storeName(id) ?? (id ? id : t('unassignedStore')) },
    { title: t('fields.channel'), dataIndex: 'registrationChannel', render: (c: Channel) => t(`channels.${c}`) },
    { title: t('fields.registeredAt'), dataIndex: 'registeredAt', render: (at: string) => formatDateTime(at, tz) },
    { title: t('fields.status'), dataIndex: 'status', render: (s: MemberStatus) => <MemberStatusTag status={s} /> },
  ], [t, tz, storeName])

  return (
    <Card
      title={t('list.title')}
      extra={can('members.export') && (
        <Space.Compact>
          <Button icon={<DownloadOutlined />} href={exportHref(filters, 'xlsx', i18n.language)} data-testid="members-export-xlsx">{t('list.exportXlsx')}</Button>
          <Button href={exportHref(filters, 'csv', i18n.language)} data-testid="members-export">{t('list.export')}</Button>
        </Space.Compact>
      )}
    >
      <Form form={form} layout="inline" initialValues={{ storeId: ownStore }} onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }} data-testid="members-filters">
        <Form.Item name="storeId">
          <Select
            allowClear={!ownStore} disabled={Boolean(ownStore)} showSearch={{ optionFilterProp: 'label' }} style={{ width: 200 }} placeholder={t('list.allStores')}
            options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="filter-store"
          />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear style={{ width: 140 }} placeholder={t('list.allStatuses')} options={STATUSES.filter((s) => s !== 'erased').map((s) => ({ value: s, label: t(`statuses.${s}`) }))} data-testid="filter-status" />
        </Form.Item>
        <Form.Item name="channel">
          <Select allowClear style={{ width: 140 }} placeholder={t('list.allChannels')} options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} data-testid="filter-channel" />
        </Form.Item>
        <Form.Item name="dates" label={t('list.dateRange')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="filter-apply">{t('list.query')}</Button>
            <Button onClick={() => { form.resetFields(); apply({ storeId: ownStore }) }}>{tc('actions.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <Table<Member>
            rowKey="id" size="middle" columns={columns} dataSource={page?.items ?? []} loading={loading} pagination={false}
            locale={{ emptyText: t('list.empty') }} data-testid="members-table" scroll={{ x: 900 }}
          />
        )}
      <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="members-page">{t('list.page', { page: cursors.length })}</Typography.Text>
        <Button icon={<LeftOutlined />} disabled={loading || cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="members-prev-page">
          {t('list.prev')}
        </Button>
        <Button disabled={loading || !page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])} data-testid="members-next-page">
          {t('list.next')}<RightOutlined />
        </Button>
      </Flex>
    </Card>
  )
}
