import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { render } from './output.js'
import { rulesReport } from './rules.js'

const context = useTestContext()
let t: TestContext
let patron: Patron

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-10T02:00:00.000Z')
  patron = { services: t.services } as unknown as Patron
  for (const [sku, name, category] of [['TEA', '绿茶', '饮料'], ['CAKE', '蛋糕', '烘焙'], ['JAM', '果酱', '调味']]) {
    await t.given.product({ sku: sku!, name: name!, department: '食品', category: category!, listPrice: 800 })
  }
  // 5 × {绿茶, 蛋糕}, 2 × {绿茶, 蛋糕, 果酱}, 3 × {绿茶}: 10 baskets.
  const baskets: Array<[string[], number]> = [[['TEA', 'CAKE'], 5], [['TEA', 'CAKE', 'JAM'], 2], [['TEA'], 3]]
  for (const [skus, times] of baskets) for (let k = 0; k < times; k++) await t.given.receipt({ businessAt: '2026-03-05T03:00:00.000Z', lines: skus.map((s) => [s, 1, 800]) })
})

describe('patron analytics rules', () => {
  it('mines the sales and prints every rule, strongest first, and one JSON document with --format json', async () => {
    const out = await rulesReport.run(patron, { format: 'json', level: 'sku', from: '2026-03-01', to: '2026-03-10', minSupport: '0.2', minConfidence: '0.5' })
    const json = out.json as { run: { baskets: number; rules: number; level: string }; rules: Array<{ antecedent: Array<{ sku: string }>; consequent: Array<{ sku: string }>; baskets: number; confidence: number; lift: number }> }
    expect(json.run).toMatchObject({ baskets: 10, level: 'sku' })
    // Frequent (≥ 2 of 10): every pair and the triple; rules with confidence ≥ 0.5:
    // 蛋糕⇒绿茶 7/7, 绿茶⇒蛋糕 7/10, 果酱⇒绿茶 2/2, 果酱⇒蛋糕 2/2, 蛋糕+果酱⇒绿茶 2/2, 绿茶+果酱⇒蛋糕 2/2.
    const got = json.rules.map((r) => `${r.antecedent.map((i) => i.sku).sort().join('+')}=>${r.consequent[0]!.sku}:${r.baskets}`).sort()
    expect(got).toEqual(['CAKE+JAM=>TEA:2', 'CAKE=>TEA:7', 'JAM+TEA=>CAKE:2', 'JAM=>CAKE:2', 'JAM=>TEA:2', 'TEA=>CAKE:7'])
    expect(json.rules[0]!.lift).toBeCloseTo(1 / 0.7, 12)
    expect(JSON.parse(render(out, 'json'))).toMatchObject({ run: { rules: 6 } })
    const table = render(out, 'table')
    expect(table).toContain('Association rules at the sku level, sales 2026-03-01 to 2026-03-10: 10 baskets, 3 items')
    expect(table).toMatch(/if bought\s+then also\s+baskets\s+support\s+confidence\s+lift/)
    expect(table).toContain('{果酱 (JAM)}')
    expect(render(out, 'csv').split('\n')[0]).toBe('rank,if bought,then also,baskets,support,confidence,lift')
  })

  it('refuses a bad level, thresholds or length, and a period backwards, saying why', async () => {
    await expect(rulesReport.run(patron, { format: 'table', level: 'aisle' })).rejects.toThrow(/--level must be one of sku, subcategory, category, department/)
    await expect(rulesReport.run(patron, { format: 'table', minSupport: '0' })).rejects.toThrow(/--min-support must be a number above 0/)
    await expect(rulesReport.run(patron, { format: 'table', minConfidence: 'lots' })).rejects.toThrow(/--min-confidence must be a number/)
    await expect(rulesReport.run(patron, { format: 'table', maxLength: '1' })).rejects.toThrow(/--max-length must be a whole number from 2 to 10/)
    await expect(rulesReport.run(patron, { format: 'table', minLift: '-1' })).rejects.toThrow(/--min-lift must be a number from 0/)
    await expect(rulesReport.run(patron, { format: 'table', from: '2026-03-09', to: '2026-03-01' })).rejects.toMatchObject({ code: 'RULES_INVALID_INPUT', details: [{ field: 'from' }] })
  })
})
