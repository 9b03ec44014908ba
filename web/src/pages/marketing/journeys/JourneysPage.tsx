import { PlusOutlined } from '@ant-design/icons'
import { Button, Card, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { JOURNEY_STATUSES, STATUS_COLORS, type Journey, type JourneyStatus } from './journey-form.js'
import { triggerText } from './journey-words.js'
import { useJourneyRefs } from './use-journey-refs.js'

/** 自动化旅程: the journeys with their trigger in words, status, version and members; a new one. */
const JourneysPage = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const navigate = useNavigate()
  const refs = useJourneyRefs()
  const [status, setStatus] = useState<JourneyStatus | undefined>()
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/journeys', { params: { query: status ? { status } : {} } })
  const count = (n: number) => <Typography.Text type={n ? undefined : 'secondary'}>{formatCount(n)}</Typography.Text>
  const columns: TableColumnsType<Journey> = [
    { key: 'name', title: t('columns.name'), render: (_, j) => <Link to={`/marketing/journeys/${j.id}`} data-testid={`journey-open-${j.id}`}>{j.name}</Link> },
    { key: 'trigger', title: t('columns.trigger'), width: 280, render: (_, j) => triggerText(t, j.trigger, refs.names) },
    { key: 'status', title: t('columns.status'), width: 100, render: (_, j) => <Tag color={STATUS_COLORS[j.status]}>{t(`statuses.${j.status}`)}</Tag> },
    { key: 'version', title: t('columns.version'), width: 90, render: (_, j) => t('version', { n: j.version }) },
    { key: 'inside', title: t('columns.inside'), width: 90, align: 'right', render: (_, j) => count(j.members.active) },
    { key: 'done', title: t('columns.done'), width: 90, align: 'right', render: (_, j) => count(j.members.done) },
    { key: 'exited', title: t('columns.exited'), width: 90, align: 'right', render: (_, j) => count(j.members.exited) },
    { key: 'updatedAt', title: t('columns.updatedAt'), width: 150, render: (_, j) => formatDateTime(j.updatedAt, tz) },
  ]
  return (
    <Card
      title={t('title')}
      extra={can('marketing.manage') && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/marketing/journeys/new')} data-testid="journey-create">{t('create')}</Button>
      )}
    >
      {error ? <ErrorResult error={error} onRetry={load} /> : (
        <>
          <Select<JourneyStatus>
            allowClear placeholder={t('allStatuses')} style={{ width: 160, marginBottom: 16 }} value={status} onChange={setStatus}
            options={JOURNEY_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} data-testid="journeys-filter-status"
          />
          <Table<Journey>
            rowKey="id" size="middle" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false}
            locale={{ emptyText: t('empty') }} scroll={{ x: 1100 }} data-testid="journeys-table"
          />
          {nextCursor && <Flex justify="center" style={{ marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{t('more')}</Button></Flex>}
        </>
      )}
    </Card>
  )
}

export default JourneysPage
