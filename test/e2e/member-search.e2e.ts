import { describe, expect, it } from 'vitest'
import { DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()
// Phones and a name no demo member has: 199 numbers from the clock, a name from its digits.
const stamp = String(Date.now()).slice(-7)
const phones = [`1990${stamp}`, `1991${stamp}`, `1992${stamp}`]
const NAME_CHARS = '甲乙丙丁戊己庚辛壬癸'
const name = `测${[...stamp].map((d) => NAME_CHARS[Number(d)]).join('')}`

describe('members by name, revealed names and what a cashier typed', () => {
  it('a cashier who registers a customer at the till sees the name typed, not its mask', async () => {
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    await page.getByTestId('side-menu').getByText('收银台').click()
    await page.getByTestId('till-member-input').fill(phones[0]!)
    await page.getByTestId('till-member-input').press('Enter')
    await page.getByTestId('till-register').waitFor()
    await page.getByTestId('till-register-name').fill(name)
    await page.getByTestId('till-register-submit').click()
    await page.getByTestId('till-member').waitFor()
    expect(await page.getByTestId('till-member-name').textContent()).toBe(name)
  })

  it('finds the member by full name, and the title shows the name once revealed', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(name)
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-detail').waitFor()
    const masked = `测${'*'.repeat(name.length - 1)}`
    expect(await page.getByTestId('member-title').textContent()).toBe(masked)
    await page.getByTestId('member-reveal').click()
    await page.getByTestId('revealed-name').waitFor()
    expect(await page.getByTestId('member-title').textContent()).toBe(name)
    await page.getByTestId('member-hide').click()
    expect(await page.getByTestId('member-title').textContent()).toBe(masked)
  })

  it('lists the members who share a name to choose from, and says so when nobody has it', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    for (const phone of phones.slice(1)) {
      await page.goto('/members/new')
      await page.getByTestId('field-phone').fill(phone)
      await page.getByTestId('field-name').fill(name)
      await page.getByTestId('register-submit').click()
      await page.getByTestId('member-detail').waitFor()
    }
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(name)
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-search-choices').waitFor()
    expect(await page.getByTestId('member-search-choice').count()).toBe(3)
    await page.getByTestId('member-search-choice').first().click()
    await page.getByTestId('member-detail').waitFor()

    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(`${name}乙`)
    await page.getByTestId('member-lookup-button').click()
    expect(await page.getByTestId('member-search-error').textContent()).toContain('没有叫')
  })

  it('offers the export as Excel and CSV in the console language', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/members')
    await page.getByTestId('members-export-xlsx').waitFor()
    expect(await page.getByTestId('members-export-xlsx').getAttribute('href')).toMatch(/^\/api\/v1\/members\/export\.xlsx\?.*lang=zh-CN/)
    expect(await page.getByTestId('members-export').getAttribute('href')).toMatch(/^\/api\/v1\/members\/export\.csv\?.*lang=zh-CN/)
    const res = await page.request.get((await page.getByTestId('members-export-xlsx').getAttribute('href'))!)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toContain('spreadsheetml')
  })
})
