import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { COUPON_SALE_PREFIX } from './demo-activity.js'
import { EVENT_SALE_PREFIX } from './demo-events.js'
import { seedDemo } from './seed-demo.js'

// Apart from demo-receipts.test.ts, whose generated year would hold up this file's database.
const END = '2026-03-01T00:00:00.000Z'

describe('seeding the demo year', () => {
  const context = useTestContext()
  let t: TestContext
  beforeAll(async () => {
    t = await context()
  })

  it('posts the receipts through the real path: points earned and spent, ledger in balance, a re-run (even a day later) adds nothing', async () => {
    const first = await seedDemo(t.services, { members: 300, seed: 4, referenceDate: END, receipts: 800 })
    expect(first.receiptsFailed).toBe(0)
    expect(first.sales).toBeGreaterThan(750)
    expect(first.returns).toBeGreaterThan(0)
    expect(await t.services.loyalty.verify()).toEqual([])
    // The lifetime-value fit after the refresh: every member who bought has a P(alive) and a CLV.
    const buyers = await t.services.db.selectFrom('member_insight').select((eb) => eb.fn.countAll<number>().as('n')).where('receipts_total', '>', 0).executeTakeFirstOrThrow()
    expect(first.clv).toEqual({ scored: Number(buyers.n), refused: null })
    // …and the association rules of the last 90 days' baskets by category, stored for 关联规则.
    expect(first.rules.baskets).toBeGreaterThan(100)
    expect(first.rules.rules).toBeGreaterThan(0)
    expect((await t.services.rules.runs(t.actors.hq_admin))[0]).toMatchObject({ level: 'category', to: first.insight.asOf, ...first.rules })
    // …and the recommendation model of the same 90 days, which the member page and the till read.
    expect(first.recommendations.baskets).toBe(first.rules.baskets)
    expect(first.recommendations.neighbours).toBeGreaterThan(0)
    expect(await t.services.recommendations.latest(t.actors.hq_admin)).toMatchObject({ to: first.insight.asOf, ...first.recommendations })
    // …and the weekly forecast of every store's departments and the chain's categories (销售预测).
    const forecast = await t.services.forecast.latest(t.actors.hq_admin)
    console.log(`demo forecast: ${first.forecast.series} series in ${first.forecast.seconds} s`)
    expect(forecast.run).toMatchObject({ series: first.forecast.series, skipped: first.forecast.skipped })
    expect(forecast.series.filter((s) => s.level === 'chain_category').length).toBeGreaterThan(10)
    expect(forecast.series.filter((s) => s.level === 'store_department').length).toBeGreaterThan(10)

    const rules = await t.services.db.selectFrom('loyalty_rules').select(['name', 'kind']).execute()
    expect(rules.map((r) => r.kind).sort()).toEqual(['base', 'birthday', 'cap', 'multiplier', 'multiplier'])
    const totals = await t.services.db.selectFrom('receipts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('points_earned').as('points'), eb.fn.sum<number>('total').as('total')])
      .where('kind', '=', 'sale').where('receipt_no', 'not like', `${COUPON_SALE_PREFIX}%`).where('receipt_no', 'not like', `${EVENT_SALE_PREFIX}%`).executeTakeFirstOrThrow()
    // The demo year's sales; today's sales paid with coupons (demo-activity) and the tasting's sales (demo-events) come on top.
    expect(Number(totals.n)).toBe(first.sales)
    expect(Number(totals.points)).toBeGreaterThan(0)
    const paidWithPoints = await t.services.db.selectFrom('receipt_tenders').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'points').executeTakeFirstOrThrow()
    expect(Number(paidWithPoints.n)).toBeGreaterThan(0)
    const members = await t.services.db.selectFrom('member_purchase_stats').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(members.n)).toBeGreaterThan(50)
    // The seed ends with a full insight refresh: every live member has figures.
    const live = await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'not in', ['merged', 'erased']).executeTakeFirstOrThrow()
    expect(first.insight.members).toBe(Number(live.n))
    expect((await t.services.insight.freshness()).membersCovered).toBe(Number(live.n))

    const again = await seedDemo(t.services, { members: 300, seed: 4, referenceDate: END, receipts: 800 })
    expect(again).toMatchObject({ membersInserted: 0, productsInserted: 0, sales: 0, returns: 0, receiptsFailed: 0 })
    const after = await t.services.db.selectFrom('receipts').select((eb) => eb.fn.sum<number>('total').as('total')).where('kind', '=', 'sale')
      .where('receipt_no', 'not like', `${COUPON_SALE_PREFIX}%`).where('receipt_no', 'not like', `${EVENT_SALE_PREFIX}%`).executeTakeFirstOrThrow()
    expect(Number(after.total)).toBe(Number(totals.total))
    expect(await t.services.db.selectFrom('loyalty_rules').select('id').execute()).toHaveLength(rules.length)

    // The next day's run keeps the first run's year rather than adding another.
    const nextDay = await seedDemo(t.services, { members: 300, seed: 4, referenceDate: '2026-03-02T00:00:00.000Z', receipts: 800 })
    expect(nextDay).toMatchObject({ membersInserted: 0, sales: 0, returns: 0 })
  }, 300_000)
})
