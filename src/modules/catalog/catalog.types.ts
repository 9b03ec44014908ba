import type { ProductsTable } from './catalog.table.js'

export const PRODUCT_STATUSES = ['active', 'inactive'] as const
export type ProductStatus = (typeof PRODUCT_STATUSES)[number]

export const PRODUCT_SOURCES = ['manual', 'import', 'receipt'] as const
export type ProductSource = (typeof PRODUCT_SOURCES)[number]

export interface Product {
  id: string
  sku: string
  name: string
  barcode: string | null
  department: string | null
  category: string | null
  subcategory: string | null
  brand: string | null
  /** fen; per kilogram when `soldByWeight` */
  listPrice: number
  /** fen; null when the product has no member price */
  memberPrice: number | null
  pointsEligible: boolean
  soldByWeight: boolean
  status: ProductStatus
  source: ProductSource
  createdAt: string
  updatedAt: string
}

/** What the receipt posting code prices a line with. */
export type ProductForPricing = Pick<Product, 'id' | 'sku' | 'name' | 'department' | 'category' | 'subcategory' | 'brand' | 'listPrice' | 'memberPrice' | 'pointsEligible' | 'soldByWeight'>

/** The fields a person (console, API, import) sets; checked by `checkProduct`. */
export type ProductFields = Pick<Product, 'name' | 'barcode' | 'department' | 'category' | 'subcategory' | 'brand' | 'listPrice' | 'memberPrice' | 'pointsEligible' | 'soldByWeight'>

export type CreateProductInput = { sku: string; name: string; listPrice: number } & Partial<Omit<ProductFields, 'name' | 'listPrice'>>

/** The SKU is what tills send: it never changes, so it is not part of an update. */
export type UpdateProductInput = Partial<ProductFields>

export interface SubcategoryNode {
  name: string | null
  count: number
}
export interface CategoryNode extends SubcategoryNode {
  subcategories: SubcategoryNode[]
}
export interface DepartmentNode extends SubcategoryNode {
  categories: CategoryNode[]
}

export const toProduct = (row: ProductsTable): Product => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  barcode: row.barcode,
  department: row.department,
  category: row.category,
  subcategory: row.subcategory,
  brand: row.brand,
  listPrice: Number(row.list_price),
  memberPrice: row.member_price === null ? null : Number(row.member_price),
  pointsEligible: row.points_eligible === 1,
  soldByWeight: row.sold_by_weight === 1,
  status: row.status,
  source: row.source,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export const toProductForPricing = (row: ProductsTable): ProductForPricing => {
  const { id, sku, name, department, category, subcategory, brand, listPrice, memberPrice, pointsEligible, soldByWeight } = toProduct(row)
  return { id, sku, name, department, category, subcategory, brand, listPrice, memberPrice, pointsEligible, soldByWeight }
}

/** The fields of a product as `checkProduct` sees them, for diffs and the price check. */
export const toProductFields = (p: Product): ProductFields => ({
  name: p.name, barcode: p.barcode, department: p.department, category: p.category, subcategory: p.subcategory, brand: p.brand,
  listPrice: p.listPrice, memberPrice: p.memberPrice, pointsEligible: p.pointsEligible, soldByWeight: p.soldByWeight,
})

/** The table's columns for a set of (checked) product fields. */
export const toProductColumns = (fields: Partial<ProductFields>): Partial<ProductsTable> => {
  const columns: Partial<ProductsTable> = {}
  const set = <K extends keyof ProductsTable>(key: K, value: ProductsTable[K] | undefined) => {
    if (value !== undefined) columns[key] = value
  }
  set('name', fields.name)
  set('barcode', fields.barcode)
  set('department', fields.department)
  set('category', fields.category)
  set('subcategory', fields.subcategory)
  set('brand', fields.brand)
  set('list_price', fields.listPrice)
  set('member_price', fields.memberPrice)
  set('points_eligible', fields.pointsEligible === undefined ? undefined : fields.pointsEligible ? 1 : 0)
  set('sold_by_weight', fields.soldByWeight === undefined ? undefined : fields.soldByWeight ? 1 : 0)
  return columns
}
