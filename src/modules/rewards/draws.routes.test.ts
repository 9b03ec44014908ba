import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
const cookies: Record<string, string> = {}
let key: string
beforeAll(async () => {
  t = await context()
  for (const who of ['hq_marketing', 'cashier', 'analyst', 'store_manager']) cookies[who] = await t.login(t.users[who]!.username)
  key = (await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '1号收银台' })).key
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie: cookies[who]! } })
const till = (options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${key}` } })
const body = (over: Record<string, unknown> = {}) => ({
  name: '三月抽奖', startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-04-01T00:00:00+08:00', entryPoints: 10, noPrizeWeight: 1,
  prizes: [{ name: '20积分', kind: 'points', points: 20, stock: 3, weight: 1 }], ...over,
})
const activeDraw = async (over: Record<string, unknown> = {}) => {
  const created = await as('hq_marketing', { method: 'POST', url: '/api/v1/draws', payload: body(over) })
  expect(created.statusCode, created.body).toBe(201)
  const id = created.json().id as string
  expect((await as('hq_marketing', { method: 'POST', url: `/api/v1/draws/${id}/activate` })).statusCode).toBe(200)
  return id
}

describe('managing draws over HTTP', () => {
  it('creates with 201 (instants stored in UTC), lists, reads, changes a draft and refuses roles that may not manage', async () => {
    const created = await as('hq_marketing', { method: 'POST', url: '/api/v1/draws', payload: body() })
    expect(created.statusCode, created.body).toBe(201)
    const draw = created.json()
    expect(draw).toMatchObject({ status: 'draft', startsAt: '2026-02-28T16:00:00.000Z', prizes: [{ seq: 1, name: '20积分', stock: 3, won: 0, chancePct: 50 }] })
    expect((await as('cashier', { method: 'POST', url: '/api/v1/draws', payload: body() })).statusCode).toBe(403)
    const list = await as('cashier', { method: 'GET', url: '/api/v1/draws?status=draft' })
    expect(list.statusCode).toBe(200)
    expect(list.json().items.map((d: { id: string }) => d.id)).toContain(draw.id)
    const put = await as('hq_marketing', { method: 'PUT', url: `/api/v1/draws/${draw.id}`, payload: body({ name: '改名' }) })
    expect(put.statusCode).toBe(200)
    expect(put.json().name).toBe('改名')
    expect((await as('cashier', { method: 'GET', url: '/api/v1/draws/drw_nope' })).statusCode).toBe(404)
  })

  it('answers bad bodies with 400 or 422 naming the field, never 500', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [body({ entryPoints: 'ten' }), 400, 'entryPoints'],
      [body({ startsAt: 'tomorrow' }), 400, 'startsAt'],
      [body({ extra: 1 }), 400, ''],
      [body({ entryPoints: 1e15 }), 422, 'entryPoints'],
      [body({ noPrizeWeight: -1 }), 422, 'noPrizeWeight'],
      [body({ fallbackPrize: 9 }), 422, 'fallbackPrize'],
      [body({ prizes: [{ name: 'x', kind: 'diamond', stock: 1, weight: 1 }] }), 400, ''],
      [body({ prizes: [{ name: 'x', kind: 'gift', giftId: 'gft_nope', stock: 1, weight: 1 }] }), 422, 'prizes.0.giftId'],
      [body({ prizes: [{ name: 'x', kind: 'points', points: 5, stock: 99999999999, weight: 1 }] }), 422, 'prizes.0.stock'],
    ]
    for (const [payload, status, field] of cases) {
      const res = await as('hq_marketing', { method: 'POST', url: '/api/v1/draws', payload })
      expect(res.statusCode, res.body).toBe(status)
      if (field) expect(res.json().error.details.map((d: { field: string }) => d.field), res.body).toContain(field)
    }
    const stock = await as('hq_marketing', { method: 'PUT', url: '/api/v1/draws/drw_nope/prizes/dpz_nope/stock', payload: { stock: 5 } })
    expect(stock.statusCode).toBe(404)
  })
})

describe('entering over HTTP', () => {
  it('a desk and a till enter a member, see the outcome, and the results and report list it', async () => {
    const id = await activeDraw()
    const m = await t.given.member()
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 25, reason: '测试积分' })
    const desk = await as('cashier', { method: 'POST', url: `/api/v1/draws/${id}/entries`, payload: { memberId: m.id } })
    expect(desk.statusCode, desk.body).toBe(201)
    expect(desk.json()).toMatchObject({ drawId: id, memberId: m.id, costPoints: 10, outcome: expect.stringMatching(/won|lost/) })
    const pos = await till({ method: 'POST', url: `/api/v1/draws/${id}/entries`, payload: { memberId: m.id } })
    expect(pos.statusCode, pos.body).toBe(201)

    const results = await as('cashier', { method: 'GET', url: `/api/v1/draws/${id}/entries` })
    expect(results.json().items).toHaveLength(2)
    const mine = await as('cashier', { method: 'GET', url: `/api/v1/members/${m.id}/draw-entries` })
    expect(mine.json().items.map((e: { drawId: string }) => e.drawId)).toEqual([id, id])
    expect((await as('cashier', { method: 'GET', url: `/api/v1/draws/${id}/report` })).statusCode).toBe(403)
    const report = await as('store_manager', { method: 'GET', url: `/api/v1/draws/${id}/report` })
    expect(report.statusCode).toBe(200)
    expect(report.json()).toMatchObject({ entries: 2, pointsCharged: 20 })
  })

  it('refuses with the reason: 409 without enough points, 404 for unknown ids, 403 for roles that may not redeem, 400 for a bad body', async () => {
    const id = await activeDraw()
    const m = await t.given.member()
    const poor = await as('cashier', { method: 'POST', url: `/api/v1/draws/${id}/entries`, payload: { memberId: m.id } })
    expect(poor.statusCode).toBe(409)
    expect(poor.json().error).toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS', details: [{ field: 'memberId' }] })
    expect((await as('cashier', { method: 'POST', url: `/api/v1/draws/${id}/entries`, payload: { memberId: 'mem_nope' } })).statusCode).toBe(404)
    expect((await as('cashier', { method: 'POST', url: '/api/v1/draws/drw_nope/entries', payload: { memberId: m.id } })).statusCode).toBe(404)
    expect((await as('analyst', { method: 'POST', url: `/api/v1/draws/${id}/entries`, payload: { memberId: m.id } })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'POST', url: `/api/v1/draws/${id}/entries`, payload: {} })).statusCode).toBe(400)
    expect((await as('cashier', { method: 'GET', url: `/api/v1/draws/${id}/entries?limit=100000` })).statusCode).toBe(400)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/members/mem_nope/draw-entries' })).statusCode).toBe(404)
  })
})
