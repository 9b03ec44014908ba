import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import type { ServiceReport } from './tickets-report.js'

// The report against a plain computation over the stored tickets: counting by hand, medians by
// sorting, and working minutes counted minute by minute on the default hours (08:00–22:00 in
// Shanghai, every day), independent of working-time.ts.

const context = useTestContext()
let t: TestContext
let report: ServiceReport

const plainMedian = (xs: number[]) => {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const plainMean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100)
/** Minutes between two instants whose Shanghai hour is 8 to 21. */
const workingByHand = (from: string, to: string) => {
  let n = 0
  for (let m = new Date(from).getTime(); m < new Date(to).getTime(); m += 60_000) {
    const hour = (new Date(m).getUTCHours() + 8) % 24
    if (hour >= 8 && hour < 22) n++
  }
  return n
}
const countBy = <T>(xs: T[], key: (x: T) => string | null) => {
  const out: Record<string, number> = {}
  for (const x of xs) {
    const k = key(x)
    if (k !== null) out[k] = (out[k] ?? 0) + 1
  }
  return out
}

beforeAll(async () => {
  t = await context()
  const s = t.services.tickets
  const cats = await s.listCategories(t.actors.hq_admin)
  const [quality, food, price] = [cats[0]!.id, cats[1]!.id, cats[2]!.id]
  const repeat = await t.given.member()
  const other = await t.given.member()
  const milk = await t.given.product({ name: '鲜牛奶' })
  const bread = await t.given.product({ name: '面包' })
  const at = (iso: string) => t.clock.set(iso)
  const agent = t.actors.service_agent

  at('2026-03-02T02:00:00.000Z') // Monday 10:00
  const a = await s.create(agent, { memberId: repeat.id, categoryId: quality, description: '牛奶变质', productId: milk.id, severity: 'high' })
  const b = await s.create(t.actors.cashierB, { memberId: repeat.id, categoryId: food, description: '面包发霉', productId: bread.id })
  const c = await s.create(agent, { memberId: other.id, categoryId: quality, description: '牛奶过期', productId: milk.id, kind: 'complaint', severity: 'critical' })
  const d = await s.create(agent, { contactPhone: '13900002222', categoryId: price, description: '想办会员卡', kind: 'request', severity: 'low' })
  at('2026-03-02T13:30:00.000Z') // 21:30, just before closing
  const e = await s.create(agent, { memberId: other.id, categoryId: price, description: '价签不符' })

  at('2026-03-02T02:20:00.000Z')
  await s.take(agent, a.id)
  at('2026-03-02T02:45:00.000Z')
  await s.reply(agent, c.id, { body: '已收到', channel: 'phone' }) // critical: 30 min — met
  at('2026-03-02T09:00:00.000Z')
  await s.resolve(agent, a.id, { outcome: '退款' })
  await s.take(t.actors.serviceB, b.id) // normal: 240 working min from 10:00 → 14:00 (06:00Z): missed
  at('2026-03-03T01:00:00.000Z') // Tuesday 09:00
  await s.reply(agent, e.id, { body: '已核实', channel: 'sms' })
  await s.resolve(agent, c.id, { outcome: '换货并致歉' })
  await s.compensate(agent, c.id, { kind: 'points', points: 200, requestKey: 'r1' })
  at('2026-03-03T03:00:00.000Z')
  await s.recordFollowUp(agent, a.id, { reached: true, satisfaction: 2, comment: '不满意' }) // reopens a
  await s.recordFollowUp(agent, c.id, { reached: true, satisfaction: 5 })
  at('2026-03-03T05:00:00.000Z')
  await s.resolve(agent, a.id, { outcome: '补发商品' })
  await s.recordFollowUp(agent, a.id, { reached: true, satisfaction: 4 })
  void d
  at('2026-03-04T02:00:00.000Z')
  report = await s.report(t.actors.hq_admin, { from: '2026-03-01', to: '2026-03-31', period: 'week' })
})

describe('the service report against a plain computation', () => {
  it('counts volume by category, store, severity and week', async () => {
    const rows = await t.services.db.selectFrom('tickets').selectAll().execute()
    expect(report.total).toBe(rows.length)
    expect(Object.fromEntries(report.byCategory.map((c) => [c.key, c.count]))).toEqual(countBy(rows, (r) => r.category_id))
    expect(Object.fromEntries(report.byStore.map((c) => [c.key, c.count]))).toEqual(countBy(rows, (r) => r.store_id))
    expect(Object.fromEntries(report.bySeverity.map((c) => [c.key, c.count]))).toEqual(countBy(rows, (r) => r.severity))
    expect(report.byPeriod).toEqual([{ period: '2026-03-02', count: 5, complaints: 4, requests: 1 }])
    expect(report.byCategory[0]!.name).toBeTruthy()
  })

  it('gives first-response and resolution times, working and elapsed, median and mean', async () => {
    const rows = await t.services.db.selectFrom('tickets').selectAll().execute()
    const responded = rows.filter((r) => r.first_responded_at)
    const elapsed = responded.map((r) => (new Date(r.first_responded_at!).getTime() - new Date(r.created_at).getTime()) / 60_000)
    const working = responded.map((r) => workingByHand(r.created_at, r.first_responded_at!))
    expect(report.firstResponse).toEqual({
      count: responded.length, medianWorking: r2(plainMedian(working)), meanWorking: r2(plainMean(working)),
      medianElapsed: r2(plainMedian(elapsed)), meanElapsed: r2(plainMean(elapsed)),
    })
    const resolved = rows.filter((r) => r.resolved_at)
    const rWorking = resolved.map((r) => workingByHand(r.created_at, r.resolved_at!))
    expect(report.resolution).toMatchObject({ count: resolved.length, medianWorking: r2(plainMedian(rWorking)), meanWorking: r2(plainMean(rWorking)) })
    // e came at 21:30 and was answered at 09:00 the next day: 30 + 60 working minutes, 690 elapsed.
    expect(working).toContain(90)
  })

  it('measures SLA compliance, the reopen rate, repeat complainants and top products and stores', async () => {
    const rows = await t.services.db.selectFrom('tickets').selectAll().execute()
    const now = '2026-03-04T02:00:00.000Z'
    const decided = (due: string | null, done: string | null) => due !== null && (done !== null || due <= now)
    const fr = rows.filter((r) => decided(r.first_response_due_at, r.first_responded_at))
    const frMet = fr.filter((r) => r.first_responded_at && r.first_responded_at <= r.first_response_due_at!)
    expect(report.slaCompliance.firstResponse).toEqual({ due: fr.length, met: frMet.length, rate: r2(frMet.length / fr.length) })
    const rs = rows.filter((r) => decided(r.resolution_due_at, r.resolved_at))
    const rsMet = rs.filter((r) => r.resolved_at && r.resolved_at <= r.resolution_due_at!)
    expect(report.slaCompliance.resolution).toEqual({ due: rs.length, met: rsMet.length, rate: rs.length ? r2(rsMet.length / rs.length) : null })
    const ever = rows.filter((r) => r.resolved_at || Number(r.reopen_count) > 0)
    const reopened = rows.filter((r) => Number(r.reopen_count) > 0)
    expect(report.reopenRate).toEqual({ resolved: ever.length, reopened: reopened.length, rate: r2(reopened.length / ever.length) })
    expect(reopened).toHaveLength(1)

    const complaints = rows.filter((r) => r.kind === 'complaint')
    const perMember = countBy(complaints, (r) => r.member_id)
    expect(report.repeatComplainants.map((m) => [m.memberId, m.count]).sort()).toEqual(Object.entries(perMember).filter(([, n]) => n >= 2).sort())
    expect(report.repeatComplainants.every((m) => m.cardNo)).toBe(true)
    expect(Object.fromEntries(report.topProducts.map((p) => [p.key, p.count]))).toEqual(countBy(complaints, (r) => r.product_id))
    expect(report.topProducts[0]).toMatchObject({ name: '鲜牛奶', count: 2 })
    expect(Object.fromEntries(report.topStores.map((p) => [p.key, p.count]))).toEqual(countBy(complaints, (r) => r.store_id))
  })

  it('gives follow-up satisfaction and compensation', async () => {
    const scores = (await t.services.db.selectFrom('ticket_followups').select('satisfaction').where('satisfaction', 'is not', null).execute()).map((r) => Number(r.satisfaction))
    expect(scores.sort()).toEqual([2, 4, 5])
    expect(report.satisfaction).toEqual({
      responses: 3, mean: r2(plainMean(scores)),
      distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: scores.filter((x) => x === score).length })),
    })
    expect(report.compensation).toEqual({ points: 200, coupons: 0, tickets: 1 })
  })

  it('narrows to a store for its manager and to a period', async () => {
    const own = await t.services.tickets.report(t.actors.store_manager, { from: '2026-03-01', to: '2026-03-31' })
    const rows = await t.services.db.selectFrom('tickets').selectAll().where('store_id', '=', t.stores.a).execute()
    expect(own.total).toBe(rows.length)
    expect(own.byStore.map((s) => s.key)).toEqual([t.stores.a])
    const none = await t.services.tickets.report(t.actors.hq_admin, { from: '2026-02-01', to: '2026-02-28' })
    expect(none).toMatchObject({ total: 0, firstResponse: { count: 0, medianWorking: null }, reopenRate: { rate: null } })
  })
})
