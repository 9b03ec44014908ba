import { useMyStores } from '../../hooks/use-stores.js'
import { keepPreviousData } from '@tanstack/react-query'
import { Card, Col, Empty, Flex, Row, Select, Skeleton, Space, Statistic, Table, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { EChart } from '../../components/EChart.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatMoney } from '../../format.js'
import { liabilityByMonthOption } from './charts.js'
import type { Store } from './types.js'

const NO_STORES: never[] = []

/**
 * Outstanding points, their cash value and when they expire, for the chain or one store (store
 * roles: theirs, as the API scopes it); negative balances apart.
 */
export const LiabilityPage = () => {
  const { t } = useTranslation('loyalty')
  const { user, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? undefined
  const stores: Store[] = useMyStores(useApiQuery('/api/v1/stores', undefined, { enabled: !ownStore, staleTime: REFERENCE_STALE_MS }).data ?? NO_STORES)
  const [storeId, setStoreId] = useState<string | undefined>(ownStore)
  // The report in hand stays on screen while another store's loads.
  const { data: report, error, isFetching: loading, refetch } = useApiQuery(
    '/api/v1/loyalty/liability', { params: { query: storeId ? { storeId } : {} } }, { placeholderData: keepPreviousData },
  )
  const load = () => void refetch()


  const currentMonth = dayjs().tz(tz).format('YYYY-MM')
  const option = useMemo(() => report && liabilityByMonthOption(
    report.byExpiryMonth,
    { points: t('liability.points'), value: t('liability.value'), soon: t('liability.soon'), later: t('liability.later') },
    currentMonth,
  ), [report, t, currentMonth])

  if (error) return <ErrorResult error={error} onRetry={load} />
  if (!report) return <Card><Skeleton active /></Card>

  const storeFilter = !ownStore && (
    <Select
      data-testid="liability-store" allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 220 }} placeholder={t('liability.allStores')}
      value={storeId} onChange={(v?: string) => setStoreId(v)} options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
    />
  )
  return (
    <Flex vertical gap={16}>
      <Card
        title={t('liability.title')} extra={storeFilter} loading={loading && !report}
        styles={{ body: { opacity: loading ? 0.6 : 1 } }}
      >
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <Statistic title={t('liability.points')} value={report.points} formatter={(v) => <span data-testid="liability-points">{formatCount(Number(v))}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic
              title={<Space size={4}>{t('liability.value')}<Typography.Text type="secondary" style={{ fontSize: 12 }}>({t('liability.valueHelp')})</Typography.Text></Space>}
              value={report.valueFen} formatter={(v) => <span data-testid="liability-value">{formatMoney(Number(v))}</span>}
            />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic title={t('liability.negative')} value={report.negative.members} formatter={(v) => <span data-testid="liability-negative-members">{formatCount(Number(v))}</span>} />
          </Col>
          <Col xs={12} lg={6}>
            <Statistic
              title={t('liability.negativePoints')} value={report.negative.points}
              styles={report.negative.points < 0 ? { content: { color: '#cf1322' } } : undefined}
              formatter={(v) => <span data-testid="liability-negative-points">{formatCount(Number(v))}</span>}
            />
          </Col>
        </Row>
        {report.forfeitedByErasure && report.forfeitedByErasure.points > 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }} data-testid="liability-forfeited">
            {t('liability.forfeited', { points: formatCount(report.forfeitedByErasure.points), value: formatMoney(report.forfeitedByErasure.valueFen), members: formatCount(report.forfeitedByErasure.members) })}
          </Typography.Paragraph>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('liability.byMonth')}>
            <div data-testid="liability-chart">
              {report.byExpiryMonth.length === 0 || !option
                ? <Empty description={t('liability.empty')} />
                : <EChart option={option} height={320} />}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('liability.byStore')}>
            <Table
              data-testid="liability-by-store" size="small" rowKey={(r) => r.storeId ?? '-'} dataSource={report.byStore}
              pagination={{ defaultPageSize: 20, hideOnSinglePage: true }} locale={{ emptyText: t('liability.empty') }}
              onHeaderRow={() => ({ style: { whiteSpace: 'nowrap' } })}
              columns={[
                { key: 'store', title: t('liability.store'), render: (_, r) => (r.storeId ? `${r.storeCode ?? ''} ${r.storeName ?? r.storeId}` : t('liability.noStore')) },
                { key: 'points', title: t('liability.points'), align: 'right', sorter: (a, b) => a.points - b.points, render: (_, r) => formatCount(r.points) },
                { key: 'value', title: t('liability.value'), align: 'right', render: (_, r) => formatMoney(r.valueFen) },
                { key: 'share', title: t('liability.share'), align: 'right', render: (_, r) => (report.points > 0 ? `${((r.points / report.points) * 100).toFixed(1)}%` : '—') },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  )
}

export default LiabilityPage
