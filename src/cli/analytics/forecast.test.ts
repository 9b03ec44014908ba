import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { addDays } from '../../shared/time.js'
import type { Patron } from '../bootstrap.js'
import { forecastReport } from './forecast.js'
import { render } from './output.js'

const context = useTestContext()
let t: TestContext
let patron: Patron

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-10T02:00:00.000Z')
  patron = { services: t.services } as unknown as Patron
  await t.given.product({ sku: 'RICE', name: '大米', department: '粮油', category: '米', listPrice: 5000 })
  // 10 weeks to Sunday 8 March: store A sells ¥50, ¥60, ¥50, ¥60 … of rice each week (on Tuesdays).
  for (let w = 0; w < 10; w++) await t.given.receipt({ businessAt: `${addDays('2025-12-30', 7 * w)}T03:00:00.000Z`, lines: [['RICE', 1, w % 2 === 0 ? 5000 : 6000]] })
})

describe('patron analytics forecast', () => {
  it('forecasts every series and prints them, one store\'s with --store', async () => {
    const out = await forecastReport.run(patron, { format: 'table', horizon: '4' })
    const json = out.json as { run: { series: number; horizon: number; lastWeek: string }; series: Array<{ level: string; key: string; last4: number; historyWeeks: number }> }
    expect(json.run).toMatchObject({ series: 2, horizon: 4, lastWeek: '2026-03-02' })
    expect(json.series.map((s) => [s.level, s.key, s.historyWeeks, s.last4])).toEqual([['store_department', '粮油', 10, 22_000], ['chain_category', '米', 10, 22_000]])
    const table = render(out, 'table')
    expect(table).toContain('2 series (0 too short) from the weeks to 2026-03-02')
    expect(table).toMatch(/last 4 weeks \(yuan\)\s+next 4 weeks \(yuan\)/)
    expect(table).toContain('220.00')
    const one = await forecastReport.run(patron, { format: 'json', storeId: t.stores.b })
    expect((one.json as { series: unknown[] }).series).toEqual([])
  })

  it('refuses a bad horizon or history, saying why', async () => {
    await expect(forecastReport.run(patron, { format: 'table', horizon: '0' })).rejects.toThrow(/--horizon must be a whole number from 1 to 26/)
    await expect(forecastReport.run(patron, { format: 'table', weeks: 'lots' })).rejects.toThrow(/--weeks must be a whole number from 6 to 520/)
  })
})
