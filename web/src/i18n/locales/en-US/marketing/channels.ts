import type zh from '../../zh-CN/marketing/channels.js'
import type { Translation } from '../../../types.js'

export default {
  title: 'Message channels',
  tabs: { log: 'Message log', providers: 'Channels' },
  kinds: { sandbox: 'Sandbox', smtp: 'SMTP email', aliyun_sms: 'Alibaba Cloud SMS', webhook_sms: 'SMS gateway (webhook)', wechat_template: 'WeChat template message', http_push: 'Push provider (HTTPS)' },
  sandboxHelp: 'The sandbox keeps messages in this log and sends nothing; until a real provider is set, every message is here.',
  statuses: { queued: 'Queued', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', bounced: 'Bounced' },
  columns: { createdAt: 'Time', channel: 'Channel', provider: 'Provider', purpose: 'Purpose', recipient: 'To', text: 'Text', status: 'Status', attempts: 'Attempts', source: 'Source' },
  filters: { channel: 'Channel', status: 'Status' },
  detail: { error: 'Error', providerMessageId: "Provider's message id", sentAt: 'Sent', deliveredAt: 'Delivered', member: 'Member' },
  empty: 'No messages yet',
  more: 'Load more',
  provider: { kind: 'Provider', enabled: 'On', disabled: 'Off', updatedAt: 'Set', never: 'Not set (sandbox)', secrets: 'Keys set', settings: 'Settings' },
  test: { button: 'Send a test', title: 'Send a test message', to: 'To', toHelp: 'A phone, an email address, an OpenID or a push token', subject: 'Subject', body: 'Text', sent: 'Test message: {{status}}' },
} satisfies Translation<typeof zh>
