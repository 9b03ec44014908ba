import type { Schemas } from '../../api/client.js'

// What the marketing pages share: the channels in the order they are shown, their colours and the message statuses' colours.
// Their words are marketing:words.channels and marketing:words.purposes.

export type Channel = Schemas['Message']['channel']
export const CHANNELS: Channel[] = ['sms', 'email', 'wechat', 'push']
export const CHANNEL_COLORS: Record<Channel, string> = { sms: 'blue', email: 'purple', wechat: 'green', push: 'orange' }
export type MessageStatus = Schemas['Message']['status']
export const STATUS_COLORS: Record<MessageStatus, string> = { queued: 'gold', sent: 'blue', delivered: 'green', failed: 'red', bounced: 'volcano' }
