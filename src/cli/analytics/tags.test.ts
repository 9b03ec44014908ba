import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { render } from './output.js'
import { tagsReport } from './tags.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('patron analytics tags', () => {
  it('prints the members per tag now and per refresh day, the same figures as the API', async () => {
    await t.given.member({ gender: 'female' })
    await t.given.member({ gender: 'male', registrationStoreId: t.stores.b, by: t.actors.cashierB })
    await t.services.insight.refresh({ full: true })
    await t.services.tags.create(t.actors.analyst, { name: '女性会员', kind: 'rule', rule: { field: 'gender', op: 'in', value: ['female'] } })
    await t.services.tags.create(t.actors.analyst, { name: '投诉关注', kind: 'manual' })
    await t.services.insight.refresh({ full: true })

    const patron = { services: t.services } as unknown as Patron
    const out = await tagsReport.run(patron, {})
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/insight/tags', headers: { cookie: await t.login(t.users.analyst!.username) } })
    const json = out.json as { tags: Array<{ name: string; members: number }>; daily: { items: Array<{ day: string; name: string; members: number }> } }
    expect(json.tags.map((x) => [x.name, x.members])).toEqual(api.json().map((x: { name: string; members: number }) => [x.name, x.members]))
    expect(json.tags.map((x) => [x.name, x.members])).toEqual([['女性会员', 1], ['投诉关注', 0]])
    expect(json.daily.items).toEqual(expect.arrayContaining([expect.objectContaining({ day: '2026-03-02', name: '女性会员', members: 1 })]))
    expect(render(out, 'table')).toContain('女性会员')
    expect(JSON.parse(render(out, 'json'))).toEqual(out.json)

    const storeB = await tagsReport.run(patron, { storeId: t.stores.b })
    expect((storeB.json as { tags: Array<{ name: string; members: number }> }).tags.find((x) => x.name === '女性会员')!.members).toBe(0)
  })
})
