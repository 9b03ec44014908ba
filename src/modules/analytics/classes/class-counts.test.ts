import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { nextReceiptNo } from '../../../../test/receipts.js'
import { CLASS_COUNT_KINDS, groupsOfInsight, storedCounts } from './class-counts.repository.js'

// The class counts the pages read (insight_class_counts) equal a GROUP BY over member_insight
// after every kind of refresh: full, incremental with new sales (members moving between classes),
// a merge, an erasure and a member changing store.

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
  await t.given.product({ sku: 'CC-RICE', department: '粮油', category: '大米', listPrice: 5000 })
  await t.given.product({ sku: 'CC-MILK', department: '食品', category: '乳品', listPrice: 1500 })
})

const later = () => t.clock.advance(15 * 60_000)
let day = 0
const postSale = (memberId: string, sku: string, amount: number, storeId: string) => {
  day += 1
  const businessAt = new Date(Date.parse('2026-01-01T03:00:00.000Z') + day * 86_400_000).toISOString()
  return t.services.receipts.postSale(t.actors.hq_admin, {
    receiptNo: nextReceiptNo(), businessAt, member: { id: memberId }, storeId,
    lines: [{ sku, quantity: 1, unitPrice: amount, amount }], tenders: [{ kind: 'cash', amount }], total: amount,
  })
}

const sorted = <T extends { store_id: string; k1: string | null; k2: string | null; k3: string | null; k4: string | null }>(rows: T[]) =>
  [...rows].sort((a, b) => JSON.stringify([a.store_id, a.k1, a.k2, a.k3, a.k4]).localeCompare(JSON.stringify([b.store_id, b.k1, b.k2, b.k3, b.k4])))

const expectCountsAsGroupBy = async () => {
  for (const kind of CLASS_COUNT_KINDS) {
    const [stored, grouped] = await Promise.all([storedCounts(t.services.db, kind), groupsOfInsight(t.services.db, kind)])
    expect(sorted(stored), kind).toEqual(sorted(grouped))
  }
}

const classOf = async (memberId: string) =>
  t.services.db.selectFrom('member_insight').select(['rfm_class', 'quadrant', 'lifecycle', 'registration_store_id']).where('member_id', '=', memberId).executeTakeFirst()

describe('the class counts', () => {
  const ids: string[] = []
  beforeAll(async () => {
    for (let i = 0; i < 24; i++) {
      const m = await t.given.member({ by: i % 2 ? t.actors.cashier : t.actors.cashierB, incomeBand: i % 3 ? '8k_12k' : '20k_plus' })
      ids.push(m.id)
      for (let k = 0; k < i % 5; k++) await postSale(m.id, k % 2 ? 'CC-RICE' : 'CC-MILK', 1000 * (1 + ((i * 7 + k) % 11)), i % 2 ? t.stores.a : t.stores.b)
    }
    later()
    await t.services.insight.refresh({ full: true })
  })

  it('equal a GROUP BY over member_insight after a full refresh', async () => {
    await expectCountsAsGroupBy()
    const chain = (await storedCounts(t.services.db, 'rfm')).reduce((a, r) => a + r.members, 0)
    const members = await t.services.db.selectFrom('member_insight').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(chain).toBe(Number(members.n))
  })

  it('follow an incremental refresh where members move between classes', async () => {
    const before = await classOf(ids[0]!)
    for (let k = 0; k < 6; k++) await postSale(ids[0]!, 'CC-RICE', 9000, t.stores.b)
    await postSale(ids[5]!, 'CC-MILK', 20_000, t.stores.a)
    later()
    const result = await t.services.insight.refresh()
    expect(result).toMatchObject({ mode: 'incremental' })
    expect(await classOf(ids[0]!)).not.toEqual(before)
    await expectCountsAsGroupBy()
  })

  it('follow a merge and an erasure (rows gone at once) and the next incremental refresh', async () => {
    await t.services.members.merge(t.actors.hq_admin, ids[3]!, ids[4]!, '同一人')
    const insight = t.services.memberData.find((d) => d.name === 'insight')!
    await t.services.db.transaction().execute((trx) => insight.erase(trx, ids[7]!, { holderId: 'nobody', at: '2026-03-01T00:00:00.000Z' }))
    await expectCountsAsGroupBy()
    later()
    await t.services.insight.refresh()
    await expectCountsAsGroupBy()
  })

  it('follow a member changing store', async () => {
    const moved = ids[9]!
    expect(await classOf(moved)).toMatchObject({ registration_store_id: t.stores.a })
    later()
    await t.services.db.updateTable('members').set({ registration_store_id: t.stores.b, updated_at: t.clock.now().toISOString() }).where('id', '=', moved).execute()
    await t.services.db.insertInto('insight_dirty').values({ member_id: moved }).onConflict((oc) => oc.column('member_id').doNothing()).execute()
    later()
    await t.services.insight.refresh()
    expect(await classOf(moved)).toMatchObject({ registration_store_id: t.stores.b })
    await expectCountsAsGroupBy()
    await t.services.insight.refresh({ full: true })
    await expectCountsAsGroupBy()
  })

  it('follow full refreshes on later and earlier days: recency sums moved, only the members whose part changed counted again', async () => {
    const before = await t.services.insight.refresh({ full: true })
    const total = Number((await t.services.db.selectFrom('member_insight').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    // The same day again: nobody's part changed.
    expect(before.classCounts).toEqual({ members: 0 })
    // Three days on (the day turned: a full refresh): every recency grew by 3, few groups changed.
    t.clock.advance(3 * 86_400_000)
    const later3 = await t.services.insight.refresh()
    expect(later3).toMatchObject({ mode: 'full', fullReason: 'new_day' })
    expect(later3.classCounts).toEqual({ members: expect.any(Number) })
    expect((later3.classCounts as { members: number }).members).toBeLessThan(total)
    await expectCountsAsGroupBy()
    // A sale, then a year on (members leave the window, move stage), then back to an earlier date.
    await postSale(ids[1]!, 'CC-RICE', 7000, t.stores.a)
    t.clock.advance(400 * 86_400_000)
    await t.services.insight.refresh()
    await expectCountsAsGroupBy()
    const earlier = new Date(Date.parse(`${later3.asOf}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10)
    expect(await t.services.insight.refresh({ full: true, asOf: earlier })).toMatchObject({ mode: 'full', asOf: earlier })
    await expectCountsAsGroupBy()
  })
})
