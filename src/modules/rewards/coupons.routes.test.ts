import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'

const context = useTestContext()
let t: TestContext
let admin: string
let cashier: string
let posKey: string
beforeAll(async () => {
  t = await context()
  admin = await t.login(t.users.hq_marketing!.username)
  cashier = await t.login(t.users.cashier!.username)
  posKey = (await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '1号收银台' })).key
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const till = (options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${posKey}` } })
const template = { name: '满100减20', kind: 'threshold', value: 2000, minSpend: 10000, validDays: 30 }

describe('coupon templates over HTTP', () => {
  it('creates a template with 201, lists and reads it; a cashier may read but not create', async () => {
    const res = await as(admin, { method: 'POST', url: '/api/v1/coupon-templates', payload: template })
    expect(res.statusCode).toBe(201)
    const id = res.json().id as string
    expect((await as(cashier, { method: 'GET', url: `/api/v1/coupon-templates/${id}` })).json()).toMatchObject({ id, stacking: 'none', restoreOnReturn: false })
    expect((await as(admin, { method: 'GET', url: '/api/v1/coupon-templates?status=active' })).json().map((x: { id: string }) => x.id)).toContain(id)
    expect((await as(cashier, { method: 'POST', url: '/api/v1/coupon-templates', payload: template })).statusCode).toBe(403)
  })

  it.each([
    [{ ...template, kind: 'gift' }, 400, 'kind'],
    [{ ...template, value: 'ten' }, 400, 'value'],
    [{ ...template, minSpend: 1000 }, 422, 'minSpend'],
    [{ ...template, validDays: null }, 422, 'validTo'],
    [{ ...template, validFrom: '2026-02-30', validDays: null, validTo: '2026-03-31' }, 422, 'validFrom'],
    [{ ...template, surprise: 1 }, 400, 'surprise'],
  ])('refuses a bad template with the field and reason (%#)', async (body, status, field) => {
    const res = await as(admin, { method: 'POST', url: '/api/v1/coupon-templates', payload: body })
    expect(res.statusCode).toBe(status)
    expect(JSON.stringify(res.json().error.details)).toContain(field)
  })

  it('answers 404 for an unknown template and 400 for a bad status', async () => {
    expect((await as(admin, { method: 'GET', url: '/api/v1/coupon-templates/ctp_nope' })).statusCode).toBe(404)
    expect((await as(admin, { method: 'POST', url: '/api/v1/coupon-templates/ctp_nope/status', payload: { status: 'gone' } })).statusCode).toBe(400)
    expect((await as(admin, { method: 'POST', url: '/api/v1/coupon-templates/ctp_nope/issues', payload: { issueKey: 'k', keys: ['x'] } })).statusCode).toBe(404)
    expect((await as(admin, { method: 'GET', url: '/api/v1/coupon-templates/ctp_nope/issues' })).statusCode).toBe(404)
    const emptyScope = await as(admin, { method: 'POST', url: '/api/v1/coupon-templates', payload: { ...template, scope: {} } })
    expect(emptyScope.statusCode).toBe(422)
    expect(emptyScope.json().error.details.map((d: { field: string }) => d.field)).toContain('scope')
  })
})

describe('coupons over HTTP', () => {
  it('issues to a member, lists the member\'s coupons, finds one by its QR payload at the till, and uses it on a sale', async () => {
    const tpl = (await as(admin, { method: 'POST', url: '/api/v1/coupon-templates', payload: template })).json()
    const m = await t.given.member()
    const issued = await as(admin, { method: 'POST', url: `/api/v1/members/${m.id}/coupons`, payload: { templateId: tpl.id, note: '生日' } })
    expect(issued.statusCode).toBe(201)
    const c = issued.json()
    expect((await as(cashier, { method: 'GET', url: `/api/v1/members/${m.id}/coupons` })).json().map((x: { id: string }) => x.id)).toEqual([c.id])
    expect((await till({ method: 'GET', url: `/api/v1/coupons/by-code/${encodeURIComponent(c.qrPayload)}` })).json()).toMatchObject({ id: c.id, status: 'issued' })
    const quote = await till({ method: 'POST', url: '/api/v1/pos/quote', payload: { member: { id: m.id }, lines: [{ sku: 'SKU-H', quantity: 1, unitPrice: 12000 }], coupons: [c.qrPayload] } })
    expect(quote.statusCode).toBe(200)
    expect(quote.json()).toMatchObject({ couponDiscount: 2000, toPay: 10000, coupons: [{ ok: true, discount: 2000 }], usableCoupons: [{ code: c.code, ok: true }] })
    const posted = await till({ method: 'POST', url: '/api/v1/pos/receipts', payload: sale({ member: { id: m.id }, lines: [['SKU-H', 1, 12000]], coupons: [{ code: c.code, amount: 2000 }] }) })
    expect(posted.statusCode).toBe(201)
    expect(posted.json().coupons).toEqual([{ code: c.code, name: '满100减20', discount: 2000, bonusPoints: 0 }])
    const again = await till({ method: 'POST', url: '/api/v1/pos/receipts', payload: sale({ member: { id: m.id }, lines: [['SKU-H', 1, 12000]], coupons: [{ code: c.code, amount: 2000 }] }) })
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'COUPON_ALREADY_USED', details: [{ field: 'tenders[0].reference' }] })
    const report = (await as(admin, { method: 'GET', url: `/api/v1/coupon-reports?templateId=${tpl.id}` })).json()
    expect(report).toEqual([expect.objectContaining({ issued: 1, used: 1, discountGiven: 2000, sales: 12000 })])
  })

  it('answers bad coupons in a quote with 400 (shape) or a refusal (unknown code), never 500', async () => {
    const m = await t.given.member()
    const quote = (coupons: unknown) => till({ method: 'POST', url: '/api/v1/pos/quote', payload: { member: { id: m.id }, lines: [{ sku: 'SKU-H', quantity: 1, unitPrice: 1000 }], coupons } })
    expect((await quote(Array.from({ length: 11 }, (_, i) => `CODE${i}`))).statusCode).toBe(400)
    expect((await quote(['X'.repeat(65)])).statusCode).toBe(400)
    expect((await quote({ code: 'X' })).statusCode).toBe(400)
    const unknown = await quote(['ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'ZZZZZZZZZZZZZZZZ'])
    expect(unknown.statusCode).toBe(200)
    expect(unknown.json().coupons.map((c: { refusal: string }) => c.refusal)).toEqual(['not_found', 'not_found'])
    expect(unknown.json()).toMatchObject({ couponDiscount: 0, toPay: 1000 })
  })

  it('bulk-issues over HTTP with per-line errors; a cashier may not issue; void needs a reason', async () => {
    const tpl = (await as(admin, { method: 'POST', url: '/api/v1/coupon-templates', payload: { ...template, name: '批量券' } })).json()
    const ms = await Promise.all([t.given.member(), t.given.member()])
    const res = await as(admin, { method: 'POST', url: `/api/v1/coupon-templates/${tpl.id}/issues`, payload: { issueKey: 'b1', keys: [ms[0]!.id, 'nobody', ms[1]!.cardNo] } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ issued: 2, failed: 1, errors: [{ line: 2, value: 'nobody', code: 'unknown_member' }] })
    expect((await as(cashier, { method: 'POST', url: `/api/v1/coupon-templates/${tpl.id}/issues`, payload: { issueKey: 'b1', keys: [ms[0]!.id] } })).statusCode).toBe(403)
    expect((await as(admin, { method: 'POST', url: `/api/v1/coupon-templates/${tpl.id}/issues`, payload: { issueKey: '', keys: [] } })).statusCode).toBe(422)
    const coupon = (await as(admin, { method: 'GET', url: `/api/v1/coupon-templates/${tpl.id}/coupons?limit=1` })).json()
    expect(coupon.items).toHaveLength(1)
    expect(coupon.nextCursor).not.toBeNull()
    const voided = await as(admin, { method: 'POST', url: `/api/v1/coupons/${coupon.items[0].id}/void`, payload: { reason: 'x' } })
    expect(voided.statusCode).toBe(422)
    expect((await as(admin, { method: 'POST', url: `/api/v1/coupons/${coupon.items[0].id}/void`, payload: { reason: '会员要求' } })).json().status).toBe('voided')
    expect((await as(admin, { method: 'POST', url: '/api/v1/coupons/cpn_nope/void', payload: { reason: '会员要求' } })).statusCode).toBe(404)
  })
})
