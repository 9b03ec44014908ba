import { CompiledQuery } from 'kysely'
import type { Db, Engine, Trx } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { Clock } from '../../shared/clock.js'
import { newId } from '../../shared/ids.js'
import { ensureProductsForLines } from '../catalog/index.js'
import { createMemberFacts } from '../analytics/index.js'
import type { LoyaltyConfig, LoyaltyService, TierChange } from '../loyalty/index.js'
import type { ReturnInput, SaleInput } from './receipt-rules.js'
import type { PostedMember, PostResult } from './receipts.service.js'
import type { ReceiptLinesTable, ReceiptsTable, ReceiptTendersTable } from './receipts.table.js'

// History without points, written a batch at a time with multi-row statements. It stores what
// the receipts service would for the same receipts with awardPoints false (receipts, lines,
// tenders, products, accounts, tiers, and the member facts through their one writer), only without
// a round of queries per receipt. receipt-import.test.ts compares the two.

export type BulkItem =
  | { type: 'sale'; input: SaleInput; hash: string; member: { id: string; card_no: string } | null }
  | { type: 'return'; input: ReturnInput; hash: string; member: { id: string; card_no: string } | null }

export interface BulkDeps {
  db: Db
  engine: Engine
  clock: Clock
  timezone: string
  loyalty: LoyaltyService
}

type PointsAccountsTable = DB['points_accounts']

// Bound values per statement: well under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_VALUES = 16_000

/**
 * Multi-row INSERTs written directly: building them through Kysely costs more than SQLite takes
 * to run them. Full statements are all alike and the rest goes in power-of-two sizes, so only a
 * few statements are ever prepared (each holds memory in the statement cache).
 */
const insertRows = async <T extends object>(trx: Trx, engine: Engine, table: string, columns: ReadonlyArray<keyof T & string>, rows: readonly T[]) => {
  const per = Math.floor(MAX_VALUES / columns.length)
  for (let i = 0; i < rows.length;) {
    const left = rows.length - i
    const n = left >= per ? per : 2 ** Math.floor(Math.log2(left))
    const params = new Array<unknown>(n * columns.length)
    let k = 0
    for (let r = i; r < i + n; r++) {
      const row = rows[r] as Record<string, unknown>
      for (const c of columns) params[k++] = row[c]
    }
    await trx.executeQuery(CompiledQuery.raw(insertSql(engine, table, columns, n), params))
    i += n
  }
}

const statements = new Map<string, string>()
const insertSql = (engine: Engine, table: string, columns: readonly string[], rows: number): string => {
  const key = `${engine}|${table}|${rows}`
  let text = statements.get(key)
  if (!text) {
    let p = 0
    const tuple = () => `(${columns.map(() => (engine === 'postgres' ? `$${++p}` : '?')).join(',')})`
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: rows }, tuple).join(',')}`
    statements.set(key, text)
  }
  return text
}

const RECEIPT_COLUMNS = [
  'id', 'store_id', 'till', 'receipt_no', 'kind', 'status', 'original_receipt_id', 'original_receipt_no', 'member_id', 'business_at', 'business_date',
  'total', 'eligible_amount', 'points_earned', 'points_used', 'line_count', 'cashier', 'source', 'import_id', 'payload_hash', 'result', 'pending_payload', 'created_at',
] as const satisfies ReadonlyArray<keyof ReceiptsTable>
const LINE_COLUMNS = [
  'receipt_id', 'line_no', 'product_id', 'sku', 'quantity', 'unit', 'unit_price', 'discount', 'amount', 'points', 'points_used',
  'returned_quantity', 'returned_amount', 'returned_points', 'refunded_points', 'original_line_no',
] as const satisfies ReadonlyArray<keyof ReceiptLinesTable>
const TENDER_COLUMNS = ['receipt_id', 'seq', 'kind', 'amount', 'points', 'reference'] as const satisfies ReadonlyArray<keyof ReceiptTendersTable>

export const createBulkWriter = ({ db, engine, clock, timezone, loyalty }: BulkDeps) => {
  // The members' purchase facts, through the writer the till uses, kept receipt by receipt in memory.
  const facts = createMemberFacts({ clock, timezone })
  // The local date of an instant: formatting a date in a zone costs more than the rest of a
  // receipt, and it is the same through a UTC hour unless the hour holds local midnight (zones
  // offset by :30 or :45), when it is worked out minute by minute.
  const localParts = (() => {
    type Parts = ReturnType<LoyaltyService['localParts']>
    const byHour = new Map<string, Parts | null>()
    const byMinute = new Map<string, Parts>()
    return (businessAt: string): Parts => {
      const hour = businessAt.slice(0, 13)
      let parts = byHour.get(hour)
      if (parts === undefined) {
        const start = loyalty.localParts(`${hour}:00:00.000Z`)
        parts = start.date === loyalty.localParts(`${hour}:59:59.999Z`).date ? start : null
        if (byHour.size > 50_000) byHour.clear()
        byHour.set(hour, parts)
      }
      if (parts) return parts
      const minute = businessAt.slice(0, 16)
      let exact = byMinute.get(minute)
      if (!exact) {
        if (byMinute.size > 10_000) byMinute.clear()
        exact = loyalty.localParts(`${minute}:00.000Z`)
        byMinute.set(minute, exact)
      }
      return exact
    }
  })()

  const summary = (cfg: LoyaltyConfig, member: { id: string; card_no: string } | null, account: PointsAccountsTable | undefined): PostedMember | null => {
    if (!member) return null
    const tier = loyalty.effectiveTier(cfg, account)
    const balance = account?.balance ?? 0
    return { id: member.id, cardNo: member.card_no, balance, negative: balance < 0, tier: tier ? { code: tier.code, name: tier.name } : null }
  }

  /**
   * The product ids of the lines' SKUs, creating the new ones from the first line that names
   * them (as receipt by receipt would). `known` holds what earlier batches of the import found
   * (a SKU never changes product, and products are not deleted), so most batches ask for none.
   */
  const ensureProducts = async (trx: Trx, items: BulkItem[], known: ReadonlyMap<string, string>, at: string): Promise<Map<string, string>> => {
    const firsts = new Map<string, { sku: string; name?: string | null; unitPrice: number }>()
    for (const item of items) {
      for (const l of item.input.lines ?? []) {
        if (!known.has(l.sku!) && !firsts.has(l.sku!)) firsts.set(l.sku!, { sku: l.sku!, name: item.type === 'sale' ? (l as { name?: string }).name ?? null : null, unitPrice: l.unitPrice! })
      }
    }
    const found = new Map<string, string>()
    // In SKU order across chunks too, as ensureProductsForLines keeps within one (no deadlock on
    // PostgreSQL); it inserts the new ones in one statement: 1,000 stay under SQLite's bound values.
    const all = [...firsts.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    for (let i = 0; i < all.length; i += 1000) {
      for (const [sku, p] of await ensureProductsForLines(trx, all.slice(i, i + 1000), at)) found.set(sku, p.id)
    }
    return found
  }

  /**
   * Posts the items in one transaction; throws (rolling everything back) if any cannot be written,
   * e.g. a number taken meanwhile, so the caller can post them one by one instead.
   */
  const write = async (items: BulkItem[], importId: string | null, knownProducts: Map<string, string>): Promise<PostResult[]> => {
    const cfg = await loyalty.config()
    let products = new Map<string, string>()
    const results = await db.transaction().execute(async (trx) => {
      const at = clock.now().toISOString()
      products = await ensureProducts(trx, items, knownProducts, at)

      const memberIds = [...new Set(items.flatMap((i) => (i.member ? [i.member.id] : [])))]
      const accounts = await loyalty.accountsFor(trx, memberIds, at)
      const memberFacts = await facts.accumulate(trx, memberIds)

      const receipts: ReceiptsTable[] = []
      const lines: ReceiptLinesTable[] = []
      const tenders: ReceiptTendersTable[] = []
      const out: PostResult[] = []
      for (const item of items) {
        const id = newId('rct')
        const { input, member } = item
        const businessAt = new Date(input.businessAt).toISOString()
        const local = localParts(businessAt)
        const itemLines = input.lines!
        const total = itemLines.reduce((a, l) => a + l.amount!, 0)
        let tierChange: TierChange | null = null
        if (member) {
          const isSale = item.type === 'sale'
          const next = memberFacts.add({ memberId: member.id, businessAt, month: local.month, receipts: isSale ? 1 : 0, spend: isSale ? total : -total, points: 0 })
          if (isSale) {
            tierChange = await loyalty.upgradeAfterPurchase(trx, accounts.get(member.id)!, cfg, { spend12m: next.spend12m, points12m: next.pointsEarned12m }, id, at)
          }
        }
        const result: PostResult = {
          receiptId: id, receiptNo: input.receiptNo, storeId: input.storeId!, kind: item.type, status: 'posted', businessAt, total,
          points: 0, pointsUsed: 0, member: summary(cfg, member, member ? accounts.get(member.id) : undefined), explanation: [],
          tierChange: tierChange ? { from: tierChange.fromTier, to: tierChange.toTier } : null,
        }
        out.push(result)
        receipts.push({
          id, store_id: input.storeId!, till: input.till ?? null, receipt_no: input.receiptNo, kind: item.type, status: 'posted',
          original_receipt_id: null, original_receipt_no: null, member_id: member?.id ?? null, business_at: businessAt, business_date: local.date,
          total, eligible_amount: 0, points_earned: 0, points_used: 0, line_count: itemLines.length, cashier: input.cashier ?? null,
          source: 'import', import_id: importId, payload_hash: item.hash, result: JSON.stringify(result), pending_payload: null, created_at: at,
        })
        itemLines.forEach((l, i) => lines.push({
          receipt_id: id, line_no: i + 1, product_id: products.get(l.sku!) ?? knownProducts.get(l.sku!) ?? null, sku: l.sku!, quantity: l.quantity, unit: l.unit ?? 'piece',
          unit_price: l.unitPrice!, discount: item.type === 'sale' ? (l as { discount?: number }).discount ?? 0 : 0, amount: l.amount!, points: 0, points_used: 0,
          returned_quantity: 0, returned_amount: 0, returned_points: 0, refunded_points: 0, coupon_amount: 0, returned_coupon_amount: 0, original_line_no: null,
        }))
        if (item.type === 'sale') {
          item.input.tenders.forEach((t, i) => tenders.push({ receipt_id: id, seq: i + 1, kind: t.kind, amount: t.amount, points: t.points ?? null, reference: t.reference ?? null }))
        }
      }
      await insertRows(trx, engine, 'receipts', RECEIPT_COLUMNS, receipts)
      await insertRows(trx, engine, 'receipt_lines', LINE_COLUMNS, lines)
      await insertRows(trx, engine, 'receipt_tenders', TENDER_COLUMNS, tenders)
      await memberFacts.flush()
      await facts.addReceiptDays(trx, receipts.flatMap((r) => (r.member_id ? [r.id] : [])))
      return out
    })
    // Only once committed: a batch rolled back may have created products that do not exist.
    if (knownProducts.size + products.size > 200_000) knownProducts.clear()
    for (const [sku, id] of products) knownProducts.set(sku, id)
    return results
  }

  return { write }
}
