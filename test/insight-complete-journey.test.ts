import { beforeAll, describe, expect, it } from 'vitest'
import type { QuadrantsView, SettingsView } from '../src/modules/analytics/index.js'
import { parseMapping } from '../src/modules/members/index.js'
import { parseReceiptMapping } from '../src/modules/transactions/receipt-import-rules.js'
import { useTestContext, type TestContext } from './context.js'
import {
  BAND_ORDER, CJ_MEMBERS_MAP, CJ_RECEIPTS_MAP, cjMembersCsv, cjReceiptsCsv, readCompleteJourney, type CjData,
} from './real-data/complete-journey.js'
import { nearestRank, quadrantCounts, windowFacts, type PlainReceipt } from './real-data/figures.js'

// Issue 12 §8: 84.51° The Complete Journey — the households with demographics imported as members
// with an income band (the members importer), the transaction sample as their receipts (the
// receipts importer), the insight refresh run, and Patron's value quadrants held to an
// independent count over the CSV (test/real-data). The mapping of the data's income ranges onto
// Patron's bands and the definitions are in the README, "Checked against real data".

/**
 * The sample's last basket is 2017-12-31 22:47 in New York, 2018-01-01 11:47 in Shanghai: the
 * figures are as of that day, over the default window of 365 days (2017-01-02 to 2018-01-01).
 */
const AS_OF = '2018-01-01'
const WINDOW_DAYS = 365

const context = useTestContext()
let t: TestContext
let cj: CjData
/** Session cookies of an analyst (reads) and HQ's admin (settings). */
let cookies: { analyst: string; admin: string }

/** What the console reads: GET /api/v1/<path> as the analyst, 200. */
const api = async <T>(path: string): Promise<T> => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/${path}`, headers: { cookie: cookies.analyst } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as T
}

/** Every member as the quadrants see them: income band (or none) and net spend in the window. */
const membersOf = (data: CjData) => {
  const receipts: PlainReceipt[] = data.baskets.map((b) => ({ kind: 'sale', customer: b.household, date: b.date, total: b.lines.reduce((a, v) => a + v, 0) }))
  const facts = windowFacts(receipts, AS_OF, WINDOW_DAYS)
  const households = new Set([...data.households.keys(), ...data.baskets.map((b) => b.household)])
  return [...households].map((h) => ({ household: h, band: data.households.get(h) ?? null, spend: facts.get(h)?.spend ?? 0, receipts: facts.get(h)?.receipts ?? 0 }))
}

beforeAll(async () => {
  t = await context()
  cj = readCompleteJourney()
  cookies = { analyst: await t.login(t.users.analyst!.username), admin: await t.login(t.users.hq_admin!.username) }
  // The chain's clock on the afternoon after the sample's last basket.
  t.clock.set('2018-01-01T06:00:00.000Z')
  const members = await t.services.memberImports.run(t.actors.hq_admin, { source: cjMembersCsv(cj), mapping: parseMapping(CJ_MEMBERS_MAP), defaultStoreId: t.stores.a })
  expect(members).toMatchObject({ inserted: 801, failed: 0 })
  const households = new Set(cj.baskets.map((b) => b.household))
  const receipts = await t.services.receiptImports.run(t.actors.hq_admin, {
    source: cjReceiptsCsv(), mapping: parseReceiptMapping(CJ_RECEIPTS_MAP), storeCode: 'SHA01', timezone: 'America/New_York',
    awardPoints: false, createMembers: true, memberKey: 'external',
  })
  expect(receipts).toMatchObject({ receiptsPosted: cj.baskets.length, returnsPosted: 0, receiptsSkipped: cj.emptyBaskets, failed: 0, membersCreated: households.size - 801 })
  await t.services.insight.refresh({ asOf: AS_OF, full: true })
}, 300_000)

describe('the Complete Journey households, checked against an independent computation', () => {
  it('reads 801 households with an income band and 2,404 buying households', () => {
    expect(cj.households.size).toBe(801)
    // The README's 2,405 households of the sample: one of them only has lines of value 0.
    expect(new Set(cj.baskets.map((b) => b.household)).size).toBe(2_404)
    expect([cj.baskets.length, cj.emptyBaskets, cj.zeroLines, cj.badRows]).toEqual([56_346, 278, 725, 1])
    const perBand = Object.fromEntries(BAND_ORDER.map((b) => [b, [...cj.households.values()].filter((x) => x === b).length]))
    expect(perBand).toEqual({ below_3k: 212, '3k_5k': 172, '5k_8k': 288, '8k_12k': 72, '12k_20k': 46, '20k_plus': 11 })
  })

  it('derives the median thresholds and counts the value quadrants as the plain computation does', async () => {
    const members = membersOf(cj)
    const band = nearestRank([...cj.households.values()].sort((a, b) => BAND_ORDER.indexOf(a as never) - BAND_ORDER.indexOf(b as never)), 0.5)!
    const spend = nearestRank(members.filter((m) => m.receipts > 0).map((m) => m.spend).sort((a, b) => a - b), 0.5)!
    const view = await api<QuadrantsView>('insight/quadrants')
    expect(view.thresholds).toMatchObject({ incomeThreshold: band, spendThreshold: spend, incomeDerived: true, spendDerived: true })
    const expected = quadrantCounts(members, BAND_ORDER, { band, spend })
    expect(Object.fromEntries(view.quadrants.map((q) => [q.quadrant, q.members]))).toEqual(expected)
    expect(expected.unknown).toBe(2_404 - 801)
  })

  it('counts the quadrants under thresholds HQ sets (8k–12k a month and above, ¥200 a year and above)', async () => {
    const put = await t.app.inject({
      method: 'PUT', url: '/api/v1/insight/settings', headers: { cookie: cookies.admin },
      payload: { quadrant: { incomeThreshold: '8k_12k', spendThreshold: 20_000 } },
    })
    expect(put.statusCode, put.body).toBe(200)
    expect((put.json() as SettingsView).settings.quadrant).toEqual({ incomeThreshold: '8k_12k', spendThreshold: 20_000 })
    await t.services.insight.refresh({ asOf: AS_OF, full: true })
    const view = await api<QuadrantsView>('insight/quadrants')
    expect(view.thresholds).toMatchObject({ incomeThreshold: '8k_12k', spendThreshold: 20_000, incomeDerived: false, spendDerived: false })
    const expected = quadrantCounts(membersOf(cj), BAND_ORDER, { band: '8k_12k', spend: 20_000 })
    expect(Object.fromEntries(view.quadrants.map((q) => [q.quadrant, q.members]))).toEqual(expected)
    // Both sides of each threshold hold members: the check is not met by an empty quadrant.
    expect(Math.min(expected.core, expected.develop, expected.potential, expected.abandon)).toBeGreaterThan(0)
  }, 300_000)
})
