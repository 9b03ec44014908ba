import { ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { apiKey, useApiMutation, useApiPages, useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { jobLabel, lagParts } from './job-words.js'

type Queue = GetData<'/api/v1/jobs/queues'>['items'][number]
type Job = GetData<'/api/v1/jobs'>['items'][number]

const DEAD = { params: { query: { status: 'dead' as const, limit: 20 } } }

/** Settings → job queue: each queue's depth and lag, and the failed jobs with their error, to retry or discard. */
export const JobsPage = () => {
  const { t } = useTranslation('jobs')
  const { message } = App.useApp()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const errorText = useErrorText()
  const queues = useApiQuery('/api/v1/jobs/queues')
  const dead = useApiPages('/api/v1/jobs', DEAD)
  const reloads = [apiKey('/api/v1/jobs/queues'), apiKey('/api/v1/jobs', DEAD)]
  const retry = useApiMutation('post', '/api/v1/jobs/{id}/retry', { invalidates: reloads, onSuccess: () => void message.success(t('dead.retried')) })
  const discard = useApiMutation('delete', '/api/v1/jobs/{id}', { invalidates: reloads, onSuccess: () => void message.success(t('dead.discarded')) })
  const act = (run: Promise<unknown>) => run.catch((err: unknown) => void message.error(errorText(err)))

  const lag = (seconds: number) => {
    const parts = lagParts(seconds)
    return parts ? t(`duration.${parts.unit}`, { count: parts.count }) : t('queues.noLag')
  }

  const queueColumns: TableColumnsType<Queue> = [
    { title: t('queues.name'), dataIndex: 'name', render: (name: string) => <span title={name}>{jobLabel(t, name)}</span> },
    { title: t('queues.queued'), dataIndex: 'queued', align: 'right', render: formatCount },
    { title: t('queues.due'), dataIndex: 'due', align: 'right', render: formatCount },
    { title: t('queues.lag'), dataIndex: 'lagSeconds', align: 'right', render: (s: number) => (s >= 600 ? <Tag color="orange">{lag(s)}</Tag> : lag(s)) },
    { title: t('queues.running'), dataIndex: 'running', align: 'right', render: formatCount },
    { title: t('queues.done'), dataIndex: 'done', align: 'right', render: formatCount },
    { title: t('queues.dead'), dataIndex: 'dead', align: 'right', render: (n: number) => (n > 0 ? <Tag color="red">{formatCount(n)}</Tag> : 0) },
  ]

  const deadColumns: TableColumnsType<Job> = [
    { title: t('dead.job'), dataIndex: 'name', render: (name: string) => <span title={name}>{jobLabel(t, name)}</span> },
    { title: t('dead.error'), dataIndex: 'lastError', render: (e: string | null) => <Typography.Text type="danger" ellipsis={{ tooltip: e }} style={{ maxWidth: 360 }}>{e ?? '—'}</Typography.Text> },
    { title: t('dead.attempts'), dataIndex: 'attempts', align: 'right' },
    { title: t('dead.failedAt'), dataIndex: 'finishedAt', render: (at: string | null) => formatDateTime(at, tz) },
    { title: t('dead.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, tz) },
    {
      title: '', key: 'actions', render: (_, job) => (
        <Space>
          <Button size="small" loading={retry.isPending && retry.variables?.params.path.id === job.id}
            onClick={() => void act(retry.mutateAsync({ params: { path: { id: job.id } } }))}>{t('dead.retry')}</Button>
          <Popconfirm title={t('dead.discardConfirm')} onConfirm={() => act(discard.mutateAsync({ params: { path: { id: job.id } } }))}>
            <Button size="small" danger>{t('dead.discard')}</Button>
          </Popconfirm>
        </Space>
      ),
    },
  ]

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      </div>
      <Card title={t('queues.title')} extra={<Button icon={<ReloadOutlined />} onClick={() => { void queues.refetch(); dead.load() }}>{t('queues.refresh')}</Button>}>
        {queues.error
          ? <ErrorResult error={queues.error} onRetry={() => void queues.refetch()} compact />
          : <Table<Queue> size="small" rowKey="name" columns={queueColumns} dataSource={queues.data?.items} loading={!queues.data} pagination={false}
              locale={{ emptyText: t('queues.empty') }} data-testid="job-queues" />}
      </Card>
      <Card title={t('dead.title')}>
        {dead.error
          ? <ErrorResult error={dead.error} onRetry={dead.load} compact />
          : (
            <>
              <Table<Job> size="small" rowKey="id" columns={deadColumns} dataSource={dead.items ?? []} loading={dead.items === null} pagination={false}
                locale={{ emptyText: t('dead.empty') }} data-testid="dead-jobs"
                expandable={{ expandedRowRender: (job) => <pre style={{ margin: 0 }}>{JSON.stringify(job.payload, null, 2)}</pre> }} />
              {dead.nextCursor && <Button style={{ marginTop: 12 }} loading={dead.loadingMore} onClick={dead.more}>{t('dead.more')}</Button>}
            </>
          )}
      </Card>
    </Space>
  )
}

export default JobsPage
