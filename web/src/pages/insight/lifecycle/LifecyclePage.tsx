import { keepPreviousData } from '@tanstack/react-query'
import { Card, Col, Descriptions, Empty, Flex, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount } from '../../../format.js'
import { STAGE_COLOR, flowMatrix, formatShare, lifecycleSankeyOption, lifecycleTrendOption, type FlowRow } from '../shared/charts.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { useInsightScope } from '../shared/InsightScope.js'

type Lifecycle = GetData<'/api/v1/insight/lifecycle'>
type Stage = Lifecycle['stages'][number]['stage']

/** The stages in the order a member moves through them. */
const STAGES: Stage[] = ['new', 'active', 'returning', 'dormant', 'lost', 'prospect']

/**
 * The lifecycle: members per stage now, the 13-month stacked trend, the flow between stages from
 * one month's end to the next (Sankey and matrix), and the thresholds with how they were derived.
 */
export const LifecyclePage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'lifecycle' })
  const scope = useInsightScope('lifecycle-scope')
  const { data, error, isFetching, refetch } = useApiQuery('/api/v1/insight/lifecycle', { params: { query: scope.query } }, { placeholderData: keepPreviousData })
  const [chosenMonth, setMonth] = useState<string | undefined>()

  const stageLabel = useMemo(() => (s: string) => t(`stages.${s as Stage}`), [t])
  const months = useMemo(() => (data ? [...new Set(data.flows.map((f) => f.month))].sort().reverse() : []), [data])
  const month = chosenMonth && months.includes(chosenMonth) ? chosenMonth : months[0]
  const flows = useMemo(() => (data && month ? data.flows.filter((f) => f.month === month) : []), [data, month])
  const trend = useMemo(() => data && lifecycleTrendOption(data.trend, STAGES, stageLabel), [data, stageLabel])
  const sankey = useMemo(() => lifecycleSankeyOption(flows, STAGES, { stage: stageLabel, previous: t('previous'), current: t('current'), members: t('columns.members') }), [flows, stageLabel, t])
  const matrix = useMemo(() => flowMatrix(flows, STAGES), [flows])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const header = <InsightHeader title={t('title')} help={t('help')} extra={scope.filter} testId="lifecycle" />
  if (!data) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>

  const th = data.thresholds
  const days = th ? { newDays: th.newDays, dormantDays: th.dormantDays, lostDays: th.lostDays } : { newDays: '…', dormantDays: '…', lostDays: '…' }
  const rule = (s: Stage) => t(`stageRules.${s}`, days)
  const asOf = data.asOf ?? 'none'
  const exportNow = () => ({
    name: `lifecycle-${scope.slug}-${asOf}`,
    sheet: t('sheetNow'),
    header: [t('columns.stage'), t('columns.rule'), t('columns.members'), `${t('columns.share')} %`],
    rows: STAGES.map((s) => {
      const row = data.stages.find((x) => x.stage === s)
      return [stageLabel(s), rule(s), row?.members ?? 0, Math.round((row?.share ?? 0) * 1000) / 10]
    }),
  })
  const trendMonths = [...new Set(data.trend.map((r) => r.month))].sort()
  const exportTrend = () => ({
    name: `lifecycle-trend-${scope.slug}-${asOf}`,
    sheet: t('sheetTrend'),
    header: [t('flowMonth'), ...STAGES.map(stageLabel)],
    rows: trendMonths.map((m) => [m, ...STAGES.map((s) => data.trend.find((r) => r.month === m && r.stage === s)?.members ?? 0)]),
  })
  const exportFlow = () => ({
    name: `lifecycle-flow-${scope.slug}-${month ?? asOf}`,
    sheet: t('sheetFlow'),
    header: [t('matrixFrom'), ...STAGES.map(stageLabel), t('total')],
    rows: matrix.map((r) => [stageLabel(r.from), ...STAGES.map((s) => r.to[s] ?? 0), r.total]),
  })
  const source = (overridden: boolean) => <Tag color={overridden ? 'orange' : undefined}>{overridden ? t('sourceSet') : t('sourceDerived')}</Tag>

  return (
    <Flex vertical gap={16} style={{ opacity: isFetching ? 0.7 : 1 }}>
      {header}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={<TitleWithHelp title={t('now')} help={t('nowHelp')} />} extra={<ExportButtons table={exportNow} testId="lifecycle-now-export" />} style={{ height: '100%' }}>
            {data.members === 0 ? <Empty description={t('noData')} /> : (
              <Row gutter={[16, 16]} data-testid="lifecycle-stages">
                {STAGES.map((s) => {
                  const row = data.stages.find((x) => x.stage === s)
                  return (
                    <Col xs={12} md={8} key={s}>
                      <Statistic
                        title={<TitleWithHelp title={<span style={{ color: STAGE_COLOR[s] }}>● {stageLabel(s)}</span>} help={rule(s)} />}
                        value={row?.members ?? 0}
                        formatter={() => <span data-testid={`lifecycle-stage-${s}`}>{formatCount(row?.members ?? 0)}</span>}
                        suffix={<Typography.Text type="secondary" style={{ fontSize: 13 }}>{formatShare(row?.share ?? 0)}</Typography.Text>}
                      />
                    </Col>
                  )
                })}
              </Row>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={<TitleWithHelp title={t('thresholds')} help={t('thresholdsHelp')} testId="lifecycle-thresholds-help" />} style={{ height: '100%' }}>
            {th ? (
              <Descriptions column={1} size="small" data-testid="lifecycle-thresholds">
                <Descriptions.Item label={t('newDays')}><Space>{t('daysValue', { days: th.newDays })}{source(th.overridden.newDays)}</Space></Descriptions.Item>
                <Descriptions.Item label={t('dormantDays')}><Space>{t('daysValue', { days: th.dormantDays })}{source(th.overridden.dormantDays)}</Space></Descriptions.Item>
                <Descriptions.Item label={t('lostDays')}><Space>{t('daysValue', { days: th.lostDays })}{source(th.overridden.lostDays)}</Space></Descriptions.Item>
                <Descriptions.Item label={t('derivation')}>
                  {th.intervals.p50 !== null && th.intervals.p80 !== null && th.intervals.members >= 20
                    ? t('intervals', { members: formatCount(th.intervals.members), p50: th.intervals.p50.toFixed(1), p80: th.intervals.p80.toFixed(1) })
                    : t('fallback')}
                </Descriptions.Item>
              </Descriptions>
            ) : <Empty description={t('noData')} />}
          </Card>
        </Col>
      </Row>
      <Card title={<TitleWithHelp title={t('trend')} help={t('trendHelp')} />} extra={<ExportButtons table={exportTrend} testId="lifecycle-trend-export" />}>
        <div data-testid="lifecycle-trend">{data.trend.length === 0 || !trend ? <Empty description={t('noData')} /> : <EChart option={trend} height={360} />}</div>
      </Card>
      <Card
        title={<TitleWithHelp title={t('flow')} help={t('flowHelp')} testId="lifecycle-flow-help" />}
        extra={(
          <Space>
            <Select data-testid="lifecycle-flow-month" style={{ width: 120 }} value={month} onChange={setMonth} options={months.map((m) => ({ value: m, label: m }))} />
            <ExportButtons table={exportFlow} testId="lifecycle-flow-export" />
          </Space>
        )}
      >
        {flows.length === 0 ? <Empty description={t('noFlow')} /> : (
          <Row gutter={[16, 16]}>
            <Col xs={24} xxl={11}>
              <Flex justify="space-between" style={{ padding: '0 8px' }}>
                <Typography.Text type="secondary">{t('previous')}</Typography.Text>
                <Typography.Text type="secondary">{t('current')}</Typography.Text>
              </Flex>
              <div data-testid="lifecycle-sankey"><EChart option={sankey} height={380} /></div>
            </Col>
            <Col xs={24} xxl={13}>
              <Typography.Title level={5}>{t('matrix')}</Typography.Title>
              <Table<FlowRow>
                data-testid="lifecycle-matrix" size="small" rowKey="from" dataSource={matrix} pagination={false} scroll={{ x: 640 }}
                columns={[
                  { key: 'from', title: t('matrixFrom'), fixed: 'left', render: (_, r) => <strong>{stageLabel(r.from)}</strong> },
                  ...STAGES.map((s) => ({
                    key: s, title: stageLabel(s), align: 'right' as const,
                    render: (_: unknown, r: FlowRow) => {
                      const n = r.to[s] ?? 0
                      return n === 0 ? <Typography.Text type="secondary">0</Typography.Text> : r.from === s ? <strong>{formatCount(n)}</strong> : formatCount(n)
                    },
                  })),
                  { key: 'total', title: t('total'), align: 'right', render: (_, r) => formatCount(r.total) },
                ]}
              />
            </Col>
          </Row>
        )}
      </Card>
    </Flex>
  )
}

export default LifecyclePage
