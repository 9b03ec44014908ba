import { beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { useTestContext, type TestContext } from '../../../../test/context.js'

// A partial period (the one holding today, in the chain's zone) is compared like for like: the
// same number of days from the start of the period before and of last year's. Receipts by hand;
// every expected figure is a sum over the same list.
const context = useTestContext()
let t: TestContext
const m: Record<'m1' | 'm2', string> = { m1: '', m2: '' }

const SALES: Array<{ date: string; amount: number; member?: 'm1' | 'm2' }> = [
  { date: '2025-03-31', amount: 500 },
  { date: '2025-12-01', amount: 3_000, member: 'm2' },
  { date: '2025-12-06', amount: 900 }, // a Saturday: outside last year's Monday to Friday
  { date: '2025-12-10', amount: 9_000 },
  { date: '2026-02-27', amount: 1_000 },
  { date: '2026-03-30', amount: 2_000 },
  { date: '2026-11-02', amount: 10_000, member: 'm1' },
  { date: '2026-11-03', amount: 5_000 },
  { date: '2026-11-20', amount: 50_000, member: 'm2' },
  { date: '2026-11-24', amount: 4_000, member: 'm1' }, // the week before's Tuesday
  { date: '2026-11-28', amount: 600 }, // its Saturday
  { date: '2026-12-02', amount: 8_000, member: 'm1' },
  { date: '2026-12-03', amount: 2_000 },
]
// Sold later (the year test): receipts written after those above, as a till would.
const LATER: typeof SALES = [
  { date: '2027-03-01', amount: 4_000 }, // day 60 of 2027
  { date: '2027-03-02', amount: 7_000 },
  { date: '2028-02-29', amount: 6_000 }, // day 60 of 2028
]

/** Net sales of the list between two dates (both counted): the hand computation. */
const salesBetween = (from: string, to: string) => SALES.filter((s) => s.date >= from && s.date <= to).reduce((a, s) => a + s.amount, 0)
const change = (now: number, before: number) => Math.round(((now - before) / before) * 10_000) / 10_000

const at = (date: string, hour = 2) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`
/** 10:00 in Shanghai on a date. */
const today = (date: string) => t.clock.set(at(date))

beforeAll(async () => {
  t = await context()
  t.clock.set(at('2025-01-02'))
  m.m1 = (await t.given.member()).id
  m.m2 = (await t.given.member()).id
  await sell(SALES)
})

const sell = async (sales: typeof SALES) => {
  for (const s of sales) {
    t.clock.set(at(s.date, 3))
    await t.given.receipt({ lines: [['SKU-P', 1, s.amount]], businessAt: at(s.date), member: s.member ? { id: m[s.member] } : null })
  }
}

describe('a month four days old', () => {
  it('is marked partial and compares Dec 1–4 with Nov 1–4 (环比) and last year\'s Dec 1–4 (同比)', async () => {
    today('2026-12-04')
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'month', from: '2026-11-01', to: '2026-12-04' })
    const [nov, dec] = r.periods
    expect(dec).toMatchObject({
      key: '2026-12', from: '2026-12-01', to: '2026-12-31', partial: true, days: 4, through: '2026-12-04',
      compareTo: { previous: { key: '2026-11', from: '2026-11-01', to: '2026-11-04', whole: false }, lastYear: { key: '2025-12', from: '2025-12-01', to: '2025-12-04', whole: false } },
    })
    const now = salesBetween('2026-12-01', '2026-12-04')
    const before = salesBetween('2026-11-01', '2026-11-04')
    const lastYear = salesBetween('2025-12-01', '2025-12-04')
    expect([now, before, lastYear]).toEqual([10_000, 15_000, 3_000])
    expect(dec!.figures.netSales).toEqual({ value: now, previous: before, previousChange: change(now, before), lastYear, lastYearChange: change(now, lastYear) })
    // Buyers of the same days: m1 (Dec 2) against m1 (Nov 2) and m2 (last year's Dec 1).
    expect(dec!.figures.activeMembers).toMatchObject({ value: 1, previous: 1, lastYear: 1 })
    expect(dec!.figures.memberNetSales).toMatchObject({ value: 8_000, previous: 10_000, lastYear: 3_000 })
    // Churn so far: of November's buyers (m1, m2) m2 has not come back; by Nov 4, October had no buyers to lose.
    expect(dec!.figures.churnRate).toMatchObject({ value: 0.5, previous: null })
    // A whole month still compares whole with whole.
    expect(nov).toMatchObject({ partial: false, days: 30, through: '2026-11-30', compareTo: { previous: { from: '2026-10-01', to: '2026-10-31', whole: true } } })
    expect(nov!.figures.netSales).toMatchObject({ value: salesBetween('2026-11-01', '2026-11-30'), previous: 0, lastYear: 0 })
  })

  it('reads the same for a store as for the chain it is all of', async () => {
    today('2026-12-04')
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'month', from: '2026-12-01', to: '2026-12-04', storeId: t.stores.a })
    expect(r.periods[0]!.figures.netSales).toMatchObject({ value: 10_000, previous: 15_000, lastYear: 3_000 })
    expect(r.periods[0]!.figures.activeMembers).toMatchObject({ value: 1, previous: 1, lastYear: 1 })
  })

  it('a CRM report asked for the running month compares last year like for like; without a period it is the last whole month', async () => {
    today('2026-12-04')
    const report = await t.services.kpis.report(t.actors.analyst, { period: '2026-12' })
    expect(report).toMatchObject({ period: '2026-12', partial: true, days: 4, through: '2026-12-04', compareTo: { lastYear: { from: '2025-12-01', to: '2025-12-04', whole: false } } })
    const line = (metric: string) => report.summary.lines.find((l) => l.metric === metric)
    expect(line('netSales')).toMatchObject({ actual: 10_000, lastYear: 3_000 })
    expect(line('salesGrowth')!.actual).toBe(change(10_000, 3_000))
    expect(report.trend.at(-1)).toMatchObject({ key: '2026-12', salesGrowth: change(10_000, 3_000) })
    const store = report.stores.find((s) => s.id === t.stores.a)!
    expect(store.lines.find((l) => l.metric === 'netSales')).toMatchObject({ actual: 10_000, lastYear: 3_000 })
    const cookie = await t.login(t.users.analyst!.username)
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/v1/insight/report.xlsx?period=2026-12&lang=en-US', headers: { cookie } })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    expect(String(wb.getWorksheet('Summary')!.getRow(3).getCell(2).value)).toContain('figures to 2026-12-04 (4 days), YoY against 2025-12-01 – 2025-12-04')
    const last = await t.services.kpis.report(t.actors.analyst, {})
    expect(last).toMatchObject({ period: '2026-11', partial: false, days: 30, compareTo: { lastYear: { from: '2025-11-01', to: '2025-11-30', whole: true } } })
  })

  it('rereads Nov 1–4 when a receipt dated in it arrives late, as a full rebuild would', async () => {
    today('2026-12-04')
    t.clock.set(at('2026-12-04', 5))
    const m3 = (await t.given.member()).id
    await t.given.receipt({ lines: [['SKU-P', 1, 1_500]], businessAt: at('2026-11-03'), member: { id: m3 } })
    t.clock.set(at('2026-12-04', 6))
    const read = async () => (await t.services.kpis.kpis(t.actors.analyst, { grain: 'month', from: '2026-12-01', to: '2026-12-04' })).periods[0]!.figures
    const after = await read()
    expect(after.netSales).toMatchObject({ value: 10_000, previous: 16_500 })
    expect(after.activeMembers).toMatchObject({ value: 1, previous: 2 })
    await t.services.kpis.refresh({ full: true })
    expect(await read()).toEqual(after)
    SALES.push({ date: '2026-11-03', amount: 1_500 })
  })
})

describe('a partial week, and the edges', () => {
  it('compares Monday to Friday with Monday to Friday of the week before and of 52 weeks before', async () => {
    today('2026-12-04')
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'week', from: '2026-11-23', to: '2026-12-04' })
    const [w48, w49] = r.periods
    expect(w49).toMatchObject({
      key: '2026-W49', partial: true, days: 5, through: '2026-12-04',
      compareTo: { previous: { key: '2026-W48', from: '2026-11-23', to: '2026-11-27', whole: false }, lastYear: { key: '2025-W49', from: '2025-12-01', to: '2025-12-05', whole: false } },
    })
    const now = salesBetween('2026-11-30', '2026-12-04')
    const before = salesBetween('2026-11-23', '2026-11-27')
    expect(w49!.figures.netSales).toMatchObject({ value: now, previous: before, previousChange: change(now, before), lastYear: salesBetween('2025-12-01', '2025-12-05') })
    expect(w49!.figures.activeMembers).toMatchObject({ value: 1, previous: 1, lastYear: 1 })
    expect(w48).toMatchObject({ partial: false, days: 7 })
    expect(w48!.figures.netSales.value).toBe(salesBetween('2026-11-23', '2026-11-29'))
  })

  it('on March 31 compares the month with the whole of February (28 days: no more to compare)', async () => {
    today('2026-03-31')
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'month', from: '2026-03-01', to: '2026-03-31' })
    expect(r.periods[0]).toMatchObject({
      partial: true, days: 31, through: '2026-03-31',
      compareTo: { previous: { key: '2026-02', from: '2026-02-01', to: '2026-02-28', whole: true }, lastYear: { key: '2025-03', from: '2025-03-01', to: '2025-03-31', whole: true } },
    })
    expect(r.periods[0]!.figures.netSales).toMatchObject({ value: salesBetween('2026-03-01', '2026-03-31'), previous: salesBetween('2026-02-01', '2026-02-28'), lastYear: 500 })
  })

  it('on February 29 compares a year\'s first 60 days with the first 60 of the year before (to March 1)', async () => {
    await sell(LATER)
    SALES.push(...LATER)
    today('2028-02-29')
    const report = await t.services.kpis.report(t.actors.analyst, { year: '2028' })
    expect(report).toMatchObject({ period: '2028', kind: 'year', partial: true, days: 60, through: '2028-02-29', compareTo: { lastYear: { key: '2027', from: '2027-01-01', to: '2027-03-01', whole: false } } })
    const line = (metric: string) => report.summary.lines.find((l) => l.metric === metric)
    const lastYear = salesBetween('2027-01-01', '2027-03-01')
    expect(line('netSales')).toMatchObject({ actual: 6_000, lastYear })
    expect(line('salesGrowth')!.actual).toBe(change(6_000, lastYear))
    // Today by day: a day is not split, so it compares with whole days.
    const days = await t.services.kpis.kpis(t.actors.analyst, { grain: 'day', from: '2028-02-29', to: '2028-02-29' })
    expect(days.periods[0]).toMatchObject({ partial: true, days: 1, compareTo: { previous: { key: '2028-02-28', whole: true }, lastYear: { key: '2027-02-28', whole: true } } })
  })

  it('answers the flags through the API', async () => {
    today('2026-12-04')
    const cookie = await t.login(t.users.analyst!.username)
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis?grain=month&from=2026-12-01&to=2026-12-04', headers: { cookie } })
    expect(res.statusCode).toBe(200)
    expect(res.json().periods[0]).toMatchObject({ partial: true, days: 4, through: '2026-12-04', compareTo: { previous: { from: '2026-11-01', to: '2026-11-04' } } })
  })
})
