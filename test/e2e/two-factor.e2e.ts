import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-6)
// Fresh HQ administrators: the demo's admin signs in without a code in every other journey.
const sec = { username: `sec${tail}`, password: 'Sec#Patron2026x' }
const other = { username: `gate${tail}`, password: 'Gate#Patron2026x' }
let admin: Awaited<ReturnType<typeof signedInApi>>

/** The code of the step after the current one: accepted (a clock a step off) and never the one just used. */
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 })

beforeAll(async () => {
  admin = await signedInApi(b.baseUrl, DEMO.admin)
  for (const u of [sec, other]) expect((await admin('POST', '/api/v1/staff', { ...u, role: 'hq_admin', displayName: u.username })).status).toBe(201)
})

afterAll(async () => {
  // Whatever happened, the chain's policy goes back: the demo admin has no second factor.
  const back = await signedInApi(b.baseUrl, DEMO.admin).catch(() => null)
  await back?.('PUT', '/api/v1/security-settings', { requireTwoFactorForHqAdmins: false })
})

describe('two-factor sign-in', () => {
  it('is set up under 我的账号 with a QR, then sign-in asks for the code; HQ can require it, and an administrator without it only sets it up', async () => {
    const page = await b.page()
    await signIn(page, sec)
    await page.getByTestId('current-user').click()
    await page.getByTestId('account-page').waitFor()
    expect(await page.getByTestId('two-factor-state').textContent()).toBe('未开启')
    await page.getByTestId('two-factor-start').click()
    await page.getByTestId('two-factor-password').fill(sec.password)
    await page.getByTestId('two-factor-next').click()
    await page.getByTestId('two-factor-qr').waitFor()
    const secret = (await page.getByTestId('two-factor-secret').textContent())!.replace(/\s+/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    await screenshot(page, 'two-factor-setup')
    await page.getByTestId('two-factor-code').fill(await generate({ secret }))
    await page.getByTestId('two-factor-confirm').click()
    await page.getByText('两步验证已开启，下次登录时需要输入验证码').waitFor()
    await page.getByTestId('two-factor-state').getByText('已开启').waitFor()
    await screenshot(page, 'two-factor-account')

    // Signing in again: the password, then the code.
    await page.getByTestId('logout').click()
    await page.locator('#username').fill(sec.username)
    await page.locator('#password').fill(sec.password)
    await page.locator('button[type=submit]').click()
    await page.getByTestId('login-code').waitFor()
    await page.getByTestId('login-code').fill('000000')
    await page.getByTestId('login-code-submit').click()
    await page.getByText('验证码不正确、已过期或已使用过').waitFor()
    await screenshot(page, 'two-factor-login')
    await page.getByTestId('login-code').fill(await nextCode(secret))
    await page.getByTestId('login-code-submit').click()
    await page.getByTestId('side-menu').waitFor()

    // 设置 → 登录安全: require it of HQ administrators.
    await page.goto('/settings/security')
    await page.getByTestId('security-page').waitFor()
    await page.getByTestId('security-require-hq').click()
    await page.getByTestId('security-save').click()
    await page.getByText('登录安全设置已保存').waitFor()
    await screenshot(page, 'security-settings')

    // Another HQ administrator without it: only the set-up opens.
    const context = await page.context().browser()!.newContext({ baseURL: b.baseUrl, viewport: { width: 1400, height: 900 } })
    try {
      const gated = await context.newPage()
      await gated.goto('/login')
      await gated.locator('#username').fill(other.username)
      await gated.locator('#password').fill(other.password)
      await gated.locator('button[type=submit]').click()
      await gated.getByTestId('two-factor-gate').waitFor()
      await gated.goto('/members')
      await gated.getByTestId('two-factor-gate').waitFor()
      expect(await gated.getByTestId('side-menu').count()).toBe(0)
      await screenshot(gated, 'two-factor-gate')
    } finally {
      await context.close()
    }

    await page.getByTestId('security-require-hq').click()
    await page.getByTestId('security-save').click()
    await expect.poll(async () => (await admin('GET', '/api/v1/security-settings')).json?.requireTwoFactorForHqAdmins).toBe(false)

    // The staff list shows who uses it.
    await page.goto('/settings/staff')
    await page.getByTestId('staff-search').locator('input').fill(sec.username)
    await page.getByTestId(`two-factor-${sec.username}`).waitFor()
    await screenshot(page, 'two-factor-staff')
  })
})
