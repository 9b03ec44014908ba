import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import { DomainError, type ErrorDetail } from '../../shared/errors.js'
import { badReceipt, createReceiptContext, type ReceiptsDeps } from './receipt-context.js'
import { createReceiptPosting } from './receipt-posting.js'
import { createReceiptQuote } from './receipt-quote.js'
import { createReceiptReturn } from './receipt-return.js'
import type { ReturnInput, SaleInput } from './receipt-rules.js'
import { createReceiptSale } from './receipt-sale.js'
import { createReceiptsRead } from './receipts-read.js'
import type { PostOptions, PostResult } from './receipts.types.js'
import { createTillSettings } from './till-settings.service.js'

export type { ReceiptsDeps } from './receipt-context.js'
export type { PostedMember, PostOptions, PostResult, Quote, QuoteInput, ReceiptView, ReturnApprovalView } from './receipts.types.js'

type BatchItem = ({ type: 'sale' } & SaleInput) | ({ type: 'return' } & ReturnInput)
interface BatchOutcome {
  index: number
  receiptNo: string
  status: 'posted' | 'replayed' | 'pending' | 'failed'
  result?: PostResult
  error?: { code: string; message: string; details: ErrorDetail[] }
}

/** The till's service: the sale, the return, the quote and the reads, composed over one context. */
export const createReceiptsService = (deps: ReceiptsDeps) => {
  const ctx = createReceiptContext(deps)
  const posting = createReceiptPosting(ctx)
  const tillSettings = createTillSettings(ctx)
  const returns = createReceiptReturn(ctx, posting, tillSettings)
  const { prepareSale } = createReceiptSale(ctx, returns.applyReturn)
  const { quote } = createReceiptQuote(ctx)
  const { get, list, listForMember } = createReceiptsRead(ctx)

  const postSale = async (actor: Actor, input: SaleInput, options: PostOptions = {}): Promise<{ result: PostResult; replayed: boolean }> =>
    posting.run(await prepareSale(actor, input, options))

  const postMany = (actor: Actor, items: Array<{ type: 'sale'; input: SaleInput } | { type: 'return'; input: ReturnInput }>, options: PostOptions = {}) =>
    posting.postMany({ sale: prepareSale, return: returns.prepareReturn }, actor, items, options)

  /** An offline till's backlog: each item stands or falls alone; a resent batch changes nothing. */
  const postBatch = async (actor: Actor, items: BatchItem[]): Promise<{ items: BatchOutcome[]; posted: number; failed: number }> => {
    assertCan(actor, 'receipts.post')
    if (!Array.isArray(items) || items.length === 0 || items.length > 1000) throw badReceipt([{ field: 'items', reason: '1 to 1,000 receipts and returns' }])
    const out: BatchOutcome[] = []
    for (const [index, item] of items.entries()) {
      try {
        const { type: _, ...rest } = item
        const { result, replayed } = item.type === 'return'
          ? await returns.postReturn(actor, rest as ReturnInput, { source: 'batch' })
          : await postSale(actor, rest as SaleInput, { source: 'batch' })
        out.push({ index, receiptNo: item.receiptNo, status: replayed ? 'replayed' : result.status === 'posted' ? 'posted' : 'pending', result })
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        out.push({ index, receiptNo: item.receiptNo, status: 'failed', error: { code: err.code, message: err.message, details: err.details } })
      }
    }
    return { items: out, posted: out.filter((o) => o.status !== 'failed').length, failed: out.filter((o) => o.status === 'failed').length }
  }

  return {
    postSale, postReturn: returns.postReturn, postBatch, quote, get, list, listForMember, internals: { postMany },
    getTillSettings: tillSettings.getTillSettings, updateTillSettings: tillSettings.updateTillSettings,
    getStoreTillSettings: tillSettings.getStoreTillSettings, updateStoreTillSettings: tillSettings.updateStoreTillSettings,
    approveReturn: returns.approveReturn, rejectReturn: returns.rejectReturn, listReturnApprovals: returns.listReturnApprovals,
  }
}

export type ReceiptsService = ReturnType<typeof createReceiptsService>
