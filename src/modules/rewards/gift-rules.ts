import { fileTypeFromBuffer } from 'file-type'
import type { ErrorDetail } from '../../shared/errors.js'
import type { GiftOrderStatus, GiftStockMode, GiftsTable, GiftStockTable } from './gifts.table.js'
import { isLocalDate, meetsTier, randomCode } from './rewards-rules.js'

// Pure rules of the gift catalogue (积分换购): no I/O, no clock.

export const CENTRAL = 'central'
export const MAX_PICTURE_BYTES = 1024 * 1024
export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
export type PictureType = (typeof PICTURE_TYPES)[number]

export interface GiftStock {
  location: string
  stocked: number
  available: number
  reserved: number
  collected: number
}

export interface Gift {
  id: string
  name: string
  description: string | null
  pointsPrice: number
  cashPrice: number
  stockMode: GiftStockMode
  validFrom: string | null
  validTo: string | null
  perMemberLimit: number | null
  minTier: string | null
  pickupDays: number
  status: 'active' | 'inactive'
  hasPicture: boolean
  pictureType: string | null
  stock: GiftStock[]
  /** pieces that can still be redeemed, all locations together */
  available: number
  createdAt: string
  updatedAt: string
}

export interface GiftInput {
  name: string
  description?: string | null
  pointsPrice: number
  cashPrice?: number
  stockMode: GiftStockMode
  validFrom?: string | null
  validTo?: string | null
  perMemberLimit?: number | null
  minTier?: string | null
  pickupDays: number
  status?: 'active' | 'inactive'
}

/** Every column except the picture itself, which only its own route reads. */
export type GiftRow = Omit<GiftsTable, 'picture'>

export const toGiftStock = (row: GiftStockTable): GiftStock => ({
  location: row.location, stocked: Number(row.stocked), available: Number(row.available), reserved: Number(row.reserved), collected: Number(row.collected),
})

export const toGift = (row: GiftRow, stock: GiftStockTable[]): Gift => {
  const rows = stock.map(toGiftStock).sort((a, b) => (a.location === CENTRAL ? -1 : b.location === CENTRAL ? 1 : a.location.localeCompare(b.location)))
  return {
    id: row.id, name: row.name, description: row.description, pointsPrice: Number(row.points_price), cashPrice: Number(row.cash_price),
    stockMode: row.stock_mode, validFrom: row.valid_from, validTo: row.valid_to, perMemberLimit: row.per_member_limit, minTier: row.min_tier,
    pickupDays: row.pickup_days, status: row.status, hasPicture: row.picture_type !== null, pictureType: row.picture_type,
    stock: rows, available: rows.reduce((a, s) => a + s.available, 0), createdAt: row.created_at, updatedAt: row.updated_at,
  }
}

const LIMITS = { points: 100_000_000, cash: 100_000_000, perMember: 1000, pickupDays: 365 }

/** What is wrong with a gift's settings (a whole gift after a change is merged in), field by field. */
export const checkGift = (input: GiftInput, tierCodes: readonly string[]): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  const name = input.name?.trim() ?? ''
  if (name.length < 1 || name.length > 60) out.push({ field: 'name', reason: 'between 1 and 60 characters' })
  if (input.description != null && input.description.length > 500) out.push({ field: 'description', reason: 'at most 500 characters' })
  if (!Number.isInteger(input.pointsPrice) || input.pointsPrice < 0 || input.pointsPrice > LIMITS.points) out.push({ field: 'pointsPrice', reason: `a whole number of points from 0 to ${LIMITS.points}` })
  const cash = input.cashPrice ?? 0
  if (!Number.isInteger(cash) || cash < 0 || cash > LIMITS.cash) out.push({ field: 'cashPrice', reason: `whole fen from 0 to ${LIMITS.cash}` })
  if (input.pointsPrice === 0 && cash === 0) out.push({ field: 'pointsPrice', reason: 'a gift costs points, cash or both' })
  if (input.stockMode !== 'central' && input.stockMode !== 'per_store') out.push({ field: 'stockMode', reason: 'central or per_store' })
  if (input.validFrom != null && !isLocalDate(input.validFrom)) out.push({ field: 'validFrom', reason: 'a date as YYYY-MM-DD' })
  if (input.validTo != null && !isLocalDate(input.validTo)) out.push({ field: 'validTo', reason: 'a date as YYYY-MM-DD' })
  if (isLocalDate(input.validFrom) && isLocalDate(input.validTo) && input.validTo < input.validFrom) out.push({ field: 'validTo', reason: 'on or after validFrom' })
  if (input.perMemberLimit != null && (!Number.isInteger(input.perMemberLimit) || input.perMemberLimit < 1 || input.perMemberLimit > LIMITS.perMember)) {
    out.push({ field: 'perMemberLimit', reason: `a whole number from 1 to ${LIMITS.perMember}, or none` })
  }
  if (input.minTier != null && !tierCodes.includes(input.minTier)) out.push({ field: 'minTier', reason: 'no such tier' })
  if (!Number.isInteger(input.pickupDays) || input.pickupDays < 1 || input.pickupDays > LIMITS.pickupDays) out.push({ field: 'pickupDays', reason: `a whole number of days from 1 to ${LIMITS.pickupDays}` })
  return out
}

/** Whether a gift can be had on a local date: 'early' before its first day, 'ended' after its last. */
export const validityOn = (gift: Pick<GiftsTable, 'valid_from' | 'valid_to'>, today: string): 'valid' | 'early' | 'ended' =>
  gift.valid_from !== null && today < gift.valid_from ? 'early' : gift.valid_to !== null && today > gift.valid_to ? 'ended' : 'valid'

/** Why a member cannot redeem a gift now (the first reason found), or null when they can. */
export type RedeemBlock = 'inactive' | 'not_valid' | 'tier' | 'limit' | 'stock' | 'points'

export const redeemBlock = (input: {
  gift: Pick<GiftsTable, 'status' | 'valid_from' | 'valid_to' | 'min_tier' | 'per_member_limit' | 'points_price'>
  today: string
  tiers: ReadonlyArray<{ code: string; rank: number }>
  memberTier: string | null
  /** pieces the member holds already (reserved or collected orders) */
  redeemed: number
  available: number
  spendable: number
  quantity?: number
}): RedeemBlock | null => {
  const q = input.quantity ?? 1
  if (input.gift.status !== 'active') return 'inactive'
  if (validityOn(input.gift, input.today) !== 'valid') return 'not_valid'
  if (!meetsTier(input.tiers, input.memberTier, input.gift.min_tier)) return 'tier'
  if (input.gift.per_member_limit !== null && input.redeemed + q > input.gift.per_member_limit) return 'limit'
  if (input.available < q) return 'stock'
  if (input.gift.points_price * q > input.spendable) return 'points'
  return null
}

/** The location a redemption takes stock from: the central store, or the pick-up store's own. */
export const stockLocation = (mode: GiftStockMode, pickupStoreId: string): string => (mode === 'central' ? CENTRAL : pickupStoreId)

/** A short order number read out at the counter: G and 9 symbols without look-alikes (45 random bits). */
export const newOrderNo = (): string => `G${randomCode(9)}`

export const ORDER_STATUSES: readonly GiftOrderStatus[] = ['reserved', 'collected', 'cancelled', 'expired']

/** The picture's type by its content (file-type; what a file says it is does not count), or null when it is not PNG, JPEG or WebP. */
export const pictureTypeOf = async (bytes: Uint8Array): Promise<PictureType | null> => {
  const mime = (await fileTypeFromBuffer(bytes))?.mime
  return PICTURE_TYPES.find((t) => t === mime) ?? null
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * A picture sent as base64 (a data: URL's prefix is dropped): its bytes and type, or the
 * reason it is refused ('invalid': not base64 or not PNG/JPEG/WebP; 'too_large': over 1 MiB).
 */
export const decodePicture = async (data: string): Promise<{ bytes: Buffer; type: PictureType } | { problem: 'invalid' | 'too_large' }> => {
  const body = data.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '')
  if (body.length === 0 || body.length % 4 !== 0 || !BASE64.test(body)) return { problem: 'invalid' }
  if ((body.length / 4) * 3 - (body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0) > MAX_PICTURE_BYTES) return { problem: 'too_large' }
  const bytes = Buffer.from(body, 'base64')
  const type = await pictureTypeOf(bytes)
  return type ? { bytes, type } : { problem: 'invalid' }
}
