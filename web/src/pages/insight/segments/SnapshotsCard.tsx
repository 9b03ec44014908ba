import { CameraOutlined } from '@ant-design/icons'
import { App, Button, Card, Empty, Flex, Select, Space, Statistic, Table, Tabs, type TableColumnsType } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useApiMutation, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { errorMessage } from '../../../components/errors.js'
import { formatCount, formatDateTime } from '../../../format.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { MembersTable, type SegmentMember } from './MembersTable.js'

type Snapshot = GetData<'/api/v1/insight/segments/{id}/snapshots'>[number]
type List = 'joined' | 'left' | 'stayed'

/** A segment's snapshots: take one, list them, compare two (who joined, left, stayed). */
export const SnapshotsCard = ({ segmentId }: { segmentId: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments.snapshots' })
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const { message } = App.useApp()
  const { data: snapshots = [], isLoading } = useApiQuery('/api/v1/insight/segments/{id}/snapshots', { params: { path: { id: segmentId } } })
  const take = useApiMutation('post', '/api/v1/insight/segments/{id}/snapshots', {
    onSuccess: (s) => message.success(t('taken', { n: formatCount(s.memberCount) })),
  })
  const [from, setFrom] = useState<string | undefined>()
  const [to, setTo] = useState<string | undefined>()
  useEffect(() => {
    if (snapshots.length >= 2 && !from && !to) { setTo(snapshots[0]!.id); setFrom(snapshots[1]!.id) }
  }, [snapshots, from, to])

  const [list, setList] = useState<List>('joined')
  const [compared, setCompared] = useState<{ joined: number; left: number; stayed: number; items: SegmentMember[]; nextCursor: string | null } | null>(null)
  const [loading, setLoading] = useState(false)
  const compare = async (which: List, cursor?: string) => {
    if (!from || !to) return
    setLoading(true)
    try {
      const r = await call(api.GET('/api/v1/insight/segments/{id}/compare', { params: { path: { id: segmentId }, query: { from, to, list: which, ...(cursor ? { cursor } : {}) } } }))
      setList(which)
      setCompared((prev) => ({ ...r, items: cursor && prev ? [...prev.items, ...r.items] : r.items }))
    } catch (err) {
      message.error(errorMessage(tc, err))
    } finally {
      setLoading(false)
    }
  }

  const columns: TableColumnsType<Snapshot> = [
    { key: 'asOf', title: t('columns.asOf'), dataIndex: 'asOf' },
    { key: 'members', title: t('columns.members'), align: 'right', render: (_, s) => formatCount(s.memberCount) },
    { key: 'by', title: t('columns.createdBy'), render: (_, s) => s.createdBy ?? '—' },
    { key: 'at', title: t('columns.createdAt'), render: (_, s) => formatDateTime(s.createdAt) },
  ]
  const options = snapshots.map((s) => ({ value: s.id, label: `${s.asOf} · ${formatCount(s.memberCount)} (${formatDateTime(s.createdAt)})` }))

  return (
    <Card
      size="small" title={<TitleWithHelp title={t('title')} help={t('help')} testId="snapshots-help" />}
      extra={can('segments.manage') && (
        <Button size="small" icon={<CameraOutlined />} loading={take.isPending} data-testid="snapshot-take"
          onClick={() => void take.mutateAsync({ params: { path: { id: segmentId } } }).catch((err: unknown) => message.error(errorMessage(tc, err)))}>
          {t('take')}
        </Button>
      )}
    >
      <Flex vertical gap={12}>
        <Table rowKey="id" size="small" loading={isLoading} columns={columns} dataSource={snapshots} pagination={false} locale={{ emptyText: t('empty') }} data-testid="snapshots-table" />
        {snapshots.length >= 2 ? (
          <Space wrap>
            <span>{t('from')}</span>
            <Select size="small" style={{ minWidth: 260 }} value={from} options={options} onChange={setFrom} data-testid="compare-from" />
            <span>{t('to')}</span>
            <Select size="small" style={{ minWidth: 260 }} value={to} options={options} onChange={setTo} data-testid="compare-to" />
            <Button size="small" type="primary" disabled={!from || !to} loading={loading} onClick={() => void compare('joined')} data-testid="compare-run">{t('compare')}</Button>
          </Space>
        ) : snapshots.length === 1 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pickTwo')} />}
        {compared && (
          <>
            <Space size={32}>
              <Statistic title={t('joined')} value={compared.joined} data-testid="compare-joined" />
              <Statistic title={t('left')} value={compared.left} data-testid="compare-left" />
              <Statistic title={t('stayed')} value={compared.stayed} data-testid="compare-stayed" />
            </Space>
            <Tabs
              activeKey={list} onChange={(k) => void compare(k as List)}
              items={(['joined', 'left', 'stayed'] as const).map((k) => ({ key: k, label: t(k) }))}
            />
            <MembersTable items={compared.items} loading={loading} testId="compare-members"
              more={compared.nextCursor ? () => void compare(list, compared.nextCursor!) : undefined} />
          </>
        )}
      </Flex>
    </Card>
  )
}
