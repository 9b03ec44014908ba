import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'
import { parseReceiptMapping } from '../transactions/index.js'
import { addMonths, type MemberFacts, type PurchaseFactDelta } from './index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const START = '2026-03-02T02:00:00.000Z'
const returnOf = (receiptNo: string, businessAt: string, lines?: Array<{ originalLineNo: number; quantity: number }>) =>
  ({ reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: receiptNo, businessAt, ...(lines ? { lines } : {}) })

/** The facts as a plain sum over the member's posted receipts says they should be, on the clock's month. */
const plainFacts = async (c: TestContext, memberId: string) => {
  const rows = await c.services.db.selectFrom('receipts').selectAll().where('member_id', '=', memberId).where('status', '=', 'posted').execute()
  const month = c.services.facts.currentMonth()
  const from = addMonths(month, -11)
  const sign = (r: (typeof rows)[number]) => (r.kind === 'sale' ? 1 : -1)
  const sum = (list: typeof rows, f: (r: (typeof rows)[number]) => number) => list.reduce((a, r) => a + f(r), 0)
  const inWindow = rows.filter((r) => r.business_date.slice(0, 7) >= from && r.business_date.slice(0, 7) <= month)
  const sales = rows.filter((r) => r.kind === 'sale').map((r) => r.business_at).sort()
  const months = new Map<string, { receipts: number; spend: number; points: number }>()
  for (const r of rows) {
    const m = months.get(r.business_date.slice(0, 7)) ?? { receipts: 0, spend: 0, points: 0 }
    months.set(r.business_date.slice(0, 7), { receipts: m.receipts + (r.kind === 'sale' ? 1 : 0), spend: m.spend + sign(r) * r.total, points: m.points + sign(r) * r.points_earned })
  }
  return {
    facts: {
      firstPurchaseAt: sales[0] ?? null, lastPurchaseAt: sales[sales.length - 1] ?? null,
      receiptCount: sales.length, spendTotal: sum(rows, (r) => sign(r) * r.total), pointsEarnedTotal: sum(rows, (r) => sign(r) * r.points_earned),
      receiptCount12m: inWindow.filter((r) => r.kind === 'sale').length, spend12m: sum(inWindow, (r) => sign(r) * r.total), pointsEarned12m: sum(inWindow, (r) => sign(r) * r.points_earned),
      windowMonth: month,
    },
    months: [...months].map(([m, v]) => ({ month: m, receipt_count: v.receipts, spend: v.spend, points_earned: v.points })).sort((a, b) => a.month.localeCompare(b.month)),
  }
}

const storedMonths = async (c: TestContext, memberId: string) =>
  (await c.services.facts.export(c.services.db, memberId)).member_monthly_activity!.map((m) => {
    const { member_id: _, ...rest } = m as { member_id: string }
    return rest
  })

const withoutIdAndTime = (f: MemberFacts | undefined) => {
  if (!f) return f
  const { memberId: _m, updatedAt: _u, ...rest } = f
  return rest
}

describe('member facts from the till', () => {
  it('follow sales, returns, a return that came before its sale and one without its sale, as the receipts add up', async () => {
    t.clock.set(START)
    const m = await t.given.member()
    const member = { id: m.id }
    const old = await t.services.receipts.postSale(t.actors.cashier, sale({ member, lines: [['SKU-F1', 1, 20000]], businessAt: '2024-12-10T02:00:00.000Z' }))
    await t.services.receipts.postSale(t.actors.cashier, sale({ member, lines: [['SKU-F1', 2, 15000]], businessAt: '2025-06-10T02:00:00.000Z' }))
    const now = await t.services.receipts.postSale(t.actors.cashier, sale({ member, lines: [['SKU-F1', 3, 5000], ['SKU-F2', 1, 990]], businessAt: '2026-03-01T02:00:00.000Z' }))
    await t.services.receipts.postReturn(t.actors.store_manager, returnOf(now.result.receiptNo, '2026-03-02T01:00:00.000Z', [{ originalLineNo: 1, quantity: 1 }]))
    await t.services.receipts.postReturn(t.actors.store_manager, returnOf(old.result.receiptNo, '2026-03-02T01:10:00.000Z'))
    // A return that arrives before its sale waits, and counts when the sale arrives.
    const later = sale({ member, lines: [['SKU-F1', 4, 2500]], businessAt: '2026-03-02T00:30:00.000Z' })
    expect((await t.services.receipts.postReturn(t.actors.store_manager, returnOf(later.receiptNo, '2026-03-02T01:20:00.000Z', [{ originalLineNo: 1, quantity: 1 }]))).result.status).toBe('pending')
    await t.services.receipts.postSale(t.actors.cashier, later)
    // A POS export's cancellation: a return without its sale.
    await t.services.receipts.postReturn(t.actors.store_manager, {
      reason: 'quality', receiptNo: nextReceiptNo('RX'), businessAt: '2026-03-02T01:30:00.000Z', member, lines: [{ sku: 'SKU-F2', quantity: 1, unitPrice: 990, amount: 990 }],
    })

    const expected = await plainFacts(t, m.id)
    expect(expected.facts).toMatchObject({ receiptCount: 4, spendTotal: 20000 + 30000 + 15990 + 10000 - 5000 - 20000 - 2500 - 990 })
    expect(withoutIdAndTime(await t.services.facts.get(t.services.db, m.id))).toEqual(expected.facts)
    expect(await storedMonths(t, m.id)).toEqual(expected.months)
    // What the member page shows is the same window.
    expect(await t.services.loyalty.points(t.actors.hq_admin, m.id)).toMatchObject({ spend12m: expected.facts.spend12m, pointsEarned12m: expected.facts.pointsEarned12m, receiptCount: 4 })
  })

  it('sum the window again when the month has turned, and the nightly refresh stores it', async () => {
    t.clock.set(START)
    const m = await t.given.member()
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-F1', 1, 10000]], businessAt: '2025-04-10T02:00:00.000Z' }))
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-F1', 1, 3000]], businessAt: '2026-03-01T02:00:00.000Z' }))
    expect(await t.services.facts.get(t.services.db, m.id)).toMatchObject({ spend12m: 13000, receiptCount12m: 2, windowMonth: '2026-03' })
    try {
      // April 2026: April 2025 has left the window.
      t.clock.set('2026-04-15T02:00:00.000Z')
      expect(await t.services.loyalty.points(t.actors.hq_admin, m.id)).toMatchObject({ spend12m: 3000, receiptCount: 2 })
      expect(await t.services.facts.refresh(t.services.db, m.id)).toMatchObject({ spend12m: 3000, receiptCount12m: 1, spendTotal: 13000, windowMonth: '2026-04' })
      await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-F1', 1, 500]], businessAt: '2026-04-15T01:00:00.000Z' }))
      expect(withoutIdAndTime(await t.services.facts.get(t.services.db, m.id))).toEqual((await plainFacts(t, m.id)).facts)
    } finally {
      t.clock.set(START)
    }
  })

  it('of two records of one person add up on the survivor of a merge, which does not list them among what moves', async () => {
    t.clock.set(START)
    const [survivor, merged] = [await t.given.member(), await t.given.member()]
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: survivor.id }, lines: [['SKU-F1', 1, 4000]], businessAt: '2026-02-01T02:00:00.000Z' }))
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: merged.id }, lines: [['SKU-F1', 1, 6000]], businessAt: '2026-02-03T02:00:00.000Z' }))
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: merged.id }, lines: [['SKU-F1', 1, 1000]], businessAt: '2024-01-03T02:00:00.000Z' }))
    const preview = await t.services.members.previewMerge(t.actors.service_agent, survivor.id, merged.id)
    expect(Object.keys(preview.moves).sort()).toEqual(['campaigns', 'consentChanges', 'eventRegistrations', 'feedback', 'journeys', 'messages', 'points', 'receipts', 'rewards', 'tickets'])
    await t.services.members.merge(t.actors.service_agent, survivor.id, merged.id, '重复注册')
    expect(await t.services.facts.get(t.services.db, merged.id)).toBeUndefined()
    expect(await storedMonths(t, merged.id)).toEqual([])
    const expected = await plainFacts(t, survivor.id)
    expect(expected.facts).toMatchObject({ receiptCount: 3, firstPurchaseAt: '2024-01-03T02:00:00.000Z', spend12m: 10000 })
    expect(withoutIdAndTime(await t.services.facts.get(t.services.db, survivor.id))).toEqual(expected.facts)
    expect(await storedMonths(t, survivor.id)).toEqual(expected.months)
    expect(await t.services.loyalty.verify()).toEqual([])
  })
})

describe('the facts writer', () => {
  const deltasFor = (ids: string[]): PurchaseFactDelta[] => ids.flatMap((memberId, k) => [
    { memberId, businessAt: '2026-01-05T02:00:00.000Z', month: '2026-01', receipts: 1, spend: 1000 + k, points: 10 },
    { memberId, businessAt: '2025-01-05T02:00:00.000Z', month: '2025-01', receipts: 1, spend: 700, points: 7 },
    { memberId, businessAt: '2026-02-05T02:00:00.000Z', month: '2026-02', receipts: 0, spend: -300, points: -3 },
    { memberId, businessAt: '2026-03-01T02:00:00.000Z', month: '2026-03', receipts: 1, spend: 50, points: 0 },
  ])

  it('gives the same facts for many members in one call as receipt by receipt, and returns them', async () => {
    t.clock.set(START)
    const together = [await t.given.member(), await t.given.member(), await t.given.member()].map((m) => m.id)
    const oneByOne = [await t.given.member(), await t.given.member(), await t.given.member()].map((m) => m.id)
    const returned = await t.services.db.transaction().execute((trx) => t.services.facts.recordPurchases(trx, deltasFor(together)))
    for (const d of deltasFor(oneByOne)) await t.services.db.transaction().execute((trx) => t.services.facts.recordPurchases(trx, [d]))
    for (const [k, id] of together.entries()) {
      const stored = await t.services.facts.get(t.services.db, id)
      expect(returned.get(id)).toEqual(stored)
      expect(withoutIdAndTime(stored)).toEqual(withoutIdAndTime(await t.services.facts.get(t.services.db, oneByOne[k]!)))
      expect(stored).toMatchObject({ receiptCount: 3, spendTotal: 1450 + k, receiptCount12m: 2, spend12m: 750 + k, pointsEarned12m: 7, firstPurchaseAt: '2025-01-05T02:00:00.000Z', lastPurchaseAt: '2026-03-01T02:00:00.000Z' })
      expect(await storedMonths(t, id)).toEqual(await storedMonths(t, oneByOne[k]!))
    }
  })

  it('keeps the running facts receipt by receipt until flushed, then writes them once', async () => {
    t.clock.set(START)
    const m = await t.given.member()
    const running = await t.services.db.transaction().execute(async (trx) => {
      const acc = await t.services.facts.accumulate(trx, [m.id])
      const seen = deltasFor([m.id]).map((d) => acc.add(d).spend12m)
      expect(await t.services.facts.get(trx, m.id)).toBeUndefined()
      await acc.flush()
      return seen
    })
    expect(running).toEqual([1000, 1000, 700, 750])
    expect(await t.services.facts.get(t.services.db, m.id)).toMatchObject({ spend12m: 750, receiptCount: 3 })
  })
})

describe('member facts from the bulk import', () => {
  const contexts: TestContext[] = []
  afterAll(async () => {
    for (const c of contexts) await c.close()
  })
  const MAP = 'No=receipt_no,Store=store,At=business_at,Sku=sku,Name=name,Qty=quantity,Price=unit_price,Member=member,Pay=tender'
  const csv = (rows: string[]) => `No,Store,At,Sku,Name,Qty,Price,Member,Pay\n${rows.join('\n')}\n`
  const january = csv([
    'F-1,SHA01,2026-01-05 10:00,K1,Rice,3,50.00,13700009001,cash',
    'F-2,SHA01,2025-01-20 10:00,K2,Oil,1,12.00,13700009001,cash',
  ])
  const march = csv([
    'F-3,SHA01,2026-03-01 10:00,K1,Rice,2,50.00,13700009001,cash',
    'F-4,SHA01,2026-03-01 11:00,K1,Rice,1,50.00,13700009002,cash',
    'F-5,SHA01,2024-03-01 11:00,K2,Oil,5,12.00,13700009002,cash',
    'CF-1,SHA01,2026-03-01 12:00,K1,Rice,-1,50.00,13700009001,cash',
    'CF-2,SHA01,2026-02-11 12:00,K2,Oil,-1,12.00,13700009002,cash',
  ])
  const importInto = (c: TestContext, file: string, writer: 'generic' | 'auto') => c.services.receiptImports.run(c.actors.hq_admin, {
    source: Readable.from([Buffer.from(file)]), gzip: false, mapping: parseReceiptMapping(MAP), onErrors: () => {},
    awardPoints: false, returnPrefix: 'CF', writer,
  })

  it('are the facts the receipts service keeps for the same receipts, across a month that turned', async () => {
    const facts = []
    for (const writer of ['generic', 'auto'] as const) {
      const c = await createTestContext()
      contexts.push(c)
      const a = await c.given.member({ phone: '13700009001' })
      const b = await c.given.member({ phone: '13700009002' })
      c.clock.set('2026-01-25T02:00:00.000Z')
      await importInto(c, january, writer)
      // In March the January window is stale: the writer sums it again from the monthly rows.
      c.clock.set('2026-03-02T02:00:00.000Z')
      await importInto(c, march, writer)
      facts.push(await Promise.all([a.id, b.id].map(async (id) => ({
        facts: withoutIdAndTime(await c.services.facts.get(c.services.db, id)), months: await storedMonths(c, id), plain: (await plainFacts(c, id)),
      }))))
    }
    const [generic, bulk] = facts as [typeof facts[number], typeof facts[number]]
    expect(generic[0]!.facts).toMatchObject({ receiptCount: 3, spendTotal: 15000 + 1200 + 10000 - 5000, spend12m: 20000, windowMonth: '2026-03' })
    expect(bulk).toEqual(generic)
    for (const m of generic) {
      expect(m.facts).toEqual(m.plain.facts)
      expect(m.months).toEqual(m.plain.months)
    }
  }, 120_000)
})
