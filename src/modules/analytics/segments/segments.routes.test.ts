import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let manager: string
let managerB: string
let cashier: string
const female = { field: 'gender', op: 'in', value: ['female'] }

beforeAll(async () => {
  t = await context()
  ;[analyst, manager, managerB, cashier] = await Promise.all([
    t.login(t.users.analyst!.username), t.login(t.users.store_manager!.username), t.login(t.users.managerB!.username), t.login(t.users.cashier!.username),
  ])
  for (let i = 0; i < 3; i++) await t.given.member({ gender: 'female', registrationStoreId: t.stores.a, name: `=HYPERLINK("x")${i}` })
  await t.given.member({ gender: 'female', by: t.actors.cashierB })
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })

describe('segments over HTTP', () => {
  it('counts, saves, reads and pages a segment', async () => {
    const count = await as(analyst, { method: 'POST', url: '/api/v1/insight/segments/count', payload: { definition: female } })
    expect(count.statusCode).toBe(200)
    expect(count.json()).toEqual({ count: 4, asOf: '2026-03-02' })
    const created = await as(manager, { method: 'POST', url: '/api/v1/insight/segments', payload: { name: '本店女性', definition: female, snapshot: true } })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ name: '本店女性', storeId: t.stores.a, summaryZh: '性别是女', snapshot: { memberCount: 3 } })
    const id = created.json().id as string
    expect((await as(manager, { method: 'GET', url: `/api/v1/insight/segments/${id}/count` })).json()).toMatchObject({ count: 3 })
    const page = await as(manager, { method: 'GET', url: `/api/v1/insight/segments/${id}/members?limit=2` })
    expect(page.json()).toMatchObject({ items: [{ gender: 'female' }, { gender: 'female' }], nextCursor: expect.any(String) })
    const list = await as(analyst, { method: 'GET', url: '/api/v1/insight/segments' })
    expect(list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id, snapshots: 1, lastSnapshotCount: 3 })]))
  })

  it('answers a bad definition with 422 naming the path and the reason, and changes nothing', async () => {
    const res = await as(analyst, {
      method: 'POST', url: '/api/v1/insight/segments',
      payload: { name: '坏的', definition: { all: [female, { field: 'bought', op: 'category', value: ['母婴'], days: -3 }] } },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toEqual({ error: { code: 'INSIGHT_CONDITION_INVALID', message: expect.any(String), details: [{ field: 'definition.all[1].days', reason: 'must be between 1 and 3650 days' }] } })
    const unknown = await as(analyst, { method: 'POST', url: '/api/v1/insight/segments/count', payload: { definition: { field: 'shoe_size', op: 'eq', value: 1 } } })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.details).toEqual([{ field: 'definition.field', reason: 'unknown field "shoe_size"' }])
    const missing = await as(analyst, { method: 'POST', url: '/api/v1/insight/segments/count', payload: {} })
    expect(missing.statusCode).toBe(400)
    const list = await as(analyst, { method: 'GET', url: '/api/v1/insight/segments' })
    expect(list.json().some((s: { name: string }) => s.name === '坏的')).toBe(false)
  })

  it('answers 404 for an unknown segment and 403 for another store’s', async () => {
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/segments/seg_nope' })).statusCode).toBe(404)
    const mine = await as(manager, { method: 'POST', url: '/api/v1/insight/segments', payload: { name: 'A店', definition: female } })
    const id = mine.json().id as string
    const other = await as(managerB, { method: 'GET', url: `/api/v1/insight/segments/${id}` })
    expect(other.statusCode).toBe(403)
    expect(other.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    expect((await as(managerB, { method: 'POST', url: `/api/v1/insight/segments/${id}/snapshots` })).statusCode).toBe(403)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/insight/segments' })).statusCode).toBe(403)
    expect((await as(manager, { method: 'GET', url: `/api/v1/insight/segments/${id}/export.csv` })).statusCode).toBe(403)
  })

  it('exports CSV (formulas neutralised) and xlsx for HQ, audited', async () => {
    const seg = await as(analyst, { method: 'POST', url: '/api/v1/insight/segments', payload: { name: '全部女性', definition: female } })
    const id = seg.json().id as string
    const csv = await as(analyst, { method: 'GET', url: `/api/v1/insight/segments/${id}/export.csv?lang=en-US` })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n')
    expect(lines[0]).toBe('Card no.,Name,Phone,Gender,Registration store code,Registration store,Tier,Spend in window (CNY),Receipts in window,Last purchase,RFM class,Lifecycle')
    expect(lines).toHaveLength(5)
    expect(lines.slice(1).every((l) => l.includes('Female') && l.includes('*'))).toBe(true)
    const xlsx = await as(analyst, { method: 'GET', url: `/api/v1/insight/segments/${id}/export.xlsx` })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK')
    const audit = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'segment.export').execute()
    expect(audit).toHaveLength(2)
  })

  it('issues a coupon template to a segment through the bulk issue', async () => {
    const template = await t.given.couponTemplate()
    const seg = await as(manager, { method: 'POST', url: '/api/v1/insight/segments', payload: { name: '发券', definition: female } })
    const id = seg.json().id as string
    const res = await as(manager, { method: 'POST', url: `/api/v1/insight/segments/${id}/coupons`, payload: { templateId: template.id } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ issued: 3, skipped: 0, total: 3 })
    const again = await as(manager, { method: 'POST', url: `/api/v1/insight/segments/${id}/coupons`, payload: { templateId: template.id } })
    expect(again.json()).toMatchObject({ issued: 0, skipped: 3 })
    expect((await as(analyst, { method: 'POST', url: `/api/v1/insight/segments/${id}/coupons`, payload: { templateId: template.id } })).statusCode).toBe(403)
  })
})
