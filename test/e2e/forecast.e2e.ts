import { mkdirSync, readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const RESULTS = 'test-results/e2e'
const ANALYST = { username: 'analyst', password: 'Demo#2026' }

interface Run { id: string; runAt: string; lastWeek: string; weeks: number; horizon: number; series: number; skipped: number }
interface Summary {
  level: 'store_department' | 'chain_category'; storeId: string | null; storeName: string | null; key: string
  historyWeeks: number; last4: number; next4: number; smape: number | null; naiveSmape: number | null; mape: number | null; model: string
}
interface Detail extends Summary {
  weeks: string[]; actual: number[]; forecast: number[]; naive: number[]; lower80: number[] | null; upper80: number[] | null; springFestival: boolean[]
  backtest: { model: { smape: number }; seasonalNaive: { smape: number } } | null
}
interface Latest { run: Run | null; series: Summary[] }

const apiAs = async (who: { username: string; password: string }) => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const get = async (path: string) => fetch(`${b.baseUrl}${path}`, { headers: { cookie } })
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path)
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
  return { json, get, user: ((await login.json()) as { user: { storeId: string | null } }).user }
}

const shot = async (page: Page, name: string) => {
  mkdirSync(RESULTS, { recursive: true })
  await page.waitForTimeout(500)
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true })
}

const openInsight = (page: Page, menu: string) => openMenu(page, '洞察', menu)

/** The chain's wall clock (the console shows times in Asia/Shanghai): 2026-03-02 10:00. */
const chainTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
const weekRange = (monday: string) => {
  const sunday = addDays(monday, 6)
  return `${monday} – ${sunday.slice(0, 4) === monday.slice(0, 4) ? sunday.slice(5) : sunday}`
}
const money = (fen: number) => `${fen < 0 ? '-' : ''}¥${(Math.abs(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
const rowId = (s: Pick<Summary, 'level' | 'storeId' | 'key'>) =>
  (s.level === 'store_department' ? `forecast-row-store_department-${s.storeId}-${s.key}` : `forecast-row-chain_category-${s.key}`)
const seriesPath = (s: Summary) =>
  `/api/v1/insight/forecasts/series?level=${s.level}&key=${encodeURIComponent(s.key)}${s.storeId ? `&storeId=${s.storeId}` : ''}`

/** The test ids of the table's rows on screen, in order. */
const rowsShown = (page: Page) =>
  page.getByTestId('forecast-table').locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))

/** The chart's tooltip at points across its forecast weeks, until one holds `words`. */
const tooltipWith = async (page: Page, words: string): Promise<string> => {
  const canvas = page.getByTestId('forecast-chart').locator('canvas').first()
  await canvas.scrollIntoViewIfNeeded()
  const box = (await canvas.boundingBox())!
  for (let x = 0.7; x < 0.99; x += 0.01) {
    await canvas.hover({ position: { x: Math.round(box.width * x), y: Math.round(box.height * 0.5) } })
    await page.waitForTimeout(60)
    const text = await page.getByTestId('forecast-chart').evaluate((el) => [...el.querySelectorAll('div')].map((d) => (d as HTMLElement).innerText).find((s) => s.includes('¥')) ?? '')
    if (text.includes(words)) return text
  }
  return ''
}

let analyst: Awaited<ReturnType<typeof apiAs>>
let latest: Latest
/** A chain category on the table's first page with a backtest and the Spring Festival in its forecast weeks. */
let pick: Detail

beforeAll(async () => {
  analyst = await apiAs(ANALYST)
  latest = await analyst.json<Latest>('/api/v1/insight/forecasts')
  expect(latest.run, 'the demo seed runs a forecast').not.toBeNull()
  // not the first row (the page shows that one unasked): a click must select it
  for (const s of latest.series.filter((x) => x.level === 'chain_category').slice(1, 15)) {
    const { series } = await analyst.json<{ series: Detail }>(seriesPath(s))
    if (series.backtest && series.springFestival.slice(series.actual.length).some(Boolean)) {
      pick = series
      break
    }
  }
  expect(pick, 'a chain category whose forecast holds the Spring Festival weeks').toBeDefined()
})

describe('the sales forecast in the console', () => {
  it('shows an analyst the run, the series and a chain category’s weeks with the Spring Festival, downloads it, and reads in English', async () => {
    const run = latest.run!
    const page = await b.page()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, ANALYST)
    await openInsight(page, '销售预测')
    await page.getByTestId('forecast-page').waitFor()

    // the run: its last whole week, how far it looks, when it ran in the chain's zone
    await expect.poll(() => page.getByTestId('forecast-run-at').textContent()).toBe(chainTime(run.runAt))
    expect(await page.getByTestId('forecast-last-week').textContent()).toBe(weekRange(run.lastWeek))
    expect(await page.getByTestId('forecast-horizon').textContent()).toBe(`未来 ${run.horizon} 周（${addDays(run.lastWeek, 7)} 至 ${addDays(run.lastWeek, 7 * run.horizon + 6)}）`)
    expect(await page.getByTestId('forecast-series-count').textContent()).toBe(`${run.series} 个`)

    // all stores: every store's departments, in the API's order, a page at a time
    const departments = latest.series.filter((s) => s.level === 'store_department')
    await expect.poll(() => rowsShown(page)).toEqual(departments.slice(0, 15).map(rowId))
    const first = departments[0]!
    const firstRow = page.getByTestId(rowId(first))
    const change = first.last4 > 0 ? Math.round(((first.next4 - first.last4) / first.last4) * 1000) / 10 : null
    for (const words of [first.storeName!, first.key, money(first.last4), money(first.next4), first.model]) expect(await firstRow.textContent()).toContain(words)
    if (change !== null) expect(await firstRow.textContent()).toContain(`${change > 0 ? '+' : change < 0 ? '−' : ''}${Math.abs(change).toFixed(1)}%`)
    // the model's sMAPE stands out where it beats seasonal naive's
    const beats = departments.slice(0, 15).filter((s) => s.smape !== null && s.naiveSmape !== null && s.smape < s.naiveSmape)
    expect(await page.getByTestId('forecast-table').locator('[data-beats=true]').count()).toBe(beats.length)
    // the first series is shown unasked
    await expect.poll(() => page.getByTestId('forecast-chart').getAttribute('data-series')).toBe(rowId(first))

    // the chain's categories; a click selects one
    await page.getByTestId('forecast-scope').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '全链品类' }).click()
    const categories = latest.series.filter((s) => s.level === 'chain_category')
    await expect.poll(() => rowsShown(page)).toEqual(categories.slice(0, 15).map(rowId))
    await page.getByTestId(rowId(pick)).click()
    const chart = page.getByTestId('forecast-chart')
    await expect.poll(() => chart.getAttribute('data-series')).toBe(rowId(pick))
    await expect.poll(() => chart.getAttribute('data-loading')).toBe('false')
    await chart.locator('canvas').first().waitFor()
    expect(await page.getByTestId('forecast-chart-title').textContent()).toBe(`全链 · ${pick.key}`)
    expect(await page.getByTestId(rowId(pick)).getAttribute('class')).toContain('ant-table-row-selected')

    // the forecast weeks one by one: forecast, interval, seasonal naive, the Spring Festival weeks marked
    const n = pick.actual.length
    const weeks = page.getByTestId('forecast-weeks')
    expect(await weeks.locator('tbody tr.ant-table-row').count()).toBe(run.horizon)
    for (let h = 0; h < pick.forecast.length; h++) {
      const row = page.getByTestId(`forecast-week-${pick.weeks[n + h]}`)
      const text = (await row.textContent())!
      expect(text).toContain(weekRange(pick.weeks[n + h]!))
      expect(text).toContain(money(pick.forecast[h]!))
      expect(text).toContain(money(pick.naive[h]!))
      if (pick.lower80 && pick.upper80) expect(text).toContain(`${money(pick.lower80[h]!)} – ${money(pick.upper80[h]!)}`)
      expect(text.includes('春节前两周'), pick.weeks[n + h]).toBe(pick.springFestival[n + h])
    }
    // the chart's tooltip reads a Spring Festival week of the forecast
    const tip = await tooltipWith(page, '春节前两周')
    expect(tip).toContain('春节前两周')
    expect(tip).toMatch(/预测: ¥[\d,]+\.\d\d/)
    if (pick.lower80) expect(tip).toMatch(/80% 区间: -?¥[\d,.]+ – -?¥[\d,.]+/)
    expect(tip).toContain('季节性朴素: ¥')
    expect(await page.getByTestId('forecast-backtest').textContent()).toContain(pick.backtest!.model.smape.toFixed(1))
    const definitions = (await page.getByTestId('forecast-definitions').textContent())!
    for (const words of ['周一至周日', 'AICc', '80% 区间', '春节前两周', '最近 8 周', 'sMAPE = 平均 200·|y − ŷ| ÷ (|y| + |ŷ|)', 'MAPE = 平均 100·|y − ŷ| ÷ |y|', 'y ≠ 0']) {
      expect(definitions, words).toContain(words)
    }
    await shot(page, 'forecast-page-zh')
    await chart.screenshot({ path: `${RESULTS}/forecast-chart-zh.png` })

    // one store's departments
    const store = (await analyst.json<Array<{ id: string; code: string }>>('/api/v1/stores')).find((s) => s.code === 'SH001')!
    const sh001 = departments.find((s) => s.storeId === store.id)!
    await page.getByTestId('forecast-scope').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'SH001' }).click()
    await expect.poll(() => rowsShown(page)).toEqual(departments.filter((s) => s.storeId === sh001.storeId).slice(0, 15).map(rowId))
    expect(await page.getByTestId('forecast-export-csv').getAttribute('href')).toBe(`/api/v1/insight/forecasts/export.csv?storeId=${sh001.storeId}&lang=zh-CN`)

    // the CSV of the store: a header in Chinese, then its series' weeks
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forecast-export-csv').click()])
    expect(csv.suggestedFilename()).toBe('销售预测.csv')
    const lines = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    expect(lines[0]).toBe('层级,门店,部门/品类,周一,类型,销售额（元）,预测（元）,80%下限（元）,80%上限（元）,春节前')
    expect(lines.slice(1).every((l) => l.startsWith(`门店×部门,${sh001.storeName},`))).toBe(true)
    expect(lines.some((l) => l.includes(`,${sh001.key},${addDays(run.lastWeek, 7)},预测,`))).toBe(true)
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forecast-export-xlsx').click()])
    expect(xlsx.suggestedFilename()).toBe('销售预测.xlsx')
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK')

    // in English: the words, the export's language with them
    await page.evaluate(() => localStorage.setItem('patron.language', 'en-US'))
    await page.reload()
    await page.getByTestId('forecast-chart').locator('canvas').first().waitFor()
    expect(await page.getByTestId('forecast-title').textContent()).toContain('Sales forecast')
    expect(await page.getByTestId('forecast-horizon').textContent()).toBe(`the next ${run.horizon} weeks (${addDays(run.lastWeek, 7)} to ${addDays(run.lastWeek, 7 * run.horizon + 6)})`)
    const english = (await page.getByTestId('forecast-page').textContent())!
    for (const words of ['Last forecast', 'Last whole week', 'Forecast now', 'Next 4 weeks', 'sMAPE naive', 'Forecast weeks', 'Seasonal naive', 'Backtest', 'sMAPE = mean of 200·|y − ŷ| ÷ (|y| + |ŷ|)', 'Spring Festival fortnight']) {
      expect(english, words).toContain(words)
    }
    for (const words of ['最近一次预测', '预测各周', '春节前两周', '季节性朴素', '立即预测']) expect(english, words).not.toContain(words)
    expect(await page.getByTestId('forecast-export-csv').getAttribute('href')).toContain('lang=en-US')
    await shot(page, 'forecast-page-en')
  })

  it('forecasts again on request and follows the job until the new run is shown', async () => {
    const before = (await analyst.json<Latest>('/api/v1/insight/forecasts')).run!
    const page = await b.page()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, ANALYST)
    await page.goto('/insight/forecast')
    await expect.poll(() => page.getByTestId('forecast-run-at').textContent()).toBe(chainTime(before.runAt))
    await page.getByTestId('forecast-build').click()
    await page.getByTestId('forecast-build-ok').click()
    await page.getByTestId('forecast-building').waitFor()
    await page.getByText('销售预测已更新').waitFor({ timeout: 60_000 })
    const after = (await analyst.json<Latest>('/api/v1/insight/forecasts')).run!
    expect(after.id).not.toBe(before.id)
    expect(Date.parse(after.runAt)).toBeGreaterThan(Date.parse(before.runAt))
    await expect.poll(() => page.getByTestId('forecast-run-at').textContent()).toBe(chainTime(after.runAt))
    expect(await page.getByTestId('forecast-building').count()).toBe(0)
    await page.getByTestId('forecast-chart').locator('canvas').first().waitFor()
    await shot(page, 'forecast-rebuilt-zh')
  })

  it('shows a store manager their store’s departments only, with no store selector and no rebuild', async () => {
    const manager = await apiAs(DEMO.manager)
    const own = await manager.json<Latest>('/api/v1/insight/forecasts')
    expect(own.series.length).toBeGreaterThan(0)
    expect(own.series.every((s) => s.level === 'store_department' && s.storeId === manager.user.storeId)).toBe(true)
    // the chain's categories and other stores' series are HQ's
    const other = latest.series.find((s) => s.level === 'store_department' && s.storeId !== manager.user.storeId)!
    expect((await manager.get(`${seriesPath(other).replace(/&storeId=.*/, '')}&storeId=${other.storeId}`)).status).not.toBe(200)

    const page = await b.page()
    await signIn(page, DEMO.manager)
    await openInsight(page, '销售预测')
    await page.getByTestId('forecast-page').waitFor()
    await expect.poll(() => rowsShown(page)).toEqual(own.series.slice(0, 15).map(rowId))
    expect(await page.getByTestId('forecast-scope-fixed').textContent()).toContain('SH001')
    expect(await page.getByTestId('forecast-scope').count()).toBe(0)
    expect(await page.getByTestId('forecast-build').count()).toBe(0)
    await expect.poll(() => page.getByTestId('forecast-chart').getAttribute('data-series')).toBe(rowId(own.series[0]!))
    // the store's file, whatever the link asks
    const res = await manager.get('/api/v1/insight/forecasts/export.csv?lang=zh-CN')
    expect(res.status).toBe(200)
    const rows = (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((l) => l.startsWith(`门店×部门,${own.series[0]!.storeName},`))).toBe(true)
    await shot(page, 'forecast-manager-zh')
  })
})
