import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

// On PostgreSQL the context's pool has 12 connections, so these races are real.
const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const codeOf = (o: PromiseSettledResult<unknown>) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'ok')
const memberWith = async (points: number) => {
  const m = await t.given.member()
  await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points, reason: '测试积分' })
  return m
}
const reconciles = async () => {
  expect(await t.services.loyalty.verify()).toEqual([])
  expect(await t.services.verifyRewards()).toEqual([])
}

describe('gift races', () => {
  it('the last piece in stock, 20 members at once: one order, 19 told it is out of stock, points and stock reconcile', async () => {
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '最后一件', pointsPrice: 500, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 1 }],
    })
    const members = await Promise.all(Array.from({ length: 20 }, () => memberWith(800)))
    const outcomes = await Promise.allSettled(members.map((m) => t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: gift.id })))
    const codes = outcomes.map(codeOf)
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(codes.filter((c) => c === 'GIFT_OUT_OF_STOCK')).toHaveLength(19)
    const winner = members[codes.indexOf('ok')]!
    const balances = await Promise.all(members.map(async (m) => (await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance))
    expect(balances.filter((b) => b === 300)).toHaveLength(1)
    expect(balances.filter((b) => b === 800)).toHaveLength(19)
    expect((await t.services.loyalty.points(t.actors.hq_admin, winner.id)).balance).toBe(300)
    expect((await t.services.gifts.get(t.actors.hq_admin, gift.id)).stock).toEqual([{ location: 'central', stocked: 1, available: 0, reserved: 1, collected: 0 }])
    await reconciles()
  })

  it('the same over HTTP: one 201 and nineteen 409 GIFT_OUT_OF_STOCK', async () => {
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '最后一件 HTTP', pointsPrice: 100, stockMode: 'per_store', pickupDays: 7, initialStock: [{ location: t.stores.a, quantity: 1 }],
    })
    const members = await Promise.all(Array.from({ length: 20 }, () => memberWith(100)))
    const cookie = await t.login(t.users.cashier!.username)
    const responses = await Promise.all(members.map((m) => t.app.inject({
      method: 'POST', url: `/api/v1/members/${m.id}/gift-orders`, headers: { cookie }, payload: { giftId: gift.id },
    })))
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1)
    const refused = responses.filter((r) => r.statusCode === 409)
    expect(refused).toHaveLength(19)
    expect(refused.every((r) => r.json().error.code === 'GIFT_OUT_OF_STOCK')).toBe(true)
    await reconciles()
  })

  it('one member racing past a limit of 2: two orders, the rest refused, the points spent twice only', async () => {
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '限兑两件', pointsPrice: 100, stockMode: 'central', pickupDays: 7, perMemberLimit: 2, initialStock: [{ location: 'central', quantity: 50 }],
    })
    const m = await memberWith(5000)
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: gift.id })))
    const codes = outcomes.map(codeOf)
    expect(codes.filter((c) => c === 'ok')).toHaveLength(2)
    expect(codes.filter((c) => c === 'GIFT_LIMIT_REACHED')).toHaveLength(18)
    expect((await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance).toBe(4800)
    expect((await t.services.gifts.get(t.actors.hq_admin, gift.id)).stock[0]).toMatchObject({ available: 48, reserved: 2 })
    await reconciles()
  })

  it('one member with points for 3 of 20 attempts: three orders, the rest refused for points, stock given back', async () => {
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '积分有限', pointsPrice: 300, stockMode: 'central', pickupDays: 7, initialStock: [{ location: 'central', quantity: 50 }],
    })
    const m = await memberWith(1000)
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: gift.id })))
    const codes = outcomes.map(codeOf)
    expect(codes.filter((c) => c === 'ok')).toHaveLength(3)
    expect(codes.filter((c) => c === 'LOYALTY_INSUFFICIENT_POINTS')).toHaveLength(17)
    expect((await t.services.gifts.get(t.actors.hq_admin, gift.id)).stock[0]).toMatchObject({ available: 47, reserved: 3 })
    await reconciles()
  })

  it('pick-ups, cancellations, expiry and prizes racing on the same orders each happen once', async () => {
    const gift = await t.services.gifts.create(t.actors.hq_marketing, {
      name: '竞态', pointsPrice: 50, stockMode: 'central', pickupDays: 1, initialStock: [{ location: 'central', quantity: 30 }],
    })
    const m = await memberWith(10_000)
    const orders = []
    for (let i = 0; i < 10; i++) orders.push(await t.services.gifts.redeem(t.actors.cashier, { memberId: m.id, giftId: gift.id }))
    const work = orders.flatMap((o) => [
      t.services.gifts.collect(t.actors.cashier, o.id),
      t.services.gifts.cancel(t.actors.cashier, o.id, { reason: '并发取消' }),
      t.services.gifts.collect(t.actors.service_agent, o.id),
    ])
    const prizes = Array.from({ length: 25 }, () => t.services.db.transaction().execute((trx) =>
      t.services.gifts.internals.orderForPrize(trx, { giftId: gift.id, memberId: m.id, actorName: 'draw', at: t.clock.now().toISOString() })))
    const [outcomes, won] = await Promise.all([Promise.allSettled(work), Promise.all(prizes)])
    for (let i = 0; i < orders.length; i++) expect(outcomes.slice(i * 3, i * 3 + 3).filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => ['GIFT_ORDER_NOT_RESERVED'].includes(codeOf(o)!))).toBe(true)
    // 20 pieces were left, and every cancellation put one back.
    const cancelled = (await t.services.gifts.listOrders(t.actors.hq_admin, { giftId: gift.id, status: 'cancelled' })).items.length
    const wonCount = won.filter((w) => w !== null).length
    expect(wonCount).toBeLessThanOrEqual(20 + cancelled)
    const stock = (await t.services.gifts.get(t.actors.hq_admin, gift.id)).stock[0]!
    expect(stock).toMatchObject({ stocked: 30, available: 20 + cancelled - wonCount })
    await reconciles()
    t.clock.set('2026-03-04T02:00:00.000Z')
    try {
      await Promise.all([t.services.gifts.expireDue(), t.services.gifts.expireDue(), t.services.gifts.expireDue()])
      const left = await t.services.gifts.listOrders(t.actors.hq_admin, { giftId: gift.id, status: 'reserved' })
      expect(left.items).toEqual([])
      await reconciles()
    } finally {
      t.clock.set('2026-03-02T02:00:00.000Z')
    }
  })
})
