import type { Logger } from 'pino'
import type { Database } from './db/database.js'
import { createMemberStatsService } from './modules/analytics/index.js'
import { createAuditService } from './modules/audit/index.js'
import { createAuthService } from './modules/auth/index.js'
import { createCatalogService, createProductImportService } from './modules/catalog/index.js'
import { createLoyaltyService } from './modules/loyalty/index.js'
import { createMembersService, createMemberImportService, type LookupLimits, type MergeHook } from './modules/members/index.js'
import { createOrgService } from './modules/org/index.js'
import { createCouponsService, createDrawsService, createGiftsService, createRebatesService, rewardsMergeHook, type RewardsMismatch } from './modules/rewards/index.js'
import { createReceiptImportService, createReceiptsService } from './modules/transactions/index.js'
import type { Clock } from './shared/clock.js'
import type { FileLimits } from './shared/csv-batches.js'
import { EventBus } from './shared/events.js'
import type { Keyring } from './shared/pii.js'

export interface ServiceDeps {
  database: Database
  keyring: Keyring
  clock: Clock
  timezone: string
  dataDir: string
  log?: Logger
  sleep?: (ms: number) => Promise<void>
  /** Bounds of imported files (config.importLimits); default DEFAULT_FILE_LIMITS. */
  importLimits?: Partial<FileLimits>
  /** Member lookups per actor (config.memberLookupLimits); default DEFAULT_LOOKUP_LIMITS. */
  lookupLimits?: Partial<LookupLimits>
}

/** Wires every service; the one place that knows who needs what. */
export const createServices = ({ database, keyring, clock, timezone, dataDir, log, sleep, importLimits, lookupLimits }: ServiceDeps) => {
  const { db, engine } = database
  const events = new EventBus(log)
  const audit = createAuditService({ db, clock })
  const org = createOrgService({ db, audit, clock, timezone, events })
  const auth = createAuthService({ db, audit, clock, sleep, events })
  // Modules that keep a member's history register how a merge moves it.
  const mergeHooks: MergeHook[] = []
  const members = createMembersService({ db, engine, audit, clock, keyring, events, timezone, mergeHooks, lookupLimits })
  const loyalty = createLoyaltyService({ db, engine, audit, clock, timezone, events })
  const coupons = createCouponsService({ db, engine, audit, clock, timezone, loyalty, members, events })
  const receipts = createReceiptsService({ db, engine, clock, timezone, members, loyalty, coupons, events, audit })
  const gifts = createGiftsService({ db, engine, audit, clock, timezone, loyalty, events })
  const rebates = createRebatesService({ db, engine, audit, clock, timezone, loyalty, coupons })
  const draws = createDrawsService({ db, engine, audit, clock, timezone, loyalty, coupons, gifts })
  /** Every reconciliation of the rewards (coupons, gift stock, prize stock, rebates), for `patron verify`. */
  const verifyRewards = async (): Promise<RewardsMismatch[]> => [
    ...(await coupons.verify()), ...(await gifts.verify()), ...(await draws.verify()), ...(await rebates.verify()),
  ]
  mergeHooks.push(loyalty.mergeHook, receipts.mergeHook, rewardsMergeHook)
  const memberImports = createMemberImportService({ db, members, audit, clock, keyring, dataDir, timezone, limits: importLimits })
  const stats = createMemberStatsService({ db, clock, timezone })
  const catalog = createCatalogService({ db, audit, clock, events })
  const productImports = createProductImportService({ db, audit, clock, events, limits: importLimits })
  const receiptImports = createReceiptImportService({ db, engine, clock, timezone, keyring, members, receipts, loyalty, audit, dataDir, limits: importLimits })
  return { database, db, engine, keyring, clock, timezone, events, audit, org, auth, members, memberImports, stats, loyalty, receipts, receiptImports, catalog, productImports,
    coupons, gifts, rebates, draws, verifyRewards }
}

export type Services = ReturnType<typeof createServices>
