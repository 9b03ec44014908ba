export type ProductStatus = 'active' | 'inactive'
export type ProductSource = 'manual' | 'import' | 'receipt'

export interface ProductsTable {
  id: string
  sku: string
  name: string
  barcode: string | null
  department: string | null
  category: string | null
  subcategory: string | null
  brand: string | null
  /** fen */
  list_price: number
  /** fen; null when the product has no member price */
  member_price: number | null
  points_eligible: number
  /** quantities on receipt lines are grams and prices are per kilogram */
  sold_by_weight: number
  status: ProductStatus
  source: ProductSource
  created_at: string
  updated_at: string
}

export interface CatalogTables {
  products: ProductsTable
}
