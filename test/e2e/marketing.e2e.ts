import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const shot = (page: Page, name: string) => screenshot(page, `marketing-${name}`)
let apiCall: Awaited<ReturnType<typeof signedInApi>>
beforeAll(async () => { apiCall = await signedInApi(b.baseUrl, DEMO.admin) })

describe('message templates', () => {
  it('writes an SMS template beside its live preview with a demo member (signature, unsubscribe words, length), saves it and archives it', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.getByTestId('side-menu').getByText('营销', { exact: true }).click()
    await page.getByTestId('side-menu').getByText('消息模板').click()
    // The demo's templates are there.
    await page.getByTestId('templates-table').getByText('积分到期提醒').waitFor()
    await expect.poll(() => page.locator('input[data-testid="sms-signature"], [data-testid="sms-signature"] input').first().inputValue()).toBe('惠民超市')
    await shot(page, 'templates')

    const member = (await apiCall('GET', '/api/v1/members?limit=1')).json.items[0] as { id: string; cardNo: string }
    const name = `周末促销${tail}`
    await page.getByTestId('template-create').click()
    await page.getByTestId('template-name').fill(name)
    await page.getByTestId('template-insert-memberName').click()
    const body = page.getByTestId('template-body-zh')
    await body.press('End')
    await body.pressSequentially('，本周末全场满100减20，您当前有')
    await page.getByTestId('template-insert-pointsBalance').click()
    await body.press('End')
    await body.pressSequentially('积分。')
    await page.getByTestId('template-preview-member').fill(member.cardNo)
    await page.getByTestId('template-preview-find').click()
    const points = (await apiCall('GET', `/api/v1/members/${member.id}/points`)).json.balance as number
    const text = page.getByTestId('template-preview-text')
    await expect.poll(() => text.textContent()).toContain(`您当前有${points}积分。回T退订`)
    const shown = (await text.textContent())!
    expect(shown.startsWith('【惠民超市】')).toBe(true)
    expect(await page.getByTestId('template-preview-length').textContent()).toContain(`${[...shown].length} 字 · 计 ${[...shown].length <= 70 ? 1 : Math.ceil([...shown].length / 67)} 条短信`)
    await shot(page, 'template-editor')
    await page.getByTestId('template-submit').click()
    const row = page.getByTestId('templates-table').locator('tr', { hasText: name })
    await row.waitFor()
    expect(await row.textContent()).toContain('使用中')

    const saved = (await apiCall('GET', '/api/v1/marketing/templates?channel=sms')).json.items.find((x: { name: string }) => x.name === name)
    expect(saved).toMatchObject({ channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，本周末全场满100减20，您当前有{{pointsBalance}}积分。', variables: ['memberName', 'pointsBalance'] })
    await row.getByTestId(`template-status-${saved.id}`).click()
    await expect.poll(() => row.textContent()).toContain('已归档')
  })
})

describe('message channels', () => {
  it('shows every channel on the sandbox, sends a test SMS through it and finds it in the message log, delivered and masked', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.getByTestId('side-menu').getByText('营销', { exact: true }).click()
    await page.getByTestId('side-menu').getByText('消息通道').click()
    await page.getByTestId('sandbox-notice').waitFor()
    await page.getByRole('tab', { name: '通道' }).click()
    await page.getByTestId('provider-sms').getByText('沙箱', { exact: true }).waitFor()
    await page.getByTestId('provider-test-sms').click()
    await page.getByTestId('test-send-to').fill('13812345678')
    const text = `测试短信${tail}`
    await page.getByTestId('test-send-body').fill(text)
    await page.getByTestId('test-send-submit').click()
    const row = page.getByTestId('messages-table').locator('tr', { hasText: text })
    await row.waitFor()
    expect(await row.textContent()).toContain('已送达')
    expect(await row.textContent()).toContain('138****5678')
    expect(await row.textContent()).not.toContain('13812345678')
    await shot(page, 'message-log')
    const logged = (await apiCall('GET', '/api/v1/marketing/messages?channel=sms')).json.items.find((m: { body: string }) => m.body === text)
    expect(logged).toMatchObject({ providerKind: 'sandbox', status: 'delivered', purpose: 'service', recipient: '138****5678' })
  })
})
