import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
let member: { id: string; cardNo: string }

beforeAll(async () => {
  const api = await signedInApi(b.baseUrl, DEMO.admin)
  const created = await api('POST', '/api/v1/members', { phone: `1994${tail}`, name: '注销测试' })
  expect(created.status).toBe(201)
  member = created.json.member as { id: string; cardNo: string }
})

describe('personal data (PIPL)', () => {
  it('records an erasure request at the member page, shows when it runs, lists it under 设置 and withdraws it', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto(`/members/${member.id}`)
    // The copy of the person's data is a download of the zip.
    expect(await page.getByTestId('member-personal-data').getAttribute('href')).toBe(`/api/v1/members/${member.id}/personal-data.zip`)

    await page.getByTestId('member-erase').click()
    await page.getByText('冷静期 15 天').waitFor()
    await page.getByTestId('erase-reason').fill('顾客本人到服务台提出')
    // Not without the identity check.
    await page.getByTestId('erase-confirm').click()
    await page.getByText('请先核实申请人身份').waitFor()
    await page.getByTestId('erase-confirmed').check()
    await screenshot(page, 'privacy-erase-modal')
    await page.getByTestId('erase-confirm').click()
    const notice = page.getByTestId('member-erasure-pending')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('已申请删除个人信息，将于')
    expect(await notice.textContent()).toContain('顾客本人到服务台提出')
    // While it waits it is withdrawn, not asked again.
    expect(await page.getByTestId('member-erase').count()).toBe(0)
    await screenshot(page, 'privacy-member-pending')

    // HQ's list: pending, with its member; withdrawn from there.
    await openMenu(page, '设置', '个人信息保护')
    const row = page.getByTestId('privacy-requests').locator('tr', { hasText: member.cardNo })
    await row.waitFor()
    expect(await row.textContent()).toContain('冷静期中')
    await screenshot(page, 'privacy-page')
    await row.locator('[data-testid^="erasure-withdraw-"]').click()
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click()
    await page.getByText('已撤回删除申请').first().waitFor()
    await page.getByTestId('privacy-status').getByText('已撤回').click()
    await page.getByTestId('privacy-requests').locator('tr', { hasText: member.cardNo }).waitFor()
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-title').waitFor()
    expect(await page.getByTestId('member-erasure-pending').count()).toBe(0)
    await page.getByTestId('member-erase').waitFor()
  })
})

describe('the retention sweep', () => {
  it('is off until HQ sets the years, then lists the long-inactive members', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/settings/privacy')
    const card = page.getByTestId('privacy-retention')
    await card.waitFor()
    await page.locator('input[data-testid="privacy-retention-years"], [data-testid="privacy-retention-years"] input').fill('1')
    await page.getByTestId('privacy-retention-save').click()
    await page.getByTestId('privacy-retention-summary').waitFor()
    const api = await signedInApi(b.baseUrl, DEMO.admin)
    const list = (await api('GET', '/api/v1/privacy/retention')).json as { total: number }
    expect(await page.getByTestId('privacy-retention-summary').textContent()).toContain(String(list.total))
    await screenshot(page, 'privacy-retention')
    // Off again: the demo chain keeps its members.
    expect((await api('PUT', '/api/v1/privacy/settings', { retentionYears: 0 })).status).toBe(200)
  })
})
