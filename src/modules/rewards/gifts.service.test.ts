import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'
import { seedDemoGifts } from '../../demo/demo-gifts.js'
import type { GiftInput } from './gift-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const PNG = /* a real 1×1 PNG */ Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

let giftCounter = 0
const newGift = (input: Partial<GiftInput> & { initialStock?: Array<{ location: string; quantity: number }> } = {}) =>
  t.services.gifts.create(t.actors.hq_marketing, {
    name: `保温杯 ${++giftCounter}`, pointsPrice: 500, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 10 }], ...input,
  })
const memberWith = async (points: number) => {
  const m = await t.given.member()
  if (points) await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points, reason: '测试积分' })
  return m
}
const balance = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const stockAt = async (giftId: string, location = 'central') => (await t.services.gifts.get(t.actors.hq_admin, giftId)).stock.find((s) => s.location === location)
const reconciles = async () => {
  expect(await t.services.gifts.verify()).toEqual([])
  expect(await t.services.loyalty.verify()).toEqual([])
}

describe('catalogue', () => {
  it('creates a gift with its first stock, audited, for managers only', async () => {
    await expect(t.services.gifts.create(t.actors.cashier, { name: 'x', pointsPrice: 1, stockMode: 'central', pickupDays: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const g = await newGift({ description: '不锈钢 500ml', cashPrice: 990, perMemberLimit: 2, minTier: 'silver', validFrom: '2026-03-01', validTo: '2026-12-31' })
    expect(g).toMatchObject({
      pointsPrice: 500, cashPrice: 990, stockMode: 'central', perMemberLimit: 2, minTier: 'silver', pickupDays: 7, status: 'active', hasPicture: false, available: 10,
      stock: [{ location: 'central', stocked: 10, available: 10, reserved: 0, collected: 0 }],
    })
    const audit = await t.services.audit.list(t.actors.hq_admin, { action: 'gift.create', entityId: g.id })
    expect(audit.items).toHaveLength(1)
    expect((await t.services.gifts.list(t.actors.cashier, { q: g.name })).map((x) => x.id)).toEqual([g.id])
  })

  it.each([
    ['an unknown tier', { minTier: 'platinum' }, 'minTier'],
    ['a store as the location of central stock', { initialStock: [{ location: 'sto_nope', quantity: 1 }] }, 'initialStock.0.location'],
    ['an end before the start', { validFrom: '2026-05-01', validTo: '2026-04-01' }, 'validTo'],
  ])('refuses %s, naming the field', async (_label, input, field) => {
    await expect(newGift(input as never)).rejects.toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field })] })
  })

  it('changes settings with an audited diff, and keeps the stock mode once there is stock', async () => {
    const g = await newGift()
    const changed = await t.services.gifts.update(t.actors.hq_marketing, g.id, { pointsPrice: 800, status: 'inactive' })
    expect(changed).toMatchObject({ pointsPrice: 800, status: 'inactive' })
    const audit = await t.services.audit.list(t.actors.hq_admin, { action: 'gift.update', entityId: g.id })
    expect(audit.items[0]?.changes).toEqual({ points_price: { from: 500, to: 800 }, status: { from: 'active', to: 'inactive' } })
    await expect(t.services.gifts.update(t.actors.hq_marketing, g.id, { stockMode: 'per_store' })).rejects.toMatchObject({ code: 'GIFT_STOCK_MODE_LOCKED' })
    await expect(t.services.gifts.update(t.actors.hq_marketing, 'gft_nope', { pointsPrice: 1 })).rejects.toMatchObject({ code: 'GIFT_NOT_FOUND' })
    const empty = await newGift({ initialStock: [] })
    expect(await t.services.gifts.update(t.actors.hq_marketing, empty.id, { stockMode: 'per_store' })).toMatchObject({ stockMode: 'per_store' })
  })

  it('stores a picture checked by its bytes and serves it with its type', async () => {
    const g = await newGift()
    const withPicture = await t.services.gifts.setPicture(t.actors.hq_marketing, g.id, `data:image/png;base64,${PNG.toString('base64')}`)
    expect(withPicture).toMatchObject({ hasPicture: true, pictureType: 'image/png' })
    const served = await t.services.gifts.picture(t.actors.cashier, g.id)
    expect(served.type).toBe('image/png')
    expect(served.bytes.equals(PNG)).toBe(true)
    await expect(t.services.gifts.setPicture(t.actors.hq_marketing, g.id, Buffer.from('GIF89a....').toString('base64'))).rejects.toMatchObject({ code: 'GIFT_PICTURE_INVALID' })
    await expect(t.services.gifts.setPicture(t.actors.hq_marketing, g.id, Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]).toString('base64'))).rejects.toMatchObject({ code: 'GIFT_PICTURE_TOO_LARGE' })
    expect(await t.services.gifts.setPicture(t.actors.hq_marketing, g.id, null)).toMatchObject({ hasPicture: false })
    await expect(t.services.gifts.picture(t.actors.cashier, g.id)).rejects.toMatchObject({ code: 'GIFT_NO_PICTURE' })
  })
})

describe('stock', () => {
  it('adds and takes away pieces, never those reserved', async () => {
    const g = await newGift({ initialStock: [{ location: 'central', quantity: 2 }] })
    expect((await t.services.gifts.adjustStock(t.actors.hq_marketing, g.id, { location: 'central', delta: 3, reason: '到货' })).stock[0]).toMatchObject({ stocked: 5, available: 5 })
    const m = await memberWith(5000)
    await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, quantity: 4 })
    await expect(t.services.gifts.adjustStock(t.actors.hq_marketing, g.id, { location: 'central', delta: -2 })).rejects.toMatchObject({ code: 'GIFT_STOCK_NOT_AVAILABLE' })
    expect((await t.services.gifts.adjustStock(t.actors.hq_marketing, g.id, { location: 'central', delta: -1 })).stock[0]).toMatchObject({ stocked: 4, available: 0, reserved: 4 })
    await expect(t.services.gifts.adjustStock(t.actors.hq_marketing, g.id, { location: t.stores.a, delta: 1 })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'location' }] })
    await expect(t.services.gifts.adjustStock(t.actors.hq_marketing, g.id, { location: 'central', delta: 0 })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'delta' }] })
    await expect(t.services.gifts.adjustStock(t.actors.store_manager, g.id, { location: 'central', delta: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const audit = await t.services.audit.list(t.actors.hq_admin, { action: 'gift.stock.adjust', entityId: g.id })
    expect(audit.items).toHaveLength(2)
    await reconciles()
  })
})

describe('redemption', () => {
  it('reserves the stock and spends the points in one go, for pick-up at the clerk’s store', async () => {
    const g = await newGift({ pointsPrice: 300, cashPrice: 500, pickupDays: 3 })
    const m = await memberWith(1000)
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, quantity: 2 })
    expect(order).toMatchObject({
      memberId: m.id, giftId: g.id, giftName: g.name, quantity: 2, points: 600, cash: 1000, location: 'central', pickupStoreId: t.stores.a,
      status: 'reserved', source: 'redeem', expiresAt: '2026-03-05T16:00:00.000Z', memberCardNo: m.cardNo,
    })
    expect(order.orderNo).toMatch(/^G[0-9A-Z]{9}$/)
    expect(await balance(m.id)).toBe(400)
    expect(await stockAt(g.id)).toMatchObject({ stocked: 10, available: 8, reserved: 2, collected: 0 })
    const entry = (await t.services.loyalty.entries(t.actors.hq_admin, m.id)).items[0]
    expect(entry).toMatchObject({ kind: 'redeem', points: -600, reference: order.id })
    expect((await t.services.audit.list(t.actors.hq_admin, { action: 'gift.redeem', entityId: order.id })).items).toHaveLength(1)
    await reconciles()
  })

  it('tells the member by SMS that the gift waits, where and until when: a service message, without marketing consent, once', async () => {
    const g = await newGift({ name: '玻璃保鲜盒', pointsPrice: 100, pickupDays: 3 })
    const m = await t.given.member({ consents: { sms: false } })
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 500, reason: '测试积分' })
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    await t.drainJobs()
    const notices = () => t.services.channels.listMessages(t.actors.hq_admin, { sourceType: 'gift_order', sourceId: order.id }).then((p) => p.items)
    const [sms, ...more] = await notices()
    expect(more).toEqual([])
    expect(sms).toMatchObject({ channel: 'sms', purpose: 'service', memberId: m.id, status: 'delivered' })
    // Reserved on 2 March (Shanghai) for 3 days: the 5th is the last day to pick it up.
    expect(sms!.body).toMatch(new RegExp(`^您的礼品「玻璃保鲜盒」×1已备好，请于2026-03-05前凭单号${order.orderNo}到.+领取。$`))
    // The job again (a retry), and an order collected before its job ran: nothing more is sent.
    await t.services.gifts.notifyReserved(order.id)
    expect(await notices()).toHaveLength(1)
    const second = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    await t.services.gifts.collect(t.actors.cashier, second.id)
    expect(await t.services.gifts.notifyReserved(second.id)).toEqual({ status: 'skipped' })
    await t.drainJobs()
    expect((await t.services.channels.listMessages(t.actors.hq_admin, { sourceType: 'gift_order', sourceId: second.id })).items).toEqual([])
  })

  it('gives a till that resends after a lost answer the first order, even when the resends race', async () => {
    const g = await newGift({ pointsPrice: 100 })
    const m = await memberWith(1000)
    const first = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, requestKey: 'T01-0042' })
    const again = await Promise.all(Array.from({ length: 5 }, () => t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, requestKey: 'T01-0042' })))
    expect(new Set(again.map((o) => o.id))).toEqual(new Set([first.id]))
    const racing = await Promise.all(Array.from({ length: 5 }, () => t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, requestKey: 'T01-0043' })))
    expect(new Set(racing.map((o) => o.id)).size).toBe(1)
    expect(await balance(m.id)).toBe(800)
    await expect(t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, quantity: 2, requestKey: 'T01-0042' })).rejects.toMatchObject({ code: 'GIFT_REQUEST_REUSED' })
    await reconciles()
  })

  it('refuses without the points and changes nothing', async () => {
    const g = await newGift({ pointsPrice: 300 })
    const m = await memberWith(299)
    await expect(t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })).rejects.toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS' })
    expect(await balance(m.id)).toBe(299)
    expect(await stockAt(g.id)).toMatchObject({ available: 10, reserved: 0 })
    expect((await t.services.gifts.memberOrders(t.actors.cashier, m.id)).items).toEqual([])
  })

  it('refuses an inactive, out-of-date, out-of-stock or tier-restricted gift and a limit reached', async () => {
    const m = await memberWith(100_000)
    const redeem = (giftId: string, quantity = 1) => t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId, quantity })
    await expect(redeem((await newGift({ status: 'inactive' })).id)).rejects.toMatchObject({ code: 'GIFT_INACTIVE' })
    await expect(redeem((await newGift({ validFrom: '2026-04-01' })).id)).rejects.toMatchObject({ code: 'GIFT_NOT_VALID' })
    await expect(redeem((await newGift({ validTo: '2026-03-01' })).id)).rejects.toMatchObject({ code: 'GIFT_NOT_VALID' })
    await expect(redeem((await newGift({ initialStock: [{ location: 'central', quantity: 1 }] })).id, 2)).rejects.toMatchObject({ code: 'GIFT_OUT_OF_STOCK' })
    await expect(redeem((await newGift({ initialStock: [] })).id)).rejects.toMatchObject({ code: 'GIFT_OUT_OF_STOCK' })
    const gold = await newGift({ minTier: 'gold' })
    await expect(redeem(gold.id)).rejects.toMatchObject({ code: 'GIFT_TIER_REQUIRED' })
    await tamper(t, 'a tier without the year of spending that earns it').updateTable('points_accounts').set({ tier_code: 'diamond' }).where('member_id', '=', m.id).execute()
    expect(await redeem(gold.id)).toMatchObject({ status: 'reserved' })
    const limited = await newGift({ perMemberLimit: 2 })
    await redeem(limited.id, 2)
    await expect(redeem(limited.id)).rejects.toMatchObject({ code: 'GIFT_LIMIT_REACHED' })
    await expect(redeem('gft_nope')).rejects.toMatchObject({ code: 'GIFT_NOT_FOUND' })
    await reconciles()
  })

  it('a cancelled order no longer counts against the limit', async () => {
    const m = await memberWith(10_000)
    const g = await newGift({ perMemberLimit: 1 })
    const first = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    await t.services.gifts.cancel(t.actors.cashier, first.id, { reason: '顾客改主意' })
    expect(await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })).toMatchObject({ status: 'reserved' })
  })

  it('refuses frozen and merged members, and asks HQ where the gift is picked up', async () => {
    const g = await newGift()
    const frozen = await memberWith(1000)
    await t.services.members.setFrozen(t.actors.store_manager, frozen.id, true, '疑似盗刷')
    await expect(t.services.gifts.redeem(t.actors.cashier, { memberId: frozen.id, giftId: g.id })).rejects.toMatchObject({ code: 'MEMBER_NOT_ACTIVE' })
    const [survivor, merged] = [await memberWith(0), await memberWith(1000)]
    await t.services.members.merge(t.actors.service_agent, survivor.id, merged.id, '重复注册')
    await expect(t.services.gifts.redeem(t.actors.cashier, { memberId: merged.id, giftId: g.id })).rejects.toMatchObject({ code: 'MEMBER_MERGED' })
    await expect(t.services.gifts.redeem(t.actors.cashier, { memberId: 'mem_nope', giftId: g.id })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    const m = await memberWith(1000)
    await expect(t.services.gifts.redeem(t.actors.hq_admin, { memberId: m.id, giftId: g.id })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'pickupStoreId' }] })
    await expect(t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id, pickupStoreId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.gifts.redeem(t.actors.analyst, { memberId: m.id, giftId: g.id, pickupStoreId: t.stores.b })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await t.services.gifts.redeem(t.actors.hq_admin, { memberId: m.id, giftId: g.id, pickupStoreId: t.stores.b })).toMatchObject({ pickupStoreId: t.stores.b })
  })

  it('takes per-store stock at the pick-up store only', async () => {
    const g = await newGift({ stockMode: 'per_store', initialStock: [{ location: t.stores.a, quantity: 1 }] })
    const m = await memberWith(5000)
    await expect(t.services.gifts.redeem(t.actors.cashierB, { memberId: m.id, giftId: g.id })).rejects.toMatchObject({ code: 'GIFT_OUT_OF_STOCK' })
    expect(await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })).toMatchObject({ location: t.stores.a, pickupStoreId: t.stores.a })
    expect(await stockAt(g.id, t.stores.a)).toMatchObject({ available: 0, reserved: 1 })
    await reconciles()
  })
})

describe('pick-up, cancellation and expiry', () => {
  it('the pick-up store hands the gift over once; another store may not', async () => {
    const g = await newGift()
    const m = await memberWith(1000)
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    await expect(t.services.gifts.collect(t.actors.cashierB, order.id)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    const done = await t.services.gifts.collect(t.actors.service_agent, order.id)
    expect(done).toMatchObject({ status: 'collected', collectedAt: '2026-03-02T02:00:00.000Z', collectedBy: t.users.service_agent!.username })
    await expect(t.services.gifts.collect(t.actors.cashier, order.id)).rejects.toMatchObject({ code: 'GIFT_ORDER_NOT_RESERVED' })
    await expect(t.services.gifts.cancel(t.actors.cashier, order.id, { reason: '不要了' })).rejects.toMatchObject({ code: 'GIFT_ORDER_NOT_RESERVED' })
    expect(await stockAt(g.id)).toMatchObject({ stocked: 10, available: 9, reserved: 0, collected: 1 })
    expect((await t.services.audit.list(t.actors.hq_admin, { action: 'gift_order.collect', entityId: order.id })).items).toHaveLength(1)
    await expect(t.services.gifts.collect(t.actors.cashier, 'gor_nope')).rejects.toMatchObject({ code: 'GIFT_ORDER_NOT_FOUND' })
    await reconciles()
  })

  it('cancelling returns the stock and the points, into lots that expire when the spent ones would have', async () => {
    const g = await newGift({ pointsPrice: 700 })
    const m = await memberWith(1000)
    const lotsBefore = await t.services.loyalty.lots(t.actors.hq_admin, m.id)
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    await expect(t.services.gifts.cancel(t.actors.cashier, order.id, { reason: ' ' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'reason' }] })
    await expect(t.services.gifts.cancel(t.actors.cashierB, order.id, { reason: '顾客不要了' })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    const cancelled = await t.services.gifts.cancel(t.actors.cashier, order.id, { reason: '顾客不要了' })
    expect(cancelled).toMatchObject({ status: 'cancelled', closeReason: '顾客不要了', closedAt: '2026-03-02T02:00:00.000Z' })
    expect(await balance(m.id)).toBe(1000)
    expect(await stockAt(g.id)).toMatchObject({ available: 10, reserved: 0 })
    const lotsAfter = await t.services.loyalty.lots(t.actors.hq_admin, m.id)
    expect(lotsAfter.map((l) => [l.expiresOn, l.remaining])).toEqual(lotsBefore.map((l) => [l.expiresOn, l.remaining]))
    expect((await t.services.loyalty.entries(t.actors.hq_admin, m.id)).items[0]).toMatchObject({ kind: 'refund', points: 700, reference: order.id })
    await expect(t.services.gifts.cancel(t.actors.cashier, order.id, { reason: '再取消' })).rejects.toMatchObject({ code: 'GIFT_ORDER_NOT_RESERVED' })
    await reconciles()
  })

  it('expires orders not picked up in time, once, returning stock and points', async () => {
    const g = await newGift({ pointsPrice: 200, pickupDays: 2 })
    const m = await memberWith(1000)
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    const kept = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: (await newGift({ pickupDays: 30 })).id })
    try {
      // Two days' pick-up from Monday 10:00 ends as Wednesday closes (16:00 UTC).
      t.clock.set('2026-03-04T16:00:00.000Z')
      await expect(t.services.gifts.collect(t.actors.cashier, order.id)).rejects.toMatchObject({ code: 'GIFT_ORDER_EXPIRED' })
      const first = await t.services.gifts.expireDue()
      expect(first.orders).toBeGreaterThanOrEqual(1)
      expect(await t.services.gifts.expireDue()).toEqual({ orders: 0, points: 0 })
      expect(await t.services.gifts.getOrder(t.actors.cashier, order.id)).toMatchObject({ status: 'expired' })
      expect(await t.services.gifts.getOrder(t.actors.cashier, kept.id)).toMatchObject({ status: 'reserved' })
      expect(await balance(m.id)).toBe(1000 - 500)
      expect(await stockAt(g.id)).toMatchObject({ available: 10, reserved: 0 })
      await reconciles()
    } finally {
      t.clock.set('2026-03-02T02:00:00.000Z')
    }
  })
})

describe('lists', () => {
  it('a store sees its own orders; HQ filters by store, status and member; pages by cursor', async () => {
    const g = await newGift({ pointsPrice: 10, initialStock: [{ location: 'central', quantity: 100 }] })
    const m = await memberWith(1000)
    const a1 = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    const b1 = await t.services.gifts.redeem(t.actors.cashierB, { memberId: m.id, giftId: g.id })
    const a2 = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    await t.services.gifts.collect(t.actors.cashier, a2.id)
    const ofStoreA = await t.services.gifts.listOrders(t.actors.cashier, { giftId: g.id })
    expect(ofStoreA.items.map((o) => o.id)).toEqual([a2.id, a1.id])
    await expect(t.services.gifts.listOrders(t.actors.cashier, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.gifts.getOrder(t.actors.cashier, b1.id)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    expect((await t.services.gifts.listOrders(t.actors.hq_admin, { storeId: t.stores.b, giftId: g.id })).items.map((o) => o.id)).toEqual([b1.id])
    expect((await t.services.gifts.listOrders(t.actors.hq_admin, { status: 'collected', giftId: g.id })).items.map((o) => o.id)).toEqual([a2.id])
    expect((await t.services.gifts.listOrders(t.actors.hq_admin, { orderNo: a1.orderNo.toLowerCase() })).items.map((o) => o.id)).toEqual([a1.id])
    const page1 = await t.services.gifts.memberOrders(t.actors.cashierB, m.id, { limit: 2 })
    expect(page1.items.map((o) => o.id)).toEqual([a2.id, b1.id])
    const page2 = await t.services.gifts.memberOrders(t.actors.cashierB, m.id, { limit: 2, cursor: page1.nextCursor! })
    expect(page2).toEqual({ items: [expect.objectContaining({ id: a1.id })], nextCursor: null })
  })

  it('offers a member the gifts on sale with what stands in the way', async () => {
    const m = await memberWith(600)
    const cheap = await newGift({ pointsPrice: 100 })
    const dear = await newGift({ pointsPrice: 5000 })
    const gold = await newGift({ pointsPrice: 100, minTier: 'gold' })
    const none = await newGift({ pointsPrice: 100, initialStock: [] })
    const hidden = await newGift({ pointsPrice: 100, status: 'inactive' })
    const options = await t.services.gifts.optionsFor(t.actors.cashier, m.id)
    expect(options).toMatchObject({ spendable: 600, tier: 'regular', pickupStoreId: t.stores.a })
    const block = (id: string) => options.gifts.find((g) => g.id === id)?.block
    expect([block(cheap.id), block(dear.id), block(gold.id), block(none.id)]).toEqual([null, 'points', 'tier', 'stock'])
    expect(options.gifts.some((g) => g.id === hidden.id)).toBe(false)
  })
})

describe('prizes and merges', () => {
  it('a draw’s prize reserves one piece at no points inside the caller’s transaction, or gives null', async () => {
    const m = await memberWith(0)
    const g = await newGift({ initialStock: [{ location: 'central', quantity: 1 }] })
    const at = t.clock.now().toISOString()
    const prize = (giftId: string) => t.services.db.transaction().execute((trx) => t.services.gifts.internals.orderForPrize(trx, { giftId, memberId: m.id, actorName: 'draw', at }))
    const won = await prize(g.id)
    expect(won).not.toBeNull()
    expect(await t.services.gifts.getOrder(t.actors.hq_admin, won!.orderId)).toMatchObject({ points: 0, cash: 0, source: 'draw', status: 'reserved', location: 'central', pickupStoreId: null })
    expect(await prize(g.id)).toBeNull()
    expect(await prize((await newGift({ status: 'inactive' })).id)).toBeNull()
    expect(await prize('gft_nope')).toBeNull()
    const perStore = await newGift({ stockMode: 'per_store', initialStock: [{ location: t.stores.b, quantity: 2 }] })
    const fromB = await prize(perStore.id)
    expect(await t.services.gifts.getOrder(t.actors.hq_admin, fromB!.orderId)).toMatchObject({ location: t.stores.b, pickupStoreId: t.stores.b })
    // A prize without a pick-up store is handed over wherever the member turns up.
    expect(await t.services.gifts.collect(t.actors.cashier, won!.orderId)).toMatchObject({ status: 'collected', pickupStoreId: t.stores.a })
    await reconciles()
  })

  it('moves a merged member’s orders to the survivor', async () => {
    const [survivor, merged] = [await memberWith(0), await memberWith(1000)]
    const g = await newGift()
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: merged.id, giftId: g.id })
    await t.services.members.merge(t.actors.service_agent, survivor.id, merged.id, '重复注册')
    expect((await t.services.gifts.memberOrders(t.actors.cashier, survivor.id)).items.map((o) => o.id)).toEqual([order.id])
    // Cancelled after the merge, the points go back to the survivor, who now holds the merged account's points.
    await t.services.gifts.cancel(t.actors.cashier, order.id, { reason: '会员取消' })
    expect(await t.services.loyalty.verify()).toEqual([])
    expect(await t.services.verifyRewards()).toEqual([])
  })
})

describe('verify', () => {
  it('finds stock that does not add up and orders the ledger does not match', async () => {
    const g = await newGift({ pointsPrice: 100 })
    const m = await memberWith(1000)
    const order = await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: g.id })
    const db = tamper(t, 'stock and an order gone wrong for verify to find')
    await db.updateTable('gift_stock').set({ available: 10 }).where('gift_id', '=', g.id).execute()
    await db.updateTable('gift_orders').set({ status: 'cancelled' }).where('id', '=', order.id).execute()
    try {
      const problems = (await t.services.gifts.verify()).map((p) => p.id)
      expect(problems).toEqual(expect.arrayContaining([`${g.id}@central`, order.id]))
    } finally {
      await db.updateTable('gift_stock').set({ available: 9 }).where('gift_id', '=', g.id).execute()
      await db.updateTable('gift_orders').set({ status: 'reserved' }).where('id', '=', order.id).execute()
    }
    await reconciles()
  })
})

describe('demo gifts', () => {
  it('seeds the demo catalogue with stock once; a second run adds nothing', async () => {
    const first = await seedDemoGifts(t.services, t.actors.system)
    expect(first).toEqual({ created: 6, existing: 0 })
    expect(await seedDemoGifts(t.services, t.actors.system)).toEqual({ created: 0, existing: 6 })
    const oil = (await t.services.gifts.list(t.actors.hq_admin, { q: '食用油' }))[0]!
    expect(oil).toMatchObject({ stockMode: 'per_store', cashPrice: 990, available: 80 })
    await reconciles()
  })
})
