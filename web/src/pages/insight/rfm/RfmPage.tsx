import { keepPreviousData } from '@tanstack/react-query'
import { Card, Col, Empty, Flex, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatMoney } from '../../../format.js'
import { classSharesOption, formatShare, rfHeatmapOption } from '../shared/charts.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { useInsightScope } from '../shared/InsightScope.js'
import { CLASS_ARROWS, cutRows } from './rfm-cuts.js'

type Rfm = GetData<'/api/v1/insight/rfm'>
type ClassRow = Rfm['classes'][number]

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10)

/**
 * RFM: the R×F heat map with the average spend of each cell, the eight classes (table and
 * chart) and what each score stands for, for the chain, a region or a store.
 */
export const RfmPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'rfm' })
  const scope = useInsightScope('rfm-scope')
  const { data, error, isFetching, refetch } = useApiQuery('/api/v1/insight/rfm', { params: { query: scope.query } }, { placeholderData: keepPreviousData })

  // an empty cell has no average spend (the API sends 0)
  const heatmap = useMemo(() => data && rfHeatmapOption(data.matrix.map((c) => ({ ...c, avgMonetary: c.members > 0 ? c.avgMonetary : null })), { r: t('r'), f: t('f'), members: t('columns.members'), avgM: t('avgM') }), [data, t])
  const shares = useMemo(() => data && classSharesOption(
    data.classes.map((c) => ({ label: t(`classNames.${c.class}`), members: c.members, spend: c.spend })),
    { memberShare: t('columns.memberShare'), spendShare: t('columns.spendShare') },
  ), [data, t])
  const cuts = useMemo(() => (data?.cuts ? cutRows(data.cuts, formatMoney) : []), [data])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const header = <InsightHeader title={t('title')} help={t('help')} extra={scope.filter} testId="rfm" />
  if (!data) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>

  const asOf = data.asOf ?? 'none'
  const exportClasses = () => ({
    name: `rfm-classes-${scope.slug}-${asOf}`,
    sheet: t('sheetClasses'),
    header: [t('columns.class'), t('columns.rule'), t('columns.members'), `${t('columns.memberShare')} %`, `${t('columns.spend')} (¥)`, `${t('columns.spendShare')} %`, t('columns.avgRecency'), t('columns.avgFrequency'), `${t('columns.avgMonetary')} (¥)`],
    rows: data.classes.map((c) => [
      t(`classNames.${c.class}`), CLASS_ARROWS[c.class] ?? '', c.members, round1(c.memberShare * 100), c.spend / 100, round1(c.spendShare * 100),
      round1(c.avgRecencyDays), round1(c.avgFrequency), c.avgMonetary === null ? null : c.avgMonetary / 100,
    ]),
  })
  const exportCells = () => ({
    name: `rfm-heatmap-${scope.slug}-${asOf}`,
    sheet: t('sheetCells'),
    header: ['R', 'F', t('columns.members'), `${t('avgM')} (¥)`],
    rows: [...data.matrix].sort((a, b) => b.r - a.r || b.f - a.f).map((c) => [c.r, c.f, c.members, c.members > 0 ? c.avgMonetary / 100 : null]),
  })
  const exportCuts = () => ({
    name: `rfm-cuts-${scope.slug}-${asOf}`,
    sheet: t('sheetCuts'),
    header: [t('score'), t('recency'), t('frequency'), t('monetary')],
    rows: cuts.map((c) => [c.score, c.r, c.f, c.m]),
  })

  const empty = data.scored === 0
  return (
    <Flex vertical gap={16} style={{ opacity: isFetching ? 0.7 : 1 }}>
      {header}
      <Card>
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <Statistic
              title={<TitleWithHelp title={t('scored')} help={t('scoredHelp')} />}
              value={data.scored} formatter={() => <span data-testid="rfm-scored">{formatCount(data.scored)}</span>}
              suffix={<Typography.Text type="secondary" style={{ fontSize: 14 }}>/ {formatCount(data.members)}</Typography.Text>}
            />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('columns.spend')} help={t('spendHelp')} />} value={data.spend} formatter={() => <span data-testid="rfm-spend">{formatMoney(data.spend)}</span>} />
          </Col>
          {data.cuts && (
            <Col xs={24} lg={12}>
              <Statistic
                title={<TitleWithHelp title={t('method.' + data.cuts.method as 'method.quintile')} help={t('averagesHelp')} />}
                value={0}
                formatter={() => <span style={{ fontSize: 18 }} data-testid="rfm-averages">{t('averages', { r: data.cuts!.averages.r.toFixed(2), f: data.cuts!.averages.f.toFixed(2), m: data.cuts!.averages.m.toFixed(2) })}</span>}
              />
            </Col>
          )}
        </Row>
      </Card>
      {empty ? <Card><Empty description={t('noData')} /></Card> : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={13}>
              <Card title={<TitleWithHelp title={t('heatmap')} help={t('heatmapHelp')} testId="rfm-heatmap-help" />} extra={<ExportButtons table={exportCells} testId="rfm-heatmap-export" />}>
                <div data-testid="rfm-heatmap">{heatmap && <EChart option={heatmap} height={380} />}</div>
              </Card>
            </Col>
            <Col xs={24} xl={11}>
              <Card
                title={<TitleWithHelp title={t('cuts')} help={t('cutsHelp')} testId="rfm-cuts-help" />}
                extra={<ExportButtons table={exportCuts} testId="rfm-cuts-export" />}
                style={{ height: '100%' }}
              >
                {data.cuts && <Tag color="orange" style={{ marginBottom: 12 }}>{t(`method.${data.cuts.method}`)}</Tag>}
                <Table
                  data-testid="rfm-cuts" size="small" rowKey="score" dataSource={cuts} pagination={false}
                  columns={[
                    { key: 'score', title: t('score'), dataIndex: 'score', align: 'center', width: 64 },
                    { key: 'r', title: t('recency'), dataIndex: 'r', align: 'right' },
                    { key: 'f', title: t('frequency'), dataIndex: 'f', align: 'right' },
                    { key: 'm', title: t('monetary'), dataIndex: 'm', align: 'right' },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <Card title={<TitleWithHelp title={t('classes')} help={t('classesHelp')} testId="rfm-classes-help" />} extra={<ExportButtons table={exportClasses} testId="rfm-classes-export" />}>
            <Table<ClassRow>
              data-testid="rfm-classes" size="small" rowKey="class" dataSource={data.classes} pagination={false} scroll={{ x: 960 }}
              onRow={(r) => ({ 'data-testid': `rfm-class-${r.class}` }) as never}
              columns={[
                {
                  key: 'class', title: t('columns.class'),
                  render: (_, r) => <TitleWithHelp title={<strong>{t(`classNames.${r.class}`)}</strong>} help={t(`classAdvice.${r.class}`)} />,
                },
                { key: 'rule', title: t('columns.rule'), render: (_, r) => <Typography.Text code>{CLASS_ARROWS[r.class]}</Typography.Text> },
                { key: 'members', title: t('columns.members'), align: 'right', sorter: (a, b) => a.members - b.members, render: (_, r) => formatCount(r.members) },
                { key: 'memberShare', title: t('columns.memberShare'), align: 'right', render: (_, r) => formatShare(r.memberShare) },
                { key: 'spend', title: t('columns.spend'), align: 'right', sorter: (a, b) => a.spend - b.spend, render: (_, r) => formatMoney(r.spend) },
                { key: 'spendShare', title: t('columns.spendShare'), align: 'right', render: (_, r) => formatShare(r.spendShare) },
                { key: 'avgRecency', title: t('columns.avgRecency'), align: 'right', render: (_, r) => (r.avgRecencyDays === null ? '—' : r.avgRecencyDays.toFixed(1)) },
                { key: 'avgFrequency', title: t('columns.avgFrequency'), align: 'right', render: (_, r) => (r.avgFrequency === null ? '—' : r.avgFrequency.toFixed(1)) },
                { key: 'avgMonetary', title: t('columns.avgMonetary'), align: 'right', render: (_, r) => (r.avgMonetary === null ? '—' : formatMoney(r.avgMonetary)) },
              ]}
            />
          </Card>
          <Card title={<TitleWithHelp title={t('classChart')} help={t('classChartHelp')} />}>
            <div data-testid="rfm-class-chart">{shares && <EChart option={shares} height={340} />}</div>
          </Card>
        </>
      )}
    </Flex>
  )
}

export default RfmPage
