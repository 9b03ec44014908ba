import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { ErrorResult } from '../ErrorResult.js'
import { ImportStatusTag } from './ImportRun.js'
import type { ImportKindView, ImportRunBase } from './types.js'

/** The chain's recent imports of a kind (newest first), each openable for its result and problems. */
export const RecentImports = <I extends ImportRunBase>({ kind, reloadKey, live, onView }: {
  kind: ImportKindView<I, never>
  reloadKey: number
  /** The import on screen, fresher than the list while it runs. */
  live: I | null
  onView: (id: string) => void
}) => {
  const { t } = useTranslation('imports', { keyPrefix: 'wizard' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [items, setItems] = useState<I[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const { list } = kind

  const load = useCallback(() => {
    setError(null)
    setLoading(true)
    list().then(setItems, setError).finally(() => setLoading(false))
  }, [list])
  useEffect(load, [load, reloadKey])

  return (
    <Card
      title={t('recent.title')} style={{ marginTop: 16 }}
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading}>{t('recent.refresh')}</Button>}
    >
      {error !== null && <div style={{ marginBottom: 12 }}><ErrorResult error={error} onRetry={load} compact /></div>}
      <Table
        data-testid={kind.recentTestId} size="small" rowKey="id" loading={items === null && !error}
        dataSource={(items ?? []).map((r) => (live && r.id === live.id ? live : r))}
        pagination={{ defaultPageSize: 10, hideOnSinglePage: true }} scroll={{ x: 'max-content' }}
        rowClassName={(r) => (r.id === live?.id ? 'ant-table-row-selected' : '')}
        columns={[
          { key: 'createdAt', title: t('recent.createdAt'), render: (_, r) => formatDateTime(r.createdAt, tz) },
          { key: 'file', title: t('recent.file'), dataIndex: 'sourceName', ellipsis: true },
          { key: 'status', title: t('recent.status'), render: (_, r) => <ImportStatusTag status={r.status} /> },
          ...kind.recentColumns.map((c) => ({ key: c.key, title: c.title, align: 'right' as const, render: (_: unknown, r: I) => c.render(r) })),
          {
            key: 'failed', title: kind.words.refused, align: 'right',
            render: (_, r) => (r.failed > 0 ? <Typography.Text type="danger">{formatCount(r.failed)}</Typography.Text> : formatCount(r.failed)),
          },
          { key: 'view', title: '', render: (_, r) => <a onClick={() => onView(r.id)}>{t('recent.view')}</a> },
        ]}
      />
    </Card>
  )
}
