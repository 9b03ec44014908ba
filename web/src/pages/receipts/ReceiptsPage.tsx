import { LeftOutlined, RightOutlined } from '@ant-design/icons'
import { keepPreviousData } from '@tanstack/react-query'
import { Button, Card, DatePicker, Flex, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { useStores } from '../../hooks/use-stores.js'
import { canReturn, dateRangeQuery, memberText, pointsTexts, type Receipt } from './receipt-format.js'
import { ReceiptDetail } from './ReceiptDetail.js'
import { ReturnApprovals } from './ReturnApprovals.js'
import { ReturnModal } from './ReturnModal.js'
import { TillSettingsButton } from './TillSettingsModal.js'

const PAGE_SIZE = 20

const secondary = (text: string) => <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{text}</Typography.Text></div>

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
  const { t } = useTranslation('receipts')
  const { t: tc } = useTranslation()
  const { user, chain, can } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? undefined
  const [form] = Form.useForm<FilterForm>()
  const { stores } = useStores()
  const [filters, setFilters] = useState<Filters>({ storeId: ownStore })
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined])
  const cursor = cursors[cursors.length - 1]
  // The page in hand stays on screen (dimmed) while the next one loads; a return reloads it.
  const { data: page, error, isFetching: loading, refetch } = useApiQuery(
    '/api/v1/receipts', { params: { query: { ...filters, cursor, limit: PAGE_SIZE } } }, { placeholderData: keepPreviousData },
  )
  const load = () => void refetch()
  const [returning, setReturning] = useState<Receipt | null>(null)

  const apply = (v: FilterForm) => {
    setFilters({ storeId: v.storeId || undefined, ...dateRangeQuery(v.dates), receiptNo: v.receiptNo?.trim() || undefined })
    setCursors([undefined])
  }

  const showMember = can('members.read')
  const mayReturn = can('receipts.return')
  // Fits 1440 px without a scroll bar: the store under the number, the till under the source.
  const columns = useMemo<TableColumnsType<Receipt>>(() => [
    { key: 'businessAt', title: t('businessAt'), render: (_, r) => formatDateTime(r.businessAt, tz), width: 148 },
    {
      key: 'receiptNo', title: t('receiptNo'),
      render: (_, r) => (
        <>
          <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>{r.receiptNo}</Typography.Text>
          {r.originalReceiptNo && secondary(t('original', { no: r.originalReceiptNo }))}
          {!ownStore && secondary(r.storeName ? `${r.storeCode ?? ''} ${r.storeName}` : r.storeId)}
        </>
      ),
    },
    {
      key: 'kind', title: t('kind'), width: 84,
      render: (_, r) => (
        <Space size={4} wrap>
          <Tag color={r.kind === 'sale' ? 'green' : 'volcano'}>{t(`kinds.${r.kind}`)}</Tag>
          {r.status === 'pending' && <Tag color="gold">{t('statuses.pending')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'member', title: t('member'), width: 150,
      render: (_, r) => {
        if (!r.memberId) return <Typography.Text type="secondary">{t('noMember')}</Typography.Text>
        const name = memberText(t as never, r) ?? t('viewMember')
        return showMember ? <Link to={`/members/${r.memberId}`} data-testid={`receipt-member-${r.receiptNo}`}>{name}</Link> : <span data-testid={`receipt-member-${r.receiptNo}`}>{name}</span>
      },
    },
    { key: 'total', title: t('total'), align: 'right', width: 100, render: (_, r) => formatMoney(r.kind === 'return' ? -r.total : r.total) },
    {
      key: 'points', title: t('points'), align: 'right', width: 110,
      render: (_, r) => {
        const texts = pointsTexts(t as never, r, formatCount)
        return texts.length === 0 ? '—' : texts.map((p) => <div key={p.text}><Typography.Text type={p.tone}>{p.text}</Typography.Text></div>)
      },
    },
    {
      key: 'source', title: t('source'), width: 150,
      render: (_, r) => (
        <>
          {t(`sources.${r.source as 'till'}`, { defaultValue: r.source })}
          {secondary([r.till, r.cashier].filter(Boolean).join(' / ') || '—')}
        </>
      ),
    },
    ...(mayReturn
      ? [{
          key: 'actions', title: '', width: 72,
          render: (_: unknown, r: Receipt) => (canReturn(r)
            ? <Button size="small" danger onClick={() => setReturning(r)} data-testid={`receipt-return-${r.receiptNo}`}>{t('returnAction')}</Button>
            : null),
        }]
      : []),
  ], [t, tz, showMember, mayReturn, ownStore])

  return (
    <Card title={t('title')} extra={can('chain.manage') ? <TillSettingsButton /> : null}>
      <ReturnApprovals />
      <Form form={form} layout="inline" initialValues={{ storeId: ownStore }} onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }} data-testid="receipts-filters">
        <Form.Item name="storeId">
          <Select
            allowClear={!ownStore} disabled={Boolean(ownStore)} showSearch={{ optionFilterProp: 'label' }} style={{ width: 200 }} placeholder={t('allStores')}
            options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))} data-testid="receipts-filter-store"
          />
        </Form.Item>
        <Form.Item name="dates" label={t('dates')}>
          <DatePicker.RangePicker data-testid="receipts-filter-dates" />
        </Form.Item>
        <Form.Item name="receiptNo">
          <Input allowClear placeholder={t('receiptNo')} style={{ width: 180 }} maxLength={64} data-testid="receipts-filter-no" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="receipts-filter-apply">{t('query')}</Button>
            <Button onClick={() => { form.resetFields(); apply({ storeId: ownStore }) }}>{tc('actions.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <Table<Receipt>
            data-testid="receipts-table" rowKey="id" size="middle" columns={columns} dataSource={page?.items ?? []} loading={loading} pagination={false}
            locale={{ emptyText: t('empty') }} scroll={{ x: 900 }}
            expandable={{ expandedRowRender: (r) => <ReceiptDetail receipt={r} /> }}
          />
        )}
      <ReturnModal key={returning?.id ?? 'none'} receipt={returning} onClose={() => setReturning(null)} />


      <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="receipts-page">{t('page', { page: cursors.length })}</Typography.Text>
        <Button icon={<LeftOutlined />} disabled={loading || cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="receipts-prev-page">
          {t('prev')}
        </Button>
        <Button disabled={loading || !page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])} data-testid="receipts-next-page">
          {t('next')}<RightOutlined />
        </Button>
      </Flex>
    </Card>
  )
}

export default ReceiptsPage
