import type { GiftOrderStatus } from './types.js'

// Pure helpers of the gift pages: no React, no API.

export const ORDER_STATUS_COLORS: Record<GiftOrderStatus, string> = { reserved: 'gold', collected: 'green', cancelled: 'default', expired: 'red' }

export const MAX_PICTURE_BYTES = 1024 * 1024
export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp']

/** Why a chosen file cannot be a gift's picture (the server checks its bytes again), or null. */
export const pictureProblem = (file: { type: string; size: number }): 'wrongType' | 'tooLarge' | null =>
  !PICTURE_TYPES.includes(file.type) ? 'wrongType' : file.size > MAX_PICTURE_BYTES ? 'tooLarge' : null

/** The picture's URL; the change time makes a new picture bypass the browser's cache. */
export const pictureUrl = (gift: { id: string; updatedAt: string }): string =>
  `/api/v1/gifts/${encodeURIComponent(gift.id)}/picture?v=${encodeURIComponent(gift.updatedAt)}`

/** Stock rows summed: what the catalogue shows for a gift stocked in many stores. */
export const stockTotals = (rows: ReadonlyArray<{ stocked: number; available: number; reserved: number; collected: number }>) =>
  rows.reduce((a, r) => ({ stocked: a.stocked + r.stocked, available: a.available + r.available, reserved: a.reserved + r.reserved, collected: a.collected + r.collected }),
    { stocked: 0, available: 0, reserved: 0, collected: 0 })

/** Whether a reserved order's pick-up time has passed (the expiry job runs once a day). */
export const isOverdue = (order: { status: GiftOrderStatus; expiresAt: string }, now: Date): boolean =>
  order.status === 'reserved' && new Date(order.expiresAt).getTime() <= now.getTime()

/** The points a quantity costs and the cash due at pick-up. */
export const orderTotal = (gift: { pointsPrice: number; cashPrice: number }, quantity: number) => ({ points: gift.pointsPrice * quantity, cash: gift.cashPrice * quantity })
