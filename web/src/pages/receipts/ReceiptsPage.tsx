import { LeftOutlined, RightOutlined } from '@ant-design/icons'
import { Button, Card, DatePicker, Flex, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import type { Dayjs } from 'dayjs'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import type { Store } from '../loyalty/types.js'
import { canReturn, dateRangeQuery, type Receipt } from './receipt-format.js'
import { ReceiptDetail } from './ReceiptDetail.js'
import { ReturnModal } from './ReturnModal.js'

const PAGE_SIZE = 20

interface Filters {
  storeId?: string
  from?: string
  to?: string
  receiptNo?: string
}

interface FilterForm {
  storeId?: string
  dates?: [Dayjs, Dayjs] | null
  receiptNo?: string
}

/**
 * Receipts newest first, filtered on the server (store roles: their store); a row opens to its
 * lines and tenders. The API pages by cursor, so "previous" walks back a stack of cursors.
 */
export const ReceiptsPage = () => {
  const { t } = useTranslation('loyaltySettings')
  const { t: tc } = useTranslation()
  const { user, chain, can } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? undefined
  const [form] = Form.useForm<FilterForm>()
  const [stores, setStores] = useState<Store[]>([])
  const [filters, setFilters] = useState<Filters>({ storeId: ownStore })
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined])
  const [page, setPage] = useState<{ items: Receipt[]; nextCursor: string | null } | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const cursor = cursors[cursors.length - 1]
  const [returning, setReturning] = useState<Receipt | null>(null)

  useEffect(() => {
    let live = true
    call(api.GET('/api/v1/stores')).then((s) => live && setStores(s), () => undefined)
    return () => {
      live = false
    }
  }, [])

  const load = useCallback(() => {
    let live = true
    setLoading(true)
    setError(null)
    call(api.GET('/api/v1/receipts', { params: { query: { ...filters, cursor, limit: PAGE_SIZE } } }))
      .then((p) => live && setPage(p), (err: unknown) => live && setError(err))
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [filters, cursor])
  useEffect(load, [load])

  const apply = (v: FilterForm) => {
    setFilters({ storeId: v.storeId || undefined, ...dateRangeQuery(v.dates), receiptNo: v.receiptNo?.trim() || undefined })
    setCursors([undefined])
  }

  const showMember = can('members.read')
  const mayReturn = can('receipts.post')
  const columns = useMemo<TableColumnsType<Receipt>>(() => [
    { key: 'businessAt', title: t('receipts.businessAt'), render: (_, r) => formatDateTime(r.businessAt, tz), width: 150 },
    { key: 'store', title: t('receipts.store'), render: (_, r) => (r.storeName ? `${r.storeCode ?? ''} ${r.storeName}` : r.storeId) },
    {
      key: 'receiptNo', title: t('receipts.receiptNo'),
      render: (_, r) => (
        <>
          <Typography.Text strong>{r.receiptNo}</Typography.Text>
          {r.originalReceiptNo && <div><Typography.Text type="secondary">{t('receipts.original', { no: r.originalReceiptNo })}</Typography.Text></div>}
        </>
      ),
    },
    {
      key: 'kind', title: t('receipts.kind'),
      render: (_, r) => (
        <Space size={4}>
          <Tag color={r.kind === 'sale' ? 'green' : 'volcano'}>{t(`receipts.kinds.${r.kind}`)}</Tag>
          {r.status === 'pending' && <Tag color="gold">{t('receipts.statuses.pending')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'member', title: t('receipts.member'),
      render: (_, r) => (!r.memberId
        ? <Typography.Text type="secondary">{t('receipts.noMember')}</Typography.Text>
        : showMember ? <Link to={`/members/${r.memberId}`}>{t('receipts.viewMember')}</Link> : t('receipts.viewMember')),
    },
    { key: 'total', title: t('receipts.total'), align: 'right', render: (_, r) => formatMoney(r.kind === 'return' ? -r.total : r.total) },
    {
      key: 'points', title: t('receipts.points'), align: 'right',
      render: (_, r) => (
        <Space size={4} wrap style={{ justifyContent: 'flex-end' }}>
          {r.points !== 0 && <Typography.Text type={r.kind === 'return' ? 'danger' : 'success'}>{r.kind === 'return' ? `-${formatCount(r.points)}` : t('receipts.earned', { points: formatCount(r.points) })}</Typography.Text>}
          {r.pointsUsed !== 0 && <Typography.Text type="secondary">{t('receipts.used', { points: formatCount(r.pointsUsed) })}</Typography.Text>}
          {r.points === 0 && r.pointsUsed === 0 && '—'}
        </Space>
      ),
    },
    { key: 'source', title: t('receipts.source'), render: (_, r) => t(`receipts.sources.${r.source as 'till'}`, { defaultValue: r.source }) },
    { key: 'cashier', title: t('receipts.cashier'), render: (_, r) => [r.till, r.cashier].filter(Boolean).join(' / ') || '—' },
    ...(mayReturn
      ? [{
          key: 'actions', title: '', width: 80,
          render: (_: unknown, r: Receipt) => (canReturn(r)
            ? <Button size="small" danger onClick={() => setReturning(r)} data-testid={`receipt-return-${r.receiptNo}`}>{t('receipts.returnAction')}</Button>
            : null),
        }]
      : []),
  ], [t, tz, showMember, mayReturn])

  return (
    <Card title={t('receipts.title')}>
      <Form form={form} layout="inline" initialValues={{ storeId: ownStore }} onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }} data-testid="receipts-filters">
        <Form.Item name="storeId">
          <Select
            allowClear={!ownStore} disabled={Boolean(ownStore)} showSearch={{ optionFilterProp: 'label' }} style={{ width: 200 }} placeholder={t('receipts.allStores')}
            options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))} data-testid="receipts-filter-store"
          />
        </Form.Item>
        <Form.Item name="dates" label={t('receipts.dates')}>
          <DatePicker.RangePicker data-testid="receipts-filter-dates" />
        </Form.Item>
        <Form.Item name="receiptNo">
          <Input allowClear placeholder={t('receipts.receiptNo')} style={{ width: 180 }} maxLength={64} data-testid="receipts-filter-no" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="receipts-filter-apply">{t('receipts.query')}</Button>
            <Button onClick={() => { form.resetFields(); apply({ storeId: ownStore }) }}>{tc('actions.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <Table<Receipt>
            data-testid="receipts-table" rowKey="id" size="middle" columns={columns} dataSource={page?.items ?? []} loading={loading} pagination={false}
            locale={{ emptyText: t('receipts.empty') }} scroll={{ x: 1100 }}
            expandable={{ expandedRowRender: (r) => <ReceiptDetail receipt={r} /> }}
          />
        )}
      <ReturnModal key={returning?.id ?? 'none'} receipt={returning} onClose={() => setReturning(null)} onReturned={load} />
      <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="receipts-page">{t('receipts.page', { page: cursors.length })}</Typography.Text>
        <Button icon={<LeftOutlined />} disabled={loading || cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="receipts-prev-page">
          {t('receipts.prev')}
        </Button>
        <Button disabled={loading || !page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])} data-testid="receipts-next-page">
          {t('receipts.next')}<RightOutlined />
        </Button>
      </Flex>
    </Card>
  )
}

export default ReceiptsPage
