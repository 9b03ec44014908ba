import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { nextReceiptNo } from '../../../../test/receipts.js'
import { INCOME_BANDS, type IncomeBand } from '../../members/index.js'
import type { MemberInsightTable } from '../insight/insight.table.js'
import { levelOf, rankScores, rfmClassOf } from './classes-rules.js'
import { INSIGHT_CUTS_KEY } from './classes-settings.js'
import { classifyMembers, parseCuts } from './classify.js'
import { writeLifecycleHistory } from './lifecycle-history.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
  await t.given.product({ sku: 'RICE', department: '粮油', category: '大米', listPrice: 5000 })
})

const AS_OF = '2026-03-02'
const AT = '2026-03-02T02:00:00.000Z'

/** A member_insight row with the figures a test gives (the refresh's job, written by hand here). */
const insightRow = (memberId: string, f: { receipts: number; spend: number; recency: number | null; interval: number | null; band: IncomeBand | null; storeId: string }): Insertable<MemberInsightTable> => ({
  member_id: memberId, as_of: AS_OF, registration_store_id: f.storeId, registered_at: '2025-01-01T02:00:00.000Z', gender: 'female', age_band: '35-44',
  income_band: f.band, district: null, receipts_w: f.receipts, spend_w: f.spend, avg_ticket_w: f.receipts ? Math.round(f.spend / f.receipts) : 0,
  receipts_total: f.receipts, spend_total: f.spend, first_purchase_at: f.recency === null ? null : '2025-02-01T02:00:00.000Z',
  last_purchase_at: f.recency === null ? null : '2026-02-01T02:00:00.000Z', recency_days: f.recency, interval_days: f.interval,
  stores_visited_w: f.receipts ? 1 : 0, main_store_id: null, main_department: f.receipts ? '粮油' : null, main_category: f.receipts ? '大米' : null,
  promo_share_pm: null, points_earned_w: 0, points_redeemed_w: 0, coupons_used_w: 0,
  r_score: null, f_score: null, m_score: null, rfm_class: null, quadrant: null, frequency_class: null, amount_class: null, lifecycle: 'prospect', updated_at: AT,
})

const classify = (only: 'all' | 'dirty') => t.services.db.transaction().execute((trx) => classifyMembers(trx, { asOf: AS_OF, only, at: AT }))
const rows = () => t.services.db.selectFrom('member_insight').selectAll().orderBy('member_id').execute()
const cuts = async () => parseCuts((await t.services.db.selectFrom('meta').select('value').where('key', '=', INSIGHT_CUTS_KEY).executeTakeFirst())?.value)!

describe('classifying a member_insight written by hand', () => {
  let ids: string[] = []
  beforeAll(async () => {
    // 30 members who bought (ties on purpose: many with 1 and 2 receipts) and 3 who did not.
    const specs = Array.from({ length: 33 }, (_, i) => ({
      receipts: i >= 30 ? 0 : [1, 1, 1, 1, 2, 2, 2, 3, 4, 6][i % 10]!,
      spend: i >= 30 ? 0 : 1000 * ((i * 37) % 29 + 1),
      recency: i >= 30 ? null : (i * 53) % 300,
      interval: i >= 30 || i % 10 < 4 ? null : 5 + ((i * 11) % 40),
      band: i % 7 === 0 ? null : INCOME_BANDS[i % INCOME_BANDS.length]!,
      storeId: i % 2 === 0 ? t.stores.a : t.stores.b,
    }))
    for (const spec of specs) {
      const m = await t.given.member({ by: spec.storeId === t.stores.a ? t.actors.cashier : t.actors.cashierB })
      ids.push(m.id)
      await t.services.db.insertInto('member_insight').values(insightRow(m.id, spec)).execute()
    }
    ids = ids.sort()
    await classify('all')
  })

  it('scores R, F and M by rank with ties sharing a score, as the reference computation does', async () => {
    const all = await rows()
    const scored = all.filter((r) => r.receipts_w > 0)
    expect(scored).toHaveLength(30)
    const r = rankScores(scored.map((x) => x.recency_days!), 5, true)
    const f = rankScores(scored.map((x) => x.receipts_w), 5)
    const m = rankScores(scored.map((x) => Number(x.spend_w)), 5)
    expect(scored.map((x) => [x.r_score, x.f_score, x.m_score])).toEqual(scored.map((_, i) => [r[i], f[i], m[i]]))
    // Twelve members have one receipt: they share F 1; the nine with two share the score of rank 13.
    expect(scored.filter((x) => x.receipts_w === 1).every((x) => x.f_score === 1)).toBe(true)
    expect(scored.filter((x) => x.receipts_w === 2).every((x) => x.f_score === 3)).toBe(true)
    for (const x of all.filter((y) => y.receipts_w === 0)) expect([x.r_score, x.f_score, x.m_score, x.rfm_class, x.frequency_class]).toEqual([null, null, null, null, null])
  })

  it('puts each member in one of the eight classes by its scores against the average scores, and stores the cut points', async () => {
    const scored = (await rows()).filter((r) => r.receipts_w > 0)
    const mean = (k: 'r_score' | 'f_score' | 'm_score') => scored.reduce((s, x) => s + x[k]!, 0) / scored.length
    const avg = { r: mean('r_score'), f: mean('f_score'), m: mean('m_score') }
    expect(scored.map((x) => x.rfm_class)).toEqual(scored.map((x) => rfmClassOf(x.r_score!, x.f_score!, x.m_score!, avg)))
    const c = await cuts()
    expect(c.rfm.method).toBe('quintile')
    expect(c.rfm.averages.r).toBeCloseTo(avg.r, 6)
    expect(c.scored).toBe(30)
    expect(c.members).toBe(33)
  })

  it('splits quadrants at the median band and the median spend of buyers, counting members without a band apart', async () => {
    const all = await rows()
    const c = await cuts()
    const banded = all.filter((x) => x.income_band !== null).map((x) => INCOME_BANDS.indexOf(x.income_band as IncomeBand)).sort((a, b) => a - b)
    expect(c.quadrant.incomeThreshold).toBe(INCOME_BANDS[banded[Math.ceil(banded.length / 2) - 1]!])
    const spends = all.filter((x) => x.receipts_w > 0).map((x) => Number(x.spend_w)).sort((a, b) => a - b)
    expect(c.quadrant.spendThreshold).toBe(spends[14])
    const rich = INCOME_BANDS.indexOf(c.quadrant.incomeThreshold!)
    for (const x of all) {
      const expected = x.income_band === null ? 'unknown'
        : INCOME_BANDS.indexOf(x.income_band as IncomeBand) >= rich ? (Number(x.spend_w) >= spends[14]! ? 'core' : 'potential')
          : (Number(x.spend_w) >= spends[14]! ? 'develop' : 'abandon')
      expect(x.quadrant).toBe(expected)
    }
    expect(all.filter((x) => x.quadrant === 'unknown')).toHaveLength(all.filter((x) => x.income_band === null).length)
  })

  it('sets frequency and amount levels by terciles of rank', async () => {
    const scored = (await rows()).filter((r) => r.receipts_w > 0)
    const c = await cuts()
    const f3 = rankScores(scored.map((x) => x.receipts_w), 3)
    expect(scored.map((x) => x.frequency_class)).toEqual(f3.map((s) => ['low', 'mid', 'high'][s - 1]))
    expect(scored.map((x) => x.amount_class)).toEqual(scored.map((x) => levelOf(Number(x.spend_w), c.amount)))
  })

  it('derives the lifecycle days from the members\' intervals and stages members by recency', async () => {
    const all = await rows()
    const c = await cuts()
    const intervals = all.filter((x) => x.interval_days !== null).map((x) => Number(x.interval_days)).sort((a, b) => a - b)
    expect(c.lifecycle.intervals.members).toBe(intervals.length)
    expect(intervals.length).toBe(18)
    // Fewer than 20 members bought twice: the fixed 30 / 90 / 180 days.
    expect(c.lifecycle).toMatchObject({ newDays: 30, dormantDays: 90, lostDays: 180, overridden: { newDays: false, dormantDays: false, lostDays: false } })
    expect(c.lifecycle.intervals.p80).toBe(intervals[Math.ceil(0.8 * intervals.length) - 1])
    for (const x of all) {
      const expected = x.recency_days === null ? 'prospect' : x.recency_days >= 180 ? 'lost' : x.recency_days >= 90 ? 'dormant' : 'active'
      expect(x.lifecycle).toBe(expected)
    }
  })

  it('on a dirty step classifies only the dirty members, with the stored cut points', async () => {
    const before = await rows()
    const [one, other] = [ids[0]!, ids[1]!]
    await t.services.db.updateTable('member_insight').set({ receipts_w: 50, spend_w: 9_999_999, recency_days: 0 }).where('member_id', 'in', [one, other]).execute()
    await t.services.db.insertInto('insight_dirty').values({ member_id: one }).execute()
    const cutsBefore = await cuts()
    await classify('dirty')
    await t.services.db.deleteFrom('insight_dirty').execute()
    const after = await rows()
    expect(await cuts()).toEqual(cutsBefore)
    const row = after.find((x) => x.member_id === one)!
    expect([row.r_score, row.f_score, row.m_score, row.rfm_class, row.frequency_class, row.amount_class]).toEqual([5, 5, 5, 'important_value', 'high', 'high'])
    // The other changed member was not dirty: its classes stay as they were.
    const untouched = after.find((x) => x.member_id === other)!
    const was = before.find((x) => x.member_id === other)!
    expect([untouched.r_score, untouched.f_score, untouched.m_score, untouched.rfm_class]).toEqual([was.r_score, was.f_score, was.m_score, was.rfm_class])
  })

  it('applies fixed cut points and overrides from the settings at the next full step', async () => {
    await t.services.classes.updateSettings(t.actors.hq_admin, {
      rfm: { method: 'fixed', fixed: { r: [7, 30, 90, 180], f: [2, 3, 4, 6], m: [5000, 10_000, 20_000, 25_000] } },
      quadrant: { incomeThreshold: '12k_20k', spendThreshold: 15_000 },
      frequency: { method: 'fixed', mid: 2, high: 4 },
      lifecycle: { newDays: 10, dormantDays: 40, lostDays: 100 },
    })
    await classify('all')
    const c = await cuts()
    expect(c.rfm).toMatchObject({ method: 'fixed', r: [7, 30, 90, 180], f: [2, 3, 4, 6] })
    expect(c.quadrant).toMatchObject({ incomeThreshold: '12k_20k', spendThreshold: 15_000, incomeDerived: false, spendDerived: false })
    expect(c.lifecycle).toMatchObject({ newDays: 10, dormantDays: 40, lostDays: 100, overridden: { newDays: true, dormantDays: true, lostDays: true } })
    for (const x of (await rows()).filter((y) => y.receipts_w > 0)) {
      const r = [7, 30, 90, 180].filter((d) => x.recency_days! <= d).length + 1
      expect(x.r_score).toBe(r)
      expect(x.frequency_class).toBe(x.receipts_w >= 4 ? 'high' : x.receipts_w >= 2 ? 'mid' : 'low')
      expect(x.quadrant).toBe(x.income_band === null ? 'unknown'
        : ['12k_20k', '20k_plus'].includes(x.income_band) ? (Number(x.spend_w) >= 15_000 ? 'core' : 'potential') : (Number(x.spend_w) >= 15_000 ? 'develop' : 'abandon'))
      expect(x.lifecycle).toBe(x.recency_days! >= 100 ? 'lost' : x.recency_days! >= 40 ? 'dormant' : 'active')
    }
  })
})

describe('lifecycle from real receipts, now and month by month', () => {
  const stages: Record<string, string> = {}
  const who: Record<string, string> = {}
  const id = (name: string): string => who[name] ?? (() => { throw new Error(`no member ${name}`) })()
  const buy = (memberId: string, day: string) => t.services.receipts.postSale(t.actors.hq_admin, {
    receiptNo: nextReceiptNo(), businessAt: `${day}T03:00:00.000Z`, member: { id: memberId }, storeId: t.stores.a,
    lines: [{ sku: 'RICE', quantity: 1, unitPrice: 5000, amount: 5000 }], tenders: [{ kind: 'cash', amount: 5000 }], total: 5000,
  })
  beforeAll(async () => {
    await t.services.db.deleteFrom('member_insight').execute()
    await t.services.classes.updateSettings(t.actors.hq_admin, { lifecycle: { newDays: 30, dormantDays: 60, lostDays: 120 } })
    const register = async (at: string) => {
      t.clock.set(at)
      return (await t.given.member()).id
    }
    Object.assign(who, {
      prospect: await register('2025-06-01T02:00:00.000Z'),
      newMember: await register('2026-02-20T02:00:00.000Z'),
      newBuyer: await register('2025-06-01T02:00:00.000Z'),
      active: await register('2025-06-01T02:00:00.000Z'),
      dormant: await register('2025-06-01T02:00:00.000Z'),
      lost: await register('2025-06-01T02:00:00.000Z'),
      returning: await register('2025-06-01T02:00:00.000Z'),
    })
    t.clock.set('2026-03-02T02:00:00.000Z')
    await buy(id('newBuyer'), '2026-02-25')
    for (const d of ['2025-12-20', '2026-01-20', '2026-02-15']) await buy(id('active'), d)
    for (const d of ['2025-10-01', '2025-12-15']) await buy(id('dormant'), d)
    for (const d of ['2025-07-01', '2025-08-01']) await buy(id('lost'), d)
    for (const d of ['2025-09-01', '2026-02-20']) await buy(id('returning'), d)
    await t.services.insight.refresh({ full: true, asOf: AS_OF })
    for (const [name, id] of Object.entries(who)) {
      stages[name] = (await t.services.db.selectFrom('member_insight').select('lifecycle').where('member_id', '=', id).executeTakeFirstOrThrow()).lifecycle
    }
  })

  it('stages every member as of the refresh', () => {
    expect(stages).toEqual({ prospect: 'prospect', newMember: 'new', newBuyer: 'new', active: 'active', dormant: 'dormant', lost: 'lost', returning: 'returning' })
  })

  it('keeps the counts at each of the last 13 month-ends and the flows between them', async () => {
    const view = await t.services.classes.lifecycle(t.actors.analyst, { storeId: t.stores.a })
    const months = [...new Set(view.trend.map((x) => x.month))]
    expect(months).toEqual(['2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'])
    const at = (month: string) => Object.fromEntries(view.trend.filter((x) => x.month === month).map((x) => [x.stage, x.members]))
    // 2026-01-31: the returning member last bought 2025-09-01 (152 days: lost), the dormant one 2025-12-15 (47 days: active).
    expect(at('2026-01')).toEqual({ active: 2, lost: 2, prospect: 2 })
    // 2026-02-28: the new member and the first buyer are new, the dormant one has gone 75 days without buying.
    expect(at('2026-02')).toEqual({ new: 2, active: 1, dormant: 1, lost: 1, returning: 1, prospect: 1 })
    expect(at('2026-03')).toEqual(Object.fromEntries(view.stages.filter((s) => s.members > 0).map((s) => [s.stage, s.members])))
    const flow = (month: string) => view.flows.filter((x) => x.month === month).map((x) => `${x.from}→${x.to}:${x.members}`).sort()
    expect(flow('2026-02')).toEqual(['active→active:1', 'active→dormant:1', 'lost→lost:1', 'lost→returning:1', 'prospect→new:1', 'prospect→prospect:1'])
    // The member registered on 2026-02-20 joined in February: counted in its trend, in no flow of it.
    expect(view.flows.filter((x) => x.month === '2026-02').reduce((s, x) => s + x.members, 0)).toBe(6)
    // 2025-06: seven registered at its end; all new (registered within 30 days of 06-30), the one of February not yet.
    expect(at('2025-06')).toEqual({ new: 6 })
    expect(view.thresholds).toMatchObject({ newDays: 30, dormantDays: 60, lostDays: 120 })
  })
  it('computes only the last two month-ends again when nothing older changed, all thirteen when something did', async () => {
    const view = () => t.services.classes.lifecycle(t.actors.analyst, { storeId: t.stores.a })
    const history = () => t.services.db.transaction().execute((trx) =>
      writeLifecycleHistory(trx, AS_OF, { newDays: 30, dormantDays: 60, lostDays: 120 }, 'Asia/Shanghai', t.clock.now().toISOString()))
    const before = await view()
    // The receipts above were written within the hour before the refresh (a transaction then may
    // still have been open): the first run computes everything again, the next one only the last two.
    t.clock.advance(2 * 3_600_000)
    expect(await history()).toEqual({ months: 13 })
    expect(await history()).toEqual({ months: 2 })
    expect(await view()).toEqual(before)
    // A sale of December posted late: the lost member was active at the end of January after all.
    await buy(who.lost!, '2025-12-10')
    // (an incremental refresh brings the days of sales the history reads up to date; it writes no history)
    await t.services.insight.refresh()
    expect(await history()).toEqual({ months: 13 })
    const at = (v: Awaited<ReturnType<typeof view>>, month: string) => Object.fromEntries(v.trend.filter((x) => x.month === month).map((x) => [x.stage, x.members]))
    expect(at(await view(), '2026-01')).toEqual({ active: 3, lost: 1, prospect: 2 })
    expect(at(await view(), '2025-11')).toEqual(at(before, '2025-11'))
  })
})
