export type GiftStockMode = 'central' | 'per_store'
export type GiftOrderStatus = 'reserved' | 'collected' | 'cancelled' | 'expired'

export interface GiftsTable {
  id: string
  name: string
  description: string | null
  points_price: number
  /** fen paid at the counter on top of the points (换购); 0 = none */
  cash_price: number
  stock_mode: GiftStockMode
  /** local dates, inclusive; null = open */
  valid_from: string | null
  valid_to: string | null
  /** pieces one member may redeem in all; null = no limit */
  per_member_limit: number | null
  min_tier: string | null
  /** days a reserved order waits for pick-up */
  pickup_days: number
  /** base64 of the picture, with its type */
  picture: string | null
  picture_type: string | null
  status: 'active' | 'inactive'
  created_at: string
  updated_at: string
}

/** Stock of a gift at one place: 'central' or a store id. stocked = available + reserved + collected. */
export interface GiftStockTable {
  gift_id: string
  location: string
  stocked: number
  available: number
  reserved: number
  collected: number
}

export interface GiftOrdersTable {
  id: string
  order_no: string
  member_id: string
  gift_id: string
  quantity: number
  points: number
  cash: number
  /** where the stock was taken from */
  location: string
  pickup_store_id: string | null
  status: GiftOrderStatus
  /** redeem: bought with points; draw: a lucky draw's prize */
  source: 'redeem' | 'draw'
  /** the till's or desk's key for this redemption: a resend after a lost answer gets the same order */
  request_key: string | null
  expires_at: string
  created_by: string | null
  created_at: string
  collected_at: string | null
  collected_by: string | null
  closed_at: string | null
  close_reason: string | null
}

export interface GiftsTables {
  gifts: GiftsTable
  gift_stock: GiftStockTable
  gift_orders: GiftOrdersTable
}
