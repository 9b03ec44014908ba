import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { seedDemoJourneys } from './demo-journeys.js'
import { seedDemoMarketing } from './demo-marketing.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the demo journeys', () => {
  it('makes the usual journeys active with the demo templates; a new member gets the welcome coupon and message through the sandbox; a re-run adds nothing', async () => {
    const system = { kind: 'system' as const, name: 'seed-demo' }
    await seedDemoMarketing(t.services, system)
    expect(await seedDemoJourneys(t.services, system)).toMatchObject({ journeys: 6 })
    expect(await seedDemoJourneys(t.services, system)).toEqual({ journeys: 0, enrolled: 0 })
    const { items } = await t.services.journeys.list(t.actors.hq_marketing)
    expect(items.map((j) => [j.name, j.status, j.trigger.type]).sort()).toEqual([
      ['升级祝贺', 'active', 'tier_upgrade'], ['新会员欢迎', 'active', 'registered'], ['沉睡唤醒', 'active', 'lifecycle'],
      ['生日关怀', 'active', 'birthday'], ['积分到期提醒', 'active', 'points_expiring'], ['首购感谢', 'active', 'first_purchase'],
    ].sort())

    const member = await t.given.member({ name: '钱多多', consents: { sms: true } })
    await t.drainJobs()
    const messages = await t.services.channels.listMessages(t.actors.hq_marketing, { memberId: member.id })
    expect(messages.items).toHaveLength(1)
    expect(messages.items[0]).toMatchObject({ channel: 'sms', providerKind: 'sandbox', status: 'delivered', sourceType: 'journey' })
    expect(messages.items[0]!.body).toMatch(/^【惠民超市】钱多多，欢迎加入会员！送您一张满50减10新人券，券码[0-9A-Z]+，\d{4}-\d\d-\d\d前有效。回T退订$/)
    // The first purchase is thanked by SMS (no email address), and the welcome reminder does not follow.
    await t.given.receipt({ member: { id: member.id }, businessAt: t.clock.now().toISOString() })
    await t.drainJobs()
    t.clock.advance(7 * 86_400_000 + 60_000)
    await t.drainJobs()
    const after = await t.services.journeys.ofMember(t.actors.hq_marketing, member.id)
    expect(after.map((j) => [j.name, j.status]).sort()).toEqual([['新会员欢迎', 'done'], ['首购感谢', 'done']])
    expect(after.find((j) => j.name === '新会员欢迎')!.steps.map((s) => s.outcome)).toEqual(['issued', 'sent', 'waited', 'yes', 'ended'])
  })
})
