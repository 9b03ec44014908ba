import { Card, Col, DatePicker, Empty, List, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDate } from '../../../format.js'
import { formatRate } from '../tickets/ticket-format.js'
import { monthlyStackOption } from './suggestion-charts.js'
import { STATUS_COLORS, type SuggestionCategory } from './suggestion-words.js'

/**
 * The box's figures over a period (the last 12 months unless chosen): monthly counts by category
 * and by store, or (view "adopted") the adopted suggestions with what they changed.
 */
export const SuggestionStats = ({ view }: { view: 'counts' | 'adopted' }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { user, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null)
  const query = range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {}
  const { data, error, refetch } = useApiQuery('/api/v1/suggestions/stats', { params: { query } })
  const byCategory = useMemo(() => data && monthlyStackOption(
    data.months.map((m) => ({ month: m.month, key: m.category, count: m.count })),
    (c) => t(`categories.${c as SuggestionCategory}`),
  ), [data, t])
  const byStore = useMemo(() => {
    if (!data) return null
    const names = new Map(data.months.map((m) => [m.storeId ?? '', m.storeName ?? t('suggestions.stats.noStore')]))
    return monthlyStackOption(data.months.map((m) => ({ month: m.month, key: m.storeId ?? '', count: m.count })), (k) => names.get(k) ?? k)
  }, [data, t])

  const picker = (
    <Space>
      <Typography.Text type="secondary">{t('suggestions.stats.period')}</Typography.Text>
      <DatePicker.RangePicker
        value={range ?? (data ? [dayjs(data.from), dayjs(data.to)] : null)} allowClear={false}
        onChange={(r) => setRange(r as [Dayjs, Dayjs] | null)} data-testid={`suggestions-${view}-range`}
      />
    </Space>
  )

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} compact />
  if (!data) return <Skeleton active />

  if (view === 'adopted') {
    return (
      <Space orientation="vertical" style={{ width: '100%' }} size={16}>
        {picker}
        <List
          data-testid="suggestions-adopted" dataSource={data.adopted} locale={{ emptyText: t('suggestions.adopted.empty') }}
          renderItem={(a) => (
            <List.Item key={a.id}>
              <List.Item.Meta
                title={<Space wrap><Typography.Text strong>{a.number}</Typography.Text><Tag>{t(`categories.${a.category}`)}</Tag>{a.storeName && <Tag>{a.storeName}</Tag>}<Typography.Text type="secondary">{t('suggestions.adopted.decidedAt')} {formatDate(a.decidedAt, tz)}</Typography.Text></Space>}
                description={(
                  <>
                    <Typography.Paragraph style={{ marginBottom: 4 }}>{a.text}</Typography.Paragraph>
                    <Typography.Text type="success">{t('suggestions.adopted.changeNote')}：{a.changeNote ?? '—'}</Typography.Text>
                  </>
                )}
              />
            </List.Item>
          )}
        />
      </Space>
    )
  }

  const adopted = data.byStatus.find((s) => s.status === 'adopted')?.count ?? 0
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      {picker}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('suggestions.stats.total')} value={formatCount(data.total)} data-testid="suggestions-total" /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('suggestions.stats.adoptedCount')} value={formatCount(adopted)} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('suggestions.stats.adoptionRate')} value={formatRate(data.total ? adopted / data.total : null)} /></Card></Col>
        <Col xs={24} md={6}>
          <Card size="small" title={t('suggestions.stats.byStatus')}>
            <Space wrap>{data.byStatus.map((s) => <Tag key={s.status} color={STATUS_COLORS[s.status]}>{t(`statuses.${s.status}`)} {formatCount(s.count)}</Tag>)}</Space>
          </Card>
        </Col>
      </Row>
      {data.total === 0 ? <Empty description={t('suggestions.stats.empty')} /> : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={user?.storeId ? 24 : 12}><Card size="small" title={t('suggestions.stats.byCategory')} data-testid="suggestions-by-category">{byCategory && <EChart option={byCategory} height={320} />}</Card></Col>
          {!user?.storeId && <Col xs={24} xl={12}><Card size="small" title={t('suggestions.stats.byStore')} data-testid="suggestions-by-store">{byStore && <EChart option={byStore} height={320} />}</Card></Col>}
        </Row>
      )}
    </Space>
  )
}
