import type { Db, Engine } from '../../db/database.js'
import type { Clock } from '../../shared/clock.js'
import type { AuditService } from '../audit/index.js'
import type { LoyaltyService } from '../loyalty/index.js'

/** What every rewards service is built with; each adds what else it needs. */
export interface RewardsBaseDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  loyalty: LoyaltyService
}
