import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { CreateProductInput } from './catalog.types.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const create = (input: Partial<CreateProductInput> & { sku: string }) =>
  t.services.catalog.create(t.actors.hq_admin, { name: `商品 ${input.sku}`, listPrice: 1000, ...input })

const auditOf = (id: string) =>
  t.services.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', id).orderBy('id').execute()

describe('products', () => {
  it('adds a product with defaults and finds it by id, SKU and barcode', async () => {
    const p = await create({ sku: 'S-APPLE', name: ' 红富士苹果 ', barcode: '6901234567892', department: '生鲜', category: '水果', listPrice: 1290, memberPrice: 990, soldByWeight: true })
    expect(p).toMatchObject({
      id: expect.stringMatching(/^prd_/), sku: 'S-APPLE', name: '红富士苹果', barcode: '6901234567892', department: '生鲜', category: '水果', subcategory: null,
      brand: null, listPrice: 1290, memberPrice: 990, pointsEligible: true, soldByWeight: true, status: 'active', source: 'manual',
      createdAt: '2026-03-02T02:00:00.000Z', updatedAt: '2026-03-02T02:00:00.000Z',
    })
    expect(await t.services.catalog.get(t.actors.cashier, p.id)).toEqual(p)
    expect(await t.services.catalog.getBySku(t.actors.cashier, 'S-APPLE')).toEqual(p)
    expect(await t.services.catalog.lookupBarcode(t.actors.cashier, '6901234567892')).toEqual(p)
    expect(await auditOf(p.id)).toEqual([expect.objectContaining({ action: 'product.create' })])
  })

  it('prefers the active product when several share a barcode', async () => {
    const old = await create({ sku: 'S-BC-1', barcode: '12345670' })
    await t.services.catalog.deactivate(t.actors.hq_admin, old.id)
    const current = await create({ sku: 'S-BC-2', barcode: '12345670' })
    expect((await t.services.catalog.lookupBarcode(t.actors.cashier, '12345670')).id).toBe(current.id)
  })

  it('refuses a second product with the same SKU with 409 on sku', async () => {
    await create({ sku: 'S-DUP' })
    await expect(create({ sku: 'S-DUP' })).rejects.toMatchObject({ status: 409, code: 'PRODUCT_SKU_TAKEN', details: [{ field: 'sku', reason: expect.any(String) }] })
  })

  it.each([
    ['empty SKU', { sku: '' }, 'sku'],
    ['SKU with a space at the end', { sku: 'S-SPACE ' }, 'sku'],
    ['SKU over 64 characters', { sku: 'S'.repeat(65) }, 'sku'],
    ['blank name', { sku: 'S-V1', name: '   ' }, 'name'],
    ['negative list price', { sku: 'S-V2', listPrice: -1 }, 'listPrice'],
    ['list price in yuan', { sku: 'S-V3', listPrice: 12.5 }, 'listPrice'],
    ['negative member price', { sku: 'S-V4', memberPrice: -1 }, 'memberPrice'],
    ['member price above the list price', { sku: 'S-V5', listPrice: 500, memberPrice: 600 }, 'memberPrice'],
    ['barcode with letters', { sku: 'S-V6', barcode: 'ABC12345' }, 'barcode'],
    ['barcode too short', { sku: 'S-V7', barcode: '1234567' }, 'barcode'],
    ['barcode too long', { sku: 'S-V8', barcode: '123456789012345' }, 'barcode'],
  ])('refuses a %s with 422 naming the field', async (_label, input, field) => {
    await expect(create(input)).rejects.toMatchObject({ status: 422, code: 'VALIDATION', details: [expect.objectContaining({ field })] })
  })

  it('changes only what an update names, audits the difference, and skips a no-op', async () => {
    const p = await create({ sku: 'S-UPD', listPrice: 800, brand: '农夫' })
    t.clock.advance(60_000)
    const updated = await t.services.catalog.update(t.actors.hq_marketing, p.id, { listPrice: 900, memberPrice: 850, brand: '农夫', department: '粮油' })
    expect(updated).toMatchObject({ listPrice: 900, memberPrice: 850, brand: '农夫', department: '粮油', name: p.name, updatedAt: '2026-03-02T02:01:00.000Z' })
    const again = await t.services.catalog.update(t.actors.hq_marketing, p.id, { listPrice: 900 })
    expect(again).toEqual(updated)
    const trail = await auditOf(p.id)
    expect(trail.map((a) => a.action)).toEqual(['product.create', 'product.update'])
    expect(JSON.parse(trail[1]!.changes!)).toEqual({ listPrice: { from: 800, to: 900 }, memberPrice: { from: null, to: 850 }, department: { from: null, to: '粮油' } })
  })

  it('checks an update against the product as it will be', async () => {
    const p = await create({ sku: 'S-UPD2', listPrice: 800, memberPrice: 700 })
    await expect(t.services.catalog.update(t.actors.hq_admin, p.id, { listPrice: 600 }))
      .rejects.toMatchObject({ status: 422, details: [{ field: 'memberPrice', reason: 'must not exceed the list price' }] })
    await expect(t.services.catalog.update(t.actors.hq_admin, 'prd_nope', { listPrice: 600 })).rejects.toMatchObject({ status: 404, code: 'PRODUCT_NOT_FOUND' })
    expect((await t.services.catalog.get(t.actors.hq_admin, p.id)).listPrice).toBe(800)
  })

  it('deactivates and reactivates, auditing each change once', async () => {
    const p = await create({ sku: 'S-DEACT' })
    expect(await t.services.catalog.deactivate(t.actors.hq_admin, p.id)).toMatchObject({ status: 'inactive' })
    expect(await t.services.catalog.deactivate(t.actors.hq_admin, p.id)).toMatchObject({ status: 'inactive' })
    expect(await t.services.catalog.reactivate(t.actors.hq_admin, p.id)).toMatchObject({ status: 'active' })
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual(['product.create', 'product.deactivate', 'product.reactivate'])
  })

  it('lets a cashier read but not manage', async () => {
    const p = await create({ sku: 'S-CASHIER' })
    await expect(t.services.catalog.create(t.actors.cashier, { sku: 'S-CASHIER2', name: 'x', listPrice: 1 })).rejects.toMatchObject({ status: 403 })
    await expect(t.services.catalog.update(t.actors.cashier, p.id, { listPrice: 1 })).rejects.toMatchObject({ status: 403 })
    expect(await t.services.catalog.get(t.actors.cashier, p.id)).toEqual(p)
  })
})

describe('listing', () => {
  beforeAll(async () => {
    const rows: Array<Partial<CreateProductInput> & { sku: string }> = [
      { sku: 'L-001', name: '可口可乐 330ml', department: '饮料', category: '碳酸饮料', subcategory: '可乐', brand: '可口可乐', barcode: '6954767410388' },
      { sku: 'L-002', name: '百事可乐 330ml', department: '饮料', category: '碳酸饮料', subcategory: '可乐', brand: '百事' },
      { sku: 'L-003', name: '雪碧 500ml', department: '饮料', category: '碳酸饮料', subcategory: '柠檬味', brand: '可口可乐' },
      { sku: 'L-004', name: '农夫山泉 550ml', department: '饮料', category: '饮用水', brand: '农夫山泉' },
      { sku: 'L-005', name: 'Lay\'s 薯片 100%原味', department: '休闲食品', category: '膨化食品', subcategory: '薯片', pointsEligible: false },
      { sku: 'L-006', name: '香烟', department: '烟酒', category: '香烟', pointsEligible: false },
      { sku: 'L-007', name: '散装大米', soldByWeight: true },
    ]
    for (const r of rows) await create(r)
    await t.services.catalog.deactivate(t.actors.hq_admin, (await t.services.catalog.getBySku(t.actors.hq_admin, 'L-006')).id)
  })

  const skus = async (filter: Parameters<TestContext['services']['catalog']['list']>[1]) =>
    (await t.services.catalog.list(t.actors.analyst, filter)).items.map((p) => p.sku).filter((s) => s.startsWith('L-'))

  it.each([
    ['text in the name', { q: '可乐' }, ['L-001', 'L-002']],
    ['text in the SKU, any case', { q: 'l-00' }, ['L-001', 'L-002', 'L-003', 'L-004', 'L-005', 'L-006', 'L-007']],
    ['part of a barcode', { q: '410388' }, ['L-001']],
    ['a literal %', { q: '100%' }, ['L-005']],
    ['department', { department: '饮料' }, ['L-001', 'L-002', 'L-003', 'L-004']],
    ['category', { category: '碳酸饮料' }, ['L-001', 'L-002', 'L-003']],
    ['subcategory', { subcategory: '可乐' }, ['L-001', 'L-002']],
    ['brand', { brand: '可口可乐' }, ['L-001', 'L-003']],
    ['status', { status: 'inactive' as const }, ['L-006']],
    ['points eligibility', { pointsEligible: false }, ['L-005', 'L-006']],
    ['several at once', { department: '饮料', brand: '可口可乐', q: '雪碧' }, ['L-003']],
  ])('filters by %s', async (_label, filter, expected) => {
    expect(await skus({ ...filter, limit: 200 })).toEqual(expected)
  })

  it('pages through the list in SKU order with a cursor', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await t.services.catalog.list(t.actors.analyst, { q: 'L-', limit: 3, cursor })
      seen.push(...page.items.map((p) => p.sku))
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(['L-001', 'L-002', 'L-003', 'L-004', 'L-005', 'L-006', 'L-007'])
    await expect(t.services.catalog.list(t.actors.analyst, { cursor: '%%%' })).rejects.toMatchObject({ status: 422, details: [{ field: 'cursor' }] })
  })

  it('counts products by department, category and subcategory, unclassified last', async () => {
    const tree = await t.services.catalog.tree(t.actors.analyst, { status: 'active' })
    const drinks = tree.find((d) => d.name === '饮料')
    expect(drinks).toEqual({
      name: '饮料', count: 4, categories: [
        { name: '碳酸饮料', count: 3, subcategories: [{ name: '可乐', count: 2 }, { name: '柠檬味', count: 1 }] },
        { name: '饮用水', count: 1, subcategories: [{ name: null, count: 1 }] },
      ],
    })
    expect(tree.find((d) => d.name === '烟酒')).toBeUndefined()
    expect(tree[tree.length - 1]).toMatchObject({ name: null, categories: [{ name: null, subcategories: [{ name: null }] }] })
    expect((await t.services.catalog.tree(t.actors.analyst)).find((d) => d.name === '烟酒')).toMatchObject({ count: 1 })
  })
})
