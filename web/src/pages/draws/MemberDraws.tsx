import { GiftOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Select, Skeleton, Space, Table, Typography, type TableColumnsType } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'
import { useCursorPages } from '../../api/use-cursor-pages.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { drawPhase, type Draw, type DrawEntry } from './draw-form.js'
import { EntryCost, EntryOutcome } from './DrawResults.js'

/** The desk draws for the member in one of the open draws and sees the outcome at once. */
const DrawNow = ({ memberId, onDrawn }: { memberId: string; onDrawn: () => void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [open, setOpen] = useState<Draw[] | null>(null)
  const [drawId, setDrawId] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<DrawEntry | null>(null)
  useEffect(() => {
    let live = true
    call(api.GET('/api/v1/draws', { params: { query: { status: 'active', limit: 200 } } })).then((page) => {
      if (!live) return
      const now = new Date()
      const running = page.items.filter((d) => drawPhase(d, now) === 'open')
      setOpen(running)
      if (running.length === 1) setDrawId(running[0]!.id)
    }, () => live && setOpen([]))
    return () => {
      live = false
    }
  }, [])

  const draw = async () => {
    if (!drawId) return
    setBusy(true)
    setOutcome(null)
    try {
      const entry = await call(api.POST('/api/v1/draws/{id}/entries', { params: { path: { id: drawId } }, body: { memberId } }))
      setOutcome(entry)
      onDrawn()
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
  const [version, setVersion] = useState(0)
  const fetchPage = useCallback((cursor?: string) =>
    call(api.GET('/api/v1/members/{id}/draw-entries', { params: { path: { id: memberId }, query: cursor ? { cursor } : {} } })), [memberId])
  const { items, nextCursor, loadingMore, error, load, more } = useCursorPages(fetchPage, version)

  const columns: TableColumnsType<DrawEntry> = [
    { key: 'at', title: t('results.time'), width: 150, render: (_, e) => formatDateTime(e.createdAt, tz) },
    { key: 'draw', title: t('member.drawName'), render: (_, e) => <Link to={`/rewards/draws/${e.drawId}`}>{e.drawName}</Link> },
    { key: 'cost', title: t('results.cost'), width: 110, render: (_, e) => <EntryCost entry={e} /> },
    { key: 'outcome', title: t('results.outcome'), render: (_, e) => <EntryOutcome entry={e} /> },
    { key: 'actor', title: t('results.actor'), width: 140, render: (_, e) => e.actorName ?? '—' },
  ]

  return (
    <>
      {can('rewards.redeem') && <DrawNow memberId={memberId} onDrawn={() => setVersion((v) => v + 1)} />}
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
