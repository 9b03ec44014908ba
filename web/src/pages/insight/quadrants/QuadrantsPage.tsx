import { keepPreviousData } from '@tanstack/react-query'
import { Card, Col, Descriptions, Empty, Flex, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatMoney } from '../../../format.js'
import { formatShare, quadrantOption, type QuadrantId } from '../shared/charts.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { useInsightScope } from '../shared/InsightScope.js'
import { Distributions } from './Distributions.js'

type Quadrants = GetData<'/api/v1/insight/quadrants'>
type QuadrantRow = Quadrants['quadrants'][number]

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * Value quadrants (monthly income band × spend in the window): the 2×2 chart, the thresholds
 * and whether they were derived, and a table with members without an income band apart.
 */
export const QuadrantsPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'quadrants' })
  const { t: tm } = useTranslation('members')
  const scope = useInsightScope('quadrants-scope')
  const { data, error, isFetching, refetch } = useApiQuery('/api/v1/insight/quadrants', { params: { query: scope.query } }, { placeholderData: keepPreviousData })

  const option = useMemo(() => data && quadrantOption(
    data.quadrants.filter((q): q is QuadrantRow & { quadrant: QuadrantId } => q.quadrant !== 'unknown'),
    { name: (q) => t(`names.${q}`), spend: t('spend'), income: t('income'), members: t('columns.members'), spendTotal: t('columns.spend'), high: t('high'), low: t('low') },
  ), [data, t])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const header = <InsightHeader title={t('title')} help={t('help')} extra={scope.filter} testId="quadrants" />
  if (!data) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>

  const unknown = data.quadrants.find((q) => q.quadrant === 'unknown')
  const classified = data.members - (unknown?.members ?? 0)
  const band = (b: string | null) => (b ? tm(`incomeBands.${b}` as never) : '—')
  const th = data.thresholds
  const exportTable = () => ({
    name: `value-quadrants-${scope.slug}-${data.asOf ?? 'none'}`,
    sheet: t('sheet'),
    header: [t('columns.quadrant'), t('columns.rule'), t('columns.members'), `${t('columns.memberShare')} %`, `${t('columns.spend')} (¥)`, `${t('columns.spendShare')} %`, `${t('columns.avgSpend')} (¥)`],
    rows: data.quadrants.map((q) => [t(`names.${q.quadrant}`), t(`rules.${q.quadrant}`), q.members, round1(q.memberShare * 100), q.spend / 100, round1(q.spendShare * 100), q.avgSpend / 100]),
  })

  return (
    <Flex vertical gap={16} style={{ opacity: isFetching ? 0.7 : 1 }}>
      {header}
      <Card>
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('allMembers')} help={t('allMembersHelp')} />} value={data.members} formatter={() => <span data-testid="quadrants-members">{formatCount(data.members)}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('classified')} help={t('classifiedHelp')} />} value={classified} formatter={() => <span data-testid="quadrants-classified">{formatCount(classified)}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic
              title={<TitleWithHelp title={t('unknown')} help={t('unknownHelp')} testId="quadrants-unknown-help" />}
              value={unknown?.members ?? 0}
              formatter={() => <span data-testid="quadrants-unknown">{formatCount(unknown?.members ?? 0)}</span>}
              suffix={<Typography.Text type="secondary" style={{ fontSize: 14 }}>{formatShare(unknown?.memberShare ?? 0)}</Typography.Text>}
            />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={<TitleWithHelp title={t('columns.spend')} help={t('spendHelp')} />} value={data.spend} formatter={() => <span data-testid="quadrants-spend">{formatMoney(data.spend)}</span>} />
          </Col>
        </Row>
      </Card>
      {data.members === 0 ? <Card><Empty description={t('noData')} /></Card> : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={<TitleWithHelp title={t('chart')} help={t('chartHelp')} testId="quadrants-chart-help" />}>
                <div data-testid="quadrants-chart">{option && <EChart option={option} height={420} />}</div>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={<TitleWithHelp title={t('thresholds')} help={t('thresholdsHelp')} testId="quadrants-thresholds-help" />} style={{ height: '100%' }}>
                {th ? (
                  <Descriptions column={1} size="small" data-testid="quadrants-thresholds">
                    <Descriptions.Item label={t('income')}>
                      <Flex gap={8} wrap>
                        {t('incomeThreshold', { band: band(th.incomeThreshold) })}
                        <Tag>{th.incomeDerived ? t('derived') : t('fixed')}</Tag>
                      </Flex>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('spend')}>
                      <Flex gap={8} wrap>
                        {t('spendThreshold', { amount: formatMoney(th.spendThreshold) })}
                        <Tag>{th.spendDerived ? t('derived') : t('fixed')}</Tag>
                      </Flex>
                    </Descriptions.Item>
                    {data.windowDays !== null && <Descriptions.Item label="">{t('windowDays', { days: data.windowDays })}</Descriptions.Item>}
                  </Descriptions>
                ) : <Empty description={t('noData')} />}
                <Flex vertical gap={6} style={{ marginTop: 16 }}>
                  {(['core', 'develop', 'potential', 'abandon'] as const).map((q) => (
                    <Typography.Text key={q}><strong>{t(`names.${q}`)}</strong>: {t(`rules.${q}`)}</Typography.Text>
                  ))}
                </Flex>
              </Card>
            </Col>
          </Row>
          <Card title={t('table')} extra={<ExportButtons table={exportTable} testId="quadrants-export" />}>
            <Table<QuadrantRow>
              data-testid="quadrants-table" size="small" rowKey="quadrant" dataSource={data.quadrants} pagination={false}
              onRow={(r) => ({ 'data-testid': `quadrant-${r.quadrant}`, style: r.quadrant === 'unknown' ? { background: '#fafafa', color: '#8c8c8c' } : undefined }) as never}
              columns={[
                { key: 'quadrant', title: t('columns.quadrant'), render: (_, r) => <strong>{t(`names.${r.quadrant}`)}</strong> },
                { key: 'rule', title: t('columns.rule'), render: (_, r) => t(`rules.${r.quadrant}`) },
                { key: 'members', title: t('columns.members'), align: 'right', render: (_, r) => formatCount(r.members) },
                { key: 'memberShare', title: t('columns.memberShare'), align: 'right', render: (_, r) => formatShare(r.memberShare) },
                { key: 'spend', title: t('columns.spend'), align: 'right', render: (_, r) => formatMoney(r.spend) },
                { key: 'spendShare', title: t('columns.spendShare'), align: 'right', render: (_, r) => formatShare(r.spendShare) },
                { key: 'avgSpend', title: t('columns.avgSpend'), align: 'right', render: (_, r) => formatMoney(r.avgSpend) },
              ]}
            />
          </Card>
          <Distributions scope={scope} />
        </>
      )}
    </Flex>
  )
}

export default QuadrantsPage
