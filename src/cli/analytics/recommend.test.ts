import { InvalidArgumentError } from 'commander'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { render } from './output.js'
import { recommendReport } from './recommend.js'

const context = useTestContext()
let t: TestContext
let patron: Patron
let phone: string

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-10T02:00:00.000Z')
  patron = { services: t.services } as unknown as Patron
  for (const [sku, name] of [['TEA', '绿茶'], ['CAKE', '蛋糕'], ['JAM', '果酱']]) await t.given.product({ sku: sku!, name: name!, category: '食品', listPrice: 800, memberPrice: 700 })
  const member = await t.given.member({ phone: '13900001111' })
  phone = '13900001111'
  const other = await t.given.member()
  // The member buys 绿茶 on 1 and 2 March; another member buys 绿茶 with 蛋糕 twice.
  for (const d of ['01', '02']) await t.given.receipt({ member: { id: member.id }, businessAt: `2026-03-${d}T03:00:00.000Z`, lines: [['TEA', 1, 700]] })
  for (const d of ['03', '04']) await t.given.receipt({ member: { id: other.id }, businessAt: `2026-03-${d}T03:00:00.000Z`, lines: [['TEA', 1, 700], ['CAKE', 1, 700]] })
})

describe('patron analytics recommend', () => {
  it('builds the model, then prints a member\'s suggestions by phone with their reasons', async () => {
    const built = await recommendReport.run(patron, { format: 'table', build: true, days: '30' })
    expect(built.json).toMatchObject({ model: { from: '2026-02-09', to: '2026-03-10', baskets: 4, members: 2, products: 2, neighbours: 2 } })
    expect(render(built, 'table')).toContain('from the sales of 2026-02-09 to 2026-03-10: 4 baskets, 2 members, 2 products, 2 neighbour pairs')

    const out = await recommendReport.run(patron, { format: 'table', member: phone })
    const json = out.json as { items: Array<{ sku: string; reason: { kind: string } }> }
    // 绿茶 is the member's own (2 days); 蛋糕 is on 2 of 绿茶's 4 sales (one member buys both: too few for "similar").
    expect(json.items.map((i) => [i.sku, i.reason.kind])).toEqual([['TEA', 'repeat'], ['CAKE', 'together']])
    const table = render(out, 'table')
    expect(table).toMatch(/rank\s+sku\s+product\s+category\s+price\s+member price\s+score\s+why/)
    expect(table).toContain('bought on 2 days in the last year, last 2026-03-02')
    expect(table).toContain('often bought with 绿茶 (TEA)')
    expect(table).toContain('8.00')
    expect(render(out, 'csv').split('\n')[0]).toBe('rank,sku,product,category,price,member price,score,why')
  })

  it('refuses an unknown member, both actions at once, and bad numbers, saying why', async () => {
    await expect(recommendReport.run(patron, { format: 'table', member: '13900009999' })).rejects.toThrow(/--member 13900009999: no member has this id, phone or card number/)
    await expect(recommendReport.run(patron, { format: 'table' })).rejects.toThrow(InvalidArgumentError)
    await expect(recommendReport.run(patron, { format: 'table', build: true, member: phone })).rejects.toThrow(/--build or --member, not both/)
    await expect(recommendReport.run(patron, { format: 'table', build: true, days: '0' })).rejects.toThrow(/--days must be a whole number from 1 to 3660/)
    await expect(recommendReport.run(patron, { format: 'table', member: phone, limit: '2.5' })).rejects.toThrow(/--limit must be a whole number from 1 to 50/)
    await expect(recommendReport.run(patron, { format: 'table', member: phone, excludeDays: '-1' })).rejects.toThrow(/--exclude-days must be a whole number from 0 to 365/)
  })
})
