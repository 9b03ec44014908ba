import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { mineRules } from '../analytics.jobs.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let manager: string
const ids: Record<string, string> = {}

/**
 * Store A's sales: 6 × {牛奶, 面包}, 3 × {牛奶, 鸡蛋}, 1 × {面包, 鸡蛋, 苹果}, 2 × {苹果}, and one
 * return (not a basket); store B's: 4 × {啤酒, 花生}. Products in two categories of one department.
 */
const A: Array<[string[], number]> = [[['MILK', 'BREAD'], 6], [['MILK', 'EGG'], 3], [['BREAD', 'EGG', 'APPLE'], 1], [['APPLE'], 2]]
const B: Array<[string[], number]> = [[['BEER', 'NUTS'], 4]]

beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-10T02:00:00.000Z')
  analyst = await t.login(t.users.analyst!.username)
  manager = await t.login(t.users.store_manager!.username)
  const products: Array<[string, string, string]> = [['MILK', '牛奶', '乳品'], ['BREAD', '面包', '烘焙'], ['EGG', '鸡蛋', '乳品'], ['APPLE', '苹果', '水果'], ['BEER', '啤酒', '酒水'], ['NUTS', '花生', '零食']]
  for (const [sku, name, category] of products) ids[sku] = (await t.given.product({ sku, name, department: '食品', category, listPrice: 500 })).id
  let n = 0
  for (const [store, by, baskets] of [[t.stores.a, t.actors.cashier, A], [t.stores.b, t.actors.cashierB, B]] as const) {
    for (const [skus, times] of baskets) {
      for (let k = 0; k < times; k++) {
        const receipt = await t.given.receipt({ by, storeId: store, businessAt: `2026-03-0${1 + (n++ % 8)}T03:00:00.000Z`, lines: skus.map((s) => [s, 1, 500]) })
        if (skus[0] === 'APPLE' && k === 0) await t.given.return({ originalReceiptNo: receipt.receiptNo, businessAt: '2026-03-09T01:00:00.000Z' })
      }
    }
  }
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const sides = (r: { antecedent: Array<{ label: string }>; consequent: Array<{ label: string }> }) => `${r.antecedent.map((i) => i.label).join('+')}=>${r.consequent.map((i) => i.label).join('+')}`

describe('association rules through the API', () => {
  it('mines every store\'s sales, with support, confidence and lift as counted by hand, and stores the run', async () => {
    const res = await as(analyst, { method: 'POST', url: '/api/v1/insight/rules/runs', payload: { level: 'sku', from: '2026-03-01', to: '2026-03-10', minSupport: 0.1, minConfidence: 0.3 } })
    expect(res.statusCode, res.body).toBe(201)
    const { run, rules } = res.json()
    // 16 sales (the return is no basket); 6 products.
    expect(run).toMatchObject({ level: 'sku', baskets: 16, items: 6, storeId: null, membersOnly: false, minSupport: 0.1, minConfidence: 0.3 })
    // Pairs with ≥ 2 baskets (support ≥ 0.1 of 16 → 2): 牛奶+面包 6, 牛奶+鸡蛋 3, 啤酒+花生 4.
    // 牛奶 9, 面包 7, 鸡蛋 4, 啤酒 4, 花生 4: 牛奶 ⇒ 鸡蛋 has confidence 3/9, just above 0.3.
    const byName = new Map(rules.map((r: Parameters<typeof sides>[0] & Record<string, number>) => [sides(r), r]))
    expect([...byName.keys()].sort()).toEqual(['啤酒=>花生', '牛奶=>面包', '牛奶=>鸡蛋', '花生=>啤酒', '面包=>牛奶', '鸡蛋=>牛奶'].sort())
    expect(byName.get('面包=>牛奶')).toMatchObject({ baskets: 6, antecedentBaskets: 7, consequentBaskets: 9, support: 6 / 16, confidence: 6 / 7 })
    expect((byName.get('面包=>牛奶') as { lift: number }).lift).toBeCloseTo((6 / 7) / (9 / 16), 12)
    expect((byName.get('花生=>啤酒') as { lift: number }).lift).toBeCloseTo(4, 12)
    expect(rules[0]).toMatchObject({ rank: 1 })
    expect(sides(rules[0])).toMatch(/啤酒|花生/)

    const runs = await as(analyst, { method: 'GET', url: '/api/v1/insight/rules/runs' })
    expect(runs.json().runs[0]).toEqual(run)
    const page = await as(analyst, { method: 'GET', url: `/api/v1/insight/rules?item=${ids.MILK}&side=antecedent&sort=confidence` })
    expect(page.statusCode, page.body).toBe(200)
    expect(page.json()).toMatchObject({ run: { id: run.id }, total: 2 })
    expect(page.json().rules.map(sides)).toEqual(['牛奶=>面包', '牛奶=>鸡蛋'])
    const items = await as(analyst, { method: 'GET', url: `/api/v1/insight/rules/items?runId=${run.id}` })
    expect(items.statusCode, items.body).toBe(200)
    // 牛奶 is in four of the six rules; the others in two each.
    expect(items.json().items[0]).toEqual({ key: ids.MILK, label: '牛奶', sku: 'MILK', rules: 4 })
    expect(items.json().items.map((i: { sku: string }) => i.sku).sort()).toEqual(['BEER', 'BREAD', 'EGG', 'MILK', 'NUTS'])
  })

  it('mines at the category level, and members\' sales only', async () => {
    const cat = await as(analyst, { method: 'POST', url: '/api/v1/insight/rules/runs', payload: { level: 'category', from: '2026-03-01', to: '2026-03-10', minSupport: 0.1, minConfidence: 0.1 } })
    expect(cat.statusCode, cat.body).toBe(201)
    // 乳品 is on 10 baskets (牛奶 or 鸡蛋), 烘焙 on 7, together on 7.
    expect(cat.json().run).toMatchObject({ items: 5 })
    expect(cat.json().rules.find((r: Parameters<typeof sides>[0]) => sides(r) === '烘焙=>乳品')).toMatchObject({ baskets: 7, antecedentBaskets: 7, consequentBaskets: 10, confidence: 1 })
    const members = await as(analyst, { method: 'POST', url: '/api/v1/insight/rules/runs', payload: { membersOnly: true, from: '2026-03-01', to: '2026-03-10' } })
    expect(members.json().run).toMatchObject({ baskets: 0, rules: 0, membersOnly: true })
  })

  it('confines a store manager to the store\'s own sales and runs', async () => {
    const own = await as(manager, { method: 'POST', url: '/api/v1/insight/rules/runs', payload: { level: 'sku', from: '2026-03-01', to: '2026-03-10', minSupport: 0.1, minConfidence: 0.5 } })
    expect(own.statusCode, own.body).toBe(201)
    expect(own.json().run).toMatchObject({ storeId: t.stores.a, baskets: 12 })
    expect(own.json().rules.map(sides).some((s: string) => s.includes('啤酒'))).toBe(false)
    const other = await as(manager, { method: 'POST', url: '/api/v1/insight/rules/runs', payload: { storeId: t.stores.b } })
    expect(other.statusCode).toBe(403)
    const runs = (await as(manager, { method: 'GET', url: '/api/v1/insight/rules/runs' })).json().runs as Array<{ storeId: string; id: string }>
    expect(runs.length).toBe(1)
    expect(runs[0]!.storeId).toBe(t.stores.a)
    const chainRun = (await as(analyst, { method: 'GET', url: '/api/v1/insight/rules/runs' })).json().runs.find((r: { storeId: string | null }) => r.storeId === null)
    const hidden = await as(manager, { method: 'GET', url: `/api/v1/insight/rules?runId=${chainRun.id}` })
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().error).toMatchObject({ code: 'RULE_RUN_NOT_FOUND' })
  })

  it('refuses bad thresholds and periods with the field and the reason', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ minSupport: 0 }, 400, 'minSupport'],
      [{ minConfidence: 1.5 }, 400, 'minConfidence'],
      [{ level: 'aisle' }, 400, 'level'],
      [{ from: '2026-03-09', to: '2026-03-01' }, 422, 'from'],
      [{ from: '2026-02-30' }, 422, 'from'],
      [{ maxLength: 1 }, 400, 'maxLength'],
      [{ extra: 1 }, 400, 'extra'],
    ]
    for (const [payload, status, field] of cases) {
      const res = await as(analyst, { method: 'POST', url: '/api/v1/insight/rules/runs', payload })
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(status)
      expect(JSON.stringify(res.json().error.details)).toContain(field)
    }
    for (const url of ['/api/v1/insight/rules?runId=rlr_nope', '/api/v1/insight/rules/items?runId=rlr_nope']) {
      const unknown = await as(analyst, { method: 'GET', url })
      expect(unknown.statusCode, url).toBe(404)
      expect(unknown.json().error).toMatchObject({ code: 'RULE_RUN_NOT_FOUND', details: [{ field: 'runId' }] })
    }
    // The same mining asked twice at once: two runs, each whole (a run is a record, not a slot).
    const before = (await t.services.rules.runs(t.actors.hq_admin)).length
    const twice = await Promise.all([0, 1].map(() => as(analyst, { method: 'POST', url: '/api/v1/insight/rules/runs', payload: { level: 'sku', from: '2026-03-01', to: '2026-03-10' } })))
    expect(twice.map((r) => r.statusCode)).toEqual([201, 201])
    expect((await t.services.rules.runs(t.actors.hq_admin)).length).toBe(before + 2)
    expect(twice[0]!.json().run.rules).toBe(twice[1]!.json().run.rules)
    const badSort = await as(analyst, { method: 'GET', url: '/api/v1/insight/rules?sort=name' })
    expect(badSort.statusCode).toBe(400)
    const cashier = await t.login(t.users.cashier!.username)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/insight/rules' })).statusCode).toBe(403)
  })

  it('tells what is bought with a product, from the sales of the last days', async () => {
    const res = await as(analyst, { method: 'GET', url: `/api/v1/products/${ids.MILK}/bought-together?days=30` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ product: { sku: 'MILK', name: '牛奶' }, baskets: 16, withProduct: 9, from: '2026-02-09', to: '2026-03-10' })
    expect(res.json().items.map((i: { sku: string; together: number }) => [i.sku, i.together])).toEqual([['BREAD', 6], ['EGG', 3]])
    expect(res.json().items[0].lift).toBeCloseTo((6 / 9) / (7 / 16), 12)
    const storeB = await as(manager, { method: 'GET', url: `/api/v1/products/${ids.BEER}/bought-together` })
    expect(storeB.json()).toMatchObject({ baskets: 12, withProduct: 0, items: [] })
    expect((await as(analyst, { method: 'GET', url: '/api/v1/products/prd_nope/bought-together' })).statusCode).toBe(404)
    expect((await as(analyst, { method: 'GET', url: `/api/v1/products/${ids.MILK}/bought-together?days=0` })).statusCode).toBe(400)
  })

  it('mines the last 90 days at the category level as the daily job', async () => {
    const job = { id: 'job_test', name: mineRules.name, attempt: 1, enqueuedAt: t.clock.now().toISOString() }
    const out = await mineRules.run({}, { ...t.services, job }) as { runId: string; baskets: number }
    expect(out).toMatchObject({ baskets: 16 })
    const latest = (await t.services.rules.runs(t.actors.hq_admin))[0]!
    expect(latest).toMatchObject({ id: out.runId, level: 'category', from: '2025-12-11', to: '2026-03-10', createdBy: 'job:analytics.mineRules' })
  })

  it('queues a mining run as a job the page follows, a store manager\'s confined to the store', async () => {
    const queued = await as(manager, { method: 'POST', url: '/api/v1/insight/rules/jobs', payload: { level: 'sku', from: '2026-03-01', to: '2026-03-10', minSupport: 0.1 } })
    expect(queued.statusCode, queued.body).toBe(202)
    expect((await as(manager, { method: 'POST', url: '/api/v1/insight/rules/jobs', payload: { storeId: t.stores.b } })).statusCode).toBe(403)
    // What the mining would refuse is refused before anything is queued.
    const backwards = await as(manager, { method: 'POST', url: '/api/v1/insight/rules/jobs', payload: { from: '2026-03-09', to: '2026-03-01' } })
    expect(backwards.statusCode).toBe(422)
    expect(backwards.json().error).toMatchObject({ code: 'RULES_INVALID_INPUT', details: [{ field: 'from' }] })
    await t.drainJobs()
    const job = (await as(manager, { method: 'GET', url: `/api/v1/insight/jobs/${queued.json().jobId}` })).json()
    expect(job).toMatchObject({ name: 'analytics.mineRules', status: 'done', progress: { done: 3, total: 3 } })
    const run = (await as(manager, { method: 'GET', url: '/api/v1/insight/rules/runs' })).json().runs[0]
    // Store A's 12 sales only (store B's 啤酒 and 花生 are not in them), stored as the manager's, who asked.
    expect(run).toMatchObject({ id: job.result.runId, storeId: t.stores.a, level: 'sku', baskets: 12, createdBy: t.users.store_manager!.username })
  })
})

