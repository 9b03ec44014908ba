import type { Schemas } from '../../api/client.js'

// What the marketing pages share: the channels in the order they are shown, and their colours.
// Their words are marketing:words.channels and marketing:words.purposes.

export type Channel = Schemas['Message']['channel']
export const CHANNELS: Channel[] = ['sms', 'email', 'wechat', 'push']
export const CHANNEL_COLORS: Record<Channel, string> = { sms: 'blue', email: 'purple', wechat: 'green', push: 'orange' }
