import { Button, Card, Descriptions, Flex, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { formatQuantity, signedPoints } from './loyalty-format.js'

type Receipt = paths['/api/v1/members/{id}/receipts']['get']['responses']['200']['content']['application/json']['items'][number]
type Line = Receipt['lines'][number]
type Tender = Receipt['tenders'][number]

const TENDER_KINDS = ['cash', 'bank_card', 'wechat_pay', 'alipay', 'points', 'coupon', 'stored_value', 'other'] as const

/** A receipt's lines and how it was paid. */
const ReceiptDetail = ({ receipt }: { receipt: Receipt }) => {
  const { t } = useTranslation('loyalty')
  const lineColumns: TableColumnsType<Line> = [
    { title: '#', dataIndex: 'lineNo', width: 48 },
    { title: t('receipts.product'), key: 'name', render: (_, l) => (l.name && l.name !== l.sku ? <>{l.name} <Typography.Text type="secondary">{l.sku}</Typography.Text></> : l.sku) },
    { title: t('receipts.quantity'), key: 'quantity', align: 'right', render: (_, l) => formatQuantity(l.quantity, l.unit) },
    { title: t('receipts.unitPrice'), key: 'unitPrice', align: 'right', render: (_, l) => `${formatMoney(l.unitPrice)}${l.unit === 'g' ? '/kg' : ''}` },
    { title: t('receipts.discount'), dataIndex: 'discount', align: 'right', render: (d: number) => (d ? formatMoney(-d) : '—') },
    { title: t('receipts.amount'), dataIndex: 'amount', align: 'right', render: (a: number) => formatMoney(a) },
    { title: t('receipts.points'), dataIndex: 'points', align: 'right', render: (p: number) => signedPoints(p) },
    {
      title: t('receipts.returned'), key: 'returned', align: 'right',
      render: (_, l) => (l.returnedQuantity ? <Tag color="orange">{formatQuantity(l.returnedQuantity, l.unit)}</Tag> : '—'),
    },
  ]
  const tender = (k: string) => ((TENDER_KINDS as readonly string[]).includes(k) ? t(`receipts.tenders.${k as (typeof TENDER_KINDS)[number]}`) : k)
  return (
    <Flex vertical gap={8} data-testid={`receipt-detail-${receipt.receiptNo}`}>
      <Table rowKey="lineNo" size="small" pagination={false} columns={lineColumns} dataSource={receipt.lines} />
      <Descriptions
        size="small" column={{ xs: 1, md: 3 }}
        items={[
          {
            key: 'tenders', label: t('receipts.paidBy'),
            children: receipt.tenders.length
              ? receipt.tenders.map((x: Tender, i) => <Tag key={i}>{tender(x.kind)} {formatMoney(x.amount)}{x.points ? ` (${t('receipts.pointsUsed', { points: formatCount(x.points) })})` : ''}</Tag>)
              : '—',
          },
          { key: 'cashier', label: t('receipts.cashier'), children: receipt.cashier ?? '—' },
          ...(receipt.originalReceiptNo ? [{ key: 'original', label: t('receipts.original'), children: receipt.originalReceiptNo }] : []),
        ]}
      />
    </Flex>
  )
}

/** The member's receipts, newest first, with lines and tenders a click away. */
export const ReceiptsPanel = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('loyalty')
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [receipts, setReceipts] = useState<Receipt[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const fetchPage = useCallback((cursor?: string) =>
    call(api.GET('/api/v1/members/{id}/receipts', { params: { path: { id: memberId }, query: cursor ? { cursor, limit: 20 } : { limit: 20 } } })), [memberId])

  const load = useCallback(() => {
    setError(null)
    setReceipts(null)
    fetchPage().then((p) => { setReceipts(p.items); setNextCursor(p.nextCursor) }, setError)
  }, [fetchPage])
  useEffect(load, [load])

  const more = () => {
    if (!nextCursor) return
    setLoadingMore(true)
    fetchPage(nextCursor)
      .then((p) => { setReceipts((r) => [...(r ?? []), ...p.items]); setNextCursor(p.nextCursor) }, setError)
      .finally(() => setLoadingMore(false))
  }

  const columns: TableColumnsType<Receipt> = [
    { title: t('receipts.time'), dataIndex: 'businessAt', width: 150, render: (at: string) => formatDateTime(at, tz) },
    { title: t('receipts.receiptNo'), dataIndex: 'receiptNo', render: (no: string) => <Typography.Text copyable>{no}</Typography.Text> },
    {
      title: t('receipts.kind'), key: 'kind', width: 110,
      render: (_, r) => (
        <>
          <Tag color={r.kind === 'sale' ? 'green' : 'orange'}>{t(`receipts.kinds.${r.kind}`)}</Tag>
          {r.status === 'pending' && <Tag color="gold">{t('receipts.pending')}</Tag>}
        </>
      ),
    },
    { title: t('receipts.store'), key: 'store', render: (_, r) => r.storeName ?? r.storeCode ?? r.storeId },
    { title: t('receipts.total'), dataIndex: 'total', align: 'right', render: (n: number, r) => formatMoney(r.kind === 'return' ? -n : n) },
    {
      title: t('receipts.points'), key: 'points', align: 'right',
      render: (_, r) => <Typography.Text type={r.kind === 'return' ? 'danger' : 'success'}>{signedPoints(r.kind === 'return' ? -r.points : r.points)}</Typography.Text>,
    },
    { title: t('receipts.pointsUsedColumn'), dataIndex: 'pointsUsed', align: 'right', render: (n: number) => (n ? formatCount(n) : '—') },
  ]

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!receipts) return <Skeleton active />
  return (
    <Card variant="borderless">
      <Table
        rowKey="id" size="small" columns={columns} dataSource={receipts} pagination={false} data-testid="member-receipts"
        expandable={{ expandedRowRender: (r) => <ReceiptDetail receipt={r} /> }}
      />
      {nextCursor && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={loadingMore} onClick={more} data-testid="member-receipts-more">{tc('actions.loadMore')}</Button>
        </div>
      )}
    </Card>
  )
}
