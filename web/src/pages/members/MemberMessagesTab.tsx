import { Button, Descriptions, Flex, Modal, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Schemas } from '../../api/client.js'
import { useApiPages } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { TrackingTags, useTrackingLines } from '../marketing/channels/MessageTracking.js'
import { CHANNEL_COLORS, STATUS_COLORS } from '../marketing/marketing-words.js'

type Message = Schemas['Message']

/** The member page's 收到的消息 tab label. */
export const MemberMessagesTabLabel = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  return <span data-testid="member-tab-messages">{t('member.tab')}</span>
}

/** A message in full: its text, where it went and what the provider said. */
const MessageDetail = ({ message, onClose }: { message: Message; onClose: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const m = message
  const tracking = useTrackingLines(m)
  return (
    <Modal open title={t('member.detail')} onCancel={onClose} footer={null} width={640} data-testid="member-message-detail">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('columns.channel')}>{tw(`channels.${m.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('columns.purpose')}>{tw(`purposes.${m.purpose}`)}</Descriptions.Item>
        <Descriptions.Item label={t('columns.recipient')}>{m.recipient ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('member.provider')}>{t(`kinds.${m.providerKind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('columns.status')}><Tag color={STATUS_COLORS[m.status]}>{t(`statuses.${m.status}`)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('columns.createdAt')}>{formatDateTime(m.createdAt, tz)}</Descriptions.Item>
        <Descriptions.Item label={t('member.sentAt')}>{formatDateTime(m.sentAt, tz)}</Descriptions.Item>
        <Descriptions.Item label={t('member.deliveredAt')}>{formatDateTime(m.deliveredAt, tz)}</Descriptions.Item>
        {tracking.map((l) => <Descriptions.Item key={l.key} label={l.label}>{l.children}</Descriptions.Item>)}
        {m.subject && <Descriptions.Item label={t('member.subject')} span={2}>{m.subject}</Descriptions.Item>}
        <Descriptions.Item label={t('columns.text')} span={2}>
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid="member-message-body">{m.body}</Typography.Text>
        </Descriptions.Item>
        {m.sourceType && <Descriptions.Item label={t('columns.source')} span={2}>{`${m.sourceType} ${m.sourceId ?? ''}`}</Descriptions.Item>}
        {m.error && <Descriptions.Item label={t('detail.error')} span={2}><Typography.Text type="danger">{m.error}</Typography.Text></Descriptions.Item>}
      </Descriptions>
    </Modal>
  )
}

/** The messages sent to the member (收到的消息), newest first, a page at a time; a row opens the whole message. */
export const MemberMessagesTab = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [open, setOpen] = useState<Message | null>(null)
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/messages', { params: { query: { memberId, limit: 20 } } })

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!items) return <Skeleton active />
  const columns: TableColumnsType<Message> = [
    { key: 'sentAt', title: t('member.sentAt'), width: 140, render: (_, m) => formatDateTime(m.sentAt ?? m.createdAt, tz) },
    { key: 'channel', title: t('columns.channel'), width: 90, render: (_, m) => <Tag color={CHANNEL_COLORS[m.channel]}>{tw(`channels.${m.channel}`)}</Tag> },
    { key: 'purpose', title: t('columns.purpose'), width: 90, render: (_, m) => tw(`purposes.${m.purpose}`) },
    { key: 'recipient', title: t('columns.recipient'), width: 140, render: (_, m) => m.recipient ?? '—' },
    {
      key: 'text', title: t('columns.text'),
      render: (_, m) => (
        <Typography.Text ellipsis style={{ maxWidth: 420 }}>
          {m.subject ? <Typography.Text strong>{m.subject} · </Typography.Text> : null}{m.body.split('\n')[0]}
        </Typography.Text>
      ),
    },
    { key: 'status', title: t('columns.status'), width: 110, render: (_, m) => <Space size={4} wrap><Tag color={STATUS_COLORS[m.status]}>{t(`statuses.${m.status}`)}</Tag><TrackingTags message={m} /></Space> },
    { key: 'deliveredAt', title: t('member.deliveredAt'), width: 140, render: (_, m) => formatDateTime(m.deliveredAt, tz) },
  ]
  return (
    <>
      <Table<Message>
        size="small" rowKey="id" pagination={false} dataSource={items} columns={columns} locale={{ emptyText: t('member.empty') }} data-testid="member-messages-table"
        onRow={(m) => ({ onClick: () => setOpen(m), style: { cursor: 'pointer' } })}
      />
      {nextCursor && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button loading={loadingMore} onClick={more}>{t('more')}</Button>
        </Flex>
      )}
      {open && <MessageDetail message={open} onClose={() => setOpen(null)} />}
    </>
  )
}
