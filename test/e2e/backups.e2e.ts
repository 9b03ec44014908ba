import { describe, expect, it } from 'vitest'
import { DEMO, openMenu, screenshot, signIn, useBrowser } from './browser.js'

const b = useBrowser()

describe('backups', () => {
  it('an HQ administrator backs up now from 设置 → 数据备份 and sees the run and the backup on disk', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '设置', '数据备份')
    await page.getByTestId('backups-page').waitFor()
    expect(await page.getByTestId('backups-page').textContent()).toContain('数据加密密钥不在备份中')
    await page.getByTestId('backup-now').click()
    await page.getByText(/已加入队列|本分钟已有一次备份在排队/).first().waitFor()
    // The worker runs it: reload until the manual run shows as done.
    await expect.poll(async () => {
      await page.reload()
      await page.getByTestId('backup-runs').waitFor()
      return page.getByTestId('backup-runs').locator('tr', { hasText: '手动' }).filter({ hasText: '成功' }).count()
    }, { timeout: 60_000, interval: 2_000 }).toBeGreaterThan(0)
    expect(await page.getByTestId('backup-files').locator('tbody tr').filter({ hasText: 'patron-backup-' }).count()).toBeGreaterThan(0)
    await screenshot(page, 'backups-page')
  })
})
