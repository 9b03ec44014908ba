/// <reference lib="dom" />
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const categoryName = `E2E 商品质量 ${tail}`
const teamName = `E2E 全天客服组 ${tail}`
const SHOTS = 'test-results/e2e'
// A small PNG: the server checks the picture by its bytes.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

let cookie = ''
let me: { id: string; displayName: string }
let member: { id: string; cardNo: string }
let categoryId = ''
let teamId = ''

const apiCall = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${b.baseUrl}${path}`, {
    method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie }, body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, any> }
}

const shot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/service-desk-${name}.png`, fullPage: true })
}

/** Picks an option of the open select dropdown by its text. */
const pick = async (page: Page, text: string) => {
  await page.locator('.ant-select-dropdown:visible').getByText(text, { exact: true }).first().click()
}

const shanghaiToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())

// Our own member, category and a team that works around the clock (so a 1-minute SLA runs out
// one real minute after intake, whatever the hour), with the signed-in admin as lead and member.
beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin) })
  expect(login.status).toBe(200)
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  me = (await apiCall('GET', '/api/v1/auth/me')).json.user
  const created = await apiCall('POST', '/api/v1/members', { phone: `1993${tail}1`, name: '投诉测试' })
  expect(created.status).toBe(201)
  member = created.json.member
  const category = await apiCall('POST', '/api/v1/service/categories', { name: categoryName, nameEn: `E2E quality ${tail}` })
  expect(category.status).toBe(201)
  categoryId = category.json.id
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]))
  const team = await apiCall('POST', '/api/v1/service/teams', { name: teamName, kind: 'desk', leadUserId: me.id, workingHours: allDay })
  expect(team.status).toBe(201)
  teamId = team.json.id
  expect((await apiCall('POST', `/api/v1/service/teams/${teamId}/members`, { userId: me.id })).status).toBe(200)
  // Today must be a working day for the SLA clock to run.
  const settings = (await apiCall('GET', '/api/v1/service/settings')).json as { holidays: string[] }
  if (settings.holidays.includes(shanghaiToday())) {
    expect((await apiCall('PUT', '/api/v1/service/settings', { holidays: settings.holidays.filter((d) => d !== shanghaiToday()) })).status).toBe(200)
  }
})

describe('the service desk', () => {
  it('sets a 1-minute first response for a category on the settings page', async () => {
    const page = await b.page()
    await settingsJourney(page).catch(async (err: unknown) => {
      await shot(page, 'settings-failure')
      throw err
    })
  })

  it('logs a complaint about a receipt from the receipts list, the member, receipt and store filled in', async () => {
    const page = await b.page()
    const receipts = (await apiCall('GET', '/api/v1/receipts?limit=50')).json.items as Array<{ id: string; receiptNo: string; memberId: string | null; storeName: string }>
    const receipt = receipts.find((r) => r.memberId)!
    await signIn(page, DEMO.admin)
    await page.goto('/receipts')
    await page.getByTestId('receipts-filter-no').fill(receipt.receiptNo)
    await page.getByTestId('receipts-filter-apply').click()
    await page.getByTestId('receipts-table').locator('tr', { hasText: receipt.receiptNo }).locator('.ant-table-row-expand-icon').click()
    await page.getByTestId(`receipt-complain-${receipt.receiptNo}`).click()
    await page.getByTestId('new-ticket-receipt').waitFor()
    await page.getByTestId('new-ticket-member').waitFor()
    await page.getByTestId('new-ticket-store').getByText(receipt.storeName).waitFor()
    await page.getByTestId('new-ticket-category').click()
    await page.keyboard.type(categoryName)
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: categoryName }).click()
    await page.getByTestId('new-ticket-description').fill('小票上的价格与货架标价不一致')
    await page.getByTestId('new-ticket-submit').click()
    await page.getByTestId('ticket-page').waitFor()
    const ticket = (await apiCall('GET', `/api/v1/tickets/${page.url().split('/').pop()}`)).json
    expect(ticket).toMatchObject({ receiptId: receipt.id, memberId: receipt.memberId, storeName: receipt.storeName, channel: 'desk' })

    // A photo: a text file is refused before it is sent; a PNG shows as a thumbnail served by the API.
    const upload = page.getByTestId('ticket-photos').locator('input[type=file]')
    await upload.setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') })
    await page.getByText('只能上传 JPEG、PNG、WebP 或 GIF 图片').waitFor()
    await upload.setInputFiles({ name: 'milk.png', mimeType: 'image/png', buffer: PNG })
    await page.waitForFunction(() => (document.querySelector('[data-testid=ticket-photos] img') as HTMLImageElement | null)?.naturalWidth === 1)
    await page.getByTestId('ticket-event-photo').waitFor()
  })

  it('logs a complaint from the member page, assigns it, sees it escalate past its deadline, resolves it with goodwill points and records the follow-up', async () => {
    const page = await b.page()
    try {
      await journey(page)
    } catch (err) {
      // The context is gone by the time onTestFailed runs: the page as it stood, for the failure.
      await shot(page, 'failure')
      throw err
    }
  }, 300_000)
})

const journey = async (page: Page) => {
  await signIn(page, DEMO.admin)

  // The member page's 服务 tab: no tickets yet, and 登记投诉 opens the form with the member filled in.
  await page.goto(`/members/${member.id}`)
  await page.getByTestId('member-tab-service').click()
  await page.getByTestId('member-tickets').getByText('该会员没有工单').waitFor()
  await page.getByTestId('member-new-ticket').click()
  await page.getByTestId('new-ticket-member').getByText(member.cardNo, { exact: false }).waitFor()
  await page.getByTestId('new-ticket-store').click()
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click()
  await page.getByTestId('new-ticket-category').click()
  await page.keyboard.type(categoryName)
  await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: categoryName }).click()
  await page.getByTestId('new-ticket-channel').getByText('电话').click()
  await page.getByTestId('new-ticket-description').fill('买的牛奶开盒后发现已变质，顾客要求说法。')
  await page.getByTestId('new-ticket-team').click()
  await pick(page, teamName)
  await shot(page, 'new-ticket')
  await page.getByTestId('new-ticket-submit').click()

  // The ticket page: new, first response due in a minute (orange), the member linked.
  await page.getByTestId('ticket-page').waitFor()
  const ticketNo = (await page.getByTestId('ticket-no').textContent())!.trim()
  expect(ticketNo).toMatch(/^TS-\d{8}-\d{4}$/)
  const ticketId = page.url().split('/').pop()!
  await page.getByTestId('ticket-status').getByText('新建').waitFor()
  await page.getByTestId('ticket-member').waitFor()
  expect(await page.getByTestId('ticket-first-response-countdown').getAttribute('data-tone')).toBe('soon')

  // Assigned to our team and to the admin: no reason needed the first time.
  await page.getByTestId('ticket-assign').click()
  await page.getByTestId('assign-person').click()
  await pick(page, me.displayName)
  await page.getByTestId('assign-submit').click()
  await page.getByTestId('ticket-assignee').getByText(me.displayName).waitFor()
  await page.getByTestId('ticket-status').getByText('已分派').waitFor()
  await page.getByTestId('ticket-event-assigned').waitFor()
  // An internal note sits apart from what the customer is told.
  await page.getByTestId('ticket-note').click()
  await page.getByTestId('note-body').fill('先联系供应商核对批次')
  await page.getByTestId('note-submit').click()
  await page.getByTestId('ticket-note-body').getByText('先联系供应商核对批次').waitFor()

  // The queue shows it with its countdown, and the keyboard opens it.
  await page.goto('/service/tickets')
  await page.getByTestId('tickets-queue-all').click()
  await page.getByTestId('tickets-search').locator('input').fill(ticketNo)
  await page.getByTestId('tickets-search').locator('input').press('Enter')
  const queueRow = page.getByTestId('tickets-table').locator('tr', { hasText: ticketNo })
  await queueRow.getByTestId('ticket-countdown').waitFor()
  await shot(page, 'queue')
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('j')
  await page.keyboard.press('Enter')
  await page.waitForURL(`**/service/tickets/${ticketId}`)

  // Nobody answered within the minute: the every-minute SLA job escalates it to the team lead.
  const deadline = Date.now() + 130_000
  for (;;) {
    const ticket = (await apiCall('GET', `/api/v1/tickets/${ticketId}`)).json
    if (ticket.escalationLevel >= 1) break
    expect(Date.now(), 'the ticket did not escalate within 130 s').toBeLessThan(deadline)
    await new Promise((r) => setTimeout(r, 3000))
  }
  await page.reload()
  await page.getByTestId('ticket-escalation').getByText(`1 级 → 组长（${me.displayName}）`).waitFor()
  expect(await page.getByTestId('ticket-first-response-countdown').getAttribute('data-tone')).toBe('overdue')
  await page.getByTestId('ticket-event-escalated').waitFor()
  await shot(page, 'ticket-escalated')

  // Resolved, with 200 goodwill points on the member's ledger (one grant however often clicked).
  const before = (await apiCall('GET', `/api/v1/members/${member.id}/points`)).json.balance as number
  await page.getByTestId('ticket-resolve').click()
  await page.getByTestId('resolve-outcome').fill('退款并致歉，已下架同批次商品')
  await page.getByTestId('resolve-reply').fill('已为您退款，并赠送积分表示歉意')
  // Told by SMS: the worker sends it through the channels (the sandbox) and the timeline says so.
  await page.getByRole('dialog').getByText('短信', { exact: true }).click()
  await page.getByTestId('resolve-submit').click()
  await page.getByTestId('ticket-status').getByText('已解决').waitFor()
  await expect.poll(async () => {
    const events = (await apiCall('GET', `/api/v1/tickets/${ticketId}`)).json.timeline as Array<{ kind: string; data: { sent?: boolean } }>
    return events.filter((e) => e.kind === 'reply').at(-1)?.data.sent
  }, { timeout: 60_000, interval: 1000 }).toBe(true)
  await page.reload()
  await page.getByTestId('reply-send-state').getByText('已发送').waitFor()
  await page.getByTestId('ticket-compensate').click()
  await page.getByTestId('compensation-points').fill('200')
  await page.getByTestId('compensation-submit').dblclick()
  await page.getByTestId('ticket-compensations').getByText('200 积分').waitFor()
  expect(await page.getByTestId('ticket-compensation-row').count()).toBe(1)
  expect((await apiCall('GET', `/api/v1/members/${member.id}/points`)).json.balance).toBe(before + 200)

  // The follow-up call: reached, very satisfied; the ticket closes.
  await page.getByTestId('ticket-follow-up').click()
  // Five stars, checked before the form goes (a click during the modal's opening animation can miss).
  const fifthStar = page.getByTestId('follow-up-satisfaction').locator('li').nth(4)
  for (let attempt = 0; attempt < 3 && !(await fifthStar.getAttribute('class'))?.includes('ant-rate-star-full'); attempt++) {
    await fifthStar.locator('[role="radio"]').click()
    await expect.poll(() => fifthStar.getAttribute('class'), { timeout: 3_000 }).toContain('ant-rate-star-full').catch(() => undefined)
  }
  await expect.poll(() => fifthStar.getAttribute('class')).toContain('ant-rate-star-full')
  await page.getByTestId('follow-up-comment').fill('处理及时，很满意')
  await page.getByTestId('follow-up-submit').click()
  await page.getByTestId('ticket-status').getByText('已关闭').waitFor()
  await page.getByTestId('ticket-follow-ups').getByText('5 分 · 处理及时，很满意').waitFor()
  await page.getByTestId('ticket-event-follow_up').waitFor()
  await shot(page, 'ticket-closed')

  // The member page lists it; the reports count it.
  await page.goto(`/members/${member.id}`)
  await page.getByTestId('member-tab-service').click()
  await page.getByTestId('member-tickets-table').getByText(ticketNo).waitFor()
  await shot(page, 'member-tab')
  await page.goto('/service/reports')
  await page.getByTestId('service-report-card-volume').waitFor()
  await page.getByTestId('service-report-definitions').getByText('SLA 达成率', { exact: false }).first().waitFor()
  await page.waitForTimeout(1000)
  await shot(page, 'reports')
}

const settingsJourney = async (page: Page) => {
  await signIn(page, DEMO.admin)
  await openMenu(page, '服务', '服务设置')
  await page.getByTestId('teams-table').locator('tr', { hasText: teamName }).getByText('周一–周日 00:00-24:00').waitFor()
  await shot(page, 'settings-teams')

  await page.getByTestId('settings-tab-sla').click()
  await page.getByTestId('sla-add').click()
  await page.getByTestId('sla-category').click()
  await page.keyboard.type(categoryName)
  await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: categoryName }).click()
  await page.getByTestId('sla-first').fill('1')
  await page.getByTestId('sla-first-unit').getByText('分钟').click()
  await page.getByTestId('sla-resolution').fill('8')
  await page.getByTestId('sla-remind').fill('0')
  await page.getByTestId('sla-submit').click()
  const row = page.getByTestId('sla-table').locator('tr', { hasText: categoryName })
  await row.getByText('1 分钟').waitFor()
  expect(await row.textContent()).toContain('8 小时')
  await shot(page, 'settings-sla')
  for (const tab of ['categories', 'desk', 'limits'] as const) {
    await page.getByTestId(`settings-tab-${tab}`).click()
    await page.waitForTimeout(300)
    await shot(page, `settings-${tab}`)
  }
  await page.getByTestId('limits-table').getByText('客服').waitFor()
  const policies = (await apiCall('GET', '/api/v1/service/sla-policies')).json as unknown as Array<{ categoryId: string | null; severity: string; firstResponseMinutes: number }>
  expect(policies.find((p) => p.categoryId === categoryId && p.severity === 'normal')?.firstResponseMinutes).toBe(1)
}
