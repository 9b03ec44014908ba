import { mkdirSync, readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { chooseBySearch, DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const RESULTS = 'test-results/e2e'
const ANALYST = { username: 'analyst', password: 'Demo#2026' }

const apiAs = async (who: { username: string; password: string }) => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  return async <T>(path: string): Promise<T> => {
    const res = await fetch(`${b.baseUrl}${path}`, { headers: { cookie } })
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
}

interface Rfm { scored: number; members: number; classes: Array<{ class: string; members: number }> }
interface Quadrants { members: number; quadrants: Array<{ quadrant: string; members: number }> }

let chain: { rfm: Rfm; quadrants: Quadrants }
let store: { rfm: Rfm; quadrants: Quadrants }
/** The store manager's quadrant figures as the API gives them now (a refresh may run while the tests do). */
let storeQuadrantsNow: () => Promise<Quadrants>

const count = (n: number) => n.toLocaleString('en-US')

const shot = async (page: Page, name: string) => {
  mkdirSync(RESULTS, { recursive: true })
  // the charts draw on a canvas after their chunk loads: give them a moment
  await page.waitForTimeout(800)
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true })
}

const openInsight = (page: Page, menu: string) => openMenu(page, '洞察', menu)

beforeAll(async () => {
  // What the API says the chain and the store hold: the pages must show the same figures.
  const asAnalyst = await apiAs(ANALYST)
  const asManager = await apiAs(DEMO.manager)
  chain = { rfm: await asAnalyst<Rfm>('/api/v1/insight/rfm'), quadrants: await asAnalyst<Quadrants>('/api/v1/insight/quadrants') }
  store = { rfm: await asManager<Rfm>('/api/v1/insight/rfm'), quadrants: await asManager<Quadrants>('/api/v1/insight/quadrants') }
  storeQuadrantsNow = () => asManager<Quadrants>('/api/v1/insight/quadrants')
})

describe('insight: RFM and value quadrants in the console', () => {
  it('has figures for the demo chain, and a store manager’s store is a part of them', () => {
    expect(chain.rfm.scored).toBeGreaterThan(0)
    expect(chain.quadrants.members).toBeGreaterThan(0)
    expect(store.quadrants.members).toBeGreaterThan(0)
    expect(store.quadrants.members).toBeLessThan(chain.quadrants.members)
  })

  it('shows an analyst the chain’s RFM classes and value quadrants with their definitions', async () => {
    const page = await b.page()
    await signIn(page, ANALYST)

    await openInsight(page, 'RFM 分析')
    await page.getByTestId('rfm-classes').waitFor()
    await expect.poll(() => page.getByTestId('rfm-scored').textContent()).toBe(count(chain.rfm.scored))
    const top = chain.rfm.classes.find((c) => c.class === 'important_value')!
    expect(await page.getByTestId('rfm-class-important_value').textContent()).toContain('重要价值客户')
    expect(await page.getByTestId('rfm-class-important_value').textContent()).toContain(count(top.members))
    expect(await page.getByTestId('rfm-cuts').locator('tbody tr').count()).toBe(5)
    await page.getByTestId('rfm-heatmap').locator('canvas').first().waitFor()
    expect(await page.getByTestId('insight-freshness').textContent()).toMatch(/数据截至 \d{4}-\d{2}-\d{2} · 最近刷新/)
    await page.getByTestId('rfm-classes-help').hover()
    await expect.poll(() => page.getByTestId('rfm-classes-help-text').textContent()).toContain('平均')
    await shot(page, 'insight-rfm-analyst')

    // the classes table as CSV: the header in the page's words, a row per class with its figures
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rfm-classes-export-csv').click()])
    expect(csv.suggestedFilename()).toMatch(/^rfm-classes-chain-\d{4}-\d{2}-\d{2}\.csv$/)
    const lines = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toContain('客户类别,R / F / M,会员数')
    expect(lines).toHaveLength(9)
    expect(lines[1]).toMatch(new RegExp(`^重要价值客户,R↑ F↑ M↑,${top.members},`))
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rfm-classes-export-xlsx').click()])
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/)
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK')

    await openInsight(page, '价值象限')
    await page.getByTestId('quadrants-table').waitFor()
    await expect.poll(() => page.getByTestId('quadrants-members').textContent()).toBe(count(chain.quadrants.members))
    const unknown = chain.quadrants.quadrants.find((q) => q.quadrant === 'unknown')!
    expect(await page.getByTestId('quadrants-unknown').textContent()).toBe(count(unknown.members))
    for (const name of ['核心客户', '重点发展客户', '可发展客户', '放弃发展客户', '未填收入']) {
      expect(await page.getByTestId('quadrants-table').textContent()).toContain(name)
    }
    expect(await page.getByTestId('quadrants-thresholds').textContent()).toContain('及以上为高收入')
    await page.getByTestId('quadrants-chart').locator('canvas').first().waitFor()
    await shot(page, 'insight-quadrants-analyst')
  })

  it('shows a store manager only their store, with no store filter, and figures smaller than the chain’s', async () => {
    const page = await b.page()
    await signIn(page, DEMO.manager)

    await openInsight(page, 'RFM 分析')
    await page.getByTestId('rfm-classes').waitFor()
    await expect.poll(() => page.getByTestId('rfm-scored').textContent()).toBe(count(store.rfm.scored))
    expect(store.rfm.scored).not.toBe(chain.rfm.scored)
    expect(await page.getByTestId('rfm-scope-fixed').textContent()).toContain('本店')
    expect(await page.getByTestId('rfm-scope-store').count()).toBe(0)
    await shot(page, 'insight-rfm-store-manager')

    await openInsight(page, '价值象限')
    await page.getByTestId('quadrants-table').waitFor()
    await expect.poll(() => page.getByTestId('quadrants-members').textContent()).toBe(count(store.quadrants.members))
    expect(await page.getByTestId('quadrants-scope-fixed').textContent()).toContain('本店')
    await shot(page, 'insight-quadrants-store-manager')
  })

  it('lets an analyst narrow the chain to one store and see that store’s figures', async () => {
    const page = await b.page()
    await signIn(page, ANALYST)
    await page.goto('/insight/quadrants')
    await expect.poll(() => page.getByTestId('quadrants-members').textContent()).toBe(count(chain.quadrants.members))
    await chooseBySearch(page, 'quadrants-scope-store', 'SH001')
    // Against the store manager's figure read now: another journey's sale at SH001 may have been
    // refreshed into the figures since the file began (CI saw 47 on the page where 46 was read first).
    await expect.poll(async () => {
      const shown = await page.getByTestId('quadrants-members').textContent()
      const api = count((await storeQuadrantsNow()).members)
      return shown === api ? 'as the API' : `${shown} shown, ${api} from the API`
    }).toBe('as the API')
  })

  it('shows an analyst the 80/20 curve, the lifecycle and the settings with the derived values, in Chinese and in English', async () => {
    const page = await b.page()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, ANALYST)
    await openInsight(page, '二八分析')
    await page.getByTestId('pareto-chart').locator('canvas').first().waitFor()
    expect(await page.getByTestId('pareto-top20').textContent()).toMatch(/^\d+\.\d%$/)
    await shot(page, 'insight-pareto-zh')
    await openInsight(page, '生命周期')
    await page.getByTestId('lifecycle-stages').waitFor()
    await page.getByTestId('lifecycle-trend').locator('canvas').first().waitFor()
    expect(await page.getByTestId('lifecycle-thresholds').textContent()).toContain('天')
    await shot(page, 'insight-lifecycle-zh')
    await openInsight(page, '洞察设置')
    await page.getByTestId('settings-window-days').waitFor()
    await shot(page, 'insight-settings-zh')

    // a window of -3 days is refused on the field, and nothing is saved
    await page.getByTestId('settings-window-days').fill('-3')
    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.locator('.ant-form-item-explain-error').first().textContent()).toBe('不能小于 1')
    const asAnalyst = await apiAs(ANALYST)
    expect((await asAnalyst<{ settings: { windowDays: number } }>('/api/v1/insight/settings')).settings.windowDays).toBe(365)

    // 客户价值预测: the fit the demo seed made (BG/NBD and Gamma-Gamma), as the API has it.
    const clv = await asAnalyst<{ fit: { result: { r: number } } | null; totals: { members: number } }>('/api/v1/insight/clv/overview')
    expect(clv.fit).not.toBeNull()
    await openInsight(page, '客户价值预测')
    await page.getByTestId('clv-fit').waitFor()
    expect(await page.getByTestId('clv-scored').textContent()).toContain(count(clv.totals.members))
    expect(await page.getByTestId('clv-fit').textContent()).toContain(`r ${Number(clv.fit!.result.r.toPrecision(4))}`)
    await page.getByTestId('clv-bands').locator('canvas').first().waitFor()
    await shot(page, 'insight-clv-zh')

    await page.evaluate(() => localStorage.setItem('patron.language', 'en-US'))
    for (const [path, testId, name] of [
      ['/insight/clv', 'clv-fit', 'insight-clv-en'],
      ['/insight/rfm', 'rfm-classes', 'insight-rfm-en'],
      ['/insight/quadrants', 'quadrants-table', 'insight-quadrants-en'],
      ['/insight/pareto', 'pareto-chart', 'insight-pareto-en'],
      ['/insight/lifecycle', 'lifecycle-stages', 'insight-lifecycle-en'],
      ['/insight/settings', 'insight-settings-form', 'insight-settings-en'],
    ] as const) {
      await page.goto(path)
      await page.getByTestId(testId).waitFor()
      await shot(page, name)
    }
    expect(await page.getByTestId('insight-settings-title').textContent()).toContain('Insight settings')
  })

  it('tells a store manager, whose store has no mined rules yet, how to mine them', async () => {
    // A store role sees only its store's runs: none yet (the daily run mines the whole chain).
    const page = await b.page()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, DEMO.manager)
    await openInsight(page, '关联规则')
    await page.getByTestId('rules-empty').waitFor()
    expect(await page.getByTestId('rules-empty').textContent()).toContain('尚未挖掘关联规则')
    expect(await page.getByTestId('rules-store-fixed').textContent()).toContain('本店')
    expect(await page.getByTestId('rules-store').count()).toBe(0)
    await shot(page, 'insight-rules-empty-zh')
  })

  it('mines the demo chain’s association rules by category and browses them, in Chinese and in English', async () => {
    interface Run { id: string; level: string; storeId: string | null; minSupport: number; baskets: number; rules: number; createdBy: string }
    interface RulesPage { run: Run | null; total: number; rules: Array<{ antecedent: Array<{ label: string }>; consequent: Array<{ label: string }>; confidence: number; lift: number }> }
    const numberIn = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''))
    const rows = (page: Page) => page.getByTestId('rules-table').locator('tbody tr.ant-table-row')
    const columnValues = async (page: Page, column: number) => (await rows(page).locator(`td:nth-child(${column})`).allTextContents()).map(numberIn)

    const page = await b.page()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, ANALYST)
    await openInsight(page, '关联规则')
    await page.getByTestId('rules-mine-form').waitFor()
    await page.getByTestId('rules-level').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^品类$/ }).click()
    await page.locator('[data-testid="rules-min-support"] input, input[data-testid="rules-min-support"]').fill('1')
    await page.getByTestId('rules-mine').click()
    // mining is a queued job: the demo seed's run shows until it is done and the page selects the new one
    await page.getByText(/^挖掘完成：[\d,]+ 条规则$/).waitFor({ timeout: 30_000 })
    await expect.poll(() => rows(page).count(), { timeout: 30_000 }).toBeGreaterThan(0)

    // The run the page shows is the one just mined, with the API's figures.
    const asAnalyst = await apiAs(ANALYST)
    const { runs } = await asAnalyst<{ runs: Run[] }>('/api/v1/insight/rules/runs')
    // the console's mining runs as a job, which stores the run as the analyst's (the seed's run is at 2 %)
    const mined = runs.find((r) => r.createdBy === ANALYST.username && r.level === 'category' && r.minSupport === 0.01 && r.storeId === null)!
    expect(mined).toBeDefined()
    expect(mined.rules).toBeGreaterThan(0)
    const first = await asAnalyst<RulesPage>(`/api/v1/insight/rules?runId=${mined.id}&limit=20`)
    await expect.poll(() => page.getByTestId('rules-count').textContent()).toBe(count(mined.rules))
    expect(await page.getByTestId('rules-baskets').textContent()).toBe(count(mined.baskets))
    expect(await page.getByTestId('rules-run').textContent()).toContain(`品类 · `)
    expect(await page.getByTestId('rules-total').textContent()).toContain(count(first.total))
    const top = first.rules[0]!
    const firstRow = await rows(page).first().textContent()
    for (const item of [...top.antecedent, ...top.consequent]) expect(firstRow).toContain(item.label)
    expect(firstRow).toContain(top.lift.toFixed(2))
    // sorted by lift, then (by the column's sorter) by confidence, each highest first
    const lifts = await columnValues(page, 8)
    expect(lifts).toEqual([...lifts].sort((x, y) => y - x))
    await page.getByTestId('rules-table').locator('th').filter({ hasText: '置信度' }).click()
    await expect.poll(async () => {
      const confidences = await columnValues(page, 7)
      return confidences.length > 1 && confidences.join() === [...confidences].sort((x, y) => y - x).join()
    }).toBe(true)
    await page.getByTestId('rules-chart').locator('canvas').first().waitFor()
    await page.getByTestId('rules-help').hover()
    await expect.poll(() => page.getByTestId('rules-help-text').textContent()).toContain('提升度 = 置信度 ÷ 右边商品的支持度')
    await shot(page, 'insight-rules-zh')

    // a click on an item keeps the rules with it only
    const tag = rows(page).first().locator('td:nth-child(4) .ant-tag').first()
    const item = (await tag.textContent())!
    await tag.click()
    await expect.poll(async () => (await rows(page).allTextContents()).every((text) => text.includes(item))).toBe(true)
    const withItem = await asAnalyst<RulesPage>(`/api/v1/insight/rules?runId=${mined.id}&item=${encodeURIComponent(item)}&limit=1`)
    await expect.poll(() => page.getByTestId('rules-total').textContent()).toContain(count(withItem.total))
    await shot(page, 'insight-rules-item-zh')

    await page.evaluate(() => localStorage.setItem('patron.language', 'en-US'))
    await page.goto('/insight/rules')
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0)
    expect(await page.getByTestId('rules-title').textContent()).toContain('Association rules')
    expect(await page.getByTestId('rules-run').textContent()).toContain('Category · ')
    const headers = await page.getByTestId('rules-table').locator('thead').textContent()
    for (const word of ['If bought', 'Also bought', 'Baskets', 'Support', 'Confidence', 'Lift']) expect(headers).toContain(word)
    await page.getByTestId('rules-chart').locator('canvas').first().waitFor()
    await shot(page, 'insight-rules-en')
  })
})
