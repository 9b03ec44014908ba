import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'cashier']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
  const { key } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 1' })
  auth.pos = { authorization: `Bearer ${key}` }
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
let skuCounter = 0
const newProduct = async (extra: object = {}) => {
  const res = await as('hq_admin', { method: 'POST', url: '/api/v1/products', payload: { sku: `R-${++skuCounter}`, name: '测试商品', listPrice: 1000, ...extra } })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string; sku: string }
}

const upload = (fields: Record<string, string>, file?: { name: string; content: Buffer }) => {
  const boundary = '----patron-products-boundary'
  const chunks: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`), file.content, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { method: 'POST' as const, url: '/api/v1/products/imports', payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe('product routes', () => {
  it('answers 401 without a session or key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/products' })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/products/tree' })).statusCode).toBe(401)
  })

  it('lets readers read and only product managers change products', async () => {
    const p = await newProduct({ barcode: '69012345' })
    for (const who of ['cashier', 'analyst', 'pos']) {
      expect((await as(who, { method: 'GET', url: `/api/v1/products/${p.id}` })).statusCode).toBe(200)
      expect((await as(who, { method: 'GET', url: `/api/v1/products/by-sku/${p.sku}` })).json()).toMatchObject({ id: p.id })
      expect((await as(who, { method: 'GET', url: '/api/v1/products/by-barcode/69012345' })).json()).toMatchObject({ id: p.id })
    }
    for (const who of ['cashier', 'analyst', 'pos']) {
      expect((await as(who, { method: 'POST', url: '/api/v1/products', payload: { sku: 'R-NO', name: 'x', listPrice: 1 } })).statusCode).toBe(403)
      expect((await as(who, { method: 'PATCH', url: `/api/v1/products/${p.id}`, payload: { listPrice: 1 } })).statusCode).toBe(403)
      expect((await as(who, { method: 'POST', url: `/api/v1/products/${p.id}/deactivate` })).statusCode).toBe(403)
    }
    const patched = await as('hq_marketing', { method: 'PATCH', url: `/api/v1/products/${p.id}`, payload: { listPrice: 1200, memberPrice: 1100 } })
    expect(patched.json()).toMatchObject({ listPrice: 1200, memberPrice: 1100 })
    expect((await as('hq_marketing', { method: 'POST', url: `/api/v1/products/${p.id}/deactivate` })).json()).toMatchObject({ status: 'inactive' })
    expect((await as('hq_marketing', { method: 'POST', url: `/api/v1/products/${p.id}/reactivate` })).json()).toMatchObject({ status: 'active' })
  })

  it.each([
    ['a taken SKU', () => ({ sku: 'R-TAKEN', name: 'x', listPrice: 1 }), 409, 'sku', 'PRODUCT_SKU_TAKEN'],
    ['a SKU with a trailing space', () => ({ sku: 'R-SP ', name: 'x', listPrice: 1 }), 422, 'sku', 'VALIDATION'],
    ['no name', () => ({ sku: 'R-NONAME', listPrice: 1 }), 400, 'name', 'VALIDATION'],
    ['a blank name', () => ({ sku: 'R-BLANK', name: ' ', listPrice: 1 }), 422, 'name', 'VALIDATION'],
    ['a price in yuan', () => ({ sku: 'R-YUAN', name: 'x', listPrice: 12.5 }), 400, 'listPrice', 'VALIDATION'],
    ['a negative price', () => ({ sku: 'R-NEG', name: 'x', listPrice: -1 }), 422, 'listPrice', 'VALIDATION'],
    ['a member price above the list price', () => ({ sku: 'R-MP', name: 'x', listPrice: 1, memberPrice: 2 }), 422, 'memberPrice', 'VALIDATION'],
    ['a bad barcode', () => ({ sku: 'R-BC', name: 'x', listPrice: 1, barcode: '123' }), 422, 'barcode', 'VALIDATION'],
    ['an unknown field', () => ({ sku: 'R-UF', name: 'x', listPrice: 1, colour: 'red' }), 400, 'colour', 'VALIDATION'],
  ])('refuses %s with %i naming the field', async (_label, body, status, field, code) => {
    if (status === 409) await as('hq_admin', { method: 'POST', url: '/api/v1/products', payload: body() })
    const res = await as('hq_admin', { method: 'POST', url: '/api/v1/products', payload: body() })
    expect(res.statusCode).toBe(status)
    expect(res.json().error).toMatchObject({ code, details: [expect.objectContaining({ field })] })
  })

  it('answers 404 for an unknown product, 422 for a bad barcode or cursor, 400 for an empty change', async () => {
    expect((await as('cashier', { method: 'GET', url: '/api/v1/products/prd_nope' })).json().error.code).toBe('PRODUCT_NOT_FOUND')
    expect((await as('cashier', { method: 'GET', url: '/api/v1/products/by-sku/NOPE' })).statusCode).toBe(404)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/products/by-barcode/abc' })).statusCode).toBe(422)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/products?cursor=%25%25' })).statusCode).toBe(422)
    const p = await newProduct()
    expect((await as('hq_admin', { method: 'PATCH', url: `/api/v1/products/${p.id}`, payload: {} })).statusCode).toBe(400)
    expect((await as('hq_admin', { method: 'PATCH', url: '/api/v1/products/prd_nope', payload: { name: 'x' } })).statusCode).toBe(404)
  })

  it('lists with filters from the query string and serves the tree', async () => {
    await newProduct({ department: '日化', category: '洗护', pointsEligible: false, name: '洗发水' })
    const list = await as('analyst', { method: 'GET', url: `/api/v1/products?department=${encodeURIComponent('日化')}&pointsEligible=false&limit=5` })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toEqual({ items: [expect.objectContaining({ name: '洗发水', department: '日化', pointsEligible: false })], nextCursor: null })
    const tree = await as('analyst', { method: 'GET', url: '/api/v1/products/tree?status=active' })
    expect(tree.json()).toEqual(expect.arrayContaining([{ name: '日化', count: 1, categories: [{ name: '洗护', count: 1, subcategories: [{ name: null, count: 1 }] }] }]))
  })
})

describe('product import upload', () => {
  it('imports an uploaded file and answers with the summary and errors', async () => {
    const csv = Buffer.from('货号,品名,零售价\nR-IMP-1,导入一,1.50\nR-IMP-2,导入二,abc\n')
    const res = await as('hq_admin', upload({ mapping: '货号=sku,品名=name,零售价=list_price' }, { name: 'products.csv', content: csv }))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      read: 2, inserted: 1, updated: 0, skipped: 0, failed: 1, errorsOmitted: 0,
      errors: [{ line: 3, column: '零售价', value: 'abc', reason: expect.stringContaining('yuan') }],
    })
    const again = await as('hq_admin', upload({ update: 'true' }, { name: 'products.csv', content: Buffer.from('sku,list_price\nR-IMP-1,1.60\n') }))
    expect(again.json()).toMatchObject({ updated: 1 })
    expect((await as('cashier', { method: 'GET', url: '/api/v1/products/by-sku/R-IMP-1' })).json()).toMatchObject({ listPrice: 160 })
  })

  it('refuses what is not an importable upload with 4xx and a reason', async () => {
    const file = { name: 'p.csv', content: Buffer.from('sku,name,list_price\n') }
    expect((await as('hq_marketing', upload({}, file))).statusCode).toBe(403)
    expect((await as('hq_admin', { method: 'POST', url: '/api/v1/products/imports', payload: {} })).json().error.code).toBe('IMPORT_NOT_MULTIPART')
    expect((await as('hq_admin', upload({ mapping: 'a=sku' }))).json().error).toMatchObject({ code: 'IMPORT_NO_FILE', details: [{ field: 'file' }] })
    expect((await as('hq_admin', upload({ mapping: 'a=name' }, file))).json().error).toMatchObject({ code: 'IMPORT_MAPPING_INVALID', details: [{ field: 'mapping' }] })
    expect((await as('hq_admin', upload({}, { name: 'p.csv', content: Buffer.from('name\nx\n') }))).json().error.code).toBe('IMPORT_COLUMNS_MISSING')
    const large = await as('hq_admin', upload({}, { name: 'big.csv', content: Buffer.alloc(20 * 1024 * 1024 + 1, 'a') }))
    expect(large.statusCode).toBe(422)
    expect(large.json().error).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', details: [{ field: 'file' }] })
  })
})
