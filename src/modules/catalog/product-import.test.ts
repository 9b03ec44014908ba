import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { ensureProductsForLines } from './ensure-products.js'
import { parseProductMapping, type ProductImportOptions } from './product-import.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const MAP = '货号=sku,品名=name,条码=barcode,部门=department,品类=category,品牌=brand,零售价=list_price,会员价=member_price,积分=points_eligible,称重=sold_by_weight'

// Line 1 is the header. Lines 2, 3 and 8 are good; 9 repeats 2; the others each break a rule (6 breaks two).
const CSV = [
  '货号,品名,条码,部门,品类,品牌,零售价,会员价,积分,称重',
  'I-001,可口可乐 330ml,6954767410388,饮料,碳酸饮料,可口可乐,3.50,3,是,否',
  'I-002,散装苹果,,生鲜,水果,,12.9,,1,Y',
  'I-003,坏价格,,饮料,,,12.505,,,',
  'I-004,会员价过高,,饮料,,,5,6,,',
  'I-005,坏条码,12AB,饮料,,,5,,maybe,',
  ',没有货号,,饮料,,,5,,,',
  'I-007,烟,,烟酒,,,25,,否,0',
  'I-001,可口可乐 330ml 重复,6954767410388,饮料,碳酸饮料,可口可乐,3.50,3,是,否',
  'I-009,,,,,,1,,是,',
].join('\n') + '\n'

const run = (text: string | Buffer, options: Partial<ProductImportOptions> = {}) =>
  t.services.productImports.run(t.actors.hq_admin, { source: Readable.from([Buffer.from(text)]), mapping: parseProductMapping(MAP), ...options })

const product = (sku: string) => t.services.catalog.getBySku(t.actors.hq_admin, sku)
const snapshot = () => t.services.db.selectFrom('products').selectAll().where('sku', 'like', 'I-%').orderBy('sku').execute()

describe('product import', () => {
  it('imports the good rows in fen and reports every bad one with line, column, value and reason', async () => {
    const result = await run(CSV, { batchSize: 3 })
    expect(result).toMatchObject({ read: 9, inserted: 3, updated: 0, skipped: 1, failed: 5, errorsOmitted: 0 })
    expect(result.errors).toEqual([
      { line: 4, column: '零售价', value: '12.505', reason: expect.stringContaining('yuan') },
      { line: 5, column: '会员价', value: '6', reason: 'must not exceed the list price' },
      { line: 6, column: '积分', value: 'maybe', reason: expect.stringContaining('是/否') },
      { line: 6, column: '条码', value: '12AB', reason: 'must be 8 to 14 digits' },
      { line: 7, column: '货号', value: '', reason: 'is required' },
      { line: 10, column: '品名', value: '', reason: 'is required for a new product' },
    ])
    expect(await product('I-001')).toMatchObject({
      name: '可口可乐 330ml', barcode: '6954767410388', department: '饮料', category: '碳酸饮料', brand: '可口可乐',
      listPrice: 350, memberPrice: 300, pointsEligible: true, soldByWeight: false, status: 'active', source: 'import',
    })
    expect(await product('I-002')).toMatchObject({ listPrice: 1290, memberPrice: null, barcode: null, brand: null, soldByWeight: true })
    expect(await product('I-007')).toMatchObject({ listPrice: 2500, pointsEligible: false })
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot()
    const result = await run(CSV)
    expect(result).toMatchObject({ read: 9, inserted: 0, updated: 0, skipped: 4, failed: 5 })
    expect(await snapshot()).toEqual(before)
  })

  it('with update, changes only the fields that differ, and a blank cell changes nothing', async () => {
    t.clock.advance(60_000)
    const before = await product('I-002')
    const result = await run('货号,零售价,品牌,品名\nI-001,3.80,,可口可乐 330ml\nI-002,12.90,,\nI-007,25.00,中华,\n', { mapping: parseProductMapping('货号=sku,零售价=list_price,品牌=brand,品名=name'), update: true })
    expect(result).toMatchObject({ read: 3, inserted: 0, updated: 2, skipped: 1, failed: 0 })
    expect(await product('I-007')).toMatchObject({ brand: '中华', listPrice: 2500, pointsEligible: false })
    expect(await product('I-001')).toMatchObject({ listPrice: 380, memberPrice: 300, brand: '可口可乐', updatedAt: '2026-03-02T02:01:00.000Z' })
    expect(await product('I-002')).toEqual(before)
  })

  it('refuses an update that would break the price rule, keeping the product', async () => {
    const result = await run('sku,list_price\nI-001,2\n', { mapping: null, update: true })
    expect(result).toMatchObject({ updated: 0, failed: 1, errors: [{ line: 2, column: 'member_price', reason: 'must not exceed the list price' }] })
    expect((await product('I-001')).listPrice).toBe(380)
  })

  it('always fills in a product a till made up from a receipt', async () => {
    await ensureProductsForLines(t.services.db, [{ sku: 'I-TILL', unitPrice: 999 }], t.clock.now().toISOString())
    const result = await run('sku,name,department,list_price\nI-TILL,东北大米 5kg,粮油,45.00\n', { mapping: null })
    expect(result).toMatchObject({ inserted: 0, updated: 1, skipped: 0 })
    expect(await product('I-TILL')).toMatchObject({ name: '东北大米 5kg', department: '粮油', listPrice: 4500, source: 'import' })
    expect(await run('sku,name,department,list_price\nI-TILL,改名,粮油,46.00\n', { mapping: null })).toMatchObject({ updated: 0, skipped: 1 })
  })

  it('reads columns named like the fields without a mapping, and gzip', async () => {
    const result = await run(gzipSync('sku,name,list_price,extra\nI-GZ,压缩文件,1.00,x\n'), { mapping: null, gzip: true })
    expect(result).toMatchObject({ inserted: 1 })
    expect((await product('I-GZ')).listPrice).toBe(100)
  })

  it('counts every problem but keeps only the first ones', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `I-CAP-${i},名,abc`)
    const reported: number[] = []
    const result = await run(`sku,name,list_price\n${lines.join('\n')}\n`, { mapping: null, maxErrors: 10, onErrors: (e) => { reported.push(...e.map((x) => x.line)) } })
    expect(result).toMatchObject({ read: 30, failed: 30, errorsOmitted: 20 })
    expect(result.errors).toHaveLength(10)
    expect(reported).toHaveLength(30)
  })

  it('refuses a file without the mapped columns before reading any row, and a bad mapping', async () => {
    await expect(run('sku,name\nI-X,x\n')).rejects.toMatchObject({ status: 422, code: 'IMPORT_COLUMNS_MISSING', details: [{ field: 'mapping', reason: expect.stringContaining('"货号"') }] })
    expect(() => parseProductMapping('品名=name')).toThrow(expect.objectContaining({ code: 'IMPORT_MAPPING_INVALID' }))
    expect(() => parseProductMapping('a=sku,b=price')).toThrow(/unknown field "price"/)
    expect(() => parseProductMapping('a=sku,b=sku')).toThrow(/mapped twice/)
    expect(() => parseProductMapping('a')).toThrow(/not column=field/)
  })

  it('may be run only by roles that import products', async () => {
    await expect(t.services.productImports.run(t.actors.hq_marketing, { source: Readable.from([Buffer.from('sku\n')]) })).rejects.toMatchObject({ status: 403 })
  })

  it('keeps a run record of each import, with its counts and problems, like every kind of import', async () => {
    const result = await run('sku,name,list_price\nI-REC-1,记录,1.00\nI-REC-2,,abc\n', { mapping: null, sourceName: 'record.csv', totalBytes: 44 })
    const [latest] = await t.services.productImports.list(t.actors.hq_admin)
    expect(latest).toMatchObject({ kind: 'products', status: 'completed', sourceName: 'record.csv', totalBytes: 44, counts: { read: 2, inserted: 1, failed: 1 } })
    expect((await t.services.productImports.errors(t.actors.hq_admin, latest!.id)).items).toEqual(result.errors)
  })
})
