import { performance } from 'node:perf_hooks'
import type { Db, Engine, Trx } from '../../../db/database.js'
import type { Clock } from '../../../shared/clock.js'
import { unprocessable } from '../../../shared/errors.js'
import { dateIn, isLocalDate, parseLocalDateTime } from '../../../shared/time.js'
import { classifyStaged, finishClasses, retractChangedCounts, retractDirtyCounts, retractGoneCounts } from '../classes/classify.js'
import { evaluateTags } from '../tags/tag-evaluation.js'
import {
  addDays, fullReason, parseState, readFrom, SETTINGS_KEY, STATE_KEY, windowDaysOf, windowOf, type FullReason, type RefreshState,
} from './insight-rules.js'
import * as repo from './insight.repository.js'

export interface RefreshOptions {
  /** recompute every member (default: only what changed since the last refresh) */
  full?: boolean
  /**
   * also rebuild member_category_days and member_store_days from every receipt and line (implies
   * full). Otherwise they are as the posting of each receipt left them: they do not depend on the
   * date, and the first refresh builds them.
   */
  rebuild?: boolean
  /** the local business date the figures are as of (YYYY-MM-DD; default today in the chain's zone) */
  asOf?: string
}

export interface RefreshResult {
  mode: 'full' | 'incremental'
  /** why a full refresh ran: asked for, the first one, the day turned, the window changed */
  fullReason: FullReason | null
  /** whether member_category_days and member_store_days were rebuilt from every receipt (asked for, or the first refresh) */
  rebuilt: boolean
  asOf: string
  windowDays: number
  window: { from: string; to: string }
  /** members whose row was computed again */
  members: number
  /** receipts read: every posted receipt of a member (full), those since the watermark (incremental) */
  receiptsRead: number
  /**
   * how the class counts were brought up to date: written whole (the first refresh, or the first
   * since they were reset), or the members counted again (the dirty ones; on a full refresh, those
   * whose groups or sums changed)
   */
  classCounts: 'whole' | { members: number }
  seconds: number
  /**
   * seconds of each step: finding what changed, rebuilding the day tables (0 unless `rebuilt`:
   * the posting keeps them otherwise), the members' figures, the classes, the tags; on PostgreSQL after a full refresh, vacuuming and analysing the tables it
   * rewrote (after the commit; null if the server refused it)
   */
  steps: { dirty: number; categoryDays: number; members: number; classes: number; tags: number; vacuum?: number | null }
  at: string
}

export interface Freshness {
  /** the date the stored figures are as of; null before the first refresh */
  asOf: string | null
  /** what today is in the chain's zone: figures as of an earlier day are a day behind */
  today: string
  windowDays: number
  window: { from: string; to: string }
  lastFullAt: string | null
  lastIncrementalAt: string | null
  /** receipts written since the watermark, not yet in the figures */
  pendingReceipts: number
  /** members with a row of figures */
  membersCovered: number
}


/**
 * The insight refresh: member_category_days, member_store_days and member_insight computed in the database with
 * set-based SQL, then the classes and tags. A full refresh recomputes everyone; an incremental
 * one only the members of receipts written since its watermark and of records changed since,
 * so it costs what changed. Both run in one transaction.
 */
export const createInsightRefresh = ({ db, engine, clock, timezone }: { db: Db; engine: Engine; clock: Clock; timezone: string }) => {
  const today = () => dateIn(clock.now(), timezone)
  /** The first instant (UTC ISO) of a local date in the chain's zone. */
  const startOf = (date: string) => parseLocalDateTime(date, timezone)!.toISOString()

  const run = async (trx: Trx, options: RefreshOptions): Promise<RefreshResult> => {
    const started = performance.now()
    const at = clock.now().toISOString()
    await repo.lockState(trx, engine, STATE_KEY)
    await repo.tuneTransaction(trx, engine)
    const asOf = options.asOf ?? today()
    const windowDays = windowDaysOf(await repo.readMeta(trx, SETTINGS_KEY))
    const window = windowOf(asOf, windowDays)
    const dates = { asOf, ...window, fromAt: startOf(window.from), untilAt: startOf(addDays(window.to, 1)) }
    const state = parseState(await repo.readMeta(trx, STATE_KEY))
    const reason = fullReason(state, asOf, windowDays, options.full === true || options.rebuild === true)
    const rebuild = options.rebuild === true || reason === 'first' || state.watermark === null
    // The watermark is read first: what is written while the refresh runs is read again next time.
    const mark = await repo.latestReceipt(trx)
    const membersAt = await repo.latestMemberChange(trx)
    let receiptsRead = 0
    const from = readFrom(state)
    if (!rebuild) receiptsRead = await repo.markDirtySince(trx, engine, from.receipts, from.members, from.redemptions.since)
    const scope: repo.Scope = reason ? 'all' : 'dirty'
    let lap = started
    const took = () => {
      const now = performance.now()
      const s = Math.round(now - lap) / 1000
      lap = now
      return s
    }
    const steps = { dirty: took(), categoryDays: 0, members: 0, classes: 0, tags: 0 }
    await repo.dropTemporary(trx)
    // The day tables follow each receipt as it is posted (member-days.repository.ts); rebuilt
    // here from every receipt only when asked or on the first refresh. The members' figures are
    // computed again for everyone on a full refresh (the window and recency move with the date).
    if (rebuild) {
      await repo.lockDayTables(trx, engine)
      await repo.rebuildStoreDays(trx, engine)
      await repo.rebuildCategoryDays(trx, engine)
    }
    steps.categoryDays = took()
    if (scope === 'dirty') await retractDirtyCounts(trx)
    await repo.aggregateMembers(trx, engine, scope, dates)
    if (reason) receiptsRead = await repo.countReadReceipts(trx)
    if (scope === 'all') await retractGoneCounts(trx)
    await repo.stageInsight(trx, engine, scope, dates, at)
    steps.members = took()
    // The staged rows are classified before they are written: member_insight is written once.
    const step = { asOf, only: scope, at, timezone }
    const cuts = await classifyStaged(trx, step)
    // A full refresh counts again only the members whose part of the class counts changes.
    const changed = scope === 'all' ? await retractChangedCounts(trx, state.asOf, asOf, engine) : null
    const members = await repo.writeInsight(trx, engine, scope)
    await repo.dropTemporary(trx)
    const written = await finishClasses(trx, step, cuts, scope === 'dirty' ? 'dirty' : changed === null ? 'whole' : 'changed')
    steps.classes = took()
    await evaluateTags(trx, step)
    steps.tags = took()
    await repo.clearDirty(trx)
    const next: RefreshState = {
      asOf, windowDays,
      lastFullAt: reason ? at : state.lastFullAt,
      lastIncrementalAt: reason ? state.lastIncrementalAt : at,
      watermark: mark ?? state.watermark,
      membersAt: membersAt ?? state.membersAt,
    }
    await repo.writeMeta(trx, STATE_KEY, JSON.stringify(next))
    return {
      mode: reason ? 'full' : 'incremental', fullReason: reason, rebuilt: rebuild, asOf, windowDays, window, members, receiptsRead,
      classCounts: written === 'whole' ? 'whole' : { members: changed ?? members },
      seconds: Math.round(performance.now() - started) / 1000, steps, at,
    }
  }

  /** Brings the figures up to date (incremental unless `full`, or unless the day or the window changed). */
  const refresh = async (options: RefreshOptions = {}): Promise<RefreshResult> => {
    if (options.asOf !== undefined && !isLocalDate(options.asOf)) throw unprocessable('INSIGHT_BAD_AS_OF', [{ field: 'asOf', reason: 'a date YYYY-MM-DD' }])
    if (options.asOf !== undefined && options.asOf > today()) throw unprocessable('INSIGHT_BAD_AS_OF', [{ field: 'asOf', reason: 'must not be after today' }])
    const result = await db.transaction().execute((trx) => run(trx, options))
    if (engine === 'postgres' && result.mode === 'full') {
      // A full refresh writes a new version of every member's row: the old ones are cleared and the
      // planner's statistics renewed now, not whenever autovacuum comes by (if it is on at all), so
      // the next refresh and the segment reads do not pay for them.
      const started = performance.now()
      const done = await repo.vacuumInsight(db).then(() => true, () => false)
      const s = Math.round(performance.now() - started) / 1000
      result.steps.vacuum = done ? s : null
      result.seconds = Math.round((result.seconds + s) * 1000) / 1000
    }
    return result
  }

  /** How fresh the figures are: their date and window, the last runs, and what is not in them yet. */
  const freshness = async (): Promise<Freshness> => {
    const state = parseState(await repo.readMeta(db, STATE_KEY))
    const windowDays = state.windowDays ?? windowDaysOf(await repo.readMeta(db, SETTINGS_KEY))
    const day = today()
    const [pendingReceipts, membersCovered] = await Promise.all([repo.countReceiptsAfter(db, state.watermark ?? undefined), repo.countInsightRows(db)])
    return {
      asOf: state.asOf, today: day, windowDays, window: windowOf(state.asOf ?? day, windowDays),
      lastFullAt: state.lastFullAt, lastIncrementalAt: state.lastIncrementalAt, pendingReceipts, membersCovered,
    }
  }

  return { refresh, freshness }
}

export type InsightRefresh = ReturnType<typeof createInsightRefresh>
