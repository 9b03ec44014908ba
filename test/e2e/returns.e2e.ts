import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
const SERVICE = { username: 'service.sh001', password: 'Demo#2026' }
let admin = ''
let storeId = ''
let memberId = ''
let cardNo = ''
let saleNo = ''

const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
  const res = await fetch(`${b.baseUrl}/api/v1${path}`, {
    method, headers: { cookie: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() as T }
}

/**
 * The sale of the issue, at store SH001: two bags of rice at ¥72.40 and oil at ¥19.90 (¥164.70),
 * paid by a ¥20 coupon, 409 points (¥4.09) and ¥140.61 by WeChat Pay.
 */
beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin) })
  expect(login.status).toBe(200)
  admin = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const stores = await api<Array<{ id: string; code: string }>>('GET', '/stores')
  storeId = stores.json.find((s) => s.code === 'SH001')!.id
  for (const p of [{ sku: `E2E-RICE-${tail}`, name: '测试东北大米 5kg', listPrice: 7240 }, { sku: `E2E-OIL-${tail}`, name: '测试花生油 1L', listPrice: 1990 }]) {
    expect((await api('POST', '/products', p)).status).toBe(201)
  }
  const registered = await api<{ member: { id: string; cardNo: string } }>('POST', '/members', { phone: `1993${tail}`, name: '退货测试', registrationStoreId: storeId })
  memberId = registered.json.member.id
  cardNo = registered.json.member.cardNo
  expect((await api('POST', `/members/${memberId}/points/adjustments`, { points: 1000, reason: '测试积分' })).status).toBe(201)
  saleNo = `E2E${tail}`
  const sale = await api('POST', '/pos/receipts', {
    storeId, receiptNo: saleNo, businessAt: new Date().toISOString(), member: { id: memberId },
    lines: [
      { sku: `E2E-RICE-${tail}`, quantity: 2, unitPrice: 7240, amount: 14480 },
      { sku: `E2E-OIL-${tail}`, quantity: 1, unitPrice: 1990, amount: 1990 },
    ],
    tenders: [{ kind: 'coupon', amount: 2000 }, { kind: 'points', amount: 409, points: 409 }, { kind: 'wechat_pay', amount: 14061 }],
    total: 16470,
  })
  expect(sale.status).toBe(201)
})

const openSale = async (page: Page) => {
  await page.goto('/receipts')
  await page.getByTestId('receipts-filter-no').fill(saleNo)
  await page.getByTestId('receipts-filter-apply').click()
  await page.getByTestId(`receipt-return-${saleNo}`).click()
  await page.getByTestId('return-modal').waitFor()
}

const chooseReason = async (page: Page, reason: string) => {
  await page.getByTestId('return-reason').click()
  await page.locator('.ant-select-dropdown').getByText(reason, { exact: true }).click()
}

describe('returns at the service desk', () => {
  it('returns one bag of rice paid partly by points and a coupon, and says the cash to hand back', async () => {
    const page = await b.page()
    await signIn(page, SERVICE)
    await openSale(page)
    // The row names the member, masked, and the dialog starts with nothing to return.
    expect(await page.getByTestId(`receipt-member-${saleNo}`).textContent()).toContain(cardNo.slice(-4))
    expect(await page.getByTestId('return-qty-1').inputValue()).toBe('0')
    expect(await page.getByTestId('return-qty-2').inputValue()).toBe('0')
    expect(await page.getByTestId('return-submit').isDisabled()).toBe(true)
    await page.getByTestId('return-qty-1').fill('1')
    // A quantity is not enough: the desk says why.
    expect(await page.getByTestId('return-submit').isDisabled()).toBe(true)
    await chooseReason(page, '质量问题')
    await page.getByTestId('return-submit').click()

    const done = page.getByTestId('return-done')
    await done.waitFor()
    const text = (await done.textContent())!
    expect(text).toContain('应退顾客 ¥61.81（微信支付 ¥61.81）')
    expect(text).toContain('退回 180 积分（抵 ¥1.80）')
    expect(text).toContain('优惠券抵扣 ¥8.79 不退')
    expect(text).toMatch(/扣回所得 \d+ 积分/)
    await page.screenshot({ path: 'test-results/e2e/return-message.png' })
    await page.locator('.ant-modal-confirm').getByRole('button').click()

    // The return in the list: its points taken back and given back, its refund and reason in the detail.
    await page.getByTestId('receipts-filter-no').fill('')
    await page.getByTestId('receipts-filter-apply').click()
    const table = page.getByTestId('receipts-table')
    const row = table.locator('tr', { hasText: `原小票 ${saleNo}` }).first()
    await row.waitFor()
    expect(await row.textContent()).toContain('退回 180')
    expect(await row.textContent()).toContain('服务台')
    await row.locator('.ant-table-row-expand-icon').click()
    const detail = page.locator('[data-testid^=receipt-detail-R]').first()
    await detail.getByText('退回微信支付').waitFor()
    expect(await detail.textContent()).toContain('优惠券抵扣（不退）')
    expect(await detail.textContent()).toContain('退货原因：质量问题')
    await page.screenshot({ path: 'test-results/e2e/receipts-1440.png', fullPage: true })
  }, 120_000)

  it('sends a return above HQ\'s limit to the store manager, who approves it', async () => {
    // HQ sets the limit at ¥50 in the console.
    const hq = await b.page()
    await signIn(hq, DEMO.admin)
    await hq.goto('/receipts')
    await hq.getByTestId('till-settings-open').click()
    await hq.getByTestId('till-settings-layout').waitFor()
    await hq.getByTestId('till-settings-limit').fill('50')
    await hq.locator('.ant-modal-footer').getByRole('button', { name: /确\s*定|OK/ }).click()
    await hq.getByText('已保存').waitFor()
    expect((await api<{ returnApprovalAbove: number | null }>('GET', '/till-settings')).json.returnApprovalAbove).toBe(5000)

    const desk = await b.page()
    await signIn(desk, SERVICE)
    await openSale(desk)
    await desk.getByTestId('return-qty-1').fill('1')
    await chooseReason(desk, '其他')
    // "Other" needs words.
    expect(await desk.getByTestId('return-submit').isDisabled()).toBe(true)
    await desk.getByTestId('return-note').fill('顾客买重了')
    await desk.getByTestId('return-submit').click()
    await desk.getByTestId('return-awaiting').getByText('已提交店长审批').waitFor()
    expect(await desk.getByTestId('return-awaiting').textContent()).toContain('¥72.40')
    // Nothing moved yet.
    const points = async () => (await api<{ balance: number }>('GET', `/members/${memberId}/points`)).json.balance
    const before = await points()
    const sale = (await api<{ items: Array<{ lines: Array<{ returnedQuantity: number }> }> }>('GET', `/receipts?receiptNo=${saleNo}`)).json.items[0]!
    expect(sale.lines.map((l) => l.returnedQuantity)).toEqual([1, 0])

    const manager = await b.page()
    await signIn(manager, DEMO.manager)
    await manager.goto('/receipts')
    const approvals = manager.getByTestId('return-approvals')
    await approvals.waitFor()
    const row = approvals.locator('tr', { hasText: saleNo })
    expect(await row.textContent()).toContain('其他：顾客买重了')
    expect(await row.textContent()).toContain('¥72.40')
    await row.getByRole('button', { name: /批\s*准/ }).click()
    const done = manager.getByTestId('approval-done')
    await done.waitFor()
    expect(await done.textContent()).toContain('应退顾客 ¥61.81（微信支付 ¥61.81）')
    await manager.screenshot({ path: 'test-results/e2e/return-approved.png' })
    expect(await points()).toBeGreaterThan(before)
    const after = (await api<{ items: Array<{ lines: Array<{ returnedQuantity: number }> }> }>('GET', `/receipts?receiptNo=${saleNo}`)).json.items[0]!
    expect(after.lines.map((l) => l.returnedQuantity)).toEqual([2, 0])
    const returns = (await api<{ items: Array<{ originalReceiptNo: string | null; approvedBy: string | null; returnReason: string | null; total: number }> }>('GET', `/receipts?storeId=${storeId}&limit=10`)).json.items
    expect(returns.filter((r) => r.originalReceiptNo === saleNo).map((r) => r.approvedBy)).toContain('manager.sh001')

    expect((await api('PUT', '/till-settings', { returnApprovalAbove: 20000 })).status).toBe(200)
  }, 180_000)
})
