import type { ChannelAdapter } from './channel.js'

/** Keeps the message in Patron's own log and sends nothing: the default until a real provider is set. */
export const sandboxAdapter = (): ChannelAdapter => ({
  kind: 'sandbox',
  send: async (m) => ({ ok: true, providerMessageId: `sandbox-${m.id}`, delivered: true }),
})
