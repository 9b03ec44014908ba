import { Button, Card, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiPages, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { ReceiptDetail } from '../receipts/ReceiptDetail.js'
import { signedPoints } from '../../shared/loyalty-format.js'

type Receipt = GetData<'/api/v1/members/{id}/receipts'>['items'][number]

/** The member's receipts, newest first, with lines and tenders a click away. */
export const ReceiptsPanel = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { items: receipts, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/members/{id}/receipts', { params: { path: { id: memberId }, query: { limit: 20 } } })


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
    {
      // A return's points that paid are given back to the member, not used.
      title: t('receipts.pointsUsedColumn'), dataIndex: 'pointsUsed', align: 'right',
      render: (n: number, r) => (!n ? '—' : r.kind === 'return'
        ? <Typography.Text type="success">{t('receipts.pointsGivenBack', { points: formatCount(n) })}</Typography.Text>
        : formatCount(n)),
    },
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
