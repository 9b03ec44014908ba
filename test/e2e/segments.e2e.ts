import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { chooseBySearch, DEMO, openMenu, signIn, useBrowser } from './browser.js'

// The segment builder's journey (issue 12 §10): an HQ admin builds a nested segment, sees its live
// count follow each change (the same figure the API counts), saves it and issues a coupon
// template to it through the bulk issue.
const b = useBrowser()
const tail = String(Date.now()).slice(-7)
const segmentName = `女性非高价值 E2E ${tail}`
const templateName = `客群券 E2E ${tail}`
let headers: Record<string, string>

const apiJson = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${b.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}
const apiCount = async (definition: unknown) => {
  const res = await apiJson('POST', '/api/v1/insight/segments/count', { definition })
  expect(res.status).toBe(200)
  return res.json.count as number
}

const shot = async (page: Page, name: string) => {
  mkdirSync('test-results/e2e', { recursive: true })
  await page.screenshot({ path: `test-results/e2e/${name}.png`, fullPage: true })
}

/**
 * Picks an option of the antd Select with this test id. The option is typed first: the lists
 * are virtual, so an option far down (the classes come after twenty-odd fields) is not in the
 * page until the search narrows the list to it.
 */
/** The live count once it shows `expected` (it follows the conditions after a short pause). */
const liveCountIs = async (page: Page, expected: number) =>
  expect.poll(async () => (await page.getByTestId('segment-live-count').textContent())?.replace(/[,\s]/g, ''), { timeout: 15_000 }).toBe(String(expected))

const female = { field: 'gender', op: 'in', value: ['female'] }
const valuable = { any: [{ field: 'rfm_class', op: 'in', value: ['important_value'] }, { field: 'lifecycle', op: 'in', value: ['active'] }] }

beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  headers = { 'content-type': 'application/json', cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') }
  const template = await apiJson('POST', '/api/v1/coupon-templates', { name: templateName, kind: 'threshold', value: 1000, minSpend: 10_000, validDays: 30 })
  expect(template.status).toBe(201)
})

describe('segments', () => {
  it('an admin builds a nested segment with a live count, saves it and issues a coupon template to it', async () => {
    const women = await apiCount(female)
    const womenValuable = await apiCount({ all: [female, valuable] })
    const womenNotValuable = await apiCount({ all: [female, { not: valuable }] })
    expect(womenValuable + womenNotValuable).toBe(women)

    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '洞察', '客户分群')
    await page.getByTestId('segment-new').click()
    await page.getByTestId('condition-builder').waitFor()
    await page.getByTestId('segment-name').fill(segmentName)

    // 性别 是 女
    await chooseBySearch(page, 'cond-add-root', '性别')
    await chooseBySearch(page, 'cond-value-0', '女')
    await page.keyboard.press('Escape')
    await liveCountIs(page, women)

    // 且 (RFM 分类 是 重要价值客户 或 生命周期 是 活跃)
    await page.getByTestId('cond-add-group-root').click()
    await chooseBySearch(page, 'cond-add-1', 'RFM 分类')
    await chooseBySearch(page, 'cond-value-1-0', '重要价值客户')
    await page.keyboard.press('Escape')
    await chooseBySearch(page, 'cond-add-1', '生命周期')
    await chooseBySearch(page, 'cond-value-1-1', '活跃客户')
    await page.keyboard.press('Escape')
    await liveCountIs(page, womenValuable)

    // 非 (…): the count is the women outside the group
    await page.getByTestId('cond-negate-1').click()
    await page.getByTestId('cond-not-1').waitFor()
    await liveCountIs(page, womenNotValuable)
    await page.getByTestId('segment-preview').waitFor()
    await shot(page, 'segments-builder')

    await page.getByTestId('segment-save').click()
    await page.waitForURL(/\/insight\/segments\/seg_/)
    await page.getByTestId('segment-summary').waitFor()
    expect(await page.getByTestId('segment-summary').textContent()).toContain('性别是女 且 非 (RFM 分类是重要价值客户 或 生命周期是活跃客户)')
    await shot(page, 'segments-saved')

    // 发券: everyone in the segment gets one (frozen members are skipped), a second run issues nothing
    await page.getByTestId('segment-issue').click()
    await chooseBySearch(page, 'issue-template', templateName)
    await page.getByTestId('issue-run').click()
    const result = page.getByTestId('issue-result')
    await result.waitFor()
    const [issued, skipped, failed] = ((await result.textContent()) ?? '').match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')))
    expect(issued! + skipped! + failed!).toBe(womenNotValuable)
    expect(issued).toBeGreaterThan(0)
    await shot(page, 'segments-issued')
    await page.getByTestId('issue-run').click()
    await expect.poll(async () => (await result.textContent())?.match(/[\d,]+/g)?.[0]).toBe('0')
  })
})
