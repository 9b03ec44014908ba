import { defineJob, defineSchedule } from '../outbox/index.js'
import type { GiftsService } from './gifts.service.js'

export const expireGiftOrders = defineJob<Record<string, never>, { gifts: GiftsService }>({
  name: 'gift-orders.expire', description: 'expire gift orders not picked up in time, returning stock and points',
  run: (_p, { gifts }) => gifts.expireDue(),
})

/** A reserved order (redeemed, or a draw's prize) tells the member by SMS that the gift waits; once per order. */
export const notifyReserved = defineJob<'gift.reserved', { gifts: GiftsService }>({
  name: 'gift-orders.notify', description: 'tell the member by SMS that their gift is ready for pick-up (a service message)',
  on: 'gift.reserved',
  key: (e) => e.orderId,
  run: (e, { gifts }) => gifts.notifyReserved(e.orderId),
})

export const giftsJobs = [expireGiftOrders, notifyReserved]
export const giftsSchedules = [defineSchedule({ job: expireGiftOrders, daily: true })]
