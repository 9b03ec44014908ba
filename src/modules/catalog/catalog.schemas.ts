import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../shared/http/schemas.js'
import { PRODUCT_SOURCES, PRODUCT_STATUSES } from './catalog.types.js'

const Fen = (description: string) => Type.Integer({ description: `fen: ${description}` })

export const ProductSchema = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  name: Type.String(),
  barcode: Nullable(Type.String()),
  department: Nullable(Type.String()),
  category: Nullable(Type.String()),
  subcategory: Nullable(Type.String()),
  brand: Nullable(Type.String()),
  listPrice: Fen('per item, or per kilogram when soldByWeight'),
  memberPrice: Nullable(Fen('the price members pay, at most the list price')),
  pointsEligible: Type.Boolean(),
  soldByWeight: Type.Boolean({ description: 'prices are per kilogram and receipt quantities are grams' }),
  status: Type.Enum([...PRODUCT_STATUSES]),
  source: Type.Enum([...PRODUCT_SOURCES], { description: 'receipt: made up from a till line for an unknown SKU, until the catalogue describes it' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'Product' })

// Formats (SKU, barcode, the price rule) are checked by the service, with reasons the console
// shows next to the field, so the schema only bounds types and sizes.
const fields = {
  name: Type.String({ maxLength: 400 }),
  barcode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  department: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  category: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  subcategory: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  brand: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  listPrice: Type.Integer(),
  memberPrice: Type.Optional(Nullable(Type.Integer())),
  pointsEligible: Type.Optional(Type.Boolean()),
  soldByWeight: Type.Optional(Type.Boolean()),
}

export const CreateProductBody = Type.Object({ sku: Type.String({ maxLength: 200 }), ...fields }, { additionalProperties: false })

export const UpdateProductBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 })

export const ListProductsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the SKU, name or barcode' })),
  department: Type.Optional(Type.String({ maxLength: 200 })),
  category: Type.Optional(Type.String({ maxLength: 200 })),
  subcategory: Type.Optional(Type.String({ maxLength: 200 })),
  brand: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.Enum([...PRODUCT_STATUSES])),
  source: Type.Optional(Type.Enum([...PRODUCT_SOURCES])),
  pointsEligible: Type.Optional(Type.Boolean()),
  ...CursorQuery,
}, { additionalProperties: false })

export const TreeQuery = Type.Object({ status: Type.Optional(Type.Enum([...PRODUCT_STATUSES])) }, { additionalProperties: false })

const node = { name: Nullable(Type.String({ description: 'null: products without one' })), count: Type.Integer() }
export const ProductTreeSchema = Type.Array(Type.Object({
  ...node,
  categories: Type.Array(Type.Object({ ...node, subcategories: Type.Array(Type.Object(node)) })),
}))

export const SkuParams = Type.Object({ sku: Type.String({ minLength: 1, maxLength: 200 }) })
export const BarcodeParams = Type.Object({ barcode: Type.String({ minLength: 1, maxLength: 40 }) })

export const ProductImportResultSchema = Type.Object({
  read: Type.Integer({ description: 'data rows read' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer({ description: 'already in the catalogue (unchanged, or not updated without `update`)' }),
  failed: Type.Integer({ description: 'rows refused; see errors' }),
  errors: Type.Array(Type.Object({ line: Type.Integer(), column: Type.String(), value: Type.String(), reason: Type.String() })),
  errorsOmitted: Type.Integer({ description: 'problems beyond those listed' }),
})
