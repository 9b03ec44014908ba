import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useApiPages } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { drawPhase, PHASE_COLORS, type Draw } from './draw-form.js'
import { DrawFormModal } from './DrawFormModal.js'
import { usePrizeTargets } from './use-prize-targets.js'

type StatusFilter = Draw['status'] | 'all'

/** Lucky draws, newest first, with their window, entry cost and prizes; created here by those who manage rewards. */
export const DrawsPage = () => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const manage = can('rewards.manage')
  const [status, setStatus] = useState<StatusFilter>('all')
  const [creating, setCreating] = useState(false)
  const targets = usePrizeTargets()
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/draws', { params: { query: status === 'all' ? {} : { status } } })


  const now = new Date()
  const columns: TableColumnsType<Draw> = [
    { key: 'name', title: t('list.name'), render: (_, d) => <Link to={`/rewards/draws/${d.id}`} data-testid={`draw-link-${d.id}`}>{d.name}</Link> },
    {
      key: 'phase', title: t('list.status'), width: 100,
      render: (_, d) => { const phase = drawPhase(d, now); return <Tag color={PHASE_COLORS[phase]}>{t(`phase.${phase}`)}</Tag> },
    },
    {
      key: 'window', title: t('list.window'), width: 180,
      render: (_, d) => <Typography.Text style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.startsAt, tz)}<br /><Typography.Text type="secondary">~ {formatDateTime(d.endsAt, tz)}</Typography.Text></Typography.Text>,
    },
    { key: 'cost', title: t('list.entryCost'), width: 120, render: (_, d) => (d.entryPoints === 0 ? t('free') : t('pointsN', { n: formatCount(d.entryPoints) })) },
    {
      key: 'prizes', title: t('list.prizes'),
      render: (_, d) => d.prizes.length === 0 ? '—' : (
        <Space size={[4, 4]} wrap>
          {d.prizes.map((p) => <Tag key={p.id}>{p.name} {formatCount(p.won)}/{formatCount(p.stock)}</Tag>)}
        </Space>
      ),
    },
  ]

  return (
    <Card
      title={t('list.title')}
      extra={(
        <Space>
          <Select<StatusFilter>
            data-testid="draws-status" value={status} onChange={setStatus} style={{ width: 130 }}
            options={(['all', 'draft', 'active', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
          {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="draw-create">{t('list.create')}</Button>}
        </Space>
      )}
    >
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <>
            <Table<Draw>
              data-testid="draws-table" rowKey="id" size="middle" columns={columns} dataSource={items ?? []} loading={items === null}
              pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('list.empty') }}
            />
            {nextCursor && (
              <div style={{ textAlign: 'center', marginTop: 16 }}>
                <Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button>
              </div>
            )}
          </>
        )}
      {creating && (
        <DrawFormModal
          draw={null} tz={tz} templates={targets.templates} gifts={targets.gifts}
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            setCreating(false)
            void message.success(t('form.created'))
            void navigate(`/rewards/draws/${saved.id}`)
          }}
        />
      )}
    </Card>
  )
}

export default DrawsPage
