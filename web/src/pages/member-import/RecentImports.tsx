import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { formatCount, formatDateTime } from '../../format.js'
import type { MemberImport } from './api.js'

const STATUS_COLORS: Record<MemberImport['status'], string> = { running: 'processing', completed: 'success', failed: 'error', cancelled: 'warning' }

export const ImportStatusTag = ({ status }: { status: MemberImport['status'] }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  return <Tag color={STATUS_COLORS[status]}>{t(`status.${status}`)}</Tag>
}

/** The chain's recent imports (newest first), each openable for its result and error report. */
export const RecentImports = ({ reloadKey, live, onView }: {
  reloadKey: number
  /** The import on screen, fresher than the list while it runs. */
  live: MemberImport | null
  onView: (id: string) => void
}) => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  const { chain } = useSession()
  const [items, setItems] = useState<MemberImport[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)

  const load = useCallback(() => {
    setError(null)
    setLoading(true)
    call(api.GET('/api/v1/member-imports')).then(setItems, setError).finally(() => setLoading(false))
  }, [])
  useEffect(load, [load, reloadKey])

  const count = (v: number) => formatCount(v)
  return (
    <Card
      title={t('recent.title')}
      style={{ marginTop: 16 }}
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading}>{t('recent.refresh')}</Button>}
    >
      {error && !items ? <ErrorResult error={error} onRetry={load} compact /> : (
        <>
          {error !== null && <div style={{ marginBottom: 12 }}><ErrorResult error={error} onRetry={load} compact /></div>}
          <Table
            data-testid="recent-imports"
            size="small"
            rowKey="id"
            loading={items === null}
            dataSource={(items ?? []).map((r) => (live && r.id === live.id ? live : r))}
            pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            rowClassName={(r) => (r.id === live?.id ? 'ant-table-row-selected' : '')}
            columns={[
              { key: 'createdAt', title: t('recent.createdAt'), render: (_, r) => formatDateTime(r.createdAt, chain?.timezone) },
              { key: 'file', title: t('recent.file'), dataIndex: 'sourceName', ellipsis: true },
              { key: 'status', title: t('recent.status'), render: (_, r) => <ImportStatusTag status={r.status} /> },
              { key: 'rows', title: t('recent.rows'), align: 'right', render: (_, r) => count(r.rowsRead) },
              { key: 'inserted', title: t('run.inserted'), align: 'right', render: (_, r) => count(r.inserted) },
              { key: 'updated', title: t('run.updated'), align: 'right', render: (_, r) => count(r.updated) },
              { key: 'skipped', title: t('run.skipped'), align: 'right', render: (_, r) => count(r.skipped) },
              {
                key: 'failed', title: t('run.failed'), align: 'right',
                render: (_, r) => (r.failed > 0 ? <Typography.Text type="danger">{count(r.failed)}</Typography.Text> : count(r.failed)),
              },
              { key: 'view', title: '', render: (_, r) => <a onClick={() => onView(r.id)}>{t('recent.view')}</a> },
            ]}
          />
        </>
      )}
    </Card>
  )
}
