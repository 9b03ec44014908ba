import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from './context.js'
import { sale } from './receipts.js'

/**
 * Region managers (issue 16 §3): the manager of 华东区 sees and manages the members, receipts,
 * staff, reports and coupons of the region's stores (A and C), nothing of store B (in no region),
 * and no chain-wide export; a store moved into the region is theirs at once. The refusals on store
 * B's every entity are the store-scope matrix's (test/store-scope.test.ts, role region_manager).
 */
const context = useTestContext()
let t: TestContext
let cookie: string
let east: string
let c: string
const cards: Record<'a' | 'b' | 'c', { id: string; cardNo: string }> = {} as never

const as = (options: InjectOptions, who = cookie) => t.app.inject({ ...options, headers: { ...options.headers, cookie: who } })
const hqCookie = () => t.login(t.users.hq_admin!.username)

beforeAll(async () => {
  t = await context()
  const s = t.services
  const hq = t.actors.hq_admin
  east = (await s.org.createRegion(hq, { code: 'EAST', name: '华东区' })).id
  c = await t.given.store({ code: 'SHA02', name: '上海徐汇店' })
  for (const id of [t.stores.a, c]) await s.org.updateStore(hq, id, { regionId: east })
  await s.catalog.create(hq, { sku: 'RG-1', name: '金龙鱼大米 5kg', listPrice: 5990, memberPrice: 4990, pointsEligible: true } as never)
  const cashierC = (await t.given.staff('cashier', c)).actor
  const byStore = { a: t.actors.cashier, b: t.actors.cashierB, c: cashierC }
  for (const k of ['a', 'b', 'c'] as const) {
    const m = await t.given.member({ by: byStore[k] })
    cards[k] = { id: m.id, cardNo: m.cardNo }
    await s.loyalty.adjust(hq, { memberId: m.id, points: 1000, reason: '测试积分' })
    await s.receipts.postSale(byStore[k], sale({ lines: [['RG-1', 1, 4990]], member: { id: m.id } }))
  }
  cookie = await t.login((await t.given.staff('region_manager', null, east)).username)
})

describe('a region manager', () => {
  it('is made by HQ for a region, and only for a region', async () => {
    const hq = await hqCookie()
    const post = (payload: object) => as({ method: 'POST', url: '/api/v1/staff', payload: { password: 'Zq8-vortex-Plum-41', ...payload } }, hq)
    const made = await post({ username: 'east.boss', role: 'region_manager', regionId: east, displayName: '华东区经理' })
    expect(made.statusCode).toBe(201)
    expect(made.json()).toMatchObject({ role: 'region_manager', regionId: east, storeId: null })
    const refusals: Array<[object, { field: string; reason: string }]> = [
      [{ username: 'east.boss2', role: 'region_manager' }, { field: 'regionId', reason: 'a region_manager belongs to a region' }],
      [{ username: 'east.boss3', role: 'region_manager', regionId: t.stores.a }, { field: 'regionId', reason: 'is a store, not a region' }],
      [{ username: 'east.boss4', role: 'region_manager', regionId: 'reg_nope' }, { field: 'regionId', reason: 'no such region' }],
      [{ username: 'east.boss5', role: 'region_manager', regionId: east, storeId: t.stores.a }, { field: 'storeId', reason: 'a region_manager belongs to a region, not a store' }],
      [{ username: 'east.cash', role: 'cashier', storeId: t.stores.a, regionId: east }, { field: 'regionId', reason: 'only a region manager belongs to a region, not a cashier' }],
    ]
    for (const [payload, detail] of refusals) {
      const res = await post(payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(422)
      expect(res.json().error.details).toContainEqual(detail)
    }
    expect((await t.services.db.selectFrom('staff_users').select('username').where('username', 'like', 'east.%').execute()).map((r) => r.username)).toEqual(['east.boss'])
  })

  it('sees the receipts, members, staff and points of the region\'s stores only', async () => {
    const receipts = (await as({ method: 'GET', url: '/api/v1/receipts' })).json().items as Array<{ storeId: string }>
    expect(new Set(receipts.map((r) => r.storeId))).toEqual(new Set([t.stores.a, c]))
    expect((await as({ method: 'GET', url: `/api/v1/receipts?storeId=${c}` })).json().items.every((r: { storeId: string }) => r.storeId === c)).toBe(true)
    expect((await as({ method: 'GET', url: `/api/v1/receipts?storeId=${t.stores.b}` })).statusCode).toBe(403)

    const members = (await as({ method: 'GET', url: '/api/v1/members?limit=100' })).json().items as Array<{ id: string }>
    const ids = members.map((m) => m.id)
    expect(ids).toEqual(expect.arrayContaining([cards.a.id, cards.c.id]))
    expect(ids).not.toContain(cards.b.id)

    const staff = (await as({ method: 'GET', url: '/api/v1/staff' })).json() as Array<{ storeId: string | null }>
    expect(staff.length).toBeGreaterThan(3)
    expect(staff.every((u) => u.storeId === t.stores.a || u.storeId === c)).toBe(true)

    const liability = (await as({ method: 'GET', url: '/api/v1/loyalty/liability' })).json() as { points: number; byStore: Array<{ storeId: string; points: number }> }
    expect(new Set(liability.byStore.map((r) => r.storeId))).toEqual(new Set([t.stores.a, c]))
    const lots = await t.services.db.selectFrom('points_lots').innerJoin('members', 'members.id', 'points_lots.member_id')
      .where('members.registration_store_id', 'in', [t.stores.a, c]).select((eb) => eb.fn.sum<number>('points_lots.remaining').as('n')).executeTakeFirstOrThrow()
    expect(liability.points).toBe(Number(lots.n))

    const dashboard = (await as({ method: 'GET', url: '/api/v1/dashboard/members' })).json() as { total: number; regionId: string; byStore: Array<{ storeId: string }> }
    const live = await t.services.db.selectFrom('members').where('status', 'in', ['active', 'frozen']).where('registration_store_id', 'in', [t.stores.a, c])
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(dashboard.total).toBe(Number(live.n))
    expect(dashboard.regionId).toBe(east)
    expect(dashboard.byStore.every((r) => r.storeId === t.stores.a || r.storeId === c)).toBe(true)
  })

  it('reads the KPIs of the region by default and of no other region', async () => {
    const kpis = await as({ method: 'GET', url: '/api/v1/insight/kpis' })
    expect(kpis.statusCode).toBe(200)
    expect(kpis.json().scope).toMatchObject({ kind: 'region', id: east, name: '华东区' })
    const west = (await t.services.org.createRegion(t.actors.hq_admin, { code: 'WEST', name: '华西区' })).id
    expect((await as({ method: 'GET', url: `/api/v1/insight/kpis?regionId=${west}` })).statusCode).toBe(403)
    expect((await as({ method: 'GET', url: `/api/v1/insight/kpis?regionId=${east}` })).statusCode).toBe(200)
    expect((await as({ method: 'GET', url: `/api/v1/insight/kpis?storeId=${c}` })).json().scope).toMatchObject({ kind: 'store', id: c })
    // The member classes say what they are of: the region, or the store asked for.
    expect((await as({ method: 'GET', url: '/api/v1/insight/lifecycle' })).json()).toMatchObject({ regionId: east, storeId: null })
    expect((await as({ method: 'GET', url: `/api/v1/insight/lifecycle?storeId=${c}` })).json()).toMatchObject({ regionId: null, storeId: c })
  })

  it('issues coupons and adjusts points for the region\'s members, not another store\'s', async () => {
    const template = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '满50减5', kind: 'threshold', value: 500, minSpend: 5000, validDays: 30 } as never)
    expect((await as({ method: 'POST', url: `/api/v1/members/${cards.c.id}/coupons`, payload: { templateId: template.id } })).statusCode).toBe(201)
    const refused = await as({ method: 'POST', url: `/api/v1/members/${cards.b.id}/coupons`, payload: { templateId: template.id } })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    // A list issued to the region's members: the run is the manager's to follow (it belongs to no one store).
    const run = await as({ method: 'POST', url: `/api/v1/coupon-templates/${template.id}/issues`, payload: { issueKey: 'east-1', keys: [cards.a.cardNo] } })
    expect(run.statusCode, run.body).toBeLessThan(300)
    const runs = (await as({ method: 'GET', url: `/api/v1/coupon-templates/${template.id}/issues` })).json() as Array<{ id: string; issued: number }>
    expect(runs.map((r) => r.id)).toContain(run.json().id)
    const outside = await as({ method: 'POST', url: `/api/v1/coupon-templates/${template.id}/issues`, payload: { issueKey: 'east-2', keys: [cards.b.cardNo] } })
    expect(outside.json().error.details).toEqual([{ field: 'keys.0', reason: 'a member of another store' }])
    expect((await as({ method: 'POST', url: `/api/v1/members/${cards.a.id}/points/adjustments`, payload: { points: 10, reason: '区域调整' } })).statusCode).toBe(201)
    expect((await as({ method: 'POST', url: `/api/v1/members/${cards.b.id}/points/adjustments`, payload: { points: 10, reason: '区域调整' } })).statusCode).toBe(403)
  })

  it('manages the store staff of the region\'s stores, and no one else', async () => {
    const post = (payload: object) => as({ method: 'POST', url: '/api/v1/staff', payload: { password: 'Zq8-vortex-Plum-41', ...payload } })
    const manager = await post({ username: 'c.manager', role: 'store_manager', storeId: c })
    expect(manager.statusCode).toBe(201)
    expect((await post({ username: 'b.manager', role: 'store_manager', storeId: t.stores.b })).statusCode).toBe(403)
    const noStore = await post({ username: 'x.manager', role: 'store_manager' })
    expect(noStore.statusCode).toBe(422)
    expect(noStore.json().error.details).toContainEqual({ field: 'storeId', reason: 'a store_manager belongs to a store' })
    for (const role of ['region_manager', 'hq_admin', 'analyst']) {
      const res = await post({ username: `x.${role.replace('_', '')}`, role, ...(role === 'region_manager' ? { regionId: east } : {}) })
      expect(res.statusCode, role).toBe(403)
      expect(res.json().error.code).toBe('STAFF_ROLE_NOT_MANAGEABLE')
    }
    // Moving their store manager to store B (outside the region) is refused; to store A allowed.
    const id = manager.json().id as string
    expect((await as({ method: 'PATCH', url: `/api/v1/staff/${id}`, payload: { storeId: t.stores.b } })).statusCode).toBe(403)
    expect((await as({ method: 'PATCH', url: `/api/v1/staff/${id}`, payload: { storeId: t.stores.a } })).statusCode).toBe(200)
    expect((await as({ method: 'PATCH', url: `/api/v1/staff/${t.users.managerB!.id}`, payload: { displayName: '改名' } })).statusCode).toBe(403)
  })

  it('has no chain-wide export, and no till', async () => {
    const me = (await as({ method: 'GET', url: '/api/v1/auth/me' })).json() as { user: { role: string; regionId: string }; permissions: string[] }
    expect(me.user).toMatchObject({ role: 'region_manager', regionId: east })
    expect(me.permissions).toEqual(expect.arrayContaining(['members.list', 'receipts.read', 'staff.manage', 'loyalty.reports', 'rewards.issue', 'insight.read']))
    for (const p of ['members.export', 'segments.export', 'receipts.post', 'chain.manage']) expect(me.permissions).not.toContain(p)
    expect((await as({ method: 'GET', url: '/api/v1/members/export.csv' })).statusCode).toBe(403)
  })

  it('sees a store moved into the region at once, and loses one moved out', async () => {
    const has = async (storeId: string) => ((await as({ method: 'GET', url: '/api/v1/receipts' })).json().items as Array<{ storeId: string }>).some((r) => r.storeId === storeId)
    expect(await has(t.stores.b)).toBe(false)
    await t.services.org.updateStore(t.actors.hq_admin, t.stores.b, { regionId: east })
    expect(await has(t.stores.b)).toBe(true)
    await t.services.org.updateStore(t.actors.hq_admin, t.stores.b, { regionId: null })
    expect(await has(t.stores.b)).toBe(false)
  })

  it('names the store where one store is needed', async () => {
    const res = await as({ method: 'POST', url: '/api/v1/members', payload: { phone: '13911112222', name: '李华' } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({ code: 'STORE_REQUIRED', details: [{ field: 'registrationStoreId', reason: 'name one of the stores of your region' }] })
    const made = await as({ method: 'POST', url: '/api/v1/members', payload: { phone: '13911112222', name: '李华', registrationStoreId: c } })
    expect(made.statusCode).toBe(201)
    expect((await as({ method: 'POST', url: '/api/v1/members', payload: { phone: '13911113333', name: '李雷', registrationStoreId: t.stores.b } })).statusCode).toBe(403)
  })
})
