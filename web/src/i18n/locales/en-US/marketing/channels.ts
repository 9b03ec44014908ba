import type zh from '../../zh-CN/marketing/channels.js'
import type { Translation } from '../../../types.js'

export default {
  title: 'Message channels',
  tabs: { log: 'Message log', providers: 'Channels' },
  kinds: { sandbox: 'Sandbox', smtp: 'SMTP email', aliyun_sms: 'Alibaba Cloud SMS', webhook_sms: 'SMS gateway (webhook)', wechat_template: 'WeChat template message', http_push: 'Push provider (HTTPS)' },
  sandboxHelp: 'The sandbox keeps messages in this log and sends nothing; until a real provider is set, every message is here.',
  statuses: { queued: 'Queued', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', bounced: 'Bounced' },
  columns: { createdAt: 'Time', channel: 'Channel', provider: 'Provider', purpose: 'Purpose', recipient: 'To', text: 'Text', status: 'Status', attempts: 'Attempts', source: 'Source' },
  filters: { channel: 'Channel', status: 'Status', opened: 'Opened or not' },
  tracking: {
    opened: 'Opened', clicked: 'Clicked', notOpened: 'Not opened', openedAt: 'First opened', clickedAt: 'First clicked', times: '{{time}} ({{n}} in all)',
  },
  detail: { error: 'Error', providerMessageId: "Provider's message id", sentAt: 'Sent', deliveredAt: 'Delivered', member: 'Member' },
  empty: 'No messages yet',
  more: 'Load more',
  provider: { kind: 'Provider', enabled: 'On', disabled: 'Off', updatedAt: 'Set', never: 'Not set (sandbox)', secrets: 'Keys set', settings: 'Settings', edit: 'Set provider' },
  kindHelp: {
    sandbox: 'Keeps messages in the message log and sends nothing.',
    smtp: 'Sends email through your mail server (SMTP).',
    aliyun_sms: 'Sends through Alibaba Cloud SMS, with an approved signature and template.',
    webhook_sms: 'Patron POSTs each SMS as JSON to your SMS gateway, signed with the signing secret (X-Patron-Signature: sha256=…).',
    wechat_template: "Sends template or subscription messages through your WeChat Official Account, to the member's OpenID.",
    http_push: 'Patron POSTs each push as JSON to your push service, with the access token.',
  },
  fields: {
    smtp: { host: 'Server', port: 'Port', secure: 'Use TLS', username: 'User name', password: 'Password', from: 'From' },
    aliyun_sms: { endpoint: 'Endpoint', accessKeyId: 'AccessKey ID', accessKeySecret: 'AccessKey secret', signName: 'SMS signature', templateCode: 'Template code', receiptToken: 'Receipt token' },
    webhook_sms: { url: 'Gateway URL', secret: 'Signing secret', signName: 'SMS signature' },
    wechat_template: { baseUrl: 'API address', appId: 'AppID', appSecret: 'AppSecret', templateId: 'Template ID', url: 'Link', messageType: 'Message type', receiptToken: 'Token' },
    http_push: { url: 'Push service URL', token: 'Access token' },
  },
  fieldHelp: {
    smtp: { secure: 'Usually on for port 465; off for 587 (STARTTLS).', from: 'e.g. Huimin Market <noreply@example.com>' },
    aliyun_sms: { endpoint: "Blank: Alibaba Cloud's default", receiptToken: "Goes in the token parameter of Alibaba Cloud's delivery report URL, to prove the reports are theirs" },
    webhook_sms: { secret: "The gateway checks Patron's requests with it; its receipt callbacks are signed with it too", signName: 'The 【signature】 put before the text; blank if the gateway adds its own' },
    wechat_template: { baseUrl: "Blank: WeChat's default", url: 'The page a member opens from the message', receiptToken: "The Token of the Official Account's server configuration: WeChat signs its pushes with it" },
    http_push: { token: 'Sent with each request (Authorization: Bearer …); receipt callbacks are signed with it too' },
  },
  choices: { messageType: { template: 'Template message', subscribe: 'Subscription message' } },
  form: {
    title: 'Set the {{channel}} provider', kind: 'Provider', enabled: 'On', enabledHelp: 'Off: messages on this channel are not sent; they are logged as failed.',
    secretSet: 'Set', secretPlaceholder: 'Set; leave blank to keep it', sandbox: 'The sandbox needs no settings.',
    receiptUrl: 'Receipt URL', saved: 'Provider saved',
    confirmTitle: 'Messages will leave this machine', confirmText: 'Once saved, {{channel}} messages are really sent by "{{kind}}" and members receive them. Save?', confirmOk: 'Save',
    reasons: { required: 'Required', url: 'An http(s) URL', port: 'A port from 1 to 65535', email: 'An email address (or "Name <address>")', tooLong: 'At most {{max}} characters', unknown: 'Not a setting of this provider', choice: 'Pick one from the list' },
  },
  receiptHelp: {
    aliyun_sms: 'Enter it as the HTTP batch push URL of Alibaba Cloud SMS delivery reports, with ?token=<receipt token> at the end.',
    webhook_sms: 'The gateway POSTs delivery receipts here, signed with the signing secret.',
    wechat_template: "Enter it as the URL of the Official Account's server configuration, with the token above.",
    http_push: 'The push service POSTs delivery receipts here, signed with the access token.',
  },
  member: {
    tab: 'Messages received', empty: 'This member has received no messages', time: 'Time', sentAt: 'Sent', deliveredAt: 'Delivered', detail: 'Message', subject: 'Subject', provider: 'Provider',
  },
  test: { button: 'Send a test', title: 'Send a test message', to: 'To', toHelp: 'A phone, an email address, an OpenID or a push token', subject: 'Subject', body: 'Text', sent: 'Test message: {{status}}' },
} satisfies Translation<typeof zh>
