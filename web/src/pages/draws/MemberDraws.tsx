import { GiftOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Select, Skeleton, Space, Table, Typography, type TableColumnsType } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'
import { useApiPages, useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { drawPhase, type Draw, type DrawEntry } from './draw-form.js'
import { EntryCost, EntryOutcome } from './DrawResults.js'

/** The desk draws for the member in one of the open draws and sees the outcome at once. */
const DrawNow = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const active = useApiQuery('/api/v1/draws', { params: { query: { status: 'active', limit: 200 } } })
  // The draws open now (none if they cannot be read); null while loading.
  const open = useMemo<Draw[] | null>(() => {
    if (active.error) return []
    if (!active.data) return null
    const now = new Date()
    return active.data.items.filter((d) => drawPhase(d, now) === 'open')
  }, [active.data, active.error])
  const [drawId, setDrawId] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<DrawEntry | null>(null)
  // The only open draw is chosen for the desk.
  const only = open?.length === 1 ? open[0]!.id : undefined
  useEffect(() => {
    if (only) setDrawId((current) => current ?? only)
  }, [only])

  const draw = async () => {
    if (!drawId) return
    setBusy(true)
    setOutcome(null)
    try {
      const entry = await call(api.POST('/api/v1/draws/{id}/entries', { params: { path: { id: drawId } }, body: { memberId } }))
      setOutcome(entry)

    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  if (!open) return <Skeleton active paragraph={{ rows: 1 }} />
  const chosen = open.find((d) => d.id === drawId)
  return (
    <Card size="small" title={t('member.drawNow')} style={{ marginBottom: 16 }}>
      {open.length === 0
        ? <Typography.Text type="secondary" data-testid="member-draw-none">{t('member.noOpenDraws')}</Typography.Text>
        : (
          <Space wrap>
            <Select
              data-testid="member-draw-select" value={drawId} onChange={setDrawId} style={{ width: 280 }} placeholder={t('member.pickDraw')}
              options={open.map((d) => ({ value: d.id, label: d.name }))}
            />
            {chosen && (
              <Typography.Text type="secondary">
                {chosen.entryPoints === 0 ? t('free') : t('member.costs', { n: formatCount(chosen.entryPoints) })}
              </Typography.Text>
            )}
            <Button type="primary" icon={<GiftOutlined />} disabled={!drawId} loading={busy} onClick={() => void draw()} data-testid="member-draw-button">{t('member.draw')}</Button>
          </Space>
        )}
      {outcome && (
        <Alert
          data-testid="member-draw-outcome" style={{ marginTop: 12 }} showIcon closable onClose={() => setOutcome(null)}
          type={outcome.outcome === 'won' ? 'success' : 'info'}
          title={outcome.outcome === 'won' ? t('member.wonPrize', { prize: outcome.prizeName ?? '' }) : t('member.noPrize')}
          description={(
            <Space wrap>
              <EntryCost entry={outcome} />
              <EntryOutcome entry={outcome} />
            </Space>
          )}
        />
      )}
    </Card>
  )
}

/** The member's draw entries across draws, newest first, and (for the desk) a draw now. */
export const MemberDraws = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/members/{id}/draw-entries', { params: { path: { id: memberId } } })

  const columns: TableColumnsType<DrawEntry> = [
    { key: 'at', title: t('results.time'), width: 150, render: (_, e) => formatDateTime(e.createdAt, tz) },
    { key: 'draw', title: t('member.drawName'), render: (_, e) => <Link to={`/rewards/draws/${e.drawId}`}>{e.drawName}</Link> },
    { key: 'cost', title: t('results.cost'), width: 110, render: (_, e) => <EntryCost entry={e} /> },
    { key: 'outcome', title: t('results.outcome'), render: (_, e) => <EntryOutcome entry={e} /> },
    { key: 'actor', title: t('results.actor'), width: 140, render: (_, e) => e.actorName ?? '—' },
  ]

  return (
    <>
      {can('rewards.redeem') && <DrawNow memberId={memberId} />}

      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <>
            <Table<DrawEntry>
              data-testid="member-draw-entries" rowKey="id" size="small" columns={columns} dataSource={items ?? []} loading={items === null}
              pagination={false} scroll={{ x: 800 }} locale={{ emptyText: t('member.empty') }}
            />
            {nextCursor && (
              <div style={{ textAlign: 'center', marginTop: 16 }}>
                <Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button>
              </div>
            )}
          </>
        )}
    </>
  )
}
