import { CloudUploadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Flex, Form, InputNumber, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiMutation, useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { BackupAlertText, fileSize } from './backup-words.js'

type Status = GetData<'/api/v1/operations/backups'>
type Run = Status['runs'][number]
type Present = Status['backups'][number]
const STATUS_COLORS: Record<Run['status'], string> = { running: 'processing', ok: 'green', failed: 'red' }

const SettingsCard = ({ status }: { status: Status }) => {
  const { t } = useTranslation('jobs', { keyPrefix: 'backups' })
  const { can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [form] = Form.useForm<Status['settings']>()
  const save = useApiMutation('put', '/api/v1/operations/backups/settings')
  const now = useApiMutation('post', '/api/v1/operations/backups')
  const editable = can('chain.manage')
  return (
    <Card title={t('settings')} size="small" extra={
      <Button icon={<CloudUploadOutlined />} loading={now.isPending} data-testid="backup-now" onClick={async () => {
        try {
          const r = await now.mutateAsync({})
          void message.success(r.queued ? t('queued') : t('alreadyQueued'))
        } catch (err) {
          void message.error(errorText(err))
        }
      }}>{t('now')}</Button>
    }>
      <Form form={form} layout="inline" initialValues={status.settings} disabled={!editable} onFinish={async (v) => {
        try {
          await save.mutateAsync({ body: v })
          void message.success(t('saved'))
        } catch (err) {
          void message.error(errorText(err))
        }
      }}>
        <Form.Item name="enabled" label={t('enabled')} valuePropName="checked"><Switch data-testid="backup-enabled" /></Form.Item>
        <Form.Item name="keepDaily" label={t('keepDaily')}><InputNumber min={1} max={365} precision={0} suffix={t('days')} data-testid="backup-keep-daily" /></Form.Item>
        <Form.Item name="keepWeekly" label={t('keepWeekly')}><InputNumber min={0} max={520} precision={0} suffix={t('weeks')} data-testid="backup-keep-weekly" /></Form.Item>
        {editable && <Form.Item><Button type="primary" htmlType="submit" loading={save.isPending} data-testid="backup-save">{t('save')}</Button></Form.Item>}
      </Form>
    </Card>
  )
}

/** 设置 → 数据备份: the daily backup's settings, its runs and the backups on disk (HQ administrators). */
const BackupsPage = () => {
  const { t } = useTranslation('jobs', { keyPrefix: 'backups' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data: status, error, refetch } = useApiQuery('/api/v1/operations/backups')
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!status) return <Card loading />

  const runColumns: TableColumnsType<Run> = [
    { key: 'started', title: t('started'), width: 160, render: (_, r) => formatDateTime(r.startedAt, tz) },
    { key: 'trigger', title: t('trigger'), width: 120, render: (_, r) => <>{t(`triggers.${r.trigger}`)}{r.startedBy ? <Typography.Text type="secondary"> · {r.startedBy}</Typography.Text> : null}</> },
    { key: 'status', title: t('status'), width: 90, render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{t(`statuses.${r.status}`)}</Tag> },
    { key: 'size', title: t('size'), width: 100, align: 'right', render: (_, r) => (r.bytes === null ? '—' : fileSize(r.bytes)) },
    { key: 'rows', title: t('rows'), width: 110, align: 'right', render: (_, r) => (r.rows === null ? '—' : formatCount(r.rows)) },
    { key: 'detail', title: `${t('name')} / ${t('error')}`, render: (_, r) => (r.error ? <Typography.Text type="danger">{r.error}</Typography.Text> : <>{r.name ?? '—'}{r.removed.length > 0 && <Typography.Text type="secondary"> · {t('removed')}: {r.removed.length}</Typography.Text>}</>) },
  ]
  const fileColumns: TableColumnsType<Present> = [
    { key: 'name', title: t('name'), dataIndex: 'name' },
    { key: 'at', title: t('started'), width: 160, render: (_, b) => formatDateTime(b.createdAt, tz) },
    { key: 'size', title: t('size'), width: 100, align: 'right', render: (_, b) => fileSize(b.bytes) },
    { key: 'migration', title: t('migration'), render: (_, b) => b.migration ?? '—' },
    { key: 'version', title: t('version'), width: 120, dataIndex: 'patronVersion' },
  ]
  return (
    <Flex vertical gap={16} data-testid="backups-page">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('intro', { dir: status.dir })}</Typography.Paragraph>
      {status.alert && <Alert type="error" showIcon title={<BackupAlertText alert={status.alert} />} data-testid="backups-alert" />}
      <SettingsCard status={status} />
      <Card title={t('runs')} size="small">
        <Table<Run> rowKey="id" size="small" columns={runColumns} dataSource={status.runs} pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={{ emptyText: t('empty') }} scroll={{ x: 800 }} data-testid="backup-runs" />
      </Card>
      <Card title={t('files')} size="small">
        <Table<Present> rowKey="name" size="small" columns={fileColumns} dataSource={status.backups} pagination={false} locale={{ emptyText: t('empty') }} scroll={{ x: 700 }} data-testid="backup-files" />
      </Card>
    </Flex>
  )
}

export default BackupsPage
