import type { Db, Trx } from '../../db/database.js'
import type { Clock } from '../../shared/clock.js'
import { dateIn } from '../../shared/time.js'
import {
  EMPTY_WINDOW, mergeFacts, monthlyRows, needsWindow, nextFacts, toFactsRow, toMemberFacts, windowMonths,
  type FactsWindow, type MemberFacts, type PurchaseFactDelta,
} from './member-facts-rules.js'
import * as repo from './member-facts.repository.js'
import * as days from './insight/member-days.repository.js'

/** Facts kept current receipt by receipt inside one transaction; written by `flush`. */
export interface FactsAccumulator {
  /** The member's facts after this receipt or return (the member must be one `accumulate` loaded). */
  add(delta: PurchaseFactDelta): MemberFacts
  /** Writes what was added since the last flush; returns the facts of the members it changed. */
  flush(): Promise<Map<string, MemberFacts>>
}

/**
 * The one writer of per-member purchase facts: the sale, the return, the late return, the
 * offline batch and the bulk import all go through `recordPurchases` (or `accumulate`) and
 * `addReceiptDays`, the merge through `move`. The 12-month figures cover the months up to the
 * current one; when the month turns they are summed again from the monthly rows.
 */
export const createMemberFacts = ({ clock, timezone }: { clock: Clock; timezone: string }) => {
  const currentMonth = () => dateIn(clock.now(), timezone).slice(0, 7)
  const now = () => clock.now().toISOString()

  /** Loads the members' facts (and, where the month has turned, their window) for adding receipts in memory. */
  const accumulate = async (trx: Trx, memberIds: Iterable<string>): Promise<FactsAccumulator> => {
    const month = currentMonth()
    const at = now()
    const ids = [...new Set(memberIds)]
    const facts = new Map((await repo.findFacts(trx, ids)).map((r) => [r.member_id, toMemberFacts(r)]))
    const stale = ids.filter((id) => needsWindow(facts.get(id), month))
    const { from, to } = windowMonths(month)
    const windows = stale.length ? await repo.windowSums(trx, stale, from, to) : new Map<string, FactsWindow>()
    const loaded = new Set(ids)
    let deltas: PurchaseFactDelta[] = []
    let touched = new Set<string>()
    return {
      add: (d) => {
        if (!loaded.has(d.memberId)) throw new Error(`member facts: ${d.memberId} was not loaded by accumulate`)
        const next = nextFacts(facts.get(d.memberId), d, { currentMonth: month, now: at, windowBefore: windows.get(d.memberId) ?? EMPTY_WINDOW })
        facts.set(d.memberId, next)
        deltas.push(d)
        touched.add(d.memberId)
        return next
      },
      flush: async () => {
        const out = new Map([...touched].map((id) => [id, facts.get(id)!]))
        await repo.addMonthly(trx, monthlyRows(deltas))
        await repo.saveFacts(trx, [...out.values()].map(toFactsRow))
        deltas = []
        touched = new Set()
        return out
      },
    }
  }

  /** Adds receipts and returns to the members' facts; returns the new facts by member. */
  const recordPurchases = async (trx: Trx, deltas: readonly PurchaseFactDelta[]): Promise<Map<string, MemberFacts>> => {
    if (deltas.length === 0) return new Map()
    const acc = await accumulate(trx, deltas.map((d) => d.memberId))
    for (const d of deltas) acc.add(d)
    return acc.flush()
  }

  /**
   * Adds posted receipts with a member (by id; their figures final) to the members' days by store
   * and by category, the insight refresh's read model. Once per receipt: a sale once its points are
   * set, a return once it is posted (a return waiting for its sale, when the sale arrives).
   */
  const addReceiptDays = (trx: Trx, receiptIds: readonly string[]): Promise<void> => days.addReceipts(trx, receiptIds)

  const get = async (conn: Db | Trx, memberId: string): Promise<MemberFacts | undefined> => {
    const row = await repo.findFactsOf(conn, memberId)
    return row ? toMemberFacts(row) : undefined
  }

  /** Receipts, spend and points of the 12 months up to `month` (the current one by default), from the monthly rows. */
  const windowFor = async (conn: Db | Trx, memberId: string, month: string = currentMonth()): Promise<FactsWindow> => {
    const { from, to } = windowMonths(month)
    return (await repo.windowSums(conn, [memberId], from, to)).get(memberId) ?? EMPTY_WINDOW
  }

  /** Sums one member's 12-month figures again for `month` (the nightly tier evaluation); undefined without facts. */
  const refresh = async (conn: Db | Trx, memberId: string, month: string = currentMonth()): Promise<MemberFacts | undefined> => {
    const row = await repo.setWindow(conn, memberId, await windowFor(conn, memberId, month), month, now())
    return row ? toMemberFacts(row) : undefined
  }

  /** A merge: the merged record's months add to the survivor's, its totals join the survivor's. */
  const move = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
    const months = await repo.monthlyOf(trx, fromId)
    const [fromRow, toRow] = await Promise.all([repo.findFactsOf(trx, fromId), repo.findFactsOf(trx, toId)])
    await repo.deleteFactsOf(trx, fromId)
    await repo.addMonthly(trx, months.map((m) => ({ ...m, member_id: toId })))
    if (!fromRow) return
    const month = currentMonth()
    const merged = mergeFacts({ ...toMemberFacts(fromRow), memberId: toId }, toRow ? toMemberFacts(toRow) : undefined, {
      currentMonth: month, now: now(), window: await windowFor(trx, toId, month),
    })
    await repo.saveFacts(trx, [toFactsRow(merged)])
  }

  const count = (conn: Db | Trx, memberId: string): Promise<number> => repo.countMonthsOf(conn, memberId)

  const exportOf = async (conn: Db | Trx, memberId: string): Promise<Record<string, object[]>> => {
    const [facts, months] = await Promise.all([repo.findFactsOf(conn, memberId), repo.monthlyOf(conn, memberId)])
    return { member_purchase_stats: facts ? [facts] : [], member_monthly_activity: months }
  }

  const erase = (trx: Trx, memberId: string): Promise<void> => repo.deleteFactsOf(trx, memberId)

  return { currentMonth, accumulate, recordPurchases, addReceiptDays, get, windowFor, refresh, move, count, export: exportOf, erase }
}

export type MemberFactsWriter = ReturnType<typeof createMemberFacts>
