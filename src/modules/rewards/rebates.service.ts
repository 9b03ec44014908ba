import type { Db, Engine } from '../../db/database.js'
import type { AuditService } from '../audit/index.js'
import type { Clock } from '../../shared/clock.js'
import type { LoyaltyService } from '../loyalty/index.js'
import type { CouponsService } from './coupons.service.js'
import type { RewardsMismatch } from './rewards-rules.js'

export interface RebatesDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  loyalty: LoyaltyService
  coupons: CouponsService
}

// Skeleton: year-end rebate programmes are built here.
export const createRebatesService = (_deps: RebatesDeps) => {
  const verify = async (): Promise<RewardsMismatch[]> => []
  return { verify }
}

export type RebatesService = ReturnType<typeof createRebatesService>
