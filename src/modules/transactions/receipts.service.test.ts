import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const balanceOf = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const expectLedgerSound = async () => expect(await t.services.loyalty.verify()).toEqual([])

describe('posting a sale', () => {
  it('stores the receipt, earns 1 point per yuan and returns the new balance and tier', async () => {
    const m = await t.given.member()
    const { result, replayed } = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 2, 1250], ['SKU-B', 1, 999]] }))
    expect(replayed).toBe(false)
    expect(result).toMatchObject({ kind: 'sale', status: 'posted', total: 3499, points: 34, pointsUsed: 0, member: { id: m.id, balance: 34, negative: false, tier: { code: 'regular' } } })
    expect(result.explanation).toEqual([{ ruleId: 'rul_default_base', name: '基础积分', kind: 'base', points: 34 }])
    const view = await t.services.receipts.get(t.actors.hq_admin, result.receiptId)
    expect(view.lines.map((l) => [l.sku, l.quantity, l.amount])).toEqual([['SKU-A', 2, 2500], ['SKU-B', 1, 999]])
    expect(view.lines.reduce((a, l) => a + l.points, 0)).toBe(34)
    const points = await t.services.loyalty.points(t.actors.hq_admin, m.id)
    expect(points).toMatchObject({ balance: 34, receiptCount: 1, spend12m: 3499 })
    await expectLedgerSound()
  })

  it('gives the first result again for a resent receipt, with no second effect', async () => {
    const m = await t.given.member()
    const input = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 10000]] })
    const first = await t.services.receipts.postSale(t.actors.cashier, input)
    const again = await t.services.receipts.postSale(t.actors.cashier, { ...input })
    expect(again.replayed).toBe(true)
    expect(again.result).toEqual(first.result)
    expect(await balanceOf(m.id)).toBe(100)
  })

  it('answers a resend naming a member merged since with the first result, not a reused number', async () => {
    const merged = await t.given.member()
    const survivor = await t.given.member()
    const input = sale({ member: { cardNo: merged.cardNo }, lines: [['SKU-M', 1, 2500]] })
    const first = await t.services.receipts.postSale(t.actors.cashier, input)
    await t.services.members.merge(t.actors.hq_admin, survivor.id, merged.id, '同一人')
    // The offline till sends it again a day later: the card now finds the survivor.
    const again = await t.services.receipts.postSale(t.actors.cashier, { ...input })
    expect(again).toEqual({ result: first.result, replayed: true })
    expect(await balanceOf(survivor.id)).toBe(25)
    await expect(t.services.receipts.postSale(t.actors.cashier, { ...input, total: 2400, lines: [{ ...input.lines[0]!, unitPrice: 2400, amount: 2400 }], tenders: [{ kind: 'cash', amount: 2400 }] }))
      .rejects.toMatchObject({ code: 'RECEIPT_NUMBER_REUSED' })
  })

  it('refuses another receipt reusing a number with 409 and keeps the first', async () => {
    const input = sale({ lines: [['SKU-A', 1, 500]] })
    await t.services.receipts.postSale(t.actors.cashier, input)
    await expect(t.services.receipts.postSale(t.actors.cashier, { ...input, lines: [{ ...input.lines[0]!, quantity: 2, amount: 1000 }], total: 1000, tenders: [{ kind: 'cash', amount: 1000 }] }))
      .rejects.toMatchObject({ code: 'RECEIPT_NUMBER_REUSED' })
  })

  it('records a non-member receipt without points', async () => {
    const { result } = await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['SKU-C', 3, 300]] }))
    expect(result).toMatchObject({ member: null, points: 0, total: 900 })
  })

  it('refuses a receipt whose total does not add up, saying by how much, and stores nothing', async () => {
    const input = { ...sale({ lines: [['SKU-A', 1, 500]] }), total: 600 }
    await expect(t.services.receipts.postSale(t.actors.cashier, input)).rejects.toMatchObject({
      code: 'RECEIPT_TOTAL_MISMATCH', details: expect.arrayContaining([{ field: 'total', reason: 'lines add up to 500, -100 from the total 600' }]),
    })
    await expect(t.services.receipts.list(t.actors.hq_admin, { receiptNo: input.receiptNo })).resolves.toMatchObject({ items: [] })
  })

  it('pays with points, earning only on the rest', async () => {
    const m = await t.given.member()
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 50000]] }))
    const { result } = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { cardNo: m.cardNo }, lines: [['SKU-A', 1, 800]], points: 300 }))
    expect(result).toMatchObject({ pointsUsed: 300, points: 5, member: { balance: 500 - 300 + 5 } })
    await expectLedgerSound()
  })

  it('refuses paying with more points than the member has and changes nothing', async () => {
    const m = await t.given.member()
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 10000]] }))
    const input = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 1000]], points: 200 })
    await expect(t.services.receipts.postSale(t.actors.cashier, input)).rejects.toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS' })
    expect(await balanceOf(m.id)).toBe(100)
    await expect(t.services.receipts.list(t.actors.hq_admin, { receiptNo: input.receiptNo })).resolves.toMatchObject({ items: [] })
  })
})

describe('the catalogue as the till sees it', () => {
  it('earns by the product as it is now: a product made ineligible earns nothing on the next sale', async () => {
    const m = await t.given.member()
    const product = await t.services.catalog.create(t.actors.hq_admin, { sku: 'CACHE-1', name: '香烟', listPrice: 2000 })
    const first = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['CACHE-1', 1, 2000]] }))
    expect(first.result.points).toBe(20)
    await t.services.catalog.update(t.actors.hq_admin, product.id, { pointsEligible: false })
    const second = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['CACHE-1', 1, 2000]] }))
    expect(second.result.points).toBe(0)
    await t.services.catalog.update(t.actors.hq_admin, product.id, { pointsEligible: true })
    const third = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['CACHE-1', 1, 2000]] }))
    expect(third.result.points).toBe(20)
  })

  it('posts 60 sales sent at once each exactly once, one of them refused on its own', async () => {
    const m = await t.given.member()
    const inputs = Array.from({ length: 60 }, (_, i) => sale({ member: { id: m.id }, lines: [[`GRP-${i % 7}`, 1, 100 + i]] }))
    // One of them pays with points the member does not have: it fails alone, the rest post.
    inputs[17] = sale({ member: { id: m.id }, lines: [['GRP-0', 1, 2000]], points: 1000 })
    const outcomes = await Promise.allSettled(inputs.map((input) => t.services.receipts.postSale(t.actors.cashier, input)))
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1)
    expect(outcomes[17]).toMatchObject({ status: 'rejected', reason: { code: 'LOYALTY_INSUFFICIENT_POINTS' } })
    const earned = inputs.filter((_, i) => i !== 17).length
    expect(await balanceOf(m.id)).toBe(earned)
    const stored = await t.services.db.selectFrom('receipts').select('receipt_no').where('member_id', '=', m.id).execute()
    expect(stored).toHaveLength(59)
    await expectLedgerSound()
  })
})

describe('returns', () => {
  it('reverses the points of the returned lines and gives back points that paid for them', async () => {
    const m = await t.given.member()
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 150000]] }))
    const s = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 4, 1000], ['SKU-B', 1, 6000]], points: 1000 }))
    expect(s.result).toMatchObject({ points: 90, pointsUsed: 1000 })
    const before = await balanceOf(m.id)
    const r = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:30:00.000Z', lines: [{ originalLineNo: 1, quantity: 2 }] })
    expect(r.result).toMatchObject({ kind: 'return', status: 'posted', total: 2000 })
    expect(r.result.points).toBe(18)
    expect(r.result.pointsUsed).toBe(200)
    expect(await balanceOf(m.id)).toBe(before - 18 + 200)
    // the rest of the receipt, returned in full
    const rest = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:40:00.000Z' })
    expect(rest.result.total).toBe(8000)
    expect(r.result.points + rest.result.points).toBe(90)
    expect(r.result.pointsUsed + rest.result.pointsUsed).toBe(1000)
    await expect(t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:50:00.000Z' }))
      .rejects.toMatchObject({ code: 'RETURN_NOTHING_LEFT' })
    await expectLedgerSound()
  })

  it('may leave a negative balance, which blocks spending until repaid', async () => {
    const m = await t.given.member()
    const s = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 30000]] }))
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 1000]], points: 300, tenders: [{ kind: 'points', amount: 300, points: 300 }, { kind: 'cash', amount: 700 }] }))
    await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:30:00.000Z' })
    const points = await t.services.loyalty.points(t.actors.hq_admin, m.id)
    expect(points.balance).toBe(7 - 300)
    expect(points.negative).toBe(true)
    expect(points.spendable).toBe(0)
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 100]], points: 1 }))).rejects.toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS' })
    await expectLedgerSound()
    // earning repays the debt first
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 40000]] }))
    expect(await balanceOf(m.id)).toBe(7 - 300 + 400)
    await expectLedgerSound()
  })

  it('keeps a return that arrives before its sale and applies it when the sale arrives', async () => {
    const m = await t.given.member()
    const input = sale({ member: { id: m.id }, lines: [['SKU-A', 2, 5000]] })
    const early = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: input.receiptNo, businessAt: '2026-03-02T01:30:00.000Z', lines: [{ originalLineNo: 1, quantity: 1 }] })
    expect(early.result.status).toBe('pending')
    const s = await t.services.receipts.postSale(t.actors.cashier, input)
    expect(s.result.points).toBe(100)
    expect(s.result.member?.balance).toBe(50)
    const view = await t.services.receipts.get(t.actors.hq_admin, early.result.receiptId)
    expect(view).toMatchObject({ status: 'posted', total: 5000, points: 50, originalReceiptId: s.result.receiptId })
    await expectLedgerSound()
  })

  it('refuses returning more than was sold', async () => {
    const s = await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['SKU-A', 1, 100]] }))
    await expect(t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.result.receiptNo, businessAt: '2026-03-02T01:30:00.000Z', lines: [{ originalLineNo: 1, quantity: 2 }] }))
      .rejects.toMatchObject({ code: 'RETURN_EXCEEDS_SALE', details: [{ field: 'lines[0].quantity', reason: '2 but only 1 of line 1 are left to return' }] })
  })
})

describe('offline batches', () => {
  it('posts each item on its own, says which failed and why, and a resend changes nothing', async () => {
    const m = await t.given.member()
    const good = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 2000]] })
    const bad = { ...sale({ lines: [['SKU-A', 1, 2000]] }), total: 1 }
    const ret = { receiptNo: nextReceiptNo('RT'), originalReceiptNo: good.receiptNo, businessAt: '2026-03-02T01:30:00.000Z', reason: 'quality' }
    const items = [{ type: 'return' as const, ...ret }, { type: 'sale' as const, ...good }, { type: 'sale' as const, ...bad }]
    const first = await t.services.receipts.postBatch(t.actors.store_manager, items)
    expect(first.items.map((i) => i.status)).toEqual(['pending', 'posted', 'failed'])
    expect(first.items[2]!.error?.code).toBe('RECEIPT_TOTAL_MISMATCH')
    expect(await balanceOf(m.id)).toBe(0)
    const again = await t.services.receipts.postBatch(t.actors.store_manager, items)
    expect(again.items.map((i) => i.status)).toEqual(['replayed', 'replayed', 'failed'])
    expect(await balanceOf(m.id)).toBe(0)
    await expectLedgerSound()
  })
})

describe('rules in force at business time', () => {
  it('earns by the rule version valid when the sale happened, not when it arrived', async () => {
    const m = await t.given.member()
    await t.services.loyalty.reviseRule(t.actors.hq_admin, 'base', {
      name: '基础积分 (新)', definition: { kind: 'base', fenPerPoint: 50, rounding: 'floor', excludeTenders: ['points', 'coupon'] }, validFrom: '2026-03-01T16:00:00.000Z',
    })
    const old = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 1000]], businessAt: '2026-02-28T10:00:00.000Z' }))
    const fresh = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-A', 1, 1000]], businessAt: '2026-03-02T01:00:00.000Z' }))
    expect(old.result.points).toBe(10)
    expect(fresh.result.points).toBe(20)
  })
})

describe('posting many at once (imports)', () => {
  // before the base rule revised above
  const FEB = '2026-02-28T10:00:00.000Z'
  it('posts all in one go, and when one fails posts the others on their own', async () => {
    const m = await t.given.member()
    const a = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 1000]], businessAt: FEB })
    const b = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 2000]], businessAt: FEB })
    const ok = await t.services.receipts.internals.postMany(t.actors.system, [{ type: 'sale', input: { ...a, storeId: t.stores.a } }, { type: 'sale', input: { ...b, storeId: t.stores.a } }], { source: 'import' })
    expect(ok.map((r) => r.ok && r.result.points)).toEqual([10, 20])
    const c = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 3000]], businessAt: FEB })
    const broke = sale({ member: { id: m.id }, lines: [['SKU-A', 1, 3000]], points: 1000, businessAt: FEB })
    const mixed = await t.services.receipts.internals.postMany(t.actors.system, [
      { type: 'sale', input: { ...a, storeId: t.stores.a } }, { type: 'sale', input: { ...broke, storeId: t.stores.a } }, { type: 'sale', input: { ...c, storeId: t.stores.a } },
    ], { source: 'import' })
    expect(mixed.map((r) => (r.ok ? (r.replayed ? 'replayed' : 'posted') : r.error.code))).toEqual(['replayed', 'LOYALTY_INSUFFICIENT_POINTS', 'posted'])
    expect(await balanceOf(m.id)).toBe(60)
    await expectLedgerSound()
  })
})
