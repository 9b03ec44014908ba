import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { conditionalExpectedPurchases, customerLifetimeValue, probabilityAlive } from './clv-model.js'
import { scoreClv } from '../analytics.jobs.js'
import { findInsight } from '../insight/insight.repository.js'

const context = useTestContext()
let t: TestContext

const day = (from: string, plus: number) => new Date(Date.parse(`${from}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10)
const days = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000

/** Each member's sales as posted: business date (Shanghai) → fen. */
const bought = new Map<string, Map<string, number>>()
let prospect = ''

beforeAll(async () => {
  t = await context()
  // 50 members, a first purchase between September and November 2025, then 0–5 more; two
  // purchases of one member fall on one day (one purchase day, their spend added).
  for (let i = 0; i < 50; i++) {
    const m = await t.given.member()
    const mine = new Map<string, number>()
    bought.set(m.id, mine)
    let at = day('2025-09-01', (i * 11) % 80)
    for (let k = 0; k <= i % 6 && at <= '2026-03-01'; k++) {
      const fen = 1_500 + ((i * 53 + k * 29) % 40) * 100
      await t.given.receipt({ member: { id: m.id }, businessAt: `${at}T03:00:00.000Z`, lines: [['SKU-T', 1, fen]] })
      mine.set(at, (mine.get(at) ?? 0) + fen)
      if (i === 7 && k === 0) {
        await t.given.receipt({ member: { id: m.id }, businessAt: `${at}T05:00:00.000Z`, lines: [['SKU-T', 1, 900]] })
        mine.set(at, mine.get(at)! + 900)
      }
      at = day(at, 6 + ((i + 3 * k) % 17) * (1 + (i % 2)))
    }
  }
  prospect = (await t.given.member()).id
  await t.services.insight.refresh({ full: true })
})

describe('scoring the members with BG/NBD and Gamma-Gamma', () => {
  it('writes each member\'s P(alive), expected purchases, expected value and CLV as the fitted models give them', async () => {
    const asOf = '2026-03-01'
    const out = await t.services.clv.score(t.actors.hq_admin, { asOf, horizonMonths: 12, discountRate: 0.1 })
    expect(out).toMatchObject({ scored: 50, horizonMonths: 12, discountRate: 0.1, fit: { members: 50, calibrationEnd: asOf, unit: 'week' } })
    const gg = out.fit.gammaGamma
    if ('refused' in gg) throw new Error(`Gamma-Gamma refused: ${gg.refused}`)
    const horizon = { periods: 12, periodLength: 365.25 / 12 / 7, discountRate: 1.1 ** (1 / 12) - 1 }
    for (const [memberId, spend] of bought) {
      // The member's history worked out here from the sales posted (weeks from the first purchase day).
      const dates = [...spend.keys()].filter((d) => d <= asOf).sort()
      const h = { x: dates.length - 1, tx: days(dates[0]!, dates.at(-1)!) / 7, T: days(dates[0]!, asOf) / 7 }
      const repeatSpend = dates.slice(1).reduce((s, d) => s + spend.get(d)!, 0)
      const value = h.x > 0 ? (gg.p * (gg.gamma + repeatSpend)) / (gg.p * h.x + gg.q - 1) : (gg.p * gg.gamma) / (gg.q - 1)
      const row = await findInsight(t.services.db, memberId)
      expect(row).toMatchObject({
        p_alive_pm: Math.round(1000 * probabilityAlive(out.fit, h)), clv_fit_id: out.fitId,
        expected_value: Math.round(value), clv: Math.round(value * customerLifetimeValue(out.fit, h, 1, horizon)),
      })
      expect(row!.expected_purchases_30).toBeCloseTo(conditionalExpectedPurchases(out.fit, h, 30 / 7), 9)
      expect(row!.expected_purchases_90).toBeCloseTo(conditionalExpectedPurchases(out.fit, h, 90 / 7), 9)
      expect(row!.expected_purchases_365).toBeCloseTo(conditionalExpectedPurchases(out.fit, h, 365 / 7), 9)
    }
    expect(await findInsight(t.services.db, prospect)).toMatchObject({ p_alive_pm: null, clv: null, clv_fit_id: null })
    // The member page's profile carries them.
    const [first] = bought.keys()
    const row = await findInsight(t.services.db, first!)
    expect((await t.services.profiles.profileOf(t.actors.cashier, first!)).predictions).toEqual({
      pAlivePm: row!.p_alive_pm, expectedPurchases30: row!.expected_purchases_30, expectedPurchases90: row!.expected_purchases_90,
      expectedPurchases365: row!.expected_purchases_365, expectedValue: row!.expected_value, clv: row!.clv, fitId: out.fitId,
    })
    expect((await t.services.profiles.profileOf(t.actors.cashier, prospect)).predictions).toBeNull()
    // The win-back list as a segment: a high CLV and P(alive) below 0.9, counted as the rows say.
    const rows = await Promise.all([...bought.keys()].map((id) => findInsight(t.services.db, id)))
    const clvs = rows.map((r) => r!.clv!).sort((p, q) => p - q)
    const median = clvs[Math.floor(clvs.length / 2)]!
    const winBack = { all: [{ field: 'clv', op: 'gte', value: median }, { field: 'p_alive_pm', op: 'lt', value: 900 }] } as const
    const expected = rows.filter((r) => r!.clv! >= median && r!.p_alive_pm! < 900).length
    expect(expected).toBeGreaterThan(0)
    expect((await t.services.segments.count(t.actors.analyst, winBack)).count).toBe(expected)
    const stored = await t.services.db.selectFrom('clv_fits').selectAll().where('id', '=', out.fitId).executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ calibration_end: asOf, members: 50, scored: 50 })
    expect(JSON.parse(stored.result)).toMatchObject({ horizonMonths: 12, discountRate: 0.1, fit: { r: out.fit.r, a: out.fit.a } })
  })

  it('keeps the predictions through an insight refresh, and a later fit replaces them', async () => {
    const first = await t.services.clv.score(t.actors.hq_admin, { asOf: '2026-03-01' })
    const [memberId] = bought.keys()
    const before = await findInsight(t.services.db, memberId!)
    await t.services.insight.refresh({ full: true })
    expect(await findInsight(t.services.db, memberId!)).toMatchObject({ p_alive_pm: before!.p_alive_pm, clv: before!.clv, clv_fit_id: first.fitId })
    const second = await t.services.clv.score(t.actors.hq_admin, { asOf: '2026-03-02', horizonMonths: 24 })
    const after = await findInsight(t.services.db, memberId!)
    expect(after!.clv_fit_id).toBe(second.fitId)
    // A longer horizon, a greater CLV.
    expect(after!.clv!).toBeGreaterThan(before!.clv!)
  })

  it('refuses a bad as-of date, horizon or rate, and a cashier', async () => {
    await expect(t.services.clv.score(t.actors.hq_admin, { asOf: '2026-02-30' })).rejects.toMatchObject({ code: 'CLV_INVALID_INPUT', details: [{ field: 'asOf' }] })
    await expect(t.services.clv.score(t.actors.hq_admin, { horizonMonths: 0 })).rejects.toMatchObject({ code: 'CLV_INVALID_INPUT', details: [{ field: 'horizonMonths' }] })
    await expect(t.services.clv.score(t.actors.hq_admin, { discountRate: -0.1 })).rejects.toMatchObject({ code: 'CLV_INVALID_INPUT', details: [{ field: 'discountRate' }] })
    await expect(t.services.clv.score(t.actors.cashier, {})).rejects.toMatchObject({ status: 403 })
    await expect(t.services.clv.score(t.actors.hq_admin, { asOf: '2025-09-05' })).rejects.toMatchObject({ code: 'CLV_NO_REPEAT_PURCHASES', details: [{ field: 'asOf' }] })
    await expect(t.services.clv.score(t.actors.hq_admin, { asOf: '2025-10-20' })).rejects.toMatchObject({ code: 'CLV_TOO_FEW_REPEAT_CUSTOMERS', details: [{ field: 'asOf' }] })
  })

  it('runs as the daily job, as of today, and ends a run on data too few to fit with the refusal instead of failing', async () => {
    const job = { id: 'job_test', name: scoreClv.name, attempt: 1, enqueuedAt: t.clock.now().toISOString() }
    const out = await scoreClv.run({}, { ...t.services, job }) as { fitId: string; scored: number }
    expect(out.scored).toBe(50)
    const fit = await t.services.db.selectFrom('clv_fits').selectAll().where('id', '=', out.fitId).executeTakeFirstOrThrow()
    expect(fit).toMatchObject({ calibration_end: '2026-03-02', created_by: expect.stringContaining('scoreClv') })
    expect(await scoreClv.run({ asOf: '2025-09-05' }, { ...t.services, job })).toEqual({ refused: 'CLV_NO_REPEAT_PURCHASES' })
  })
})
