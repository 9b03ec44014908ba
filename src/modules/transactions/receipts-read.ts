import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import { notFound } from '../../shared/errors.js'
import { assertInScope, requestedStore } from '../../shared/scope.js'
import { findProductsBySkus } from '../catalog/index.js'
import { memberSummaries } from '../members/index.js'
import { storeNamesByIds } from '../org/index.js'
import { badReceipt, type ReceiptContext } from './receipt-context.js'
import * as repo from './receipts.repository.js'
import type { ReceiptsTable } from './receipts.table.js'
import type { ReceiptView } from './receipts.types.js'

type Page = { items: ReceiptView[]; nextCursor: string | null }

const cursorOf = (cursor: string | undefined): { at: string; id: string } | undefined => {
  if (!cursor) return undefined
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!at || !id) throw badReceipt([{ field: 'cursor', reason: 'not a cursor from this list' }])
  return { at, id }
}

/** The reads: one receipt, a member's receipts, a store's receipts; with lines, tenders, store and member as lists show them. */
export const createReceiptsRead = ({ db }: Pick<ReceiptContext, 'db'>) => {
  const toView = async (rows: ReceiptsTable[]): Promise<ReceiptView[]> => {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const [lines, tenders, stores, members] = await Promise.all([
      repo.linesOfReceipts(db, ids),
      repo.tendersOfReceipts(db, ids),
      storeNamesByIds(db, rows.map((r) => r.store_id)),
      memberSummaries(db, rows.flatMap((r) => (r.member_id ? [r.member_id] : []))),
    ])
    // A line names its product by id; SKUs never change, so the product of its SKU is it (or none).
    const products = await findProductsBySkus(db, [...new Set(lines.flatMap((l) => (l.product_id ? [l.sku] : [])))])
    const nameOf = (l: { sku: string; product_id: string | null }) => {
      const p = products.get(l.sku)
      return p && p.id === l.product_id ? p.name : null
    }
    return rows.map((r) => {
      const store = stores.get(r.store_id)
      const member = r.member_id ? members.get(r.member_id) : undefined
      return {
        id: r.id, storeId: r.store_id, storeCode: store?.code ?? null, storeName: store?.name ?? null, till: r.till, receiptNo: r.receipt_no, kind: r.kind, status: r.status,
        originalReceiptId: r.original_receipt_id, originalReceiptNo: r.original_receipt_no, memberId: r.member_id, businessAt: r.business_at, businessDate: r.business_date,
        total: r.total, points: r.points_earned, pointsUsed: r.points_used, source: r.source, cashier: r.cashier,
        memberName: member?.nameMasked ?? null, memberCardNo: member?.cardNo ?? null,
        returnReason: r.return_reason ?? null, returnNote: r.return_note ?? null, approvedBy: r.approved_by ?? null,
        lines: lines.filter((l) => l.receipt_id === r.id).map((l) => ({
          lineNo: l.line_no, sku: l.sku, name: nameOf(l), quantity: l.quantity, unit: l.unit, unitPrice: l.unit_price, discount: l.discount, amount: l.amount,
          points: l.points, returnedQuantity: l.returned_quantity, originalLineNo: l.original_line_no,
        })),
        tenders: tenders.filter((t) => t.receipt_id === r.id).map((t) => ({ kind: t.kind, amount: t.amount, points: t.points, reference: t.reference })),
      }
    })
  }

  const page = async (query: repo.ReceiptPageQuery): Promise<Page> => {
    const rows = await repo.findReceiptsPage(db, { ...query, limit: query.limit + 1 })
    const items = await toView(rows.slice(0, query.limit))
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > query.limit && last ? Buffer.from(`${last.businessAt}|${last.id}`).toString('base64url') : null }
  }

  const get = async (actor: Actor, id: string): Promise<ReceiptView> => {
    assertCan(actor, 'receipts.read')
    const row = await repo.findReceiptById(db, id)
    if (!row) throw notFound('RECEIPT_NOT_FOUND', [{ field: 'id', reason: 'no such receipt' }])
    // A store's staff read their store's receipts by id; a member's receipts elsewhere they see on the member's page.
    assertInScope(actor, row.store_id, 'receipt')
    return (await toView([row]))[0]!
  }

  /** A member's receipts, newest first, with lines (member detail). Members shop everywhere, so any desk sees them all. */
  const listForMember = async (actor: Actor, memberId: string, p: { cursor?: string; limit?: number } = {}): Promise<Page> => {
    assertCan(actor, 'receipts.read')
    return page({ actor, memberId, before: cursorOf(p.cursor), limit: Math.min(Math.max(p.limit ?? 20, 1), 100) })
  }

  /** Receipts of a store and day range (the console's receipt list); store roles see their store. */
  const list = async (actor: Actor, filter: { storeId?: string; from?: string; to?: string; receiptNo?: string; cursor?: string; limit?: number }): Promise<Page> => {
    assertCan(actor, 'receipts.read')
    const storeId = requestedStore(actor, filter.storeId)
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
    return page({ actor, storeId, from: filter.from, to: filter.to, receiptNo: filter.receiptNo, before: cursorOf(filter.cursor), limit })
  }

  return { get, list, listForMember }
}
