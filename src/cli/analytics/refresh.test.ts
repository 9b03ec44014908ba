import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { render } from './output.js'
import { refreshReport } from './refresh.js'

const context = useTestContext()
let t: TestContext
let patron: Patron
beforeAll(async () => {
  t = await context()
  patron = { services: t.services } as unknown as Patron
})

describe('patron analytics refresh', () => {
  it('runs a full refresh with --full and an incremental one without, and prints what each did', async () => {
    const m = await t.given.member()
    await t.given.receipt({ member: { id: m.id } })
    // Later than the overlap (a minute) after the receipt, so the next run reads only what comes after.
    t.clock.advance(5 * 60_000)
    const full = await refreshReport.run(patron, { format: 'table', full: true })
    expect(full.json).toMatchObject({ mode: 'full', fullReason: 'requested', asOf: '2026-03-02', receiptsRead: 1, members: expect.any(Number) })
    const table = render(full, 'table')
    expect(table).toContain('Full refresh')
    expect(table).toMatch(/members recomputed\s+receipts read\s+seconds/)
    expect(table).toContain('2025-03-03 … 2026-03-02')

    t.clock.advance(5 * 60_000)
    await t.given.receipt({ member: { id: m.id } })
    const inc = await refreshReport.run(patron, { format: 'json' })
    expect(inc.json).toMatchObject({ mode: 'incremental', members: 1, receiptsRead: 1 })
    expect(JSON.parse(render(inc, 'json'))).toMatchObject({ mode: 'incremental' })
    expect(render(inc, 'csv').split('\n')[0]).toBe('as of,window,members recomputed,receipts read,seconds')
  })

  it('takes --as-of for an earlier day (a full refresh, as the day differs)', async () => {
    const out = await refreshReport.run(patron, { format: 'json', asOf: '2026-02-01' })
    expect(out.json).toMatchObject({ mode: 'full', fullReason: 'new_day', asOf: '2026-02-01', window: { from: '2025-02-02', to: '2026-02-01' } })
  })
})
