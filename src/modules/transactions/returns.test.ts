import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'

const context = useTestContext()
let t: TestContext
const cookies: Record<string, string> = {}
beforeAll(async () => {
  t = await context()
  for (const role of ['hq_admin', 'store_manager', 'cashier', 'service_agent', 'managerB']) {
    const user = role === 'managerB' ? await t.given.staff('store_manager', t.stores.b) : t.users[role]!
    cookies[role] = await t.login(user.username)
  }
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie: cookies[who]! } })
const balanceOf = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const at = '2026-03-02T01:30:00.000Z'

/**
 * The sale of the issue: two bags of rice at ¥72.40 and oil at ¥19.90 (¥164.70), paid by a
 * ¥20 voucher, 409 points (¥4.09) and ¥140.61 by WeChat Pay.
 */
const riceSale = async () => {
  const m = await t.given.member()
  await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 1000, reason: '测试积分' })
  const input = sale({
    member: { id: m.id }, lines: [['RICE-5KG', 2, 7240], ['OIL-1L', 1, 1990]],
    tenders: [{ kind: 'coupon', amount: 2000 }, { kind: 'points', amount: 409, points: 409 }, { kind: 'wechat_pay', amount: 14061, reference: 'WX1' }],
  })
  expect(input.total).toBe(16470)
  const posted = await t.services.receipts.postSale(t.actors.cashier, input)
  return { member: m, receiptNo: posted.result.receiptNo, earned: posted.result.points }
}

const returnBody = (originalReceiptNo: string, extra: Record<string, unknown> = {}) => ({
  receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo, reason: 'quality', ...extra,
})

describe('the money a return hands back', () => {
  it('says exactly what goes back to WeChat Pay, in points and what the coupon keeps, and records it as the return\'s tenders', async () => {
    const { member, receiptNo } = await riceSale()
    const before = await balanceOf(member.id)
    const res = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo, { lines: [{ originalLineNo: 1, quantity: 1 }] }) })
    expect(res.statusCode).toBe(201)
    const result = res.json()
    expect(result).toMatchObject({
      total: 7240, couponAmount: 879, pointsUsed: 180,
      refund: { money: 6181, tenders: [{ kind: 'wechat_pay', reference: 'WX1', amount: 6181 }], pointsBack: 180, pointsValue: 180, couponShare: 879 },
    })
    expect(await balanceOf(member.id)).toBe(before + 180 - result.points)

    const stored = (await as('service_agent', { method: 'GET', url: `/api/v1/receipts/${result.receiptId}` })).json()
    expect(stored.tenders).toEqual([
      { kind: 'wechat_pay', amount: 6181, points: null, reference: 'WX1' },
      { kind: 'points', amount: 180, points: 180, reference: null },
      { kind: 'coupon', amount: 879, points: null, reference: null },
    ])
    expect(stored).toMatchObject({ source: 'console', returnReason: 'quality', memberCardNo: member.cardNo })
    // Its lines add up as a sale's do: quantity × price − discount = amount.
    for (const l of stored.lines) expect(l.quantity * l.unitPrice - l.discount).toBe(l.amount)

    // The rest: together the returns give back exactly what each tender paid.
    const rest = (await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo) })).json()
    expect(rest.refund).toMatchObject({ money: 14061 - 6181, pointsBack: 409 - 180, couponShare: 2000 - 879 })
    expect(rest.refund.money + rest.refund.pointsValue + rest.refund.couponShare).toBe(16470 - 7240)
  })

  it('gives a member price\'s saving as the returned line\'s discount', async () => {
    const input = sale({ lines: [['MILK-1L', 3, 1250]] })
    input.lines[0] = { ...input.lines[0]!, discount: 450, amount: 3 * 1250 - 450 }
    input.total = input.lines[0].amount
    input.tenders = [{ kind: 'cash', amount: input.total }]
    await t.services.receipts.postSale(t.actors.cashier, input)
    const res = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(input.receiptNo, { lines: [{ originalLineNo: 1, quantity: 1 }] }) })
    const stored = (await as('service_agent', { method: 'GET', url: `/api/v1/receipts/${res.json().receiptId}` })).json()
    expect(stored.lines[0]).toMatchObject({ quantity: 1, unitPrice: 1250, discount: 150, amount: 1100 })
    expect(res.json().refund).toMatchObject({ money: 1100, tenders: [{ kind: 'cash', amount: 1100 }] })
  })
})

describe('who takes a return, and why', () => {
  it('is the service desk\'s and a manager\'s, not a cashier\'s', async () => {
    const { receiptNo } = await riceSale()
    expect((await as('cashier', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo) })).statusCode).toBe(403)
    const manager = await as('store_manager', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo, { lines: [{ originalLineNo: 2, quantity: 1 }] }) })
    expect(manager.statusCode).toBe(201)
  })

  it('needs a reason at the desk, and words with "other"', async () => {
    const { receiptNo } = await riceSale()
    const none = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: { ...returnBody(receiptNo), reason: undefined } })
    expect(none.statusCode).toBe(422)
    expect(none.json()).toMatchObject({ error: { code: 'RETURN_REASON_REQUIRED', details: [{ field: 'reason' }] } })
    const other = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo, { reason: 'other' }) })
    expect(other.json()).toMatchObject({ error: { code: 'VALIDATION', details: [{ field: 'reasonNote' }] } })
    const worded = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo, { reason: 'other', reasonNote: '顾客买重了', lines: [{ originalLineNo: 2, quantity: 1 }] }) })
    expect(worded.statusCode).toBe(201)
    const stored = (await as('service_agent', { method: 'GET', url: `/api/v1/receipts/${worded.json().receiptId}` })).json()
    expect(stored).toMatchObject({ returnReason: 'other', returnNote: '顾客买重了' })
  })

  it('labels the console till\'s sales as the till\'s', async () => {
    const input = { ...sale({ lines: [['BREAD', 1, 850]] }), storeId: t.stores.a }
    const res = await as('cashier', { method: 'POST', url: '/api/v1/pos/receipts', payload: input })
    expect(res.statusCode).toBe(201)
    const stored = (await as('cashier', { method: 'GET', url: `/api/v1/receipts/${res.json().receiptId}` })).json()
    expect(stored.source).toBe('till')
  })
})

describe('a return above the chain\'s limit', () => {
  beforeAll(async () => {
    const res = await as('hq_admin', { method: 'PUT', url: '/api/v1/till-settings', payload: { returnApprovalAbove: 5000 } })
    expect(res.json()).toEqual({ scaleLayout: '2PPPPPPWWWWWC', returnApprovalAbove: 5000, storeOverridable: [] })
  })

  it('waits for a store manager and moves nothing; approved, it is posted naming the manager', async () => {
    const { member, receiptNo } = await riceSale()
    const before = await balanceOf(member.id)
    const body = returnBody(receiptNo, { lines: [{ originalLineNo: 1, quantity: 1 }], reason: 'damaged' })
    const asked = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: body })
    expect(asked.statusCode).toBe(202)
    expect(asked.json()).toMatchObject({ status: 'awaiting_approval', total: 7240, approvalId: expect.any(String) })
    const id = asked.json().approvalId as string
    // Nothing moved: the balance, the sale's lines, no return receipt.
    expect(await balanceOf(member.id)).toBe(before)
    const list = (await as('service_agent', { method: 'GET', url: `/api/v1/receipts?receiptNo=${receiptNo}` })).json()
    expect(list.items[0].lines[0].returnedQuantity).toBe(0)
    expect((await as('service_agent', { method: 'GET', url: `/api/v1/receipts?receiptNo=${body.receiptNo}` })).json().items).toEqual([])
    // A resend finds the request.
    expect((await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: body })).json()).toMatchObject({ status: 'awaiting_approval', approvalId: id })

    const pending = (await as('store_manager', { method: 'GET', url: '/api/v1/return-approvals?status=pending' })).json()
    expect(pending.find((a: { id: string }) => a.id === id)).toMatchObject({ total: 7240, reason: 'damaged', requestedBy: t.users.service_agent!.username })
    expect((await as('service_agent', { method: 'POST', url: `/api/v1/return-approvals/${id}/approve`, payload: {} })).statusCode).toBe(403)
    expect((await as('managerB', { method: 'POST', url: `/api/v1/return-approvals/${id}/approve`, payload: {} })).statusCode).toBe(403)
    expect((await as('managerB', { method: 'GET', url: '/api/v1/return-approvals?status=pending' })).json().some((a: { id: string }) => a.id === id)).toBe(false)

    const approved = await as('store_manager', { method: 'POST', url: `/api/v1/return-approvals/${id}/approve`, payload: {} })
    expect(approved.statusCode).toBe(200)
    expect(approved.json()).toMatchObject({ approval: { status: 'approved', decidedBy: t.users.store_manager!.username }, result: { status: 'posted', total: 7240, refund: { money: 6181 } } })
    expect(await balanceOf(member.id)).toBe(before + 180 - approved.json().result.points)
    const stored = (await as('service_agent', { method: 'GET', url: `/api/v1/receipts/${approved.json().result.receiptId}` })).json()
    expect(stored).toMatchObject({ receiptNo: body.receiptNo, approvedBy: t.users.store_manager!.username, returnReason: 'damaged', cashier: null })
    // Approving twice is refused; the desk's resend gets the posted return.
    expect((await as('store_manager', { method: 'POST', url: `/api/v1/return-approvals/${id}/approve`, payload: {} })).json()).toMatchObject({ error: { code: 'RETURN_APPROVAL_DECIDED' } })
    const resend = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: body })
    expect(resend.statusCode).toBe(200)
    expect(resend.json()).toMatchObject({ status: 'posted', receiptId: approved.json().result.receiptId })
    expect(await balanceOf(member.id)).toBe(before + 180 - approved.json().result.points)
  })

  it('refused, moves nothing and tells the desk why', async () => {
    const { member, receiptNo } = await riceSale()
    const before = await balanceOf(member.id)
    const body = returnBody(receiptNo)
    const id = (await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: body })).json().approvalId as string
    const rejected = await as('store_manager', { method: 'POST', url: `/api/v1/return-approvals/${id}/reject`, payload: { note: '已过退货期' } })
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '已过退货期' })
    const again = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: body })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ error: { code: 'RETURN_REJECTED' } })
    expect(await balanceOf(member.id)).toBe(before)
  })

  it('is taken at once by a store manager, and below the limit by the desk', async () => {
    const { receiptNo } = await riceSale()
    expect((await as('store_manager', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo, { lines: [{ originalLineNo: 1, quantity: 1 }] }) })).statusCode).toBe(201)
    expect((await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: returnBody(receiptNo, { lines: [{ originalLineNo: 2, quantity: 1 }] }) })).statusCode).toBe(201)
  })

  it('leaves a large return without its sale to a store manager', async () => {
    const body = { receiptNo: nextReceiptNo('RT'), businessAt: at, reason: 'quality', lines: [{ sku: 'TV-55', quantity: 1, unitPrice: 399900, amount: 399900 }] }
    const desk = await as('service_agent', { method: 'POST', url: '/api/v1/pos/returns', payload: body })
    expect(desk.statusCode).toBe(403)
    expect(desk.json()).toMatchObject({ error: { code: 'RETURN_APPROVAL_REQUIRED' } })
    expect((await as('service_agent', { method: 'GET', url: `/api/v1/receipts?receiptNo=${body.receiptNo}` })).json().items).toEqual([])
    expect((await as('store_manager', { method: 'POST', url: '/api/v1/pos/returns', payload: body })).statusCode).toBe(201)
  })

  it('is HQ\'s to set, within bounds', async () => {
    expect((await as('store_manager', { method: 'PUT', url: '/api/v1/till-settings', payload: { returnApprovalAbove: null } })).statusCode).toBe(403)
    const bad = await as('hq_admin', { method: 'PUT', url: '/api/v1/till-settings', payload: { scaleLayout: '2PPPWWWPPPC' } })
    expect(bad.statusCode).toBe(422)
    expect(bad.json()).toMatchObject({ error: { details: [{ field: 'scaleLayout' }] } })
    expect((await as('cashier', { method: 'GET', url: '/api/v1/till-settings' })).json()).toMatchObject({ scaleLayout: '2PPPPPPWWWWWC' })
  })
})

describe('the receipts list', () => {
  it('names the member, masked', async () => {
    const { member, receiptNo } = await riceSale()
    const item = (await as('service_agent', { method: 'GET', url: `/api/v1/receipts?receiptNo=${receiptNo}` })).json().items[0]
    expect(item.memberCardNo).toBe(member.cardNo)
    expect(item).toHaveProperty('memberName')
  })
})
