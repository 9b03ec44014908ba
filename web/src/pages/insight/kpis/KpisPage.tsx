import { keepPreviousData } from '@tanstack/react-query'
import { Card, Checkbox, DatePicker, Flex, Segmented, Select, Skeleton, Table, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE } from '../../../format.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { HelpTip, TitleWithHelp } from '../shared/HelpTip.js'
import { useInsightScope } from '../shared/InsightScope.js'
import { KPI_METRICS, TONE_COLOR, baseText, formatChange, formatFigure, npsChange, kpiExportTable, kpiTrendOption, lastMonths, lastQuarters, lastYears, trendOf, type ComparedRangeLike, type KpiMetric } from './kpi-charts.js'

type Kpis = GetData<'/api/v1/insight/kpis'>
type Grain = Kpis['grain']
const GRAINS: readonly Grain[] = ['day', 'week', 'month', 'quarter', 'year']

/** A change with its arrow, green when it is good news and red when it is not; `text` words it (a relative change unless given). */
export const ChangeCell = ({ metric, change, text = formatChange(change), testId }: { metric: string; change: number | null; text?: string; testId?: string }) => {
  const trend = trendOf(metric, change)
  return <span style={{ color: TONE_COLOR[trend.tone], whiteSpace: 'nowrap' }} data-testid={testId}>{trend.arrow} {text}</span>
}

/** NPS's change in points (its value minus the base's), not a relative change. */
const NpsChangeCell = ({ points, testId }: { points: number | null; testId?: string }) =>
  <ChangeCell metric="nps" change={points === null ? null : points / 100} text={formatFigure('nps', points)} testId={testId} />

/** A row of the KPI table: the KPIs, then the surveys' CSAT and NPS when the period has answers. */
type RowMetric = KpiMetric | 'csat' | 'nps'

// As the API's defaults: 12 months, 8 quarters, 5 years, about 12 weeks or a month of days.
const defaultRange = (grain: Grain, today: string): [string, string] => {
  if (grain === 'month') return [lastMonths(today, 12).from, today]
  if (grain === 'quarter') return [lastQuarters(today, 8).from, today]
  if (grain === 'year') return [lastYears(today, 5).from, today]
  return [dayjs(today).subtract(grain === 'week' ? 83 : 30, 'day').format('YYYY-MM-DD'), today]
}

/**
 * KPIs: the chain's, a region's or a store's figures by day, week, month, quarter or year, the latest period
 * with 环比 and 同比 and each metric's definition, a trend chart, every period in a table, and
 * the export of all of it (CSV, xlsx).
 */
export const KpisPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'kpis' })
  const { chain } = useSession()
  const today = dayjs().tz(chain?.timezone ?? DEFAULT_TIMEZONE).format('YYYY-MM-DD')
  const scope = useInsightScope('kpis-scope')
  const [grain, setGrain] = useState<Grain>('month')
  const [range, setRange] = useState<[string, string]>(() => defaultRange('month', today))
  const [metric, setMetric] = useState<KpiMetric>('netSales')
  const query = { grain, from: range[0], to: range[1], ...scope.query }
  const { data, error, refetch } = useApiQuery('/api/v1/insight/kpis', { params: { query } }, { placeholderData: keepPreviousData })

  const [withPartial, setWithPartial] = useState(false)
  const trend = useMemo(
    () => data && kpiTrendOption(data.periods, metric, { value: t('chartValue'), lastYear: t('chartLastYear'), axis: '', partialMark: t('partialMark') }, withPartial),
    [data, metric, t, withPartial],
  )
  const latest = data?.periods.at(-1)
  const metricName = (m: RowMetric) => t(`metrics.${m}`)
  // A partial period's bases in words: "11月1日–11月4日", or a whole period clamped to ("2026-02 全期").
  const base = (r: ComparedRangeLike, year: string) => (r.whole
    ? t('wholeBase', { key: r.key })
    : baseText(r, year, (y, m, d, withYear) => t(withYear ? 'dayWithYear' : 'day', { y, m, d })))
  const partialTag = (p: Kpis['periods'][number], testId?: string) => p.partial && (
    <Tag color="gold" data-testid={testId} style={{ marginInlineStart: 6 }}>
      {t(`partial.${data?.grain ?? grain}`)} · {t('partialDays', { days: p.days, through: p.through })}
    </Tag>
  )

  const exportTable = (d: Kpis) => kpiExportTable(d.periods, {
    name: `${t('exportName')}-${scope.slug}-${d.from}-${d.to}`, sheet: t('title'), period: t('columns.period'), metric: t('columns.metric'), value: t('columns.value'),
    previous: t('columns.previous'), previousChange: t('columns.previousChange'), lastYear: t('columns.lastYear'), lastYearChange: t('columns.lastYearChange'), metricName,
  })

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="kpis-title">
            <TitleWithHelp title={t('title')} help={t('help')} testId="kpis-help" />
          </Typography.Title>
          <Flex gap={8} wrap align="center">
            {scope.filter}
            <Segmented
              data-testid="kpis-grain" value={grain}
              options={GRAINS.map((g) => ({ value: g, label: t(`grain.${g}`) }))}
              onChange={(g) => { setGrain(g); setRange(defaultRange(g, today)) }}
            />
            <DatePicker.RangePicker
              data-testid="kpis-range" allowClear={false} value={[dayjs(range[0]), dayjs(range[1])]}
              onChange={(v) => { if (v?.[0] && v[1]) setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')]) }}
            />
          </Flex>
        </Flex>
      </Card>
      {!data || !latest ? <Card><Skeleton active /></Card> : (
        <>
          <Card
            size="small" title={<>{t('latest', { period: latest.key, from: latest.from, to: latest.to })}{partialTag(latest, 'kpis-partial')}</>}
            extra={<ExportButtons table={() => exportTable(data)} testId="kpis-export" />}
          >
            {latest.partial && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="kpis-partial-note">
                {t('partialNote', { previous: base(latest.compareTo.previous, latest.key.slice(0, 4)), lastYear: base(latest.compareTo.lastYear, latest.key.slice(0, 4)) })}
              </Typography.Paragraph>
            )}
            <Table
              data-testid="kpis-table" size="small" pagination={false} rowKey="metric"
              dataSource={[
                ...KPI_METRICS.map((m) => ({ metric: m as RowMetric, ...latest.figures[m] })),
                ...(latest.satisfaction && latest.satisfaction.answers > 0
                  ? [{ metric: 'csat' as RowMetric, ...latest.satisfaction.csat }, { metric: 'nps' as RowMetric, ...latest.satisfaction.nps }]
                  : []),
              ]}
              columns={[
                { title: t('columns.metric'), dataIndex: 'metric', render: (m: RowMetric) => <TitleWithHelp title={metricName(m)} help={t(`definitions.${m}`)} testId={`kpis-def-${m}`} /> },
                { title: t('columns.value'), dataIndex: 'value', align: 'right', render: (v: number | null, r) => <span data-testid={`kpis-value-${r.metric}`}>{formatFigure(r.metric, v)}</span> },
                { title: t('columns.previous'), dataIndex: 'previous', align: 'right', render: (v: number | null, r) => formatFigure(r.metric, v) },
                {
                  title: latest.partial ? <>{t('columns.previousChange')} <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="kpis-vs-previous">{t('vs', { base: base(latest.compareTo.previous, latest.key.slice(0, 4)) })}</Typography.Text></> : t('columns.previousChange'),
                  dataIndex: 'previousChange', align: 'right', render: (v: number | null, r) => (r.metric === 'nps' ? <NpsChangeCell points={npsChange(r.value, r.previous)} testId="kpis-mom-nps" /> : <ChangeCell metric={r.metric} change={v} testId={`kpis-mom-${r.metric}`} />) },
                { title: t('columns.lastYear'), dataIndex: 'lastYear', align: 'right', render: (v: number | null, r) => formatFigure(r.metric, v) },
                {
                  title: latest.partial ? <>{t('columns.lastYearChange')} <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="kpis-vs-last-year">{t('vs', { base: base(latest.compareTo.lastYear, latest.key.slice(0, 4)) })}</Typography.Text></> : t('columns.lastYearChange'),
                  dataIndex: 'lastYearChange', align: 'right', render: (v: number | null, r) => (r.metric === 'nps' ? <NpsChangeCell points={npsChange(r.value, r.lastYear)} testId="kpis-yoy-nps" /> : <ChangeCell metric={r.metric} change={v} testId={`kpis-yoy-${r.metric}`} />) },
              ]}
            />
          </Card>
          <Card
            size="small" title={t('chartTitle')}
            extra={(
              <Flex gap={6} align="center">
                {data.periods.some((p) => p.partial) && (
                  <Checkbox data-testid="kpis-chart-partial" checked={withPartial} onChange={(e) => setWithPartial(e.target.checked)}>{t('chartPartial')}</Checkbox>
                )}
                <Select data-testid="kpis-chart-metric" style={{ width: 200 }} value={metric} onChange={setMetric} options={KPI_METRICS.map((m) => ({ value: m, label: metricName(m) }))} />
                <HelpTip>{t(`definitions.${metric}`)}</HelpTip>
              </Flex>
            )}
          >
            {trend && <EChart option={trend} height={300} />}
          </Card>
          <Card size="small" title={t('byPeriod')}>
            <Table
              data-testid="kpis-periods" size="small" rowKey="key" scroll={{ x: true }} pagination={{ pageSize: 31, hideOnSinglePage: true }}
              dataSource={[...data.periods].reverse()}
              columns={[
                { title: t('columns.period'), dataIndex: 'key', fixed: 'left', render: (key: string, p: Kpis['periods'][number]) => <span style={{ whiteSpace: 'nowrap' }}>{key}{partialTag(p)}</span> },
                ...KPI_METRICS.map((m) => ({
                  title: metricName(m), key: m, align: 'right' as const,
                  render: (_: unknown, p: Kpis['periods'][number]) => (
                    <Flex vertical align="end">
                      <span>{formatFigure(m, p.figures[m].value)}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}><ChangeCell metric={m} change={p.figures[m].lastYearChange} /></Typography.Text>
                    </Flex>
                  ),
                })),
              ]}
            />
          </Card>
        </>
      )}
    </Flex>
  )
}

export default KpisPage
