import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { seedDemo } from './seed-demo.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

describe('seed-demo', () => {
  it('loads regions, 12 stores, staff who can sign in, and members through the real services; a re-run adds nothing', async () => {
    const first = await seedDemo(t.services, { members: 300, seed: 5, referenceDate: '2026-03-01T00:00:00Z', receipts: 0 })
    expect(first.membersInserted).toBe(300)
    // Without receipts nobody is 沉睡: the win-back campaign runs to no one; the member-day one is a draft.
    expect(first.marketing.campaigns).toEqual({ campaigns: 2, sent: 0 })
    expect((await t.services.campaigns.list(t.actors.hq_marketing)).items.map((c) => [c.name, c.status])).toEqual([['周六会员日', 'draft'], ['沉睡会员唤醒', 'completed']])
    const stores = await t.services.org.listStores(t.actors.hq_admin)
    expect(stores.filter((s) => /^[A-Z]{2}\d{3}$/.test(s.code))).toHaveLength(12)
    const cookie = await t.login('admin', first.staff.find((s) => s.username === 'admin')!.password)
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/members?limit=5', headers: { cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.json().items[0].phone).toMatch(/^1\d{2}\*{4}\d{4}$/)

    const again = await seedDemo(t.services, { members: 300, seed: 5, referenceDate: '2026-03-01T00:00:00Z', receipts: 0 })
    expect(again.membersInserted).toBe(0)
    expect(again.marketing.campaigns).toEqual({ campaigns: 0, sent: 0 })
    const count = await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('registration_channel', '!=', 'import').executeTakeFirstOrThrow()
    expect(Number(count.n)).toBeGreaterThanOrEqual(300)
  }, 180_000)

  it('registers demo members with their store, clerk, channel and consents', async () => {
    const cashier = await t.services.db.selectFrom('staff_users').select(['id', 'store_id']).where('username', '=', 'cashier.sh001').executeTakeFirstOrThrow()
    const members = await t.services.members.list(t.actors.hq_admin, { storeId: cashier.store_id!, limit: 200 })
    expect(members.items.length).toBeGreaterThan(0)
    for (const m of members.items.filter((x) => x.registeredBy !== null)) {
      expect(m.registeredBy).toBe(cashier.id)
      expect(['till', 'qr', 'mini_program']).toContain(m.registrationChannel)
      expect(m.consents).toHaveLength(5)
    }
  })
})
