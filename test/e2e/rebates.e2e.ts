import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const name = `年终返利测试${tail}`

// The demo's receipts fill the year before the seed: the 365 days up to yesterday, in Shanghai.
const shanghaiDate = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(ms))
const periodFrom = shanghaiDate(Date.now() - 365 * 86_400_000)
const periodTo = shanghaiDate(Date.now() - 86_400_000)

let cookie = ''
const apiCall = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${b.baseUrl}${path}`, {
    method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie }, body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, any> }
}

beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
})

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''))

describe('year-end rebates in the console', () => {
  it('creates a points rebate over the last year, previews members and totals, runs it once; a second run changes nothing', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '权益', '年终返利')
    await page.getByTestId('rebates-table').waitFor()

    await page.getByTestId('rebate-create').click()
    await page.getByTestId('rebate-name').fill(name)
    // The range picker: type each end and confirm it with Enter.
    const picker = page.locator('.ant-picker-range', { has: page.locator('#rebate_period') })
    const [start, end] = [picker.locator('input').nth(0), picker.locator('input').nth(1)]
    await start.click()
    await start.fill(periodFrom)
    await start.press('Enter')
    await end.fill(periodTo)
    await end.press('Enter')
    // Every yuan counts: 1% of spend back as points from the first fen.
    await page.getByTestId('bracket-min-0').fill('0')
    await page.getByTestId('bracket-rate-0').fill('1')
    await page.getByTestId('rebate-form-submit').click()

    const row = page.getByTestId('rebates-table').locator('tr', { hasText: name })
    await row.waitFor()
    expect(await row.textContent()).toContain('草稿')
    expect(await row.textContent()).toContain(`${periodFrom} ~ ${periodTo}`)
    const programmes = (await apiCall('GET', '/api/v1/rebate-programmes')).json as unknown as Array<{ id: string; name: string }>
    const id = programmes.find((p) => p.name === name)!.id

    // The preview opens on the saved programme: members, their rebates and the totals.
    const preview = page.getByTestId('rebate-preview')
    await preview.getByTestId('rebate-preview-table').locator('tbody tr.ant-table-row').first().waitFor()
    const expected = (await apiCall('GET', `/api/v1/rebate-programmes/${id}/preview?limit=1`)).json
    expect(expected.totals.members).toBeGreaterThan(0)
    await expect.poll(async () => digits(await page.getByTestId('rebate-total-members').locator('.ant-statistic-content').textContent())).toBe(expected.totals.members)
    expect(await page.getByTestId('rebate-total-basis').textContent()).toMatch(/¥[\d,]+\.\d{2}/)
    expect(digits(await page.getByTestId('rebate-total-rebate').locator('.ant-statistic-content').textContent())).toBe(expected.totals.rebate)
    const first = expected.items[0] as { memberId: string; cardNo: string; rebate: number }
    expect(await preview.getByTestId('rebate-preview-table').locator('tbody tr.ant-table-row').first().textContent()).toContain(first.cardNo)
    const balanceBefore = (await apiCall('GET', `/api/v1/members/${first.memberId}/points`)).json.balance as number

    await page.getByTestId('rebate-run').click()
    await page.getByTestId('rebate-run-confirm').click()
    await page.getByTestId('rebate-completed').waitFor()
    await expect.poll(() => row.textContent()).toContain('已完成')
    expect(await page.getByTestId('rebate-run').count()).toBe(0)

    const done = (await apiCall('GET', `/api/v1/rebate-programmes/${id}`)).json
    expect(done).toMatchObject({ status: 'completed', membersRewarded: expected.totals.members, totalRebate: expected.totals.rebate })
    const balanceAfter = (await apiCall('GET', `/api/v1/members/${first.memberId}/points`)).json.balance as number
    expect(balanceAfter).toBe(balanceBefore + first.rebate)
    const ledger = (await apiCall('GET', `/api/v1/members/${first.memberId}/points/entries?limit=5`)).json
    expect(ledger.items.filter((e: { kind: string; reference: string }) => e.kind === 'award' && e.reference === id)).toHaveLength(1)

    // Running it again gives nothing twice.
    const again = await apiCall('POST', `/api/v1/rebate-programmes/${id}/run`)
    expect(again.status).toBe(200)
    expect(again.json).toEqual(done)
    expect((await apiCall('GET', `/api/v1/members/${first.memberId}/points`)).json.balance).toBe(balanceAfter)
    const shown = (await apiCall('GET', `/api/v1/rebate-programmes/${id}/preview?limit=1`)).json
    expect(shown.totals).toMatchObject({ members: expected.totals.members, rebate: expected.totals.rebate, awarded: expected.totals.members })

    // A run programme can no longer be changed.
    expect(await row.getByTestId(`rebate-edit-${id}`).count()).toBe(0)
    expect((await apiCall('PUT', `/api/v1/rebate-programmes/${id}`, { name, periodFrom, periodTo, basis: 'spend', brackets: [{ min: 0, rateBp: 100, fixed: 0 }], reward: 'points' })).status).toBe(409)
  })
})
