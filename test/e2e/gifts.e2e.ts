/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
const giftName = `E2E 保温杯 ${tail}`
let member: { id: string; cardNo: string }
let headers: Record<string, string>

// A small PNG: the server checks the picture by its bytes.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

const apiJson = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${b.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

// A member of our own with points, so the journey does not depend on the demo's balances.
beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  headers = { 'content-type': 'application/json', cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') }
  const created = await apiJson('POST', '/api/v1/members', { phone: `1994${tail}`, name: '换购测试' })
  expect(created.status).toBe(201)
  member = (created.json as { member: { id: string; cardNo: string } }).member
  expect((await apiJson('POST', `/api/v1/members/${member.id}/points/adjustments`, { points: 5000, reason: '换购测试积分' })).status).toBe(201)
})

describe('gifts for points', () => {
  it('an admin adds a gift with a picture and stock, redeems it for a member at the member page, and the counter confirms the pick-up', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '权益', '积分换购')

    // The catalogue: a new gift, centrally stocked, with a picture.
    await page.getByTestId('gift-add').click()
    await page.getByTestId('gift-name').fill(giftName)
    await page.getByTestId('gift-points').fill('1200')
    await page.getByTestId('gift-initial-stock').fill('3')
    await page.getByTestId('gift-form').locator('input[type=file]').setInputFiles({ name: 'cup.png', mimeType: 'image/png', buffer: PNG })
    await page.getByTestId('gift-picture-preview').waitFor()
    await page.getByTestId('gift-submit').click()
    const row = page.getByTestId('gifts-table').locator('tr', { hasText: giftName })
    await row.getByText('可兑 3 / 待取 0 / 已取 0').waitFor()
    // The thumbnail is served by the API with the session cookie, as an image.
    await row.locator('img').waitFor()
    // A function, not a string: the console's CSP allows no eval.
    await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid=gifts-table] tr')]
      .some((tr) => (tr.textContent ?? '').includes(name) && (tr.querySelector('img') as HTMLImageElement | null)?.naturalWidth === 1), giftName)
    const gift = ((await apiJson('GET', `/api/v1/gifts?q=${encodeURIComponent(giftName)}`)).json as unknown as Array<{ id: string; hasPicture: boolean }>)[0]!
    expect(gift.hasPicture).toBe(true)

    // Two more pieces arrive at the central store.
    await page.getByTestId(`gift-stock-button-${gift.id}`).click()
    await page.getByTestId('stock-delta').fill('2')
    await page.getByTestId('stock-reason').fill('到货')
    await page.getByTestId('stock-submit').click()
    await page.getByTestId('stock-table').getByText('5').first().waitFor()
    await page.keyboard.press('Escape')
    await row.getByText('可兑 5 / 待取 0 / 已取 0').waitFor()

    // The member page: the desk picks the pick-up store and the gift; 1,200 of 5,000 points.
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-tab-giftOrders').click()
    await page.getByTestId('member-redeem-gift').click()
    await page.getByTestId('redeem-pickup-store').click()
    await page.locator('.ant-select-dropdown .ant-select-item-option').first().click()
    await page.getByTestId('redeem-spendable').getByText('5,000').waitFor()
    await page.getByTestId('redeem-gifts').locator('tr', { hasText: giftName }).click()
    await page.getByTestId('redeem-total').getByText('1,200').waitFor()
    await page.getByTestId('redeem-submit').click()
    const orderRow = page.getByTestId('member-gift-orders').locator('tr', { hasText: giftName })
    await orderRow.getByText('待领取').waitFor()
    const orderNo = (await orderRow.getByTestId('gift-order-no').textContent())!.trim()
    expect(orderNo).toMatch(/^G[0-9A-Z]{9}$/)
    expect((await apiJson('GET', `/api/v1/members/${member.id}/points`)).json.balance).toBe(3800)

    // The orders page: found by its number, handed over at the counter.
    await page.goto('/rewards/gift-orders')
    await page.getByTestId('gift-orders-search').locator('input').fill(orderNo)
    await page.getByTestId('gift-orders-search').locator('input').press('Enter')
    const listed = page.getByTestId('gift-orders-table').locator('tr', { hasText: orderNo })
    await listed.getByText(giftName).waitFor()
    await listed.getByRole('button', { name: '确认领取' }).click()
    await page.getByTestId('gift-order-collect-confirm').click()
    await listed.getByText('已领取').waitFor()
    const stock = (await apiJson('GET', `/api/v1/gifts/${gift.id}`)).json as { stock: Array<{ available: number; reserved: number; collected: number }> }
    expect(stock.stock[0]).toMatchObject({ stocked: 5, available: 4, reserved: 0, collected: 1 })
  })
})
