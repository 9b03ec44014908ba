/**
 * Durable events: published in the transaction that records what happened, each becomes one
 * queued job per subscriber (declared in the subscribing module's `<module>.jobs.ts`), so the
 * publisher need not know who reacts and a crash after the commit loses nothing.
 */
export interface DurableEvents {
  'member.registered': { memberId: string; storeId: string | null; channel: string; at: string }
  'member.merged': { survivorId: string; mergedId: string; at: string }
  /** Points of a lot will expire soon; published once per lot, `noticeDays` ahead. */
  'points.expiring': { memberId: string; lotId: string; points: number; expiresOn: string; at: string }
  'tier.changed': { memberId: string; from: string | null; to: string; reason: string; at: string }
  /** A gift order is reserved for pick-up (redeemed for points, or a lucky draw's prize): the member is told. */
  'gift.reserved': { orderId: string; memberId: string; at: string }
  /** A service-desk ticket was resolved (a follow-up call is due; the surveys may invite the customer). */
  'ticket.resolved': { ticketId: string; memberId: string | null; storeId: string; at: string }
  /** The desk replied to a ticket's customer by SMS, email or WeChat: the reply (its timeline event) is to be sent. */
  'ticket.replied': { ticketId: string; eventId: string; channel: string; at: string }
  /** A member's first receipt was posted (their receipt count became 1); the surveys may invite them. */
  'member.firstPurchase': { memberId: string; storeId: string; receiptId: string; at: string }
}

export type DurableEventName = keyof DurableEvents
