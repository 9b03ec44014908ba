import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, inject, onTestFailed } from 'vitest'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const RESULTS = 'test-results/e2e'

export const DEMO = {
  admin: { username: 'admin', password: 'Hq#Patron2026' },
  cashier: { username: 'cashier.sh001', password: 'Demo#2026' },
  manager: { username: 'manager.sh001', password: 'Demo#2026' },
}

/**
 * A headless Chromium for the file and a fresh context (cookies, storage) per test; on a
 * failure the page is saved as a screenshot in test-results/e2e.
 */
export const useBrowser = () => {
  let browser: Browser
  let contexts: BrowserContext[] = []
  const baseUrl = inject('baseUrl')
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    })
  })
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()))
    contexts = []
  })
  afterAll(async () => browser?.close())

  return {
    baseUrl,
    /**
     * A new page in a new context (its own cookies), screenshotted if the current test fails: a
     * desktop's, or with `phone` a phone's (390 × 844, touch, zh-CN), for the member's page.
     */
    async page({ phone = false }: { phone?: boolean } = {}): Promise<Page> {
      const context = await browser.newContext(phone
        ? { baseURL: baseUrl, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', acceptDownloads: true }
        : { baseURL: baseUrl, viewport: { width: 1400, height: 900 } })
      contexts.push(context)
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      onTestFailed(async ({ task }) => {
        mkdirSync(RESULTS, { recursive: true })
        await page.screenshot({ path: `${RESULTS}/${task.name.replace(/[^\w-]+/g, '_').slice(0, 80)}${phone ? '-phone' : ''}.png`, fullPage: true }).catch(() => {})
      })
      return page
    },
  }
}

/** Signs in through the login page and waits for the dashboard. */
export const signIn = async (page: Page, who: { username: string; password: string }) => {
  await page.goto('/login')
  await page.locator('#username').fill(who.username)
  await page.locator('#password').fill(who.password)
  await page.locator('button[type=submit]').click()
  await page.getByTestId('side-menu').waitFor()
}

/**
 * Opens a page from a group of the side menu (e.g. 洞察 → 会员标签) and waits until the menu marks
 * it as the current page. A click on the group while its submenu is still opening closes it again,
 * and a click that lands during the animation can hit a neighbour: either is tried again (three
 * times), so a busy machine does not leave the test on the wrong page.
 */
export const openMenu = async (page: Page, group: string, item: string) => {
  const side = page.getByTestId('side-menu')
  const entry = side.getByText(item, { exact: true })
  const current = side.locator('.ant-menu-item-selected').getByText(item, { exact: true })
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await entry.isVisible())) await side.getByText(group, { exact: true }).click({ timeout: 5_000 })
      await entry.click({ timeout: 5_000 })
      await current.waitFor({ timeout: 5_000 })
      return
    } catch (err) {
      if (attempt === 3) throw err
    }
  }
}

/**
 * Picks an option of an antd Select and waits until the select shows it: a click that lands while
 * the dropdown is still opening is lost on a busy machine (or lands on the form behind it, which
 * closes the dropdown), so the pick is tried again (four times), opening the dropdown if it is shut.
 */
export const choose = async (page: Page, select: Locator, text: string) => {
  const dropdown = page.locator('.ant-select-dropdown:visible')
  for (let attempt = 0; attempt < 4 && !(await select.textContent())?.includes(text); attempt++) {
    if ((await dropdown.count()) === 0) await select.click()
    await dropdown.getByText(text, { exact: true }).first().click({ timeout: 5_000 }).catch(() => undefined)
    await expect.poll(() => select.textContent(), { timeout: 3_000 }).toContain(text).catch(() => undefined)
  }
  await expect.poll(() => select.textContent()).toContain(text)
}

/**
 * Picks an option of the antd Select with this test id by typing it first: its list is virtual, so
 * an option further down is not on the page until the typing filters it in.
 */
export const chooseBySearch = async (page: Page, testId: string, option: string) => {
  await page.getByTestId(testId).click()
  await page.keyboard.type(option)
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click()
}

/** Saves the whole page as test-results/e2e/<name>.png, to look at after the run. */
export const screenshot = async (page: Page, name: string) => {
  mkdirSync(RESULTS, { recursive: true })
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true })
}

/** An API caller signed in as `who`, for checking beside what a page shows. */
export const signedInApi = async (baseUrl: string, who: { username: string; password: string }) => {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) })
  if (login.status !== 200) throw new Error(`sign-in of ${who.username} failed: ${login.status}`)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie }, body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, any> }
  }
}
