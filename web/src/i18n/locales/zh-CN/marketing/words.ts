// Words both marketing pages use: the channels and the purposes of a message.
export default {
  channels: { sms: '短信', email: '邮件', wechat: '微信', push: 'App 推送' },
  purposes: { marketing: '营销', service: '服务通知' },
} as const
