import { DownloadOutlined } from '@ant-design/icons'
import { Button, Card, Col, DatePicker, Empty, Flex, Row, Segmented, Select, Skeleton, Statistic, Table, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { keepPreviousData } from '@tanstack/react-query'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount } from '../../../format.js'
import { useStores } from '../../../hooks/use-stores.js'
import { formatMinutes, formatRate } from '../tickets/ticket-format.js'
import { countBarOption, satisfactionOption, trendOption } from './report-charts.js'

type Period = 'day' | 'week' | 'month'
const CARDS = ['volume', 'firstResponse', 'resolution', 'slaCompliance', 'reopenRate', 'satisfaction'] as const

/** 服务报表: volume, response and resolution times, SLA compliance, reopen rate, satisfaction; charts, definitions and an xlsx export. */
export const ServiceReportsPage = () => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'tickets' })
  const { user } = useSession()
  const { stores } = useStores()
  const english = i18n.language === 'en-US'
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(89, 'day'), dayjs()])
  const [period, setPeriod] = useState<Period>('month')
  const [storeId, setStoreId] = useState<string | undefined>()
  const query = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), period, ...(storeId ? { storeId } : {}) }
  const { data: report, error, refetch } = useApiQuery('/api/v1/service/reports', { params: { query } }, { placeholderData: keepPreviousData })
  const exportHref = `/api/v1/service/reports/export.xlsx?${new URLSearchParams({ ...query, lang: english ? 'en-US' : 'zh-CN' }).toString()}`
  const minutes = { m: (n: string) => t('minutes.m', { n }), h: (n: string) => t('minutes.h', { n }) }

  const charts = useMemo(() => report && {
    byCategory: countBarOption(report.byCategory, english, t('reports.charts.tickets')),
    byStore: countBarOption(report.byStore, english, t('reports.charts.tickets')),
    trend: trendOption(report.byPeriod, { complaints: t('reports.charts.complaints'), requests: t('reports.charts.requests') }),
    topProducts: countBarOption(report.topProducts, english, t('reports.charts.tickets'), 10, '#cf1322'),
    topStores: countBarOption(report.topStores, english, t('reports.charts.tickets'), 10, '#d46b08'),
    satisfaction: satisfactionOption(report.satisfaction.distribution, (score) => t('reports.charts.score', { score })),
  }, [report, english, t])

  const card = (key: (typeof CARDS)[number]) => {
    if (!report) return null
    const complaints = report.byPeriod.reduce((s, p) => s + p.complaints, 0)
    const requests = report.byPeriod.reduce((s, p) => s + p.requests, 0)
    const values = {
      volume: [formatCount(report.total), t('reports.cardNotes.volume', { complaints: formatCount(complaints), requests: formatCount(requests) })],
      firstResponse: [formatMinutes(report.firstResponse.medianWorking, minutes), t('reports.cardNotes.firstResponse', { count: report.firstResponse.count })],
      resolution: [formatMinutes(report.resolution.medianWorking, minutes), t('reports.cardNotes.resolution', { count: report.resolution.count })],
      // Two deadlines, two rates: first response / resolution, never one blended figure.
      slaCompliance: [
        `${formatRate(report.slaCompliance.firstResponse.rate)} / ${formatRate(report.slaCompliance.resolution.rate)}`,
        t('reports.cardNotes.slaCompliance', { first: report.slaCompliance.firstResponse.due, resolution: report.slaCompliance.resolution.due }),
      ],
      reopenRate: [formatRate(report.reopenRate.rate), t('reports.cardNotes.reopenRate', { resolved: report.reopenRate.resolved, reopened: report.reopenRate.reopened })],
      satisfaction: [report.satisfaction.mean === null ? '—' : report.satisfaction.mean.toFixed(2), t('reports.cardNotes.satisfaction', { responses: report.satisfaction.responses })],
    } as const
    const [value, note] = values[key]
    return (
      <Card size="small" data-testid={`service-report-card-${key}`}>
        <Statistic title={t(`reports.cards.${key}`)} value={value} />
        <Typography.Text type="secondary">{note}</Typography.Text>
      </Card>
    )
  }

  const chart = (key: keyof NonNullable<typeof charts>, title: string, empty: boolean) => (
    <Card size="small" title={title} data-testid={`service-report-chart-${key}`}>
      {empty || !charts ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ height: 260 }} /> : <EChart option={charts[key]} height={280} />}
    </Card>
  )

  return (
    <Flex vertical gap={16} data-testid="service-reports">
      <Card
        title={t('reports.title')}
        extra={<Button icon={<DownloadOutlined />} href={exportHref} data-testid="service-report-export">{t('reports.export')}</Button>}
      >
        <Flex gap={12} wrap align="center">
          <Typography.Text>{t('reports.period')}</Typography.Text>
          <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => { if (v?.[0] && v[1]) setRange([v[0], v[1]]) }} data-testid="service-report-range" />
          <Segmented<Period>
            value={period} onChange={setPeriod} data-testid="service-report-period"
            options={(['day', 'week', 'month'] as const).map((p) => ({ value: p, label: t(`reports.granularities.${p}`) }))}
          />
          {!user?.storeId && (
            <Select
              allowClear showSearch optionFilterProp="label" placeholder={t('reports.allStores')} style={{ width: 220 }} value={storeId} onChange={setStoreId} data-testid="service-report-store"
              options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          )}
        </Flex>
      </Card>
      {error
        ? <ErrorResult error={error} onRetry={() => void refetch()} />
        : !report
          ? <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
          : (
              <>
                <Row gutter={[16, 16]}>
                  {CARDS.map((key) => <Col key={key} xs={24} sm={12} xl={4}>{card(key)}</Col>)}
                </Row>
                <Row gutter={[16, 16]}>
                  <Col xs={24} xl={12}>{chart('trend', t('reports.charts.trend'), report.byPeriod.length === 0)}</Col>
                  <Col xs={24} xl={12}>{chart('byCategory', t('reports.charts.byCategory'), report.byCategory.length === 0)}</Col>
                  <Col xs={24} xl={12}>{chart('byStore', t('reports.charts.byStore'), report.byStore.length === 0)}</Col>
                  <Col xs={24} xl={12}>{chart('satisfaction', t('reports.charts.satisfaction'), report.satisfaction.responses === 0)}</Col>
                  <Col xs={24} xl={12}>{chart('topProducts', t('reports.charts.topProducts'), report.topProducts.length === 0)}</Col>
                  <Col xs={24} xl={12}>{chart('topStores', t('reports.charts.topStores'), report.topStores.length === 0)}</Col>
                </Row>
                <Row gutter={[16, 16]}>
                  <Col xs={24} xl={12}>
                    <Card size="small" title={t('reports.repeat.title')} data-testid="service-report-repeat">
                      <Table
                        size="small" rowKey="memberId" pagination={false} dataSource={report.repeatComplainants} locale={{ emptyText: t('reports.repeat.empty') }}
                        columns={[
                          { key: 'member', title: t('reports.repeat.member'), render: (_, r) => <Link to={`/members/${r.memberId}`}>{[r.memberName, r.cardNo].filter(Boolean).join(' · ') || r.memberId}</Link> },
                          { key: 'count', title: t('reports.repeat.count'), dataIndex: 'count', align: 'right' },
                        ]}
                      />
                      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                        {t('reports.compensation', { points: formatCount(report.compensation.points), coupons: formatCount(report.compensation.coupons), tickets: formatCount(report.compensation.tickets) })}
                      </Typography.Paragraph>
                    </Card>
                  </Col>
                  <Col xs={24} xl={12}>
                    <Card size="small" title={t('reports.definitionsTitle')} data-testid="service-report-definitions">
                      {CARDS.map((key) => <Typography.Paragraph key={key} style={{ marginBottom: 6 }}>{t(`reports.definitions.${key}`)}</Typography.Paragraph>)}
                    </Card>
                  </Col>
                </Row>
              </>
            )}
    </Flex>
  )
}

export default ServiceReportsPage
