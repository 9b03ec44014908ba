import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
const templateName = `满50减10 E2E ${tail}`
// A product of our own at ¥30, so two of them (¥60) pass the ¥50 threshold whatever the demo catalogue holds.
const tea = { sku: `E2E-TEA-${tail}`, name: '测试绿茶礼盒', listPrice: 3000 }
let member: { id: string; cardNo: string }
let headers: Record<string, string>

const apiJson = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${b.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, json: (await res.json()) as unknown }
}

beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  headers = { 'content-type': 'application/json', cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') }
  expect((await apiJson('POST', '/api/v1/products', tea)).status).toBe(201)
  // A demo member, active.
  const list = await apiJson('GET', '/api/v1/members?status=active&limit=1')
  member = (list.json as { items: Array<{ id: string; cardNo: string }> }).items[0]!
  expect(member.cardNo).toMatch(/^8\d{15}$/)
})

describe('coupons', () => {
  let code = ''

  it('an admin creates a 满50减10 template valid 30 days and issues it to a member from the template page', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '权益', '优惠券')
    await page.getByTestId('templates-table').waitFor()

    await page.getByTestId('template-create').click()
    await page.getByTestId('template-form').waitFor()
    await page.getByTestId('template-name').fill(templateName)
    // 满减 is the default kind; ¥10 off above ¥50, 30 days from issue.
    await page.getByTestId('template-value').fill('10')
    await page.getByTestId('template-min-spend').fill('50')
    expect(await page.getByTestId('template-valid-days').inputValue()).toBe('30')
    await page.getByTestId('template-form-submit').click()
    await page.getByText('模板已创建').waitFor()

    const row = page.getByTestId('templates-table').locator('tr', { hasText: templateName })
    expect(await row.textContent()).toContain('满50减10')
    expect(await row.textContent()).toContain('领取后 30 天内有效')
    await row.getByRole('link', { name: templateName }).click()
    await page.getByTestId('coupon-template').waitFor()
    expect(await page.getByTestId('template-offer').textContent()).toBe('满50减10')

    // Issue one to the member found by card number.
    await page.getByTestId('issue-one-query').locator('input').fill(member.cardNo)
    await page.getByTestId('issue-one-query').locator('input').press('Enter')
    await page.getByTestId('issue-one-member').getByText(member.cardNo).waitFor()
    await page.getByTestId('issue-one-submit').click()
    await page.getByText('已向').waitFor()

    // The coupon is listed under the template, unused; the report counts it.
    const coupons = await apiJson('GET', `/api/v1/members/${member.id}/coupons`)
    const mine = (coupons.json as Array<{ code: string; templateName: string; status: string; validFrom: string; validTo: string }>).filter((c) => c.templateName === templateName)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.status).toBe('issued')
    code = mine[0]!.code
    await page.getByTestId(`coupon-status-${code}`).getByText('未使用').waitFor()
    await page.getByTestId('report-issued').getByText('1', { exact: true }).waitFor()
  })

  it('a cashier sells ¥60 to the member, applies the coupon from the usable list and takes ¥50', async () => {
    expect(code).not.toBe('')
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    await page.getByTestId('side-menu').getByText('收银台').click()
    await page.getByTestId('till-member-input').fill(member.cardNo)
    await page.getByTestId('till-member-input').press('Enter')
    await page.getByTestId('till-member').waitFor()

    await page.getByTestId('till-item-input').locator('input').fill(`2*${tea.sku}`)
    await page.getByTestId('till-item-input').locator('input').press('Enter')
    await page.getByTestId('till-basket').getByText(tea.name).waitFor()
    await page.locator('[data-testid=till-quote][data-stale=false]').waitFor()
    await page.getByTestId('till-total').getByText('¥60.00').waitFor()

    // The member's coupon is offered with what it takes off this basket.
    const offer = page.getByTestId(`till-coupon-offer-${code}`)
    await offer.waitFor()
    expect(await offer.textContent()).toContain(templateName)
    expect(await offer.textContent()).toContain('可减 ¥10.00')
    await page.getByTestId(`till-coupon-apply-${code}`).click()
    await page.locator(`[data-testid=till-coupon-applied-${code}][data-ok=true]`).waitFor()
    await page.locator('[data-testid=till-coupons][data-stale=false]').waitFor()
    expect(await page.getByTestId(`till-coupon-applied-${code}`).textContent()).toContain('-¥10.00')
    await page.getByTestId('till-coupon-discount').getByText('-¥10.00').waitFor()
    expect(await page.getByTestId('till-to-pay').textContent()).toBe('¥50.00')

    // Taking one tea off puts the basket below the threshold: the coupon says why it no longer applies.
    await page.getByTestId(`till-line-quantity-${tea.sku}`).fill('1')
    await page.locator(`[data-testid=till-coupon-applied-${code}][data-ok=false]`).waitFor()
    await page.locator('[data-testid=till-coupons][data-stale=false]').waitFor()
    expect(await page.getByTestId(`till-coupon-applied-${code}`).textContent()).toContain('还差 ¥20.00')
    await page.getByTestId(`till-line-quantity-${tea.sku}`).fill('2')
    await page.locator(`[data-testid=till-coupon-applied-${code}][data-ok=true]`).waitFor()
    await page.locator('[data-testid=till-quote][data-stale=false]').waitFor()

    await page.getByTestId('till-pay').click()
    await page.getByTestId('till-payment').waitFor()
    expect(await page.getByTestId('till-pay-total').textContent()).toBe('¥60.00')
    expect(await page.getByTestId('till-pay-coupons').textContent()).toContain('-¥10.00')
    expect(await page.getByTestId('till-pay-due').textContent()).toBe('¥50.00')
    await page.getByTestId('till-confirm').click()

    await page.getByTestId('till-result').waitFor()
    expect(await page.getByTestId('till-result-coupons').textContent()).toContain(`${templateName} -¥10.00`)
    // Paid ¥50 in money for ¥60 of goods.
    expect(await page.getByTestId('till-result').textContent()).toContain('收款成功 ¥50.00')
    expect(await page.getByTestId('till-result-total').textContent()).toContain('¥60.00')
    const receiptNo = (await page.getByTestId('till-result-receipt-no').textContent())!.replace(/^.*\s/, '')

    // The receipt carries the coupon as a tender: the tenders add up to the total.
    const found = await apiJson('GET', `/api/v1/receipts?receiptNo=${receiptNo}`)
    const receipt = (found.json as { items: Array<{ total: number; tenders: Array<{ kind: string; amount: number; reference: string | null }> }> }).items[0]!
    expect(receipt.total).toBe(6000)
    expect(receipt.tenders).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'coupon', amount: 1000, reference: code }), expect.objectContaining({ kind: 'cash', amount: 5000 })]))
  })

  it('the member page shows the coupon as used on that receipt', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-detail').waitFor()
    await page.getByTestId('member-tab-coupons').click()
    await page.getByTestId('member-coupons-table').waitFor()
    await page.getByTestId(`member-coupon-status-${code}`).getByText('已使用').waitFor()
    const row = page.getByTestId('member-coupons-table').locator('tr', { hasText: templateName })
    expect(await row.textContent()).toContain('优惠 ¥10.00')
    // The code is shown in groups of four, with its QR code a click away.
    await page.getByTestId(`coupon-qr-button-${code}`).click()
    await page.getByTestId(`coupon-qr-${code}`).locator('canvas').waitFor()
  })

  it('issues the template to an uploaded list: a header skipped, unknown and repeated members reported, a re-run issues nothing twice', async () => {
    const list = await apiJson('GET', '/api/v1/members?status=active&limit=4')
    const others = (list.json as { items: Array<{ id: string; cardNo: string }> }).items.filter((m) => m.id !== member.id).slice(0, 2)
    expect(others).toHaveLength(2)
    const file = ['会员卡号,备注', others[0]!.cardNo, others[1]!.cardNo, others[0]!.cardNo, 'NO-SUCH-CODE-1', ''].join('\n')
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/rewards/coupons')
    await page.getByTestId('templates-table').getByRole('link', { name: templateName }).click()
    await page.getByTestId('bulk-issue').waitFor()

    const upload = async () => {
      await page.getByTestId('bulk-issue').locator('input[type=file]').setInputFiles({ name: 'vip list.csv', mimeType: 'text/csv', buffer: Buffer.from(file) })
      await page.getByTestId('bulk-file-summary').getByText('vip list.csv：4 位会员').waitFor()
      expect(await page.getByTestId('bulk-issue-key').inputValue()).toMatch(/^bulk-\d{8}-vip_list$/)
      await page.getByTestId('bulk-submit').click()
      await page.getByTestId('bulk-confirm').click()
      await page.getByTestId('bulk-result').waitFor()
    }
    await upload()
    expect(await page.getByTestId('bulk-issued').textContent()).toBe('2')
    expect(await page.getByTestId('bulk-skipped').textContent()).toBe('1')
    expect(await page.getByTestId('bulk-failed').textContent()).toBe('1')
    // The unknown code is named by its line in the file (the header is line 1).
    const errors = await page.getByTestId('bulk-errors').locator('tbody tr').first().textContent()
    expect(errors).toContain('5')
    expect(errors).toContain('NO-SUCH-CODE-1')
    await page.getByTestId('issue-runs').getByText('vip list.csv').waitFor()

    // The same file again, same key: nobody gets a second coupon.
    await page.reload()
    await page.getByTestId('bulk-issue').waitFor()
    await upload()
    expect(await page.getByTestId('bulk-issued').textContent()).toBe('0')
    expect(await page.getByTestId('bulk-skipped').textContent()).toBe('3')
    for (const m of others) {
      const coupons = (await apiJson('GET', `/api/v1/members/${m.id}/coupons`)).json as Array<{ templateName: string }>
      expect(coupons.filter((c) => c.templateName === templateName)).toHaveLength(1)
    }
  })
})
