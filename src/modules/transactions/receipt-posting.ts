import type { Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { conflict, DomainError } from '../../shared/errors.js'
import { findIdsMergedInto } from '../members/index.js'
import { AlreadyPosted, type Prepared, type ReceiptContext } from './receipt-context.js'
import type { ReturnInput, SaleInput } from './receipt-rules.js'
import * as repo from './receipts.repository.js'
import type { ReceiptsTable } from './receipts.table.js'
import type { PostOptions, PostResult } from './receipts.types.js'

/** The most receipts one group commit carries. */
const GROUP_COMMIT_MAX = 50

export type Posting = { ok: true; replayed: boolean; result: PostResult } | { ok: false; error: DomainError }

/** Claims the receipt number; a taken number aborts the transaction with the existing receipt. */
export const claimReceipt = async (trx: Trx, row: ReceiptsTable): Promise<void> => {
  if (await repo.insertReceiptUnlessNumbered(trx, row)) return
  const existing = await repo.findReceiptByNo(trx, row.store_id, row.receipt_no)
  if (!existing) throw new Error(`receipt ${row.receipt_no} of store ${row.store_id}: the number is taken but no receipt has it`)
  throw new AlreadyPosted(existing)
}

/**
 * How prepared sales and returns are committed: each in its own transaction, a resend answered
 * with the first result, and on SQLite the ones waiting for the writer committed together.
 */
export const createReceiptPosting = (ctx: ReceiptContext) => {
  const { db, engine } = ctx

  /**
   * The stored receipt is this one posted for a member since merged into the one the resend
   * names: the merge moved the receipt to the survivor, but its digest holds the id it was
   * posted for.
   */
  const postedForMerged = async (existing: ReceiptsTable, prepared: Prepared): Promise<boolean> => {
    if (existing.member_id === null) return false
    const merged = await findIdsMergedInto(db, existing.member_id)
    return merged.some((id) => prepared.hashFor(id) === existing.payload_hash)
  }

  const replay = async (existing: ReceiptsTable, prepared: Prepared): Promise<PostResult> => {
    if (existing.kind !== prepared.kind || (existing.payload_hash !== prepared.hash && !(await postedForMerged(existing, prepared)))) {
      throw conflict('RECEIPT_NUMBER_REUSED', [{ field: 'receiptNo', reason: `this store already has ${existing.kind === 'sale' ? 'a sale' : 'a return'} numbered ${existing.receipt_no} with other content` }])
    }
    return JSON.parse(existing.result!) as PostResult
  }

  /** Runs a posting in its own transaction; a resend gets the first result back. */
  const once = async (prepared: Prepared): Promise<{ result: PostResult; replayed: boolean }> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return { result: await db.transaction().execute(prepared.work), replayed: false }
      } catch (err) {
        if (err instanceof AlreadyPosted) return { result: await replay(err.existing, prepared), replayed: true }
        // On PostgreSQL a racing insert of the same number can surface as a unique violation.
        if (attempt < 3 && isUniqueViolation(err, 'receipts_store_no_uq')) continue
        throw err
      }
    }
  }

  const runAlone = async (prepared: Prepared) => {
    const posted = await once(prepared)
    if (!posted.replayed) prepared.after()
    return posted
  }

  // SQLite has one writer. Under load, the receipts waiting for it are committed together (group
  // commit), which spares a commit per receipt; if anything in a group fails, its receipts are
  // posted again one by one, so each still succeeds or fails on its own. The group is taken once
  // the connection is free (reads queue for it too), so everything that arrived meanwhile joins.
  type Waiting = { prepared: Prepared; resolve: (r: { result: PostResult; replayed: boolean }) => void; reject: (e: unknown) => void }
  const waiting: Waiting[] = []
  let flushing = false
  const flush = async () => {
    flushing = true
    try {
      while (waiting.length > 0) {
        let group: Waiting[] = []
        let results: PostResult[] | null = null
        // Let what the event loop holds (requests read, lookups queued for the connection) run first.
        await new Promise((r) => setImmediate(r))
        try {
          results = await db.transaction().execute(async (trx) => {
            // Taken once the connection is ours: what arrived while it was busy joins this commit.
            group = waiting.splice(0, GROUP_COMMIT_MAX)
            const out: PostResult[] = []
            for (const g of group) out.push(await g.prepared.work(trx))
            return out
          })
        } catch {
          results = null
        }
        if (results) {
          group.forEach((g, i) => {
            g.prepared.after()
            g.resolve({ result: results[i]!, replayed: false })
          })
          continue
        }
        for (const g of group) {
          try {
            g.resolve(await runAlone(g.prepared))
          } catch (err) {
            g.reject(err)
          }
        }
      }
    } finally {
      flushing = false
    }
  }

  const run = (prepared: Prepared): Promise<{ result: PostResult; replayed: boolean }> => {
    if (engine !== 'sqlite') return runAlone(prepared)
    return new Promise((resolve, reject) => {
      waiting.push({ prepared, resolve, reject })
      if (!flushing) void flush()
    })
  }

  /**
   * Posts many sales and returns in one transaction (history imports, where a transaction per
   * receipt would dominate). If any of them fails (a number taken, points short) the whole
   * transaction rolls back and each is posted on its own, so one bad receipt costs only itself.
   */
  const postMany = async (
    prepare: { sale: (actor: Actor, input: SaleInput, options?: PostOptions) => Promise<Prepared>; return: (actor: Actor, input: ReturnInput, options?: PostOptions) => Promise<Prepared> },
    actor: Actor, items: Array<{ type: 'sale'; input: SaleInput } | { type: 'return'; input: ReturnInput }>, options: PostOptions = {},
  ): Promise<Posting[]> => {
    const out: Array<Posting | Prepared> = []
    for (const item of items) {
      try {
        out.push(item.type === 'sale' ? await prepare.sale(actor, item.input, options) : await prepare.return(actor, item.input, options))
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        out.push({ ok: false, error: err })
      }
    }
    const ready = out.filter((o): o is Prepared => 'work' in o)
    let together: PostResult[] | null = null
    try {
      together = await db.transaction().execute(async (trx) => {
        const results: PostResult[] = []
        for (const p of ready) results.push(await p.work(trx))
        return results
      })
    } catch (err) {
      if (!(err instanceof AlreadyPosted) && !(err instanceof DomainError) && !isUniqueViolation(err, 'receipts_store_no_uq')) throw err
    }
    const final: Posting[] = []
    let k = 0
    for (const o of out) {
      if (!('work' in o)) { final.push(o); continue }
      if (together) {
        o.after()
        final.push({ ok: true, replayed: false, result: together[k++]! })
        continue
      }
      try {
        final.push({ ok: true, ...(await runAlone(o)) })
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        final.push({ ok: false, error: err })
      }
    }
    return final
  }

  return { run, postMany }
}

export type ReceiptPosting = ReturnType<typeof createReceiptPosting>
