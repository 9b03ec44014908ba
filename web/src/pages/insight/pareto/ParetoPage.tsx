import { keepPreviousData } from '@tanstack/react-query'
import { Card, Col, DatePicker, Empty, Flex, Radio, Row, Skeleton, Space, Statistic, Table, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatMoney } from '../../../format.js'
import { formatShare, paretoOption } from '../shared/charts.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { HelpTip, TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { useInsightScope } from '../shared/InsightScope.js'

type Pareto = GetData<'/api/v1/insight/pareto'>
type Point = Pareto['points'][number]

/** The rows of the curve table: every tenth percent, and the 1% and 5% heads. */
const TABLE_PCTS = new Set([1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])

/**
 * 80/20: the Pareto curve of members' spend in a period (default: the window) for the chain, a
 * region or a store, with the top-20% share and the members who make 80% of the spend.
 */
export const ParetoPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'pareto' })
  const scope = useInsightScope('pareto-scope', t('storeNote'))
  const [period, setPeriod] = useState<[Dayjs, Dayjs] | null>(null)
  const [basis, setBasis] = useState<'net' | 'gross'>('net')
  const query = {
    ...scope.query,
    ...(period ? { from: period[0].format('YYYY-MM-DD'), to: period[1].format('YYYY-MM-DD') } : {}),
    ...(basis === 'gross' ? { basis } : {}),
  }
  const { data, error, isFetching, refetch } = useApiQuery('/api/v1/insight/pareto', { params: { query } }, { placeholderData: keepPreviousData })

  const option = useMemo(() => data && paretoOption(
    data.points.map((p) => ({ memberShare: p.memberPct / 100, spendShare: p.spendShare })),
    data.members > 0 ? { top20Share: data.top20Share, membersFor80Share: data.memberShareFor80 } : { top20Share: null, membersFor80Share: null },
    { members: t('memberAxis'), spend: t('spendAxis'), curve: t('cumulative'), even: t('even'), top20: t('top20'), for80: t('for80') },
  ), [data, t])

  const filters = (
    <Space size={8} wrap>
      <DatePicker.RangePicker
        data-testid="pareto-period" allowClear
        value={period ?? (data ? [dayjs(data.from), dayjs(data.to)] : null)}
        placeholder={[t('from'), t('to')]}
        onChange={(v) => setPeriod(v?.[0] && v[1] ? [v[0], v[1]] : null)}
      />
      <Radio.Group size="middle" value={basis} onChange={(e) => setBasis(e.target.value as 'net' | 'gross')} data-testid="pareto-basis" optionType="button"
        options={[{ value: 'net', label: t('net') }, { value: 'gross', label: t('gross') }]} />
      <HelpTip title={t('basis')}>{t('basisHelp')}</HelpTip>
      {scope.filter}
    </Space>
  )

  const header = <InsightHeader title={t('title')} help={t('help')} extra={filters} testId="pareto" />
  if (error) return <Flex vertical gap={16}>{header}<ErrorResult error={error} onRetry={() => void refetch()} /></Flex>
  if (!data) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>

  const exportTable = () => ({
    name: `pareto-${scope.slug}-${data.from}-${data.to}-${data.basis}`,
    sheet: t('sheet'),
    header: [`${t('columns.memberShare')} %`, t('columns.members'), `${t('columns.spendShare')} %`],
    rows: data.points.map((p) => [p.memberPct, p.members, Math.round(p.spendShare * 1000) / 10]),
  })

  return (
    <Flex vertical gap={16} style={{ opacity: isFetching ? 0.7 : 1 }}>
      {header}
      <Card>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }} data-testid="pareto-range">
          {t('period')}: {data.from} – {data.to} · {data.basis === 'net' ? t('net') : t('gross')}{period ? '' : ` · ${t('defaultPeriod')}`}
        </Typography.Text>
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('top20')} help={t('top20Help')} testId="pareto-top20-help" />} value={data.top20Share}
              formatter={() => <span data-testid="pareto-top20">{data.members > 0 ? formatShare(data.top20Share) : '—'}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('for80')} help={t('for80Help')} testId="pareto-for80-help" />} value={data.membersFor80}
              formatter={() => <span data-testid="pareto-for80">{data.members > 0 ? t('for80Value', { members: formatCount(data.membersFor80), share: formatShare(data.memberShareFor80) }) : '—'}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('buyers')} help={t('buyersHelp')} />} value={data.members} formatter={() => <span data-testid="pareto-members">{formatCount(data.members)}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={t('totalSpend')} value={data.spend} formatter={() => <span data-testid="pareto-spend">{formatMoney(data.spend)}</span>} />
          </Col>
        </Row>
      </Card>
      {data.members === 0 ? <Card><Empty description={t('noData')} /></Card> : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <Card title={<TitleWithHelp title={t('curve')} help={t('curveHelp')} testId="pareto-curve-help" />}>
              <div data-testid="pareto-chart">{option && <EChart option={option} height={420} />}</div>
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <Card title={t('table')} extra={<ExportButtons table={exportTable} testId="pareto-export" />} style={{ height: '100%' }}>
              <Table<Point>
                data-testid="pareto-table" size="small" rowKey="memberPct" pagination={false}
                dataSource={data.points.filter((p) => TABLE_PCTS.has(p.memberPct))}
                columns={[
                  { key: 'pct', title: t('columns.memberShare'), align: 'right', render: (_, p) => `${p.memberPct}%` },
                  { key: 'members', title: t('columns.members'), align: 'right', render: (_, p) => formatCount(p.members) },
                  { key: 'share', title: t('columns.spendShare'), align: 'right', render: (_, p) => formatShare(p.spendShare) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </Flex>
  )
}

export default ParetoPage
