import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'

// On PostgreSQL the context's pool has 12 connections, so these races are real.
const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const expectSound = async () => {
  expect(await t.services.loyalty.verify()).toEqual([])
  expect(await t.services.verifyRewards()).toEqual([])
}
const members = (n: number) => Promise.all(Array.from({ length: n }, () => t.given.member()))

describe('coupon races', () => {
  it('one coupon on 20 receipts at once: exactly one succeeds, the others get 409 with the reason', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '满100减20', kind: 'threshold', value: 2000, minSpend: 10000, validDays: 7 })
    const m = await t.given.member()
    const c = await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id })
    const tills = Array.from({ length: 20 }, () => t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-C', 1, 15000]], coupons: [{ code: c.code, amount: 2000 }] })))
    const outcomes = await Promise.allSettled(tills)
    const ok = outcomes.filter((o) => o.status === 'fulfilled')
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as { code: string; status: number; details: Array<{ field: string; reason: string }> })
    expect(ok).toHaveLength(1)
    expect(refused).toHaveLength(19)
    for (const r of refused) {
      expect(r).toMatchObject({ code: 'COUPON_ALREADY_USED', status: 409, details: [{ field: 'tenders[0].reference' }] })
      expect(r.details[0]!.reason).toMatch(/used/)
    }
    const sales = await t.services.db.selectFrom('receipts').select('id').where('member_id', '=', m.id).execute()
    expect(sales).toHaveLength(1)
    expect((await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance).toBe(130)
    await expectSound()
  })

  it('a member\'s full returns and new sales with coupons of one budgeted template, at once, all go through', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '限额可退券', kind: 'amount', value: 500, minSpend: 0, validDays: 7, restoreOnReturn: true, maxRedeemedValue: 1_000_000 })
    const pairs = await Promise.all(Array.from({ length: 12 }, async () => {
      const m = await t.given.member()
      const [a, b] = [await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id }), await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id })]
      const first = sale({ member: { id: m.id }, lines: [['SKU-D', 1, 3000]], coupons: [{ code: a.code, amount: 500 }] })
      await t.services.receipts.postSale(t.actors.cashier, first)
      return { m, b, first }
    }))
    const work = pairs.flatMap(({ m, b, first }) => [
      t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: first.businessAt, originalReceiptNo: first.receiptNo }),
      t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-D', 1, 3000]], coupons: [{ code: b.code, amount: 500 }] })),
    ])
    const outcomes = await Promise.allSettled(work)
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([])
    await expectSound()
  })

  it('20 staff issuing at once stop exactly at the issue budget', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '限量券', kind: 'amount', value: 500, minSpend: 0, validDays: 7, maxIssued: 5 })
    const ms = await members(20)
    const outcomes = await Promise.allSettled(ms.map((m) => t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id })))
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5)
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason.code === 'COUPON_BUDGET_EXHAUSTED')).toBe(true)
    expect((await t.services.coupons.getTemplate(t.actors.hq_admin, tpl.id)).issuedCount).toBe(5)
    await expectSound()
  })

  it('a double click: 10 issues with one issueKey at once give one coupon, the same to every click', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '补偿券', kind: 'amount', value: 500, minSpend: 0, validDays: 7 })
    const m = await t.given.member()
    const clicks = await Promise.all(Array.from({ length: 10 }, () => t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id, issueKey: 'complaint-42' })))
    expect(new Set(clicks.map((c) => c.id)).size).toBe(1)
    expect((await t.services.coupons.getTemplate(t.actors.hq_admin, tpl.id)).issuedCount).toBe(1)
    await expectSound()
  })

  it('a bulk issue interrupted and re-run gives every member exactly one coupon', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '会员日券', kind: 'amount', value: 500, minSpend: 0, validDays: 7 })
    const ms = await members(35)
    const keys = ms.map((m) => m.cardNo)
    let chunks = 0
    await expect(t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'day-1', keys }, {
      chunkSize: 10,
      afterChunk: () => {
        if (++chunks === 2) throw new Error('the process died')
      },
    })).rejects.toThrow('the process died')
    const runs = await t.services.coupons.listIssues(t.actors.hq_admin, tpl.id)
    expect(runs[0]).toMatchObject({ status: 'failed', issued: 20, errorMessage: 'the process died' })
    const rerun = await t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'day-1', keys }, { chunkSize: 10 })
    expect(rerun).toMatchObject({ status: 'completed', issued: 15, skipped: 20 })
    const held = await t.services.db.selectFrom('coupons').select(['member_id', (eb) => eb.fn.countAll<number>().as('n')]).where('template_id', '=', tpl.id).groupBy('member_id').execute()
    expect(held).toHaveLength(35)
    expect(held.every((h) => Number(h.n) === 1)).toBe(true)
    await expectSound()
  })

  it('two bulk issues of one list at once still give each member one coupon', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '双发券', kind: 'amount', value: 500, minSpend: 0, validDays: 7 })
    const ms = await members(30)
    const input = { templateId: tpl.id, issueKey: 'twice', keys: ms.map((m) => m.id) }
    const [a, b] = await Promise.all([
      t.services.coupons.issueBulk(t.actors.hq_marketing, input, { chunkSize: 7 }),
      t.services.coupons.issueBulk(t.actors.hq_marketing, input, { chunkSize: 7 }),
    ])
    expect(a.issued + b.issued).toBe(30)
    const n = await t.services.db.selectFrom('coupons').select((eb) => eb.fn.countAll<number>().as('n')).where('template_id', '=', tpl.id).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(30)
    await expectSound()
  })
})
