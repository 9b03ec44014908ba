import { EditOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { App, Breadcrumb, Button, Card, Descriptions, Flex, InputNumber, Modal, Popconfirm, Skeleton, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api, call } from '../../api/client.js'
import { apiKey, useApiQuery, useSetApiData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { drawPhase, PHASE_COLORS, type Draw, type Prize } from './draw-form.js'
import { DrawFormModal } from './DrawFormModal.js'
import { DrawReportPanel } from './DrawReportPanel.js'
import { DrawResults } from './DrawResults.js'
import { usePrizeTargets } from './use-prize-targets.js'

/** Sets a prize's stock: any number while a draft, only more once the draw is active. */
const StockModal = ({ draw, prize, onClose, onSaved }: { draw: Draw; prize: Prize; onClose: () => void; onSaved: (d: Draw) => void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const min = draw.status === 'draft' ? prize.won : prize.stock
  const [stock, setStock] = useState<number | null>(prize.stock)
  const [busy, setBusy] = useState(false)
  const save = async () => {
    if (stock === null) return
    setBusy(true)
    try {
      onSaved(await call(api.PUT('/api/v1/draws/{id}/prizes/{prizeId}/stock', { params: { path: { id: draw.id, prizeId: prize.id } }, body: { stock } })))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal open title={t('prizes.stockTitle', { name: prize.name })} onCancel={onClose} onOk={() => void save()} okButtonProps={{ loading: busy, 'data-testid': 'prize-stock-save' } as never}>
      <Typography.Paragraph type="secondary">{draw.status === 'draft' ? t('prizes.stockHelpDraft') : t('prizes.stockHelpActive')}</Typography.Paragraph>
      <InputNumber data-testid="prize-stock-input" min={min} max={10_000_000} precision={0} value={stock} onChange={setStock} style={{ width: 200 }} />
    </Modal>
  )
}

const DrawDetail = ({ id }: { id: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const manage = can('rewards.manage')
  const { tierName } = useTiers()
  const targets = usePrizeTargets()
  const queryClient = useQueryClient()
  const read = { params: { path: { id } } }
  const { data: draw, error, refetch } = useApiQuery('/api/v1/draws/{id}', read)
  const setDraw = useSetApiData('/api/v1/draws/{id}', read)
  const load = () => void refetch()
  // Entries keep coming in from the desks: a tab opened shows the draw, its results and report as they are now.
  const reloadAll = () => {
    for (const queryKey of [apiKey('/api/v1/draws/{id}', read), apiKey('/api/v1/draws/{id}/entries', read), apiKey('/api/v1/draws/{id}/report', read)]) {
      void queryClient.invalidateQueries({ queryKey })
    }
  }
  const [editing, setEditing] = useState(false)
  const [stockOf, setStockOf] = useState<Prize | null>(null)
  const [busy, setBusy] = useState<'activate' | 'close' | null>(null)

  const transition = async (action: 'activate' | 'close') => {
    setBusy(action)
    try {
      const next = action === 'activate'
        ? await call(api.POST('/api/v1/draws/{id}/activate', { params: { path: { id } } }))
        : await call(api.POST('/api/v1/draws/{id}/close', { params: { path: { id } } }))
      setDraw(() => next)
      void message.success(t(action === 'activate' ? 'detail.activated' : 'detail.closed'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(null)
    }
  }

  if (error) return <ErrorResult error={error} onRetry={load} />
  if (!draw) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>

  const phase = drawPhase(draw, new Date())
  const fallback = draw.prizes.find((p) => p.id === draw.fallbackPrizeId)
  const gives = (p: Prize) => {
    if (p.kind === 'points') return t('pointsN', { n: formatCount(p.points ?? 0) })
    return targets.nameOf(p.kind === 'coupon' ? p.couponTemplateId : p.giftId) ?? '—'
  }
  const prizeColumns: TableColumnsType<Prize> = [
    { key: 'seq', title: '#', width: 40, dataIndex: 'seq' },
    { key: 'name', title: t('prize.name'), render: (_, p) => <Typography.Text strong>{p.name}</Typography.Text> },
    { key: 'kind', title: t('prize.kind'), width: 90, render: (_, p) => <Tag>{t(`kinds.${p.kind}`)}</Tag> },
    { key: 'gives', title: t('prize.gives'), render: (_, p) => gives(p) },
    { key: 'stock', title: t('prize.stock'), width: 90, align: 'right', render: (_, p) => formatCount(p.stock) },
    { key: 'won', title: t('prize.won'), width: 90, align: 'right', render: (_, p) => <span data-testid={`prize-won-${p.seq}`}>{formatCount(p.won)}</span> },
    {
      key: 'left', title: t('prize.left'), width: 90, align: 'right',
      render: (_, p) => <Typography.Text type={p.stock - p.won === 0 ? 'danger' : undefined}>{formatCount(p.stock - p.won)}</Typography.Text>,
    },
    { key: 'weight', title: t('prize.weight'), width: 80, align: 'right', dataIndex: 'weight' },
    { key: 'chance', title: t('prize.chance'), width: 80, align: 'right', render: (_, p) => `${p.chancePct}%` },
    ...(manage && draw.status !== 'closed' ? [{
      key: 'actions', width: 100,
      render: (_: unknown, p: Prize) => <Button type="link" size="small" onClick={() => setStockOf(p)} data-testid={`prize-stock-${p.seq}`}>{t('prizes.setStock')}</Button>,
    }] : []),
  ]

  return (
    <Flex vertical gap={16} data-testid="draw-detail">
      <Breadcrumb items={[{ title: <Link to="/rewards/draws">{t('list.title')}</Link> }, { title: draw.name }]} />
      <Card
        title={<Space><span data-testid="draw-title">{draw.name}</span><Tag color={PHASE_COLORS[phase]} data-testid="draw-phase">{t(`phase.${phase}`)}</Tag></Space>}
        extra={manage && (
          <Space>
            {draw.status === 'draft' && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="draw-edit">{tc('actions.edit')}</Button>}
            {draw.status === 'draft' && (
              <Popconfirm title={t('detail.activateConfirm')} description={<div style={{ maxWidth: 300 }}>{t('detail.activateHint')}</div>} onConfirm={() => transition('activate')}
                okButtonProps={{ 'data-testid': 'draw-activate-confirm' } as never}>
                <Button type="primary" loading={busy === 'activate'} data-testid="draw-activate">{t('detail.activate')}</Button>
              </Popconfirm>
            )}
            {draw.status !== 'closed' && (
              <Popconfirm title={t('detail.closeConfirm')} onConfirm={() => transition('close')} okButtonProps={{ danger: true, 'data-testid': 'draw-close-confirm' } as never}>
                <Button danger loading={busy === 'close'} data-testid="draw-close">{t('detail.close')}</Button>
              </Popconfirm>
            )}
          </Space>
        )}
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('detail.window')}>{formatDateTime(draw.startsAt, tz)} ~ {formatDateTime(draw.endsAt, tz)}</Descriptions.Item>
          <Descriptions.Item label={t('form.entryPoints')}>{draw.entryPoints === 0 ? t('free') : t('pointsN', { n: formatCount(draw.entryPoints) })}</Descriptions.Item>
          <Descriptions.Item label={t('form.freeTiers')}>{draw.freeTiers.length ? draw.freeTiers.map((c) => <Tag key={c}>{tierName(c)}</Tag>) : t('form.none')}</Descriptions.Item>
          <Descriptions.Item label={t('form.freeMinSpend')}>{draw.freeMinSpend === null ? t('form.none') : t('detail.freeMinSpend', { amount: formatMoney(draw.freeMinSpend) })}</Descriptions.Item>
          <Descriptions.Item label={t('form.perMemberLimit')}>{draw.perMemberLimit ?? t('form.unlimited')}</Descriptions.Item>
          <Descriptions.Item label={t('form.perDayLimit')}>{draw.perDayLimit ?? t('form.unlimited')}</Descriptions.Item>
          <Descriptions.Item label={t('form.noPrizeWeight')}>{draw.noPrizeWeight} ({draw.noPrizePct}%)</Descriptions.Item>
          <Descriptions.Item label={t('form.fallback')}>{fallback ? `#${fallback.seq} ${fallback.name}` : t('form.fallbackNone')}</Descriptions.Item>
          {draw.description && <Descriptions.Item label={t('form.description')}>{draw.description}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t('prizes.title')}>
        <Table<Prize> data-testid="draw-prizes" rowKey="id" size="small" columns={prizeColumns} dataSource={draw.prizes} pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('form.noPrizes') }} />
      </Card>
      <Card>
        <Tabs
          items={[
            { key: 'results', label: <span data-testid="draw-tab-results">{t('results.title')}</span>, children: <DrawResults drawId={draw.id} /> },
            ...(can('rewards.reports') ? [{ key: 'report', label: <span data-testid="draw-tab-report">{t('report.title')}</span>, children: <DrawReportPanel drawId={draw.id} /> }] : []),
          ]}
          onChange={reloadAll}
        />
      </Card>
      {editing && (
        <DrawFormModal
          draw={draw} tz={tz} templates={targets.templates} gifts={targets.gifts}
          onClose={() => setEditing(false)}
          onSaved={(saved) => { setEditing(false); setDraw(() => saved); void message.success(tc('status.saved')) }}

        />
      )}
      {stockOf && (
        <StockModal draw={draw} prize={stockOf} onClose={() => setStockOf(null)} onSaved={(d) => { setStockOf(null); setDraw(() => d); void message.success(tc('status.saved')) }} />
      )}
    </Flex>
  )
}

/** A draw: its rules, prizes with stock and what was won, its entries and its report; activated and closed here. */
export const DrawPage = () => {
  const { id } = useParams<{ id: string }>()
  return id ? <DrawDetail key={id} id={id} /> : null
}

export default DrawPage
