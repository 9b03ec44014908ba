import type { KyselyPlugin } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { ensureProductsForLines, findProductsBySkus } from './index.js'

const context = useTestContext({ poolSize: 20 })
let t: TestContext
beforeAll(async () => {
  t = await context()
  await t.services.catalog.create(t.actors.hq_admin, {
    sku: 'E-KNOWN', name: '金龙鱼花生油 5L', listPrice: 8990, memberPrice: 7990, department: '粮油', category: '食用油', brand: '金龙鱼', pointsEligible: false,
  })
})

const NOW = '2026-03-02T03:00:00.000Z'
const countOf = async (sku: string) =>
  Number((await t.services.db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).where('sku', '=', sku).executeTakeFirstOrThrow()).n)

/** The database handle with a counter of the statements sent through it. */
const counted = () => {
  const counter = { queries: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.queries++
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  return { db: t.services.db.withPlugin(plugin), counter }
}

describe('products for receipt lines', () => {
  it('returns known products with one query and changes nothing', async () => {
    const { db, counter } = counted()
    const products = await ensureProductsForLines(db, [{ sku: 'E-KNOWN', unitPrice: 1 }, { sku: 'E-KNOWN', unitPrice: 2 }], NOW)
    expect(counter.queries).toBe(1)
    expect([...products.entries()]).toEqual([['E-KNOWN', {
      id: expect.stringMatching(/^prd_/), sku: 'E-KNOWN', name: '金龙鱼花生油 5L', department: '粮油', category: '食用油', subcategory: null, brand: '金龙鱼',
      listPrice: 8990, memberPrice: 7990, pointsEligible: false, soldByWeight: false,
    }]])
    expect((await t.services.catalog.getBySku(t.actors.hq_admin, 'E-KNOWN')).listPrice).toBe(8990)
  })

  it('adds unknown SKUs from their lines, marked as made from a receipt', async () => {
    const products = await ensureProductsForLines(t.services.db, [
      { sku: 'E-KNOWN', unitPrice: 100 },
      { sku: 'E-NEW-1', name: '  散装香蕉 ', unitPrice: 599, soldByWeight: true },
      { sku: 'E-NEW-2', unitPrice: 250 },
      { sku: 'E-NEW-1', name: '别的名字', unitPrice: 1 },
    ], NOW)
    expect([...products.keys()].sort()).toEqual(['E-KNOWN', 'E-NEW-1', 'E-NEW-2'])
    expect(products.get('E-NEW-1')).toMatchObject({ name: '散装香蕉', listPrice: 599, memberPrice: null, pointsEligible: true, soldByWeight: true, department: null })
    expect(products.get('E-NEW-2')).toMatchObject({ name: 'E-NEW-2', listPrice: 250, soldByWeight: false })
    expect(await t.services.catalog.getBySku(t.actors.hq_admin, 'E-NEW-1')).toMatchObject({ status: 'active', source: 'receipt', createdAt: NOW, updatedAt: NOW })
  })

  it('makes one product when 20 receipts bring the same new SKU at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.services.db.transaction().execute((trx) => ensureProductsForLines(trx, [{ sku: 'E-RACE', name: `并发 ${i}`, unitPrice: 100 + i }], NOW))))
    expect(new Set(results.map((m) => m.get('E-RACE')!.id)).size).toBe(1)
    expect(await countOf('E-RACE')).toBe(1)
  })

  it('refuses a line with an unusable SKU or, for a new SKU, price, naming the line', async () => {
    await expect(ensureProductsForLines(t.services.db, [{ sku: 'E-KNOWN', unitPrice: 1 }, { sku: ' E-BAD', unitPrice: 1 }], NOW))
      .rejects.toMatchObject({ status: 422, details: [{ field: 'lines.1.sku', reason: 'must not start or end with whitespace' }] })
    await expect(ensureProductsForLines(t.services.db, [{ sku: 'E-NEG', unitPrice: -5 }], NOW))
      .rejects.toMatchObject({ status: 422, details: [{ field: 'lines.0.unitPrice' }] })
    expect(await countOf('E-NEG')).toBe(0)
  })

  it('finds products by SKU without adding any', async () => {
    const found = await findProductsBySkus(t.services.db, ['E-KNOWN', 'E-NOWHERE', 'E-KNOWN'])
    expect([...found.keys()]).toEqual(['E-KNOWN'])
    expect(await countOf('E-NOWHERE')).toBe(0)
    expect((await findProductsBySkus(t.services.db, [])).size).toBe(0)
  })
})
