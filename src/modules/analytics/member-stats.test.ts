import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

describe('member dashboard figures', () => {
  it('counts members, new members since Monday in the chain time zone, by store and by channel', async () => {
    // Monday 2026-03-02 00:30 in Shanghai is Sunday 16:30 UTC.
    t.clock.set('2026-03-01T15:00:00Z')
    await t.given.member({ channel: 'qr' })
    t.clock.set('2026-03-01T16:30:00Z')
    await t.given.member()
    await t.given.member({ by: t.actors.cashierB })
    const frozen = await t.given.member({ by: t.actors.cashierB })
    await t.services.members.setFrozen(t.actors.hq_admin, frozen.id, true, 'lost card')
    t.clock.set('2026-03-04T02:00:00Z')

    const stats = await t.services.stats.memberStats(t.actors.hq_admin)
    expect(stats).toMatchObject({ total: 4, newThisWeek: 3, weekStartsAt: '2026-03-01T16:00:00.000Z', storeId: null })
    expect(stats.byStore).toEqual([
      { storeId: t.stores.a, storeName: '上海浦东店', count: 2 },
      { storeId: t.stores.b, storeName: '北京朝阳店', count: 2 },
    ])
    expect(stats.byChannel).toEqual([{ channel: 'till', count: 3 }, { channel: 'qr', count: 1 }])
  })

  it("limits a store manager to their store's members", async () => {
    const stats = await t.services.stats.memberStats(t.actors.managerB)
    expect(stats).toMatchObject({ total: 2, storeId: t.stores.b, byStore: [{ storeId: t.stores.b, count: 2 }] })
  })

  it('is served at /api/v1/dashboard/members to every staff role and not to a till', async () => {
    const cookie = await t.login(t.users.cashier!.username)
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/dashboard/members', headers: { cookie } })
    expect(res.statusCode).toBe(200)
    expect(res.json().total).toBe(2)
    const key = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till' })
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/dashboard/members', headers: { authorization: `Bearer ${key.key}` } })).statusCode).toBe(403)
  })
})
