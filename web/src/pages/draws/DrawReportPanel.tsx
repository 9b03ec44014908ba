import { Card, Col, Progress, Row, Skeleton, Statistic, Table, Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../api/query.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { formatCount, formatMoney } from '../../format.js'

/** Entries, what they were paid with, what was won and what the prizes cost. */
export const DrawReportPanel = ({ drawId }: { drawId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const { data: report, error, refetch } = useApiQuery('/api/v1/draws/{id}/report', { params: { path: { id: drawId } } })

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} compact />

  if (!report) return <Skeleton active />
  const free = report.freeEntries
  return (
    <Row gutter={[16, 16]} data-testid="draw-report">
      <Col xs={12} md={6}><Card size="small"><Statistic title={t('report.entries')} value={report.entries} /></Card></Col>
      <Col xs={12} md={6}><Card size="small"><Statistic title={t('report.members')} value={report.members} /></Card></Col>
      <Col xs={12} md={6}>
        <Card size="small"><Statistic title={t('report.paidFree')} value={report.paidEntries} suffix={`/ ${formatCount(free.tier + free.purchase + free.freeDraw)}`} /></Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small"><Statistic title={t('report.pointsCharged')} value={report.pointsCharged} suffix={<small>≈ {formatMoney(report.pointsChargedValueFen)}</small>} /></Card>
      </Col>
      <Col xs={12} md={6}><Card size="small"><Statistic title={t('report.won')} value={report.won} suffix={report.fellBack ? <small>({t('report.fellBackN', { n: report.fellBack })})</small> : null} /></Card></Col>
      <Col xs={12} md={6}>
        <Card size="small"><Statistic title={t('report.pointsGiven')} value={report.cost.pointsGiven} suffix={<small>≈ {formatMoney(report.cost.pointsGivenValueFen)}</small>} /></Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small"><Statistic title={t('report.couponsIssued')} value={report.cost.couponsIssued} suffix={report.cost.couponsValueFen ? <small>{formatMoney(report.cost.couponsValueFen)}</small> : null} /></Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small"><Statistic title={t('report.giftsOrdered')} value={report.cost.giftsOrdered} suffix={report.cost.giftsPointsValue ? <small>{t('pointsN', { n: formatCount(report.cost.giftsPointsValue) })}</small> : null} /></Card>
      </Col>
      <Col xs={24} md={8}>
        <Card size="small" title={t('report.freeEntries')}>
          <Tag>{t('freeReason.tier')} {formatCount(free.tier)}</Tag>
          <Tag>{t('freeReason.purchase')} {formatCount(free.purchase)}</Tag>
          <Tag>{t('freeReason.freeDraw')} {formatCount(free.freeDraw)}</Tag>
        </Card>
      </Col>
      <Col xs={24} md={16}>
        <Card size="small" title={t('report.prizes')}>
          <Table
            rowKey="id" size="small" pagination={false} dataSource={report.prizes}
            columns={[
              { key: 'name', title: t('prize.name'), render: (_, p) => `${p.seq}. ${p.name}` },
              { key: 'kind', title: t('prize.kind'), width: 90, render: (_, p) => t(`kinds.${p.kind}`) },
              {
                key: 'won', title: t('prize.wonOfStock'), width: 260,
                render: (_, p) => <Progress percent={p.stock ? Math.round((p.won / p.stock) * 100) : 100} format={() => `${formatCount(p.won)} / ${formatCount(p.stock)}`} size="small" />,
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24}>
        <Card size="small" title={t('report.byDay')}>
          <Table
            rowKey="date" size="small" pagination={false} dataSource={report.byDay} locale={{ emptyText: t('results.empty') }}
            columns={[
              { key: 'date', title: t('report.date'), dataIndex: 'date' },
              { key: 'entries', title: t('report.entries'), dataIndex: 'entries', align: 'right', render: formatCount },
              { key: 'won', title: t('report.won'), dataIndex: 'won', align: 'right', render: formatCount },
              { key: 'charged', title: t('report.pointsCharged'), dataIndex: 'pointsCharged', align: 'right', render: formatCount },
            ]}
          />
        </Card>
      </Col>
    </Row>
  )
}
