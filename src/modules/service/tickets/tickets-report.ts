import type { Db } from '../../../db/database.js'
import { unprocessable } from '../../../shared/errors.js'
import { isInScope, type Scope } from '../../../shared/scope.js'
import { addDays, isLocalDate } from '../../../shared/time.js'
import { memberSummaries } from '../../members/index.js'
import { listAllStores, storeNamesByIds } from '../../org/index.js'
import { mean, median, round2, type TicketKind } from './ticket-rules.js'
import * as repo from './tickets.repository.js'

/*
 * The desk's report. Definitions:
 * - The period: tickets taken in between `from` and `to`, by the local date of intake (both
 *   included); default the last 30 days to today. Every figure below is about those tickets.
 * - Volume: tickets by category (the category itself, not its parent), store, severity and
 *   period (day; week = the ISO week, named by its Monday; month = YYYY-MM).
 * - First-response time: intake to the first response (the first reply recorded as told to the
 *   customer, or an agent's first status change: take, start, resolve), over the tickets with
 *   one; in working minutes of the ticket's team (as written when it happened) and in elapsed
 *   minutes. Resolution time: intake to the (latest) resolution, over the tickets resolved now.
 *   Median and mean of each.
 * - SLA compliance per deadline: of the tickets whose deadline is decided (met, or passed), the
 *   share met (responded / resolved at or before it). An open ticket before its deadline counts
 *   in neither.
 * - Reopen rate: tickets reopened at least once over tickets ever resolved.
 * - Repeat complainants: members with two or more complaints in the period.
 * - Most complained-about products and stores: complaints only, top 10.
 * - Follow-up satisfaction: the scores (1–5) recorded on the follow-up calls of these tickets;
 *   mean and the count per score.
 * - Compensation: goodwill points and coupons granted on these tickets.
 */

export interface ReportFilter {
  from?: string
  to?: string
  storeId?: string
  regionId?: string
  period?: 'day' | 'week' | 'month'
  kind?: TicketKind
}

interface Stat { count: number; medianWorking: number | null; meanWorking: number | null; medianElapsed: number | null; meanElapsed: number | null }
interface Compliance { due: number; met: number; rate: number | null }
interface Count { key: string; name: string | null; nameEn: string | null; count: number }

export interface ServiceReport {
  from: string
  to: string
  period: 'day' | 'week' | 'month'
  total: number
  byCategory: Count[]
  byStore: Count[]
  byPeriod: Array<{ period: string; count: number; complaints: number; requests: number }>
  bySeverity: Count[]
  firstResponse: Stat
  resolution: Stat
  slaCompliance: { firstResponse: Compliance; resolution: Compliance }
  reopenRate: { resolved: number; reopened: number; rate: number | null }
  repeatComplainants: Array<{ memberId: string; memberName: string | null; cardNo: string | null; count: number }>
  topProducts: Count[]
  topStores: Count[]
  satisfaction: { responses: number; mean: number | null; distribution: Array<{ score: number; count: number }> }
  compensation: { points: number; coupons: number; tickets: number }
}

/** The ISO week's Monday of a local date. */
const weekOf = (date: string): string => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((day + 6) % 7))
}

export const periodOf = (date: string, period: 'day' | 'week' | 'month'): string =>
  period === 'day' ? date : period === 'week' ? weekOf(date) : date.slice(0, 7)

const minutesBetween = (a: string, b: string) => (new Date(b).getTime() - new Date(a).getTime()) / 60_000

const stat = (working: number[], elapsed: number[]): Stat => ({
  count: elapsed.length, medianWorking: round2(median(working)), meanWorking: round2(mean(working)), medianElapsed: round2(median(elapsed)), meanElapsed: round2(mean(elapsed)),
})

const counted = <K extends string>(keys: K[]): Map<K, number> => {
  const out = new Map<K, number>()
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1)
  return out
}

const byCountDesc = (a: { count: number; key: string }, b: { count: number; key: string }) => b.count - a.count || a.key.localeCompare(b.key)

export const buildReport = async (
  db: Db, ctx: { timezone: string; today: string; now?: string; productNames: (ids: readonly string[]) => Promise<Map<string, string>> }, scope: Scope, filter: ReportFilter,
): Promise<ServiceReport> => {
  const to = filter.to ?? ctx.today
  const from = filter.from ?? addDays(to, -29)
  if (!isLocalDate(from)) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'not a date' }])
  if (!isLocalDate(to)) throw unprocessable('VALIDATION', [{ field: 'to', reason: 'not a date' }])
  if (from > to) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'after to' }])
  if (new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime() > 732 * 86_400_000) {
    throw unprocessable('VALIDATION', [{ field: 'from', reason: 'a report covers at most two years' }])
  }
  const period = filter.period ?? 'day'
  const now = ctx.now ?? new Date().toISOString()
  let storeIds: string[] | undefined
  if (filter.regionId) storeIds = (await listAllStores(db)).filter((s) => s.regionId === filter.regionId && isInScope(scope, s.id)).map((s) => s.id)
  const which = { scope, from, to, storeIds, kind: filter.kind }
  const rows = await repo.reportTickets(db, which)

  const categories = new Map((await repo.listCategories(db)).map((c) => [c.id, c]))
  const stores = await storeNamesByIds(db, rows.map((r) => r.store_id))
  const named = (m: Map<string, number>, name: (k: string) => { name: string | null; nameEn: string | null }): Count[] =>
    [...m].map(([key, count]) => ({ key, ...name(key), count })).sort(byCountDesc)
  const storeName = (k: string) => ({ name: stores.get(k)?.name ?? null, nameEn: null })

  const periods = new Map<string, { count: number; complaints: number; requests: number }>()
  for (const r of rows) {
    const p = periodOf(r.business_date, period)
    const v = periods.get(p) ?? { count: 0, complaints: 0, requests: 0 }
    v.count++
    if (r.kind === 'complaint') v.complaints++
    else v.requests++
    periods.set(p, v)
  }

  const responded = rows.filter((r) => r.first_responded_at)
  const resolved = rows.filter((r) => r.resolved_at)
  const compliance = (list: Array<{ due: string | null; done: string | null }>): Compliance => {
    const decided = list.filter((x) => x.due && (x.done || x.due <= now))
    const met = decided.filter((x) => x.done && x.done <= x.due!).length
    return { due: decided.length, met, rate: decided.length ? round2(met / decided.length) : null }
  }
  const everResolved = rows.filter((r) => r.resolved_at || Number(r.reopen_count) > 0)
  const reopened = rows.filter((r) => Number(r.reopen_count) > 0)

  const complaints = rows.filter((r) => r.kind === 'complaint')
  const perMember = counted(complaints.map((r) => r.member_id).filter((x): x is string => !!x))
  const repeat = [...perMember].filter(([, n]) => n >= 2).map(([key, count]) => ({ key, count })).sort(byCountDesc).slice(0, 50)
  const labels = await memberSummaries(db, repeat.map((r) => r.key))
  const productCounts = counted(complaints.map((r) => r.product_id).filter((x): x is string => !!x))
  const topProductIds = [...productCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([id]) => id)
  const products = await ctx.productNames(topProductIds)

  const scores = (await repo.doneFollowUpsOf(db, which)).map((f) => Number(f.satisfaction))
  const comps = await repo.grantedCompensationsOf(db, which)

  return {
    from, to, period, total: rows.length,
    byCategory: named(counted(rows.map((r) => r.category_id)), (k) => ({ name: categories.get(k)?.name ?? null, nameEn: categories.get(k)?.name_en ?? null })),
    byStore: named(counted(rows.map((r) => r.store_id)), storeName),
    byPeriod: [...periods].map(([p, v]) => ({ period: p, ...v })).sort((a, b) => a.period.localeCompare(b.period)),
    bySeverity: named(counted(rows.map((r) => r.severity)), () => ({ name: null, nameEn: null })),
    firstResponse: stat(responded.map((r) => Number(r.first_response_minutes ?? 0)), responded.map((r) => minutesBetween(r.created_at, r.first_responded_at!))),
    resolution: stat(resolved.map((r) => Number(r.resolution_minutes ?? 0)), resolved.map((r) => minutesBetween(r.created_at, r.resolved_at!))),
    slaCompliance: {
      firstResponse: compliance(rows.map((r) => ({ due: r.first_response_due_at, done: r.first_responded_at }))),
      resolution: compliance(rows.map((r) => ({ due: r.resolution_due_at, done: r.resolved_at }))),
    },
    reopenRate: { resolved: everResolved.length, reopened: reopened.length, rate: everResolved.length ? round2(reopened.length / everResolved.length) : null },
    repeatComplainants: repeat.map((r) => ({ memberId: r.key, memberName: labels.get(r.key)?.nameMasked ?? null, cardNo: labels.get(r.key)?.cardNo ?? null, count: r.count })),
    topProducts: named(productCounts, (k) => ({ name: products.get(k) ?? null, nameEn: null })).slice(0, 10),
    topStores: named(counted(complaints.map((r) => r.store_id)), storeName).slice(0, 10),
    satisfaction: {
      responses: scores.length, mean: round2(mean(scores)),
      distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: scores.filter((s) => s === score).length })),
    },
    compensation: {
      points: comps.reduce((a, c) => a + (c.kind === 'points' ? Number(c.points ?? 0) : 0), 0),
      coupons: comps.filter((c) => c.kind === 'coupon').length,
      tickets: new Set(comps.map((c) => c.ticket_id)).size,
    },
  }
}
