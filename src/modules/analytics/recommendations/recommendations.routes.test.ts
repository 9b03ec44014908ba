import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { buildRecommendations } from '../analytics.jobs.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let cashier: string
const ids: Record<string, string> = {}
const members: Record<string, string> = {}

/**
 * Sales to 10 March 2026 (all at store A):
 *   m1: {牛奶, 面包} on 20 Feb, 25 Feb and 1 Mar; {鸡蛋} on 8 Mar (two days ago)
 *   m2: {面包, 果酱} on 2 and 3 Mar
 *   m3: {牛奶, 果酱} on 2 and 4 Mar; {口香糖, 红酒} on 5 and 6 Mar
 *   m4: {口香糖, 红酒, 牛奶} on 5 Mar
 *   no member: {茶} on 1–7 Mar (7 sales)
 * 口香糖 earns no points; 红酒 is taken off sale after its sales.
 */
const SALES: Array<[member: string | null, skus: string[], dates: string[]]> = [
  ['m1', ['MILK', 'BREAD'], ['02-20', '02-25', '03-01']],
  ['m1', ['EGG'], ['03-08']],
  ['m2', ['BREAD', 'JAM'], ['03-02', '03-03']],
  ['m3', ['MILK', 'JAM'], ['03-02', '03-04']],
  ['m3', ['GUM', 'WINE'], ['03-05', '03-06']],
  ['m4', ['GUM', 'WINE', 'MILK'], ['03-05']],
  [null, ['TEA'], ['03-01', '03-02', '03-03', '03-04', '03-05', '03-06', '03-07']],
]

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-10T02:00:00.000Z')
  analyst = await t.login(t.users.analyst!.username)
  cashier = await t.login(t.users.cashier!.username)
  const products: Array<[string, string, string, boolean]> = [
    ['MILK', '牛奶', '乳品', true], ['BREAD', '面包', '烘焙', true], ['EGG', '鸡蛋', '蛋品', true], ['JAM', '果酱', '调味', true],
    ['GUM', '口香糖', '零食', false], ['WINE', '红酒', '酒水', true], ['TEA', '茶', '饮料', true],
  ]
  for (const [sku, name, category, pointsEligible] of products) ids[sku] = (await t.given.product({ sku, name, category, pointsEligible, listPrice: 500 })).id
  for (const m of ['m1', 'm2', 'm3', 'm4']) members[m] = (await t.given.member()).id
  for (const [member, skus, dates] of SALES) {
    for (const d of dates) {
      await t.given.receipt({ ...(member ? { member: { id: members[member]! } } : {}), businessAt: `2026-${d}T03:00:00.000Z`, lines: skus.map((s) => [s, 1, 500]) })
    }
  }
  await t.services.catalog.deactivate(t.actors.hq_admin, ids.WINE!)
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const skus = (items: Array<{ sku: string }>) => items.map((i) => i.sku)

describe('recommendations through the API', () => {
  it('suggests from the member\'s own history alone before any model is built', async () => {
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/recommendations/model' })).json()).toEqual({ model: null })
    const res = await as(cashier, { method: 'GET', url: `/api/v1/members/${members.m1}/recommendations` })
    expect(res.statusCode, res.body).toBe(200)
    // 鸡蛋 was bought two days ago: left out for 7 days.
    expect(res.json()).toMatchObject({ memberId: members.m1, model: null, asOf: '2026-03-10', excludeDays: 7 })
    expect(skus(res.json().items)).toEqual(['MILK', 'BREAD'])
    expect(res.json().items[0]).toMatchObject({ productId: ids.MILK, name: '牛奶', category: '乳品', listPrice: 500, memberPrice: null, pointsEligible: true, soldByWeight: false, reason: { kind: 'repeat', days: 3, lastDate: '2026-03-01' } })
  })

  it('builds the model as a job and suggests with its neighbours, each with its reason', async () => {
    const queued = await as(analyst, { method: 'POST', url: '/api/v1/insight/recommendations/model', payload: {} })
    expect(queued.statusCode, queued.body).toBe(202)
    expect((await as(analyst, { method: 'POST', url: '/api/v1/insight/recommendations/model', payload: {} })).json()).toEqual({ jobId: queued.json().jobId, joined: true })
    await t.drainJobs()
    const { model } = (await as(analyst, { method: 'GET', url: '/api/v1/insight/recommendations/model' })).json()
    // 18 sales with products, 4 members, 7 products; from 90 days back to today.
    expect(model).toMatchObject({ from: '2025-12-11', to: '2026-03-10', baskets: 18, members: 4, products: 7, createdBy: t.users.analyst!.username })
    // Pairs on ≥ 2 sales: 牛奶–面包 3, 牛奶–果酱 2, 面包–果酱 2, 口香糖–红酒 3; pairs of ≥ 2 members:
    // 牛奶–口香糖, 牛奶–红酒, 口香糖–红酒. Each pair is stored both ways: (4 + 3) × 2 rows.
    expect(model.neighbours).toBe(14)

    const res = await as(cashier, { method: 'GET', url: `/api/v1/members/${members.m1}/recommendations` })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.model).toEqual(model)
    // m1 buys 牛奶 and 面包 (3 of 7 days each). 果酱 is on sales with both (cos 2/√24 and 2/√20; 面包's
    // is larger); 口香糖 is bought by members who buy 牛奶 (2/√6); 茶 is the most popular product.
    // 鸡蛋 (two days ago) and 红酒 (off sale) are never suggested.
    expect(skus(body.items)).toEqual(['MILK', 'BREAD', 'JAM', 'GUM', 'TEA'])
    expect(body.items[2].reason).toEqual({ kind: 'together', productId: ids.BREAD, sku: 'BREAD', name: '面包' })
    expect(body.items[2].score).toBeCloseTo(0.2 * (2 / Math.sqrt(24)) * (3 / 7) + 0.2 * (2 / Math.sqrt(20)) * (3 / 7) + 0.001 * (4 / 7), 12)
    expect(body.items[3].reason).toEqual({ kind: 'similar', productId: ids.MILK, sku: 'MILK', name: '牛奶' })
    expect(body.items[4].reason).toEqual({ kind: 'popular', rank: 1 })

    // A points offer leaves out 口香糖; excludeDays 0 lets 鸡蛋 back; limit cuts the list.
    expect(skus((await as(cashier, { method: 'GET', url: `/api/v1/members/${members.m1}/recommendations?pointsOnly=true` })).json().items)).toEqual(['MILK', 'BREAD', 'JAM', 'TEA'])
    expect(skus((await as(cashier, { method: 'GET', url: `/api/v1/members/${members.m1}/recommendations?excludeDays=0&limit=3` })).json().items)).toEqual(['MILK', 'BREAD', 'EGG'])
  })

  it('gives a member without purchases the popular products on sale', async () => {
    const fresh = await t.given.member()
    const res = await as(cashier, { method: 'GET', url: `/api/v1/members/${fresh.id}/recommendations?limit=3` })
    expect(skus(res.json().items)).toEqual(['TEA', 'MILK', 'BREAD'])
    expect(res.json().items.map((i: { reason: { rank: number } }) => i.reason.rank)).toEqual([1, 2, 3])
  })

  it('refuses what it cannot answer with the field and the reason', async () => {
    const unknown = await as(cashier, { method: 'GET', url: '/api/v1/members/mbr_nope/recommendations' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error).toMatchObject({ code: 'MEMBER_NOT_FOUND', details: [{ field: 'id' }] })
    const limit = await as(cashier, { method: 'GET', url: `/api/v1/members/${members.m1}/recommendations?limit=0` })
    expect(limit.statusCode).toBe(400)
    expect(limit.body).toContain('limit')
    const days = await as(analyst, { method: 'POST', url: '/api/v1/insight/recommendations/model', payload: { days: 0 } })
    expect(days.statusCode).toBe(400)
    expect(days.body).toContain('days')
    // Building is HQ's: a cashier reads suggestions but neither builds nor sees the model page.
    expect((await as(cashier, { method: 'POST', url: '/api/v1/insight/recommendations/model', payload: {} })).statusCode).toBe(403)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/insight/recommendations/model' })).statusCode).toBe(403)
    await expect(t.services.recommendations.build(t.actors.hq_admin, { days: 1.5 })).rejects.toMatchObject({ code: 'RECOMMENDATIONS_INVALID_INPUT', details: [{ field: 'days' }] })
  })

  it('keeps the newest three models', async () => {
    const job = { id: 'job_test', name: buildRecommendations.name, attempt: 1, enqueuedAt: t.clock.now().toISOString() }
    for (let i = 0; i < 3; i++) {
      t.clock.set(`2026-03-10T0${3 + i}:00:00.000Z`)
      await buildRecommendations.run({ days: 30 }, { ...t.services, job })
    }
    const models = await t.services.db.selectFrom('recommendation_models').select(['id', 'from_date']).orderBy('built_at').execute()
    expect(models.map((m) => m.from_date)).toEqual(['2026-02-09', '2026-02-09', '2026-02-09'])
    const stored = await t.services.db.selectFrom('product_neighbours').select('model_id').distinct().execute()
    expect(stored.map((s) => s.model_id).sort()).toEqual(models.map((m) => m.id).sort())
  })
})
