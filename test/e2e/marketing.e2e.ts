import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { choose, DEMO, openMenu, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const shot = (page: Page, name: string) => screenshot(page, `marketing-${name}`)
let apiCall: Awaited<ReturnType<typeof signedInApi>>
beforeAll(async () => { apiCall = await signedInApi(b.baseUrl, DEMO.admin) })

describe('message templates', () => {
  it('writes an SMS template beside its live preview with a demo member (signature, unsubscribe words, length), saves it and archives it', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '营销', '消息模板')
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
    await openMenu(page, '营销', '消息通道')
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

  it('sets the SMS channel to a webhook gateway through the form (a bad URL shown on its field), keeps the secret when left blank, and puts it back on the sandbox', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/marketing/channels')
    await page.getByRole('tab', { name: '通道' }).click()
    const card = page.getByTestId('provider-sms')
    await card.getByText('沙箱', { exact: true }).waitFor()
    await page.getByTestId('provider-edit-sms').click()
    await choose(page, page.getByTestId('provider-kind'), '短信网关（Webhook）')
    await page.getByTestId('provider-field-url').fill('ftp://127.0.0.1:9/')
    await page.getByTestId('provider-field-secret').fill('gw-secret-e2e')
    await page.getByTestId('provider-field-signName').fill('惠民超市')
    await page.getByTestId('provider-save').click()
    // Leaving the sandbox is confirmed first: from now on messages leave this machine.
    const confirm = page.locator('.ant-modal-confirm')
    expect(await confirm.locator('.ant-modal-confirm-title').textContent()).toBe('消息将离开本机')
    expect(await confirm.textContent()).toContain('短信消息将由“短信网关（Webhook）”真实发出')
    await page.getByTestId('provider-confirm-ok').click()
    // The server's 422 is shown on the field it names, in Chinese.
    const urlItem = page.locator('.ant-form-item', { has: page.getByTestId('provider-field-url') })
    await urlItem.getByText('请输入 http(s) 网址').waitFor()
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' })
    await shot(page, 'provider-form-error')
    await page.getByTestId('provider-field-url').fill('http://127.0.0.1:9/')
    await expect.poll(() => urlItem.locator('.ant-form-item-explain-error').count()).toBe(0)
    await page.getByTestId('provider-save').click()
    await page.getByTestId('provider-confirm-ok').last().click()
    await card.getByText('短信网关（Webhook）', { exact: true }).waitFor()
    expect(await card.textContent()).toContain('http://127.0.0.1:9/')
    expect(await page.getByTestId('provider-secrets-sms').textContent()).toBe('签名密钥')
    expect(await card.textContent()).not.toContain('gw-secret-e2e')
    await shot(page, 'providers')
    const saved = (await apiCall('GET', '/api/v1/marketing/providers')).json.find((p: { channel: string }) => p.channel === 'sms')
    expect(saved).toMatchObject({ kind: 'webhook_sms', enabled: true, settings: { url: 'http://127.0.0.1:9/', signName: '惠民超市' }, hasSecret: { secret: true } })

    // Opened again: the secret is shown as set and starts blank; saved blank, it is kept (no question: nothing new leaves).
    await page.getByTestId('provider-edit-sms').click()
    await page.getByTestId('provider-secret-set-secret').waitFor()
    const secret = page.getByTestId('provider-field-secret')
    expect(await secret.inputValue()).toBe('')
    expect(await secret.getAttribute('placeholder')).toBe('已设置，留空则保持不变')
    expect(await page.getByTestId('provider-field-url').inputValue()).toBe('http://127.0.0.1:9/')
    expect(await page.getByTestId('provider-receipt-url').textContent()).toContain('/api/v1/public/marketing/receipts/webhook_sms')
    // The drawer has slid in before the picture is taken.
    await page.locator('.ant-drawer-content-wrapper').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
    await shot(page, 'provider-form')
    await page.getByTestId('provider-field-signName').fill('惠民')
    await page.getByTestId('provider-save').click()
    await expect.poll(async () => (await apiCall('GET', '/api/v1/marketing/providers')).json.find((p: { channel: string }) => p.channel === 'sms').settings.signName).toBe('惠民')
    expect((await apiCall('GET', '/api/v1/marketing/providers')).json.find((p: { channel: string }) => p.channel === 'sms').hasSecret).toEqual({ secret: true })

    // Back to the sandbox.
    await page.getByTestId('provider-edit-sms').click()
    await choose(page, page.getByTestId('provider-kind'), '沙箱')
    await page.getByText('沙箱无需任何设置。').waitFor()
    await page.getByTestId('provider-save').click()
    await card.getByText('沙箱', { exact: true }).waitFor()
    expect((await apiCall('GET', '/api/v1/marketing/providers')).json.find((p: { channel: string }) => p.channel === 'sms')).toMatchObject({ kind: 'sandbox', hasSecret: {} })
    await page.getByTestId('sandbox-notice').waitFor()
  })
})

describe('a member\'s messages', () => {
  it('shows the messages a member received on the member page (none yet: its empty state), for roles that read marketing', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    const member = (await apiCall('GET', '/api/v1/members?limit=1')).json.items[0] as { id: string }
    const messages = (await apiCall('GET', `/api/v1/marketing/messages?memberId=${member.id}`)).json as { items: Array<{ body: string }> }
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-tab-messages').click()
    const table = page.getByTestId('member-messages-table')
    await table.waitFor()
    if (messages.items.length === 0) await table.getByText('这位会员还没有收到消息').waitFor()
    else {
      await table.locator('tbody tr', { hasText: messages.items[0]!.body.split('\n')[0]! }).first().click()
      await expect.poll(() => page.getByTestId('member-message-body').textContent()).toBe(messages.items[0]!.body)
    }
    await shot(page, 'member-messages')

    // A cashier's member page has no such tab.
    await page.context().close()
    const cashier = await b.page()
    await signIn(cashier, DEMO.cashier)
    await cashier.goto(`/members/${member.id}`)
    await cashier.getByTestId('member-tabs').waitFor()
    expect(await cashier.getByTestId('member-tab-messages').count()).toBe(0)
  })
})
