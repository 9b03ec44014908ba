import { SendOutlined, SettingOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call, type Schemas } from '../../../api/client.js'
import { useApiPages, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { FormModal } from '../../../components/FormModal.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { CHANNELS, STATUS_COLORS, type Channel } from '../marketing-words.js'
import { TrackingTags, useTrackingLines } from './MessageTracking.js'
import { ProviderDrawer, useSettingWords } from './ProviderDrawer.js'

type Message = Schemas['Message']
type Provider = Schemas['MessageProvider']
type Status = Message['status']

const STATUSES: Status[] = ['queued', 'sent', 'delivered', 'failed', 'bounced']

/** A row of the log opened: the whole text, the member, the provider's id, times, opens and clicks, the error. */
const MessageDetails = ({ message: m }: { message: Message }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const tracking = useTrackingLines(m)
  return (
    <Descriptions size="small" column={2}>
      <Descriptions.Item label={t('columns.text')} span={2}><Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{m.body}</Typography.Text></Descriptions.Item>
      {m.memberId && <Descriptions.Item label={t('detail.member')}><Link to={`/members/${m.memberId}`}>{m.memberId}</Link></Descriptions.Item>}
      {m.sourceType && <Descriptions.Item label={t('columns.source')}>{`${m.sourceType} ${m.sourceId ?? ''}`}</Descriptions.Item>}
      {m.providerMessageId && <Descriptions.Item label={t('detail.providerMessageId')}>{m.providerMessageId}</Descriptions.Item>}
      {m.sentAt && <Descriptions.Item label={t('detail.sentAt')}>{formatDateTime(m.sentAt, tz)}</Descriptions.Item>}
      {m.deliveredAt && <Descriptions.Item label={t('detail.deliveredAt')}>{formatDateTime(m.deliveredAt, tz)}</Descriptions.Item>}
      {tracking.map((l) => <Descriptions.Item key={l.key} label={l.label}>{l.children}</Descriptions.Item>)}
      {m.error && <Descriptions.Item label={t('detail.error')} span={2}><Typography.Text type="danger">{m.error}</Typography.Text></Descriptions.Item>}
    </Descriptions>
  )
}

/** Every message Patron sent or kept (the sandbox's), newest first, with what the provider said. */
const MessageLog = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [channel, setChannel] = useState<Channel | undefined>()
  const [status, setStatus] = useState<Status | undefined>()
  const [opened, setOpened] = useState<'opened' | 'notOpened' | undefined>()
  const query = { ...(channel ? { channel } : {}), ...(status ? { status } : {}), ...(opened ? { opened: opened === 'opened' } : {}) }
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/messages', { params: { query } })
  if (error) return <ErrorResult error={error} onRetry={load} />
  const columns: TableColumnsType<Message> = [
    { key: 'createdAt', title: t('columns.createdAt'), width: 150, render: (_, m) => formatDateTime(m.createdAt, tz) },
    { key: 'channel', title: t('columns.channel'), width: 90, render: (_, m) => tw(`channels.${m.channel}`) },
    { key: 'provider', title: t('columns.provider'), width: 110, render: (_, m) => t(`kinds.${m.providerKind}`) },
    { key: 'purpose', title: t('columns.purpose'), width: 90, render: (_, m) => tw(`purposes.${m.purpose}`) },
    { key: 'recipient', title: t('columns.recipient'), width: 150, render: (_, m) => m.recipient ?? '—' },
    {
      key: 'text', title: t('columns.text'),
      render: (_, m) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{m.subject ? <Typography.Text strong>{m.subject} · </Typography.Text> : null}{m.body}</Typography.Paragraph>,
    },
    {
      key: 'status', title: t('columns.status'), width: 110,
      render: (_, m) => <Space size={4} orientation="vertical"><Tag color={STATUS_COLORS[m.status]}>{t(`statuses.${m.status}`)}</Tag><TrackingTags message={m} /></Space>,
    },
    { key: 'attempts', title: t('columns.attempts'), width: 90, align: 'right', render: (_, m) => m.attempts },
  ]
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<Channel>
          allowClear placeholder={t('filters.channel')} style={{ width: 130 }} value={channel} onChange={setChannel}
          options={CHANNELS.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} data-testid="messages-filter-channel"
        />
        <Select<Status>
          allowClear placeholder={t('filters.status')} style={{ width: 130 }} value={status} onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} data-testid="messages-filter-status"
        />
        <Select<'opened' | 'notOpened'>
          allowClear placeholder={t('filters.opened')} style={{ width: 130 }} value={opened} onChange={setOpened}
          options={(['opened', 'notOpened'] as const).map((o) => ({ value: o, label: t(`tracking.${o}`) }))} data-testid="messages-filter-opened"
        />
      </Space>
      <Table<Message>
        rowKey="id" size="middle" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false} locale={{ emptyText: t('empty') }} data-testid="messages-table"
        expandable={{ expandedRowRender: (m) => <MessageDetails message={m} /> }}
      />
      {nextCursor && <Flex justify="center" style={{ marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{t('more')}</Button></Flex>}
    </>
  )
}

const TestSendModal = ({ channel, onClose, onSent }: { channel: Channel; onClose: () => void; onSent: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { message } = App.useApp()
  const [form] = Form.useForm<{ to: string; subject?: string; body?: string }>()
  return (
    <FormModal
      open title={`${t('test.title')} · ${tw(`channels.${channel}`)}`} form={form} name="test-send" onClose={onClose} submitTestId="test-send-submit"
      onSubmit={async (v) => {
        const m = await call(api.POST('/api/v1/marketing/providers/{channel}/test', {
          params: { path: { channel } }, body: { to: v.to.trim(), subject: v.subject?.trim() || null, body: v.body?.trim() || null },
        }))
        message.info(t('test.sent', { status: t(`statuses.${m.status}`) }))
        onSent()
      }}
    >
      <Form.Item name="to" label={t('test.to')} extra={t('test.toHelp')} rules={[{ required: true }]}>
        <Input maxLength={512} data-testid="test-send-to" />
      </Form.Item>
      {channel !== 'sms' && (
        <Form.Item name="subject" label={t('test.subject')}>
          <Input maxLength={200} />
        </Form.Item>
      )}
      <Form.Item name="body" label={t('test.body')}>
        <Input.TextArea rows={3} maxLength={1000} data-testid="test-send-body" />
      </Form.Item>
    </FormModal>
  )
}

/** Each channel's provider as set (the sandbox until one is), to set and to test. */
const Providers = ({ onSent }: { onSent: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const words = useSettingWords()
  const providers = useApiQuery('/api/v1/marketing/providers')
  const [testing, setTesting] = useState<Channel | null>(null)
  const [editing, setEditing] = useState<Channel | null>(null)
  const shown = (p: Provider, name: string, v: unknown) =>
    typeof v === 'boolean' ? tc(v ? 'yes' : 'no') : p.fields[p.kind]?.find((f) => f.name === name)?.type === 'choice' ? words.choice(name, String(v)) : String(v)
  if (providers.error) return <ErrorResult error={providers.error} onRetry={() => void providers.refetch()} />
  const list: Provider[] = providers.data ?? []
  const edited = list.find((p) => p.channel === editing)
  return (
    <Flex gap={16} wrap>
      {list.map((p) => (
        <Card
          key={p.channel} size="small" style={{ flex: '1 1 320px', display: 'flex', flexDirection: 'column' }} styles={{ body: { flex: 1 } }} data-testid={`provider-${p.channel}`}
          title={<Space>{tw(`channels.${p.channel}`)}<Tag color={p.kind === 'sandbox' ? 'default' : 'blue'}>{t(`kinds.${p.kind}`)}</Tag></Space>}
          actions={can('marketing.manage') ? [
            <Button key="edit" type="link" size="small" icon={<SettingOutlined />} onClick={() => setEditing(p.channel)} data-testid={`provider-edit-${p.channel}`}>{t('provider.edit')}</Button>,
            <Button key="test" type="link" size="small" icon={<SendOutlined />} onClick={() => setTesting(p.channel)} data-testid={`provider-test-${p.channel}`}>{t('test.button')}</Button>,
          ] : undefined}
        >
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('provider.enabled')}>{p.enabled ? t('provider.enabled') : t('provider.disabled')}</Descriptions.Item>
            <Descriptions.Item label={t('provider.updatedAt')}>{p.updatedAt ? formatDateTime(p.updatedAt, tz) : t('provider.never')}</Descriptions.Item>
            {Object.entries(p.settings).filter(([, v]) => v !== null && v !== '').map(([k, v]) => (
              <Descriptions.Item key={k} label={words.label(p.kind, k)}>{shown(p, k, v)}</Descriptions.Item>
            ))}
            {Object.entries(p.hasSecret).some(([, v]) => v) && (
              <Descriptions.Item label={t('provider.secrets')}>
                <Space size={4} wrap data-testid={`provider-secrets-${p.channel}`}>
                  {Object.entries(p.hasSecret).filter(([, v]) => v).map(([k]) => <Tag key={k} color="green">{words.label(p.kind, k)}</Tag>)}
                </Space>
              </Descriptions.Item>
            )}
          </Descriptions>
          {p.kind === 'sandbox' && <Typography.Text type="secondary">{t('sandboxHelp')}</Typography.Text>}
        </Card>
      ))}
      {testing && <TestSendModal channel={testing} onClose={() => setTesting(null)} onSent={() => { setTesting(null); onSent() }} />}
      {edited && <ProviderDrawer provider={edited} onClose={() => setEditing(null)} onSaved={() => setEditing(null)} />}
    </Flex>
  )
}

/** 消息通道: the message log (everything the sandbox kept or a provider was given) and the channels' providers. */
const ChannelsPage = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const [tab, setTab] = useState('log')
  const [logKey, setLogKey] = useState(0)
  const providers = useApiQuery('/api/v1/marketing/providers')
  const allSandbox = (providers.data ?? []).length > 0 && (providers.data ?? []).every((p) => p.kind === 'sandbox')
  return (
    <Card title={t('title')}>
      {allSandbox && <Alert type="info" showIcon title={t('sandboxHelp')} style={{ marginBottom: 16 }} data-testid="sandbox-notice" />}
      <Tabs
        activeKey={tab} onChange={setTab}
        items={[
          { key: 'log', label: t('tabs.log'), children: <MessageLog key={logKey} /> },
          { key: 'providers', label: t('tabs.providers'), children: <Providers onSent={() => { setLogKey((k) => k + 1); setTab('log') }} /> },
        ]}
      />
    </Card>
  )
}

export default ChannelsPage
