import { keepPreviousData } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery, type GetData } from '../../api/query.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatCount, formatDateTime, formatMoney } from '../../format.js'
import { useTiers } from '../../hooks/use-tiers.js'
import type { Programme } from './programme-form.js'

type Line = GetData<'/api/v1/rebate-programmes/{id}/preview'>['items'][number]

const PAGE = 20

/** Amounts in a programme's units: the basis in fen or points, the rebate in fen or points. */
export const useRebateUnits = (programme: Pick<Programme, 'basis' | 'reward'>) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'rebates' })
  const points = (n: number) => t('units.points', { n: formatCount(n) })
  return {
    basisText: (n: number) => (programme.basis === 'spend' ? formatMoney(n) : points(n)),
    rebateText: (n: number) => (programme.reward === 'coupon' ? formatMoney(n) : points(n)),
  }
}

/** What a programme's run gives (or gave) each member, with totals; the run itself, confirmed. */
export const RebatePreview = ({ programme, today, tz, manage, onChanged }: {
  programme: Programme
  today: string
  tz: string
  manage: boolean
  onChanged: (p: Programme) => void
}) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'rebates' })
  const { t: tc } = useTranslation()
  const { message, modal } = App.useApp()
  const { tierName } = useTiers()
  const { basisText, rebateText } = useRebateUnits(programme)
  const [page, setPage] = useState(1)
  // The page in hand stays on screen while the next one loads; a run reloads it (any change does).
  const { data: preview, error, isFetching: loading, refetch } = useApiQuery(
    '/api/v1/rebate-programmes/{id}/preview', { params: { path: { id: programme.id }, query: { offset: (page - 1) * PAGE, limit: PAGE } } }, { placeholderData: keepPreviousData },
  )
  const load = () => void refetch()
  const [running, setRunning] = useState(false)

  const run = () => {
    if (!preview) return
    modal.confirm({
      title: t('run.confirmTitle', { name: programme.name }),
      content: t('run.confirmBody', { members: formatCount(preview.totals.members - preview.totals.awarded), rebate: rebateText(preview.totals.rebate - preview.totals.awardedRebate) }),
      okText: t('run.ok'),
      okButtonProps: { 'data-testid': 'rebate-run-confirm' } as never,
      onOk: async () => {
        setRunning(true)
        try {
          const done = await call(api.POST('/api/v1/rebate-programmes/{id}/run', { params: { path: { id: programme.id } } }))
          void message.success(t('run.done', { members: formatCount(done.membersRewarded), rebate: rebateText(done.totalRebate) }))
          onChanged(done)
        } catch (err) {
          void message.error(errorMessage(tc, err))
          // A run stopped part-way has given some members their rebate: show where it stands.
          call(api.GET('/api/v1/rebate-programmes/{id}', { params: { path: { id: programme.id } } })).then((p) => { onChanged(p); load() }, () => undefined)

        } finally {
          setRunning(false)
        }
      },
    })
  }

  const columns: TableColumnsType<Line> = [
    { key: 'cardNo', title: t('preview.cardNo'), dataIndex: 'cardNo', width: 170 },
    { key: 'name', title: t('preview.name'), dataIndex: 'name', width: 110, render: (v: string | null) => v ?? '—' },
    { key: 'tier', title: t('preview.tier'), width: 100, render: (_, l) => tierName(l.tierCode) ?? '—' },
    { key: 'basis', title: t('preview.memberBasis'), align: 'right', render: (_, l) => basisText(l.basis) },
    { key: 'rebate', title: t('preview.memberRebate'), align: 'right', render: (_, l) => <Typography.Text strong>{rebateText(l.rebate)}</Typography.Text> },
    { key: 'awarded', title: '', width: 90, render: (_, l) => (l.awarded ? <Tag color="green">{t('preview.given')}</Tag> : <Tag>{t('preview.due')}</Tag>) },
  ]

  const periodOpen = programme.periodTo >= today
  const canRun = manage && programme.status !== 'completed'
  return (
    <Card
      data-testid="rebate-preview" title={t('preview.title', { name: programme.name })}
      extra={(
        <Space>
          <Button onClick={load} data-testid="rebate-preview-refresh">{t('actions.refresh')}</Button>
          {canRun && (
            <Button
              type="primary" danger={programme.status === 'running'} loading={running} disabled={!preview || periodOpen || preview.totals.members === 0}
              title={periodOpen ? t('run.periodOpen') : undefined} onClick={run} data-testid="rebate-run"
            >
              {programme.status === 'running' ? t('actions.resume') : t('actions.run')}
            </Button>
          )}
        </Space>
      )}
    >
      {programme.status === 'running' && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="rebate-running" title={t('run.running', { members: formatCount(programme.membersRewarded) })} />
      )}
      {programme.status === 'completed' && (
        <Alert
          type="success" showIcon style={{ marginBottom: 16 }} data-testid="rebate-completed"
          title={t('run.completed', { at: formatDateTime(programme.updatedAt, tz), members: formatCount(programme.membersRewarded), rebate: rebateText(programme.totalRebate) })}
        />
      )}
      {canRun && periodOpen && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('run.periodOpen')} />}
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <>
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              <Col xs={12} md={5}><Statistic title={t('preview.members')} value={preview ? formatCount(preview.totals.members) : '—'} data-testid="rebate-total-members" /></Col>
              <Col xs={12} md={5}><Statistic title={t('preview.basis')} value={preview ? basisText(preview.totals.basis) : '—'} data-testid="rebate-total-basis" /></Col>
              <Col xs={12} md={5}><Statistic title={t('preview.rebate')} value={preview ? rebateText(preview.totals.rebate) : '—'} data-testid="rebate-total-rebate" /></Col>
              <Col xs={12} md={5}><Statistic title={t('preview.awarded')} value={preview ? formatCount(preview.totals.awarded) : '—'} data-testid="rebate-total-awarded" /></Col>
              <Col xs={12} md={4}><Statistic title={t('preview.belowMinimum')} value={preview ? formatCount(preview.totals.belowMinimum) : '—'} /></Col>
            </Row>
            {/* Spend given as points, or points given as a coupon: converted at the point value. */}
            {preview && (programme.basis === 'spend') === (programme.reward === 'points') && (
              <Typography.Paragraph type="secondary">{t('preview.pointValue', { value: formatMoney(preview.pointValueFen) })}</Typography.Paragraph>
            )}
            <Table<Line>
              data-testid="rebate-preview-table" rowKey="memberId" size="middle" columns={columns} dataSource={preview?.items ?? []} loading={loading}
              locale={{ emptyText: t('preview.nothing') }} scroll={{ x: 800 }}
              pagination={{ current: page, pageSize: PAGE, total: preview?.totals.members ?? 0, showSizeChanger: false, onChange: setPage }}
            />
          </>
        )}
    </Card>
  )
}
