import { QuestionCircleOutlined } from '@ant-design/icons'
import { Alert, Card, Col, Flex, Row, Segmented, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatDateTime, formatMoney } from '../../../format.js'
import { REGISTRATION_CHANNELS, type MemberEvent } from './event-form.js'

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
const DAYS = [7, 14, 30] as const

/** A figure: its value, a line under it, and how it is counted on hover. */
const Figure = ({ title, help, value, sub, testId }: { title: string; help?: string; value: string; sub?: React.ReactNode; testId: string }) => (
  <Card size="small" style={{ height: '100%' }}>
    <Statistic title={help ? <Space size={4}>{title}<Tooltip title={help}><QuestionCircleOutlined /></Tooltip></Space> : title} value={value} data-testid={testId} />
    {sub && <div style={{ marginTop: 4 }}><Typography.Text type="secondary">{sub}</Typography.Text></div>}
  </Card>
)

/**
 * 活动效果: invited, registered, attended and the rate as cards; the purchases from the event's
 * start to N days after its end, attendees against registered no-shows, as a small table.
 */
export const EventReport = ({ event, tz }: { event: MemberEvent; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const [days, setDays] = useState<number>(14)
  const report = useApiQuery('/api/v1/marketing/events/{id}/report', { params: { path: { id: event.id }, query: { days } } })
  const r = report.data
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} compact />
  if (!r) return <Skeleton active paragraph={{ rows: 6 }} />
  const f = r.followUp
  const rows = (['attendees', 'noShows'] as const).map((k) => ({ key: k, ...f[k] }))
  const columns: TableColumnsType<(typeof rows)[number]> = [
    { key: 'group', title: t('report.groupColumns.group'), render: (_, g) => t(`report.groups.${g.key}`) },
    { key: 'members', title: t('report.groupColumns.members'), align: 'right', render: (_, g) => formatCount(g.members) },
    { key: 'buyers', title: t('report.groupColumns.buyers'), align: 'right', render: (_, g) => formatCount(g.buyers) },
    { key: 'buyRate', title: t('report.groupColumns.buyRate'), align: 'right', render: (_, g) => pct(g.buyRate) },
    { key: 'receipts', title: t('report.groupColumns.receipts'), align: 'right', render: (_, g) => formatCount(g.receipts) },
    { key: 'sales', title: t('report.groupColumns.sales'), align: 'right', render: (_, g) => formatMoney(g.sales) },
    { key: 'salesPerMember', title: t('report.groupColumns.salesPerMember'), align: 'right', render: (_, g) => (g.salesPerMember === null ? '—' : formatMoney(Math.round(g.salesPerMember))) },
  ]
  const started = new Date(event.startsAt).getTime() <= Date.now()
  return (
    <Flex vertical gap={16} data-testid="event-report">
      {!started && <Alert type="info" showIcon title={t('report.notStarted')} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <Figure
            title={t('report.invited')} help={t('report.invitedHelp')} value={r.invited === null ? '—' : formatCount(r.invited)} testId="event-report-invited"
            sub={r.invited === null ? t('report.noCampaign') : undefined}
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Figure title={t('report.registered')} value={formatCount(r.registered)} testId="event-report-registered" sub={t('report.registeredSub', { capacity: formatCount(r.capacity), cancelled: formatCount(r.cancelled) })} />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Figure title={t('report.attended')} value={formatCount(r.attended)} testId="event-report-attended" />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Figure title={t('report.attendanceRate')} help={t('report.attendanceHelp')} value={pct(r.attendanceRate)} testId="event-report-rate" />
        </Col>
      </Row>
      <Space wrap>
        <Typography.Text type="secondary">{t('report.byChannel')}:</Typography.Text>
        {REGISTRATION_CHANNELS.filter((c) => r.byChannel[c]).map((c) => <Tag key={c}>{t(`channels.${c}`)} {formatCount(r.byChannel[c]!)}</Tag>)}
        {REGISTRATION_CHANNELS.every((c) => !r.byChannel[c]) && <Typography.Text type="secondary">—</Typography.Text>}
      </Space>
      <Card
        size="small" title={t('report.followUp')}
        extra={(
          <Space wrap>
            <Typography.Text type="secondary">{t('report.days')}</Typography.Text>
            <Segmented<number> value={days} onChange={setDays} options={DAYS.map((n) => ({ value: n, label: t('report.daysOption', { n }) }))} data-testid="event-report-days" />
          </Space>
        )}
      >
        <Flex vertical gap={12}>
          {started && (
            <Space wrap>
              <Typography.Text type="secondary">{t('report.window', { from: formatDateTime(f.from, tz), to: formatDateTime(f.to, tz) })}</Typography.Text>
              {f.partial ? <Tag color="gold">{t('report.partial')}</Tag> : <Tag color="green">{t('report.final')}</Tag>}
            </Space>
          )}
          <Table rowKey="key" size="small" pagination={false} dataSource={rows} columns={columns} data-testid="event-report-groups" />
          <Typography.Text type="secondary">{t('report.definition')}</Typography.Text>
        </Flex>
      </Card>
    </Flex>
  )
}
