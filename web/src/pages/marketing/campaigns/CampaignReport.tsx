import { QuestionCircleOutlined } from '@ant-design/icons'
import { Alert, Card, Col, Flex, Row, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../../api/query.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatDate, formatDateTime, formatMoney } from '../../../format.js'
import { CHANNEL_COLORS, CHANNELS } from '../marketing-words.js'
import { everyDay, upliftChartOption } from './campaign-charts.js'
import type { CampaignReport as Report, CampaignRun } from './campaign-form.js'
import { RunSelect } from './CampaignRecipients.js'

type GroupKey = keyof Report['groups']
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
const money = (fen: number | null) => (fen === null ? '—' : formatMoney(Math.round(fen)))

/** A figure of the report: its value, what it compares, and how it is counted on hover. */
const Figure = ({ title, help, value, sub, testId }: { title: string; help: string; value: string; sub?: React.ReactNode; testId: string }) => (
  <Card size="small" style={{ height: '100%' }}>
    <Statistic title={<Space size={4}>{title}<Tooltip title={help}><QuestionCircleOutlined /></Tooltip></Space>} value={value} data-testid={testId} />
    {sub && <div style={{ marginTop: 4 }}><Typography.Text type="secondary">{sub}</Typography.Text></div>}
  </Card>
)

/**
 * A run's report against its random holdout: buy rate, sales per member, the incremental sales
 * with their 95% interval, coupons redeemed, messages and their cost, the return; the cumulative
 * sales per member of both groups by day; and how each figure is counted, in words.
 */
export const CampaignReport = ({ campaignId, runs, attributionDays, live, tz }: { campaignId: string; runs: CampaignRun[]; attributionDays: number; live: boolean; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.report' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tg } = useTranslation('marketing', { keyPrefix: 'campaigns.recipients' })
  const [runId, setRunId] = useState(runs[0]!.id)
  const report = useApiQuery('/api/v1/marketing/campaigns/{id}/report', { params: { path: { id: campaignId }, query: { runId } } }, { refetchInterval: live ? 5_000 : false })
  const r = report.data
  const option = useMemo(() => upliftChartOption(
    everyDay(r?.daily ?? [], r ? formatDate(r.from, tz) : '', r ? formatDate(r.to, tz) : ''),
    { target: t('target'), holdout: t('holdout'), axis: t('chartAxis'), start: t('chartStart') },
  ), [r, t, tz])
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
  if (!r) return <Skeleton active paragraph={{ rows: 6 }} />
  const u = r.uplift
  const vs = (target: string, holdout: string) => t('vs', { target, holdout })
  const spansZero = u.incrementalLow !== null && u.incrementalHigh !== null && u.incrementalLow <= 0 && u.incrementalHigh >= 0
  const groupRows = (['target', 'holdout', 'chain_holdout'] as GroupKey[]).filter((k) => k !== 'chain_holdout' || r.groups[k].members > 0).map((k) => ({ key: k, ...r.groups[k] }))
  const groupColumns: TableColumnsType<(typeof groupRows)[number]> = [
    { key: 'group', title: t('groupColumns.group'), render: (_, g) => tg(`groups.${g.key}`) },
    { key: 'members', title: t('groupColumns.members'), align: 'right', render: (_, g) => formatCount(g.members) },
    { key: 'buyers', title: t('groupColumns.buyers'), align: 'right', render: (_, g) => formatCount(g.buyers) },
    { key: 'buyRate', title: t('groupColumns.buyRate'), align: 'right', render: (_, g) => pct(g.buyRate) },
    { key: 'sales', title: t('groupColumns.sales'), align: 'right', render: (_, g) => formatMoney(g.sales) },
    { key: 'salesPerMember', title: t('groupColumns.salesPerMember'), align: 'right', render: (_, g) => money(g.salesPerMember) },
  ]
  return (
    <Flex vertical gap={16} data-testid="campaign-report">
      <Flex gap={12} align="center" wrap>
        <RunSelect runs={runs} value={runId} onChange={setRunId} />
        <Typography.Text type="secondary">{t('window', { from: formatDateTime(r.from, tz), to: formatDateTime(r.to, tz) })}</Typography.Text>
        {r.partial ? <Tag color="gold" data-testid="campaign-report-partial">{t('partial', { days: attributionDays })}</Tag> : <Tag color="green">{t('final')}</Tag>}
      </Flex>
      {r.groups.holdout.members === 0 && <Alert type="info" showIcon title={t('noHoldout')} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={8}>
          <Figure title={t('buyRate')} help={t('definition.buyRate')} value={pct(u.buyRateTarget)} sub={vs(pct(u.buyRateTarget), pct(u.buyRateHoldout))} testId="report-buy-rate" />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Figure title={t('salesPerMember')} help={t('definition.salesPerMember')} value={money(u.salesPerMemberTarget)} sub={vs(money(u.salesPerMemberTarget), money(u.salesPerMemberHoldout))} testId="report-sales-per-member" />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Figure
            title={t('incremental')} help={t('definition.incremental')} value={money(u.incrementalSales)} testId="report-incremental"
            sub={u.incrementalLow !== null && u.incrementalHigh !== null && (
              <>
                {t('interval', { low: formatMoney(u.incrementalLow), high: formatMoney(u.incrementalHigh) })}
                {spansZero && <><br />{t('intervalSpansZero')}</>}
              </>
            )}
          />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Figure title={t('coupons')} help={t('definition.coupons')} value={pct(r.coupons.redemptionRate)} sub={t('couponsText', { issued: formatCount(r.coupons.issued), used: formatCount(r.coupons.used) })} testId="report-coupons" />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Figure
            title={t('messages')} help={t('messagesHelp')} value={formatCount(r.messages.total)} testId="report-messages"
            sub={(
              <>
                {t('messagesText', { total: formatCount(r.messages.total), delivered: formatCount(r.messages.delivered), failed: formatCount(r.messages.failed) })}
                <br />
                <Space size={4} wrap>
                  {t('cost', { cost: formatMoney(r.messages.cost) })}
                  {CHANNELS.filter((c) => r.messages.byChannel[c]).map((c) => <Tag key={c} color={CHANNEL_COLORS[c]}>{tw(`channels.${c}`)} {formatCount(r.messages.byChannel[c]!)}</Tag>)}
                </Space>
              </>
            )}
          />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Figure title={t('roi')} help={t('definition.roi')} value={r.roi === null ? '—' : `${(r.roi * 100).toFixed(0)}%`} sub={r.roi === null ? t('roiNone') : undefined} testId="report-roi" />
        </Col>
      </Row>
      <Card size="small" title={t('chart')}>
        {r.daily.length === 0 ? <Typography.Text type="secondary">{t('chartEmpty')}</Typography.Text> : <EChart option={option} height={300} />}
      </Card>
      <Card size="small" title={t('groupsTitle')}>
        <Table rowKey="key" size="small" pagination={false} dataSource={groupRows} columns={groupColumns} data-testid="report-groups" />
      </Card>
      <Card size="small" title={t('definitions')} data-testid="report-definitions">
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {(['itt', 'buyRate', 'salesPerMember', 'incremental', 'interval', 'coupons', 'roi', 'partial'] as const).map((k) => (
            <li key={k}><Typography.Text>{t(`definition.${k}`)}</Typography.Text></li>
          ))}
        </ul>
      </Card>
    </Flex>
  )
}
