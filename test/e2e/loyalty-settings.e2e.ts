import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
// A department of our own, so the journey does not depend on the demo catalogue.
const department = `节庆礼盒${tail}`
const gift = { sku: `E2E-GIFT-${tail}`, name: '测试新春礼盒', department, category: '礼盒', listPrice: 10000 }
// A phone no demo member has (the demo draws 199 + eight random digits).
const phone = `1993${tail}`
const receiptNo = `E2E-R-${tail}`
const ruleName = `礼盒双倍积分${tail.slice(-3)}`

let cookie = ''
const apiCall = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${b.baseUrl}${path}`, {
    method, headers: { 'content-type': 'application/json', cookie }, body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> & Array<Record<string, unknown>> }
}

beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  expect((await apiCall('POST', '/api/v1/products', gift)).status).toBe(201)
})

describe('loyalty settings in the console', () => {
  it('creates a double-points rule for a department and the tester shows the doubled points and why', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '积分', '积分规则')
    await page.getByTestId('rules-table').getByText('基础积分').first().waitFor()

    await page.getByTestId('create-rule').click()
    await page.getByTestId('rule-name').fill(ruleName)
    expect(await page.getByTestId('rule-factor').inputValue()).toBe('2.00')
    await page.getByTestId('rule-classes').click()
    await page.getByTestId('rule-classes').locator('input').fill(department)
    // Picked once the department stands in the field as a tag; the list may still be redrawing
    // from the search as the first click lands, so click again if it did not take.
    const picked = page.getByTestId('rule-classes').getByText(department, { exact: true })
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.locator('.ant-select-tree-title', { hasText: department }).first().click()
      if (await picked.waitFor({ timeout: 3_000 }).then(() => true, () => false)) break
    }
    await picked.waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('rule-form-submit').click()

    const row = page.getByTestId('rules-table').locator('tr', { hasText: ruleName })
    await row.waitFor()
    expect(await row.textContent()).toContain(`2 倍积分；适用 部门 ${department}`)
    expect(await row.textContent()).toContain('生效中')

    // 100 yuan of the department: 100 base points and 100 more from the rule.
    const line = page.getByTestId('tester-line-value-0')
    await line.click()
    await page.keyboard.type(department)
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('tester-line-amount-0').inputValue()).toBe('100.00')
    await page.getByTestId('tester-run').click()
    await page.getByTestId('tester-result').waitFor()
    await expect.poll(() => page.getByTestId('tester-points').textContent()).toBe('200')
    const explanation = page.getByTestId('tester-explanation')
    expect(await explanation.locator('tr', { hasText: '基础积分' }).textContent()).toContain('+100')
    expect(await explanation.locator('tr', { hasText: ruleName }).textContent()).toContain('+100')
    expect(await page.getByTestId('tester-lines').textContent()).toContain('200')

    // Paid half with a coupon, the coupon half earns nothing: 50 + 50.
    await page.getByTestId('tester-coupon-paid').fill('50')
    await page.getByTestId('tester-run').click()
    await expect.poll(() => page.getByTestId('tester-points').textContent()).toBe('100')
  })

  it('shows the points a sale earned in the liability report, with the chart and totals, and the receipt in the list', async () => {
    const stores = (await apiCall('GET', '/api/v1/stores')).json
    const store = stores.find((s) => s.status === 'open')!
    const member = await apiCall('POST', '/api/v1/members', { phone, name: '积分负债测试' })
    expect(member.status).toBe(201)
    const sale = await apiCall('POST', '/api/v1/pos/receipts', {
      storeId: store.id, receiptNo, businessAt: new Date().toISOString(), member: { phone },
      lines: [{ sku: gift.sku, quantity: 1, unitPrice: 10000, amount: 10000 }], tenders: [{ kind: 'cash', amount: 10000 }], total: 10000,
    })
    expect(sale.status).toBe(201)
    expect(sale.json.points).toBe(200)

    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/loyalty/liability')
    await page.getByTestId('liability-points').waitFor()
    const points = Number((await page.getByTestId('liability-points').textContent())!.replace(/\D/g, ''))
    expect(points).toBeGreaterThanOrEqual(200)
    expect(await page.getByTestId('liability-value').textContent()).toMatch(/^¥[\d,]+\.\d{2}$/)
    await page.getByTestId('liability-chart').locator('canvas').waitFor()
    expect(await page.getByTestId('liability-by-store').locator('tbody tr').count()).toBeGreaterThan(0)

    await openMenu(page, '小票', '小票查询')
    await page.getByTestId('receipts-filter-no').fill(receiptNo)
    await page.getByTestId('receipts-filter-apply').click()
    const row = page.getByTestId('receipts-table').locator('tr', { hasText: receiptNo })
    await row.waitFor()
    expect(await row.textContent()).toContain('¥100.00')
    await row.locator('.ant-table-row-expand-icon').click()
    await page.getByTestId(`receipt-detail-${receiptNo}`).getByText(gift.name).waitFor()
  })

  it('imports a POS export: maps its columns, posts the good receipt and reports the bad line', async () => {
    const stores = (await apiCall('GET', '/api/v1/stores')).json
    const store = stores.find((s) => s.status === 'open')!
    // Yesterday, as the till's wall clock in Shanghai wrote it.
    const at = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(Date.now() - 86_400_000))
    const csv = [
      '小票号,门店编码,交易时间,货号,商品名称,数量,单价,金额',
      `IMP-${tail}-1,${store.code},${at},${gift.sku},${gift.name},2,100.00,200.00`,
      `IMP-${tail}-2,${store.code},昨天,${gift.sku},${gift.name},1,100.00,100.00`,
    ].join('\n')

    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '小票', '小票导入')
    await page.getByTestId('import-upload-area').locator('input[type=file]').setInputFiles({ name: 'pos-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByTestId('import-next').click()
    await page.getByTestId('receipt-import-mapping').waitFor()
    expect(await page.getByTestId('receipt-import-issues').count()).toBe(0)
    await page.getByTestId('receipt-import-start').click()

    await page.getByTestId('receipt-import-result').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('receipt-import-count-sales').textContent()).toMatch(/\D1$/)
    expect(await page.getByTestId('receipt-import-count-failed').textContent()).toMatch(/\D1$/)
    const problem = page.getByTestId('receipt-import-errors').locator('tr', { hasText: '昨天' })
    expect(await problem.textContent()).toContain('不是日期时间')
  })
})
