import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { demoProducts } from './demo-products.js'
import { DEMO_TAGS, seedDemoTags } from './demo-tags.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the demo tags', () => {
  it('name departments the demo catalogue has', () => {
    const departments = new Set(demoProducts({ seed: 1 }).map((p) => p.department))
    for (const tag of DEMO_TAGS) {
      if (tag.rule && 'field' in tag.rule && tag.rule.field === 'bought') for (const d of tag.rule.value) expect(departments).toContain(d)
    }
  })

  it('are created once, the four of the issue among them, and one manual tag', async () => {
    const actor = { kind: 'system', name: 'seed-demo' } as const
    expect(await seedDemoTags(t.services, actor)).toEqual({ created: DEMO_TAGS.length })
    expect(await seedDemoTags(t.services, actor)).toEqual({ created: 0 })
    const tags = await t.services.tags.list(t.actors.analyst)
    expect(tags.map((x) => x.name)).toEqual(expect.arrayContaining(['母婴人群', '促销敏感型', '高价值客户', '沉睡客户', '投诉关注']))
    expect(tags.filter((x) => x.kind === 'manual').map((x) => x.name)).toEqual(['投诉关注'])
    expect(tags.find((x) => x.name === '促销敏感型')!.ruleText!['zh-CN']).toBe('促销占比至少500‰')
  })
})
