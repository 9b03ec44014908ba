import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { lifecycleReport, paretoReport, quadrantsReport, rfmReport } from './classes.js'
import { render } from './output.js'

const context = useTestContext()
let t: TestContext
let patron: Patron
let cookie: string
beforeAll(async () => {
  t = await context()
  patron = { services: t.services } as unknown as Patron
  cookie = await t.login(t.users.analyst!.username)
  const a = await t.given.member({ incomeBand: '20k_plus' })
  const b = await t.given.member({ incomeBand: 'below_3k' })
  const c = await t.given.member({ by: t.actors.cashierB })
  await t.given.receipt({ member: { id: a.id }, lines: [['SKU-T', 1, 80_000]] })
  await t.given.receipt({ member: { id: b.id }, lines: [['SKU-T', 1, 15_000]] })
  await t.given.receipt({ by: t.actors.cashierB, member: { id: c.id }, lines: [['SKU-T', 1, 5_000]] })
  await t.services.insight.refresh({ full: true })
})

const api = async (url: string) => (await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } })).json()

describe('patron analytics rfm | quadrants | pareto | lifecycle', () => {
  it.each([
    ['rfm', rfmReport, '/insight/rfm'],
    ['quadrants', quadrantsReport, '/insight/quadrants'],
    ['lifecycle', lifecycleReport, '/insight/lifecycle'],
    ['pareto', paretoReport, '/insight/pareto'],
  ] as const)('%s prints the same figures as the API, one JSON document with --format json', async (_name, report, url) => {
    const out = await report.run(patron, {})
    expect(out.json).toEqual(await api(url))
    expect(JSON.parse(render(out, 'json'))).toEqual(out.json)
    expect(render(out, 'table').length).toBeGreaterThan(0)
    expect(render(out, 'csv').split('\n')[0]).toContain(',')
  })

  it('narrows to a store, and reads the pareto of a period', async () => {
    const store = await rfmReport.run(patron, { storeId: t.stores.b })
    expect(store.json).toMatchObject({ storeId: t.stores.b, scored: 1, spend: 5_000 })
    const pareto = await paretoReport.run(patron, { from: '2026-03-01', to: '2026-03-02', basis: 'gross' })
    expect(pareto.json).toMatchObject({ members: 3, spend: 100_000, top20Members: 1, top20Share: 0.8, membersFor80: 1 })
    expect(render(pareto, 'table')).toContain('80.0%')
  })

  it('refuses an --as-of other than the figures\' and an unknown --basis', async () => {
    await expect(rfmReport.run(patron, { asOf: '2026-01-01' })).rejects.toThrow(/as of 2026-03-02/)
    await expect(paretoReport.run(patron, { basis: 'both' })).rejects.toThrow(/net or gross/)
    await expect(quadrantsReport.run(patron, { region: 'NOPE' })).rejects.toThrow(/no region/)
  })
})
