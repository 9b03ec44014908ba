// The page a member opens from a message's unsubscribe link (/u/<token>): no sign-in.
export default {
  language: 'English',
  title: '退订营销消息',
  channels: { sms: '短信', email: '邮件', wechat: '微信', push: 'App 推送' },
  intro: '退订后，{{address}} 将不再收到我们通过{{channel}}发送的营销消息；积分到账等服务通知不受影响。',
  introNoAddress: '退订后，您将不再收到我们通过{{channel}}发送的营销消息；积分到账等服务通知不受影响。',
  button: '退订 / Unsubscribe',
  sending: '正在退订…',
  done: '已退订',
  doneDetail: '您将不再收到我们通过{{channel}}发送的营销消息。如需重新订阅，请联系门店。',
  notFound: '退订链接无效，请检查链接是否完整',
  loadFailed: '页面加载失败',
  retry: '重试',
  failed: '退订失败，请稍后重试',
} as const
