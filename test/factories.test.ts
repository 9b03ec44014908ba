import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from './context.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

describe('factories', () => {
  it('make a product, a sale with a member and its return through the services', async () => {
    const product = await t.given.product({ listPrice: 2500 })
    expect(await t.services.catalog.getBySku(t.actors.cashier, product.sku)).toMatchObject({ id: product.id, listPrice: 2500 })
    const member = await t.given.member()
    const sale = await t.given.receipt({ member: { id: member.id }, lines: [[product.sku, 2, 2500]] })
    expect(sale).toMatchObject({ kind: 'sale', status: 'posted', total: 5000, storeId: t.stores.a, member: { id: member.id } })
    const back = await t.given.return({ originalReceiptNo: sale.receiptNo, lines: [{ originalLineNo: 1, quantity: 1 }] })
    expect(back).toMatchObject({ kind: 'return', status: 'posted', total: 2500 })
    expect(await t.services.loyalty.verify()).toEqual([])
  })

  it('make coupon templates in any status and issue their coupons', async () => {
    const template = await t.given.couponTemplate({ value: 500, minSpend: 0, kind: 'amount' })
    expect(template).toMatchObject({ status: 'active', kind: 'amount', value: 500 })
    expect(await t.given.couponTemplate({ status: 'paused' })).toMatchObject({ status: 'paused' })
    const member = await t.given.member()
    const coupon = await t.given.coupon({ templateId: template.id, memberId: member.id })
    expect(coupon).toMatchObject({ templateId: template.id, memberId: member.id, status: 'issued', value: 500 })
    expect(await t.services.coupons.verify()).toEqual([])
  })

  it('make a gift with stock and redeem it for a member who has the points', async () => {
    const gift = await t.given.gift({ pointsPrice: 100, initialStock: [{ location: 'central', quantity: 3 }] })
    const member = await t.given.member()
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: member.id, points: 150, reason: '测试积分' })
    const order = await t.given.giftOrder({ giftId: gift.id, memberId: member.id })
    expect(order).toMatchObject({ giftId: gift.id, memberId: member.id, status: 'reserved' })
    expect((await t.services.loyalty.points(t.actors.hq_admin, member.id)).balance).toBe(50)
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it('make an active draw (or a draft) and a rebate programme', async () => {
    expect(await t.given.draw()).toMatchObject({ status: 'active', entryPoints: 50, prizes: [{ name: '100积分', stock: 10 }] })
    expect(await t.given.draw({ active: false })).toMatchObject({ status: 'draft' })
    expect(await t.given.rebate()).toMatchObject({ status: 'draft', basis: 'spend', reward: 'points', periodFrom: '2026-03-01' })
  })
})
