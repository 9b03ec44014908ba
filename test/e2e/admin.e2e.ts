import { describe, expect, it } from 'vitest'
import { DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const suffix = String(Date.now()).slice(-6)

describe('HQ administration in the console', () => {
  it('imports a CSV with one bad row and shows that row in the error report', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/members/import')
    const csv = `手机号,姓名,性别\n1880${suffix}1,导入甲,男\n12345,导入乙,女\n1880${suffix}3,导入丙,女\n`
    await page.locator('[data-testid=import-upload-area] input[type=file]').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByTestId('import-preview').getByText('导入乙').waitFor()
    await page.getByTestId('import-next').click()
    await page.getByTestId('start-import').click()
    await page.locator('[data-testid=import-result][data-status=completed]').waitFor()
    expect(await page.getByTestId('import-count-inserted').textContent()).toContain('2')
    const report = page.getByTestId('import-errors-table')
    await report.getByText('手机号').first().waitFor()
    // The uploader sees the refused value as it was in the file.
    expect(await report.textContent()).toMatch(/3\s*手机号\s*12345/)
    expect(await page.getByTestId('import-errors-download').getAttribute('href')).toMatch(/\/api\/v1\/member-imports\/imp_\w+\/errors\.csv\?lang=zh-CN$/)
  })

  it('opens a new store and lists it', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/stores')
    await page.getByTestId('create-store').click()
    const code = `E2E${suffix}`
    await page.getByTestId('store-code').fill(code)
    await page.getByTestId('store-name').fill('测试新店')
    await page.getByTestId('store-city').fill('成都')
    await page.getByTestId('store-district').fill('锦江区')
    await page.getByTestId('store-form-submit').click()
    await page.getByTestId('stores-table').getByText(code).waitFor()
    expect(await page.getByTestId('stores-table').textContent()).toContain('测试新店')
  })

  it('refuses a store code that is already used, on the code field', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/stores')
    await page.getByTestId('create-store').click()
    await page.getByTestId('store-code').fill('SH001')
    await page.getByTestId('store-name').fill('重复')
    await page.getByTestId('store-city').fill('上海')
    await page.getByTestId('store-form-submit').click()
    await page.getByText('门店编码已被使用').waitFor()
  })
})

describe('staff and till keys in the console', () => {
  it('creates a POS key for a store and shows the key once', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/settings/staff')
    await page.getByTestId('tab-pos-keys').click()
    await page.getByTestId('create-pos-key').click()
    await page.getByTestId('pos-key-store').click()
    await page.locator('.ant-select-dropdown .ant-select-item-option').first().click()
    await page.getByTestId('pos-key-name').fill(`收银台${suffix}`)
    await page.getByTestId('pos-key-form-submit').click()
    const key = (await page.getByTestId('pos-key-revealed').textContent())!.trim()
    expect(key).toMatch(/^pos_[\w-]{20,}/)
    await page.getByTestId('pos-key-saved').click()
    await page.getByTestId('pos-keys-table').getByText(`收银台${suffix}`).waitFor()
    expect(await page.getByTestId('pos-keys-table').textContent()).not.toContain(key)
  })
})
