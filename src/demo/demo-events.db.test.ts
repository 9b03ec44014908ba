import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { DEMO_PANEL_TITLE, DEMO_TALK_TITLE, DEMO_TASTING_TITLE, EVENT_SALE_PREFIX, seedDemoEvents } from './demo-events.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the demo chain’s member events', () => {
  it('has a tasting last month with registrations, check-ins and purchases after, next month\'s panel open, a talk in draft; a re-run adds nothing', async () => {
    for (let i = 0; i < 40; i++) {
      const m = await t.given.member()
      await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 100 + i, reason: '演示积分' })
    }
    for (let i = 0; i < 5; i++) await t.given.product({ sku: `DEMO-EV-${i}`, name: `试吃新品${i}`, listPrice: 1_200 + i * 500 })
    t.clock.set('2026-06-30T08:00:00Z')
    const first = await seedDemoEvents(t.services, t.actors.system)
    expect(first).toMatchObject({ created: 3, registrations: 37, attended: 20 })
    expect(first.sales).toBeGreaterThan(10)

    const all = (await t.services.memberEvents.list(t.actors.hq_admin)).items
    const byTitle = (title: string) => all.find((e) => e.title === title)!
    expect(byTitle(DEMO_TASTING_TITLE)).toMatchObject({ status: 'closed', kind: 'launch', capacity: 40, seatsTaken: 26, startsAt: '2026-05-31T06:00:00.000Z' })
    expect(byTitle(DEMO_PANEL_TITLE)).toMatchObject({ status: 'open', kind: 'panel', seatsTaken: 7, startsAt: '2026-07-30T06:00:00.000Z' })
    expect(byTitle(DEMO_TALK_TITLE)).toMatchObject({ status: 'draft', kind: 'talk', seatsTaken: 0 })

    // The tasting's report: who came bought more than who did not.
    const report = await t.services.memberEvents.report(t.actors.hq_marketing, byTitle(DEMO_TASTING_TITLE).id)
    expect(report).toMatchObject({ registered: 26, cancelled: 4, attended: 20, noShows: 6, followUp: { partial: false } })
    expect(report.followUp.attendees.buyRate!).toBeGreaterThan(report.followUp.noShows.buyRate!)
    expect(report.followUp.attendees.salesPerMember!).toBeGreaterThan(0)
    const regs = (await t.services.memberEvents.registrations(t.actors.hq_admin, byTitle(DEMO_TASTING_TITLE).id, { limit: 200 })).items
    expect(regs.every((r) => r.registeredAt < byTitle(DEMO_TASTING_TITLE).startsAt)).toBe(true)
    expect(new Set(regs.map((r) => r.channel))).toEqual(new Set(['desk', 'till', 'campaign']))

    const again = await seedDemoEvents(t.services, t.actors.system)
    expect(again).toEqual({ created: 0, registrations: 0, attended: 0, sales: 0 })
    const sales = await t.services.db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).where('receipt_no', 'like', `${EVENT_SALE_PREFIX}%`).executeTakeFirstOrThrow()
    expect(Number(sales.n)).toBe(first.sales)
  }, 120_000)
})
