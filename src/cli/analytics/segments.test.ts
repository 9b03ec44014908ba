import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { render } from './output.js'
import { segmentCountReport } from './segments.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('patron analytics segment-count', () => {
  it('prints the same count as the API, now, as of a date and for one store', async () => {
    await t.given.member({ gender: 'female', registrationStoreId: t.stores.a, registeredAt: '2026-01-01T00:00:00.000Z' })
    await t.given.member({ gender: 'female', by: t.actors.cashierB })
    await t.given.member({ gender: 'male' })
    const seg = await t.services.segments.create(t.actors.analyst, {
      name: '老女会员', definition: { all: [{ field: 'gender', op: 'in', value: ['female'] }, { field: 'registered_days', op: 'gte', value: 30 }] },
    })
    const patron = { services: t.services } as unknown as Patron
    const out = await segmentCountReport.run(patron, { segment: seg.id })
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/insight/segments/${seg.id}/count`, headers: { cookie: await t.login(t.users.analyst!.username) } })
    expect(out.json).toMatchObject({ segment: { id: seg.id, name: '老女会员' }, count: 1, asOf: '2026-03-02' })
    expect((out.json as { count: number }).count).toBe(api.json().count)
    expect(JSON.parse(render(out, 'json'))).toEqual(out.json)
    expect(render(out, 'table')).toContain('老女会员')
    // as of 2026-01-20 the member had been registered 19 days only
    expect(await segmentCountReport.run(patron, { segment: seg.id, asOf: '2026-01-20' })).toMatchObject({ json: { count: 0, asOf: '2026-01-20' } })
    expect(await segmentCountReport.run(patron, { segment: seg.id, storeId: t.stores.b })).toMatchObject({ json: { count: 0 } })
    expect(await segmentCountReport.run(patron, { segment: seg.id, storeId: t.stores.a })).toMatchObject({ json: { count: 1 } })
    await expect(segmentCountReport.run(patron, { segment: 'seg_nope' })).rejects.toMatchObject({ code: 'SEGMENT_NOT_FOUND' })
    await expect(segmentCountReport.run(patron, {})).rejects.toThrow('--segment')
  })
})
