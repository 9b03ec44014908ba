import { beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { EMPTY_SUMS, figuresOf, type Figures, type PeriodSums } from './kpi-rules.js'

// Quarters and years over a chain selling from January 2025 to today (4 December 2026, so
// 2026-Q4 and 2026 are still running). Receipts by hand; every expected figure is computed from
// the same list by plain filters, sums and sets (a member buying in three months of a quarter is
// one buyer of it), then turned into ratios by the same rounding as the service.
const context = useTestContext()
let t: TestContext
type Who = 'm1' | 'm2' | 'm3' | 'm4'
const ids: Record<Who, string> = { m1: '', m2: '', m3: '', m4: '' }

const TODAY = '2026-12-04'
const REGISTERED: Array<{ who: Who; date: string; store: 'a' | 'b' }> = [
  { who: 'm1', date: '2025-01-02', store: 'a' },
  { who: 'm2', date: '2025-01-02', store: 'a' },
  { who: 'm3', date: '2025-01-02', store: 'a' },
  { who: 'm4', date: '2026-02-10', store: 'b' },
]
interface Row { date: string; amount: number; member?: Who; store: 'a' | 'b'; kind: 'sale' | 'return'; returns?: string }
const RECEIPTS: Row[] = [
  { date: '2025-01-10', amount: 10_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2025-02-14', amount: 12_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2025-03-03', amount: 8_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2025-03-20', amount: 5_000, member: 'm2', store: 'b', kind: 'sale' },
  { date: '2025-03-25', amount: 3_000, store: 'a', kind: 'sale' },
  { date: '2025-05-05', amount: 7_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2025-06-30', amount: 9_000, member: 'm3', store: 'b', kind: 'sale' },
  { date: '2025-08-15', amount: 2_500, store: 'a', kind: 'sale' },
  { date: '2025-09-02', amount: 4_000, member: 'm2', store: 'a', kind: 'sale' },
  { date: '2025-10-08', amount: 6_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2025-11-11', amount: 11_000, member: 'm2', store: 'a', kind: 'sale' },
  { date: '2025-12-03', amount: 3_500, member: 'm3', store: 'b', kind: 'sale' }, // in last year's Q4 to Dec 4
  { date: '2025-12-20', amount: 20_000, member: 'm1', store: 'a', kind: 'sale' }, // after it; returned in January
  { date: '2026-01-05', amount: 20_000, member: 'm1', store: 'a', kind: 'return', returns: '2025-12-20' },
  { date: '2026-01-15', amount: 9_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2026-02-11', amount: 4_500, member: 'm4', store: 'b', kind: 'sale' },
  { date: '2026-03-31', amount: 6_500, member: 'm2', store: 'a', kind: 'sale' },
  { date: '2026-04-01', amount: 1_000, store: 'a', kind: 'sale' },
  { date: '2026-05-20', amount: 8_800, member: 'm3', store: 'b', kind: 'sale' },
  { date: '2026-07-04', amount: 2_200, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2026-09-02', amount: 3_300, member: 'm4', store: 'b', kind: 'sale' }, // in Q3's first 65 days (to Sep 3)
  { date: '2026-09-20', amount: 7_700, member: 'm2', store: 'a', kind: 'sale' }, // after them
  { date: '2026-10-01', amount: 5_000, member: 'm1', store: 'a', kind: 'sale' },
  { date: '2026-11-15', amount: 4_000, member: 'm3', store: 'b', kind: 'sale' },
  { date: '2026-12-03', amount: 1_200, store: 'a', kind: 'sale' },
  { date: '2026-12-04', amount: 900, member: 'm2', store: 'a', kind: 'sale' },
]

/** The sums of [from, to] from the list, in a store or the chain, with the set of buyers. */
const handSums = (from: string, to: string, store?: 'a' | 'b'): PeriodSums & { buyers: Set<Who> } => {
  const rows = RECEIPTS.filter((r) => r.date >= from && r.date <= to && (!store || r.store === store))
  const signed = (r: Row) => (r.kind === 'sale' ? r.amount : -r.amount)
  const sales = rows.filter((r) => r.kind === 'sale')
  const buyers = new Set(sales.flatMap((r) => (r.member ? [r.member] : [])))
  const firstSale = (who: Who) => RECEIPTS.filter((r) => r.kind === 'sale' && r.member === who).map((r) => r.date).sort()[0]!
  const regs = REGISTERED.filter((m) => !store || m.store === store)
  return {
    ...EMPTY_SUMS,
    buyers,
    members: regs.filter((m) => m.date <= to).length,
    newMembers: regs.filter((m) => m.date >= from && m.date <= to).length,
    activeMembers: buyers.size,
    repeatMembers: [...buyers].filter((w) => firstSale(w) < from).length,
    netSales: rows.reduce((a, r) => a + signed(r), 0),
    memberNetSales: rows.filter((r) => r.member).reduce((a, r) => a + signed(r), 0),
    memberSaleReceipts: sales.filter((r) => r.member).length,
    nonMemberSaleReceipts: sales.filter((r) => !r.member).length,
  }
}

/** The figures of [from, to] with churn against the whole period `previous`. */
const handFigures = (range: { from: string; to: string }, previous: { from: string; to: string }, store?: 'a' | 'b'): Figures => {
  const prev = handSums(previous.from, previous.to, store)
  const now = handSums(range.from, range.to, store)
  now.retainedMembers = [...now.buyers].filter((w) => prev.buyers.has(w)).length
  return figuresOf(now, prev)
}

const CHECKED = ['members', 'newMembers', 'activeMembers', 'netSales', 'memberNetSales', 'memberSalesShare', 'avgTicketMember', 'avgTicketNonMember', 'purchaseFrequency', 'repurchaseRate', 'churnRate', 'retentionRate'] as const

// Independent calendar arithmetic for the test: quarters and years as first and last days.
const pad = (n: number) => String(n).padStart(2, '0')
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
interface Quarter { y: number; q: number; key: string; from: string; to: string }
const quarter = (y: number, q: number): Quarter => ({ y, q, key: `${y}-Q${q}`, from: `${y}-${pad(3 * q - 2)}-01`, to: lastDay(y, 3 * q) })
const before = (x: Quarter) => (x.q === 1 ? quarter(x.y - 1, 4) : quarter(x.y, x.q - 1))
const year = (y: number) => ({ key: String(y), from: `${y}-01-01`, to: `${y}-12-31` })

const at = (date: string, hour = 2) => `${date}T${pad(hour)}:00:00.000Z`

beforeAll(async () => {
  t = await context()
  for (const m of REGISTERED) {
    t.clock.set(at(m.date))
    ids[m.who] = (await t.given.member(m.store === 'b' ? { by: t.actors.cashierB } : {})).id
  }
  const numbers = new Map<string, string>()
  for (const r of RECEIPTS) {
    t.clock.set(at(r.date, 3))
    if (r.kind === 'return') {
      await t.given.return({ originalReceiptNo: numbers.get(r.returns!)!, businessAt: at(r.date) })
      continue
    }
    const sale = await t.given.receipt({
      lines: [['SKU-G', 1, r.amount]], businessAt: at(r.date, 1), member: r.member ? { id: ids[r.member] } : null, ...(r.store === 'b' ? { by: t.actors.cashierB } : {}),
    })
    numbers.set(r.date, sale.receiptNo)
  }
  t.clock.set(at(TODAY)) // 10:00 in Shanghai
})

const expectFigures = (figures: Record<string, { value: number | null; previous: number | null; lastYear: number | null }>, now: Figures, previous: Figures, lastYear: Figures) => {
  for (const m of CHECKED) {
    expect({ metric: m, value: figures[m]!.value, previous: figures[m]!.previous, lastYear: figures[m]!.lastYear })
      .toEqual({ metric: m, value: now[m], previous: previous[m], lastYear: lastYear[m] })
  }
}

describe('KPIs by quarter', () => {
  it('sums each quarter\'s receipts, counts its distinct buyers once, and compares with the quarter before and the same quarter last year', async () => {
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'quarter', from: '2025-01-01', to: TODAY })
    expect(r.grain).toBe('quarter')
    const quarters = [2025, 2026].flatMap((y) => [1, 2, 3, 4].map((q): [number, number] => [y, q]))
    expect(r.periods.map((p) => [p.key, p.from, p.to])).toEqual(quarters.map(([y, q]) => { const x = quarter(y, q); return [x.key, x.from, x.to] }))
    for (const [i, [y, q]] of quarters.entries()) {
      const p = r.periods[i]!
      if (p.key === '2026-Q4') continue // running: the next test
      const now = quarter(y, q)
      const prev = before(now)
      const ly = quarter(y - 1, q)
      expect(p).toMatchObject({ partial: false, compareTo: { previous: { key: prev.key, from: prev.from, to: prev.to, whole: true }, lastYear: { key: ly.key, from: ly.from, to: ly.to, whole: true } } })
      expectFigures(p.figures, handFigures(now, prev), handFigures(prev, before(prev)), handFigures(ly, before(ly)))
    }
    // m1 bought in each month of 2025-Q1: one active member, three member receipts.
    const q1 = r.periods[0]!.figures
    expect([q1.activeMembers.value, q1.netSales.value, q1.purchaseFrequency.value]).toEqual([2, 38_000, 2])
    // The December sale returned in January lowers 2026-Q1, not 2025-Q4.
    expect(r.periods[3]!.figures.netSales.value).toBe(6_000 + 11_000 + 3_500 + 20_000)
    expect(r.periods[4]!.figures.netSales.value).toBe(-20_000 + 9_000 + 4_500 + 6_500)
  })

  it('compares the running quarter\'s first 65 days with the first 65 of the quarter before and of last year\'s', async () => {
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'quarter', from: '2026-10-01', to: TODAY })
    expect(r.periods).toHaveLength(1)
    const p = r.periods[0]!
    expect(p).toMatchObject({
      key: '2026-Q4', from: '2026-10-01', to: '2026-12-31', partial: true, days: 65, through: TODAY,
      compareTo: { previous: { key: '2026-Q3', from: '2026-07-01', to: '2026-09-03', whole: false }, lastYear: { key: '2025-Q4', from: '2025-10-01', to: '2025-12-04', whole: false } },
    })
    expectFigures(
      p.figures,
      handFigures({ from: '2026-10-01', to: TODAY }, quarter(2026, 3)),
      handFigures({ from: '2026-07-01', to: '2026-09-03' }, quarter(2026, 2)),
      handFigures({ from: '2025-10-01', to: '2025-12-04' }, quarter(2025, 3)),
    )
    // Like for like: Sep 20 and Dec 20 2025 are outside the compared days.
    expect(p.figures.netSales).toMatchObject({ value: 5_000 + 4_000 + 1_200 + 900, previous: 2_200 + 3_300, lastYear: 6_000 + 11_000 + 3_500 })
    expect(p.figures.activeMembers).toMatchObject({ value: 3, previous: 2, lastYear: 3 })
  })

  it('reads a store\'s quarters from its own receipts and registrations', async () => {
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'quarter', from: '2026-01-01', to: '2026-09-30', storeId: t.stores.b })
    expect(r.periods.map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3'])
    for (const [i, q] of [1, 2, 3].entries()) {
      const now = quarter(2026, q)
      const ly = quarter(2025, q)
      expectFigures(r.periods[i]!.figures, handFigures(now, before(now), 'b'), handFigures(before(now), before(before(now)), 'b'), handFigures(ly, before(ly), 'b'))
    }
  })
})

describe('KPIs by year', () => {
  it('sums a whole year and compares the running year\'s first 338 days with the first 338 of the year before (环比 and 同比 alike)', async () => {
    const r = await t.services.kpis.kpis(t.actors.analyst, { grain: 'year', from: '2025-01-01', to: TODAY })
    expect(r.periods.map((p) => p.key)).toEqual(['2025', '2026'])
    const [y25, y26] = r.periods
    expect(y25).toMatchObject({ partial: false, days: 365, compareTo: { previous: { key: '2024', whole: true }, lastYear: { key: '2024', whole: true } } })
    expectFigures(y25!.figures, handFigures(year(2025), year(2024)), handFigures(year(2024), year(2023)), handFigures(year(2024), year(2023)))
    expect(y25!.figures.activeMembers.value).toBe(3)
    expect(y26).toMatchObject({
      partial: true, days: 338, through: TODAY,
      compareTo: { previous: { key: '2025', from: '2025-01-01', to: '2025-12-04', whole: false }, lastYear: { key: '2025', from: '2025-01-01', to: '2025-12-04', whole: false } },
    })
    const base = handFigures({ from: '2025-01-01', to: '2025-12-04' }, year(2024))
    expectFigures(y26!.figures, handFigures({ from: '2026-01-01', to: TODAY }, year(2025)), base, base)
    expect(y26!.figures.netSales.previous).toBe(RECEIPTS.filter((x) => x.date <= '2025-12-04').reduce((a, x) => a + x.amount, 0))
  })

  it('marks the running year in the CRM report\'s trend, through today (the workbook too)', async () => {
    const report = await t.services.kpis.report(t.actors.analyst, { year: '2026' })
    expect(report).toMatchObject({ partial: true, through: TODAY, days: 338 })
    expect(report.trend.map((p) => [p.key, p.partial, p.through])).toEqual([
      ['2022', false, '2022-12-31'], ['2023', false, '2023-12-31'], ['2024', false, '2024-12-31'], ['2025', false, '2025-12-31'], ['2026', true, TODAY],
    ])
    const cookie = await t.login(t.users.analyst!.username)
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/v1/insight/report.xlsx?year=2026', headers: { cookie } })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const keys = wb.getWorksheet('趋势')!.getColumn(1).values.slice(2)
    expect(keys).toEqual(['2022', '2023', '2024', '2025', `2026（至 ${TODAY}）`])
    const month = await t.services.kpis.report(t.actors.analyst, { period: '2026-11' })
    expect(month).toMatchObject({ partial: false, through: '2026-11-30' })
    expect(month.trend.every((p) => !p.partial)).toBe(true)
  })
})

describe('bad input', () => {
  it.each([
    ['grain=decade', 'grain'],
    ['grain=quarter&from=2020-01-01&to=2026-12-01', 'from'],
    ['grain=year&from=2010-01-01&to=2026-12-01', 'from'],
    ['grain=quarter&from=2026-12-01&to=2026-01-01', 'from'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const cookie = await t.login(t.users.analyst!.username)
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/insight/kpis?${query}`, headers: { cookie } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual([{ field, reason: expect.any(String) }])
  })

  it('answers quarters through the API, by default the last eight', async () => {
    const cookie = await t.login(t.users.analyst!.username)
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis?grain=quarter', headers: { cookie } })
    expect(res.statusCode).toBe(200)
    expect(res.json().periods.map((p: { key: string }) => p.key)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'])
    const years = await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis?grain=year', headers: { cookie } })
    expect(years.json().periods.map((p: { key: string }) => p.key)).toEqual(['2022', '2023', '2024', '2025', '2026'])
  })
})
