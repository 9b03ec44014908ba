import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Patron } from '../bootstrap.js'
import { clvReport } from './clv.js'
import { render } from './output.js'

const context = useTestContext()
let t: TestContext
let patron: Patron

const day = (from: string, plus: number) => new Date(Date.parse(`${from}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  t = await context()
  patron = { services: t.services } as unknown as Patron
  // 60 members: a first purchase in June or July 2025, then 0–4 more 9–20 days apart (of
  // differing value), some of them after the calibration end (2025-09-30).
  for (let i = 0; i < 60; i++) {
    const m = await t.given.member()
    const first = day('2025-06-01', (i * 7) % 45)
    const repeats = i % 5
    let at = first
    for (let k = 0; k <= repeats; k++) {
      await t.given.receipt({ member: { id: m.id }, businessAt: `${at}T04:00:00.000Z`, lines: [['SKU-T', 1, 2_000 + ((i * 37 + k * 11) % 50) * 100]] })
      at = day(at, 9 + ((i + k) % 12) * (1 + (i % 3)))
    }
  }
})

describe('patron analytics clv', () => {
  it('fits BG/NBD and Gamma-Gamma and prints the parameters, the holdout by repeat purchases, and one JSON document with --format json', async () => {
    const out = await clvReport.run(patron, { format: 'json', calibrationEnd: '2025-09-30', holdoutEnd: '2026-01-31', unit: 'day' })
    const fit = await t.services.clv.fit(t.actors.hq_admin, { calibrationEnd: '2025-09-30', holdoutEnd: '2026-01-31', unit: 'day' })
    expect({ ...(out.json as object), seconds: 0 }).toEqual({ ...fit, seconds: 0 })
    expect(out.json).toMatchObject({ model: 'bg/nbd', members: 60, unit: 'day', gammaGamma: { p: expect.any(Number), q: expect.any(Number), gamma: expect.any(Number) } })
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(fit[k]).toBeGreaterThan(0)
    expect(fit.holdout!.byRepeats.reduce((s, r) => s + r.members, 0)).toBe(60)
    expect(JSON.parse(render(out, 'json'))).toMatchObject({ model: 'bg/nbd', r: fit.r })
    const table = render(out, 'table')
    expect(table).toContain('BG/NBD fitted on purchases to 2025-09-30 (unit: day)')
    expect(table).toMatch(/repeat purchases\s+members\s+actual\s+predicted/)
    expect(render(out, 'csv').split('\n')[0]).toBe('r,alpha,a,b,log-likelihood,members,repeat members')
  })

  it('refuses a missing calibration end, an unknown unit or region, and too few repeat buyers, saying why', async () => {
    await expect(clvReport.run(patron, { format: 'table' })).rejects.toThrow(/--calibration-end <date> is required/)
    await expect(clvReport.run(patron, { format: 'table', calibrationEnd: '2025-09-30', unit: 'month' })).rejects.toThrow(/--unit must be day or week/)
    await expect(clvReport.run(patron, { format: 'table', calibrationEnd: '2025-09-30', region: 'NOPE' })).rejects.toThrow(/no region with code NOPE/)
    await expect(clvReport.run(patron, { format: 'table', calibrationEnd: '2025-13-01' })).rejects.toMatchObject({ code: 'CLV_INVALID_INPUT', details: [{ field: 'calibrationEnd' }] })
    // By 2025-06-20 only a handful had bought a second time.
    await expect(clvReport.run(patron, { format: 'table', calibrationEnd: '2025-06-20' })).rejects.toMatchObject({ code: 'CLV_TOO_FEW_REPEAT_CUSTOMERS', details: [{ field: 'calibrationEnd' }] })
  })
})
