import { defineJob, defineSchedule } from '../outbox/index.js'
import type { GiftsService } from './gifts.service.js'

export const expireGiftOrders = defineJob<Record<string, never>, { gifts: GiftsService }>({
  name: 'gift-orders.expire', description: 'expire gift orders not picked up in time, returning stock and points',
  run: (_p, { gifts }) => gifts.expireDue(),
})

export const giftsJobs = [expireGiftOrders]
export const giftsSchedules = [defineSchedule({ job: expireGiftOrders, daily: true })]
