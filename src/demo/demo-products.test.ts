import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { isValidBarcode } from '../modules/catalog/index.js'
import { DEMO_DEPARTMENTS, demoProducts, ean13CheckDigit, seedDemoProducts } from './demo-products.js'

const products = demoProducts({ seed: 1 })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

describe('demoProducts', () => {
  it('is the same catalogue for the same seed, with other prices for another seed', () => {
    expect(demoProducts({ seed: 1 })).toEqual(products)
    const other = demoProducts({ seed: 2 })
    expect(other.length).toBeGreaterThan(2500)
    expect(other.map((p) => p.listPrice)).not.toEqual(products.map((p) => p.listPrice))
  })

  it('holds about 3,000 products with unique SKUs and valid, unique EAN-13 barcodes starting 69', () => {
    expect(products.length).toBeGreaterThanOrEqual(2800)
    expect(products.length).toBeLessThanOrEqual(3200)
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length)
    const barcodes = products.flatMap((p) => (p.barcode ? [p.barcode] : []))
    expect(new Set(barcodes).size).toBe(barcodes.length)
    for (const code of barcodes) {
      expect(code).toMatch(/^69\d{11}$/)
      expect(isValidBarcode(code)).toBe(true)
      expect(code.at(-1)).toBe(ean13CheckDigit(code.slice(0, 12)))
    }
  })

  it.each([
    ['400638133393', '1'],
    ['590123412345', '7'],
    ['690123456789', '2'],
  ])('computes the EAN-13 check digit of %s as %s', (body, digit) => {
    expect(ean13CheckDigit(body)).toBe(digit)
  })

  it('fills every department of the tree, each with categories and subcategories', () => {
    expect(DEMO_DEPARTMENTS).toEqual(expect.arrayContaining(['生鲜', '粮油副食', '休闲食品', '酒水饮料', '日化清洁', '母婴', '家居', '家电', '烟酒']))
    for (const d of DEMO_DEPARTMENTS) {
      const inDept = products.filter((p) => p.department === d)
      expect(inDept.length, d).toBeGreaterThan(50)
      expect(new Set(inDept.map((p) => p.subcategory)).size, d).toBeGreaterThan(2)
    }
  })

  it('prices goods like a supermarket: cheap drinks, dear appliances, fresh food per kilogram', () => {
    const prices = (sub: string) => products.filter((p) => p.subcategory === sub).map((p) => p.listPrice)
    expect(median(prices('饮用水'))).toBeLessThan(2500)
    expect(Math.min(...prices('厨房小电'))).toBeGreaterThanOrEqual(5000)
    expect(median(prices('白酒'))).toBeGreaterThan(5000)
    const weighed = products.filter((p) => p.soldByWeight)
    expect(weighed.length).toBeGreaterThan(50)
    expect(new Set(weighed.map((p) => p.department))).toEqual(new Set(['生鲜']))
    for (const p of weighed) {
      expect(p.grams![0]).toBeGreaterThanOrEqual(100)
      expect(p.listPrice).toBeGreaterThanOrEqual(100)
    }
    expect(products.filter((p) => !p.soldByWeight).every((p) => p.grams === null)).toBe(true)
  })

  it('gives about one product in five a member price below its list price, never on tobacco', () => {
    const discounted = products.filter((p) => p.memberPrice !== null)
    expect(discounted.length / products.length).toBeGreaterThan(0.15)
    expect(discounted.length / products.length).toBeLessThan(0.25)
    expect(discounted.every((p) => p.memberPrice! < p.listPrice && p.memberPrice! > 0)).toBe(true)
    expect(discounted.some((p) => p.subcategory === '卷烟')).toBe(false)
  })

  it('earns no points on tobacco and on first-stage infant formula, and points on the rest', () => {
    const none = products.filter((p) => !p.pointsEligible)
    expect(products.filter((p) => p.subcategory === '卷烟').every((p) => !p.pointsEligible)).toBe(true)
    expect(none.filter((p) => p.department === '母婴').every((p) => p.name.includes('1段'))).toBe(true)
    expect(none.some((p) => p.department === '母婴')).toBe(true)
    expect(products.filter((p) => p.department === '母婴' && p.name.includes('2段')).every((p) => p.pointsEligible)).toBe(true)
    expect(none.length / products.length).toBeLessThan(0.05)
  })
})

describe('seedDemoProducts', () => {
  const context = useTestContext()
  let t: TestContext
  beforeAll(async () => {
    t = await context()
  })

  it('loads the catalogue through the product import; a re-run adds nothing', async () => {
    expect(await seedDemoProducts(t.services, t.actors.system, products)).toEqual({ inserted: products.length })
    const tree = await t.services.catalog.tree(t.actors.hq_admin)
    expect(tree.map((d) => d.name)).toEqual(expect.arrayContaining(DEMO_DEPARTMENTS as string[]))
    const milk = products.find((p) => p.subcategory === '牛奶')!
    expect(await t.services.catalog.getBySku(t.actors.hq_admin, milk.sku)).toMatchObject({
      name: milk.name, barcode: milk.barcode, listPrice: milk.listPrice, memberPrice: milk.memberPrice, brand: milk.brand, source: 'import',
    })
    expect(await seedDemoProducts(t.services, t.actors.system, products)).toEqual({ inserted: 0 })
    const count = await t.services.db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(products.length)
  })
})
