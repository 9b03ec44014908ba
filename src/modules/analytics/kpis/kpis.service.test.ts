import { beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import type { Actor } from '../../../shared/actor.js'
import type { Patron } from '../../../cli/bootstrap.js'
import { kpisReport } from '../../../cli/analytics/kpis.js'
import { render } from '../../../cli/analytics/output.js'

// A small chain, by hand: store A (in region 华东) and store B, members m1 (registered March
// 2025 at A), m2 (February 2026 at A), m3 (March 2026 at B), sales and returns in March 2025,
// February 2026 and March 2026. Every figure below is computed by hand from this list.
const context = useTestContext()
let t: TestContext
let regionId: string
const m: Record<'m1' | 'm2' | 'm3', string> = { m1: '', m2: '', m3: '' }
let pointsMarch = 0

const at = (date: string, hour = 2) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`
const sell = async (date: string, amount: number, opts: { member?: string; by?: Actor; coupons?: Array<{ code: string; amount: number }> } = {}) => {
  t.clock.set(at(date, 3))
  return t.given.receipt({ lines: [['SKU-K', 1, amount]], businessAt: at(date), member: opts.member ? { id: opts.member } : null, ...(opts.by ? { by: opts.by } : {}), ...(opts.coupons ? { coupons: opts.coupons } : {}) })
}

beforeAll(async () => {
  t = await context()
  const region = await t.services.org.createRegion(t.actors.hq_admin, { code: 'EAST', name: '华东' })
  regionId = region.id
  await t.services.org.updateStore(t.actors.hq_admin, t.stores.a, { regionId })

  t.clock.set(at('2025-03-10'))
  m.m1 = (await t.given.member()).id
  await sell('2025-03-15', 10_000, { member: m.m1 })
  await sell('2025-03-20', 5_000)

  t.clock.set(at('2026-02-05'))
  m.m2 = (await t.given.member()).id
  await sell('2026-02-10', 20_000, { member: m.m1 })
  const m2Sale = await sell('2026-02-10', 8_000, { member: m.m2 })
  await sell('2026-02-12', 6_000, { by: t.actors.cashierB })

  t.clock.set(at('2026-03-03'))
  m.m3 = (await t.given.member({ by: t.actors.cashierB })).id
  t.clock.set(at('2026-03-04'))
  const template = await t.given.couponTemplate()
  const c1 = await t.given.coupon({ templateId: template.id, memberId: m.m1 })
  await t.given.coupon({ templateId: template.id, memberId: m.m3, by: t.actors.serviceB })
  const big = await sell('2026-03-05', 30_000, { member: m.m1, coupons: [{ code: c1.code, amount: 1_000 }] })
  const small = await sell('2026-03-05', 10_000, { member: m.m1 })
  const m3Sale = await sell('2026-03-06', 12_000, { member: m.m3, by: t.actors.cashierB })
  await sell('2026-03-07', 4_000)
  await sell('2026-03-07', 2_000)
  t.clock.set(at('2026-03-08', 3))
  const r1 = await t.given.return({ originalReceiptNo: small.receiptNo, businessAt: at('2026-03-08') })
  t.clock.set(at('2026-03-09', 3))
  const r2 = await t.given.return({ originalReceiptNo: m2Sale.receiptNo, businessAt: at('2026-03-09') })
  pointsMarch = big.points + small.points + m3Sale.points - r1.points - r2.points
  t.clock.set(at('2026-03-20'))
})

const march = async (actor: Actor, query: Record<string, string> = {}) => {
  const r = await t.services.kpis.kpis(actor, { grain: 'month', from: '2026-02-01', to: '2026-03-31', ...query })
  expect(r.periods.map((p) => p.key)).toEqual(['2026-02', '2026-03'])
  return { feb: r.periods[0]!.figures, mar: r.periods[1]!.figures, result: r }
}

describe('KPIs by month for the chain', () => {
  it('nets returns out at their own date and splits members from non-members', async () => {
    const { mar, feb } = await march(t.actors.analyst)
    // March: sales 30000 + 10000 + 12000 + 4000 + 2000, returns 10000 (m1) and 8000 (m2's February sale).
    expect(mar.netSales).toMatchObject({ value: 40_000, previous: 34_000, lastYear: 15_000, previousChange: 0.1765, lastYearChange: 1.6667 })
    expect(mar.memberNetSales.value).toBe(34_000)
    expect(mar.memberSalesShare).toMatchObject({ value: 0.85, previous: 0.8235, lastYear: 0.6667 })
    expect(mar.avgTicketMember.value).toBe(11_333) // 34000 ÷ 3 member sale receipts
    expect(mar.avgTicketNonMember.value).toBe(3_000) // 6000 ÷ 2
    expect(feb.avgTicketMember.value).toBe(14_000)
  })

  it('counts members, new and active members, frequency, repurchase and churn as defined', async () => {
    const { mar, feb } = await march(t.actors.hq_admin)
    expect(mar.members).toMatchObject({ value: 3, previous: 2, lastYear: 1 })
    expect(mar.newMembers).toMatchObject({ value: 1, previous: 1, lastYear: 1 })
    expect(mar.activeMembers).toMatchObject({ value: 2, previous: 2, lastYear: 1, previousChange: 0 })
    expect(mar.purchaseFrequency.value).toBe(1.5)
    // m1 bought before March, m3 first bought in March.
    expect(mar.repurchaseRate).toMatchObject({ value: 0.5, previous: 0.5, lastYear: 0 })
    // Active in February: m1 and m2; m2 did not buy in March.
    expect(mar.churnRate).toMatchObject({ value: 0.5, previous: null })
    expect(mar.retentionRate.value).toBe(0.5)
    expect(feb.churnRate.value).toBeNull()
  })

  it('counts points issued net of returns and coupons issued and used', async () => {
    const { mar } = await march(t.actors.hq_admin)
    expect(pointsMarch).toBeGreaterThan(0)
    expect(mar.pointsIssued.value).toBe(pointsMarch)
    expect(mar.pointsRedeemed.value).toBe(0)
    expect(mar.couponsIssued.value).toBe(2)
    expect(mar.couponsRedeemed.value).toBe(1)
    expect(mar.couponRedemptionRate.value).toBe(0.5)
  })
})

describe('scope', () => {
  it('reads one store: its receipts and the members registered there', async () => {
    const { mar } = await march(t.actors.analyst, { storeId: t.stores.b })
    expect(mar.netSales.value).toBe(12_000)
    expect(mar.memberSalesShare.value).toBe(1)
    expect(mar.members.value).toBe(1)
    expect(mar.activeMembers.value).toBe(1)
    expect(mar.couponsIssued.value).toBe(1)
    expect(mar.couponsRedeemed.value).toBe(0)
  })

  it('reads a region as its stores', async () => {
    const { mar, result } = await march(t.actors.analyst, { regionId })
    expect(result.scope).toEqual({ kind: 'region', id: regionId, name: '华东' })
    expect(mar.netSales.value).toBe(28_000)
    expect(mar.members.value).toBe(2)
  })

  it('keeps a store manager to their store and refuses another', async () => {
    const { mar, result } = await march(t.actors.store_manager)
    expect(result.scope.id).toBe(t.stores.a)
    expect(mar.netSales.value).toBe(28_000)
    await expect(t.services.kpis.kpis(t.actors.store_manager, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
  })

  it('refuses roles without insight.read', async () => {
    await expect(t.services.kpis.kpis(t.actors.cashier, {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('grains', () => {
  it('reads weeks Monday to Sunday and days, with 同比 a year (52 weeks) before', async () => {
    const weeks = await t.services.kpis.kpis(t.actors.analyst, { grain: 'week', from: '2026-03-02', to: '2026-03-08' })
    expect(weeks.periods).toHaveLength(1)
    expect(weeks.periods[0]).toMatchObject({ key: '2026-W10', from: '2026-03-02', to: '2026-03-08' })
    // 30000 + 10000 + 12000 + 4000 + 2000 − 10000 (the return on Sunday 8 March)
    expect(weeks.periods[0]!.figures.netSales.value).toBe(48_000)
    expect(weeks.periods[0]!.figures).toMatchObject({ activeMembers: { value: 2, previous: 0 }, repurchaseRate: { value: 0.5 }, churnRate: { value: null } })
    const days = await t.services.kpis.kpis(t.actors.analyst, { grain: 'day', from: '2026-03-05', to: '2026-03-06' })
    expect(days.periods.map((p) => [p.key, p.figures.netSales.value, p.figures.activeMembers.value])).toEqual([['2026-03-05', 40_000, 1], ['2026-03-06', 12_000, 1]])
  })

  it.each([
    [{ grain: 'decade' }, 'grain'],
    [{ from: '2026-03-10', to: '2026-03-01' }, 'from'],
    [{ to: '2026-02-30' }, 'to'],
    [{ from: '2026-13-01', to: '2026-03-01' }, 'from'],
    [{ grain: 'day', from: '2020-01-01', to: '2026-01-01' }, 'from'],
    [{ storeId: 'sto_nope' }, 'storeId'],
    // Far-off years (9999-12-31 looped for ever in the period arithmetic, year 0002 threw).
    ...(['day', 'week', 'month', 'quarter', 'year'] as const).map((grain) => [{ grain, to: '9999-12-31' }, 'to'] as [Record<string, string>, string]),
    [{ grain: 'year', to: '0002-06-01' }, 'to'],
    [{ grain: 'month', from: '1899-12-01', to: '2026-03-01' }, 'from'],
  ])('refuses %j naming %s', async (query, field) => {
    await expect(t.services.kpis.kpis(t.actors.analyst, query)).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ field })] })
  })

  it.each([[{ period: '9999-12' }, 'period'], [{ year: '9999' }, 'year'], [{ year: '0000' }, 'year']])('the report refuses %j naming %s', async (query, field) => {
    await expect(t.services.kpis.report(t.actors.analyst, query)).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ field })] })
  })
})

describe('targets and the CRM evaluation report', () => {
  it('sets, changes and removes targets (audited), refusing bad ones', async () => {
    const target = await t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026-03', scopeKind: 'chain', metric: 'repurchaseRate', target: 0.4 })
    expect(target).toMatchObject({ period: '2026-03', scopeKind: 'chain', scopeId: null, metric: 'repurchaseRate', target: 0.4 })
    await expect(t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026-03', scopeKind: 'chain', metric: 'repurchaseRate', target: 0.5 })).rejects.toMatchObject({ code: 'KPI_TARGET_EXISTS' })
    await expect(t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026-13', scopeKind: 'store', metric: 'nope', target: 2 })).rejects.toMatchObject({
      status: 400, details: expect.arrayContaining([expect.objectContaining({ field: 'period' }), expect.objectContaining({ field: 'metric' }), expect.objectContaining({ field: 'scopeId' })]),
    })
    await expect(t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026-03', scopeKind: 'chain', metric: 'churnRate', target: 5 })).rejects.toMatchObject({ details: [{ field: 'target', reason: expect.any(String) }] })
    await expect(t.services.kpis.createTarget(t.actors.store_manager, { period: '2026-03', scopeKind: 'chain', metric: 'newMembers', target: 5 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const changed = await t.services.kpis.updateTarget(t.actors.hq_marketing, target.id, 0.45)
    expect(changed.target).toBe(0.45)
    const trail = await t.db.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_id', '=', target.id).orderBy('at').execute()
    expect(trail.map((r) => r.action)).toEqual(['kpi_target.set', 'kpi_target.set'])
    const temp = await t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026', scopeKind: 'store', scopeId: t.stores.b, metric: 'newMembers', target: 100 })
    await t.services.kpis.deleteTarget(t.actors.hq_marketing, temp.id)
    expect((await t.services.kpis.listTargets(t.actors.analyst, { period: '2026-03' })).map((x) => x.id)).toEqual([target.id])
  })

  it('sets the month\'s actual figures against targets per region and store, with 同比 growth and a 12-month trend', async () => {
    await t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026-03', scopeKind: 'store', scopeId: t.stores.a, metric: 'netSales', target: 20_000 })
    await t.services.kpis.createTarget(t.actors.hq_marketing, { period: '2026-03', scopeKind: 'chain', metric: 'churnRate', target: 0.25 })
    const report = await t.services.kpis.report(t.actors.analyst, { period: '2026-03' })
    expect(report).toMatchObject({ period: '2026-03', kind: 'month', from: '2026-03-01', to: '2026-03-31', satisfaction: { available: false } })
    const line = (b: { lines: Array<{ metric: string; actual: number | null }> }, metric: string) => b.lines.find((l) => l.metric === metric)
    expect(line(report.summary, 'satisfaction')).toMatchObject({ actual: null })
    expect(line(report.summary, 'repurchaseRate')).toMatchObject({ actual: 0.5, target: 0.45, attainment: 1.1111, lastYear: 0 })
    expect(line(report.summary, 'churnRate')).toMatchObject({ actual: 0.5, target: 0.25, attainment: 0.5 })
    expect(line(report.summary, 'salesGrowth')).toMatchObject({ actual: 1.6667 })
    expect(line(report.summary, 'retentionRate')).toMatchObject({ actual: 0.5 })
    const storeA = report.stores.find((s) => s.id === t.stores.a)!
    expect(line(storeA, 'netSales')).toMatchObject({ actual: 28_000, target: 20_000, attainment: 1.4, lastYear: 15_000 })
    expect(line(storeA, 'activeMembers')).toMatchObject({ actual: 1 })
    const storeB = report.stores.find((s) => s.id === t.stores.b)!
    expect(line(storeB, 'newMembers')).toMatchObject({ actual: 1 })
    expect(report.regions.map((r) => [r.name, line(r, 'netSales')!.actual])).toEqual([['华东', 28_000]])
    expect(report.trend).toHaveLength(12)
    expect(report.trend.at(-1)).toMatchObject({ key: '2026-03', netSales: 40_000, churnRate: 0.5 })
    expect(report.trend.at(-2)).toMatchObject({ key: '2026-02', netSales: 34_000 })
  })

  it('reports a year and gives a store manager their store only', async () => {
    const year = await t.services.kpis.report(t.actors.analyst, { year: '2026' })
    expect(year).toMatchObject({ period: '2026', kind: 'year' })
    expect(year.summary.lines.find((l) => l.metric === 'netSales')!.actual).toBe(74_000)
    const own = await t.services.kpis.report(t.actors.store_manager, { period: '2026-03' })
    expect(own.stores.map((s) => s.id)).toEqual([t.stores.a])
    expect(own.regions).toEqual([])
    await expect(t.services.kpis.report(t.actors.analyst, { period: '2026-03', year: '2026' })).rejects.toMatchObject({ details: [{ field: 'period', reason: expect.any(String) }] })
    // Neither: the last whole month before today (the clock's local date).
    const today = (await t.services.kpis.report(t.actors.analyst, {})).period
    const [y, m] = new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 7).split('-').map(Number) as [number, number]
    expect(today).toBe(m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`)
  })

  it('exports the report as a workbook that opens', async () => {
    const cookie = await t.login(t.users.analyst!.username)
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/insight/report.xlsx?period=2026-03&lang=en-US', headers: { cookie } })
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Summary', 'By region', 'By store', 'Trend'])
    const summary = wb.getWorksheet('Summary')!
    const rows = summary.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1))
    expect(rows.find((r) => r[0] === 'Net sales (yuan)')?.[1]).toBe(400)
    expect(rows.some((r) => String(r[1]).includes('No customer surveys'))).toBe(true)
  })
})

describe('routes', () => {
  it('answers the KPIs, refuses bad input with the field and other stores with 403', async () => {
    const analyst = await t.login(t.users.analyst!.username)
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis?grain=month&from=2026-03-01&to=2026-03-31', headers: { cookie: analyst } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().periods[0].figures.netSales.value).toBe(40_000)
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis?grain=hour', headers: { cookie: analyst } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toEqual([{ field: 'grain', reason: expect.any(String) }])
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis?storeId=sto_missing', headers: { cookie: analyst } })
    expect(unknown.statusCode).toBe(400)
    const manager = await t.login(t.users.store_manager!.username)
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/insight/kpis?storeId=${t.stores.b}`, headers: { cookie: manager } })).statusCode).toBe(403)
    const cashier = await t.login(t.users.cashier!.username)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/insight/kpis', headers: { cookie: cashier } })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/insight/kpi-targets', headers: { cookie: manager }, payload: { period: '2026-04', scopeKind: 'chain', metric: 'newMembers', target: 10 } })).statusCode).toBe(403)
    const admin = await t.login(t.users.hq_admin!.username)
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/insight/kpi-targets', headers: { cookie: admin }, payload: { period: '2026-04', scopeKind: 'chain', metric: 'newMembers', target: 10 } })
    expect(created.statusCode).toBe(201)
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/insight/kpi-targets/${created.json().id}`, headers: { cookie: admin }, payload: { target: 12 } })
    expect(patched.json().target).toBe(12)
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/insight/kpi-targets/${created.json().id}`, headers: { cookie: admin } })).statusCode).toBe(204)
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/insight/kpi-targets/${created.json().id}`, headers: { cookie: admin } })).statusCode).toBe(404)
  })
})

describe('command line', () => {
  it('prints the same figures as the API (json) and a row per period and metric (csv)', async () => {
    const patron = { services: t.services } as unknown as Patron
    const out = await kpisReport.run(patron, { from: '2026-03-01', to: '2026-03-31', grain: 'month' })
    const api = await t.services.kpis.kpis(t.actors.analyst, { grain: 'month', from: '2026-03-01', to: '2026-03-31' })
    expect(JSON.parse(render(out, 'json'))).toEqual(JSON.parse(JSON.stringify(api)))
    const csv = render(out, 'csv').split('\n')
    expect(csv[0]).toBe('period,metric,value,previous,previous_change,last_year,last_year_change')
    expect(csv).toContain('2026-03,netSales,40000,34000,17.7%,15000,166.7%')
    await expect(kpisReport.run(patron, { grain: 'hour' })).rejects.toThrow(/--grain/)
  })
})

describe('the read model', () => {
  it('catches up with a new sale and a new member incrementally, as a full rebuild would', async () => {
    t.clock.set(at('2026-03-21'))
    await t.given.member({ by: t.actors.cashierB })
    const m4 = (await t.given.member()).id
    await sell('2026-03-21', 7_000, { member: m4 })
    t.clock.set(at('2026-03-21', 4))
    const read = async () => (await march(t.actors.analyst)).mar
    const after = await read()
    expect(after.netSales.value).toBe(47_000)
    expect(after.members.value).toBe(5)
    expect(after.newMembers.value).toBe(3)
    expect(after.activeMembers.value).toBe(3)
    expect(after.repurchaseRate.value).toBe(0.3333)
    expect((await t.services.kpis.refresh()).mode).toBe('none')
    expect((await t.services.kpis.refresh({ full: true })).mode).toBe('full')
    expect(await read()).toEqual(after)
  })
})
