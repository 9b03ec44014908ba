import type zh from '../../zh-CN/marketing/unsubscribe.js'
import type { Translation } from '../../../types.js'

export default {
  language: '中文',
  title: 'Unsubscribe from marketing messages',
  channels: { sms: 'SMS', email: 'email', wechat: 'WeChat', push: 'app push' },
  intro: 'Once you unsubscribe, {{address}} will no longer receive our marketing messages by {{channel}}. Service notices (such as points received) still come.',
  introNoAddress: 'Once you unsubscribe, you will no longer receive our marketing messages by {{channel}}. Service notices (such as points received) still come.',
  button: '退订 / Unsubscribe',
  sending: 'Unsubscribing…',
  done: 'You are unsubscribed',
  doneDetail: 'You will no longer receive our marketing messages by {{channel}}. To subscribe again, ask at a store.',
  notFound: 'This unsubscribe link is not valid: check that it is complete',
  loadFailed: 'The page could not be loaded',
  retry: 'Try again',
  failed: 'Could not unsubscribe: please try again later',
} satisfies Translation<typeof zh>
