import { Readable } from 'node:stream'
import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import { badRequest, unprocessable } from '../../shared/errors.js'
import {
  BarcodeParams, CreateProductBody, ListProductsQuery, ProductImportResultSchema, ProductSchema, ProductTreeSchema, SkuParams, TreeQuery,
  UpdateProductBody,
} from './catalog.schemas.js'
import { PRODUCT_IMPORT_FIELDS, parseProductMapping } from './product-import.js'
import type { CatalogService } from './catalog.service.js'
import type { ProductImportService } from './product-import.js'

// Product files are small (100k products is about 10 MB), so an upload is imported while
// the request waits, from memory.
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

export const catalogRoutes = (app: TypedApp, { catalog, productImports }: { catalog: CatalogService; productImports: ProductImportService }) => {
  const tags = ['products']
  app.addSchema(ProductSchema)
  const Product = Type.Ref('Product')

  app.get('/products', {
    schema: { tags, summary: 'List products in SKU order', querystring: ListProductsQuery, response: { 200: Page(Product), ...errors(400, 401, 403, 422) } },
    config: { permission: 'products.read' },
  }, async (req) => catalog.list(actorOf(req), req.query))

  app.get('/products/tree', {
    schema: { tags, summary: 'Departments > categories > subcategories with product counts', querystring: TreeQuery, response: { 200: ProductTreeSchema, ...errors(400, 401, 403) } },
    config: { permission: 'products.read' },
  }, async (req) => catalog.tree(actorOf(req), req.query))

  app.get('/products/:id', {
    schema: { tags, summary: 'A product', params: IdParams, response: { 200: Product, ...errors(401, 403, 404) } },
    config: { permission: 'products.read' },
  }, async (req) => catalog.get(actorOf(req), req.params.id))

  app.get('/products/by-sku/:sku', {
    schema: { tags, summary: 'The product of a SKU', params: SkuParams, response: { 200: Product, ...errors(401, 403, 404) } },
    config: { permission: 'products.read' },
  }, async (req) => catalog.getBySku(actorOf(req), req.params.sku))

  app.get('/products/by-barcode/:barcode', {
    schema: { tags, summary: 'The product of a barcode (an active one first when several share it)', params: BarcodeParams, response: { 200: Product, ...errors(401, 403, 404, 422) } },
    config: { permission: 'products.read' },
  }, async (req) => catalog.lookupBarcode(actorOf(req), req.params.barcode))

  app.post('/products', {
    schema: { tags, summary: 'Add a product', body: CreateProductBody, response: { 201: Product, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'products.manage' },
  }, async (req, reply) => reply.code(201).send(await catalog.create(actorOf(req), req.body)))

  app.patch('/products/:id', {
    schema: { tags, summary: 'Change a product (the SKU never changes)', params: IdParams, body: UpdateProductBody, response: { 200: Product, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'products.manage' },
  }, async (req) => catalog.update(actorOf(req), req.params.id, req.body))

  app.post('/products/:id/deactivate', {
    schema: { tags, summary: 'Take a product out of the catalogue (receipts still find it)', params: IdParams, response: { 200: Product, ...errors(401, 403, 404) } },
    config: { permission: 'products.manage' },
  }, async (req) => catalog.deactivate(actorOf(req), req.params.id))

  app.post('/products/:id/reactivate', {
    schema: { tags, summary: 'Bring a product back', params: IdParams, response: { 200: Product, ...errors(401, 403, 404) } },
    config: { permission: 'products.manage' },
  }, async (req) => catalog.reactivate(actorOf(req), req.params.id))

  app.get('/products/imports/fields', {
    schema: { tags, summary: 'The fields a CSV column can be mapped to', response: { 200: Type.Array(Type.String()), ...errors(401, 403) } },
    config: { permission: 'products.import' },
  }, async () => [...PRODUCT_IMPORT_FIELDS])

  app.post('/products/imports', {
    schema: {
      tags, summary: 'Import a product CSV (multipart: optional `mapping` = "col=field,…" and `update`, then `file`, at most 20 MB); answers when done',
      consumes: ['multipart/form-data'], response: { 200: ProductImportResultSchema, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'products.import' },
  }, async (req) => {
    if (!req.isMultipart()) throw badRequest('IMPORT_NOT_MULTIPART', [{ field: 'file', reason: 'send multipart/form-data with a file part' }])
    const fields: Record<string, string> = {}
    let upload: { name: string; content: Buffer } | null = null
    for await (const part of req.parts({ limits: { fileSize: MAX_UPLOAD_BYTES } })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value)
        continue
      }
      const chunks: Buffer[] = []
      for await (const chunk of part.file) chunks.push(chunk as Buffer)
      if (part.file.truncated) throw unprocessable('IMPORT_FILE_TOO_LARGE', [{ field: 'file', reason: 'larger than 20 MB' }])
      upload ??= { name: part.filename || 'upload.csv', content: Buffer.concat(chunks) }
    }
    if (!upload) throw badRequest('IMPORT_NO_FILE', [{ field: 'file', reason: 'is required' }])
    const mapping = fields.mapping?.trim() ? parseProductMapping(fields.mapping) : null
    return productImports.run(actorOf(req), {
      source: Readable.from([upload.content]), gzip: upload.name.toLowerCase().endsWith('.gz'), mapping,
      update: ['true', '1', 'yes'].includes(fields.update ?? ''), sourceName: upload.name, totalBytes: upload.content.length,
    })
  })
}
