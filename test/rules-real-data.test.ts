import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MinedRule } from '../src/modules/analytics/index.js'
import { parseProductMapping } from '../src/modules/catalog/product-import.js'
import { parseReceiptMapping } from '../src/modules/transactions/receipt-import-rules.js'
import { useTestContext, type TestContext } from './context.js'
import { dataFile, parseCsv, type Csv } from './real-data/csv.js'

// Issue 13 §2: association rules on real baskets imported through Patron's importers (products
// with their levels, then the sales) and mined by the service, held to the published reference
// rule and to a plain count over the CSV that shares nothing with the miner.
//
// Groceries (arules; ../shared/data/groceries_arules): one month of a German grocery outlet's
// baskets of 169 item categories, without dates or prices. Each category is a product here
// (sku = its 3-digit code), its arules item the product's subcategory, level2 its category and
// level1 its department. The baskets are sales of 1 yuan per item, spread over May 2026 (the bakery's sales end in April, Instacart's orders are of 20 April).
// The Bread Basket (bakery) and Instacart (a subset of orders) import and mine too.

const read = (path: string): Csv => parseCsv(gunzipSync(readFileSync(dataFile(path))).toString('utf8'))
const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** Every itemset of up to `max` items and its baskets, counted plainly from each basket's subsets. */
const plainCounts = (baskets: string[][], max: number): Map<string, number> => {
  const counts = new Map<string, number>()
  const walk = (items: string[], from: number, chosen: string[]) => {
    for (let i = from; i < items.length; i++) {
      const next = [...chosen, items[i]!]
      const key = JSON.stringify(next)
      counts.set(key, (counts.get(key) ?? 0) + 1)
      if (next.length < max) walk(items, i + 1, next)
    }
  }
  for (const b of baskets) walk([...new Set(b)].sort(), 0, [])
  return counts
}

/** The rules X ⇒ {y} the plain counts give: every frequent itemset of 2+ items, each item in turn on the right. */
const plainRules = (baskets: string[][], minSupport: number, minConfidence: number, max: number) => {
  const n = baskets.length
  const counts = plainCounts(baskets, max)
  const minCount = Math.ceil(minSupport * n - 1e-9)
  const rules: string[] = []
  for (const [key, count] of counts) {
    const items = JSON.parse(key) as string[]
    if (items.length < 2 || count < minCount) continue
    for (const y of items) {
      const x = items.filter((i) => i !== y)
      const confidence = count / counts.get(JSON.stringify(x))!
      if (confidence >= minConfidence) rules.push(`${x.join('+')}=>${y}:${count}`)
    }
  }
  return rules.sort()
}

const ruleKey = (r: MinedRule, by: (i: MinedRule['antecedent'][number]) => string) =>
  `${r.antecedent.map(by).sort().join('+')}=>${r.consequent.map(by).join('+')}:${r.baskets}`

const context = useTestContext()
let t: TestContext

const importProducts = async (csv: string) => {
  const out = await t.services.productImports.run(t.actors.hq_admin, {
    source: Readable.from([Buffer.from(csv)]), mapping: parseProductMapping('sku=sku,name=name,department=department,category=category,subcategory=subcategory,list_price=list_price'),
  })
  expect(out, JSON.stringify(out).slice(0, 2000)).toMatchObject({ failed: 0 })
}

const importSales = async (csv: string, lines: number) => {
  const counts = await t.services.receiptImports.run(t.actors.hq_admin, {
    source: Readable.from([csv]), gzip: false,
    mapping: parseReceiptMapping('receipt=receipt_no,at=business_at,sku=sku,name=name,quantity=quantity,price=unit_price'),
    storeCode: 'SHA01', timezone: 'Asia/Shanghai', awardPoints: false, createMembers: false, memberKey: 'external',
  })
  expect(counts).toMatchObject({ linesRead: lines, failed: 0 })
}

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-06-01T02:00:00.000Z')
}, 60_000)

describe('Groceries (arules), imported and mined', () => {
  let baskets: Map<string, string[]>
  const codeOf = new Map<string, string>()

  beforeAll(async () => {
    const items = read('groceries_arules/groceries_items.csv.gz')
    const [code, item, level2, level1] = [items.col('item_code'), items.col('item'), items.col('level2'), items.col('level1')]
    await importProducts(`sku,name,department,category,subcategory,list_price\n${items.rows.map((r) =>
      [r[code]!, r[item]!, r[level1]!, r[level2]!, r[item]!, '1.00'].map(q).join(',')).join('\n')}\n`)
    for (const r of items.rows) codeOf.set(r[item]!, r[code]!)
    const csv = read('groceries_arules/groceries_basket_items.csv.gz')
    const [basket, bItem] = [csv.col('basket_id'), csv.col('item')]
    baskets = new Map()
    const out = ['receipt,at,sku,name,quantity,price']
    for (const r of csv.rows) {
      const id = r[basket]!
      baskets.set(id, [...(baskets.get(id) ?? []), codeOf.get(r[bItem]!)!])
      const day = String(1 + (Number(id) % 28)).padStart(2, '0')
      out.push([`G${id}`, `2026-05-${day} 10:00`, codeOf.get(r[bItem]!)!, r[bItem]!, '1', '1.00'].map(q).join(','))
    }
    await importSales(`${out.join('\n')}\n`, csv.rows.length)
  }, 600_000)

  const mine = (input: Parameters<TestContext['services']['rules']['mine']>[1]) =>
    t.services.rules.mine(t.actors.hq_admin, { from: '2026-05-01', to: '2026-05-31', ...input })

  it('gives {other vegetables} ⇒ {whole milk} as arules does: support 0.0748, confidence 0.387, lift 1.514', async () => {
    const { run, rules } = await mine({ level: 'subcategory', minSupport: 0.01, minConfidence: 0.1 })
    expect(run).toMatchObject({ baskets: 9_835, items: 169, level: 'subcategory' })
    const rule = rules.find((r) => r.antecedent.map((i) => i.key).join() === 'other vegetables' && r.consequent[0]!.key === 'whole milk')!
    expect(rule).toMatchObject({ baskets: 736, antecedentBaskets: 1_903, consequentBaskets: 2_513 })
    expect(rule.support).toBeCloseTo(0.0748, 4)
    expect(rule.confidence).toBeCloseTo(0.387, 3)
    expect(rule.lift).toBeCloseTo(1.514, 3)
  })

  it.each([
    { minSupport: 0.01, minConfidence: 0.1, maxLength: 3 },
    { minSupport: 0.005, minConfidence: 0.3, maxLength: 3 },
    { minSupport: 0.02, minConfidence: 0.2, maxLength: 2 },
  ])('finds exactly the rules a plain count of the CSV gives at the SKU level (support $minSupport, confidence $minConfidence, up to $maxLength items)', async (o) => {
    const { run, rules } = await mine({ level: 'sku', ...o })
    const plain = plainRules([...baskets.values()], o.minSupport, o.minConfidence, o.maxLength)
    expect(plain.length).toBeGreaterThan(10)
    expect(run.rules).toBe(plain.length)
    expect(rules.map((r) => ruleKey(r, (i) => i.sku!)).sort()).toEqual(plain)
  })

  it('mines at the category level (arules level2) the rules a plain count gives', async () => {
    const csv = read('groceries_arules/groceries_basket_items.csv.gz')
    const [basket, level2] = [csv.col('basket_id'), csv.col('level2')]
    const byLevel = new Map<string, string[]>()
    for (const r of csv.rows) byLevel.set(r[basket]!, [...(byLevel.get(r[basket]!) ?? []), r[level2]!])
    const { run, rules } = await mine({ level: 'category', minSupport: 0.02, minConfidence: 0.25, maxLength: 3 })
    expect(run.items).toBe(new Set(csv.rows.map((r) => r[level2])).size)
    expect(rules.map((r) => ruleKey(r, (i) => i.key)).sort()).toEqual(plainRules([...byLevel.values()], 0.02, 0.25, 3))
  })

  it('stores the run, and the browser filters its rules by an item, lift and size', async () => {
    const { run } = await mine({ level: 'subcategory', minSupport: 0.005, minConfidence: 0.2 })
    const page = await t.services.rules.list(t.actors.hq_marketing, { runId: run.id, item: 'whole milk', side: 'consequent', minLift: 1.5, limit: 1000 })
    expect(page.run?.id).toBe(run.id)
    expect(page.total).toBe(page.rules.length)
    expect(page.total).toBeGreaterThan(5)
    for (const r of page.rules) {
      expect(r.consequent[0]!.key).toBe('whole milk')
      expect(r.lift).toBeGreaterThanOrEqual(1.5)
    }
    const all = await t.services.rules.list(t.actors.hq_marketing, { runId: run.id, limit: 1000 })
    expect(all.total).toBe(run.rules)
    const expected = all.rules.filter((r) => r.consequent[0]!.key === 'whole milk' && r.lift >= 1.5).map((r) => r.rank)
    expect(page.rules.map((r) => r.rank)).toEqual(expected)
    const pairs = await t.services.rules.list(t.actors.hq_marketing, { runId: run.id, size: 2, sort: 'confidence', limit: 1000 })
    expect(pairs.rules.every((r) => r.antecedent.length === 1)).toBe(true)
    expect(pairs.rules.map((r) => r.confidence)).toEqual([...pairs.rules.map((r) => r.confidence)].sort((a, b) => b - a))
  })

  it('tells which products are bought with whole milk, counted from the sales', async () => {
    t.clock.set('2026-05-31T10:00:00.000Z')
    const milk = await t.services.catalog.getBySku(t.actors.hq_admin, codeOf.get('whole milk')!)
    const out = await t.services.rules.together(t.actors.hq_marketing, milk.id, { days: 31, limit: 5 })
    expect(out).toMatchObject({ baskets: 9_835, withProduct: 2_513 })
    const withMilk = [...baskets.values()].filter((b) => b.includes(codeOf.get('whole milk')!))
    const plain = new Map<string, number>()
    for (const b of withMilk) for (const c of new Set(b)) if (c !== codeOf.get('whole milk')) plain.set(c, (plain.get(c) ?? 0) + 1)
    const top = [...plain.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5)
    expect(out.items.map((i) => [i.sku, i.together])).toEqual(top)
    expect(out.items[0]).toMatchObject({ name: 'other vegetables', together: 736 })
    expect(out.items[0]!.lift).toBeCloseTo(1.514, 3)
    t.clock.set('2026-06-01T02:00:00.000Z')
  })
})

describe('The Bread Basket bakery and Instacart, imported and mined', () => {
  it('mines the bakery: {Toast} ⇒ {Coffee} among the rules, as a plain count gives them', async () => {
    const csv = read('bakery_bread_basket/bread_basket.csv.gz')
    const [date, time, tx, item] = [csv.col('date'), csv.col('time'), csv.col('transaction_id'), csv.col('item')]
    // NONE is a line with no item recorded: not an item. Dates move 469 weeks on (2016-10-30 →
    // 2025-10-26), so the weekdays stay.
    const rows = csv.rows.filter((r) => r[item] !== 'NONE')
    const names = [...new Set(rows.map((r) => r[item]!))]
    await importProducts(`sku,name,department,category,subcategory,list_price\n${names.map((n, i) => [`BB${i}`, n, 'bakery', n, n, '1.00'].map(q).join(',')).join('\n')}\n`)
    const sku = new Map(names.map((n, i) => [n, `BB${i}`]))
    const shift = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 469 * 7 * 86_400_000).toISOString().slice(0, 10)
    await importSales(`receipt,at,sku,name,quantity,price\n${rows.map((r) => [`B${r[tx]}`, `${shift(r[date]!)} ${r[time]!.slice(0, 5)}`, sku.get(r[item]!)!, r[item]!, '1', '1.00'].map(q).join(',')).join('\n')}\n`, rows.length)
    const baskets = new Map<string, string[]>()
    for (const r of rows) baskets.set(r[tx]!, [...(baskets.get(r[tx]!) ?? []), r[item]!])
    const { run, rules } = await t.services.rules.mine(t.actors.hq_admin, { level: 'category', from: '2025-10-26', to: '2026-04-05', minSupport: 0.01, minConfidence: 0.3, maxLength: 3 })
    expect(run.baskets).toBe(baskets.size)
    expect(rules.map((r) => ruleKey(r, (i) => i.key)).sort()).toEqual(plainRules([...baskets.values()], 0.01, 0.3, 3))
    const toast = rules.find((r) => r.antecedent.map((i) => i.key).join() === 'Toast' && r.consequent[0]!.key === 'Coffee')!
    const n = baskets.size
    const count = (has: string[]) => [...baskets.values()].filter((b) => has.every((h) => b.includes(h))).length
    expect(toast).toMatchObject({ baskets: count(['Toast', 'Coffee']), antecedentBaskets: count(['Toast']), consequentBaskets: count(['Coffee']) })
    expect(toast.lift).toBeCloseTo((count(['Toast', 'Coffee']) / count(['Toast'])) / (count(['Coffee']) / n), 9)
  }, 600_000)

  it('mines Instacart orders at the product, aisle and department levels', async () => {
    const orders = read('instacart_subset/order_products_train_head.csv.gz')
    const [order, product] = [orders.col('order_id'), orders.col('product_id')]
    const used = new Set(orders.rows.map((r) => r[product]!))
    const products = read('instacart_subset/products.csv.gz')
    const aisles = new Map(read('instacart_subset/aisles.csv.gz').rows.map((r) => [r[0]!, r[1]!]))
    const departments = new Map(read('instacart_subset/departments.csv.gz').rows.map((r) => [r[0]!, r[1]!]))
    const [pid, pname, paisle, pdept] = [products.col('product_id'), products.col('product_name'), products.col('aisle_id'), products.col('department_id')]
    // One name carries a control character, which the product importer refuses: it is dropped here.
    const catalogue = products.rows.filter((r) => used.has(r[pid]!)).map((r) => r.map((v, i) => (i === pname ? v.replace(/\p{Cc}/gu, '') : v)))
    await importProducts(`sku,name,department,category,subcategory,list_price\n${catalogue.map((r) =>
      [`IC${r[pid]}`, r[pname]!, departments.get(r[pdept]!)!, aisles.get(r[paisle]!)!, '', '1.00'].map(q).join(',')).join('\n')}\n`)
    const nameOf = new Map(catalogue.map((r) => [r[pid]!, r[pname]!]))
    await importSales(`receipt,at,sku,name,quantity,price\n${orders.rows.map((r) =>
      [`I${r[order]}`, '2026-04-20 10:00', `IC${r[product]}`, nameOf.get(r[product]!)!, '1', '1.00'].map(q).join(',')).join('\n')}\n`, orders.rows.length)
    const baskets = new Map<string, string[]>()
    for (const r of orders.rows) baskets.set(r[order]!, [...(baskets.get(r[order]!) ?? []), r[product]!])
    const period = { from: '2026-04-20', to: '2026-04-20' }
    const sku = await t.services.rules.mine(t.actors.hq_admin, { ...period, level: 'sku', minSupport: 0.005, minConfidence: 0.05, maxLength: 3 })
    expect(sku.run).toMatchObject({ baskets: baskets.size, items: used.size })
    expect(sku.rules.map((r) => ruleKey(r, (i) => i.sku!.slice(2))).sort()).toEqual(plainRules([...baskets.values()], 0.005, 0.05, 3))
    // Bananas are the most bought product: the strongest pair rules have the well-known organic fruit.
    expect(sku.rules.some((r) => r.consequent[0]!.label === 'Banana' || r.consequent[0]!.label === 'Bag of Organic Bananas')).toBe(true)
    const aisle = await t.services.rules.mine(t.actors.hq_admin, { ...period, level: 'category', minSupport: 0.05, minConfidence: 0.5, maxLength: 3 })
    expect(aisle.run.items).toBe(new Set(catalogue.map((r) => r[paisle])).size)
    expect(aisle.rules.length).toBeGreaterThan(0)
    expect(aisle.rules.every((r) => r.confidence >= 0.5 && r.support >= 0.05)).toBe(true)
    const dept = await t.services.rules.mine(t.actors.hq_admin, { ...period, level: 'department', minSupport: 0.1, minConfidence: 0.6 })
    expect(dept.rules.length).toBeGreaterThan(0)
  }, 600_000)
})
