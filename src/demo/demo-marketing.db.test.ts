import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { DEMO_SMS_SIGNATURE, seedDemoMarketing } from './demo-marketing.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the demo marketing templates', () => {
  it('makes a template for each usual journey and the signature, each previewing cleanly; a re-run adds nothing', async () => {
    const system = { kind: 'system' as const, name: 'seed-demo' }
    expect(await seedDemoMarketing(t.services, system)).toEqual({ templates: 11 })
    expect(await seedDemoMarketing(t.services, system)).toEqual({ templates: 0 })
    expect(await t.services.templates.settings(t.actors.hq_marketing)).toMatchObject({ smsSignature: DEMO_SMS_SIGNATURE, emailTracking: true })
    const member = await t.given.member({ name: '赵敏' })
    for (const tpl of await t.services.templates.list(t.actors.hq_marketing)) {
      const p = await t.services.templates.preview(t.actors.hq_marketing, { templateId: tpl.id, memberId: member.id })
      expect(p.text, tpl.name).toContain('赵*')
      if (tpl.channel === 'sms') expect(p.text.startsWith(`【${DEMO_SMS_SIGNATURE}】`), tpl.name).toBe(true)
      if (tpl.channel === 'sms') expect(p.segments, tpl.name).toBeLessThanOrEqual(2)
    }
  })
})
