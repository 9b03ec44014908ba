export default {
  title: '消息通道',
  tabs: { log: '消息日志', providers: '通道' },
  kinds: { sandbox: '沙箱', smtp: 'SMTP 邮件', aliyun_sms: '阿里云短信', webhook_sms: '短信网关（Webhook）', wechat_template: '微信模板消息', http_push: '推送服务（HTTPS）' },
  sandboxHelp: '沙箱只把消息记入消息日志，不向外发送；配置真实服务商之前，所有消息都在这里查看。',
  statuses: { queued: '排队中', sent: '已发送', delivered: '已送达', failed: '失败', bounced: '被退回' },
  columns: { createdAt: '时间', channel: '渠道', provider: '服务商', purpose: '用途', recipient: '收件人', text: '内容', status: '状态', attempts: '尝试次数', source: '来源' },
  filters: { channel: '渠道', status: '状态' },
  detail: { error: '错误', providerMessageId: '服务商消息编号', sentAt: '发送时间', deliveredAt: '送达时间', member: '会员' },
  empty: '还没有消息',
  more: '加载更多',
  provider: { kind: '服务商', enabled: '启用', disabled: '停用', updatedAt: '设置于', never: '未设置（沙箱）', secrets: '已设置密钥', settings: '设置' },
  test: { button: '发送测试', title: '发送测试消息', to: '发送到', toHelp: '手机号、邮箱、OpenID 或推送令牌', subject: '标题', body: '内容', sent: '测试消息：{{status}}' },
} as const
