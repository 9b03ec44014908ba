import { Card, Col, Row, Skeleton, Statistic } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { EChart } from '../../components/EChart.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { formatDate } from '../../format.js'
import { LookupAlerts } from '../members/LookupAlerts.js'
import { BackupAlert } from '../backups/backup-words.js'
import { HeadlineKpis } from '../insight/overview/HeadlineKpis.js'
import { membersByChannelOption, membersByStoreOption } from './charts.js'


export const DashboardPage = () => {
  const { t } = useTranslation('dashboard')
  const { chain, can } = useSession()
  const { data: stats, error, refetch } = useApiQuery('/api/v1/dashboard/members')

  const byStore = useMemo(() => stats && membersByStoreOption(stats.byStore, { unassigned: t('unassigned'), members: t('members') }), [stats, t])
  const byChannel = useMemo(() => stats && membersByChannelOption(stats.byChannel, (c) => t(`channels.${c}` as never, { defaultValue: c })), [stats, t])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />

  if (!stats) return <Skeleton active />
  return (
    <>
      <BackupAlert />
      <LookupAlerts />
      {/* The headline KPIs with their trends (a store manager's: their store's). */}
      {can('insight.read') && <div style={{ marginBottom: 16 }}><HeadlineKpis testId="dashboard-kpis" /></div>}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card><Statistic title={t('totalMembers')} value={stats.total} data-testid="stat-total" /></Card>
        </Col>
        <Col xs={24} md={12}>
          <Card><Statistic title={t('newThisWeek', { since: formatDate(stats.weekStartsAt, chain?.timezone) })} value={stats.newThisWeek} data-testid="stat-new" /></Card>
        </Col>
      </Row>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card title={t('byStore')}>{byStore && <EChart option={byStore} height={Math.max(240, stats.byStore.length * 28)} />}</Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('byChannel')}>{byChannel && <EChart option={byChannel} />}</Card>
        </Col>
      </Row>
    </>
  )
}

export default DashboardPage
