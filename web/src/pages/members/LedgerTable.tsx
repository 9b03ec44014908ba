import { Button, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { LEDGER_KIND_COLORS, LEDGER_KINDS, ledgerCause, signedPoints, type LedgerEntry, type LedgerKind } from '../../shared/loyalty-format.js'
import { ReceiptRef } from '../../components/ReceiptRef.js'

/** The points ledger, newest first, a page at a time: every change with its balance after and its cause. */
export const LedgerTable = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { items: entries, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/members/{id}/points/entries', { params: { path: { id: memberId } } })


  const cause = (e: LedgerEntry) => {
    const c = ledgerCause(e)
    if (c.kind === 'receipt') return <ReceiptRef receiptId={c.receiptId} receiptNo={e.receiptNo} />
    if (c.kind === 'member') return <Link to={`/members/${c.memberId}`}>{t('ledger.mergedMember')}</Link>
    if (c.kind === 'lot') return t('ledger.lotExpired')
    return null
  }

  const columns: TableColumnsType<LedgerEntry> = [
    { title: t('ledger.time'), dataIndex: 'createdAt', width: 150, render: (at: string) => formatDateTime(at, tz) },
    {
      title: t('ledger.kind'), dataIndex: 'kind', width: 100,
      render: (kind: string) => (LEDGER_KINDS as string[]).includes(kind)
        ? <Tag color={LEDGER_KIND_COLORS[kind as LedgerKind]}>{t(`ledger.kinds.${kind as LedgerKind}`)}</Tag>
        : <Tag>{kind}</Tag>,
    },
    {
      title: t('ledger.points'), dataIndex: 'points', width: 100, align: 'right',
      render: (p: number) => <Typography.Text type={p < 0 ? 'danger' : 'success'} strong>{signedPoints(p)}</Typography.Text>,
    },
    {
      title: t('ledger.balanceAfter'), dataIndex: 'balanceAfter', width: 110, align: 'right',
      render: (b: number) => <Typography.Text type={b < 0 ? 'danger' : undefined}>{formatCount(b)}</Typography.Text>,
    },
    {
      title: t('ledger.cause'), key: 'cause',
      render: (_, e) => {
        const parts = [cause(e), e.reason ? <Typography.Text key="r">{e.reason}</Typography.Text> : null].filter(Boolean)
        return parts.length ? parts.map((p, i) => <span key={i}>{i > 0 && ' · '}{p}</span>) : '—'
      },
    },
    { title: t('ledger.actor'), dataIndex: 'actorName', width: 140, render: (a: string | null) => a ?? '—' },
  ]

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!entries) return <Skeleton active />
  return (
    <>
      <Table rowKey="id" size="small" columns={columns} dataSource={entries} pagination={false} data-testid="points-ledger" />
      {nextCursor && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={loadingMore} onClick={more} data-testid="points-ledger-more">{tc('actions.loadMore')}</Button>
        </div>
      )}
    </>
  )
}
