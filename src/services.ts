import type { Logger } from 'pino'
import type { Database } from './db/database.js'
import { createClassesService } from './modules/analytics/index.js'
import { createAnalyticsMemberData, createClvService, createInsightRefresh, createRulesService, createRecommendationsService, createForecastService, createMemberFacts, createMemberStatsService, insightMemberData } from './modules/analytics/index.js'
import { analyticsJobs, analyticsSchedules } from './modules/analytics/index.js'
import { createSegmentsService, segmentsAuditLabels } from './modules/analytics/index.js'
import { createKpisService, kpisAuditLabels, kpisJobs, kpisSchedules } from './modules/analytics/index.js'
import { createProfileService, createTagsService, tagsAuditLabels } from './modules/analytics/index.js'
import { createAuditService } from './modules/audit/index.js'
import { authAuditLabels, authJobs, authSchedules, createAuthService } from './modules/auth/index.js'
import { catalogAuditLabels, createCatalogService, createProductImportService } from './modules/catalog/index.js'
import { createLoyaltyService, loyaltyAuditLabels, loyaltyJobs, loyaltySchedules } from './modules/loyalty/index.js'
import { createMembersService, createMemberImportService, membersAuditLabels, type LookupLimits, type MemberData } from './modules/members/index.js'
import { importsAuditLabels } from './modules/imports/index.js'
import { createOrgService, orgAuditLabels } from './modules/org/index.js'
import { createOutboxService, JobRegistry, outboxJobs, outboxMemberData, outboxSchedules } from './modules/outbox/index.js'
import { couponsJobs, couponsSchedules, createCouponsService, createDrawsService, createGiftsService, createRebatesService, giftsJobs, giftsSchedules, rewardsAuditLabels, rewardsMemberData, type RewardsMismatch } from './modules/rewards/index.js'
import { createSuggestionsService, createSurveysService, createTicketsService, feedbackJobs, feedbackSchedules, ticketsJobs, ticketsSchedules } from './modules/service/index.js'
import { createReceiptImportService, createReceiptsService, transactionsAuditLabels, transactionsMemberData } from './modules/transactions/index.js'
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

/** Every module's jobs and schedules (their `<module>.jobs.ts`): the worker runs them, `publish` finds subscribers here. */
export const jobRegistry = (): JobRegistry => new JobRegistry(
  [...outboxJobs, ...authJobs, ...loyaltyJobs, ...couponsJobs, ...giftsJobs, ...analyticsJobs, ...kpisJobs, ...ticketsJobs, ...feedbackJobs],
  [...outboxSchedules, ...authSchedules, ...loyaltySchedules, ...couponsSchedules, ...giftsSchedules, ...analyticsSchedules, ...kpisSchedules, ...ticketsSchedules, ...feedbackSchedules],
)

/** Wires every service; the one place that knows who needs what. */
export const createServices = ({ database, keyring, clock, timezone, dataDir, log, sleep, importLimits, lookupLimits }: ServiceDeps) => {
  const { db, engine } = database
  const events = new EventBus(log)
  const audit = createAuditService({ db, clock, labels: [
    orgAuditLabels, authAuditLabels, tagsAuditLabels, membersAuditLabels, catalogAuditLabels, importsAuditLabels, transactionsAuditLabels, loyaltyAuditLabels, rewardsAuditLabels, segmentsAuditLabels, kpisAuditLabels,
  ] })
  const outbox = createOutboxService({ db, engine, clock, audit, timezone, registry: jobRegistry() })
  const org = createOrgService({ db, audit, clock, timezone, events })
  const auth = createAuthService({ db, audit, clock, sleep, events })
  // Modules that hold data about a member declare it (count, move, export, erase); a merge moves it.
  const memberData: MemberData[] = []
  // Per-member purchase facts have one writer; loyalty's tier window reads them.
  const facts = createMemberFacts({ clock, timezone })
  // Dynamic and manual tags, and the member's profile the till's lookup shows (analytics reads, members asks).
  const tags = createTagsService({ db, engine, audit, clock, timezone })
  const profiles = createProfileService({ db, tags })
  const members = createMembersService({ db, engine, audit, clock, keyring, events, outbox, timezone, memberData, lookupLimits, lookupProfile: profiles.lookupProfile })
  const loyalty = createLoyaltyService({ db, engine, audit, clock, timezone, facts, outbox })
  const coupons = createCouponsService({ db, engine, audit, clock, timezone, loyalty, members })
  const receipts = createReceiptsService({ db, engine, clock, timezone, members, loyalty, coupons, facts, events, audit })
  const gifts = createGiftsService({ db, engine, audit, clock, timezone, loyalty, events })
  const rebates = createRebatesService({ db, engine, audit, clock, timezone, loyalty, coupons })
  const draws = createDrawsService({ db, engine, audit, clock, timezone, loyalty, coupons, gifts })
  /** Every reconciliation of the rewards (coupons, gift stock, prize stock, rebates), for `patron verify`. */
  const verifyRewards = async (): Promise<RewardsMismatch[]> => [
    ...(await coupons.verify()), ...(await gifts.verify()), ...(await draws.verify()), ...(await rebates.verify()),
  ]
  memberData.push(loyalty.memberData, createAnalyticsMemberData(facts), transactionsMemberData, rewardsMemberData, outboxMemberData, insightMemberData)
  const memberImports = createMemberImportService({ db, members, audit, clock, keyring, dataDir, timezone, limits: importLimits })
  const stats = createMemberStatsService({ db, clock, timezone })
  const classes = createClassesService({ db, clock, timezone, audit })
  const kpis = createKpisService({ db, engine, clock, timezone, audit })
  // Per-member insight figures, refreshed by a job (analytics.refreshInsight) or `patron analytics refresh`.
  const insight = createInsightRefresh({ db, engine, clock, timezone })
  // Segments (issue 12 §4): a segment is a target of the coupons' bulk issue.
  const segments = createSegmentsService({ db, engine, audit, clock, timezone, issueBulk: (actor, input) => coupons.issueBulk(actor, input) })
  // Predictions (issue 13): BG/NBD and Gamma-Gamma fitted on the members' purchase days.
  const clv = createClvService({ db, engine, clock, timezone })
  const rules = createRulesService({ db, engine, clock, timezone })
  const recommendations = createRecommendationsService({ db, clock, timezone })
  const forecast = createForecastService({ db, clock, timezone })
  const catalog = createCatalogService({ db, audit, clock, events })
  const productImports = createProductImportService({ db, audit, clock, events, limits: importLimits })
  const receiptImports = createReceiptImportService({ db, engine, clock, timezone, keyring, members, receipts, loyalty, audit, dataDir, limits: importLimits })
  // The service desk (issue 14): complaints with SLA and escalation, suggestions, surveys.
  const tickets = createTicketsService({ db, audit, clock, timezone })
  const suggestions = createSuggestionsService({ db, audit, clock, timezone })
  const surveys = createSurveysService({ db, audit, clock, timezone })
  return { database, db, engine, keyring, clock, timezone, events, outbox, audit, org, auth, members, memberImports, stats, classes, loyalty, receipts, receiptImports, catalog, productImports,
    coupons, gifts, rebates, draws, verifyRewards, facts, tags, profiles, segments, insight, kpis, clv, rules, recommendations, forecast,
    tickets, suggestions, surveys, memberData: members.memberData() }
}

export type Services = ReturnType<typeof createServices>
