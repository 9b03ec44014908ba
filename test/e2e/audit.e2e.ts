/// <reference lib="dom" />
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chooseBySearch, DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()
// The page asks the server again after each filter: give a busy machine time.
const POLL = { timeout: 15_000, interval: 250 }

/** What nobody should have to read in the audit log: ids, code names of fields, untranslated kinds of record. */
const RAW = [/\b[a-z]{3}_[0-9a-z]{20,}\b/, /\b(costPoints|fellBack|drawId|prizeId|entryId|couponId|templateId|giftId|memberId)\b/, /\b(rebate_programme|gift_order|coupon_template|staff_user|pos_api_key)\b/, /\{"|"from"|"to"/]

const openAudit = async (page: Page, language: 'zh-CN' | 'en-US') => {
  await page.addInitScript((lng) => localStorage.setItem('patron.language', lng), language)
  await page.setViewportSize({ width: 1440, height: 900 })
  // Several filters, each asking the server again: a busy machine needs longer than the default.
  page.setDefaultTimeout(30_000)
  await signIn(page, DEMO.admin)
  await page.goto('/settings/audit')
  await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor()
}

/** The table and the page fit the 1440 px window: nothing scrolls sideways. */
const expectFits = async (page: Page) => {
  const widths = await page.evaluate(() => {
    const table = document.querySelector('[data-testid=audit-table] table')!
    const card = table.closest('.ant-card')!
    return { table: table.scrollWidth, card: card.clientWidth, page: document.documentElement.scrollWidth, window: window.innerWidth }
  })
  expect(widths.table).toBeLessThanOrEqual(widths.card)
  expect(widths.page).toBeLessThanOrEqual(widths.window)
}

const all = (list: string[], ok: (s: string) => boolean) => list.length > 0 && list.every(ok)


const tableText = async (page: Page) => (await page.getByTestId('audit-table').textContent()) ?? ''

describe('the audit log in words', () => {
  it('shows what the demo members did in Chinese words with names, filters by action, actor and member card, and fits 1440 px', async () => {
    const page = await b.page()
    await openAudit(page, 'zh-CN')
    await expectFits(page)
    for (const raw of RAW) expect(await tableText(page)).not.toMatch(raw)

    // By action, chosen by its words.
    await chooseBySearch(page, 'audit-filter-action', '参与抽奖')
    await page.getByTestId('audit-search').click()
    await expect.poll(async () => new Set(await page.getByTestId('audit-action').allTextContents()), POLL).toEqual(new Set(['参与抽奖']))
    const text = await tableText(page)
    expect(text).toContain('抽奖活动: 春季幸运大抽奖')
    expect(text).toMatch(/会员：\S+（\d{16}）/)
    expect(text).toMatch(/结果: (中奖|未中奖)/)
    for (const raw of RAW) expect(text).not.toMatch(raw)
    await page.screenshot({ path: 'test-results/e2e/audit-zh-CN.png' })

    // By member: the card number typed into the member box.
    const card = /（(\d{16})）/.exec(text)![1]!
    await page.getByTestId('audit-reset').click()
    await page.getByTestId('audit-filter-member').fill(card)
    await page.getByTestId('audit-search').click()
    await page.getByTestId('audit-entity-filter').waitFor()
    await expect.poll(async () => all(await page.getByTestId('audit-entity').allTextContents(), (e) => e.includes(card)), POLL).toBe(true)
    expect(page.url()).toContain('entityType=member')

    // By actor: part of a username, in any case.
    await page.getByTestId('audit-reset').click()
    // The form shows the URL's filters once it changes: type after that.
    await page.getByTestId('audit-entity-filter').waitFor({ state: 'detached' })
    await expect.poll(() => page.url(), POLL).not.toContain('entityId')
    await page.getByTestId('audit-filter-actor').fill('SEED-DE')
    await page.getByTestId('audit-search').click()
    await expect.poll(async () => all(await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').allTextContents(), (r) => r.includes('seed-demo')), POLL).toBe(true)
    await expectFits(page)
  }, 180_000)

  it('reads in English too, gift orders and coupons included', async () => {
    const page = await b.page()
    await openAudit(page, 'en-US')
    await chooseBySearch(page, 'audit-filter-entity-type', 'Gift order')
    await page.getByTestId('audit-search').click()
    const orderActions = ['Redeemed a gift for points', 'Gift collected', 'Cancelled a gift order']
    await expect.poll(async () => all(await page.getByTestId('audit-action').allTextContents(), (a) => orderActions.includes(a)), POLL).toBe(true)
    expect(new Set(await page.getByTestId('audit-action').allTextContents()).size).toBeGreaterThan(1)
    const text = await tableText(page)
    expect(text).toMatch(/Gift order: G\w+/)
    expect(text).toMatch(/Member: \S+（\d{16}）/)
    for (const raw of RAW) expect(text).not.toMatch(raw)
    expect(text).not.toMatch(/[\u4e00-\u9fff]+: /) // field names in English, not Chinese
    await expectFits(page)
    await page.screenshot({ path: 'test-results/e2e/audit-en-US.png' })
  }, 120_000)
})

describe("a store manager manages their store's staff", () => {
  it('creates a cashier for their store, who can then sign in, and may not make a manager', async () => {
    const page = await b.page()
    await signIn(page, DEMO.manager)
    await page.goto('/settings/staff')
    await page.getByTestId('create-user').click()
    const username = `till${String(Date.now()).slice(-6)}`
    await page.getByTestId('user-username').fill(username)
    await page.getByTestId('user-display-name').fill('新收银员')
    await page.getByTestId('user-password').fill('Lantern-river-58')
    await page.getByTestId('user-role').click()
    // The dropdown opens a frame after the click: wait for its options before reading them.
    const roleOptions = page.locator('.ant-select-dropdown:visible .ant-select-item-option')
    await expect.poll(() => roleOptions.allTextContents(), POLL).toEqual(['收银员', '客服'])
    await roleOptions.first().click()
    expect(await page.getByTestId('user-store').count()).toBe(0)
    await page.getByTestId('user-form-submit').click()
    await page.getByTestId('staff-table').getByText(username).waitFor()
    await page.getByTestId(`reset-user-${username}`).waitFor()
    // Another manager of the store is listed but not managed here.
    expect(await page.getByTestId(`reset-user-${DEMO.manager.username}`).count()).toBe(0)
  })
})
