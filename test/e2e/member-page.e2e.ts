import type { Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

// The member's own page (/m/) in a phone's viewport, the journey of issue 17's "Done when": scan a
// store's registration poster (open its URL), register with the code from the sandbox's message
// log, see the welcome coupon, show the card QR and have the till screen take it, see the points
// of that sale, file a suggestion, answer a survey, change a consent, download my data.

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
// A phone no demo member has (the demo draws 199 + eight random digits).
const phone = `1993${tail}`
const product = { sku: `E2E-M-${tail}`, name: '会员页测试酸奶', barcode: `68${tail}0002`, listPrice: 6800 }
let admin: Awaited<ReturnType<typeof signedInApi>>

beforeAll(async () => {
  admin = await signedInApi(b.baseUrl, DEMO.admin)
  expect((await admin('POST', '/api/v1/products', product)).status).toBe(201)
})

/** The six digits of the newest text message to the phone, as the sandbox's message log (营销 → 消息记录) shows it. */
const codeFromLog = async () => {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`
  let code: string | undefined
  await expect.poll(async () => {
    const sms = (await admin('GET', '/api/v1/marketing/messages?channel=sms&limit=20')).json.items as Array<{ recipient: string; body: string }>
    code = /(\d{6})/.exec(sms.find((m) => m.recipient === masked)?.body ?? '')?.[1]
    return code
  }).toMatch(/^\d{6}$/)
  return code!
}

/** Opens a page of the member's page by its tab bar or a card entry, and waits for it. */
const open = async (page: Page, path: string, testId: string) => {
  await page.goto(`/m${path}`)
  await page.getByTestId(testId).waitFor()
}

describe("the member's own page", () => {
  it('registers by a store poster, shows the welcome coupon, has its card QR taken at the till and shows that sale, takes a suggestion, a survey, a consent, and hands over the data', async () => {
    // The poster: the store manager prints SH001's, a clerk's own (门店 → 注册海报); its QR holds the page's URL.
    const sh001 = ((await admin('GET', '/api/v1/stores')).json as unknown as Array<{ id: string; code: string; name: string }>).find((s) => s.code === 'SH001')!
    const desk = await b.page()
    await signIn(desk, DEMO.manager)
    await desk.goto('/stores')
    await desk.getByTestId('poster-SH001').click()
    await desk.getByTestId('registration-poster').waitFor()
    expect(await desk.getByTestId('registration-poster').getAttribute('data-url')).toMatch(/\/m\/register\?store=SH001$/)
    await desk.getByTestId('poster-clerk').click()
    await desk.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'cashier.sh001' }).click()
    await desk.getByTestId('poster-clerk-name').waitFor()
    const clerkUrl = (await desk.getByTestId('registration-poster').getAttribute('data-url'))!
    expect(clerkUrl).toMatch(/\/m\/register\?store=SH001&clerk=cashier\.sh001$/)
    await screenshot(desk, 'member-page-poster')

    const phonePage = await b.page({ phone: true })
    await phonePage.goto(clerkUrl.replace(/^https?:\/\/[^/]+/, ''))
    await phonePage.getByTestId('poster-store').getByText(sh001.name).waitFor()
    await phonePage.getByTestId('phone').fill(phone)
    await phonePage.getByTestId('send-code').click()
    await phonePage.getByTestId('code').fill(await codeFromLog())
    await phonePage.getByTestId('name').fill('会员页测试')
    await phonePage.getByTestId('consent-sms').check()
    await phonePage.getByTestId('agree').check()
    await screenshot(phonePage, 'member-page-register')
    await phonePage.getByTestId('register-submit').click()
    await phonePage.getByTestId('welcome').waitFor()
    await phonePage.getByTestId('card-qr').waitFor()

    // The welcome coupon (issued by the registration's job) under 优惠券.
    await phonePage.getByTestId('tab-tabCoupons').click()
    await expect.poll(async () => {
      await phonePage.reload()
      await phonePage.getByTestId('coupons-page').waitFor()
      return phonePage.getByTestId('coupon').count()
    }, { timeout: 30_000 }).toBeGreaterThan(0)
    await phonePage.getByTestId('coupon').first().click()
    await phonePage.getByTestId('coupon-qr').waitFor()
    await screenshot(phonePage, 'member-page-coupons')
    await phonePage.getByRole('dialog').getByRole('button', { name: '关闭' }).click()

    // The card QR, taken by the till screen as the member.
    await phonePage.getByTestId('tab-tabCard').click()
    const qr = (await phonePage.getByTestId('card-qr').getAttribute('data-qr'))!
    expect(qr).toMatch(/^PM1:/)
    await screenshot(phonePage, 'member-page-card')
    const till = await b.page()
    await signIn(till, DEMO.cashier)
    await till.goto('/till')
    await till.getByTestId('till-member-input').fill(qr)
    await till.getByTestId('till-member-input').press('Enter')
    await till.getByTestId('till-member').waitFor()
    expect(await till.getByTestId('till-member').textContent()).toContain('会*')
    await till.getByTestId('till-item-input').locator('input').fill(product.barcode)
    await till.getByTestId('till-item-input').locator('input').press('Enter')
    await till.getByTestId('till-basket').getByText(product.name).waitFor()
    await till.locator('[data-testid=till-quote][data-stale=false]').waitFor()
    await till.keyboard.press('F9')
    await till.getByTestId('till-payment').waitFor()
    await till.getByTestId('till-confirm').click()
    await till.getByTestId('till-result').waitFor()
    const earned = Number((await till.getByTestId('till-result-points').textContent())!.replace(/[^\d]/g, ''))
    expect(earned).toBeGreaterThan(0)

    // The points of that sale on the phone: the balance, the ledger entry, the receipt with its line.
    await open(phonePage, '/points', 'points-page')
    await expect.poll(() => phonePage.getByTestId('balance').textContent()).toBe(earned.toLocaleString('en-US'))
    expect(await phonePage.getByTestId('ledger-entry').first().textContent()).toContain(`+${earned}`)
    await screenshot(phonePage, 'member-page-points')
    await phonePage.goto('/m/receipts')
    await phonePage.getByTestId('receipt').first().click()
    await phonePage.getByTestId('receipt-detail').getByText(product.name).waitFor()
    expect(await phonePage.getByTestId('receipt-detail').textContent()).toContain('¥68.00')

    // A suggestion, then its status in the list.
    await open(phonePage, '/feedback', 'feedback-page')
    await phonePage.getByTestId('new-suggestion').click()
    await phonePage.getByTestId('feedback-text').fill('希望周末早上多备一些新鲜面包。')
    await phonePage.getByTestId('feedback-submit').click()
    await phonePage.getByTestId('feedback-item').first().getByText('希望周末早上多备一些新鲜面包。').waitFor()
    expect(await phonePage.getByTestId('feedback-item').first().textContent()).toContain('已收到')

    // The first purchase brings the running survey's invitation; it is answered once.
    await expect.poll(async () => {
      await open(phonePage, '/surveys', 'surveys-page')
      await phonePage.waitForLoadState('networkidle')
      return phonePage.getByTestId('survey').count()
    }, { timeout: 30_000 }).toBeGreaterThan(0)
    await phonePage.getByTestId('survey').first().click()
    const form = phonePage.getByTestId('survey-form')
    await form.waitFor()
    // Every question answered as its kind asks: the top of each scale, the first choice, a line of text.
    for (const q of await form.locator('.question').all()) {
      const scales = q.locator('.scale')
      for (const scale of await scales.all()) await scale.locator('button').last().click()
      const choice = q.locator('input[type=radio], input[type=checkbox]').first()
      if (await choice.count()) await choice.check()
      const text = q.locator('textarea')
      if (await text.count()) await text.fill('收银很快，谢谢。')
    }
    await screenshot(phonePage, 'member-page-survey')
    await form.getByTestId('survey-submit').click()
    await phonePage.getByTestId('toast').getByText('感谢').waitFor()
    await phonePage.getByTestId('surveys-page').waitFor()
    await expect.poll(() => phonePage.getByTestId('survey-form').count()).toBe(0)

    // The profile: a change saved comes back as the form's new starting point (nothing left to save).
    await open(phonePage, '/profile', 'profile-form')
    expect(await phonePage.getByTestId('profile-save').isDisabled()).toBe(true)
    await phonePage.getByTestId('profile-occupation').selectOption('professional')
    await phonePage.getByTestId('profile-district').fill('徐汇区')
    await phonePage.getByTestId('profile-save').click()
    await phonePage.getByTestId('toast').getByText('已保存').waitFor()
    await expect.poll(() => phonePage.getByTestId('profile-save').isDisabled()).toBe(true)
    expect(await phonePage.getByTestId('profile-district').inputValue()).toBe('徐汇区')
    await screenshot(phonePage, 'member-page-profile')
    const saved = (await admin('POST', '/api/v1/members/lookup', { phone })).json as { occupation?: string | null; district?: string | null }
    expect({ occupation: saved.occupation, district: saved.district }).toEqual({ occupation: 'professional', district: '徐汇区' })

    // A consent with one tap: recorded with the source member_page.
    await open(phonePage, '/consents', 'consents-page')
    await phonePage.getByTestId('consent-wechat').click()
    await phonePage.getByTestId('toast').getByText('已保存').waitFor()
    expect(await phonePage.getByTestId('consent-wechat').isChecked()).toBe(true)
    const member = (await admin('POST', '/api/v1/members/lookup', { phone })).json
    const consents = (await admin('GET', `/api/v1/members/${member.id}/consents/history`)).json
    const history = (Array.isArray(consents) ? consents : consents.items ?? []) as Array<{ channel: string; granted: boolean; source: string }>
    expect(history.some((c) => c.channel === 'wechat' && c.granted && c.source === 'member_page')).toBe(true)

    // My data: a zip of everything held on me.
    await open(phonePage, '/privacy', 'privacy-page')
    const [download] = await Promise.all([phonePage.waitForEvent('download'), phonePage.getByTestId('download-data').click()])
    expect(download.suggestedFilename()).toMatch(/\.zip$/)
    const bytes = readFileSync((await download.path())!)
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')
    await screenshot(phonePage, 'member-page-privacy')

    // Signing out leaves nothing of the member on the page: the sign-in, and /me refused.
    await open(phonePage, '/mine', 'mine-page')
    await phonePage.getByTestId('sign-out').click()
    await phonePage.getByTestId('sign-in').waitFor()
    expect((await phonePage.request.get('/api/v1/me')).status()).toBe(401)
  })
})
