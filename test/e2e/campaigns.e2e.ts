import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { choose, DEMO, openMenu, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

// A campaign's journey (issue 15 §3): HQ sets the sending rules, builds a campaign in four steps
// (a segment, an SMS template with its live preview, a coupon, a 20% holdout), submits it; the
// server's worker (`patron serve` runs one beside the API) starts the run and sends; the run's
// funnel, its recipients, the message log and the report show what happened.
const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const shot = (page: Page, name: string) => screenshot(page, `campaigns-${name}`)
const field = (page: Page, testId: string) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()

const segmentName = `活动女性会员${tail}`
const templateName = `活动短信${tail}`
const couponName = `活动满100减10券${tail}`
const campaignName = `周末女性会员回馈${tail}`
const sku = `E2E-CMP-${tail}`
let apiCall: Awaited<ReturnType<typeof signedInApi>>
let segmentId: string
let couponId: string
let templateId: string
let campaignId: string
let rulesBefore: Record<string, unknown>

beforeAll(async () => {
  apiCall = await signedInApi(b.baseUrl, DEMO.admin)
  const segment = await apiCall('POST', '/api/v1/insight/segments', { name: segmentName, definition: { field: 'gender', op: 'in', value: ['female'] } })
  expect(segment.status).toBe(201)
  segmentId = segment.json.id
  const template = await apiCall('POST', '/api/v1/marketing/templates', {
    name: templateName, channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}您好，周末送您一张{{couponName}}，券码{{couponCode}}，到店出示即可使用。',
  })
  expect(template.status).toBe(201)
  templateId = template.json.id
  const coupon = await apiCall('POST', '/api/v1/coupon-templates', { name: couponName, kind: 'threshold', value: 1000, minSpend: 10_000, validDays: 30 })
  expect(coupon.status).toBe(201)
  couponId = coupon.json.id
  expect((await apiCall('POST', '/api/v1/products', { sku, name: '活动测试商品', listPrice: 10_000 })).status).toBe(201)
  rulesBefore = (await apiCall('GET', '/api/v1/marketing/campaign-settings')).json
})

afterAll(async () => {
  // The other journeys find the chain's sending rules as they were.
  const { capCount, capDays, quietStart, quietEnd, chainHoldoutPct, approvalRequired, costs } = rulesBefore as Record<string, never>
  await apiCall('PUT', '/api/v1/marketing/campaign-settings', { capCount, capDays, quietStart, quietEnd, chainHoldoutPct, approvalRequired, costs })
})

describe('campaigns', () => {
  it('sets the sending rules: quiet hours off (the test runs at any hour), 6 fen an SMS', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '营销', '营销活动')
    await page.getByTestId('campaigns-tab-settings').click()
    const quiet = page.getByTestId('settings-quiet')
    await quiet.waitFor()
    if ((await quiet.getAttribute('aria-checked')) === 'true') await quiet.click()
    await field(page, 'settings-cost-sms').fill('0.06')
    await shot(page, 'settings')
    await page.getByTestId('settings-save').click()
    await page.getByText('发送规则已保存').waitFor()
    const saved = (await apiCall('GET', '/api/v1/marketing/campaign-settings')).json
    expect(saved.quietStart).toBe(saved.quietEnd)
    expect(saved.costs.sms).toBe(6)
  })

  it('builds a campaign in four steps with a live count and preview, submits it, and follows its run to the messages sent', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/marketing/campaigns')
    await page.getByTestId('campaign-create').click()

    // ① The audience: the segment and its live count (the API's count).
    await page.getByTestId('campaign-name').fill(campaignName)
    await choose(page, page.getByTestId('campaign-segment'), segmentName)
    const members = (await apiCall('GET', `/api/v1/insight/segments/${segmentId}/count`)).json.count as number
    expect(members).toBeGreaterThan(10)
    await expect.poll(() => page.getByTestId('campaign-segment-count').textContent()).toBe(`客群现有 ${members.toLocaleString('en-US')} 人`)
    await shot(page, 'step-audience')
    await page.getByTestId('campaign-next').click()

    // ② SMS with the new template, previewed as a member would get it.
    await choose(page, page.getByTestId('campaign-template-sms'), templateName)
    const preview = page.getByTestId('campaign-preview-text').first()
    await expect.poll(() => preview.textContent()).toContain('周末送您一张')
    expect((await preview.textContent())!.startsWith('【惠民超市】')).toBe(true)
    await shot(page, 'step-channels')
    await page.getByTestId('campaign-next').click()

    // ③ The coupon: the preview now names it.
    await choose(page, page.getByTestId('campaign-coupon'), couponName)
    await expect.poll(() => page.getByTestId('campaign-preview-text').nth(1).textContent()).toContain(couponName)
    await shot(page, 'step-coupon')
    await page.getByTestId('campaign-next').click()

    // ④ Sent on submitting, a 20% holdout, the default 14 days measured.
    expect(await field(page, 'campaign-holdout').inputValue()).toBe('10')
    await field(page, 'campaign-holdout').fill('20')
    expect(await field(page, 'campaign-attribution').inputValue()).toBe('14')
    await shot(page, 'step-schedule')
    await page.getByTestId('campaign-save').click()
    await page.getByTestId('campaign-detail').waitFor()
    expect(await page.getByTestId('campaign-status').textContent()).toBe('草稿')
    campaignId = page.url().split('/').pop()!
    const draft = (await apiCall('GET', `/api/v1/marketing/campaigns/${campaignId}`)).json
    expect(draft).toMatchObject({
      name: campaignName, status: 'draft', segmentId, audienceMode: 'dynamic', channels: ['sms'], templateIds: { sms: templateId }, couponTemplateId: couponId,
      scheduleKind: 'now', holdoutPct: 20, attributionDays: 14,
    })
    await shot(page, 'draft')

    // Submitted (no approval asked): the worker starts the run and sends.
    await page.getByTestId('campaign-submit').click()
    await page.getByTestId('campaign-submit-confirm').click()
    await expect.poll(async () => (await apiCall('GET', `/api/v1/marketing/campaigns/${campaignId}`)).json.status, { timeout: 60_000, interval: 1_000 }).toBe('completed')
    const run = (await apiCall('GET', `/api/v1/marketing/campaigns/${campaignId}`)).json.runs[0]
    expect(run.audience).toBe(members)
    expect(run.holdout).toBeGreaterThan(0)
    expect(run.sent).toBeGreaterThan(0)
    expect(run.sent + run.skipped + run.failed).toBe(run.targets)
    expect(run.audience - run.excluded - run.noConsent - run.chainHoldout - run.holdout).toBe(run.targets)
    // The page follows on its own (it reads the campaign again while it sends).
    await expect.poll(() => page.getByTestId('campaign-status').textContent(), { timeout: 15_000 }).toBe('已完成')
    expect(await page.getByTestId('run-sent-1').textContent()).toBe(run.sent.toLocaleString('en-US'))
    expect(await page.getByTestId('run-holdout-1').textContent()).toBe(run.holdout.toLocaleString('en-US'))
    await shot(page, 'run')

    // The recipients: those messaged and the holdout, masked.
    await page.getByTestId('campaign-tab-recipients').click()
    const recipients = page.getByTestId('recipients-table')
    await recipients.locator('tbody tr.ant-table-row', { hasText: '已发送' }).first().waitFor()
    await choose(page, page.getByTestId('recipients-filter-group'), '活动对照组')
    const rows = recipients.locator('tbody tr.ant-table-row')
    await expect.poll(async () => (await rows.first().textContent()) ?? '').toContain('对照组（不发送）')
    expect(await rows.filter({ hasText: '已发送' }).count()).toBe(0)
    // Masked: 138****6846, never a whole phone number.
    expect(await recipients.textContent()).toMatch(/1\d\d\*{4}\d{4}/)
    expect(await recipients.textContent()).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/)
    await shot(page, 'recipients')
  })

  it('shows the campaign\'s messages in the message log, and its report against the holdout with the chart', async () => {
    const { runs } = (await apiCall('GET', `/api/v1/marketing/campaigns/${campaignId}`)).json
    // A purchase by one member messaged and one held out, so the report has sales to compare.
    const stores = (await apiCall('GET', '/api/v1/stores')).json as Array<{ id: string; status: string }>
    const storeId = stores.find((s) => s.status === 'open')!.id
    for (const [group, amount] of [['target', 12_000], ['holdout', 8_000]] as const) {
      const who = (await apiCall('GET', `/api/v1/marketing/campaigns/${campaignId}/recipients?group=${group}&limit=1`)).json.items[0]
      const sale = await apiCall('POST', '/api/v1/pos/receipts', {
        storeId, receiptNo: `CMP${tail}${group.slice(0, 1)}`, businessAt: new Date().toISOString(), member: { id: who.memberId },
        lines: [{ sku, quantity: 1, unitPrice: amount, amount }], tenders: [{ kind: 'cash', amount }], total: amount,
      })
      expect(sale.status).toBe(201)
    }

    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '营销', '消息通道')
    const row = page.getByTestId('messages-table').locator('tr', { hasText: '周末送您一张' }).first()
    await row.waitFor()
    expect(await row.textContent()).toContain(couponName)
    expect(await row.textContent()).toContain('营销')
    await shot(page, 'message-log')
    const logged = (await apiCall('GET', '/api/v1/marketing/messages?channel=sms')).json.items.filter((m: { sourceId: string | null }) => m.sourceId === runs[0].id)
    expect(logged.length).toBeGreaterThan(0)

    await page.goto(`/marketing/campaigns/${campaignId}`)
    await page.getByTestId('campaign-tab-report').click()
    const report = page.getByTestId('campaign-report')
    await report.waitFor()
    await page.getByTestId('campaign-report-partial').waitFor()
    const api = (await apiCall('GET', `/api/v1/marketing/campaigns/${campaignId}/report`)).json
    expect(api.groups.target.members).toBe(runs[0].targets)
    expect(api.groups.holdout.members).toBe(runs[0].holdout)
    expect(api.coupons.issued).toBe(runs[0].sent)
    expect(api.messages.cost).toBe(api.messages.total * 6)
    expect(api.uplift.incrementalSales).not.toBeNull()
    expect(await page.getByTestId('report-messages').textContent()).toContain(api.messages.total.toLocaleString('en-US'))
    await report.locator('canvas').waitFor()
    await page.waitForTimeout(1_500) // the chart's lines draw in
    expect(await page.getByTestId('report-definitions').textContent()).toContain('增量销售额 =（发送对象人均销售额 − 对照组人均销售额）× 发送对象人数')
    await shot(page, 'report')

    // The audit log names the campaign and says what was done, in words.
    await page.goto(`/settings/audit?entityType=campaign&entityId=${campaignId}`)
    await page.getByText('提交营销活动').first().waitFor()
    expect(await page.locator('body').textContent()).toContain(`营销活动：${campaignName}`)
    await shot(page, 'audit')
  })

  it('waits for an HQ administrator when the rules ask: not its submitter; a rejection says why; approved, it is scheduled; cancelled, it stops', async () => {
    expect((await apiCall('PUT', '/api/v1/marketing/campaign-settings', { approvalRequired: true })).status).toBe(200)
    const marketer = { username: 'marketing', password: 'Demo#2026' }
    const asMarketer = await signedInApi(b.baseUrl, marketer)
    const name = `待审批活动${tail}`
    const made = await asMarketer('POST', '/api/v1/marketing/campaigns', {
      name, segmentId, channels: ['sms'], templateIds: { sms: templateId }, scheduleKind: 'at', sendAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    })
    expect(made.status).toBe(201)
    const id = made.json.id as string

    // The marketer submits: it waits for approval, and they cannot approve it themselves.
    const mine = await b.page()
    await signIn(mine, marketer)
    await mine.goto(`/marketing/campaigns/${id}`)
    await mine.getByTestId('campaign-submit').click()
    await mine.getByText('提交后需总部管理员审批，批准后才会发送。确定提交吗？').waitFor()
    await mine.getByTestId('campaign-submit-confirm').click()
    await expect.poll(() => mine.getByTestId('campaign-status').textContent()).toBe('待审批')
    expect(await mine.getByTestId('campaign-approve').count()).toBe(0)
    await mine.getByTestId('campaign-withdraw').waitFor()
    await shot(mine, 'pending-approval')

    // The administrator rejects it with a reason: a draft again.
    const hq = await b.page()
    await signIn(hq, DEMO.admin)
    await hq.goto(`/marketing/campaigns/${id}`)
    await hq.getByTestId('campaign-reject').click()
    await hq.getByTestId('campaign-withdraw-submit').click()
    await hq.getByText('请写下驳回原因，提交人会看到').waitFor()
    await hq.getByTestId('campaign-withdraw-reason').fill('优惠券面额太大')
    await hq.getByTestId('campaign-withdraw-submit').click()
    await expect.poll(() => hq.getByTestId('campaign-status').textContent()).toBe('草稿')
    const trail = (await apiCall('GET', `/api/v1/audit?entityType=campaign&entityId=${id}`)).json
    expect(trail.items[0]).toMatchObject({ action: 'campaign.withdraw', changes: { reason: '优惠券面额太大' } })
    expect(trail.labels[id]).toBe(name)

    // Submitted again and approved: scheduled for its time; then cancelled after a confirmation.
    await mine.reload()
    await mine.getByTestId('campaign-submit').click()
    await mine.getByTestId('campaign-submit-confirm').click()
    await expect.poll(() => mine.getByTestId('campaign-status').textContent()).toBe('待审批')
    await hq.reload()
    await hq.getByTestId('campaign-approve').click()
    await hq.getByTestId('campaign-approve-confirm').click()
    await expect.poll(() => hq.getByTestId('campaign-status').textContent()).toBe('已排期')
    await shot(hq, 'approved')
    await hq.getByTestId('campaign-cancel').click()
    await hq.getByText('尚未发出的消息将不再发送，已发出的不受影响；取消后不能恢复。').waitFor()
    await hq.getByTestId('campaign-cancel-confirm').click()
    await expect.poll(() => hq.getByTestId('campaign-status').textContent()).toBe('已取消')
    expect((await apiCall('GET', `/api/v1/marketing/campaigns/${id}`)).json).toMatchObject({ status: 'cancelled', nextRunAt: null })
  })
})
