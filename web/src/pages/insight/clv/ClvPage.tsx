import { ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Descriptions, Empty, Flex, Row, Skeleton, Statistic, Table, Typography } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiMutation, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDate, formatDateTime, formatMoney } from '../../../format.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { aliveBandsOption } from './clv-charts.js'
import { HoldoutCheckCard } from './HoldoutCheckCard.js'
import { SaveAtRiskSegment } from './SaveAtRiskSegment.js'

type Overview = GetData<'/api/v1/insight/clv/overview'>
type AtRisk = Overview['atRisk'][number]

const sig = (v: number) => Number(v.toPrecision(4))

/**
 * 客户价值预测: the last lifetime-value fit (BG/NBD and Gamma-Gamma, with their parameters), the
 * members by probability of being alive with their CLV, the model's holdout check, and the members
 * most worth winning back, each with the reason in words (the list saved as a segment at a click).
 */
export const ClvPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'clv' })
  const { t: tc } = useTranslation()
  const { chain, can } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data, error, refetch } = useApiQuery('/api/v1/insight/clv/overview')
  const score = useApiMutation('post', '/api/v1/insight/clv/score', { onSuccess: () => message.success(t('scoreQueued')) })
  const option = useMemo(() => data && aliveBandsOption(data.bands, data.atRiskBelowPm, { members: t('members'), clv: t('clvYuan') }), [data, t])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const rescore = can('insight.manage') && (
    <Button icon={<ReloadOutlined />} loading={score.isPending} data-testid="clv-score" onClick={() => void score.mutateAsync({ body: {} }).catch((err: unknown) => message.error(errorMessage(tc, err)))}>
      {t('scoreNow')}
    </Button>
  )
  const header = <InsightHeader title={t('title')} help={t('help')} extra={rescore} testId="clv" />
  if (!data) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>
  const fit = data.fit
  if (!fit) return <Flex vertical gap={16}>{header}<Card><Empty description={t('noFit')} /></Card><HoldoutCheckCard /></Flex>
  const r = fit.result
  const gg = 'refused' in r.gammaGamma ? null : r.gammaGamma

  const reason = (m: AtRisk) => t('reason', {
    receipts: formatCount(m.receiptsTotal),
    interval: m.intervalDays ?? '—', recency: m.recencyDays ?? '—',
  })

  return (
    <Flex vertical gap={16}>
      {header}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}><Card data-testid="clv-scored"><Statistic title={t('scored')} value={formatCount(data.totals.members)} /></Card></Col>
        <Col xs={24} md={8}><Card><Statistic title={<TitleWithHelp title={t('clvTotal')} help={t('clvHelp', { months: fit.horizonMonths, rate: Math.round(fit.discountRate * 1000) / 10 })} />} value={formatMoney(data.totals.clv)} /></Card></Col>
        <Col xs={24} md={8}><Card><Statistic title={t('expected365')} value={formatCount(Math.round(data.totals.expected365))} /></Card></Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={<TitleWithHelp title={t('bands')} help={t('bandsHelp', { below: data.atRiskBelowPm / 10 })} />} style={{ height: '100%' }}>
            {option && <div data-testid="clv-bands"><EChart option={option} height={320} /></div>}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={<TitleWithHelp title={t('fit')} help={t('fitHelp')} />} style={{ height: '100%' }}>
            <Descriptions size="small" column={1} data-testid="clv-fit">
              <Descriptions.Item label={t('fittedAt')}>{formatDateTime(fit.fittedAt, tz)}</Descriptions.Item>
              <Descriptions.Item label={t('calibrationEnd')}>{fit.calibrationEnd}</Descriptions.Item>
              <Descriptions.Item label={t('fitMembers')}>{t('fitMembersValue', { members: formatCount(r.members), repeat: formatCount(r.repeatMembers) })}</Descriptions.Item>
              <Descriptions.Item label="BG/NBD">r {sig(r.r)} · α {sig(r.alpha)} · a {sig(r.a)} · b {sig(r.b)}</Descriptions.Item>
              <Descriptions.Item label={t('logLikelihood')}>{r.logLikelihood.toFixed(2)}</Descriptions.Item>
              <Descriptions.Item label="Gamma-Gamma">{gg ? `p ${sig(gg.p)} · q ${sig(gg.q)} · γ ${sig(gg.gamma)}` : t('ggRefused')}</Descriptions.Item>
              <Descriptions.Item label={t('horizon')}>{t('horizonValue', { months: fit.horizonMonths, rate: Math.round(fit.discountRate * 1000) / 10 })}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <HoldoutCheckCard />
      <Card
        title={<TitleWithHelp title={t('atRisk', { below: data.atRiskBelowPm / 10 })} help={t('atRiskHelp')} />}
        extra={can('segments.manage') && <SaveAtRiskSegment belowPm={data.atRiskBelowPm} />}
      >
        <Table<AtRisk>
          size="small" rowKey="memberId" dataSource={data.atRisk} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="clv-at-risk"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noneAtRisk')} /> }}
          columns={[
            { key: 'card', title: t('columns.card'), render: (_, m) => (can('members.read') ? <Link to={`/members/${m.memberId}`}>{m.cardNo}</Link> : m.cardNo) },
            { key: 'name', title: t('columns.name'), render: (_, m) => m.name ?? '' },
            { key: 'pAlive', title: t('columns.pAlive'), align: 'right', render: (_, m) => <Typography.Text type="danger">{(m.pAlivePm / 10).toFixed(1)}%</Typography.Text> },
            { key: 'clv', title: t('columns.clv'), align: 'right', render: (_, m) => (m.clv === null ? '—' : formatMoney(m.clv)) },
            { key: 'last', title: t('columns.last'), render: (_, m) => formatDate(m.lastPurchaseAt, tz) },
            { key: 'reason', title: t('columns.reason'), render: (_, m) => reason(m) },
          ]}
        />
      </Card>
    </Flex>
  )
}

export default ClvPage
