import type { Db, Engine } from '../../db/database.js'
import type { AuditService } from '../audit/index.js'
import type { Clock } from '../../shared/clock.js'
import type { LoyaltyService } from '../loyalty/index.js'
import type { CouponsService } from './coupons.service.js'
import type { GiftsService } from './gifts.service.js'
import type { RewardsMismatch } from './rewards-rules.js'

export interface DrawsDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  loyalty: LoyaltyService
  coupons: CouponsService
  gifts: GiftsService
}

// Skeleton: lucky draws are built here.
export const createDrawsService = (_deps: DrawsDeps) => {
  const verify = async (): Promise<RewardsMismatch[]> => []
  return { verify }
}

export type DrawsService = ReturnType<typeof createDrawsService>
