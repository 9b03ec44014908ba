import type { Db, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import { conflict, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import type { AuditService } from '../audit/index.js'
import { diffFields } from '../audit/index.js'
import * as repo from './catalog.repository.js'
import type { ProductFilter } from './catalog.repository.js'
import type { ProductsTable } from './catalog.table.js'
import {
  toProduct, toProductColumns, toProductFields, type CategoryNode, type CreateProductInput, type DepartmentNode, type Product,
  type ProductStatus, type UpdateProductInput,
} from './catalog.types.js'
import { checkProduct, isValidBarcode, skuProblem } from './product-rules.js'

export interface CatalogDeps {
  db: Db
  audit: AuditService
  clock: Clock
  events?: EventBus
}

export interface ProductListFilter extends ProductFilter {
  cursor?: string
  limit?: number
}

const productNotFound = () => notFound('PRODUCT_NOT_FOUND', [], 'no such product')
const skuTaken = () => conflict('PRODUCT_SKU_TAKEN', [{ field: 'sku', reason: 'already used by another product' }])

// Products list in SKU order; the cursor is the last row's SKU.
const encodeCursor = (sku: string) => Buffer.from(sku).toString('base64url')
const decodeCursor = (cursor: string): string => {
  const sku = Buffer.from(cursor, 'base64url').toString()
  if (!sku) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor from a previous page' }])
  return sku
}

const byName = (a: { name: string | null }, b: { name: string | null }) =>
  a.name === b.name ? 0 : a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name, 'zh-CN')

/** Nests (department, category, subcategory, count) rows; unclassified products sit under null names, last. */
const buildTree = (rows: ReadonlyArray<{ department: string | null; category: string | null; subcategory: string | null; n: number }>): DepartmentNode[] => {
  const departments = new Map<string | null, DepartmentNode & { byName: Map<string | null, CategoryNode> }>()
  for (const r of rows) {
    const n = Number(r.n)
    let dep = departments.get(r.department)
    if (!dep) departments.set(r.department, dep = { name: r.department, count: 0, categories: [], byName: new Map() })
    let cat = dep.byName.get(r.category)
    if (!cat) {
      dep.byName.set(r.category, cat = { name: r.category, count: 0, subcategories: [] })
      dep.categories.push(cat)
    }
    dep.count += n
    cat.count += n
    cat.subcategories.push({ name: r.subcategory, count: n })
  }
  return [...departments.values()].sort(byName).map(({ byName: _, ...dep }) => ({
    ...dep,
    categories: dep.categories.sort(byName).map((c) => ({ ...c, subcategories: c.subcategories.sort(byName) })),
  }))
}

export const createCatalogService = ({ db, audit, clock, events }: CatalogDeps) => {
  const now = () => clock.now().toISOString()
  /** Announces a committed change, so caches of the catalogue (the till's) drop what they hold. */
  const changed = <T>(result: T): T => {
    events?.emit('catalog.changed', { at: now() })
    return result
  }

  const load = async (conn: Db | Trx, id: string): Promise<ProductsTable> => {
    const row = await repo.findProductById(conn, id)
    if (!row) throw productNotFound()
    return row
  }

  const create = async (actor: Actor, input: CreateProductInput): Promise<Product> => {
    assertCan(actor, 'products.manage')
    const { sku, ...fields } = input
    const { value, errors } = checkProduct({ ...fields, name: fields.name ?? '' })
    const problem = skuProblem(sku ?? '')
    if (problem) errors.unshift({ field: 'sku', reason: problem })
    if (fields.listPrice === undefined) errors.push({ field: 'listPrice', reason: 'is required' })
    if (errors.length) throw unprocessable('VALIDATION', errors)
    const at = now()
    const row: ProductsTable = {
      id: newId('prd'), sku, barcode: null, department: null, category: null, subcategory: null, brand: null,
      member_price: null, points_eligible: 1, sold_by_weight: 0, ...(toProductColumns(value) as Pick<ProductsTable, 'name' | 'list_price'>),
      status: 'active', source: 'manual', created_at: at, updated_at: at,
    }
    try {
      await db.transaction().execute(async (trx) => {
        await repo.insertProduct(trx, row)
        await audit.record(trx, actor, { action: 'product.create', entityType: 'product', entityId: row.id, changes: { sku, ...value } })
      })
    } catch (err) {
      if (isUniqueViolation(err, 'sku')) throw skuTaken()
      throw err
    }
    return toProduct(row)
  }

  const get = async (actor: Actor, id: string): Promise<Product> => {
    assertCan(actor, 'products.read')
    return toProduct(await load(db, id))
  }

  const getBySku = async (actor: Actor, sku: string): Promise<Product> => {
    assertCan(actor, 'products.read')
    const row = await repo.findProductBySku(db, sku)
    if (!row) throw productNotFound()
    return toProduct(row)
  }

  const lookupBarcode = async (actor: Actor, barcode: string): Promise<Product> => {
    assertCan(actor, 'products.read')
    const code = barcode.trim()
    if (!isValidBarcode(code)) throw unprocessable('VALIDATION', [{ field: 'barcode', reason: 'must be 8 to 14 digits' }])
    const row = await repo.findProductByBarcode(db, code)
    if (!row) throw productNotFound()
    return toProduct(row)
  }

  const list = async (actor: Actor, filter: ProductListFilter): Promise<{ items: Product[]; nextCursor: string | null }> => {
    assertCan(actor, 'products.read')
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
    const { cursor, limit: _limit, ...where } = filter
    const rows = await repo.listProductRows(db, where, cursor ? decodeCursor(cursor) : undefined, limit)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return { items: page.map(toProduct), nextCursor: rows.length > limit && last ? encodeCursor(last.sku) : null }
  }

  /** Departments > categories > subcategories with how many products each holds. */
  const tree = async (actor: Actor, filter: { status?: ProductStatus } = {}): Promise<DepartmentNode[]> => {
    assertCan(actor, 'products.read')
    return buildTree(await repo.countProductsByClass(db, filter))
  }

  const update = async (actor: Actor, id: string, input: UpdateProductInput): Promise<Product> => {
    assertCan(actor, 'products.manage')
    return changed(await db.transaction().execute(async (trx) => {
      const before = toProduct(await load(trx, id))
      const { value, errors } = checkProduct(input, before)
      if (errors.length) throw unprocessable('VALIDATION', errors)
      const changes = diffFields(toProductFields(before), value)
      if (Object.keys(changes).length === 0) return before
      const patch: Partial<ProductsTable> = { ...toProductColumns(value), updated_at: now() }
      await repo.updateProduct(trx, id, patch)
      await audit.record(trx, actor, { action: 'product.update', entityType: 'product', entityId: id, changes })
      return toProduct(await load(trx, id))
    }))
  }

  const setStatus = async (actor: Actor, id: string, status: ProductStatus): Promise<Product> => {
    assertCan(actor, 'products.manage')
    return changed(await db.transaction().execute(async (trx) => {
      const before = await load(trx, id)
      if (before.status === status) return toProduct(before)
      const patch = { status, updated_at: now() }
      await repo.updateProduct(trx, id, patch)
      await audit.record(trx, actor, {
        action: status === 'inactive' ? 'product.deactivate' : 'product.reactivate', entityType: 'product', entityId: id,
        changes: { status: { from: before.status, to: status } },
      })
      return toProduct({ ...before, ...patch })
    }))
  }

  return {
    create, get, getBySku, lookupBarcode, list, tree, update,
    deactivate: (actor: Actor, id: string) => setStatus(actor, id, 'inactive'),
    reactivate: (actor: Actor, id: string) => setStatus(actor, id, 'active'),
  }
}

export type CatalogService = ReturnType<typeof createCatalogService>
