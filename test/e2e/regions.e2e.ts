import { describe, expect, it } from 'vitest'
import { screenshot, signIn, signedInApi, useBrowser } from './browser.js'

const b = useBrowser()
const REGION = { username: 'region.east', password: 'Demo#2026' }

describe('region managers and a store\'s own settings', () => {
  it("shows a region manager the staff of the region's stores, and lets them add a store manager to one", async () => {
    const page = await b.page()
    await signIn(page, REGION)
    await page.goto('/settings/staff')
    await page.getByTestId('staff-region-hint').waitFor()
    expect(await page.getByTestId('staff-region-hint').textContent()).toContain('华东区')
    const table = page.getByTestId('staff-table')
    await table.locator('tr', { hasText: 'manager.sh001' }).waitFor()
    // Another region's store's staff are not listed.
    expect(await table.locator('tr', { hasText: 'manager.bj001' }).count()).toBe(0)
    await screenshot(page, 'regions-staff')

    // The form offers the store roles and the region's stores only.
    await page.getByTestId('create-user').click()
    await page.getByTestId('user-role').click()
    const roles = page.locator('.ant-select-dropdown:visible')
    await roles.getByText('店长', { exact: true }).waitFor()
    expect(await roles.getByText('总部管理员', { exact: true }).count()).toBe(0)
    expect(await roles.getByText('区域经理', { exact: true }).count()).toBe(0)
    await page.keyboard.press('Escape')

    const api = await signedInApi(b.baseUrl, REGION)
    const me = (await api('GET', '/api/v1/auth/me')).json
    expect(me.user).toMatchObject({ role: 'region_manager' })
    const receipts = (await api('GET', '/api/v1/receipts?limit=200')).json.items as Array<{ storeId: string }>
    const stores = (await api('GET', '/api/v1/stores')).json as Array<{ id: string; regionId: string | null }>
    const east = new Set(stores.filter((s) => s.regionId === me.user.regionId).map((s) => s.id))
    expect(receipts.length).toBeGreaterThan(0)
    expect(receipts.every((r) => east.has(r.storeId))).toBe(true)
  })

  it("shows each till setting as inherited from HQ or the store's own, and a store manager changes what HQ allows", async () => {
    const page = await b.page()
    await signIn(page, { username: 'manager.sh002', password: 'Demo#2026' })
    await page.goto('/stores')
    await page.getByTestId('till-settings-SH002').click()
    const drawer = page.getByTestId('store-till-settings')
    await drawer.waitFor()
    // The demo: HQ lets stores set their return limit (SH002 has its own), and keeps the scale layout.
    await page.getByTestId('till-returnApprovalAbove-own').waitFor()
    await page.getByTestId('till-scaleLayout-locked').waitFor()
    expect(await drawer.textContent()).toContain('¥500.00')
    await screenshot(page, 'regions-store-till-settings')

    // Back to HQ's: the tag says inherited, and the value in use is HQ's.
    await page.getByTestId('till-returnApprovalAbove-switch').click()
    await page.getByTestId('till-store-save').click()
    await page.getByTestId('till-returnApprovalAbove-inherited').waitFor()
    const api = await signedInApi(b.baseUrl, { username: 'manager.sh002', password: 'Demo#2026' })
    const stores = (await api('GET', '/api/v1/stores')).json as unknown as Array<{ id: string; code: string }>
    const sh002 = stores.find((s) => s.code === 'SH002')!.id
    const settings = (await api('GET', `/api/v1/stores/${sh002}/till-settings`)).json as { hq: { returnApprovalAbove: number }; effective: { returnApprovalAbove: number }; overrides: object }
    expect(settings.effective.returnApprovalAbove).toBe(settings.hq.returnApprovalAbove)
    expect(settings.overrides).toEqual({})
    expect(await drawer.textContent()).toContain(`¥${(settings.hq.returnApprovalAbove / 100).toFixed(2)}`)
    // And the store's own again.
    await page.getByTestId('till-returnApprovalAbove-switch').click()
    await page.getByTestId('till-returnApprovalAbove-input').fill('300')
    await page.getByTestId('till-store-save').click()
    await page.getByTestId('till-returnApprovalAbove-own').waitFor()
    expect(await drawer.textContent()).toContain('¥300.00')
    await screenshot(page, 'regions-store-till-settings-own')
    // Another store's settings are not offered to this store's manager.
    expect(await page.getByTestId('till-settings-SH001').count()).toBe(0)
  })
})
