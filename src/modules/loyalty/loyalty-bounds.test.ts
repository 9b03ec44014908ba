import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'

// Parameters a schema cannot bound (a fraction of a fen, a rank the column holds) are refused
// by the rule validators, so a rule that would break every later sale is never stored.
describe('domain bounds of loyalty and rebate terms, through the API', () => {
  const context = useTestContext()
  let t: TestContext
  let cookie: string
  beforeAll(async () => {
    t = await context()
    cookie = await t.login(t.users.hq_admin!.username)
  })

  it('refuses a base rule of 1e-300 fen a point, and sales keep earning under the rule in force', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/loyalty/rules', headers: { cookie } })).json()
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/loyalty/rules', headers: { cookie },
      payload: { name: '极端', definition: { kind: 'base', fenPerPoint: 1e-300, rounding: 'floor', excludeTenders: [] }, validFrom: '2026-03-01T00:00:00Z' },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'definition.fenPerPoint', reason: expect.stringContaining('1 to 1000000') }] })
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/loyalty/rules', headers: { cookie } })).json()).toEqual(before)

    const member = await t.given.member()
    const posted = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: member.id }, lines: [['SKU-A', 1, 1000]] }))
    expect(posted.result.points).toBe(10)
  })

  it('refuses a tier rank the database cannot hold with 422, not a 500', async () => {
    const tiers = (await t.app.inject({ method: 'GET', url: '/api/v1/loyalty/tiers', headers: { cookie } })).json()
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/loyalty/tiers', headers: { cookie }, payload: { tiers: tiers.map((x: { rank: number }, i: number) => (i === 0 ? { ...x, rank: 2 ** 40 } : x)) } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'tiers[0].rank' }))
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/loyalty/tiers', headers: { cookie } })).json()).toEqual(tiers)
  })

  it('posts the largest sale under the largest rates, its points stopped at the ceiling of a receipt (PostgreSQL refused it)', async () => {
    const rule = await t.app.inject({ method: 'POST', url: '/api/v1/loyalty/rules', headers: { cookie }, payload: { name: '百倍', definition: { kind: 'multiplier', factor: 100 }, validFrom: '2026-01-01T00:00:00Z' } })
    expect(rule.statusCode).toBe(201)
    const tiers = (await t.app.inject({ method: 'GET', url: '/api/v1/loyalty/tiers', headers: { cookie } })).json()
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/loyalty/tiers', headers: { cookie }, payload: { tiers: tiers.map((x: object) => ({ ...x, earnFactorPct: 1000 })) } })
    expect(put.statusCode).toBe(200)
    const member = await t.given.member()
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/pos/receipts', headers: { cookie }, payload: { ...sale({ member: { id: member.id }, lines: [['SKU-A', 10, 1_000_000_000]] }), storeId: t.stores.a } })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ points: 10_000_000, member: { balance: 10_000_000 } })
  })

  it('refuses a points rebate whose fixed part is more points than an entry holds', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/rebate-programmes', headers: { cookie },
      payload: { name: '年终返利', periodFrom: '2025-01-01', periodTo: '2025-12-31', basis: 'spend', reward: 'points', brackets: [{ min: 0, rateBp: 100, fixed: 1_000_000_000_000 }] },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'brackets.0.fixed' }))
  })
})
