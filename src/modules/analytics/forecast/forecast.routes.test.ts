import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { addDays } from '../../../shared/time.js'
import { forecastSales } from '../analytics.jobs.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let manager: string

/**
 * 30 whole weeks to Sunday 8 March 2026 (today is Tuesday 10 March): every Tuesday store A sells
 * ¥100 of 牛奶 (食品 › 乳品) and ¥50 of 纸巾 (日化 › 纸品); store B ¥80 of 牛奶. In the week of
 * 16 February store A takes back ¥20 of 牛奶. This week (of 9 March) has a sale too,
 * which no whole week holds yet.
 */
const FIRST = '2025-08-11'
const WEEKS = 30

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-10T02:00:00.000Z')
  analyst = await t.login(t.users.analyst!.username)
  manager = await t.login(t.users.store_manager!.username)
  await t.given.product({ sku: 'MILK', name: '牛奶', department: '食品', category: '乳品', listPrice: 1000 })
  await t.given.product({ sku: 'TISSUE', name: '纸巾', department: '日化', category: '纸品', listPrice: 500 })
  for (let w = 0; w <= WEEKS; w++) {
    const tuesday = addDays(FIRST, 7 * w + 1)
    const a = await t.given.receipt({ businessAt: `${tuesday}T03:00:00.000Z`, lines: [['MILK', 10, 1000], ['TISSUE', 10, 500]] })
    await t.given.receipt({ by: t.actors.cashierB, businessAt: `${tuesday}T03:00:00.000Z`, lines: [['MILK', 8, 1000]] })
    if (tuesday === '2026-02-17') await t.given.return({ originalReceiptNo: a.receiptNo, businessAt: '2026-02-18T03:00:00.000Z', lines: [{ originalLineNo: 1, quantity: 2 }] })
  }
}, 120_000)

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })

describe('the weekly demand forecast through the API', () => {
  it('has no run before the first, then forecasts every series as a job', async () => {
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/forecasts' })).json()).toEqual({ run: null, series: [] })
    const queued = await as(analyst, { method: 'POST', url: '/api/v1/insight/forecasts', payload: { horizon: 8 } })
    expect(queued.statusCode, queued.body).toBe(202)
    await t.drainJobs()
    // The page that queued it follows the job: done, with its progress at the end and its result.
    const job = await as(manager, { method: 'GET', url: `/api/v1/insight/jobs/${queued.json().jobId}` })
    expect(job.statusCode, job.body).toBe(200)
    expect(job.json()).toMatchObject({ name: 'analytics.forecastSales', status: 'done', progress: { done: 6, total: 6 }, result: { series: 5, skipped: 0 }, lastError: null })
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/jobs/job_nope' })).statusCode).toBe(404)
    const res = await as(analyst, { method: 'GET', url: '/api/v1/insight/forecasts' })
    expect(res.statusCode, res.body).toBe(200)
    const { run, series } = res.json()
    expect(run).toMatchObject({ lastWeek: '2026-03-02', weeks: 156, horizon: 8, origins: 8, series: 5, skipped: 0, createdBy: t.users.analyst!.username })
    // Each store's departments (by store and name), then the chain's categories.
    const keys = series.map((s: { level: string; storeId: string | null; key: string }) => `${s.level}|${s.storeId === t.stores.a ? 'A' : s.storeId === t.stores.b ? 'B' : ''}|${s.key}`)
    expect(keys.slice(0, 3).sort()).toEqual(['store_department|A|日化', 'store_department|A|食品', 'store_department|B|食品'])
    expect(keys.slice(3).sort()).toEqual(['chain_category||乳品', 'chain_category||纸品'])
    const storeB = series.find((s: { storeId: string | null }) => s.storeId === t.stores.b)
    // ¥80 a week, every week: the last 4 weeks ¥320, the forecast ¥80 a week, the backtest exact.
    expect(storeB).toMatchObject({ fromWeek: FIRST, historyWeeks: WEEKS, last4: 32_000 })
    expect(storeB.next4).toBeCloseTo(32_000, -1)
    expect(storeB.smape).toBeCloseTo(0, 6)
    expect(storeB.naiveSmape).toBe(0)
  })

  it('gives one series with its weeks, the return netted, the Spring Festival weeks flagged and the forecast', async () => {
    const res = await as(analyst, { method: 'GET', url: `/api/v1/insight/forecasts/series?level=store_department&storeId=${t.stores.a}&key=${encodeURIComponent('食品')}` })
    expect(res.statusCode, res.body).toBe(200)
    const s = res.json().series
    expect(s.weeks).toHaveLength(WEEKS + 8)
    expect(s.weeks[0]).toBe(FIRST)
    expect(s.weeks[WEEKS]).toBe('2026-03-09')
    // ¥100 a week, ¥80 in the week of 16 February (a ¥20 return).
    expect(s.actual.filter((v: number) => v !== 10_000)).toEqual([8_000])
    expect(s.actual[s.weeks.indexOf('2026-02-16')]).toBe(8_000)
    // The weeks of 2, 9 and 16 February hold days of the fortnight before 17 February.
    expect(s.weeks.filter((_: string, i: number) => s.springFestival[i])).toEqual(['2026-02-02', '2026-02-09', '2026-02-16'])
    expect(s.forecast).toHaveLength(8)
    expect(s.naive).toEqual(new Array(8).fill(10_000))
    expect(s.backtest).toMatchObject({ origins: 8, horizon: 4, model: { pairs: 26 } })
  })

  it('shows a store manager their store\'s departments only, and refuses another store', async () => {
    const mine = await as(manager, { method: 'GET', url: '/api/v1/insight/forecasts' })
    expect(mine.statusCode, mine.body).toBe(200)
    expect(mine.json().series.map((s: { storeId: string; key: string }) => `${s.storeId === t.stores.a ? 'A' : s.storeId}|${s.key}`).sort()).toEqual(['A|日化', 'A|食品'])
    expect((await as(manager, { method: 'GET', url: `/api/v1/insight/forecasts?storeId=${t.stores.b}` })).statusCode).toBe(403)
    expect((await as(manager, { method: 'GET', url: `/api/v1/insight/forecasts/series?level=store_department&storeId=${t.stores.b}&key=${encodeURIComponent('食品')}` })).statusCode).toBe(403)
    expect((await as(manager, { method: 'POST', url: '/api/v1/insight/forecasts', payload: {} })).statusCode).toBe(403)
    // Their own department without naming the store; the chain's categories are HQ's.
    const own = await as(manager, { method: 'GET', url: `/api/v1/insight/forecasts/series?key=${encodeURIComponent('食品')}` })
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json().series).toMatchObject({ storeId: t.stores.a, key: '食品' })
    expect((await as(manager, { method: 'GET', url: `/api/v1/insight/forecasts/series?level=chain_category&key=${encodeURIComponent('乳品')}` })).statusCode).toBe(404)
  })

  it('exports the weeks and the forecast as CSV (in yuan) and xlsx', async () => {
    const csv = await as(manager, { method: 'GET', url: '/api/v1/insight/forecasts/export.csv?lang=zh-CN' })
    expect(csv.statusCode, csv.body).toBe(200)
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n')
    expect(lines[0]).toBe('层级,门店,部门/品类,周一,类型,销售额（元）,预测（元）,80%下限（元）,80%上限（元）,春节前')
    // Two series of 30 weeks and 8 forecast weeks each.
    expect(lines).toHaveLength(1 + 2 * (WEEKS + 8))
    expect(lines.find((l) => l.includes('2026-02-16') && l.includes('食品'))).toMatch(/,实际,80\.00,,,,是$/)
    expect(lines.find((l) => l.includes('2026-03-09') && l.includes('食品'))).toMatch(/,预测,,\d+\.\d\d,/)
    // HQ's chain categories alone: two series, no store's.
    const chain = await as(analyst, { method: 'GET', url: '/api/v1/insight/forecasts/export.csv?lang=en-US&level=chain_category' })
    const chainLines = chain.body.replace(/^\uFEFF/, '').trim().split('\n')
    expect(chainLines).toHaveLength(1 + 2 * (WEEKS + 8))
    expect(chainLines.slice(1).every((l) => l.startsWith('chain × category,chain,'))).toBe(true)
    const xlsx = await as(analyst, { method: 'GET', url: '/api/v1/insight/forecasts/export.xlsx?lang=en-US' })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK')
  })

  it('refuses what it cannot answer with the field and the reason', async () => {
    const none = await as(analyst, { method: 'GET', url: '/api/v1/insight/forecasts/series?level=chain_category&key=nope' })
    expect(none.statusCode).toBe(404)
    expect(none.json().error).toMatchObject({ code: 'FORECAST_SERIES_NOT_FOUND', details: [{ field: 'key' }] })
    const noStore = await as(analyst, { method: 'GET', url: `/api/v1/insight/forecasts/series?level=store_department&key=${encodeURIComponent('食品')}` })
    expect(noStore.statusCode).toBe(422)
    expect(noStore.json().error).toMatchObject({ code: 'FORECAST_INVALID_INPUT', details: [{ field: 'storeId' }] })
    const noKey = await as(analyst, { method: 'GET', url: `/api/v1/insight/forecasts/series?storeId=${t.stores.a}` })
    expect(noKey.statusCode).toBe(422)
    expect(noKey.json().error).toMatchObject({ code: 'FORECAST_INVALID_INPUT', details: [{ field: 'key' }] })
    expect((await as(analyst, { method: 'POST', url: '/api/v1/insight/forecasts', payload: { horizon: 0 } })).statusCode).toBe(400)
    await expect(t.services.forecast.run(t.actors.hq_admin, { weeks: 2 })).rejects.toMatchObject({ code: 'FORECAST_INVALID_INPUT', details: [{ field: 'weeks' }] })
  })

  it('keeps the newest five runs', async () => {
    const job = { id: 'job_test', name: forecastSales.name, attempt: 1, enqueuedAt: t.clock.now().toISOString() }
    for (let i = 0; i < 5; i++) {
      t.clock.set(`2026-03-10T0${3 + i}:00:00.000Z`)
      await forecastSales.run({ horizon: 4, weeks: 20 }, { ...t.services, job })
    }
    const runs = await t.services.db.selectFrom('forecast_runs').select(['horizon']).execute()
    expect(runs.map((r) => Number(r.horizon))).toEqual([4, 4, 4, 4, 4])
  })
})
