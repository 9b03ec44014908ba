import { Button, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../api/query.js'

import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import type { DrawEntry } from './draw-form.js'

/** What an entry cost: points, or why it was free. */
export const EntryCost = ({ entry }: { entry: DrawEntry }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  if (entry.costPoints > 0) return <>{t('pointsN', { n: formatCount(entry.costPoints) })}</>
  return <Tag>{entry.freeReason ? t(`freeReason.${entry.freeReason}`) : t('free')}</Tag>
}

/** An entry's outcome: the prize won (and whether it was the fallback), or no prize. */
export const EntryOutcome = ({ entry }: { entry: DrawEntry }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  return (
    <Space size={4} wrap>
      {entry.outcome === 'won' ? <Tag color="gold">{t('outcome.won')}</Tag> : <Tag>{t('outcome.lost')}</Tag>}
      {entry.prizeName && <Typography.Text strong>{entry.prizeName}</Typography.Text>}
      {entry.couponCode && <Typography.Text code copyable>{entry.couponCode}</Typography.Text>}
      {entry.fellBack && <Tag color="orange">{t('outcome.fellBack')}</Tag>}
    </Space>
  )
}

/** A draw's entries, newest first, a page at a time; the winners alone at a switch. */
export const DrawResults = ({ drawId }: { drawId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [wonOnly, setWonOnly] = useState(false)
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/draws/{id}/entries', { params: { path: { id: drawId }, query: wonOnly ? { won: true } : {} } })


  const columns: TableColumnsType<DrawEntry> = [
    { key: 'at', title: t('results.time'), width: 150, render: (_, e) => formatDateTime(e.createdAt, tz) },
    {
      key: 'member', title: t('results.member'), width: 200,
      render: (_, e) => <Link to={`/members/${e.memberId}`}>{e.memberCardNo ?? e.memberId}</Link>,
    },
    { key: 'name', title: t('results.memberName'), width: 100, render: (_, e) => e.memberName ?? '—' },
    { key: 'cost', title: t('results.cost'), width: 110, render: (_, e) => <EntryCost entry={e} /> },
    { key: 'outcome', title: t('results.outcome'), render: (_, e) => <EntryOutcome entry={e} /> },
    { key: 'actor', title: t('results.actor'), width: 140, render: (_, e) => e.actorName ?? '—' },
  ]

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Switch size="small" checked={wonOnly} onChange={setWonOnly} data-testid="draw-results-won" />
        <Typography.Text>{t('results.wonOnly')}</Typography.Text>
      </Space>
      <Table<DrawEntry>
        data-testid="draw-results" rowKey="id" size="small" columns={columns} dataSource={items ?? []} loading={items === null}
        pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('results.empty') }}
      />
      {nextCursor && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={loadingMore} onClick={more} data-testid="draw-results-more">{tc('actions.loadMore')}</Button>
        </div>
      )}
    </>
  )
}
