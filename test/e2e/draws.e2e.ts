import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-7)
const drawName = `E2E 抽奖 ${tail}`
let member: { id: string; cardNo: string }

// A member of our own with points to pay for entries, so the journey does not depend on the demo's.
beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const headers = { 'content-type': 'application/json', cookie }
  const created = await fetch(`${b.baseUrl}/api/v1/members`, { method: 'POST', headers, body: JSON.stringify({ phone: `1993${tail}`, name: '抽奖测试' }) })
  expect(created.status).toBe(201)
  member = ((await created.json()) as { member: { id: string; cardNo: string } }).member
  const adjusted = await fetch(`${b.baseUrl}/api/v1/members/${member.id}/points/adjustments`, { method: 'POST', headers, body: JSON.stringify({ points: 100, reason: '抽奖测试积分' }) })
  expect(adjusted.status).toBe(201)
})

describe('lucky draws', () => {
  it('an admin creates a draw with a points prize and activates it, draws for a member at the member page, and the results list the entry', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '权益', '抽奖活动')
    await page.getByTestId('draw-create').click()

    // The form starts from now for 30 days with one points prize; this draw always wins it.
    await page.getByTestId('draw-name').fill(drawName)
    await page.getByTestId('draw-entry-points').fill('10')
    await page.getByTestId('prize-name-0').fill('20积分')
    await page.getByTestId('prize-points-0').fill('20')
    await page.getByTestId('prize-stock-0').fill('5')
    await page.getByTestId('prize-weight-0').fill('1')
    await page.getByTestId('draw-no-prize-weight').fill('0')
    await page.getByTestId('draw-save').click()

    // Saved as a draft, the page of the draw opens; activating it opens it for entries.
    await page.getByTestId('draw-detail').waitFor()
    expect(await page.getByTestId('draw-title').textContent()).toBe(drawName)
    expect(await page.getByTestId('draw-phase').textContent()).toBe('草稿')
    expect(await page.getByTestId('draw-prizes').textContent()).toContain('100%')
    await page.getByTestId('draw-activate').click()
    await page.getByTestId('draw-activate-confirm').click()
    await page.getByTestId('draw-phase').getByText('进行中').waitFor()
    const drawUrl = page.url()

    // At the member page the desk picks the draw and draws: the outcome shows at once.
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-tab-draws').click()
    await page.getByTestId('member-draw-select').click()
    await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: drawName }).click()
    await page.getByTestId('member-draw-button').click()
    const outcome = page.getByTestId('member-draw-outcome')
    await outcome.getByText('恭喜中奖：20积分').waitFor()
    expect(await outcome.textContent()).toContain('10 积分')
    await page.getByTestId('member-draw-entries').getByText(drawName).waitFor()

    // The entry's points: 100 - 10 + 20.
    await page.getByTestId('member-tab-points').click()
    await expect.poll(() => page.getByTestId('points-balance').textContent()).toBe('110')

    // The draw's results list the entry; one of the five prizes is gone.
    await page.goto(drawUrl)
    await page.getByTestId('draw-results').getByText(member.cardNo).waitFor()
    expect(await page.getByTestId('draw-results').textContent()).toContain('中奖')
    expect(await page.getByTestId('prize-won-1').textContent()).toBe('1')
    await page.getByTestId('draw-tab-report').click()
    await page.getByTestId('draw-report').getByText('消耗积分').first().waitFor()
  })
})
