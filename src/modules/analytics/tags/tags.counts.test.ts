import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

// Tag counts over time per registration store: the chain sums the stores, a store role reads its
// own, each compared with a plain count of member_tags joined to members.

const context = useTestContext()
let t: TestContext
const auth: Record<string, string> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['analyst', 'store_manager']) auth[key] = await t.login(t.users[key]!.username)
})

const DAY = '2026-03-02'

/** Members holding each tag now, per registration store ('' for none), counted plainly. */
const plainCounts = async (): Promise<Map<string, Map<string, number>>> => {
  const rows = await t.services.db.selectFrom('member_tags as mt').innerJoin('members as m', 'm.id', 'mt.member_id')
    .select(['mt.tag_id', 'm.registration_store_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['mt.tag_id', 'm.registration_store_id']).execute()
  const out = new Map<string, Map<string, number>>()
  for (const r of rows) {
    const perStore = out.get(r.tag_id) ?? new Map<string, number>()
    perStore.set(r.registration_store_id ?? '', Number(r.n))
    out.set(r.tag_id, perStore)
  }
  return out
}
const plainOf = (plain: Map<string, Map<string, number>>, tagId: string, stores: readonly string[] | 'all') =>
  [...(plain.get(tagId) ?? new Map<string, number>()).entries()].filter(([s]) => stores === 'all' || stores.includes(s)).reduce((sum, [, n]) => sum + n, 0)

describe('tag counts per store', () => {
  let vip: string
  let ofB: string
  let empty: string
  const countsOn = async (who: keyof TestContext['actors'], tagId: string, storeId?: string) =>
    (await t.services.tags.counts(t.actors[who], { from: DAY, to: DAY, tagId, ...(storeId ? { storeId } : {}) })).items.map((i) => i.members)

  beforeAll(async () => {
    vip = (await t.services.tags.create(t.actors.hq_marketing, { name: '贵宾', kind: 'manual' })).id
    ofB = (await t.services.tags.create(t.actors.hq_marketing, { name: '北京会员', kind: 'rule', rule: { field: 'registration_store', op: 'in', value: [t.stores.b] } })).id
    empty = (await t.services.tags.create(t.actors.hq_marketing, { name: '无人', kind: 'manual' })).id
    const inA = [await t.given.member(), await t.given.member(), await t.given.member()]
    const inB = [await t.given.member({ by: t.actors.cashierB }), await t.given.member({ by: t.actors.cashierB })]
    const nowhere = await t.given.member({ by: t.actors.hq_admin })
    expect(nowhere.registrationStoreId ?? null).toBeNull()
    for (const m of [inA[0]!, inA[1]!, inB[0]!, nowhere]) await t.services.tags.attach(t.actors.hq_admin, m.id, { tagId: vip })
    await t.services.insight.refresh({ full: true })
  })

  it('writes a row per tag and registration store that match a plain count', async () => {
    const plain = await plainCounts()
    const rows = await t.services.db.selectFrom('tag_counts_daily').select(['tag_id', 'store_id', 'members']).where('day', '=', DAY).execute()
    for (const tagId of [vip, ofB]) {
      const written = new Map(rows.filter((r) => r.tag_id === tagId).map((r) => [r.store_id, Number(r.members)]))
      expect(written).toEqual(plain.get(tagId))
    }
    expect(plain.get(vip)).toEqual(new Map([[t.stores.a, 2], [t.stores.b, 1], ['', 1]]))
    expect(plain.get(ofB)).toEqual(new Map([[t.stores.b, 2]]))
    // A tag nobody holds still has its day, as one row of 0.
    expect(rows.filter((r) => r.tag_id === empty).map((r) => [r.store_id, Number(r.members)])).toEqual([['', 0]])
  })

  it('gives the chain the sum of the stores and a store role its own store', async () => {
    const plain = await plainCounts()
    expect(await countsOn('analyst', vip)).toEqual([plainOf(plain, vip, 'all')])
    expect(await countsOn('analyst', vip)).toEqual([4])
    expect(await countsOn('store_manager', vip)).toEqual([plainOf(plain, vip, [t.stores.a])])
    expect(await countsOn('managerB', vip)).toEqual([plainOf(plain, vip, [t.stores.b])])
    expect(await countsOn('analyst', vip, t.stores.b)).toEqual([plainOf(plain, vip, [t.stores.b])])
    // The same days for every scope: a store without members of the tag reads 0, not a gap.
    expect(await countsOn('store_manager', ofB)).toEqual([0])
    expect(await countsOn('managerB', ofB)).toEqual([2])
    for (const who of ['analyst', 'store_manager', 'managerB'] as const) expect(await countsOn(who, empty)).toEqual([0])
    await expect(t.services.tags.counts(t.actors.store_manager, { from: DAY, to: DAY, storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
  })

  it('gives a store role a trend of its store on the tags list, and the chain the sum', async () => {
    const trendOf = async (who: keyof TestContext['actors'], tagId: string, storeId?: string) =>
      (await t.services.tags.list(t.actors[who], { status: 'active', ...(storeId ? { storeId } : {}) })).find((x) => x.id === tagId)!
    expect(await trendOf('analyst', vip)).toMatchObject({ members: 4, trend: [{ day: DAY, members: 4 }] })
    expect(await trendOf('store_manager', vip)).toMatchObject({ members: 2, trend: [{ day: DAY, members: 2 }] })
    expect(await trendOf('analyst', vip, t.stores.b)).toMatchObject({ members: 1, trend: [{ day: DAY, members: 1 }] })
    expect(await trendOf('store_manager', ofB)).toMatchObject({ members: 0, trend: [{ day: DAY, members: 0 }] })
    expect(await trendOf('analyst', empty)).toMatchObject({ members: 0, trend: [{ day: DAY, members: 0 }] })
    expect((await t.services.tags.get(t.actors.managerB, ofB)).trend).toEqual([{ day: DAY, members: 2 }])
  })

  it('rewrites the day on a second full refresh and adds the next day beside it', async () => {
    const [gone] = await t.services.db.selectFrom('member_tags as mt').innerJoin('members as m', 'm.id', 'mt.member_id')
      .select('mt.member_id').where('mt.tag_id', '=', vip).where('m.registration_store_id', '=', t.stores.a).execute()
    await t.services.tags.detach(t.actors.hq_admin, gone!.member_id, vip)
    await t.services.insight.refresh({ full: true })
    expect(await countsOn('analyst', vip)).toEqual([3])
    expect(await countsOn('store_manager', vip)).toEqual([1])

    t.clock.set('2026-03-03T02:00:00.000Z')
    try {
      await t.services.insight.refresh({ full: true })
      const plain = await plainCounts()
      const days = await t.services.tags.counts(t.actors.store_manager, { from: DAY, to: '2026-03-03', tagId: vip })
      expect(days.items.map((i) => [i.day, i.members])).toEqual([[DAY, 1], ['2026-03-03', plainOf(plain, vip, [t.stores.a])]])
      expect((await t.services.tags.get(t.actors.store_manager, vip)).trend).toEqual([{ day: DAY, members: 1 }, { day: '2026-03-03', members: 1 }])
    } finally {
      t.clock.set('2026-03-02T02:00:00.000Z')
    }
  })

  it('the counts route takes a store filter: refused outside a store role\'s scope, checked as input', async () => {
    const get = (who: string, query: string) => t.app.inject({ method: 'GET', url: `/api/v1/insight/tags/counts?${query}`, headers: { cookie: auth[who]! } })
    const mine = await get('store_manager', `from=${DAY}&to=${DAY}&tagId=${vip}`)
    expect(mine.statusCode).toBe(200)
    expect(mine.json().items).toEqual([{ day: DAY, tagId: vip, name: '贵宾', members: 1 }])
    const ofStoreB = await get('analyst', `from=${DAY}&to=${DAY}&tagId=${vip}&storeId=${t.stores.b}`)
    expect(ofStoreB.json().items.map((i: { members: number }) => i.members)).toEqual([1])
    const other = await get('store_manager', `from=${DAY}&to=${DAY}&storeId=${t.stores.b}`)
    expect(other.statusCode).toBe(403)
    expect(other.json().error).toMatchObject({ code: 'OUT_OF_STORE_SCOPE', details: [{ field: 'storeId' }] })
    const long = await get('analyst', `storeId=${'x'.repeat(65)}`)
    expect(long.statusCode).toBe(400)
    // An empty store id names no store (it read the members without one): refused, on the list too.
    for (const url of ['/api/v1/insight/tags/counts?storeId=', '/api/v1/insight/tags?storeId=']) {
      const empty = await t.app.inject({ method: 'GET', url, headers: { cookie: auth.analyst! } })
      expect(empty.statusCode, url).toBe(400)
      expect(JSON.stringify(empty.json()), url).toContain('storeId')
    }
  })
})
