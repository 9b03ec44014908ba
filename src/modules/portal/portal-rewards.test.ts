import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'
import type { Tier } from '../loyalty/index.js'
import { tierProgress } from './portal-rewards.service.js'

/**
 * The member's page (issue 17 §2): tier progress, gifts for points (a double tap redeems once),
 * lucky draws, the profile the member edits, and the WeChat binding; always the signed-in
 * member's, through the same services and rules as the desk.
 */
// On PostgreSQL the pool has 12 connections, so the double taps below really race.
const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

/** A member signed in on their page with the code of the text message: the member and the cookie. */
const signedIn = async (input: { idNumber?: string } = {}) => {
  const phone = nextPhone()
  const member = await t.given.member({ phone, ...input })
  await t.services.portalAuth.requestCode({ phone, ip: null })
  const sms = await t.services.db.selectFrom('messages').select('body').where('member_id', '=', member.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  const { token } = await t.services.portalAuth.login({ phone, code: /(\d{6})/.exec(sms.body)![1]!, ip: null, userAgent: null })
  return { member, cookie: `patron_member=${token}` }
}

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) })
const givePoints = (memberId: string, points: number) => t.services.loyalty.adjust(t.actors.hq_admin, { memberId, points, reason: '测试积分' })
const balance = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const ledgerKinds = async (memberId: string) => (await t.services.loyalty.entries(t.actors.hq_admin, memberId)).items.map((e) => [e.kind, e.points])

describe('tier progress', () => {
  const tier = (code: string, rank: number, threshold: number): Tier => ({ code, name: code, rank, threshold, earnFactorPct: 100, memberPrices: true })
  const ladder = [tier('regular', 0, 0), tier('silver', 1, 200_000), tier('gold', 2, 800_000)]

  it.each([
    ['a regular member a quarter of the way', ladder[0]!, 50_000, null, { next: 'silver', missing: 150_000, progress: 0.25, keep: null }],
    ['a silver member on the way to gold', ladder[1]!, 400_000, null, { next: 'gold', missing: 400_000, progress: 0.5, keep: null }],
    ['a value past the next threshold before the evaluation', ladder[0]!, 300_000, null, { next: 'silver', missing: 0, progress: 1, keep: null }],
    ['the top tier', ladder[2]!, 900_000, null, { next: null, missing: null, progress: 1, keep: null }],
    ['a gold member below the threshold, not evaluated yet', ladder[2]!, 500_000, null,
      { next: null, missing: null, progress: 1, keep: { missing: 300_000, belowSince: null, downgradeAt: null, downgradeTo: { code: 'silver', name: 'silver' } } }],
    ['a gold member below since an evaluation: down after the grace', ladder[2]!, 100_000, '2026-03-01T00:00:00.000Z',
      { next: null, missing: null, progress: 1, keep: { missing: 700_000, belowSince: '2026-03-01T00:00:00.000Z', downgradeAt: '2026-03-31T00:00:00.000Z', downgradeTo: { code: 'regular', name: 'regular' } } }],
  ])('%s', (_, current, value, belowSince, expected) => {
    const p = tierProgress({ tiers: ladder, current, value, belowSince, graceDays: 30 })
    expect({ ...p, next: p.next?.code ?? null }).toEqual(expected)
  })

  it('has nothing to climb without a ladder', () => {
    expect(tierProgress({ tiers: [], current: null, value: 10, belowSince: null, graceDays: 30 })).toEqual({ next: null, missing: null, progress: 1, keep: null })
  })

  it("shows the member's tier, the next one and what their 12-month spend lacks for it", async () => {
    const { member, cookie } = await signedIn()
    await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['TIER-1', 1, 50_000]], member: { id: member.id } }))
    const res = await call(cookie, 'GET', '/me/tier')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      basis: 'spend', windowFrom: '2025-04', windowTo: '2026-03', value: 50_000,
      tier: { code: 'regular', threshold: 0 }, next: { code: 'silver', name: '银卡', threshold: 200_000 }, missing: 150_000, progress: 0.25, keep: null, graceDays: 30,
    })
  })
})

describe('gifts for points', () => {
  it('lists what the member can redeem now, with the stock left, their limit and whether they can afford it', async () => {
    const { member, cookie } = await signedIn()
    await givePoints(member.id, 250)
    const cup = await t.given.gift({ name: '马克杯', pointsPrice: 100, perMemberLimit: 2, initialStock: [{ location: 'central', quantity: 5 }] })
    const dear = await t.given.gift({ name: '行李箱', pointsPrice: 5000, initialStock: [{ location: 'central', quantity: 1 }] })
    const none = await t.given.gift({ name: '已兑完', pointsPrice: 10 })
    const res = await call(cookie, 'GET', '/me/gifts')
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json() as { spendable: number; pickupStoreId: string; gifts: Array<Record<string, unknown>> }
    expect(body).toMatchObject({ spendable: 250, pickupStoreId: t.stores.a, pickupStoreName: '上海浦东店' })
    const byId = new Map(body.gifts.map((g) => [g.id, g]))
    expect(byId.get(cup.id)).toMatchObject({ available: 5, perMemberLimit: 2, redeemed: 0, leftForMe: 2, affordable: true, maxQuantity: 2, block: null })
    expect(byId.get(dear.id)).toMatchObject({ available: 1, affordable: false, maxQuantity: 0, block: 'points' })
    expect(byId.get(none.id)).toMatchObject({ available: 0, block: 'stock' })
    // Stock per location is the staff's; the member sees what is left where they pick up.
    expect(Object.keys(body.gifts[0]!)).not.toContain('stock')
    expect((await call(cookie, 'GET', '/me/gifts?storeId=sto_nope')).json().error).toMatchObject({ code: 'STORE_NOT_FOUND', details: [{ field: 'storeId' }] })
    expect((await call(cookie, 'GET', `/me/gifts?memberId=${member.id}`)).statusCode).toBe(400)
  })

  it('redeems once for a double tap (the same key at once): one order, one points debit, its pick-up code', async () => {
    const { member, cookie } = await signedIn()
    await givePoints(member.id, 250)
    const gift = await t.given.gift({ name: '帆布袋', pointsPrice: 100, initialStock: [{ location: 'central', quantity: 10 }] })
    const payload = { requestKey: 'tap-0000-0001' }
    const taps = await Promise.all([1, 2, 3].map(() => call(cookie, 'POST', `/me/gifts/${gift.id}/redeem`, payload)))
    for (const r of taps) expect(r.statusCode, r.body).toBe(201)
    const orders = taps.map((r) => r.json() as { id: string; orderNo: string; status: string; points: number; pickupStoreId: string })
    expect(new Set(orders.map((o) => o.id)).size).toBe(1)
    expect(orders[0]).toMatchObject({ status: 'reserved', points: 100, pickupStoreId: t.stores.a, orderNo: expect.stringMatching(/^G[0-9A-Z]{9}$/) })
    expect(await balance(member.id)).toBe(150)
    expect((await ledgerKinds(member.id)).filter(([kind]) => kind === 'redeem')).toEqual([['redeem', -100]])
    expect((await t.services.gifts.get(t.actors.hq_admin, gift.id)).stock).toMatchObject([{ location: 'central', available: 9, reserved: 1 }])
    // Resent later, the same key answers the same order; a new key is a new order.
    expect((await call(cookie, 'POST', `/me/gifts/${gift.id}/redeem`, payload)).json().id).toBe(orders[0]!.id)
    const second = await call(cookie, 'POST', `/me/gifts/${gift.id}/redeem`, { requestKey: 'tap-0000-0002', storeId: t.stores.b })
    expect(second.statusCode, second.body).toBe(201)
    expect(second.json()).toMatchObject({ pickupStoreId: t.stores.b, pickupStoreName: '北京朝阳店' })
    expect(await balance(member.id)).toBe(50)
    const mine = (await call(cookie, 'GET', '/me/gift-orders')).json() as { items: Array<{ orderNo: string }> }
    expect(mine.items.map((o) => o.orderNo).sort()).toEqual([orders[0]!.orderNo, second.json().orderNo].sort())
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it('refuses a gift beyond the points or the stock, with their codes, and bad requests with the field', async () => {
    const { member, cookie } = await signedIn()
    await givePoints(member.id, 100)
    const dear = await t.given.gift({ name: '电饭煲', pointsPrice: 500, initialStock: [{ location: 'central', quantity: 3 }] })
    const gone = await t.given.gift({ name: '无货', pointsPrice: 10 })
    const poor = await call(cookie, 'POST', `/me/gifts/${dear.id}/redeem`, { requestKey: 'poor-000001' })
    expect(poor.statusCode).toBe(409)
    expect(poor.json().error).toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS', details: [{ field: 'giftId' }] })
    const out = await call(cookie, 'POST', `/me/gifts/${gone.id}/redeem`, { requestKey: 'gone-000001' })
    expect(out.statusCode).toBe(409)
    expect(out.json().error.code).toBe('GIFT_OUT_OF_STOCK')
    expect(await balance(member.id)).toBe(100)
    expect((await t.services.gifts.get(t.actors.hq_admin, dear.id)).stock).toMatchObject([{ available: 3, reserved: 0 }])

    const bad = async (payload: object, field: string, status = 400) => {
      const r = await call(cookie, 'POST', `/me/gifts/${dear.id}/redeem`, payload)
      expect(r.statusCode, r.body).toBe(status)
      expect(r.json().error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    await bad({}, 'requestKey')
    await bad({ requestKey: 'short' }, 'requestKey')
    await bad({ requestKey: 'has spaces in it' }, 'requestKey')
    await bad({ requestKey: 'qty-0000001', quantity: 0 }, 'quantity')
    await bad({ requestKey: 'mem-0000001', memberId: member.id }, 'memberId')
    await bad({ requestKey: 'sto-0000001', storeId: 'sto_nope' }, 'storeId', 422)
    expect((await call(cookie, 'POST', '/me/gifts/gft_nope/redeem', { requestKey: 'nope-000001' })).json().error.code).toBe('GIFT_NOT_FOUND')
  })
})

describe('lucky draws', () => {
  it('shows an open draw, enters it once (a double tap too), and shows what the entry won', async () => {
    const { member, cookie } = await signedIn()
    await givePoints(member.id, 200)
    const draw = await t.given.draw({ name: '会员页抽奖', perMemberLimit: 1 })
    const before = (await call(cookie, 'GET', '/me/draws')).json() as { items: Array<Record<string, unknown>> }
    expect(before.items.find((d) => d.id === draw.id)).toMatchObject({
      state: 'open', entryPoints: 50, cost: 50, entered: 0, entriesLeft: 1, canEnter: true, block: null, myEntries: [], prizes: [{ name: '100积分', kind: 'points', points: 100 }],
    })

    const taps = await Promise.all([1, 2].map(() => call(cookie, 'POST', `/me/draws/${draw.id}/entries`)))
    expect(taps.map((r) => r.statusCode).sort()).toEqual([201, 409])
    const won = taps.find((r) => r.statusCode === 201)!.json()
    expect(won).toMatchObject({ costPoints: 50, outcome: 'won', prizeName: '100积分', prizeKind: 'points', prizePoints: 100 })
    expect(taps.find((r) => r.statusCode === 409)!.json().error).toMatchObject({ code: 'DRAW_MEMBER_LIMIT', details: [{ field: 'drawId' }] })
    expect(await balance(member.id)).toBe(250)
    expect((await ledgerKinds(member.id)).filter(([kind]) => kind === 'draw' || kind === 'award')).toEqual([['award', 100], ['draw', -50]])

    const after = (await call(cookie, 'GET', '/me/draws')).json() as { items: Array<Record<string, unknown>> }
    expect(after.items.find((d) => d.id === draw.id)).toMatchObject({ entered: 1, entriesLeft: 0, canEnter: false, block: 'limit', myEntries: [{ id: won.id, outcome: 'won' }] })
    await t.services.draws.close(t.actors.hq_marketing, draw.id)
    const finished = (await call(cookie, 'GET', '/me/draws')).json() as { items: Array<Record<string, unknown>> }
    expect(finished.items.find((d) => d.id === draw.id)).toMatchObject({ state: 'finished', block: 'ended', myEntries: [{ prizeName: '100积分' }] })
  })

  it('refuses an entry the points do not pay, leaves out draws the member cannot see, and names an unknown draw', async () => {
    const { member, cookie } = await signedIn()
    await givePoints(member.id, 10)
    const dear = await t.given.draw({ name: '高价抽奖', entryPoints: 500 })
    const draft = await t.given.draw({ name: '草稿抽奖', active: false })
    const closedUnentered = await t.given.draw({ name: '已结束未参加' })
    await t.services.draws.close(t.actors.hq_marketing, closedUnentered.id)
    const list = (await call(cookie, 'GET', '/me/draws')).json() as { items: Array<{ id: string; canEnter: boolean; block: string | null }> }
    expect(list.items.find((d) => d.id === dear.id)).toMatchObject({ canEnter: false, block: 'points' })
    expect(list.items.map((d) => d.id)).not.toContain(draft.id)
    expect(list.items.map((d) => d.id)).not.toContain(closedUnentered.id)
    const poor = await call(cookie, 'POST', `/me/draws/${dear.id}/entries`)
    expect(poor.statusCode).toBe(409)
    expect(poor.json().error).toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS', details: [{ field: 'drawId' }] })
    expect(await balance(member.id)).toBe(10)
    expect((await call(cookie, 'POST', `/me/draws/${draft.id}/entries`)).json().error.code).toBe('DRAW_NOT_ACTIVE')
    const unknown = await call(cookie, 'POST', '/me/draws/drw_nope/entries')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('DRAW_NOT_FOUND')
  })
})

describe("the member's profile", () => {
  it('shows the fields the member may change and changes them, audited as the member page', async () => {
    const { member, cookie } = await signedIn()
    const shown = (await call(cookie, 'GET', '/me/profile')).json()
    expect(shown).toMatchObject({
      cardNo: member.cardNo, name: '王小明', phone: expect.stringMatching(/^\d{3}\*{4}\d{4}$/), gender: 'unknown', birthday: null, email: null,
      editable: ['name', 'gender', 'birthday', 'email', 'occupation', 'education', 'incomeBand', 'district'], wechat: { bound: false, openId: null },
    })
    const res = await call(cookie, 'PATCH', '/me/profile', { name: '李雷', gender: 'male', birthday: '1990-05-12', email: 'Li.Lei@Example.com', occupation: 'office_worker', incomeBand: '8k_12k', district: '浦东新区' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ name: '李雷', gender: 'male', birthday: '1990-05-12', email: 'li.lei@example.com', occupation: 'office_worker', incomeBand: '8k_12k', district: '浦东新区' })
    const stored = await t.services.members.get(t.actors.hq_admin, member.id)
    expect(stored).toMatchObject({ gender: 'male', birthday: '1990-05-12', occupation: 'office_worker', name: '李*' })
    const trail = await t.services.members.auditTrail(t.actors.hq_admin, member.id)
    expect(trail.items.find((e) => e.action === 'member.update')).toMatchObject({ actorName: 'member page' })
    // Clearing a field is a change too.
    expect((await call(cookie, 'PATCH', '/me/profile', { district: null })).json().district).toBeNull()
  })

  it('refuses bad values with the field and the reason, and fields that are not the member\'s to change', async () => {
    const { member, cookie } = await signedIn()
    const bad = await call(cookie, 'PATCH', '/me/profile', { birthday: '2099-01-01', email: 'not-an-email' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION' })
    expect(bad.json().error.details).toEqual(expect.arrayContaining([{ field: 'birthday', reason: 'is in the future' }, { field: 'email', reason: 'not an email address' }]))
    const long = await call(cookie, 'PATCH', '/me/profile', { name: '长'.repeat(60) })
    expect(long.json().error.details).toEqual([{ field: 'name', reason: 'longer than 50 characters' }])
    for (const [payload, field] of [[{ phone: '13800138000' }, 'phone'], [{ idNumber: '11010519491231002X' }, 'idNumber'], [{ gender: 'other' }, 'gender'], [{ occupation: 'pilot' }, 'occupation']] as const) {
      const r = await call(cookie, 'PATCH', '/me/profile', payload)
      expect(r.statusCode, r.body).toBe(400)
      expect(r.json().error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    expect((await call(cookie, 'PATCH', '/me/profile', {})).statusCode).toBe(400)
    expect((await t.services.members.get(t.actors.hq_admin, member.id)).name).toBe('王**')
  })

  it('keeps a birthday the ID number gives for the desk', async () => {
    const { cookie } = await signedIn({ idNumber: '11010519491231002X' })
    const shown = (await call(cookie, 'GET', '/me/profile')).json() as { birthday: string; editable: string[] }
    expect(shown.birthday).toBe('1949-**-**')
    expect(shown.editable).not.toContain('birthday')
    const r = await call(cookie, 'PATCH', '/me/profile', { birthday: '1950-01-01' })
    expect(r.statusCode).toBe(422)
    expect(r.json().error.details).toEqual([{ field: 'birthday', reason: 'follows your ID number; the service desk changes it' }])
  })
})

describe('the WeChat binding', () => {
  // WeChat's web authorisation, as a local server: a code `code-<openid>` names that OpenID, others are refused.
  let wechat = ''
  beforeAll(async () => {
    const api = createServer((req, res) => {
      const url = new URL(req.url!, 'http://wechat')
      res.writeHead(200, { 'content-type': 'application/json' })
      const code = url.searchParams.get('code') ?? ''
      if (url.pathname !== '/sns/oauth2/access_token' || url.searchParams.get('secret') !== 'app-secret' || !code.startsWith('code-')) {
        return res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }))
      }
      res.end(JSON.stringify({ access_token: 'web-token', expires_in: 7200, openid: code.slice('code-'.length), scope: 'snsapi_base' }))
    })
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    wechat = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
    afterAllClose.push(() => { api.closeAllConnections(); api.close() })
  })
  const afterAllClose: Array<() => void> = []
  afterAll(() => afterAllClose.forEach((close) => close()))
  const setUp = () => t.services.channels.putProvider(t.actors.hq_admin, 'wechat', { kind: 'wechat_template', settings: { baseUrl: wechat, appId: 'wxChain01', appSecret: 'app-secret', templateId: 'TPL' } })
  /** The state of the session's authorisation URL, as WeChat gives it back. */
  const stateOf = async (cookie: string) => {
    const res = await call(cookie, 'GET', '/me/wechat/authorize')
    expect(res.statusCode, res.body).toBe(200)
    return new URL(res.json().url).searchParams.get('state')!
  }

  it('says so when the chain has no official account set up', async () => {
    const { cookie } = await signedIn()
    const res = await call(cookie, 'GET', '/me/wechat/authorize')
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('WECHAT_NOT_CONFIGURED')
  })

  it("sends the phone to WeChat's authorisation of the chain's account and back to the profile, then binds the OpenID WeChat names, once per OpenID", async () => {
    await setUp()
    const a = await signedIn()
    const b = await signedIn()
    const authorize = (await call(a.cookie, 'GET', '/me/wechat/authorize')).json().url as string
    const url = new URL(authorize)
    expect(url.origin + url.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize')
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ appid: 'wxChain01', redirect_uri: 'http://localhost:3000/m/profile', response_type: 'code', scope: 'snsapi_base' })
    expect(url.hash).toBe('#wechat_redirect')

    const openId = 'oMemberPage_0000000001'
    const state = url.searchParams.get('state')!
    const bound = await call(a.cookie, 'POST', '/me/wechat', { code: `code-${openId}`, state })
    expect(bound.statusCode, bound.body).toBe(200)
    expect(bound.json()).toEqual({ bound: true, openId })
    expect((await call(a.cookie, 'GET', '/me/profile')).json().wechat).toEqual({ bound: true, openId })

    // Another member, with WeChat's code for the same OpenID: it is the first member's.
    const taken = await call(b.cookie, 'POST', '/me/wechat', { code: `code-${openId}`, state: await stateOf(b.cookie) })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error).toMatchObject({ code: 'WECHAT_OPENID_TAKEN', details: [{ field: 'openId' }] })
    expect((await call(b.cookie, 'GET', '/me/profile')).json().wechat).toEqual({ bound: false, openId: null })

    const unbound = await call(a.cookie, 'DELETE', '/me/wechat')
    expect(unbound.json()).toEqual({ bound: false, openId: null })
    expect((await call(b.cookie, 'POST', '/me/wechat', { code: `code-${openId}`, state: await stateOf(b.cookie) })).json()).toEqual({ bound: true, openId })
    expect(await t.services.channels.wechatOpenidOf(b.member.id)).toBe(openId)
    // Each binding and unbinding is in the member's audit trail, as the member page.
    const trail = await t.services.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_name']).where('action', 'like', 'member.wechat.%').where('entity_id', 'in', [a.member.id, b.member.id]).orderBy('id').execute()
    expect(trail.map((e) => [e.action, e.entity_id === a.member.id ? 'a' : 'b'])).toEqual([['member.wechat.bind', 'a'], ['member.wechat.unbind', 'a'], ['member.wechat.bind', 'b']])
  })

  it("refuses a state of another session or past its ten minutes, a code WeChat refuses, and binds nothing", async () => {
    await setUp()
    const a = await signedIn()
    const b = await signedIn()
    const othersState = await call(a.cookie, 'POST', '/me/wechat', { code: 'code-oStolenState_0000001', state: await stateOf(b.cookie) })
    expect(othersState.statusCode).toBe(422)
    expect(othersState.json().error).toMatchObject({ code: 'WECHAT_STATE_INVALID', details: [{ field: 'state' }] })
    expect((await call(a.cookie, 'POST', '/me/wechat', { code: 'code-oForged_00000000001', state: '9999999999.abc' })).json().error.code).toBe('WECHAT_STATE_INVALID')

    const state = await stateOf(a.cookie)
    const refused = await call(a.cookie, 'POST', '/me/wechat', { code: 'used-or-forged', state })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error).toMatchObject({ code: 'WECHAT_CODE_INVALID', details: [{ field: 'code' }] })
    expect((await call(a.cookie, 'POST', '/me/wechat', {})).statusCode).toBe(400)

    t.clock.advance(11 * 60_000)
    expect((await call(a.cookie, 'POST', '/me/wechat', { code: 'code-oLate_00000000000001', state })).json().error.code).toBe('WECHAT_STATE_INVALID')
    expect(await t.services.channels.wechatOpenidOf(a.member.id)).toBeNull()
  })

  it('moves to the survivor of a merge (the channels declare it as member data; the member-data tests cover export and erasure)', async () => {
    await setUp()
    const survivor = await t.given.member()
    const { member, cookie } = await signedIn()
    await call(cookie, 'POST', '/me/wechat', { code: 'code-oMergedAway_000000001', state: await stateOf(cookie) })
    expect(await t.services.channels.wechatOpenidOf(member.id)).toBe('oMergedAway_000000001')
    await t.services.members.merge(t.actors.hq_admin, survivor.id, member.id)
    expect(await t.services.channels.wechatOpenidOf(survivor.id)).toBe('oMergedAway_000000001')
    expect(await t.services.channels.wechatOpenidOf(member.id)).toBeNull()
  })
})

describe('the page and the staff', () => {
  it('opens none of these routes without a member cookie, nor with a staff cookie', async () => {
    const staff = await t.login(t.users.hq_admin!.username)
    for (const [method, url] of [['GET', '/me/tier'], ['GET', '/me/gifts'], ['GET', '/me/draws'], ['GET', '/me/profile'], ['DELETE', '/me/wechat']] as const) {
      expect((await t.app.inject({ method, url: `/api/v1${url}` })).statusCode).toBe(401)
      expect((await t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: staff } })).statusCode).toBe(401)
    }
  })
})
