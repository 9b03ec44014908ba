import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons'
import { keepPreviousData } from '@tanstack/react-query'
import { Alert, Button, Card, DatePicker, Flex, Segmented, Select, Skeleton, Table, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount } from '../../../format.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { useInsightScope } from '../shared/InsightScope.js'
import { ChangeCell } from '../kpis/KpisPage.js'
import { actualVsTargetOption, formatFigure, reportTrendOption } from '../kpis/kpi-charts.js'
import { TargetsDrawer } from './TargetsDrawer.js'

type Report = GetData<'/api/v1/insight/report'>
type Block = Report['summary']
type Line = Block['lines'][number]

// Printing leaves the menu, the header and the buttons out, and keeps each table whole on a page.
const PRINT_CSS = `
@media print {
  .ant-layout-sider, .ant-layout-header, .no-print, .ant-drawer { display: none !important; }
  .ant-layout, .ant-layout-content { margin: 0 !important; padding: 0 !important; background: #fff !important; }
  .ant-card { break-inside: avoid; box-shadow: none !important; border: 1px solid #d9d9d9 !important; }
  .crm-report { font-size: 11px; }
  @page { size: A4; margin: 12mm; }
}`

const COMPARED: Array<'netSales' | 'salesGrowth' | 'memberSalesShare' | 'newMembers' | 'activeMembers' | 'repurchaseRate' | 'retentionRate' | 'churnRate'> = [
  'netSales', 'salesGrowth', 'memberSalesShare', 'newMembers', 'activeMembers', 'repurchaseRate', 'retentionRate', 'churnRate',
]

/**
 * The CRM evaluation report (CRM 绩效评估): a month's or year's figures against HQ's targets,
 * overall, per region and per store, with the trend; printable, exported as xlsx by the API. A
 * month or year still running is tagged "to date" with the day its figures run through.
 */
export const ReportPage = () => {
  const { t, i18n } = useTranslation('insight', { keyPrefix: 'report' })
  const { t: tk } = useTranslation('insight', { keyPrefix: 'kpis' })
  const { chain, can } = useSession()
  const today = dayjs().tz(chain?.timezone ?? DEFAULT_TIMEZONE)
  const scope = useInsightScope('report-scope')
  const [kind, setKind] = useState<'month' | 'year'>('month')
  // The last whole month, as the API's default: what management reads at the start of a month.
  const [month, setMonth] = useState(today.subtract(1, 'month').format('YYYY-MM'))
  const [year, setYear] = useState(today.format('YYYY'))
  const [compare, setCompare] = useState<(typeof COMPARED)[number]>('netSales')
  const [editing, setEditing] = useState(false)
  const query = { ...(kind === 'month' ? { period: month } : { year }), ...scope.query }
  const { data, error, refetch } = useApiQuery('/api/v1/insight/report', { params: { query } }, { placeholderData: keepPreviousData })
  const xlsxHref = `/api/v1/insight/report.xlsx?${new URLSearchParams({ ...query, lang: i18n.language === 'en-US' ? 'en-US' : 'zh-CN' }).toString()}`

  const trend = useMemo(() => data && reportTrendOption(data.trend, {
    netSales: tk('metrics.netSales'), repurchaseRate: tk('metrics.repurchaseRate'), retentionRate: tk('metrics.retentionRate'), churnRate: tk('metrics.churnRate'), memberSalesShare: tk('metrics.memberSalesShare'),
    partialMark: t('partialMark'),
  }), [data, t, tk])
  const stores = useMemo(() => data && actualVsTargetOption(data.stores, compare, { actual: t('columns.actual'), target: t('columns.target') }), [data, compare, t])

  const metricCell = (m: Line['metric']) => <TitleWithHelp title={tk(`metrics.${m}`)} help={tk(`definitions.${m}`)} />
  const lineColumns = [
    { title: t('columns.metric'), dataIndex: 'metric', render: metricCell },
    { title: t('columns.actual'), dataIndex: 'actual', align: 'right' as const, render: (v: number | null, l: Line) => <span data-testid={`report-actual-${l.metric}`}>{formatFigure(l.metric, v)}</span> },
    { title: t('columns.target'), dataIndex: 'target', align: 'right' as const, render: (v: number | null, l: Line) => (v === null ? <Typography.Text type="secondary">{t('noTarget')}</Typography.Text> : formatFigure(l.metric, v)) },
    { title: <TitleWithHelp title={t('columns.attainment')} help={t('attainmentHelp')} />, dataIndex: 'attainment', align: 'right' as const, render: (v: number | null) => <span style={{ color: v === null ? undefined : v >= 1 ? '#389e0d' : '#cf1322' }}>{formatFigure('memberSalesShare', v)}</span> },
    { title: t('columns.lastYear'), dataIndex: 'lastYear', align: 'right' as const, render: (v: number | null, l: Line) => formatFigure(l.metric, v) },
    { title: t('columns.change'), dataIndex: 'lastYearChange', align: 'right' as const, render: (v: number | null, l: Line) => <ChangeCell metric={l.metric} change={v} /> },
  ]
  // Per region or store: each metric's actual, with its target beneath when one is set.
  const blockTable = (blocks: Block[], testId: string, nameTitle: string) => (
    <Table
      data-testid={testId} size="small" rowKey={(b) => b.id ?? ''} pagination={false} scroll={{ x: true }} dataSource={blocks}
      columns={[
        { title: nameTitle, key: 'name', fixed: 'left', render: (_, b) => [b.code, b.name].filter(Boolean).join(' ') },
        ...COMPARED.map((m) => ({
          title: tk(`metrics.${m}`), key: m, align: 'right' as const,
          render: (_: unknown, b: Block) => {
            const l = b.lines.find((x) => x.metric === m)
            return (
              <Flex vertical align="end">
                <span>{formatFigure(m, l?.actual ?? null)}</span>
                {l?.target !== null && l?.target !== undefined && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('columns.target')} {formatFigure(m, l.target)}</Typography.Text>}
              </Flex>
            )
          },
        })),
      ]}
    />
  )

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const period = kind === 'month' ? month : year
  return (
    <Flex vertical gap={16} className="crm-report">
      <style>{PRINT_CSS}</style>
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Flex vertical gap={2}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="report-title">
              <TitleWithHelp title={t('title')} help={t('help')} testId="report-help" />
            </Typography.Title>
            {data && (
              <Typography.Text type="secondary" data-testid="report-period">
                {t('periodLine', { period: data.period, from: data.from, to: data.to, scope: data.scope.name ?? t('chain') })}
                {data.partial && <Tag color="gold" data-testid="report-partial" style={{ marginInlineStart: 6 }}>{t(`partial.${data.kind}`)} · {t('partialDays', { days: data.days, through: data.through })}</Tag>}
              </Typography.Text>
            )}
          </Flex>
          <Flex gap={8} wrap align="center" className="no-print">
            {scope.filter}
            <Segmented data-testid="report-kind" value={kind} onChange={setKind} options={[{ value: 'month', label: t('month') }, { value: 'year', label: t('year') }]} />
            {kind === 'month'
              ? <DatePicker data-testid="report-month" picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(v) => v && setMonth(v.format('YYYY-MM'))} />
              : <DatePicker data-testid="report-year" picker="year" allowClear={false} value={dayjs(`${year}-01-01`)} onChange={(v) => v && setYear(v.format('YYYY'))} />}
            {can('insight.manage') && <Button data-testid="report-targets" onClick={() => setEditing(true)}>{t('targets')}</Button>}
            <Button icon={<PrinterOutlined />} data-testid="report-print" onClick={() => window.print()}>{t('print')}</Button>
            <Button icon={<DownloadOutlined />} data-testid="report-xlsx" href={xlsxHref}>{t('xlsx')}</Button>
          </Flex>
        </Flex>
      </Card>
      {!data ? <Card><Skeleton active /></Card> : (
        <>
          <Card size="small" title={t('satisfactionTitle')}>
            {data.satisfaction.available
              ? (
                <Typography.Text data-testid="report-satisfaction">
                  {t('satisfactionFigures', { answers: formatCount(data.satisfaction.answers), csat: formatFigure('csat', data.satisfaction.csat), nps: formatFigure('nps', data.satisfaction.nps) })}
                </Typography.Text>
              )
              : <Alert type="info" showIcon data-testid="report-satisfaction" message={t('satisfactionNone')} />}
          </Card>
          <Card size="small" title={t('summary')}>
            {data.partial && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="report-partial-note">
                {t('partialNote', { through: data.through, days: data.days, from: data.compareTo.lastYear.from, to: data.compareTo.lastYear.to })}
              </Typography.Paragraph>
            )}
            <Table data-testid="report-summary" size="small" rowKey="metric" pagination={false} columns={lineColumns} dataSource={data.summary.lines.filter((l) => l.metric !== 'satisfaction' || data.satisfaction.available)} />
          </Card>
          <Card size="small" title={t('trend')}>{trend && <EChart option={trend} height={300} />}</Card>
          {data.regions.length > 0 && <Card size="small" title={t('byRegion')}>{blockTable(data.regions, 'report-regions', t('columns.region'))}</Card>}
          <Card
            size="small" title={t('byStore')}
            extra={<Select className="no-print" data-testid="report-compare" style={{ width: 200 }} value={compare} onChange={setCompare} options={COMPARED.map((m) => ({ value: m, label: tk(`metrics.${m}`) }))} />}
          >
            {stores && data.stores.length > 1 && <EChart option={stores} height={260} />}
            {blockTable(data.stores, 'report-stores', t('columns.store'))}
          </Card>
        </>
      )}
      {can('insight.manage') && <TargetsDrawer period={period} open={editing} onClose={() => setEditing(false)} />}
    </Flex>
  )
}

export default ReportPage
