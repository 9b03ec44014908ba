import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { choose, DEMO, openMenu, screenshot, signedInApi, signIn, useBrowser } from './browser.js'

// A member event's journey (issue 15 §5): HQ marketing creates a customer panel at a store and
// opens registration; the store's desk registers a member by card, checks them in at the door;
// the report counts them; the member's page lists the event. The demo's tasting a month ago shows
// its report with what attendees bought after.
const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const shot = (page: Page, name: string) => screenshot(page, `events-${name}`)
const title = `顾客座谈会${tail}`
let apiCall: Awaited<ReturnType<typeof signedInApi>>
let storeName: string
let member: { id: string; cardNo: string; name: string | null }
let eventId: string

beforeAll(async () => {
  apiCall = await signedInApi(b.baseUrl, DEMO.admin)
  const stores = (await apiCall('GET', '/api/v1/stores')).json as unknown as Array<{ id: string; code: string; name: string }>
  storeName = stores.find((s) => s.code === 'SH001')!.name
  const storeId = stores.find((s) => s.code === 'SH001')!.id
  member = (await apiCall('GET', `/api/v1/members?storeId=${storeId}&status=active&limit=1`)).json.items[0]
})

describe('member events', () => {
  it('creates a customer panel in the console and opens registration', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '营销', '会员活动')
    // The demo's events are listed with their seats.
    await page.getByTestId('events-table').locator('tr', { hasText: '春季新品试吃会' }).waitFor()
    await shot(page, 'list')

    await page.getByTestId('event-create').click()
    await page.getByTestId('event-title').fill(title)
    await page.getByTestId('event-kind').getByText('顾客座谈会').click()
    await choose(page, page.getByTestId('event-store'), `SH001 ${storeName}`)
    await page.locator('#event_capacity').fill('2')
    await shot(page, 'form')
    await page.getByTestId('event-save').click()
    await page.getByTestId('event-detail').waitFor()
    eventId = page.url().split('/').pop()!
    expect(await page.getByTestId('event-status').textContent()).toBe('草稿')
    const made = (await apiCall('GET', `/api/v1/marketing/events/${eventId}`)).json
    expect(made).toMatchObject({ title, kind: 'panel', storeName, capacity: 2, status: 'draft', seatsTaken: 0 })
    // A week ahead at 14:00 in the chain's zone (the form's default), two hours long.
    expect(new Date(made.endsAt).getTime() - new Date(made.startsAt).getTime()).toBe(2 * 3_600_000)
    expect(new Date(made.startsAt).toISOString().slice(11, 16)).toBe('06:00')

    await page.getByTestId('event-open').click()
    await page.getByTestId('event-open-confirm').click()
    await expect.poll(() => page.getByTestId('event-status').textContent()).toBe('报名中')
    await shot(page, 'opened')
  })

  it('registers a member at the desk by card, checks them in at the door, and shows the report', async () => {
    const page = await b.page()
    await signIn(page, DEMO.manager)
    await page.goto(`/marketing/events/${eventId}`)
    await page.getByTestId('event-detail').waitFor()

    await page.getByTestId('event-register-input').fill(member.cardNo)
    await page.getByTestId('event-register-button').click()
    const rows = page.getByTestId('registrations-table').locator('tbody tr.ant-table-row')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain(member.cardNo)
    expect(await rows.first().textContent()).toContain('已报名')
    expect(await rows.first().textContent()).toContain('服务台')
    await expect.poll(() => page.getByTestId('event-seats-left').textContent()).toBe('已报名 1 人，还剩 1 个名额')
    await shot(page, 'registered')

    await page.getByTestId('event-check-in-input').fill(member.cardNo)
    await page.getByTestId('event-check-in-button').click()
    await expect.poll(async () => (await rows.first().textContent()) ?? '').toContain('已签到')
    const regs = (await apiCall('GET', `/api/v1/marketing/events/${eventId}/registrations`)).json.items
    expect(regs).toEqual([expect.objectContaining({ memberId: member.id, status: 'attended', channel: 'desk' })])
    await shot(page, 'checked-in')

    await page.getByTestId('event-tab-report').click()
    await page.getByTestId('event-report').waitFor()
    await expect.poll(() => page.getByTestId('event-report-registered').textContent()).toContain('1')
    expect(await page.getByTestId('event-report-attended').textContent()).toContain('1')
    expect(await page.getByTestId('event-report-rate').textContent()).toContain('100.0%')
    expect(await page.getByTestId('event-report-invited').textContent()).toContain('—')
    await shot(page, 'report')

    // The member's page lists the event.
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-tab-events').click()
    const mine = page.getByTestId('member-events-table')
    await mine.locator('tr', { hasText: title }).waitFor()
    expect(await mine.locator('tr', { hasText: title }).textContent()).toContain('已签到')
    await shot(page, 'member')
  })

  it('shows the demo tasting\'s report: attendees against no-shows, with what they bought after', async () => {
    const events = (await apiCall('GET', '/api/v1/marketing/events?limit=200')).json.items as Array<{ id: string; title: string }>
    const tasting = events.find((e) => e.title === '春季新品试吃会')!
    const report = (await apiCall('GET', `/api/v1/marketing/events/${tasting.id}/report`)).json
    expect(report).toMatchObject({ attended: 20, cancelled: 4, registered: 26, followUp: { partial: false } })
    expect(report.followUp.attendees.buyers).toBeGreaterThan(0)

    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto(`/marketing/events/${tasting.id}`)
    await page.getByTestId('event-detail').waitFor()
    expect(await page.getByTestId('event-status').textContent()).toBe('报名截止')
    await page.getByTestId('event-tab-report').click()
    const groups = page.getByTestId('event-report-groups')
    await groups.locator('tr', { hasText: '到场会员' }).waitFor()
    expect(await page.getByTestId('event-report-rate').textContent()).toContain('76.9%')
    expect(await groups.locator('tr', { hasText: '到场会员' }).textContent()).toContain(`¥${(report.followUp.attendees.sales / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`)
    await shot(page, 'demo-report')
  })
})
