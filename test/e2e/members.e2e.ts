import { describe, expect, it } from 'vitest'
import { DEMO, signIn, useBrowser } from './browser.js'

const b = useBrowser()
// A phone no demo member has (demo phones are generated; 199 00 is not among their prefixes' ranges here).
const phone = `1990${String(Date.now()).slice(-7)}`
const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`

describe('members in the console', () => {
  it('registers a member at the till: the server refuses a bad phone next to the field, then the fixed form succeeds', async () => {
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    await page.goto('/members/new')
    await page.getByTestId('field-phone').fill('12345678901')
    await page.getByTestId('field-name').fill('测试会员')
    await page.getByTestId('register-submit').click()
    await page.getByText('请输入正确的 11 位手机号').waitFor()
    await page.getByTestId('field-phone').fill(phone)
    await page.getByTestId('register-submit').click()
    await page.getByTestId('member-detail').waitFor()
    expect(await page.getByTestId('member-title').textContent()).toBe('测***')
    expect(await page.getByTestId('member-phone').textContent()).toBe(masked)
  })

  it('finds the member by phone as a cashier, who sees no reveal button', async () => {
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(phone)
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-detail').waitFor()
    expect(await page.getByTestId('member-phone').textContent()).toBe(masked)
    expect(await page.getByTestId('member-reveal').count()).toBe(0)
  })

  it('reveals the full phone to an HQ admin and notes that the view was logged', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(phone)
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-reveal').click()
    await page.getByTestId('revealed-phone').waitFor()
    expect(await page.getByTestId('revealed-phone').textContent()).toBe(phone)
    await page.getByTestId('reveal-logged').waitFor()
  })

  it('edits the member and shows the change on the profile', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill(phone)
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-edit').click()
    await page.getByTestId('field-district').fill('静安区')
    await page.getByTestId('member-edit-save').click()
    await page.getByTestId('member-profile').getByText('静安区').waitFor()
  })

  it('says so when a phone is not a member', async () => {
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    await page.goto('/members')
    await page.getByTestId('member-search-input').fill('13300000000')
    await page.getByTestId('member-lookup-button').click()
    await page.getByTestId('member-search-error').waitFor()
    expect(await page.getByTestId('member-search-error').textContent()).toContain('未找到该会员')
  })
})

describe('the service desk on a member page', () => {
  it('merges a second record of the same person after showing what moves, then freezes the member with a reason', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    const tail = String(Date.now()).slice(-6)
    const keep = await (await page.request.post('/api/v1/members', { data: { phone: `1770${tail}1`, name: '合并甲', consents: { sms: true } } })).json()
    const other = await (await page.request.post('/api/v1/members', { data: { phone: `1770${tail}2`, email: 'merge.e2e@example.com' } })).json()
    await page.goto(`/members/${keep.member.id}`)
    await page.getByTestId('member-merge').click()
    await page.getByTestId('merge-query').fill(`1770${tail}2`)
    await page.getByTestId('merge-lookup').click()
    await page.getByTestId('merge-preview').waitFor()
    expect(await page.getByTestId('merge-retired-card').textContent()).toContain(other.member.cardNo)
    await page.getByTestId('merge-confirm').click()
    await page.getByTestId('member-email').getByText('m****').first().waitFor()
    expect(await page.getByTestId('member-card-no').textContent()).toContain(keep.member.cardNo)

    await page.getByTestId('member-freeze').click()
    await page.getByTestId('freeze-reason').fill('卡片遗失')
    await page.getByTestId('freeze-confirm').click()
    await page.getByTestId('member-frozen-reason').waitFor()
    expect(await page.getByTestId('member-status').textContent()).toBe('已冻结')
  })
})
