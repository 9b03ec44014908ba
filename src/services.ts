import { createPortalAuthService, createPortalService, portalJobs, portalMemberData, portalSchedules } from './modules/portal/index.js'
import { createPortalRewardsService } from './modules/portal/index.js'
import { createPortalEngageService } from './modules/portal/index.js'
import type { Logger } from 'pino'
import type { Database } from './db/database.js'
import { createClassesService } from './modules/analytics/index.js'
import { memberClassesOf } from './modules/analytics/index.js'
import { createAnalyticsMemberData, createClvService, createInsightRefresh, createRulesService, createRecommendationsService, createForecastService, createMemberFacts, createMemberStatsService, insightMemberData } from './modules/analytics/index.js'
import { analyticsJobs, analyticsSchedules } from './modules/analytics/index.js'
import { createSegmentsService, segmentsAuditLabels } from './modules/analytics/index.js'
import { createKpisService, kpisAuditLabels, kpisJobs, kpisSchedules } from './modules/analytics/index.js'
import { createProfileService, createTagsService, tagsAuditLabels } from './modules/analytics/index.js'
import { createAuditService } from './modules/audit/index.js'
import { authAuditLabels, authJobs, authSchedules, createAuthService } from './modules/auth/index.js'
import { catalogAuditLabels, createCatalogService, createProductImportService, findProductNamesByIds } from './modules/catalog/index.js'
import { createLoyaltyService, loyaltyAuditLabels, loyaltyJobs, loyaltySchedules } from './modules/loyalty/index.js'
import { createMembersService, createMemberImportService, memberContact, membersAuditLabels, type LookupLimits, type MemberData } from './modules/members/index.js'
import { importsAuditLabels } from './modules/imports/index.js'
import { createOrgService, orgAuditLabels } from './modules/org/index.js'
import { createOutboxService, JobRegistry, outboxJobs, outboxMemberData, outboxSchedules } from './modules/outbox/index.js'
import { createPrivacyService, privacyJobs, privacySchedules } from './modules/privacy/index.js'
import { createBackupsService, createHealthService, operationsJobs, operationsSchedules } from './modules/operations/index.js'
import { couponsJobs, couponsSchedules, createCouponsService, createDrawsService, createGiftsService, createRebatesService, giftsJobs, giftsSchedules, rewardsAuditLabels, rewardsMemberData, type RewardsMismatch } from './modules/rewards/index.js'
import { createSatisfactionReader, feedbackAuditLabels, feedbackMemberData } from './modules/service/index.js'
import { createSuggestionsService, createSurveysService, createTicketsService, feedbackJobs, ticketsAuditLabels, ticketsMemberData, type TicketLookups, feedbackSchedules, ticketsJobs, ticketsSchedules } from './modules/service/index.js'
import { campaignsAuditLabels, campaignsJobs, campaignsMemberData, channelsJobs, channelsMemberData, channelsSchedules, createCampaignsService, createChannelsService, createTemplatesService, quietUntil, templateRules } from './modules/marketing/index.js'
import { createMemberEventsService, eventsAuditLabels, eventsMemberData } from './modules/marketing/index.js'
import { createJourneysService, journeysAuditLabels, journeysJobs, journeysMemberData, journeysSchedules } from './modules/marketing/index.js'
import { createReceiptImportService, createReceiptsService, transactionsAuditLabels, transactionsMemberData } from './modules/transactions/index.js'
import type { Actor } from './shared/actor.js'
import type { Clock } from './shared/clock.js'
import { isDomainError } from './shared/errors.js'
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
  /** Where members reach the public pages (config.publicUrl): unsubscribe links; default http://localhost:3000. */
  publicUrl?: string
}

/** Every module's jobs and schedules (their `<module>.jobs.ts`): the worker runs them, `publish` finds subscribers here. */
export const jobRegistry = (): JobRegistry => new JobRegistry(
  [...outboxJobs, ...authJobs, ...loyaltyJobs, ...couponsJobs, ...giftsJobs, ...analyticsJobs, ...kpisJobs, ...ticketsJobs, ...feedbackJobs, ...campaignsJobs, ...journeysJobs, ...channelsJobs, ...privacyJobs, ...operationsJobs, ...portalJobs],
  [...outboxSchedules, ...authSchedules, ...loyaltySchedules, ...couponsSchedules, ...giftsSchedules, ...analyticsSchedules, ...kpisSchedules, ...ticketsSchedules, ...feedbackSchedules, ...journeysSchedules, ...channelsSchedules, ...privacySchedules, ...operationsSchedules, ...portalSchedules],
)

/** Who reads a segment's members for a survey's invitations (the inviter needs surveys.manage, not insight.read). */
const SURVEY_INVITER = { kind: 'system' as const, name: 'survey invitations' }
const CAMPAIGN_SENDER = { kind: 'system' as const, name: 'campaigns' }
const JOURNEY_SENDER = { kind: 'system' as const, name: 'journeys' }

/** What the service desk reads of the catalogue, the receipts and the staff (the demo's desk uses it too). */
export const ticketLookups = ({ db, receipts, auth }: {
  db: Database['db']; receipts: Pick<ReturnType<typeof createReceiptsService>, 'get'>; auth: Pick<ReturnType<typeof createAuthService>, 'listUsers'>
}): TicketLookups => {
  const desk: Actor = { kind: 'system', name: 'service desk' }
  const missing = (e: unknown) => {
    if (isDomainError(e) && e.kind === 'not_found') return null
    throw e
  }
  return {
    // One read for a page of tickets, not a product service call per row.
    productNames: async (ids) => new Map((await findProductNamesByIds(db, [...new Set(ids)])).map((p) => [p.id, p.name])),
    receiptExists: async (id) => (await receipts.get(desk, id).catch(missing)) !== null,
    storeManagerOf: async (storeId) => (await auth.listUsers(desk, { storeId, role: 'store_manager' })).find((u) => u.status === 'active')?.id ?? null,
    regionManagerOf: async (regionId) => (await auth.listUsers(desk, { regionId, role: 'region_manager' })).find((u) => u.status === 'active')?.id ?? null,
  }
}

/** Wires every service; the one place that knows who needs what. */
export const createServices = ({ database, keyring, clock, timezone, dataDir, log, sleep, importLimits, lookupLimits, publicUrl }: ServiceDeps) => {
  const { db, engine } = database
  const events = new EventBus(log)
  const audit = createAuditService({ db, clock, engine, labels: [
    orgAuditLabels, authAuditLabels, tagsAuditLabels, membersAuditLabels, catalogAuditLabels, importsAuditLabels, transactionsAuditLabels, loyaltyAuditLabels, rewardsAuditLabels, segmentsAuditLabels, kpisAuditLabels,
    ticketsAuditLabels, feedbackAuditLabels, campaignsAuditLabels, eventsAuditLabels, journeysAuditLabels,
  ] })
  const outbox = createOutboxService({ db, engine, clock, audit, timezone, registry: jobRegistry() })
  const org = createOrgService({ db, audit, clock, timezone, events })
  const auth = createAuthService({ db, audit, clock, keyring, sleep, events })
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
  const receipts = createReceiptsService({ db, engine, clock, timezone, members, loyalty, coupons, facts, events, audit, outbox })
  // Marketing (issue 15): the channels' providers and the message log; the sandbox until a provider is set.
  const channels = createChannelsService({ db, keyring, clock, audit, members, publicUrl })
  const gifts = createGiftsService({ db, engine, audit, clock, timezone, loyalty, events, outbox, send: (input) => channels.deliver(null, input) })
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
  // Satisfaction (CSAT, NPS) of the surveys' answers feeds the KPIs and the CRM report.
  const kpis = createKpisService({ db, engine, clock, timezone, audit, satisfaction: createSatisfactionReader(db) })
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
  const tickets = createTicketsService({
    db, audit, clock, timezone, keyring, outbox,
    send: (input) => channels.deliver(null, input),
    grantPoints: (actor, input) => loyalty.adjust(actor, input),
    coupons: { template: (actor, id) => coupons.getTemplate(actor, id), issue: (actor, input) => coupons.issueOne(actor, input) },
    lookups: ticketLookups({ db, receipts, auth }),
  })
  memberData.push(ticketsMemberData)
  memberData.push(feedbackMemberData)
  memberData.push(channelsMemberData)
  const suggestions = createSuggestionsService({ db, audit, clock, timezone, keyring })
  const surveys = createSurveysService({ db, engine, audit, clock, timezone, keyring, segmentMembers: async (segmentId, page) => {
    const p = await segments.members(SURVEY_INVITER, segmentId, page)
    return { ids: p.items.map((m) => m.id), nextCursor: p.nextCursor }
  }, memberClasses: (ids) => memberClassesOf(db, ids),
  send: (input) => channels.deliver(null, input), publicUrl, ticketContactPhone: (id) => tickets.contactPhone(id),
  // The campaigns' quiet hours hold a segment's invitations (marketing) until the morning.
  quietUntil: async () => {
    const s = await campaigns.settings(SURVEY_INVITER)
    return quietUntil(clock.now(), timezone, s.quietStart, s.quietEnd)?.toISOString() ?? null
  } })
  const templates = createTemplatesService({
    db, audit, clock,
    memberValues: async (actor, memberId) => {
      const [m, p] = await Promise.all([members.get(actor, memberId), loyalty.points(actor, memberId)])
      const next = p.expiring[0]
      return {
        memberName: m.name ?? undefined, cardNo: m.cardNo, pointsBalance: String(p.balance), tier: p.tier?.name,
        expiringPoints: next ? String(next.points) : undefined, expiringDate: next?.expiresOn, storeName: m.registrationStoreName ?? undefined,
      }
    },
    couponValues: async (actor, id, lang) => {
      const t = await coupons.getTemplate(actor, id)
      return { couponName: t.name, couponValue: templateRules.couponFace(t, lang), couponValidUntil: t.validTo ?? undefined }
    },
    recommendationFor: async (actor, memberId) => (await recommendations.forMember(actor, memberId, { limit: 1 })).items[0]?.name ?? null,
  })
  // Campaigns (issue 15 §3): sends run on the workers (campaigns.start, campaigns.send) through the channels.
  const campaigns = createCampaignsService({
    db, engine, clock, timezone, audit,
    enqueue: (trx, name, payload, options) => outbox.enqueue(trx, name, payload, options),
    segment: async (actor, id) => {
      const [seg, snaps] = await Promise.all([segments.get(actor, id), segments.snapshots(actor, id)])
      return { id: seg.id, name: seg.name, snapshotIds: snaps.map((x) => x.id) }
    },
    snapshotSegment: async (id) => (await segments.snapshot(CAMPAIGN_SENDER, id)).id,
    template: (actor, id) => templates.get(actor, id),
    couponTemplate: (actor, id) => coupons.getTemplate(actor, id),
    memberValues: async (memberId) => {
      const [m, p, contact] = await Promise.all([members.get(CAMPAIGN_SENDER, memberId), loyalty.points(CAMPAIGN_SENDER, memberId), memberContact(db, keyring, memberId)])
      const next = p.expiring[0]
      return {
        memberName: contact?.name ?? undefined, cardNo: m.cardNo, pointsBalance: String(p.balance), tier: p.tier?.name,
        expiringPoints: next ? String(next.points) : undefined, expiringDate: next?.expiresOn, storeName: m.registrationStoreName ?? undefined,
      }
    },
    couponValues: async (id) => {
      const t = await coupons.getTemplate(CAMPAIGN_SENDER, id)
      return { couponName: t.name, couponValue: templateRules.couponFace(t, 'zh-CN'), couponValidUntil: t.validTo ?? undefined }
    },
    render: (templateId, values, memberId) => templates.render(templateId, values, { unsubscribeUrl: memberId ? channels.unsubscribeUrl(memberId, 'email') : null }),
    preview: (actor, input) => templates.preview(actor, input),
    issueCoupon: (input) => coupons.issueForCampaign(input),
    deliver: (trx, input) => channels.deliver(trx, input),
  })
  // Journeys (issue 15 §4): triggers enrol members (journeys.enrol* jobs), journeys.advance takes them through the steps,
  // with the campaigns' cap and quiet hours, through the channels.
  const journeys = createJourneysService({
    db, engine, clock, timezone, audit,
    enqueue: (trx, name, payload, options) => outbox.enqueue(trx, name, payload, options),
    settings: () => campaigns.settings(JOURNEY_SENDER),
    template: (actor, id) => templates.get(actor, id),
    couponTemplate: (actor, id) => coupons.getTemplate(actor, id),
    segment: (actor, id) => segments.get(actor, id),
    tierCodes: async () => (await loyalty.config()).tiers.map((t) => t.code),
    memberValues: async (memberId) => {
      const [m, p, contact] = await Promise.all([members.get(JOURNEY_SENDER, memberId), loyalty.points(JOURNEY_SENDER, memberId), memberContact(db, keyring, memberId)])
      const next = p.expiring[0]
      return {
        memberName: contact?.name ?? undefined, cardNo: m.cardNo, pointsBalance: String(p.balance), tier: p.tier?.name,
        expiringPoints: next ? String(next.points) : undefined, expiringDate: next?.expiresOn, storeName: m.registrationStoreName ?? undefined,
      }
    },
    couponValues: async (id) => {
      const t = await coupons.getTemplate(JOURNEY_SENDER, id)
      return { couponName: t.name, couponValue: templateRules.couponFace(t, 'zh-CN'), couponValidUntil: t.validTo ?? undefined }
    },
    render: (templateId, values, memberId) => templates.render(templateId, values, { unsubscribeUrl: channels.unsubscribeUrl(memberId, 'email') }),
    issueCoupon: (input) => coupons.issueForCampaign({ ...input, source: 'journey' }),
    deliver: (trx, input) => channels.deliver(trx, input),
    attachTag: async (memberId, tagId) => {
      await tags.attach(JOURNEY_SENDER, memberId, { tagId }).catch((e: unknown) => { if (!(isDomainError(e) && e.code === 'TAG_ALREADY_HELD')) throw e })
    },
    detachTag: (memberId, tagId) => tags.detach(JOURNEY_SENDER, memberId, tagId).catch((e: unknown) => { if (!(isDomainError(e) && e.code === 'TAG_NOT_HELD')) throw e }),
  })
  memberData.push(campaignsMemberData, journeysMemberData)
  // Member events (issue 15 §5): registration at the desk and the till, check-in, attendance and what followed.
  const memberEvents = createMemberEventsService({ db, clock, audit, members, segment: (actor, id) => segments.get(actor, id) })
  memberData.push(eventsMemberData)
  memberData.push(portalMemberData)
  // Personal data on request (PIPL, issue 16 §2): a person's copy, and erasure after the cooling-off days.
  const privacy = createPrivacyService({ db, engine, audit, clock, outbox, memberData: () => members.memberData() })
  // Backups (issue 16 §1): the daily copy into <data dir>/backups with its retention, and its runs.
  const backups = createBackupsService({ database, clock, audit, outbox, timezone, dataDir, log })
  // What /metrics reads from the database: job lag, receipts per minute, the last backup.
  const health = createHealthService({ database, clock, outbox, backups })
  // The member's own page (issue 17): sign-in by text code, its own sessions, and its reads.
  const portalAuth = createPortalAuthService({
    db, keyring, clock, members, publicUrl, chainName: async () => (await org.getChain()).name,
    sendSms: (to, body, memberId) => channels.deliver(null, { channel: 'sms', purpose: 'service', to, body, memberId }),
  })
  const portal = createPortalService({ db, clock, keyring, loyalty, receipts, coupons, gifts, members, privacy })
  // The member's page's tier progress, gifts, draws, profile and WeChat binding (issue 17 §2).
  const portalRewards = createPortalRewardsService({ db, clock, timezone, keyring, loyalty, gifts, draws, members, channels, publicUrl })
  // The member's page's complaints, suggestions, surveys and events (issue 17 §2).
  const portalEngage = createPortalEngageService({ db, tickets, suggestions, surveys, memberEvents })
  return { database, db, engine, keyring, clock, timezone, events, outbox, audit, org, auth, members, memberImports, stats, classes, loyalty, receipts, receiptImports, catalog, productImports,
    coupons, gifts, rebates, draws, verifyRewards, facts, tags, profiles, segments, insight, kpis, clv, rules, recommendations, forecast,
    tickets, suggestions, surveys, channels, templates, campaigns, journeys, memberEvents, privacy, backups, health, portalAuth, portal, portalRewards, portalEngage, memberData: members.memberData() }
}

export type Services = ReturnType<typeof createServices>
