import type { ConsentChannel } from '../../members/index.js'
import type { Channel } from './channels.table.js'

// Marketing consent (issue 15 §2), without I/O: which consent a channel needs, and which SMS
// replies withdraw it.

const CONSENT_OF: Record<Channel, ConsentChannel> = { sms: 'sms', email: 'email', wechat: 'wechat', push: 'app_push' }

/** The member's consent a marketing message on this channel needs (push ↔ app_push). */
export const consentChannelOf = (channel: Channel): ConsentChannel => CONSENT_OF[channel]

/** What a channel pick needs to know of a member: the consents they gave and the channels they can be reached on. */
export interface Reachable {
  consents: ReadonlySet<string>
  has: ReadonlySet<string>
}

/**
 * The channel a marketing message to the member goes on: the first of the channels in order that
 * the member agreed to and has an address for; none if there is no such channel (or no member).
 */
export const pickChannel = <C extends Channel>(order: readonly C[], who: Reachable | undefined): C | undefined =>
  who ? order.find((c) => who.consents.has(consentChannelOf(c)) && who.has.has(c)) : undefined

/** The replies that unsubscribe (the usual Chinese and English ones: "回T退订", "Reply STOP"). */
export const UNSUBSCRIBE_REPLIES = ['T', 'TD', '退订', 'N', 'STOP', 'UNSUBSCRIBE', '取消'] as const

const replies = new Set<string>(UNSUBSCRIBE_REPLIES)

/** Whether an SMS reply asks to unsubscribe: the whole text, trimmed, any case. */
// NFKC first, so the full-width letters of a Chinese keyboard (Ｔ, ＴＤ) count as T and TD.
export const isUnsubscribeReply = (text: string): boolean => replies.has(text.normalize('NFKC').trim().toUpperCase())

/** How an unsubscribe through a channel's own link is recorded in the consent history. */
export const linkSource = (channel: Channel): string => `${channel}_link`
