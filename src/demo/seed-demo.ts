import { staffUserIdsByUsername } from '../modules/auth/index.js'
import { membersByBlindIndex } from '../modules/members/index.js'
import { regionIdsByCode, storeIdsByCode } from '../modules/org/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { checkProfile } from '../modules/members/member-rules.js'
import type { BulkMember } from '../modules/members/members.service.js'
import { demoMembers, demoRegions, demoStaff, demoStores, type DemoMember, type DemoStaff } from './demo-data.js'
import { demoProducts, seedDemoProducts } from './demo-products.js'
import { activityFor, seedDemoActivity, type ActivityResult } from './demo-activity.js'
import { seedDemoCoupons } from './demo-coupons.js'
import { seedDemoDraws } from './demo-draws.js'
import { seedDemoGifts } from './demo-gifts.js'
import { seedDemoRebates } from './demo-rebates.js'
import { seedDemoTags } from './demo-tags.js'
import { seedDemoServiceDesk, type DemoServiceDeskResult } from './demo-service-desk.js'
import { seedDemoFeedback, type DemoFeedbackResult } from './demo-feedback.js'
import { seedDemoMarketing } from './demo-marketing.js'
import { seedDemoEvents, type DemoEventsResult } from './demo-events.js'
import { seedDemoCampaigns } from './demo-campaigns.js'
import { seedDemoPrivacy } from './demo-privacy.js'
import { seedDemoJourneys } from './demo-journeys.js'
import { seedDemoReceipts } from './demo-receipts.js'

/** Sales in the demo year per demo member, unless `receipts` says otherwise (keeps `npm start` quick). */
export const DEMO_RECEIPTS_PER_MEMBER = 1.25

export interface SeedOptions {
  members?: number
  seed?: number
  /** Ages and registration dates are relative to it; default now. */
  referenceDate?: string
  /** sales in the year before the reference date (returns come on top); default 1.25 per member */
  receipts?: number
  onProgress?: (done: number, total: number) => void
  onReceiptProgress?: (done: number, total: number) => void
}

export interface SeedResult {
  stores: number
  staff: DemoStaff[]
  membersInserted: number
  productsInserted: number
  sales: number
  returns: number
  /** receipts the posting refused, and the first few reasons */
  receiptsFailed: number
  receiptErrors: string[]
  /** coupon templates created and coupons issued, gifts created */
  rewards: { templates: number; coupons: number; gifts: number }
  /** what the demo members did with them (added by this run) */
  activity: ActivityResult & { drawEntries: number }
  /** the full insight refresh the seed ends with: the day its figures are as of, members computed */
  insight: { asOf: string; members: number }
  /** the lifetime-value fit after it: members scored, or why it was refused (too few buyers) */
  clv: { scored: number; refused: string | null }
  /** the association rules mined of the last 90 days' sales (at the category level): 关联规则 has a run */
  rules: { baskets: number; rules: number }
  /** the recommendation model built of the last 90 days' sales: members' pages and the till suggest products */
  recommendations: { baskets: number; products: number; neighbours: number }
  /** the weekly sales forecast of every store × department and chain × category: 销售预测 has a run */
  forecast: { series: number; skipped: number; seconds: number }
  /** the service desk: teams made and tickets seeded (none on a re-run) */
  serviceDesk: DemoServiceDeskResult
  feedback: DemoFeedbackResult
  /** member events (会员活动): a tasting last month with check-ins and what followed, next month's panel, a talk being prepared */
  events: DemoEventsResult
  marketing: { templates: number; campaigns: { campaigns: number; sent: number }; journeys: { journeys: number; enrolled: number } }
}

const BATCH = 1000

/**
 * Loads the demo chain through the real services: regions, 12 stores, staff of every role,
 * members, a catalogue and a year of receipts. Deterministic for a seed; safe to run again
 * (what exists is kept, the rest added).
 */
export const seedDemo = async (services: Services, options: SeedOptions = {}): Promise<SeedResult> => {
  const actor: Actor = { kind: 'system', name: 'seed-demo' }
  const { db, org, auth, members, keyring, audit } = services
  const count = options.members ?? 20_000
  const seed = options.seed ?? 1
  const referenceDate = options.referenceDate ?? services.clock.now().toISOString()

  const regionIds = await regionIdsByCode(db)
  for (const region of demoRegions()) {
    if (!regionIds.has(region.code)) regionIds.set(region.code, (await org.createRegion(actor, region)).id)
  }
  const storeIds = await storeIdsByCode(db)
  for (const store of demoStores()) {
    if (storeIds.has(store.code)) continue
    const { regionCode, ...rest } = store
    storeIds.set(store.code, (await org.createStore(actor, { ...rest, regionId: regionIds.get(regionCode) ?? null })).id)
  }
  const staff = demoStaff()
  const userIds = await staffUserIdsByUsername(db)
  for (const s of staff) {
    if (userIds.has(s.username)) continue
    const user = await auth.createUser(actor, { username: s.username, displayName: s.displayName, password: s.password, role: s.role, storeId: s.storeCode ? storeIds.get(s.storeCode) ?? null : null, regionId: s.regionCode ? regionIds.get(s.regionCode) ?? null : null })
    userIds.set(s.username, user.id)
  }
  // HQ lets stores set their own desk-return limit; SH002's desk takes bigger returns on its own.
  const till = await services.receipts.getTillSettings(actor)
  if (till.storeOverridable.length === 0 && storeIds.has('SH002')) {
    await services.receipts.updateTillSettings(actor, { storeOverridable: ['returnApprovalAbove'] })
    await services.receipts.updateStoreTillSettings(actor, storeIds.get('SH002')!, { set: { returnApprovalAbove: 50_000 } })
  }

  let inserted = 0
  let done = 0
  const today = referenceDate.slice(0, 10)
  const flush = async (batch: DemoMember[]) => {
    const phones = batch.map((m) => keyring.blindIndex('phone', m.phone))
    const ids = batch.filter((m) => m.idNumber).map((m) => keyring.blindIndex('id_number', m.idNumber!))
    const taken = [
      ...(await membersByBlindIndex(db, 'phone', phones)),
      ...(await membersByBlindIndex(db, 'idNumber', ids)),
    ]
    const takenKeys = new Set(taken.flatMap((t) => [t.phoneIndex, t.idNumberIndex]).filter(Boolean))
    const fresh: BulkMember[] = []
    for (const m of batch) {
      if (takenKeys.has(keyring.blindIndex('phone', m.phone)) || (m.idNumber && takenKeys.has(keyring.blindIndex('id_number', m.idNumber)))) continue
      const { value, errors } = checkProfile({
        phone: m.phone, name: m.name, gender: m.gender, birthday: m.birthday, idNumber: m.idNumber, email: m.email, occupation: m.occupation,
        education: m.education, incomeBand: m.incomeBand, district: m.district, address: m.address,
      }, today)
      if (errors.length) throw new Error(`demo member ${m.phone} is invalid: ${JSON.stringify(errors)}`)
      fresh.push({
        value, storeId: storeIds.get(m.storeCode) ?? null, registeredBy: userIds.get(m.registeredByUsername) ?? null, channel: m.channel,
        registeredAt: m.registeredAt, consents: m.consents, consentSource: `registration:${m.channel}`,
      })
    }
    // Oldest first, so ids (time-ordered) and registration dates sort alike.
    fresh.sort((a, b) => (a.registeredAt ?? '').localeCompare(b.registeredAt ?? ''))
    if (fresh.length) await members.internals.insertMany(actor, fresh)
    inserted += fresh.length
    done += batch.length
    options.onProgress?.(done, count)
  }
  let batch: DemoMember[] = []
  const all: DemoMember[] = []
  for (const m of demoMembers({ count, seed, referenceDate })) {
    all.push(m)
    batch.push(m)
    if (batch.length >= BATCH) {
      await flush(batch)
      batch = []
    }
  }
  if (batch.length) await flush(batch)

  const products = demoProducts({ seed })
  const catalogue = await seedDemoProducts(services, actor, products)
  // The year ends at the reference date, or now if that is earlier: tills cannot post the future.
  const now = services.clock.now()
  const sold = await seedDemoReceipts(services, actor, {
    seed, products, members: all, stores: demoStores(), sales: options.receipts ?? Math.round(count * DEMO_RECEIPTS_PER_MEMBER),
    end: Date.parse(referenceDate) < now.getTime() ? referenceDate : now.toISOString(), onProgress: options.onReceiptProgress,
  })
  // Rewards: coupon templates (and a coupon for every member), gifts, a lucky draw and a rebate draft.
  const coupons = await seedDemoCoupons(services, actor)
  const gifts = await seedDemoGifts(services, actor)
  // …and uses them: coupons at the till, gifts redeemed (collected, cancelled, waiting), draw entries.
  const activity = await seedDemoActivity(services, actor, activityFor(count))
  const draw = await seedDemoDraws(services, actor, { entries: Math.min(300, Math.max(10, Math.round(count / 60))) })
  await seedDemoRebates(services, actor)
  // Tags (母婴人群, 高价值客户 …): the insight refresh evaluates them.
  await seedDemoTags(services, actor)
  // The service desk (服务): teams, categories' SLA, ~3 months of tickets in every state.
  const serviceDesk = await seedDemoServiceDesk(services, actor, { seed, tickets: Math.min(90, Math.max(12, Math.round(count / 100))) })
  // The suggestion box and the satisfaction surveys (a running one with answers, a closed one).
  const feedback = await seedDemoFeedback(services, actor, { seed })
  // Marketing (营销): message templates for the usual journeys and the SMS signature.
  const marketing = await seedDemoMarketing(services, actor)
  // 会员活动: a tasting last month (registrations, check-ins, what attendees bought after), next month's customer panel, a talk.
  const events = await seedDemoEvents(services, actor)
  // The 洞察 pages show figures, classes and tags at once, not after the first scheduled refresh.
  const insight = await services.insight.refresh({ full: true })
  // …and the member pages P(alive) and CLV (a small chain may be too few to fit: that is said).
  const clv = await services.clv.score(actor, {}).then((r) => ({ scored: r.scored, refused: null }), (e: unknown) => {
    if (isDomainError(e) && e.kind === 'unprocessable') return { scored: 0, refused: e.code }
    throw e
  })
  // …and the CLV page its holdout chart (the last 26 weeks), when there are enough buyers.
  await services.clv.check(actor, {}).catch((e: unknown) => {
    if (!(isDomainError(e) && e.kind === 'unprocessable')) throw e
  })
  // …and 关联规则 the rules of the last 90 days' baskets, by category.
  const mined = await services.rules.mine(actor, { level: 'category', minSupport: 0.02, maxLength: 3 })
  // …and the recommendation model, so the member page and the till suggest products at once.
  const model = await services.recommendations.build(actor, {})
  // …and the weekly forecast, with the coming Spring Festival's weeks in it.
  const forecast = await services.forecast.run(actor, {})
  // …and 营销活动 a win-back campaign sent through the sandbox (insight's 沉睡 members, a holdout), a member-day draft.
  const campaigns = await seedDemoCampaigns(services, actor)
  // …and 自动旅程 the usual journeys, active: welcome, birthday, win-back, points expiring, tier upgrade, first-purchase thanks.
  const journeys = await seedDemoJourneys(services, actor)
  // …and 个人信息保护 one member's erasure request in its cooling-off period.
  await seedDemoPrivacy(services, actor)
  await audit.record(db, actor, { action: 'demo.seed', entityType: 'chain', changes: { seed, members: count, inserted, products: catalogue.inserted, sales: sold.sales, returns: sold.returns } })
  return {
    stores: storeIds.size, staff, membersInserted: inserted, productsInserted: catalogue.inserted,
    sales: sold.sales, returns: sold.returns, receiptsFailed: sold.failed, receiptErrors: sold.errors,
    rewards: { templates: coupons.templates, coupons: coupons.issued, gifts: gifts.created },
    activity: { ...activity, drawEntries: draw.entries },
    insight: { asOf: insight.asOf, members: insight.members },
    clv,
    rules: { baskets: mined.run.baskets, rules: mined.run.rules },
    recommendations: { baskets: model.baskets, products: model.products, neighbours: model.neighbours },
    forecast: { series: forecast.series, skipped: forecast.skipped, seconds: forecast.seconds },
    serviceDesk,
    feedback,
    events,
    marketing: { ...marketing, campaigns, journeys },
  }
}
