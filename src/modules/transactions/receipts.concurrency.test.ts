import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'

// On PostgreSQL the context's pool has 12 connections, so these races are real.
const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const settle = <T>(work: Array<Promise<T>>) => Promise.allSettled(work)
const balanceOf = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance

describe('races', () => {
  it('the same receipt posted 100 times at once has one effect', async () => {
    const m = await t.given.member()
    const input = sale({ member: { id: m.id }, lines: [['SKU-A', 3, 3300]] })
    const outcomes = await settle(Array.from({ length: 100 }, () => t.services.receipts.postSale(t.actors.cashier, { ...input })))
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([])
    const results = outcomes.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof t.services.receipts.postSale>>>).value)
    expect(results.filter((r) => !r.replayed)).toHaveLength(1)
    expect(new Set(results.map((r) => r.result.receiptId)).size).toBe(1)
    const stored = await t.services.db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).where('receipt_no', '=', input.receiptNo).executeTakeFirstOrThrow()
    expect(Number(stored.n)).toBe(1)
    expect(await balanceOf(m.id)).toBe(99)
    expect(await t.services.loyalty.verify()).toEqual([])
  })

  it('50 concurrent spends against a balance covering 10: exactly 10 succeed, never below zero', async () => {
    const m = await t.given.member()
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 1000, reason: '测试积分' })
    // Each pays 100 points and 100 fen cash; the cash earns 1 point, too little for an 11th spend.
    const spends = Array.from({ length: 50 }, () => t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 200]], points: 100 })))
    const outcomes = await settle(spends)
    const ok = outcomes.filter((o) => o.status === 'fulfilled')
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(ok).toHaveLength(10)
    expect(refused.every((r) => (r.reason as { code?: string }).code === 'LOYALTY_INSUFFICIENT_POINTS')).toBe(true)
    expect(await balanceOf(m.id)).toBe(10)
    const negative = await t.services.db.selectFrom('points_entries').select('id').where('member_id', '=', m.id).where('balance_after', '<', 0).execute()
    expect(negative).toEqual([])
    expect(await t.services.loyalty.verify()).toEqual([])
  })

  it('a return racing the spending of the points it reverses ends in an allowed state and the ledger reconciles', async () => {
    for (let round = 0; round < 5; round++) {
      const m = await t.given.member()
      const s = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 50000]] }))
      expect(s.result.points).toBe(500)
      const [ret, spend] = await Promise.allSettled([
        t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:30:00.000Z' }),
        t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 1000]], points: 400, tenders: [{ kind: 'points', amount: 400, points: 400 }, { kind: 'cash', amount: 600 }] })),
      ] as const)
      expect(ret.status).toBe('fulfilled')
      const balance = await balanceOf(m.id)
      if (spend.status === 'fulfilled') {
        // spent first: the return took back 500 that were partly gone, leaving a debt
        expect(balance).toBe(500 - 400 + 6 - 500)
      } else {
        expect((spend.reason as { code?: string }).code).toBe('LOYALTY_INSUFFICIENT_POINTS')
        expect(balance).toBe(0)
      }
      expect(await t.services.loyalty.verify()).toEqual([])
    }
  })

  it('two partial returns of one sale racing never return more than was sold', async () => {
    const m = await t.given.member()
    const s = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 3, 1000]] }))
    const outcomes = await settle(Array.from({ length: 5 }, () => t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality',
      receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:30:00.000Z', lines: [{ originalLineNo: 1, quantity: 1 }],
    })))
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3)
    const view = await t.services.receipts.get(t.actors.hq_admin, s.result.receiptId)
    expect(view.lines[0]!.returnedQuantity).toBe(3)
    expect(await balanceOf(m.id)).toBe(0)
    expect(await t.services.loyalty.verify()).toEqual([])
  })
})
