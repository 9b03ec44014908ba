import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
// A phone no demo member has (the demo draws 199 + eight random digits; 1992 + this run's clock is ours).
const phone = `1992${tail}`
// Products of our own, so the journey does not depend on the demo catalogue.
const milk = { sku: `E2E-MILK-${tail}`, name: '测试纯牛奶 250ml', barcode: `69${tail}0001`, listPrice: 1250, memberPrice: 1100 }
const bread = { sku: `E2E-BREAD-${tail}`, name: '测试全麦面包', listPrice: 850 }
// Apples by weight, whose SKU is the PLU the scale prints (the default layout: 2, six-digit PLU, grams, check digit).
const apples = { sku: `9${tail.slice(-5)}`, name: '测试散装苹果', listPrice: 1598, soldByWeight: true }
const checkDigit = (digits: string) => {
  let sum = 0
  for (let i = digits.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += Number(digits[i]) * w
  return (10 - (sum % 10)) % 10
}
const scaleLabel = (plu: string, grams: number) => {
  const body = `2${plu}${String(grams).padStart(5, '0')}`
  return `${body}${checkDigit(body)}`
}

beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  for (const product of [milk, bread, apples]) {
    const created = await fetch(`${b.baseUrl}/api/v1/products`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(product),
    })
    expect(created.status).toBe(201)
  }
})

const openTill = async (page: Page) => {
  await signIn(page, DEMO.cashier)
  await page.getByTestId('side-menu').getByText('收银台').click()
  await page.getByTestId('till-member-input').waitFor()
}

/** Waits until the keyboard is in the element with this test id (or inside it). */
// A function, not a string: the console's Content-Security-Policy forbids evaluating strings.
const focusIn = (page: Page, testId: string) =>
  page.waitForFunction((id) => {
    // Runs in the page (this project's types have no DOM).
    const doc = (globalThis as unknown as { document: { activeElement: { closest(selector: string): { getAttribute(name: string): string | null } | null } | null } }).document
    return doc.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') === id
  }, testId, { timeout: 5_000 })

/** Waits until the quote on screen is for the basket as it is now. */
const settledQuote = async (page: Page) => {
  await page.locator('[data-testid=till-quote][data-stale=false]').waitFor()
}

describe('the till', () => {
  let receiptNo = ''
  let earned = 0

  it('registers a new phone, sells two products at member prices and shows the points earned and the new balance', async () => {
    const page = await b.page()
    await openTill(page)
    // Focus starts in the member box: the cashier types the phone and presses Enter.
    await focusIn(page, 'till-member-input')
    await page.keyboard.type(phone)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-register').waitFor()
    expect(await page.getByTestId('till-register-phone').inputValue()).toBe(phone)
    await page.getByTestId('till-register-name').fill('收银测试')
    await page.getByTestId('till-register-consents').getByText('短信').click()
    await page.keyboard.press('Enter')
    await page.getByTestId('till-member').waitFor()
    expect(await page.getByTestId('till-member-balance').textContent()).toContain('0')

    // Straight on to the basket: two of the milk by barcode, the bread by SKU.
    await page.getByTestId('till-item-input').waitFor()
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(`2*${milk.barcode}`)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-basket').getByText(milk.name).waitFor()
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(bread.sku)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-basket').getByText(bread.name).waitFor()

    // The quote: 2 × ¥11.00 (member price) + ¥8.50, ¥3.00 saved, points to earn.
    await settledQuote(page)
    await page.getByTestId('till-total').getByText('¥30.50').waitFor()
    expect(await page.getByTestId('till-savings').textContent()).toContain('¥3.00')
    expect(await page.getByTestId('till-basket').getByText('会员价').count()).toBe(1)
    const quoted = Number((await page.getByTestId('till-points').textContent())!.replace(/[^\d]/g, ''))
    expect(quoted).toBeGreaterThan(0)
    await page.getByTestId('till-explanation').waitFor()

    // F9 opens the payment, 3 picks WeChat Pay, Enter takes it.
    await page.keyboard.press('F9')
    await page.getByTestId('till-payment').waitFor()
    expect(await page.getByTestId('till-pay-due').textContent()).toBe('¥30.50')
    // The dialog hands the keyboard to its confirm button as it opens.
    await focusIn(page, 'till-confirm')
    await page.keyboard.press('3')
    await page.getByTestId('till-tenders').locator('.ant-radio-button-wrapper-checked', { hasText: '微信支付' }).waitFor()
    await page.keyboard.press('Enter')

    await page.getByTestId('till-result').waitFor()
    receiptNo = (await page.getByTestId('till-result-receipt-no').textContent())!.replace(/^.*\s/, '')
    expect(receiptNo).toMatch(/^M\d{14}[0-9A-Z]{4}$/)
    earned = Number((await page.getByTestId('till-result-points').textContent())!.replace(/[^\d]/g, ''))
    expect(earned).toBe(quoted)
    expect(await page.getByTestId('till-result-balance').textContent()).toBe(String(earned))

    // Cleared for the next customer, the member box focused again.
    expect(await page.getByTestId('till-member').count()).toBe(0)
    expect(await page.getByTestId('till-basket').getByText(milk.name).count()).toBe(0)
    await focusIn(page, 'till-member-input')

    // The member page has the receipt and the ledger entry.
    await page.getByTestId('till-result-member').click()
    await page.getByTestId('member-detail').waitFor()
    await page.getByTestId('member-tab-receipts').click()
    const receipts = page.getByTestId('member-receipts')
    await receipts.getByText(receiptNo).waitFor()
    expect(await receipts.textContent()).toContain('¥30.50')
    await receipts.locator('.ant-table-row-expand-icon').first().click()
    await page.getByTestId(`receipt-detail-${receiptNo}`).getByText(milk.name).waitFor()
    expect(await page.getByTestId(`receipt-detail-${receiptNo}`).textContent()).toContain('微信支付')

    await page.getByTestId('member-tab-points').click()
    await page.getByTestId('points-ledger').getByText('消费积分').waitFor()
    expect(await page.getByTestId('points-ledger').textContent()).toContain(`+${earned}`)
    expect(await page.getByTestId('points-ledger').textContent()).toContain(`小票 ${receiptNo}`)
    expect(await page.getByTestId('points-balance').textContent()).toBe(String(earned))
  })

  it('takes one milk of that sale back at the service desk: the points it earned are reversed', async () => {
    const page = await b.page()
    await signIn(page, { username: 'service.sh001', password: 'Demo#2026' })
    await page.goto('/receipts')
    await page.getByTestId('receipts-filter-no').fill(receiptNo)
    await page.getByTestId('receipts-filter-apply').click()
    await page.getByTestId(`receipt-return-${receiptNo}`).click()
    await page.getByTestId('return-modal').waitFor()
    // Nothing comes back unless the desk says so: one of the two milks, not the bread, and why.
    await page.getByTestId('return-qty-1').fill('1')
    await page.getByTestId('return-reason').click()
    await page.locator('.ant-select-dropdown').getByText('拿错或多买', { exact: true }).click()
    await page.getByTestId('return-submit').click()
    await page.getByTestId('return-done').getByText('应退顾客 ¥11.00（微信支付 ¥11.00）').waitFor()

    const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin) })
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const list = await (await fetch(`${b.baseUrl}/api/v1/receipts?receiptNo=${receiptNo}`, { headers: { cookie } })).json() as { items: Array<{ lines: Array<{ returnedQuantity: number }>; till: string | null }> }
    expect(list.items[0]!.lines.map((l) => l.returnedQuantity)).toEqual([1, 0])
    // The browser's till number came with the sale.
    expect(list.items[0]!.till).toMatch(/^WEB-[0-9A-Z]{3}$/)
    const returns = await (await fetch(`${b.baseUrl}/api/v1/receipts?limit=5`, { headers: { cookie } })).json() as { items: Array<{ kind: string; originalReceiptNo: string | null; total: number; points: number }> }
    const ret = returns.items.find((r) => r.originalReceiptNo === receiptNo)
    expect(ret).toMatchObject({ kind: 'return', total: 1100 })
    expect(ret!.points).toBeGreaterThan(0)
    earned -= ret!.points
    // Nothing left of line 1 but one milk: the button stays for the rest.
    await page.getByTestId(`receipt-return-${receiptNo}`).waitFor()
  })

  it('sells weighed goods by their scale label and by a typed weight, and never drops a scan', async () => {
    const page = await b.page()
    await openTill(page)
    await focusIn(page, 'till-member-input')
    await page.keyboard.press('Enter')
    await focusIn(page, 'till-item-input')
    // The scale's label: 350 g of apples, read at the scan.
    await page.keyboard.type(scaleLabel(apples.sku, 350))
    await page.keyboard.press('Enter')
    await page.getByTestId('till-basket').getByText(apples.name).waitFor()
    expect(await page.locator(`[data-testid=till-line-quantity-${apples.sku}] input, input[data-testid=till-line-quantity-${apples.sku}]`).first().inputValue()).toBe('0.350')
    await page.getByTestId(`till-line-amount-${apples.sku}`).getByText('¥5.59').waitFor()

    // `2*` before weighed goods is no quantity: the till asks for the weight and says why.
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(`2*${apples.sku}`)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-weight-prompt').waitFor()
    expect(await page.getByTestId('till-weight-multiplier').textContent()).toContain('2×')
    // The next item scanned while the weight is asked is refused in words, the apples still wait.
    await focusIn(page, 'till-weight-input')
    await page.keyboard.type(milk.barcode)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-weight-error').getByText('还在等待称重').waitFor()
    expect(await page.getByTestId('till-basket').getByText(milk.name).count()).toBe(0)
    // The cashier types the weight in kilograms, as the scale shows it.
    await page.getByTestId('till-weight-input').fill('1.25')
    await page.getByTestId('till-weight-grams').getByText('1250').waitFor()
    await page.keyboard.press('Enter')
    await page.getByTestId('till-weight-prompt').waitFor({ state: 'detached' })
    await settledQuote(page)
    // 0.35 kg and 1.25 kg at ¥15.98/kg: ¥5.59 + ¥19.98.
    await page.getByTestId('till-total').getByText('¥25.57').waitFor()
    expect(await page.getByTestId('till-quote-error').count()).toBe(0)

    // A weight asked when the sale is paid goes with the sale.
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(apples.sku)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-weight-prompt').waitFor()
    await page.keyboard.press('F9')
    await page.getByTestId('till-payment').waitFor()
    await focusIn(page, 'till-confirm')
    await page.keyboard.press('Enter')
    await page.getByTestId('till-result').waitFor()
    expect(await page.getByTestId('till-result').textContent()).toContain('¥25.57')
    expect(await page.getByTestId('till-weight-prompt').count()).toBe(0)
    await page.screenshot({ path: 'test-results/e2e/till-weighed.png' })
  })

  it('sells to a customer without a card, asking the price of a SKU the catalogue does not know, and gives change', async () => {
    const page = await b.page()
    await openTill(page)
    // Enter in the empty member box: a sale without a member.
    await focusIn(page, 'till-member-input')
    await page.keyboard.press('Enter')
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(`E2E-LOOSE-${tail}`)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-unknown-prompt').waitFor()
    await page.getByTestId('till-unknown-price').fill('5.5')
    await page.keyboard.press('Enter')
    await page.getByTestId('till-basket').getByText(`E2E-LOOSE-${tail}`).first().waitFor()
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(bread.sku)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-basket').getByText(bread.name).waitFor()
    await settledQuote(page)
    await page.getByTestId('till-total').getByText('¥14.00').waitFor()

    await page.keyboard.press('F9')
    await page.getByTestId('till-cash-received').fill('20')
    await page.getByTestId('till-change').getByText('¥6.00').waitFor()
    await page.getByTestId('till-confirm').click()
    await page.getByTestId('till-result').waitFor()
    expect(await page.getByTestId('till-result').textContent()).toContain('¥14.00')
    expect(await page.getByTestId('till-result-points').count()).toBe(0)
  })

  it('asks before recording a changed sale when the answer to the first checkout was lost', async () => {
    const page = await b.page()
    await openTill(page)
    await focusIn(page, 'till-member-input')
    await page.keyboard.press('Enter')
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(bread.sku)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-basket').getByText(bread.name).waitFor()
    await settledQuote(page)

    // The server records the sale, but its answer never reaches the till.
    let posted = ''
    await page.route('**/api/v1/pos/receipts', async (route) => {
      posted = JSON.parse(route.request().postData() ?? '{}').receiptNo
      await route.fetch()
      await route.abort('failed')
    }, { times: 1 })
    await page.keyboard.press('F9')
    await focusIn(page, 'till-confirm')
    await page.keyboard.press('Enter')
    await page.getByTestId('till-payment-error').waitFor()
    expect(posted).toMatch(/^M\d{14}/)

    // The cashier goes back, adds a second bread and pays again: the till finds the first sale.
    await page.keyboard.press('Escape')
    await focusIn(page, 'till-item-input')
    await page.keyboard.type(bread.sku)
    await page.keyboard.press('Enter')
    await page.getByTestId('till-total').getByText('¥17.00').waitFor()
    await settledQuote(page)
    await page.keyboard.press('F9')
    await focusIn(page, 'till-confirm')
    await page.keyboard.press('Enter')
    const dialog = page.locator('.ant-modal-confirm')
    await dialog.getByText(posted).waitFor()
    expect(await dialog.textContent()).toContain('¥8.50')
    await dialog.getByRole('button', { name: '保留已入账的，清空' }).click()
    await page.getByText(`已保留小票 ${posted}`).waitFor()
    expect(await page.getByTestId('till-basket').getByText(bread.name).count()).toBe(0)
  })

  it('lets a store manager give points with a reason, shown in the ledger', async () => {
    const page = await b.page()
    await signIn(page, DEMO.manager)
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(phone)
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-tab-points').click()
    await page.getByTestId('points-balance').getByText(String(earned)).waitFor()
    await page.getByTestId('points-adjust').click()
    await page.getByTestId('adjust-points').fill('100')
    await page.getByTestId('adjust-reason').fill('活动补发')
    await page.getByTestId('adjust-points-submit').click()
    await page.getByTestId('points-ledger').getByText('活动补发').waitFor()
    expect(await page.getByTestId('points-ledger').textContent()).toContain('人工调整')
    await page.getByTestId('points-balance').getByText(String(earned + 100)).waitFor()
  })
})
