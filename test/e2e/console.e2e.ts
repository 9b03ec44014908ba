import { describe, expect, it } from 'vitest'
import { DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()

describe('signing in and the shell', () => {
  it('shows the error for a wrong password, then signs in to the dashboard with real figures', async () => {
    const page = await b.page()
    await page.goto('/')
    await page.waitForURL('**/login')
    await page.locator('#username').fill('admin')
    await page.locator('#password').fill('not-the-password')
    await page.locator('button[type=submit]').click()
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误')
    await page.locator('#password').fill(DEMO.admin.password)
    await page.locator('button[type=submit]').click()
    await page.getByTestId('stat-total').waitFor()
    // The demo chain has 300 members; other journeys may have added a few.
    const total = Number((await page.getByTestId('stat-total').textContent())!.replace(/\D/g, ''))
    expect(total).toBeGreaterThanOrEqual(300)
    expect(total).toBeLessThan(320)
    await page.locator('canvas').first().waitFor()
  })

  it('switches the language to English and remembers it after a reload', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    expect(await page.getByTestId('side-menu').textContent()).toContain('会员')
    await page.getByTestId('language-switch').hover()
    await page.getByRole('menuitem', { name: 'English' }).click()
    await page.getByTestId('side-menu').getByText('Dashboard').waitFor()
    await page.reload()
    await page.getByTestId('side-menu').getByText('Dashboard').waitFor()
    expect(await page.getByTestId('side-menu').textContent()).not.toContain('概览')
  })

  it("leaves out of a cashier's menu what a cashier may not use", async () => {
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    const menu = page.getByTestId('side-menu')
    await menu.getByText('会员').first().click()
    const text = await menu.textContent()
    expect(text).toContain('会员注册')
    for (const hidden of ['会员导入', '员工管理', '审计日志', '设置']) expect(text).not.toContain(hidden)
    expect(await page.getByTestId('current-user').textContent()).toContain('收银员')
  })

  it('shows a retry instead of a blank page when the server fails, and recovers on retry', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.route('**/api/v1/dashboard/members', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"INTERNAL","message":"boom","details":[]}}' }))
    await page.goto('/')
    await page.getByText('服务器出错了，请稍后重试').waitFor()
    await page.unroute('**/api/v1/dashboard/members')
    await page.getByRole('button', { name: /重\s?试/ }).click()
    await page.getByTestId('stat-total').waitFor()
  })

  it('shows a retry when the network is down', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.route('**/api/v1/dashboard/members', (route) => route.abort('internetdisconnected'))
    await page.goto('/')
    await page.getByText('网络异常，请检查连接后重试').waitFor()
    expect(await page.getByRole('button', { name: /重\s?试/ }).count()).toBe(1)
  })
})
