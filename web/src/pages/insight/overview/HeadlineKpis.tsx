import { Card, Col, Flex, Row, Skeleton, Statistic, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE } from '../../../format.js'
import { HelpTip } from '../shared/HelpTip.js'
import { ChangeCell } from '../kpis/KpisPage.js'
import { formatFigure, lastMonths, sparklineOption, type KpiMetric } from '../kpis/kpi-charts.js'

export const HEADLINE_METRICS: KpiMetric[] = [
  'netSales', 'memberSalesShare', 'activeMembers', 'newMembers', 'avgTicketMember', 'repurchaseRate', 'churnRate', 'members',
]

/**
 * The last whole month's headline KPIs (a month just begun, set against whole months, would read
 * as a collapse), each with 环比 and 同比 and its last 12 months as a
 * sparkline; a store role sees its own store (the API scopes it). The overview and the
 * dashboard home show it.
 */
export const HeadlineKpis = ({ testId = 'headline' }: { testId?: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'overview' })
  const { t: tk } = useTranslation('insight', { keyPrefix: 'kpis' })
  const { chain, user } = useSession()
  const lastDay = dayjs().tz(chain?.timezone ?? DEFAULT_TIMEZONE).startOf('month').subtract(1, 'day').format('YYYY-MM-DD')
  const range = lastMonths(lastDay, 12)
  const { data, error, refetch } = useApiQuery('/api/v1/insight/kpis', { params: { query: { grain: 'month', ...range } } })
  const sparks = useMemo(() => data && Object.fromEntries(HEADLINE_METRICS.map((m) => [m, sparklineOption(data.periods.map((p) => p.figures[m].value))])), [data])

  if (error) return <ErrorResult compact error={error} onRetry={() => void refetch()} />
  const current = data?.periods.at(-1)
  return (
    <Card
      size="small" data-testid={testId}
      title={(
        <Flex gap={6} align="center">
          {t('headline', { month: lastDay.slice(0, 7) })}
          {user?.storeId && <Typography.Text type="secondary">· {data?.scope.name ?? t('storeOnly')}</Typography.Text>}
          <HelpTip>{t('help')}</HelpTip>
        </Flex>
      )}
      extra={<Flex gap={12}><Link to="/insight/kpis">{t('allKpis')}</Link><Link to="/insight/report">{t('report')}</Link></Flex>}
    >
      {!current || !sparks ? <Skeleton active /> : (
        <Row gutter={[12, 12]}>
          {HEADLINE_METRICS.map((m) => {
            const f = current.figures[m]
            return (
              <Col xs={24} sm={12} lg={6} key={m}>
                <Card size="small" data-testid={`${testId}-${m}`}>
                  <Statistic
                    title={<Flex gap={4} align="center">{tk(`metrics.${m}`)}<HelpTip>{tk(`definitions.${m}`)}</HelpTip></Flex>}
                    value={formatFigure(m, f.value)}
                  />
                  <Flex gap={12} style={{ fontSize: 12 }}>
                    <span>{t('mom')} <ChangeCell metric={m} change={f.previousChange} testId={`${testId}-${m}-mom`} /></span>
                    <span>{t('yoy')} <ChangeCell metric={m} change={f.lastYearChange} testId={`${testId}-${m}-yoy`} /></span>
                  </Flex>
                  <EChart option={sparks[m]!} height={48} />
                </Card>
              </Col>
            )
          })}
        </Row>
      )}
    </Card>
  )
}
