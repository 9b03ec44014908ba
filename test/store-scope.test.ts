import { createHash } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from './context.js'
import { testEngine } from './db.js'
import { sale } from './receipts.js'

/**
 * The store-scope matrix: every operation of the OpenAPI document that names an entity (in its
 * path, or a store in its query), called by each store-scoped role of store A — store manager,
 * cashier, service desk, a till's key, and the manager of store A's region (which store B is not
 * in) — on an entity of store B, answers 403 or 404 and
 * changes nothing. The operations that are chain-wide for store roles on purpose are listed
 * below with the reason; a new operation fails here until it is placed.
 */

const context = useTestContext()
let t: TestContext
const ROLES = ['store_manager', 'cashier', 'service_agent', 'pos', 'region_manager'] as const
type Who = (typeof ROLES)[number] | 'hq_admin'
const auth: Partial<Record<Who, Record<string, string>>> = {}

/** Store B's entities, and the strings that mark them in an answer. */
const B: Record<string, string> = {}
let markers: string[] = []

/**
 * Chain-wide on purpose: what a store's staff and tills may do for any member or read of the
 * chain. `scopedList`: the path names a chain-wide entity (a template, a draw), the answer
 * lists only the store's own members' data.
 */
const CHAIN_WIDE: Record<string, { reason: string; scopedList?: true }> = {
  'GET /members/{id}': { reason: 'members shop everywhere: any till looks up and serves any member' },
  'PATCH /members/{id}': { reason: 'a till or desk updates the profile of the member it serves, wherever registered' },
  'PUT /members/{id}/consents/{channel}': { reason: 'a member gives or withdraws consent at any store' },
  'GET /members/{id}/consents/history': { reason: "part of the member's page, served at any store" },
  'GET /members/{id}/points': { reason: 'the till reads the points a member pays with, at any store' },
  'GET /members/{id}/points/entries': { reason: "part of the member's page, served at any store" },
  'GET /members/{id}/points/lots': { reason: "part of the member's page, served at any store" },
  'GET /members/{id}/tier-history': { reason: "part of the member's page, served at any store" },
  'GET /members/{id}/receipts': { reason: "the member's own receipts, shown to the desk serving the member" },
  'GET /members/{id}/coupons': { reason: 'the till redeems the coupons of the member it serves (codes are for those serving the member)' },
  'GET /members/{id}/gift-orders': { reason: "the member's orders, from every store, on the member's page" },
  'POST /members/{id}/gift-orders': { reason: 'any store redeems gifts for the member it serves, picked up at that store' },
  'GET /members/{id}/gift-options': { reason: 'what the serving store can offer the member' },
  'GET /members/{id}/draw-entries': { reason: "the member's draw entries, on the member's page" },
  'POST /draws/{id}/entries': { reason: 'any till enters the member it serves into a chain-wide draw' },
  'GET /coupons/by-code/{code}': { reason: "the till scans the code the member shows: holding the code is the member's consent" },
  'GET /products/{id}': { reason: 'the catalogue is chain-wide' },
  'GET /products/{id}/bought-together': { reason: "the catalogue is chain-wide; a store's staff count what is bought with a product in their own store's sales", scopedList: true },
  'GET /products/by-sku/{sku}': { reason: 'the catalogue is chain-wide' },
  'GET /products/by-barcode/{barcode}': { reason: 'the catalogue is chain-wide' },
  'GET /stores/{id}': { reason: 'the store directory is chain-wide (names and addresses)' },
  'GET /gifts/{id}': { reason: 'the gift catalogue is chain-wide' },
  'GET /gifts/{id}/picture': { reason: 'the gift catalogue is chain-wide' },
  'GET /coupon-templates/{id}': { reason: 'templates are chain-wide campaigns' },
  'GET /draws/{id}': { reason: 'draws are chain-wide campaigns' },
  'GET /draws/{id}/report': { reason: "a campaign's figures: a store's manager's count their own store's members only" },
  'GET /rebate-programmes/{id}': { reason: 'programmes are chain-wide' },
  'GET /members/{id}/profile': { reason: "the member's profile (tags, classes, preferences), on the member's page served at any store" },
  'GET /members/{id}/tags': { reason: "the member's tags, on the member's page served at any store" },
  'GET /members/{id}/tag-events': { reason: "the member's tag history, on the member's page served at any store" },
  'GET /insight/jobs/{id}': { reason: "an analytics job is the chain's (a forecast, a model build): its status and counts, for the page that queued it" },
  'GET /members/{id}/recommendations': { reason: "the member's suggested products, on the member's page and at the till of any store" },
  'GET /insight/tags/{id}': { reason: "tag definitions are the chain's (HQ defines them; a store's staff read them)" },
  'PATCH /insight/tags/{id}': { reason: "tag definitions are the chain's: HQ changes them (insight.manage), no store role may" },
  'GET /coupon-templates/{id}/coupons': { reason: "a template's coupons: the store's own members' only, codes masked for tills", scopedList: true },
  'GET /coupon-templates/{id}/issues': { reason: "a template's bulk issues: the store's own runs only", scopedList: true },
  'GET /draws/{id}/entries': { reason: "a draw's entries: the store's own members' only", scopedList: true },
  'GET /rebate-programmes/{id}/preview': { reason: "a programme's preview: the store's own members only", scopedList: true },
  'GET /members/{id}/tickets': { reason: "the member's tickets on the member's page: the store's own tickets only", scopedList: true },
  'GET /members/{id}/suggestions': { reason: "the member's suggestions on the member's page: the store's own suggestions only", scopedList: true },
  'GET /members/{id}/survey-responses': { reason: "the member's survey answers on the member's page: the store's own (and the chain link's) only", scopedList: true },
  'GET /surveys/{id}': { reason: "surveys are the chain's (HQ builds them; a store's staff read them)" },
  'GET /surveys/{id}/links': { reason: "a survey's QR links: the chain's and the store's own only", scopedList: true },
  'GET /surveys/{id}/invitations': { reason: "a chain survey's invitation counts (numbers only)" },
  'GET /surveys/{id}/results': { reason: "a chain survey's results: the store's own answers only", scopedList: true },
  'GET /surveys/{id}/results/texts': { reason: "a chain survey's free-text answers: the store's own only", scopedList: true },
  'GET /surveys/{id}/results/export.xlsx': { reason: "a chain survey's results: the store's own answers only" },
  'GET /members/{id}/events': { reason: "the member's events on the member's page: the store's own events only", scopedList: true },
}

/**
 * Lists without a path parameter whose answer may name store B's entities (none today): every
 * other list answered to a store role must not mention them.
 */
const CHAIN_WIDE_LISTS: Record<string, string> = {}

/** Operations outside this matrix, with the reason. */
const ELSEWHERE: Record<string, string> = {
  'POST /pos/receipts': "the till posts for its own store only (receipts tests); a sale names its member, served anywhere",
  'POST /pos/returns': 'a return is matched to a sale of the same store (receipts tests)',
  'POST /pos/batches': 'as sales and returns',
  'POST /pos/quote': 'changes nothing; prices a basket for the member being served',
  'POST /jobs/{id}/retry': "the job queue is the chain's, for the HQ admin only (jobs.manage; outbox routes tests)",
  'DELETE /jobs/{id}': "the job queue is the chain's, for the HQ admin only (jobs.manage; outbox routes tests)",
  'GET /insight/segments/{id}/compare': 'needs two snapshots in its query; the other segment routes here show a store B segment refused (segments routes tests too)',
  'GET /public/surveys/{token}': 'public (no sign-in): the token is the authority, no store scope (feedback routes tests)',
  'POST /public/surveys/{token}/responses': 'public (no sign-in): the token is the authority, no store scope (feedback routes tests)',
  'POST /public/marketing/receipts/{kind}': "public (no sign-in): a provider's delivery receipts, proven by its token or HMAC, no store scope (marketing channels routes tests)",
  'GET /public/marketing/receipts/{kind}': "public (no sign-in): WeChat's check of the callback URL, proven by its signature, no store scope (marketing channels routes tests)",
  'GET /public/marketing/o/{token}': "public (no sign-in): a tracked email's open pixel; the signed token is the authority, no store scope (marketing channels tracking tests)",
  'GET /public/marketing/c/{token}': "public (no sign-in): a tracked email's link; the signed token is the authority, no store scope (marketing channels tracking tests)",
  'POST /public/marketing/inbound/{kind}': "public (no sign-in): a provider's inbound SMS (unsubscribe replies), proven by its token or HMAC, no store scope (marketing unsubscribe tests)",
  'GET /public/marketing/unsubscribe/{token}': 'public (no sign-in): the signed unsubscribe token is the authority, no store scope (marketing unsubscribe tests)',
  'POST /public/marketing/unsubscribe/{token}': 'public (no sign-in): the signed unsubscribe token is the authority, no store scope (marketing unsubscribe tests)',
}

const as = (who: Who, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })

/** Every table's rows, less what every request touches (sessions, throttles, a key's last use). */
const digest = async (): Promise<Record<string, string>> => {
  const db = t.services.db
  const tables = testEngine() === 'postgres'
    ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db)).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows
  const skip = new Set(['sessions', 'login_throttle', 'member_lookup_counts', 'job_runs'])
  const names = tables.map((r) => r.name).filter((name) => !skip.has(name) && !name.startsWith('kysely_'))
  const hashes = await Promise.all(names.map(async (name) => {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !k.startsWith('last_')).map(([k, v]) => [k, String(v)]))).sort()
    return createHash('sha256').update(lines.join('\n')).digest('hex')
  }))
  return Object.fromEntries(names.map((n, i) => [n, hashes[i]!]))
}

const tryJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

beforeAll(async () => {
  t = await context()
  const s = t.services
  const hq = t.actors.hq_admin
  for (const who of ['store_manager', 'cashier', 'service_agent', 'hq_admin'] as const) auth[who] = { cookie: await t.login(t.users[who]!.username) }
  auth.pos = { authorization: `Bearer ${(await s.auth.createPosKey(hq, { storeId: t.stores.a, name: 'A 1号收银台' })).key}` }
  // Store A's region (with a second store of its own), and its manager; store B is in no region.
  const east = await s.org.createRegion(hq, { code: 'EAST', name: '华东区' })
  await s.org.updateStore(hq, t.stores.a, { regionId: east.id })
  await s.org.updateStore(hq, await t.given.store({ code: 'SHA02', name: '上海徐汇店' }), { regionId: east.id })
  auth.region_manager = { cookie: await t.login((await t.given.staff('region_manager', null, east.id)).username) }

  // Store B: members with points, a sale, a coupon, a gift order, a draw entry, a bulk issue, staff and a till key.
  await s.catalog.create(hq, { sku: 'SC-1', name: '金龙鱼大米 5kg', listPrice: 5990, memberPrice: 4990, pointsEligible: true, barcode: '6901234567892' } as never)
  const product = await s.db.selectFrom('products').select('id').where('sku', '=', 'SC-1').executeTakeFirstOrThrow()
  const member = await t.given.member({ by: t.actors.cashierB })
  const other = await t.given.member({ by: t.actors.cashierB })
  await s.loyalty.adjust(hq, { memberId: member.id, points: 5000, reason: '测试积分' })
  const sold = sale({ lines: [['SC-1', 2, 4990]], member: { id: member.id } })
  const posted = await s.receipts.postSale(t.actors.managerB, sold)
  // A desk return above HQ's limit waits for store B's manager.
  await s.receipts.updateTillSettings(hq, { returnApprovalAbove: 100 })
  const held = await s.receipts.postReturn(t.actors.serviceB, { receiptNo: `${sold.receiptNo}-R`, originalReceiptNo: sold.receiptNo, businessAt: '2026-03-02T01:30:00.000Z', reason: 'quality' })
  expect(held.result.status).toBe('awaiting_approval')
  const template = await s.coupons.createTemplate(t.actors.hq_marketing, { name: '满100减20', kind: 'threshold', value: 2000, minSpend: 10000, validDays: 30 } as never)
  const coupon = await s.coupons.issueOne(t.actors.managerB, { templateId: template.id, memberId: member.id })
  const run = await s.coupons.issueBulk(t.actors.managerB, { templateId: template.id, issueKey: 'b-run', keys: [other.cardNo] })
  const gift = await s.gifts.create(t.actors.hq_marketing, { name: '雨伞', pointsPrice: 200, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 5 }] } as never)
  await s.gifts.setPicture(t.actors.hq_marketing, gift.id, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64').toString('base64'))
  const order = await s.gifts.redeem(t.actors.cashierB, { memberId: member.id, giftId: gift.id })
  const draw = await s.draws.create(t.actors.hq_marketing, {
    name: '三月抽奖', startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-04-01T00:00:00+08:00', entryPoints: 10, noPrizeWeight: 1,
    prizes: [{ name: '20积分', kind: 'points', points: 20, stock: 3, weight: 1 }],
  } as never)
  await s.draws.activate(t.actors.hq_marketing, draw.id)
  const entry = await s.draws.enter(t.actors.cashierB, draw.id, { memberId: member.id })
  const programme = await s.rebates.create(t.actors.hq_marketing, {
    name: '年终返利', periodFrom: '2026-01-01', periodTo: '2026-02-28', basis: 'spend', brackets: [{ min: 100, rateBp: 100, fixed: 0 }], reward: 'points',
  } as never)
  const staffB = await t.given.staff('cashier', t.stores.b)
  const keyB = await s.auth.createPosKey(hq, { storeId: t.stores.b, name: 'B 1号收银台' })
  // A manual tag store B's manager put on its member, and store B's own segment with a snapshot.
  const tag = await s.tags.create(hq, { name: '投诉关注', kind: 'manual' })
  await s.tags.attach(t.actors.managerB, member.id, { tagId: tag.id })
  const segment = await s.segments.create(t.actors.managerB, { name: 'B 店女性会员', definition: { field: 'gender', op: 'in', value: ['female'] }, snapshot: true })
  // A store B complaint with a photo, and store B's service team.
  const ticket = await s.tickets.create(t.actors.cashierB, { memberId: member.id, categoryId: 'scg_default01', description: '牛奶过期' })
  const photo = await s.tickets.addPhoto(t.actors.cashierB, ticket.id, { bytes: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64') })
  const team = await s.tickets.createTeam(hq, { name: 'B 店服务组', kind: 'store', storeId: t.stores.b })
  // A suggestion at store B's desk, and an answer to a chain survey from store B's QR link.
  const suggestion = await s.suggestions.create(t.actors.serviceB, { category: 'service', text: 'B店收银台太少', memberId: member.id })
  const survey = await s.surveys.create(t.actors.hq_marketing, { title: '满意度', questions: [{ id: 'csat', kind: 'rating', label: '满意度' }, { id: 'text', kind: 'text', label: '建议' }] })
  await s.surveys.open(t.actors.hq_marketing, survey.id)
  const surveyLinkB = (await s.surveys.links(hq, survey.id)).find((l) => l.storeId === t.stores.b)!.token
  const response = await s.surveys.respond(surveyLinkB, { answers: [{ questionId: 'csat', value: 2 }, { questionId: 'text', text: 'B店排队太久' }] })
  // An analytics job (chain-wide: a forecast HQ queued).
  const job = await s.outbox.enqueue(s.db, 'analytics.forecastSales', {})
  // A store B member event (会员活动) with the member registered at its desk.
  const event = await s.memberEvents.create(t.actors.hq_marketing, { title: 'B 店顾客座谈会', kind: 'panel', storeId: t.stores.b, startsAt: '2026-03-10T06:00:00.000Z', endsAt: '2026-03-10T08:00:00.000Z', capacity: 20 })
  await s.memberEvents.open(t.actors.hq_marketing, event.id)
  const registration = await s.memberEvents.register(t.actors.managerB, event.id, { memberId: member.id })

  Object.assign(B, {
    member: member.id, other: other.id, card: member.cardNo, otherCard: other.cardNo, receipt: posted.result.receiptId, coupon: coupon.id, code: coupon.code,
    template: template.id, run: run.id, gift: gift.id, order: order.id, draw: draw.id, entry: entry.id, programme: programme.id, staff: staffB.id,
    staffName: staffB.username, key: keyB.id, product: product.id, store: t.stores.b, approval: held.result.approvalId!,
    tag: tag.id, segment: segment.id, snapshot: segment.snapshot!.id, job: job!,
    ticket: ticket.id, ticketPhoto: photo.id, team: team.id,
    suggestion: suggestion.id, survey: survey.id, surveyLinkB, surveyResponse: response.id,
  })
  markers = [B.member!, B.other!, B.card!, B.otherCard!, B.receipt!, B.coupon!, B.code!, B.run!, B.order!, B.entry!, B.staffName!, B.key!, B.approval!]
  markers.push(B.ticket!, B.team!)
  markers.push(B.suggestion!, suggestion.number, B.surveyLinkB!, B.surveyResponse!, 'B店排队太久')
  B.event = event.id
  markers.push(event.id, registration.id)
  // A store B member's request to be erased (PIPL), waiting out the cooling-off at store B's desk.
  const erasure = await s.privacy.requestErasure(t.actors.serviceB, other.id, { reason: 'B店顾客要求注销' })
  B.erasure = erasure.id
  markers.push(erasure.id, 'B店顾客要求注销')
})

/** The value of each path parameter: store B's entity of that route. */
const paramsFor = (path: string): Record<string, string> | null => {
  const rules: Array<[RegExp, Record<string, () => string>]> = [
    [/^\/members\/\{id\}\/consents\/\{channel\}$/, { id: () => B.member!, channel: () => 'sms' }],
    [/^\/members\/\{id\}\/tags\/\{tagId\}$/, { id: () => B.member!, tagId: () => B.tag! }],
    [/^\/members\/\{id\}/, { id: () => B.member! }],
    [/^\/receipts\/\{id\}/, { id: () => B.receipt! }],
    [/^\/coupons\/by-code\/\{code\}$/, { code: () => B.code! }],
    [/^\/coupons\/\{id\}/, { id: () => B.coupon! }],
    [/^\/coupon-templates\/\{id\}/, { id: () => B.template! }],
    [/^\/gift-orders\/\{id\}/, { id: () => B.order! }],
    [/^\/gifts\/\{id\}/, { id: () => B.gift! }],
    [/^\/draws\/\{id\}\/prizes\/\{prizeId\}/, { id: () => B.draw!, prizeId: () => 'dpz_any' }],
    [/^\/draws\/\{id\}/, { id: () => B.draw! }],
    [/^\/rebate-programmes\/\{id\}/, { id: () => B.programme! }],
    [/^\/stores\/\{id\}/, { id: () => B.store! }],
    [/^\/staff\/\{id\}/, { id: () => B.staff! }],
    [/^\/pos-keys\/\{id\}/, { id: () => B.key! }],
    [/^\/products\/by-sku\/\{sku\}$/, { sku: () => 'SC-1' }],
    [/^\/products\/by-barcode\/\{barcode\}$/, { barcode: () => '6901234567892' }],
    [/^\/products\/\{id\}/, { id: () => B.product! }],
    [/^\/return-approvals\/\{id\}/, { id: () => B.approval! }],
    [/^\/privacy\/erasure-requests\/\{id\}/, { id: () => B.erasure! }],
    // HQ's alone (their permission refuses every store role): any value will do.
    [/^\/(member-imports|receipt-imports)\/\{id\}/, { id: () => 'imp_any' }],
    [/^\/insight\/kpi-targets\/\{id\}/, { id: () => 'kpt_any' }],
    [/^\/insight\/tags\/\{id\}/, { id: () => B.tag! }],
    [/^\/insight\/segments\/\{id\}\/snapshots\/\{snapshotId\}/, { id: () => B.segment!, snapshotId: () => B.snapshot! }],
    [/^\/insight\/segments\/\{id\}/, { id: () => B.segment! }],
    [/^\/loyalty\/rules\/\{key\}/, { key: () => 'base' }],
    [/^\/insight\/jobs\/\{id\}$/, { id: () => B.job! }],
    [/^\/tickets\/\{id\}\/photos\/\{photoId\}$/, { id: () => B.ticket!, photoId: () => B.ticketPhoto! }],
    [/^\/tickets\/\{id\}/, { id: () => B.ticket! }],
    [/^\/service\/teams\/\{id\}\/members\/\{userId\}$/, { id: () => B.team!, userId: () => B.staff! }],
    [/^\/service\/teams\/\{id\}/, { id: () => B.team! }],
    [/^\/suggestions\/\{id\}$/, { id: () => B.suggestion! }],
    [/^\/surveys\/\{id\}/, { id: () => B.survey! }],
    // The desk's categories and SLA policies are HQ's (service.manage refuses every store role).
    [/^\/service\/(categories|sla-policies)\/\{id\}$/, { id: () => 'scg_default01' }],
    // Marketing's providers and message log are HQ's (marketing.read and .manage refuse every store role).
    [/^\/marketing\/providers\/\{channel\}/, { channel: () => 'sms' }],
    [/^\/marketing\/messages\/\{id\}$/, { id: () => 'msg_any' }],
    [/^\/marketing\/templates\/\{id\}$/, { id: () => 'mtp_any' }],
    [/^\/marketing\/campaigns\/\{id\}/, { id: () => 'cmp_any' }],
    [/^\/marketing\/journeys\/\{id\}/, { id: () => 'jny_any' }],
    [/^\/marketing\/events\/\{id\}\/registrations\/\{memberId\}/, { id: () => B.event!, memberId: () => B.member! }],
    [/^\/(marketing|pos)\/events\/\{id\}/, { id: () => B.event! }],
  ]
  const rule = rules.find(([re]) => re.test(path))
  if (!rule) return null
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
  const out: Record<string, string> = {}
  for (const n of names) {
    const value = rule[1][n]
    if (!value) return null
    out[n] = value()
  }
  return out
}

/** A valid body, so a refusal is the scope's and not the schema's. */
const bodyFor = (key: string): unknown => {
  const bodies: Record<string, () => unknown> = {
    'POST /members/{id}/points/adjustments': () => ({ points: 10, reason: '测试调整' }),
    'POST /members/{id}/coupons': () => ({ templateId: B.template }),
    'POST /coupons/{id}/void': () => ({ reason: '测试作废' }),
    'POST /coupon-templates/{id}/issues': () => ({ issueKey: 'a-run', keys: [B.card] }),
    'POST /gift-orders/{id}/cancel': () => ({ reason: '测试取消' }),
    'POST /members/{id}/reveal': () => ({}),
    'POST /members/{id}/freeze': () => ({ reason: '测试冻结' }),
    'PATCH /members/{id}': () => ({ district: '朝阳区' }),
    'PUT /members/{id}/consents/{channel}': () => ({ granted: true }),
    'POST /members/{id}/gift-orders': () => ({ giftId: B.gift }),
    'POST /draws/{id}/entries': () => ({ memberId: B.member }),
    'PATCH /staff/{id}': () => ({ displayName: '改名' }),
    'POST /staff/{id}/password': () => ({ password: 'Zq8-vortex-Plum-41' }),
    'POST /return-approvals/{id}/approve': () => ({}),
    'POST /return-approvals/{id}/reject': () => ({ note: '不予退货' }),
    'POST /members/{id}/tags': () => ({ tagId: B.tag }),
    'PATCH /insight/segments/{id}': () => ({ name: '改名', definition: { field: 'gender', op: 'in', value: ['male'] } }),
    'POST /insight/segments/{id}/coupons': () => ({ templateId: B.template }),
    'POST /tickets/{id}/assign': () => ({ teamId: B.team, reason: '转交处理' }),
    'POST /tickets/{id}/notes': () => ({ body: '内部备注' }),
    'POST /tickets/{id}/replies': () => ({ body: '已答复', channel: 'phone' }),
    'POST /tickets/{id}/resolve': () => ({ outcome: '已处理' }),
    'POST /tickets/{id}/reopen': () => ({ reason: '重新处理' }),
    'POST /tickets/{id}/close': () => ({ reason: '重复登记' }),
    'POST /tickets/{id}/compensations': () => ({ kind: 'points', points: 10, requestKey: 'scope' }),
    'POST /tickets/{id}/follow-up': () => ({ reached: false }),
    'PATCH /service/teams/{id}': () => ({ name: '改名' }),
    'POST /service/teams/{id}/members': () => ({ userId: B.staff }),
    'PATCH /service/categories/{id}': () => ({ name: '改名' }),
    'PATCH /suggestions/{id}': () => ({ reply: '感谢建议' }),
    'PATCH /surveys/{id}': () => ({ title: '改名' }),
    'POST /surveys/{id}/invitations': () => ({ segmentId: B.segment }),
    'PATCH /marketing/events/{id}': () => ({ version: 2, capacity: 30 }),
    'POST /marketing/events/{id}/registrations': () => ({ memberId: B.other }),
    'POST /marketing/events/{id}/registrations/{memberId}/cancel': () => ({ reason: '测试取消' }),
    'POST /marketing/events/{id}/check-ins': () => ({ memberId: B.member }),
    'POST /pos/events/{id}/registrations': () => ({ memberId: B.other }),
    'PUT /stores/{id}/till-settings': () => ({ inherit: ['scaleLayout'] }),
  }
  return bodies[key]?.()
}

interface Operation { method: string; path: string; key: string; query: string[]; hasBody: boolean }

const operations = async (): Promise<Operation[]> => {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>>
  }
  const out: Operation[] = []
  for (const [full, ops] of Object.entries(doc.paths)) {
    if (!full.startsWith('/api/v1/')) continue
    const path = full.slice('/api/v1'.length)
    // The member's own page: no staff cookie opens it, and it reaches only the signed-in member's
    // data whatever the store (portal tests: another member's complaint, a staff cookie, ids).
    if (path === '/me' || path.startsWith('/me/')) continue
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      const m = method.toUpperCase()
      out.push({ method: m, path, key: `${m} ${path}`, query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), hasBody: op.requestBody !== undefined })
    }
  }
  return out
}

const call = (who: Who, op: Operation, params: Record<string, string>, query: Record<string, string> = {}) => {
  const url = `/api/v1${op.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(params[n]!))}`
  const body = bodyFor(op.key)
  return as(who, {
    method: op.method as InjectOptions['method'], url, query,
    ...(body !== undefined ? { payload: body as object } : op.hasBody && op.method !== 'GET' ? { payload: {} } : {}),
  })
}

describe('store scope: store A\'s roles on store B\'s entities', () => {
  it('places every operation that names an entity: in the matrix, chain-wide with a reason, or tested elsewhere', async () => {
    const all = await operations()
    const unplaced = all.filter((op) => op.path.includes('{') && !ELSEWHERE[op.key] && paramsFor(op.path) === null).map((op) => op.key)
    expect(unplaced, 'give these routes store B\'s entity in paramsFor (or a reason in CHAIN_WIDE/ELSEWHERE)').toEqual([])
    for (const key of [...Object.keys(CHAIN_WIDE), ...Object.keys(ELSEWHERE)]) {
      expect(all.some((op) => op.key === key), `${key} is listed but no longer exists`).toBe(true)
    }
  })

  // Before the matrix: its chain-wide calls make store A's own orders and entries for store B's member.
  it('lists nothing of another store to a store role', async () => {
    const failures: string[] = []
    for (const op of await operations()) {
      if (op.method !== 'GET' || op.path.includes('{') || CHAIN_WIDE_LISTS[op.key] || op.path.endsWith('/fields')) continue
      for (const who of ROLES) {
        const res = await call(who, op, {})
        if (res.statusCode >= 300) continue
        const leaked = markers.filter((m) => res.body.includes(m))
        if (leaked.length) failures.push(`${who} ${op.key} names store B's ${leaked.join(', ')}`)
      }
    }
    expect(failures).toEqual([])
  }, 120_000)

  it('answers 403 or 404 on another store\'s entity, and changes nothing', async () => {
    const failures: string[] = []
    let refused = 0
    let after = await digest()
    for (const op of await operations()) {
      if (!op.path.includes('{') || ELSEWHERE[op.key]) continue
      const params = paramsFor(op.path)
      if (!params) continue
      for (const who of ROLES) {
        const before = after
        const res = await call(who, op, params)
        after = await digest()
        const body = tryJson(res.body) as { error?: { code?: string } }
        const allowed = CHAIN_WIDE[op.key]
        const label = `${who} ${op.key} → ${res.statusCode} ${res.body.slice(0, 160)}`
        if (!allowed) {
          if (res.statusCode !== 403 && res.statusCode !== 404) failures.push(`${label} (expected 403 or 404)`)
          else refused++
          const changed = Object.keys(before).filter((k) => before[k] !== after[k])
          if (changed.length) failures.push(`${label} changed ${changed.join(', ')}`)
          continue
        }
        // Chain-wide: answered (or refused by the role's permission, never by a crash or a 4xx of the input).
        const byPermission = res.statusCode === 403 && body.error?.code === 'FORBIDDEN'
        // A region manager names the store where a store is needed (a gift's pick-up): asked for it, not refused.
        const storeAsked = who === 'region_manager' && res.statusCode === 422 && body.error?.code === 'STORE_REQUIRED'
        if (res.statusCode >= 300 && !byPermission && !storeAsked) failures.push(`${label} (chain-wide: expected an answer — ${allowed.reason})`)
        if (allowed.scopedList && res.statusCode < 300) {
          const leaked = markers.filter((m) => res.body.includes(m))
          if (leaked.length) failures.push(`${label} lists store B's ${leaked.join(', ')}`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(refused).toBeGreaterThan(50)
  }, 300_000)

  it('refuses a list of another store (storeId in the query) with 403, and changes nothing', async () => {
    const failures: string[] = []
    let checked = 0
    for (const op of await operations()) {
      if (op.method !== 'GET' || op.path.includes('{')) continue
      for (const field of op.query.filter((q) => q === 'storeId' || q === 'pickupStoreId')) {
        for (const who of ROLES) {
          const before = await digest()
          const res = await call(who, op, {}, { [field]: B.store! })
          const after = await digest()
          checked++
          if (res.statusCode !== 403) failures.push(`${who} ${op.key}?${field}=B → ${res.statusCode} ${res.body.slice(0, 120)}`)
          if (Object.keys(before).some((k) => before[k] !== after[k])) failures.push(`${who} ${op.key}?${field}=B changed the data`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(checked).toBeGreaterThan(8)
  }, 120_000)

  it('refuses the management actions the probe found open, with OUT_OF_STORE_SCOPE', async () => {
    const cases: Array<[Who, InjectOptions]> = [
      ['cashier', { method: 'GET', url: `/api/v1/receipts/${B.receipt}` }],
      ['store_manager', { method: 'GET', url: `/api/v1/receipts/${B.receipt}` }],
      ['store_manager', { method: 'POST', url: `/api/v1/members/${B.member}/points/adjustments`, payload: { points: 10, reason: '测试调整' } }],
      ['service_agent', { method: 'POST', url: `/api/v1/members/${B.member}/points/adjustments`, payload: { points: -10, reason: '测试调整' } }],
      ['store_manager', { method: 'POST', url: `/api/v1/members/${B.member}/coupons`, payload: { templateId: B.template } }],
      ['service_agent', { method: 'POST', url: `/api/v1/coupons/${B.coupon}/void`, payload: { reason: '测试作废' } }],
      ['store_manager', { method: 'POST', url: `/api/v1/coupon-templates/${B.template}/issues`, payload: { issueKey: 'a-run-2', keys: [B.card] } }],
      ['store_manager', { method: 'POST', url: `/api/v1/return-approvals/${B.approval}/approve`, payload: {} }],
    ]
    for (const [who, options] of cases) {
      const res = await as(who, options)
      expect(res.statusCode, `${who} ${options.method} ${options.url}`).toBe(403)
      expect(res.json().error.code, `${who} ${options.method} ${options.url}`).toBe('OUT_OF_STORE_SCOPE')
    }
    const bulk = await as('store_manager', { method: 'POST', url: `/api/v1/coupon-templates/${B.template}/issues`, payload: { issueKey: 'a-run-3', keys: ['13800000000', B.card] } })
    expect(bulk.json().error.details).toEqual([{ field: 'keys.1', reason: 'a member of another store' }])
  })

  it('shows a template\'s coupon codes to those who issue coupons, masked to tills and cashiers', async () => {
    const own = await t.given.member({ by: t.actors.cashier })
    const mine = await t.services.coupons.issueOne(t.actors.store_manager, { templateId: B.template!, memberId: own.id })
    const codes = async (who: Who) => ((await as(who, { method: 'GET', url: `/api/v1/coupon-templates/${B.template}/coupons` })).json().items as Array<{ id: string; code: string }>)
    expect((await codes('store_manager')).map((c) => c.code)).toEqual([mine.code])
    for (const who of ['cashier', 'pos'] as const) {
      const list = await codes(who)
      expect(list.map((c) => c.id)).toEqual([mine.id])
      expect(list[0]!.code).toBe(`************${mine.code.slice(-4)}`)
    }
    expect((await codes('hq_admin')).map((c) => c.code).sort()).toEqual([B.code, mine.code, (await t.services.coupons.memberCoupons(t.actors.hq_admin, B.other!))[0]!.code].sort())
  })

  it("reports a campaign to a store's manager with their own store's members only, as the liability report", async () => {
    const own = await t.given.member({ by: t.actors.cashier })
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: own.id, points: 100, reason: '测试积分' })
    await t.services.coupons.issueOne(t.actors.store_manager, { templateId: B.template!, memberId: own.id })
    await t.services.draws.enter(t.actors.cashier, B.draw!, { memberId: own.id })
    const count = async (table: 'coupons' | 'draw_entries', column: 'template_id' | 'draw_id', id: string, storeId: string | null) => {
      let q = t.services.db.selectFrom(table).innerJoin('members', 'members.id', `${table}.member_id`).where(`${table}.${column}` as never, '=', id as never)
      if (storeId) q = q.where('members.registration_store_id', '=', storeId)
      return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    }
    const [chain] = await t.services.coupons.report(t.actors.hq_admin, { templateId: B.template! })
    const [store] = await t.services.coupons.report(t.actors.store_manager, { templateId: B.template! })
    expect(chain!.issued).toBe(await count('coupons', 'template_id', B.template!, null))
    expect(store!.issued).toBe(await count('coupons', 'template_id', B.template!, t.stores.a))
    expect(store!.issued).toBeLessThan(chain!.issued)
    const drawChain = await t.services.draws.report(t.actors.hq_admin, B.draw!)
    const drawStore = await t.services.draws.report(t.actors.store_manager, B.draw!)
    expect(drawChain.entries).toBe(await count('draw_entries', 'draw_id', B.draw!, null))
    expect(drawStore.entries).toBe(await count('draw_entries', 'draw_id', B.draw!, t.stores.a))
    expect(drawStore.entries).toBeLessThan(drawChain.entries)
  })
})
