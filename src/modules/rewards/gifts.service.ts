import type { Db, Engine, Trx } from '../../db/database.js'
import type { AuditService } from '../audit/index.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import type { LoyaltyService } from '../loyalty/index.js'
import type { RewardsMismatch } from './rewards-rules.js'

export interface GiftsDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  loyalty: LoyaltyService
  events?: EventBus
}

// Skeleton: the gift catalogue and redemption orders are built here.
export const createGiftsService = (_deps: GiftsDeps) => {
  /**
   * A lucky draw's gift prize: an order of one piece at no points, reserved from central stock
   * for pick-up, inside the draw's transaction; null when the gift is out of stock or unavailable.
   */
  const orderForPrize = async (_trx: Trx, _input: { giftId: string; memberId: string; actorName: string | null; at: string }): Promise<{ orderId: string } | null> => null
  const verify = async (): Promise<RewardsMismatch[]> => []
  return { verify, internals: { orderForPrize } }
}

export type GiftsService = ReturnType<typeof createGiftsService>
