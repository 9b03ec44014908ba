import type zh from '../../zh-CN/marketing/words.js'
import type { Translation } from '../../../types.js'

export default {
  channels: { sms: 'SMS', email: 'Email', wechat: 'WeChat', push: 'App push' },
  purposes: { marketing: 'Marketing', service: 'Service notice' },
} satisfies Translation<typeof zh>
