import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'cashier', 'cashierB', 'store_manager']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
  const { key } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 1' })
  auth.pos = { authorization: `Bearer ${key}` }
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const PNG = /* a real 1×1 PNG */ Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')
const WEBP = Buffer.concat([Buffer.from('RIFF\x40\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(52, 2)])

let n = 0
const newGift = async (extra: object = {}) => {
  const res = await as('hq_marketing', {
    method: 'POST', url: '/api/v1/gifts',
    payload: { name: `雨伞 ${++n}`, pointsPrice: 200, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 5 }], ...extra },
  })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string; name: string }
}
const memberWith = async (points: number) => {
  const m = await t.given.member()
  await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points, reason: '测试积分' })
  return m
}

describe('gift routes', () => {
  it('answers 401 without a session or key', async () => {
    for (const url of ['/api/v1/gifts', '/api/v1/gift-orders', '/api/v1/gifts/gft_x/picture']) expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401)
  })

  it('lets readers read the catalogue and only managers change it', async () => {
    const g = await newGift()
    for (const who of ['cashier', 'analyst', 'pos']) {
      expect((await as(who, { method: 'GET', url: `/api/v1/gifts/${g.id}` })).json()).toMatchObject({ id: g.id, available: 5 })
      expect((await as(who, { method: 'GET', url: '/api/v1/gifts' })).statusCode).toBe(200)
      expect((await as(who, { method: 'PATCH', url: `/api/v1/gifts/${g.id}`, payload: { pointsPrice: 1 } })).statusCode).toBe(403)
      expect((await as(who, { method: 'POST', url: `/api/v1/gifts/${g.id}/stock`, payload: { location: 'central', delta: 1 } })).statusCode).toBe(403)
      expect((await as(who, { method: 'POST', url: '/api/v1/gifts', payload: { name: 'x', pointsPrice: 1, stockMode: 'central', pickupDays: 1 } })).statusCode).toBe(403)
    }
    const patched = await as('hq_marketing', { method: 'PATCH', url: `/api/v1/gifts/${g.id}`, payload: { pointsPrice: 250, validTo: '2026-12-31' } })
    expect(patched.json()).toMatchObject({ pointsPrice: 250, validTo: '2026-12-31' })
    const stock = await as('hq_marketing', { method: 'POST', url: `/api/v1/gifts/${g.id}/stock`, payload: { location: 'central', delta: -5, reason: '损坏' } })
    expect(stock.json()).toMatchObject({ available: 0, stock: [{ stocked: 0 }] })
    const over = await as('hq_marketing', { method: 'POST', url: `/api/v1/gifts/${g.id}/stock`, payload: { location: 'central', delta: -1 } })
    expect(over.statusCode).toBe(409)
    expect(over.json().error).toMatchObject({ code: 'GIFT_STOCK_NOT_AVAILABLE', details: [{ field: 'delta' }] })
  })

  it.each([
    ['no name', { name: undefined }, 400, 'name', 'VALIDATION'],
    ['a blank name', { name: '  ' }, 422, 'name', 'VALIDATION'],
    ['points in fractions', { pointsPrice: 1.5 }, 400, 'pointsPrice', 'VALIDATION'],
    ['a huge points price', { pointsPrice: 1e15 }, 400, 'pointsPrice', 'VALIDATION'],
    ['an unknown stock mode', { stockMode: 'warehouse' }, 400, 'stockMode', 'VALIDATION'],
    ['a bad date', { validFrom: '2026-02-30' }, 422, 'validFrom', 'VALIDATION'],
    ['an unknown tier', { minTier: 'platinum' }, 422, 'minTier', 'VALIDATION'],
    ['an unknown store as stock location', { stockMode: 'per_store', initialStock: [{ location: 'sto_nope', quantity: 1 }] }, 422, 'initialStock.0.location', 'STORE_NOT_FOUND'],
    ['an unknown field', { colour: 'red' }, 400, 'colour', 'VALIDATION'],
  ])('refuses a gift with %s (%i, naming the field)', async (_label, patch, status, field, code) => {
    const res = await as('hq_marketing', { method: 'POST', url: '/api/v1/gifts', payload: { name: '伞', pointsPrice: 100, stockMode: 'central', pickupDays: 3, ...patch } })
    expect(res.statusCode).toBe(status)
    expect(res.json().error).toMatchObject({ code, details: expect.arrayContaining([expect.objectContaining({ field })]) })
  })

  it('takes a picture as base64, serves it with its type, and refuses other files', async () => {
    const g = await newGift()
    const put = await as('hq_marketing', { method: 'PUT', url: `/api/v1/gifts/${g.id}/picture`, payload: { data: WEBP.toString('base64') } })
    expect(put.json()).toMatchObject({ hasPicture: true, pictureType: 'image/webp' })
    const got = await as('cashier', { method: 'GET', url: `/api/v1/gifts/${g.id}/picture` })
    expect(got.statusCode).toBe(200)
    expect(got.headers['content-type']).toBe('image/webp')
    expect(got.rawPayload.equals(WEBP)).toBe(true)
    const svg = await as('hq_marketing', { method: 'PUT', url: `/api/v1/gifts/${g.id}/picture`, payload: { data: Buffer.from('<svg/>').toString('base64') } })
    expect(svg.statusCode).toBe(422)
    expect(svg.json().error.code).toBe('GIFT_PICTURE_INVALID')
    const big = await as('hq_marketing', { method: 'PUT', url: `/api/v1/gifts/${g.id}/picture`, payload: { data: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]).toString('base64') } })
    expect(big.statusCode).toBe(422)
    expect(big.json().error.code).toBe('GIFT_PICTURE_TOO_LARGE')
    const huge = await as('hq_marketing', { method: 'PUT', url: `/api/v1/gifts/${g.id}/picture`, payload: { data: 'A'.repeat(2_000_000) } })
    expect(huge.statusCode).toBeGreaterThanOrEqual(400)
    expect(huge.statusCode).toBeLessThan(500)
    expect((await as('cashier', { method: 'PUT', url: `/api/v1/gifts/${g.id}/picture`, payload: { data: PNG.toString('base64') } })).statusCode).toBe(403)
    expect((await as('hq_marketing', { method: 'DELETE', url: `/api/v1/gifts/${g.id}/picture` })).json()).toMatchObject({ hasPicture: false })
    expect((await as('cashier', { method: 'GET', url: `/api/v1/gifts/${g.id}/picture` })).json().error.code).toBe('GIFT_NO_PICTURE')
    expect((await as('cashier', { method: 'GET', url: '/api/v1/gifts/gft_nope/picture' })).json().error.code).toBe('GIFT_NOT_FOUND')
  })

  it('redeems at a till and at the desk, hands over at the store, and cancels with a reason', async () => {
    const g = await newGift()
    const m = await memberWith(1000)
    const options = await as('pos', { method: 'GET', url: `/api/v1/members/${m.id}/gift-options` })
    expect(options.json().gifts.find((x: { id: string }) => x.id === g.id)).toMatchObject({ availableHere: 5, block: null })
    const fromTill = await as('pos', { method: 'POST', url: `/api/v1/members/${m.id}/gift-orders`, payload: { giftId: g.id } })
    expect(fromTill.statusCode).toBe(201)
    expect(fromTill.json()).toMatchObject({ status: 'reserved', points: 200, pickupStoreId: t.stores.a, createdBy: 'till 1' })
    const hq = await as('hq_admin', { method: 'POST', url: `/api/v1/members/${m.id}/gift-orders`, payload: { giftId: g.id, quantity: 2, pickupStoreId: t.stores.b } })
    expect(hq.json()).toMatchObject({ quantity: 2, points: 400, pickupStoreId: t.stores.b })
    expect((await as('analyst', { method: 'POST', url: `/api/v1/members/${m.id}/gift-orders`, payload: { giftId: g.id } })).statusCode).toBe(403)

    const listA = await as('cashier', { method: 'GET', url: `/api/v1/gift-orders?giftId=${g.id}` })
    expect(listA.json().items.map((o: { id: string }) => o.id)).toEqual([fromTill.json().id])
    expect((await as('cashier', { method: 'POST', url: `/api/v1/gift-orders/${hq.json().id}/collect` })).statusCode).toBe(403)
    const collected = await as('cashierB', { method: 'POST', url: `/api/v1/gift-orders/${hq.json().id}/collect` })
    expect(collected.json()).toMatchObject({ status: 'collected' })
    const again = await as('cashierB', { method: 'POST', url: `/api/v1/gift-orders/${hq.json().id}/collect` })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('GIFT_ORDER_NOT_RESERVED')

    expect((await as('cashier', { method: 'POST', url: `/api/v1/gift-orders/${fromTill.json().id}/cancel`, payload: {} })).statusCode).toBe(400)
    const cancelled = await as('cashier', { method: 'POST', url: `/api/v1/gift-orders/${fromTill.json().id}/cancel`, payload: { reason: '顾客不要了' } })
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', closeReason: '顾客不要了' })
    const mine = await as('cashier', { method: 'GET', url: `/api/v1/members/${m.id}/gift-orders?limit=1` })
    expect(mine.json()).toMatchObject({ items: [{ id: hq.json().id }], nextCursor: expect.any(String) })
    expect((await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance).toBe(600)
  })

  it.each([
    ['an unknown gift', () => ({ giftId: 'gft_nope' }), 404, 'GIFT_NOT_FOUND'],
    ['a zero quantity', (g: string) => ({ giftId: g, quantity: 0 }), 400, 'VALIDATION'],
    ['a huge quantity', (g: string) => ({ giftId: g, quantity: 1e9 }), 400, 'VALIDATION'],
    ['more than in stock', (g: string) => ({ giftId: g, quantity: 6 }), 409, 'GIFT_OUT_OF_STOCK'],
    ['more than the points cover', (g: string) => ({ giftId: g, quantity: 5 }), 409, 'LOYALTY_INSUFFICIENT_POINTS'],
    ['another store for pick-up', (g: string) => ({ giftId: g, pickupStoreId: 'sto_other' }), 403, 'OUT_OF_STORE_SCOPE'],
    ['no gift', () => ({}), 400, 'VALIDATION'],
  ])('refuses a redemption of %s', async (_label, body, status, code) => {
    const g = await newGift()
    const m = await memberWith(900)
    const res = await as('cashier', { method: 'POST', url: `/api/v1/members/${m.id}/gift-orders`, payload: body(g.id) })
    expect(res.statusCode).toBe(status)
    expect(res.json().error.code).toBe(code)
  })

  it('answers 404 for unknown members and orders, 400 for bad filters', async () => {
    expect((await as('cashier', { method: 'POST', url: '/api/v1/members/mem_nope/gift-orders', payload: { giftId: 'gft_x' } })).statusCode).toBe(404)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/members/mem_nope/gift-orders' })).statusCode).toBe(404)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/gift-orders/gor_nope' })).json().error.code).toBe('GIFT_ORDER_NOT_FOUND')
    expect((await as('cashier', { method: 'POST', url: '/api/v1/gift-orders/gor_nope/cancel', payload: { reason: '测试一下' } })).statusCode).toBe(404)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/gift-orders?status=lost' })).statusCode).toBe(400)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/gift-orders?limit=1000' })).statusCode).toBe(400)
    expect((await as('hq_marketing', { method: 'PATCH', url: '/api/v1/gifts/gft_nope', payload: { pointsPrice: 1 } })).statusCode).toBe(404)
    expect((await as('hq_marketing', { method: 'PATCH', url: '/api/v1/gifts/gft_nope', payload: {} })).statusCode).toBe(400)
  })
})
