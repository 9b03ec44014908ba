import { PlusCircleOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Col, Flex, Row, Skeleton, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDate, formatDateTime, formatMoney } from '../../format.js'
import { AdjustPointsModal } from './AdjustPointsModal.js'
import { LedgerTable } from './LedgerTable.js'
import { isLotExpired } from '../../shared/loyalty-format.js'
import type { Member } from '../../shared/member-options.js'

type Points = GetData<'/api/v1/members/{id}/points'>
type Lot = GetData<'/api/v1/members/{id}/points/lots'>[number]

/** The balance and what stands behind it: tier, the year's spend, lots by expiry. */
const PointsSummary = ({ points, tz }: { points: Points; tz: string }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  return (
    <>
      <Row gutter={[24, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('points.balance')} value={formatCount(points.balance)} valueRender={(node) => <span data-testid="points-balance">{node}</span>} styles={{ content: { color: points.negative ? '#cf1322' : undefined } }} />
        </Col>
        <Col xs={12} md={6}><Statistic title={t('points.spendable')} value={formatCount(points.spendable)} valueRender={(node) => <span data-testid="points-spendable">{node}</span>} /></Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('points.tier')}
            valueRender={() => (points.tier ? <Tag color="gold" style={{ fontSize: 16, padding: '4px 10px' }} data-testid="points-tier">{points.tier.name}</Tag> : <span data-testid="points-tier">{t('points.noTier')}</span>)}
          />
          {points.tierSince && <Typography.Text type="secondary">{t('points.tierSince', { date: formatDate(points.tierSince, tz) })}</Typography.Text>}
        </Col>
        <Col xs={12} md={6}><Statistic title={t('points.spend12m')} value={formatMoney(points.spend12m)} valueRender={(node) => <span data-testid="points-spend12m">{node}</span>} /></Col>
        <Col xs={12} md={6}><Statistic title={t('points.earned12m')} value={formatCount(points.pointsEarned12m)} /></Col>
        <Col xs={12} md={6}><Statistic title={t('points.receiptCount')} value={formatCount(points.receiptCount)} /></Col>
        <Col xs={24} md={12}><Statistic title={t('points.lastPurchase')} value={formatDateTime(points.lastPurchaseAt, tz)} /></Col>
      </Row>
      {points.negative && <Alert type="error" showIcon style={{ marginTop: 16 }} title={t('points.negative', { balance: formatCount(points.balance) })} data-testid="points-negative" />}
      {points.expiring.length > 0 && (
        <Alert
          type="info" showIcon style={{ marginTop: 16 }} data-testid="points-expiring"
          title={points.expiring.map((e) => t('points.expiring', { points: formatCount(e.points), date: formatDate(e.expiresOn, tz) })).join(t('points.separator'))}
        />
      )}
    </>
  )
}

const LotsTable = ({ lots, tz }: { lots: Lot[]; tz: string }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const today = dayjs().tz(tz).format('YYYY-MM-DD')
  const columns: TableColumnsType<Lot> = [
    {
      title: t('lots.expiresOn'), dataIndex: 'expiresOn', width: 160,
      render: (d: string, l) => <>{formatDate(d, tz)} {isLotExpired(d, today) ? <Tag>{t('lots.expired')}</Tag> : l.remaining === 0 ? <Tag>{t('lots.used')}</Tag> : null}</>,
    },
    { title: t('lots.earned'), dataIndex: 'earned', align: 'right', render: (n: number) => formatCount(n) },
    { title: t('lots.remaining'), dataIndex: 'remaining', align: 'right', render: (n: number, l) => <Typography.Text strong={n > 0 && !isLotExpired(l.expiresOn, today)}>{formatCount(n)}</Typography.Text> },
    { title: t('lots.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, tz) },
  ]
  return <Table rowKey="id" size="small" columns={columns} dataSource={lots} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="points-lots" />
}

/**
 * The member's points: balance, spendable, tier and spend, the lots with their expiry and the
 * ledger; roles that may adjust add or take away points with a reason.
 */
export const PointsPanel = ({ member }: { member: Member }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const params = { params: { path: { id: member.id } } }
  const pointsQuery = useApiQuery('/api/v1/members/{id}/points', params)
  const lotsQuery = useApiQuery('/api/v1/members/{id}/points/lots', params)
  const [adjusting, setAdjusting] = useState(false)
  // The balance and the lots show together, as one answer.
  const points = pointsQuery.data && lotsQuery.data ? pointsQuery.data : null
  const lots = pointsQuery.data && lotsQuery.data ? lotsQuery.data : null
  const error = pointsQuery.error ?? lotsQuery.error
  const load = () => {
    if (pointsQuery.error) void pointsQuery.refetch()
    if (lotsQuery.error) void lotsQuery.refetch()
  }

  const canAdjust = can('loyalty.adjust') && member.status !== 'merged' && member.status !== 'erased'
  return (
    <Flex vertical gap={16}>
      <Card
        variant="borderless" title={t('points.title')}
        extra={canAdjust && <Button icon={<PlusCircleOutlined />} onClick={() => setAdjusting(true)} data-testid="points-adjust">{t('adjust.button')}</Button>}
      >
        {error ? <ErrorResult error={error} onRetry={load} compact /> : points ? <PointsSummary points={points} tz={tz} /> : <Skeleton active />}
      </Card>
      <Card variant="borderless" title={t('ledger.title')}>
        <LedgerTable memberId={member.id} />
      </Card>
      <Card variant="borderless" title={t('lots.title')}>
        {lots ? <LotsTable lots={lots} tz={tz} /> : !error && <Skeleton active />}
      </Card>
      {canAdjust && (
        <AdjustPointsModal
          memberId={member.id} open={adjusting} onClose={() => setAdjusting(false)}
          onAdjusted={() => setAdjusting(false)}

        />
      )}
    </Flex>
  )
}
