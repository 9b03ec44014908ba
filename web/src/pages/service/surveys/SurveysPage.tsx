import { PlusOutlined } from '@ant-design/icons'
import { Button, Card, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { formatNps, formatPct } from './survey-charts.js'
import { SURVEY_STATUS_COLORS, type Survey, type SurveyStatus } from './survey-words.js'

/** The satisfaction surveys, newest first: status, window, responses, CSAT and NPS. */
export const SurveysPage = () => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { can, chain } = useSession()
  const navigate = useNavigate()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [status, setStatus] = useState<SurveyStatus | 'all'>('all')
  const { data, error, refetch } = useApiQuery('/api/v1/surveys', { params: { query: status === 'all' ? {} : { status } } })

  const columns: TableColumnsType<Survey> = [
    { key: 'title', title: t('surveys.list.name'), render: (_, s) => <Link to={`/service/surveys/${s.id}`} data-testid={`survey-link-${s.id}`}>{s.title}</Link> },
    { key: 'status', title: t('surveys.list.status'), width: 90, render: (_, s) => <Tag color={SURVEY_STATUS_COLORS[s.status]}>{t(`surveys.status.${s.status}`)}</Tag> },
    {
      key: 'window', title: t('surveys.list.window'), width: 190,
      render: (_, s) => (s.opensAt || s.closesAt
        ? <Typography.Text style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.opensAt, tz)}<br /><Typography.Text type="secondary">~ {formatDateTime(s.closesAt, tz)}</Typography.Text></Typography.Text>
        : t('surveys.list.always')),
    },
    { key: 'responses', title: t('surveys.list.responses'), width: 100, align: 'right', render: (_, s) => formatCount(s.responses) },
    { key: 'csat', title: t('surveys.list.csat'), width: 90, align: 'right', render: (_, s) => (s.responses > 0 ? formatPct(s.csatRate) : '—') },
    { key: 'nps', title: t('surveys.list.nps'), width: 90, align: 'right', render: (_, s) => (s.responses > 0 ? formatNps(s.npsScore) : '—') },
  ]

  return (
    <Card
      title={t('surveys.list.title')}
      extra={(
        <Space>
          <Select<SurveyStatus | 'all'>
            value={status} onChange={setStatus} style={{ width: 120 }} data-testid="surveys-status"
            options={(['all', 'draft', 'open', 'closed'] as const).map((s) => ({ value: s, label: t(`surveys.status.${s}`) }))}
          />
          {can('surveys.manage') && <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/service/surveys/new')} data-testid="survey-create">{t('surveys.list.create')}</Button>}
        </Space>
      )}
    >
      {error ? <ErrorResult error={error} onRetry={() => void refetch()} compact /> : (
        <Table<Survey>
          rowKey="id" size="middle" columns={columns} dataSource={data ?? []} loading={!data} pagination={false} scroll={{ x: 800 }}
          locale={{ emptyText: t('surveys.list.empty') }} data-testid="surveys-table"
        />
      )}
    </Card>
  )
}

export default SurveysPage
