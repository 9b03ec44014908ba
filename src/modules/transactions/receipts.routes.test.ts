import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'
import type { SaleInput } from './receipt-rules.js'

const context = useTestContext()
let t: TestContext
let key: string
let memberId: string
beforeAll(async () => {
  t = await context()
  key = (await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '1号收银台' })).key
  memberId = (await t.given.member()).id
})

const till = (options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${key}` } })
const post = (payload: unknown) => till({ method: 'POST', url: '/api/v1/pos/receipts', payload: payload as object })
const receiptCount = async () => Number((await t.services.db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('POST /pos/receipts', () => {
  it('posts with 201 and answers a resend with the same body and 200', async () => {
    const body = sale({ member: { id: memberId }, lines: [['SKU-R', 2, 1500]] })
    const first = await post(body)
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ points: 30, member: { balance: 30 } })
    const again = await post(body)
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(first.json())
  })

  it('needs a key or a session, and a role that may post', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/pos/receipts', payload: sale({ lines: [['SKU-R', 1, 1]] }) })).statusCode).toBe(401)
    const cookie = await t.login(t.users.analyst!.username)
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/pos/receipts', headers: { cookie }, payload: { ...sale({ lines: [['SKU-R', 1, 1]] }), storeId: t.stores.a } })
    expect(res.statusCode).toBe(403)
  })

  it('lets a till post only for its own store', async () => {
    const res = await post({ ...sale({ lines: [['SKU-R', 1, 100]] }), storeId: t.stores.b })
    expect(res.statusCode).toBe(403)
  })

  const good = (): SaleInput => sale({ member: { id: memberId }, lines: [['SKU-R', 2, 1500], ['SKU-S', 1, 990]] })
  const cases: Array<[string, (s: SaleInput) => unknown, number, string]> = [
    ['receipt number missing', (s) => ({ ...s, receiptNo: undefined }), 400, 'receiptNo'],
    ['receipt number with spaces', (s) => ({ ...s, receiptNo: 'A B' }), 422, 'receiptNo'],
    ['business time not a date', (s) => ({ ...s, businessAt: 'yesterday' }), 422, 'businessAt'],
    ['an absurd date', (s) => ({ ...s, businessAt: '1970-01-01T00:00:00Z' }), 422, 'businessAt'],
    ['a date far in the future', (s) => ({ ...s, businessAt: '2031-01-01T00:00:00Z' }), 422, 'businessAt'],
    ['no lines', (s) => ({ ...s, lines: [], total: 0, tenders: [{ kind: 'cash', amount: 0 }] }), 422, 'lines'],
    ['a negative quantity on a sale', (s) => ({ ...s, lines: [{ ...s.lines[0]!, quantity: -2, amount: -3000 }, s.lines[1]] }), 422, 'lines[0].quantity'],
    ['a fractional quantity', (s) => ({ ...s, lines: [{ ...s.lines[0]!, quantity: 1.5 }, s.lines[1]] }), 400, 'quantity'],
    ['a negative price', (s) => ({ ...s, lines: [{ ...s.lines[0]!, unitPrice: -1 }, s.lines[1]] }), 422, 'lines[0].unitPrice'],
    ['a line amount that is not quantity × price', (s) => ({ ...s, lines: [{ ...s.lines[0]!, amount: 2999 }, s.lines[1]] }), 422, 'lines[0].amount'],
    ['an empty SKU', (s) => ({ ...s, lines: [{ ...s.lines[0]!, sku: '' }, s.lines[1]] }), 400, 'sku'],
    ['an unknown tender', (s) => ({ ...s, tenders: [{ kind: 'iou', amount: s.total }] }), 400, 'kind'],
    ['tenders short of the total', (s) => ({ ...s, tenders: [{ kind: 'cash', amount: s.total - 10 }] }), 422, 'tenders'],
    ['a total that is not the lines', (s) => ({ ...s, total: s.total + 1, tenders: [{ kind: 'cash', amount: s.total + 1 }] }), 422, 'total'],
    ['points paid without a member', (s) => ({ ...s, member: null, tenders: [{ kind: 'points', amount: 100, points: 100 }, { kind: 'cash', amount: s.total - 100 }] }), 422, 'tenders[0].kind'],
    ['points worth another amount', (s) => ({ ...s, tenders: [{ kind: 'points', amount: 100, points: 99 }, { kind: 'cash', amount: s.total - 100 }] }), 422, 'tenders[0].amount'],
    ['an unknown member', (s) => ({ ...s, member: { id: 'mem_nobody' } }), 422, 'member'],
    ['two member keys', (s) => ({ ...s, member: { id: memberId, phone: '13900000000' } }), 422, 'member'],
    ['an unknown field', (s) => ({ ...s, coupon: 'X' }), 400, 'coupon'],
    ['a total as text', (s) => ({ ...s, total: 'lots' }), 400, 'total'],
  ]
  it.each(cases)('refuses %s with %d naming the field, and stores nothing', async (_name, mutate, status, field) => {
    const before = await receiptCount()
    const res = await post(mutate(good()))
    expect(res.statusCode).toBe(status)
    const body = res.json() as { error: { details: Array<{ field: string; reason: string }> } }
    expect(body.error.details.map((d) => d.field).join(' ')).toContain(field)
    expect(body.error.details.every((d) => d.reason.length > 0)).toBe(true)
    expect(await receiptCount()).toBe(before)
  })

  it('says by how much a total is off', async () => {
    const s = good()
    const res = await post({ ...s, total: s.total + 50, tenders: [{ kind: 'cash', amount: s.total + 50 }] })
    expect(res.json()).toMatchObject({ error: { code: 'RECEIPT_TOTAL_MISMATCH', details: [{ field: 'total', reason: `lines add up to ${s.total}, -50 from the total ${s.total + 50}` }] } })
  })

  it('calls a total that is no amount of fen a validation error, not a mismatch', async () => {
    const s = good()
    const res = await post({ ...s, total: 2 ** 53 + 2, tenders: [{ kind: 'cash', amount: s.total }] })
    // The schema bounds every amount now (400); either way it is plain validation naming the total.
    expect([400, 422]).toContain(res.statusCode)
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION' } })
    expect(JSON.stringify(res.json().error.details)).toContain('total')
  })

  it('names an unknown store for staff', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/pos/receipts', headers: { cookie }, payload: { ...sale({ lines: [['SKU-R', 1, 100]] }), storeId: 'sto_nowhere' } })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({ error: { code: 'STORE_NOT_FOUND', details: [{ field: 'storeId' }] } })
  })
})

describe('returns, batches and quotes over HTTP', () => {
  it('answers a return before its sale with 202, then applies it', async () => {
    const s = sale({ member: { id: memberId }, lines: [['SKU-R', 1, 4000]] })
    const early = await till({ method: 'POST', url: '/api/v1/pos/returns', payload: { receiptNo: nextReceiptNo('RT'), originalReceiptNo: s.receiptNo, businessAt: s.businessAt } })
    expect(early.statusCode).toBe(202)
    expect((await post(s)).statusCode).toBe(201)
    const view = await t.services.receipts.get(t.actors.hq_admin, early.json().receiptId)
    expect(view.status).toBe('posted')
  })

  it('takes a batch of up to 1,000 and refuses more', async () => {
    const items = [{ type: 'sale', ...sale({ lines: [['SKU-R', 1, 100]] }) }]
    const ok = await till({ method: 'POST', url: '/api/v1/pos/batches', payload: { items } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ posted: 1, failed: 0 })
    const many = Array.from({ length: 1001 }, () => items[0])
    expect((await till({ method: 'POST', url: '/api/v1/pos/batches', payload: { items: many } })).statusCode).toBe(400)
  })

  it('quotes member prices and points without changing anything', async () => {
    await t.services.catalog.create(t.actors.hq_admin, { sku: 'Q-1', name: '金龙鱼大米 5kg', listPrice: 5990, memberPrice: 4990, pointsEligible: true })
    const before = await receiptCount()
    const res = await till({ method: 'POST', url: '/api/v1/pos/quote', payload: { member: { id: memberId }, lines: [{ sku: 'Q-1', quantity: 2 }] } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ total: 9980, savings: 2000, points: 99, lines: [{ unitPrice: 4990, memberPriceApplied: true }] })
    const anonymous = await till({ method: 'POST', url: '/api/v1/pos/quote', payload: { lines: [{ sku: 'Q-1', quantity: 1 }] } })
    expect(anonymous.json()).toMatchObject({ total: 5990, points: 0, member: null })
    expect(await receiptCount()).toBe(before)
  })
})
