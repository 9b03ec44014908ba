import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { decodePicture } from '../modules/rewards/gift-rules.js'
import { COUPON_SALE_PREFIX } from './demo-activity.js'
import { seedDemo } from './seed-demo.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const count = async (table: 'coupons' | 'gift_orders' | 'draw_entries' | 'receipts', where: (q: any) => any = (q) => q) =>
  Number((await where(t.services.db.selectFrom(table).select((eb: any) => eb.fn.countAll().as('n'))).executeTakeFirstOrThrow()).n)

describe('the demo chain uses what it issues', () => {
  it('has members pay with coupons at the till, redeem gifts (collected, cancelled, waiting) and enter the draw; every gift has a picture; a re-run adds nothing', async () => {
    const first = await seedDemo(t.services, { members: 300, seed: 7, referenceDate: '2026-03-01T00:00:00.000Z', receipts: 900 })
    expect(first.activity.errors).toEqual([])
    expect(first.activity.couponSales).toBeGreaterThanOrEqual(20)

    // Coupons used through the till's path: the receipt names the coupon, the coupon names the receipt.
    const used = await t.services.db.selectFrom('coupons').innerJoin('receipts as r', 'r.id', 'coupons.used_receipt_id')
      .select(['coupons.status', 'coupons.discount', 'r.receipt_no', 'r.source', 'r.member_id', 'coupons.member_id as owner']).execute()
    expect(used).toHaveLength(first.activity.couponSales)
    for (const u of used) {
      expect(u).toMatchObject({ status: 'used', source: 'till', member_id: u.owner })
      expect(u.receipt_no.startsWith(COUPON_SALE_PREFIX)).toBe(true)
      expect(Number(u.discount)).toBe(2_000)
    }
    const couponTenders = await t.services.db.selectFrom('receipt_tenders').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'coupon').executeTakeFirstOrThrow()
    expect(Number(couponTenders.n)).toBe(first.activity.couponSales)

    // Gift orders in every state a report shows, and the points they took.
    const orders = await t.services.db.selectFrom('gift_orders').select(['status']).where('source', '=', 'redeem').execute()
    expect(orders.length).toBe(first.activity.giftOrders)
    const states = new Set(orders.map((o) => o.status))
    expect([...states].sort()).toEqual(['cancelled', 'collected', 'reserved'])
    expect(first.activity.giftOrders).toBeGreaterThanOrEqual(10)

    expect(first.activity.drawEntries).toBeGreaterThan(0)
    expect(await count('draw_entries')).toBe(first.activity.drawEntries)

    const gifts = await t.services.db.selectFrom('gifts').select(['picture', 'picture_type']).execute()
    expect(gifts.length).toBeGreaterThan(0)
    for (const g of gifts) expect(await decodePicture(g.picture!)).toMatchObject({ type: 'image/png' })

    // The reports a new user opens read something.
    const couponReport = await t.app.inject({ method: 'GET', url: '/api/v1/coupon-templates', headers: { cookie: await t.login(t.users.hq_admin!.username) } })
    expect(couponReport.statusCode).toBe(200)
    expect(await t.services.loyalty.verify()).toEqual([])

    const before = { coupons: await count('coupons'), orders: await count('gift_orders'), entries: await count('draw_entries'), receipts: await count('receipts') }
    const again = await seedDemo(t.services, { members: 300, seed: 7, referenceDate: '2026-03-01T00:00:00.000Z', receipts: 900 })
    expect(again.activity).toMatchObject({ couponSales: 0, giftOrders: 0, pictures: 0, drawEntries: 0 })
    expect({ coupons: await count('coupons'), orders: await count('gift_orders'), entries: await count('draw_entries'), receipts: await count('receipts') }).toEqual(before)
  }, 600_000)
})
