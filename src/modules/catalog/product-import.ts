import type { Readable } from 'node:stream'
import type { Db } from '../../db/database.js'
import { insertChunked } from '../../db/bulk.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import type { FileLimits } from '../../shared/csv-batches.js'
import { unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import type { AuditService } from '../audit/index.js'
import { diffFields } from '../audit/index.js'
import { createImportEngine, type ImportKind, type KindRun } from '../imports/index.js'
import { findProductRowsBySkus, updateProductsInBulk } from './catalog.repository.js'
import type { ProductsTable } from './catalog.table.js'
import { toProduct, toProductColumns, toProductFields, type ProductFields } from './catalog.types.js'
import { checkProduct, parseFlag, parseYuan, skuProblem } from './product-rules.js'

/** The file's field names, and the product field each one sets. */
const FIELD_KEYS = {
  sku: null,
  name: 'name',
  barcode: 'barcode',
  department: 'department',
  category: 'category',
  subcategory: 'subcategory',
  brand: 'brand',
  list_price: 'listPrice',
  member_price: 'memberPrice',
  points_eligible: 'pointsEligible',
  sold_by_weight: 'soldByWeight',
} as const satisfies Record<string, keyof ProductFields | null>

export type ProductImportField = keyof typeof FIELD_KEYS
export const PRODUCT_IMPORT_FIELDS = Object.keys(FIELD_KEYS) as ProductImportField[]
const FIELD_OF_KEY: Record<string, ProductImportField> = Object.fromEntries(PRODUCT_IMPORT_FIELDS.map((f) => [FIELD_KEYS[f] ?? f, f]))

/** CSV column → field. */
export type ProductImportMapping = Record<string, ProductImportField>

export interface ProductImportRowError {
  line: number
  column: string
  value: string
  reason: string
}

export interface ProductImportCounts {
  read: number
  inserted: number
  updated: number
  skipped: number
  failed: number
}

export interface ProductImportResult extends ProductImportCounts {
  /** The first `maxErrors` problems, in file order. */
  errors: ProductImportRowError[]
  /** Problems beyond those, counted but not kept. */
  errorsOmitted: number
}

export interface ProductImportOptions {
  source: Readable
  gzip?: boolean
  /** Null or absent: columns named like the fields (`sku`, `list_price`, …) are read as those fields. */
  mapping?: ProductImportMapping | null
  /** Change existing products to the file's values (products made from receipts are always filled in). */
  update?: boolean
  /** For the audit entry and the run record. */
  sourceName?: string
  /** The file's size, for the run record. */
  totalBytes?: number
  batchSize?: number
  maxErrors?: number
  /** Bounds of the file (default: the service's). */
  limits?: Partial<FileLimits>
  /** Every problem, a batch at a time (the result keeps only the first `maxErrors`). */
  onErrors?: (errors: ProductImportRowError[]) => void | Promise<void>
}

const mappingError = (reason: string) => unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason }])

/** Parses `column=field,…` (a column may hold spaces, not `,` or `=`); `sku` must be mapped. */
export const parseProductMapping = (text: string): ProductImportMapping => {
  const pairs = text.split(',').map((p) => p.trim()).filter((p) => p !== '').map((pair) => {
    const at = pair.lastIndexOf('=')
    const column = pair.slice(0, Math.max(at, 0)).trim()
    const field = pair.slice(at + 1).trim()
    if (at < 0 || column === '' || field === '') throw mappingError(`"${pair}" is not column=field`)
    if (!(field in FIELD_KEYS)) throw mappingError(`unknown field "${field}"; fields are ${PRODUCT_IMPORT_FIELDS.join(', ')}`)
    return [column, field as ProductImportField] as const
  })
  const fields = pairs.map(([, f]) => f)
  const twice = fields.find((f, i) => fields.indexOf(f) !== i)
  if (twice) throw mappingError(`field "${twice}" is mapped twice`)
  if (!fields.includes('sku')) throw mappingError('map a column to sku: it is what finds the product again on a re-run')
  return Object.fromEntries(pairs)
}

const IDENTITY: ProductImportMapping = Object.fromEntries(PRODUCT_IMPORT_FIELDS.map((f) => [f, f]))

interface PreparedRow {
  line: number
  sku: string
  /** Only what the row gives: a blank cell changes nothing. */
  value: Partial<ProductFields>
  record: Record<string, string>
}

export interface ProductImportDeps {
  db: Db
  audit: AuditService
  clock: Clock
  events?: EventBus
  /** Bounds of imported files (PATRON_IMPORT_* settings); default DEFAULT_FILE_LIMITS. */
  limits?: Partial<FileLimits>
}

/** A problem with a field (file name or product key) of a row, reported against the file's column. */
const problemOf = (columnOf: ReadonlyMap<ProductImportField, string>) => (row: { line: number; record: Record<string, string> }, field: string, reason: string): ProductImportRowError => {
  const name = FIELD_OF_KEY[field] ?? field
  const column = columnOf.get(name as ProductImportField) ?? name
  return { line: row.line, column, value: row.record[column] ?? '', reason }
}

/** Checks and converts one record of a product file: the row to write, or its problems. Pure. */
export const validateProductRow = (record: Record<string, string>, line: number, columnOf: ReadonlyMap<ProductImportField, string>): PreparedRow | ProductImportRowError[] => {
  const problem = problemOf(columnOf)
  const row = { line, record }
  const problems: ProductImportRowError[] = []
  const cell = (field: ProductImportField) => {
    const column = columnOf.get(field)
    const v = column === undefined ? undefined : record[column]?.trim()
    return v === '' ? undefined : v
  }
  const sku = cell('sku') ?? ''
  const skuIssue = skuProblem(sku)
  if (skuIssue) problems.push(problem(row, 'sku', skuIssue))
  const given: Partial<Record<keyof ProductFields, unknown>> = {}
  for (const field of PRODUCT_IMPORT_FIELDS) {
    const key = FIELD_KEYS[field]
    const raw = cell(field)
    if (key === null || raw === undefined) continue
    if (key === 'listPrice' || key === 'memberPrice') {
      const fen = parseYuan(raw)
      if (fen === null) problems.push(problem(row, field, 'not a price in yuan with at most 2 decimals (e.g. 12.50)'))
      else given[key] = fen
    } else if (key === 'pointsEligible' || key === 'soldByWeight') {
      const flag = parseFlag(raw)
      if (flag === null) problems.push(problem(row, field, 'must be 1/0, true/false, 是/否 or Y/N'))
      else given[key] = flag
    } else {
      given[key] = raw
    }
  }
  const { value, errors } = checkProduct(given)
  problems.push(...errors.map((e) => problem(row, e.field, e.reason)))
  return problems.length ? problems : { line, sku, value, record }
}

/** What a product import is asked to do. */
export interface ProductImportSettings {
  /** Null: columns named like the fields are read as those fields. */
  mapping: ProductImportMapping | null
  update: boolean
}

/** Products as a kind of import: the rows of a product file, written to the catalogue a batch per transaction. */
const productImportKind = ({ db, clock, events }: ProductImportDeps): ImportKind<ProductImportSettings, ProductImportCounts, PreparedRow> => ({
  name: 'products', idPrefix: 'pim', permission: 'products.import', audit: null,
  sealField: 'import_errors.value', errorOrder: 'line',
  interruptedMessage: 'interrupted: the process running it stopped; import the same file again to complete it',
  emptyCounts: () => ({ read: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 }),
  requiredColumns: (s) => (s.mapping ? Object.keys(s.mapping) : ['sku']),
  check: async () => ({ storeId: null }),
  open: async (_actor, settings) => {
    const columnOf = new Map(Object.entries(settings.mapping ?? IDENTITY).map(([column, field]) => [field, column]))
    const problem = problemOf(columnOf)
    const counts: ProductImportCounts = { read: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 }

    const newRow = (r: PreparedRow, at: string): ProductsTable | ProductImportRowError[] => {
      const missing = (['name', 'listPrice'] as const).filter((k) => r.value[k] === undefined)
      if (missing.length) return missing.map((k) => problem(r, k, 'is required for a new product'))
      const value = { barcode: null, department: null, category: null, subcategory: null, brand: null, memberPrice: null, pointsEligible: true, soldByWeight: false, ...r.value }
      return {
        id: newId('prd'), sku: r.sku, ...(toProductColumns(value) as Omit<ProductsTable, 'id' | 'sku' | 'status' | 'source' | 'created_at' | 'updated_at'>),
        status: 'active', source: 'import', created_at: at, updated_at: at,
      }
    }

    /** The columns to change on an existing product, null when nothing would, or the row's problems. */
    const changedColumns = (r: PreparedRow, existing: ProductsTable): Partial<ProductsTable> | null | ProductImportRowError[] => {
      const before = toProduct(existing)
      const { value, errors } = checkProduct(r.value, before)
      if (errors.length) return errors.map((e) => problem(r, e.field, e.reason))
      const changes = diffFields(toProductFields(before), value)
      const changed = Object.fromEntries(Object.keys(changes).map((k) => [k, value[k as keyof ProductFields]])) as Partial<ProductFields>
      // A product a till made up from a receipt line becomes the catalogue's once the file describes it.
      const adopt = existing.source === 'receipt'
      if (Object.keys(changed).length === 0 && !adopt) return null
      return { ...toProductColumns(changed), ...(adopt ? { source: 'import' as const } : {}) }
    }

    /**
     * Writes a batch in one transaction. A SKU the batch holds twice waits for the next batch,
     * where it meets the first as an existing product; those rows are returned.
     */
    const writeBatch = async (rows: PreparedRow[]): Promise<{ later: PreparedRow[]; refused: ProductImportRowError[][] }> => {
      const seen = new Set<string>()
      const first: PreparedRow[] = []
      const later: PreparedRow[] = []
      for (const r of rows) {
        if (seen.has(r.sku)) later.push(r)
        else {
          seen.add(r.sku)
          first.push(r)
        }
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const outcome = await db.transaction().execute(async (trx) => {
            const at = clock.now().toISOString()
            const existing = new Map((await findProductRowsBySkus(trx, [...seen])).map((p) => [p.sku, p]))
            const inserts: ProductsTable[] = []
            const updates: Array<{ id: string; patch: Partial<ProductsTable> }> = []
            const refused: ProductImportRowError[][] = []
            let skipped = 0
            for (const r of first) {
              const current = existing.get(r.sku)
              const outcome = !current ? newRow(r, at) : settings.update || current.source === 'receipt' ? changedColumns(r, current) : null
              if (Array.isArray(outcome)) refused.push(outcome)
              else if (outcome === null) skipped++
              else if (!current) inserts.push(outcome as ProductsTable)
              else updates.push({ id: current.id, patch: outcome })
            }
            await insertChunked(trx, 'products', inserts)
            await updateProductsInBulk(trx, updates, at)
            return { inserted: inserts.length, updated: updates.length, skipped, refused }
          })
          if (outcome.updated) events?.emit('catalog.changed', { at: clock.now().toISOString() })
          // Counted once committed: a retried batch must not count twice.
          counts.inserted += outcome.inserted
          counts.updated += outcome.updated
          counts.skipped += outcome.skipped
          return { later, refused: outcome.refused }
        } catch (e) {
          // A till added one of these SKUs meanwhile: look again and retry.
          if (attempt < 3 && isUniqueViolation(e, 'sku')) continue
          throw e
        }
      }
    }

    let carried: PreparedRow[] = []
    /** Writes a batch; returns the problems of the rows it refused (counted). */
    const flush = async (rows: PreparedRow[]): Promise<ProductImportRowError[]> => {
      const written = await writeBatch([...carried, ...rows])
      carried = written.later
      counts.failed += written.refused.length
      return written.refused.flat()
    }
    const run: KindRun<ProductImportCounts, PreparedRow> = {
      counts,
      read: () => { counts.read++ },
      validate: (record, line) => {
        const prepared = validateProductRow(record, line, columnOf)
        return Array.isArray(prepared) ? { problems: prepared } : { row: prepared, problems: [] }
      },
      refused: () => { counts.failed++ },
      write: flush,
      finish: async () => {
        const problems: ProductImportRowError[] = []
        while (carried.length > 0) problems.push(...await flush([]))
        return problems
      },
    }
    return run
  },
})

export const createProductImportService = (deps: ProductImportDeps) => {
  const { db, audit } = deps
  const engine = createImportEngine(deps, productImportKind(deps))

  /**
   * Streams a product CSV into the catalogue a batch at a time. Prices are yuan (12.50),
   * flags 1/0, true/false, 是/否 or Y/N. Re-running a file changes nothing: SKUs already in
   * the catalogue are skipped unless `update` is set, when only the fields that differ change.
   */
  const run = async (actor: Actor, options: ProductImportOptions): Promise<ProductImportResult> => {
    const maxErrors = options.maxErrors ?? 1000
    const kept: ProductImportRowError[] = []
    let omitted = 0
    // A run record like every import's (its problems stored), though the caller waits for the end.
    const { counts } = await engine.runRecorded(actor, {
      settings: { mapping: options.mapping ?? null, update: Boolean(options.update) }, sourceName: options.sourceName ?? 'products.csv', totalBytes: options.totalBytes ?? 0,
      source: options.source, gzip: options.gzip, batchSize: options.batchSize ?? 2000, limits: options.limits,
      // Each batch's problems in line order (a row's own problems stay together, as found).
      onErrors: async (problems) => {
        const ordered = [...problems].sort((a, b) => a.line - b.line)
        const room = Math.max(0, Math.min(ordered.length, maxErrors - kept.length))
        kept.push(...ordered.slice(0, room))
        omitted += ordered.length - room
        await options.onErrors?.(ordered)
      },
    })
    await audit.record(db, actor, { action: 'product.import', entityType: 'product', changes: { source: options.sourceName ?? null, update: Boolean(options.update), ...counts } })
    return { ...counts, errors: kept, errorsOmitted: omitted }
  }

  /** Recent product imports (their run records), newest first; their problems a page at a time. */
  return { run, list: engine.list, errors: engine.errors }
}

export type ProductImportService = ReturnType<typeof createProductImportService>
