import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'store_manager', 'cashier']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const body = (input: Record<string, unknown> = {}) => ({
  name: '2025 年终返利', periodFrom: '2025-01-01', periodTo: '2025-12-31', basis: 'spend',
  brackets: [{ min: 100_000, rateBp: 100, fixed: 0 }, { min: 500_000, rateBp: 200, fixed: 1_000 }], reward: 'points', ...input,
})
const createProgramme = async (input: Record<string, unknown> = {}) => {
  const res = await as('hq_marketing', { method: 'POST', url: '/api/v1/rebate-programmes', payload: body(input) })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string; status: string }
}

describe('rebate programme routes', () => {
  it('creates, previews and runs a programme once', async () => {
    const m = await t.given.member()
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-RR', 1, 300_000]], businessAt: '2025-04-01T02:00:00.000Z' }))
    const p = await createProgramme()
    expect(p).toMatchObject({ status: 'draft', minRebate: 0, tierRates: null, couponTemplateId: null, membersRewarded: 0 })

    const list = await as('analyst', { method: 'GET', url: '/api/v1/rebate-programmes' })
    expect(list.statusCode).toBe(200)
    expect(list.json().map((x: { id: string }) => x.id)).toContain(p.id)

    const preview = await as('analyst', { method: 'GET', url: `/api/v1/rebate-programmes/${p.id}/preview?limit=10` })
    expect(preview.statusCode).toBe(200)
    expect(preview.json()).toMatchObject({
      totals: { members: 1, basis: 300_000, rebate: 3_000, awarded: 0 },
      items: [{ memberId: m.id, cardNo: m.cardNo, name: '王**', basis: 300_000, rebate: 3_000, awarded: false }],
      offset: 0, limit: 10,
    })

    const run = await as('hq_marketing', { method: 'POST', url: `/api/v1/rebate-programmes/${p.id}/run` })
    expect(run.statusCode).toBe(200)
    expect(run.json()).toMatchObject({ status: 'completed', membersRewarded: 1, totalRebate: 3_000 })
    const again = await as('hq_marketing', { method: 'POST', url: `/api/v1/rebate-programmes/${p.id}/run` })
    expect(again.json()).toEqual(run.json())

    const edit = await as('hq_marketing', { method: 'PUT', url: `/api/v1/rebate-programmes/${p.id}`, payload: body() })
    expect(edit.statusCode).toBe(409)
    expect(edit.json().error.code).toBe('REBATE_PROGRAMME_NOT_DRAFT')
    expect((await as('hq_marketing', { method: 'DELETE', url: `/api/v1/rebate-programmes/${p.id}` })).statusCode).toBe(409)
  })

  it.each([
    ['a missing name', { name: undefined }, 400],
    ['an unknown field', { colour: 'red' }, 400],
    ['a rate above 100%', { brackets: [{ min: 0, rateBp: 10_001, fixed: 0 }] }, 400],
    ['a huge minimum', { brackets: [{ min: 1e20, rateBp: 1, fixed: 0 }] }, 400],
    ['a fractional rate', { brackets: [{ min: 0, rateBp: 1.5, fixed: 0 }] }, 400],
    ['an unknown reward', { reward: 'cash' }, 400],
    ['brackets out of order', { brackets: [{ min: 500, rateBp: 1, fixed: 0 }, { min: 100, rateBp: 1, fixed: 0 }] }, 422],
    ['a period backwards', { periodFrom: '2025-12-31', periodTo: '2025-01-01' }, 422],
    ['a date that does not exist', { periodTo: '2025-02-29' }, 422],
    ['nothing to compute with', { brackets: [] }, 422],
    ['an unknown tier', { tierRates: { platinum: 100 } }, 422],
    ['a coupon without a template', { reward: 'coupon' }, 422],
    ['an unknown template', { reward: 'coupon', couponTemplateId: 'ctp_nope' }, 422],
  ])('refuses %s with %i and says which field', async (_name, input, status) => {
    const res = await as('hq_marketing', { method: 'POST', url: '/api/v1/rebate-programmes', payload: body(input) })
    expect(res.statusCode).toBe(status)
    expect(res.json().error.details.length).toBeGreaterThan(0)
  })

  it('answers unknown programmes with 404 and an open period with 409', async () => {
    for (const [method, url] of [['GET', '/api/v1/rebate-programmes/rbp_x'], ['GET', '/api/v1/rebate-programmes/rbp_x/preview'], ['POST', '/api/v1/rebate-programmes/rbp_x/run'], ['DELETE', '/api/v1/rebate-programmes/rbp_x']] as const) {
      const res = await as('hq_admin', { method, url })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.json().error.code).toBe('REBATE_PROGRAMME_NOT_FOUND')
    }
    const open = await createProgramme({ periodFrom: '2026-01-01', periodTo: '2026-12-31' })
    const res = await as('hq_marketing', { method: 'POST', url: `/api/v1/rebate-programmes/${open.id}/run` })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'REBATE_PERIOD_OPEN', details: [{ field: 'periodTo' }] })
  })

  it('lets only managers change or run programmes, and reporters see them', async () => {
    const p = await createProgramme()
    for (const who of ['analyst', 'store_manager', 'cashier']) {
      expect((await as(who, { method: 'POST', url: '/api/v1/rebate-programmes', payload: body() })).statusCode, who).toBe(403)
      expect((await as(who, { method: 'POST', url: `/api/v1/rebate-programmes/${p.id}/run` })).statusCode, who).toBe(403)
      expect((await as(who, { method: 'PUT', url: `/api/v1/rebate-programmes/${p.id}`, payload: body() })).statusCode, who).toBe(403)
    }
    expect((await as('cashier', { method: 'GET', url: `/api/v1/rebate-programmes/${p.id}/preview` })).statusCode).toBe(403)
    expect((await as('store_manager', { method: 'GET', url: `/api/v1/rebate-programmes/${p.id}` })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/rebate-programmes' })).statusCode).toBe(401)
  })

  it('edits and deletes a draft', async () => {
    const p = await createProgramme()
    const edit = await as('hq_marketing', { method: 'PUT', url: `/api/v1/rebate-programmes/${p.id}`, payload: body({ name: '改名', minRebate: 100, tierRates: { gold: 500 } }) })
    expect(edit.statusCode).toBe(200)
    expect(edit.json()).toMatchObject({ name: '改名', minRebate: 100, tierRates: { gold: 500 } })
    expect((await as('hq_marketing', { method: 'DELETE', url: `/api/v1/rebate-programmes/${p.id}` })).statusCode).toBe(204)
    expect((await as('hq_marketing', { method: 'GET', url: `/api/v1/rebate-programmes/${p.id}` })).statusCode).toBe(404)
  })
})
