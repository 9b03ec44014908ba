import { PlusOutlined } from '@ant-design/icons'
import { Button, Card, Flex, Table, Typography, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatDateTime } from '../../../format.js'
import { useStores } from '../../../hooks/use-stores.js'
import { InsightHeader } from '../shared/InsightHeader.js'

type Segment = GetData<'/api/v1/insight/segments'>[number]

/** A segment's members now, counted when its row shows (a count per segment can take a moment on a large chain). */
const LiveCount = ({ id }: { id: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments' })
  const { data, isLoading } = useApiQuery('/api/v1/insight/segments/{id}/count', { params: { path: { id } } })
  if (isLoading) return <Typography.Text type="secondary">{t('countLoading')}</Typography.Text>
  return <span data-testid={`segment-count-${id}`}>{data ? formatCount(data.count) : '—'}</span>
}

/** The saved segments: what they pick, for whom, how many now, their snapshots. */
export const SegmentsPage = () => {
  const { t, i18n } = useTranslation('insight', { keyPrefix: 'segments' })
  const { can } = useSession()
  const navigate = useNavigate()
  const { storeName } = useStores()
  const { data, error, refetch, isLoading } = useApiQuery('/api/v1/insight/segments')
  const en = i18n.language === 'en-US'

  const columns: TableColumnsType<Segment> = [
    { key: 'name', title: t('columns.name'), render: (_, s) => <Link to={`/insight/segments/${s.id}`} data-testid={`segment-link-${s.id}`}><Typography.Text strong>{s.name}</Typography.Text></Link> },
    { key: 'conditions', title: t('columns.conditions'), render: (_, s) => <Typography.Text type="secondary">{en ? s.summaryEn : s.summaryZh}</Typography.Text> },
    { key: 'scope', title: t('columns.scope'), width: 150, render: (_, s) => (s.storeId ? t('scopeStore', { store: storeName(s.storeId) ?? s.storeId }) : t('scopeChain')) },
    { key: 'members', title: t('columns.members'), width: 110, align: 'right', render: (_, s) => <LiveCount id={s.id} /> },
    {
      key: 'snapshots', title: t('columns.snapshots'), width: 150, align: 'right',
      render: (_, s) => (s.snapshots > 0 ? `${s.snapshots} · ${formatCount(s.lastSnapshotCount ?? 0)}` : '—'),
    },
    { key: 'updated', title: t('columns.updated'), width: 170, render: (_, s) => formatDateTime(s.updatedAt) },
  ]

  return (
    <Flex vertical gap={12}>
      <InsightHeader
        title={t('title')} help={t('help')} testId="segments"
        extra={can('segments.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/insight/segments/new')} data-testid="segment-new">{t('newSegment')}</Button>
        )}
      />
      <Card size="small">
        {error
          ? <ErrorResult error={error} onRetry={() => void refetch()} />
          : <Table rowKey="id" size="small" loading={isLoading} columns={columns} dataSource={data ?? []} pagination={false} locale={{ emptyText: t('empty') }} data-testid="segments-table" />}
      </Card>
    </Flex>
  )
}

export default SegmentsPage
