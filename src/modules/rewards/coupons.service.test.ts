import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'
import { tamper } from '../../../test/tamper.js'
import type { TemplateInput } from './coupon-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const threshold: TemplateInput = { name: '满100减20', kind: 'threshold', value: 2000, minSpend: 10000, validDays: 30 }
const newTemplate = (over: Partial<TemplateInput> = {}) => t.services.coupons.createTemplate(t.actors.hq_marketing, { ...threshold, ...over })
const give = async (templateId: string, memberId: string) => t.services.coupons.issueOne(t.actors.service_agent, { templateId, memberId })
const balanceOf = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const statusOf = async (code: string) => (await t.services.coupons.byCode(t.actors.hq_admin, code)).status
const expectSound = async () => {
  expect(await t.services.loyalty.verify()).toEqual([])
  expect(await t.services.coupons.verify()).toEqual([])
}

describe('templates', () => {
  it('creates, changes, pauses and archives a template, each audited', async () => {
    const tpl = await newTemplate({ name: '周末券' })
    expect(tpl).toMatchObject({ status: 'active', kind: 'threshold', value: 2000, minSpend: 10000, validDays: 30, issuedCount: 0 })
    const changed = await t.services.coupons.updateTemplate(t.actors.hq_marketing, tpl.id, { ...threshold, name: '周末券', value: 3000, minSpend: 15000 })
    expect(changed).toMatchObject({ value: 3000, minSpend: 15000 })
    expect((await t.services.coupons.setTemplateStatus(t.actors.hq_marketing, tpl.id, 'paused')).status).toBe('paused')
    expect((await t.services.coupons.setTemplateStatus(t.actors.hq_marketing, tpl.id, 'archived')).status).toBe('archived')
    await expect(t.services.coupons.setTemplateStatus(t.actors.hq_marketing, tpl.id, 'active')).rejects.toMatchObject({ code: 'COUPON_TEMPLATE_ARCHIVED' })
    const audit = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', tpl.id).execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['coupon.template.create', 'coupon.template.status', 'coupon.template.status', 'coupon.template.update'])
  })

  it('names the field of a bad template: unknown store, template to stack with, free SKU', async () => {
    await expect(newTemplate({ storeIds: ['sto_nope'] })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'storeIds' }] })
    await expect(newTemplate({ stacking: 'listed', stacksWith: ['ctp_nope'] })).rejects.toMatchObject({ details: [{ field: 'stacksWith' }] })
    await expect(newTemplate({ kind: 'free_item', value: 1, minSpend: 0, freeSku: 'NO-SUCH-SKU' })).rejects.toMatchObject({ details: [{ field: 'freeSku' }] })
  })

  it('lets only rewards managers create templates', async () => {
    await expect(t.services.coupons.createTemplate(t.actors.cashier, threshold)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('issuing', () => {
  it('issues one coupon by staff with an unguessable code and a QR payload, audited; the same key gives the same coupon', async () => {
    const tpl = await newTemplate()
    const m = await t.given.member()
    const a = await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id, issueKey: 'desk-1', note: '投诉补偿' })
    expect(a).toMatchObject({ status: 'issued', value: 2000, memberId: m.id, source: 'staff', validFrom: '2026-03-02', validTo: '2026-03-31' })
    expect(a.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/)
    expect(a.qrPayload).toBe(`PATRON:CPN:${a.code}`)
    const again = await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: m.id, issueKey: 'desk-1' })
    expect(again.id).toBe(a.id)
    expect((await t.services.coupons.getTemplate(t.actors.hq_admin, tpl.id)).issuedCount).toBe(1)
    const audit = await t.services.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', m.id).where('action', '=', 'coupon.issue').execute()
    expect(audit).toHaveLength(1)
    expect(await t.services.coupons.byCode(t.actors.cashier, `patron:cpn:${a.code.slice(0, 4)}-${a.code.slice(4)}`)).toMatchObject({ id: a.id })
  })

  it('stops at the issue budget, and refuses paused templates and frozen members', async () => {
    const tpl = await newTemplate({ maxIssued: 1 })
    await give(tpl.id, (await t.given.member()).id)
    await expect(give(tpl.id, (await t.given.member()).id)).rejects.toMatchObject({ code: 'COUPON_BUDGET_EXHAUSTED' })
    const paused = await newTemplate()
    await t.services.coupons.setTemplateStatus(t.actors.hq_marketing, paused.id, 'paused')
    await expect(give(paused.id, (await t.given.member()).id)).rejects.toMatchObject({ code: 'COUPON_TEMPLATE_INACTIVE' })
    const frozen = await t.given.member()
    await t.services.members.setFrozen(t.actors.service_agent, frozen.id, true, '测试冻结')
    await expect(give(tpl.id, frozen.id)).rejects.toMatchObject({ code: 'MEMBER_NOT_ACTIVE' })
  })

  it('gives a welcome coupon to members who register, not to imported ones', async () => {
    const tpl = await newTemplate({ name: '新人券', kind: 'amount', value: 500, minSpend: 0, autoIssue: 'registration' })
    const fresh = await t.given.member()
    await t.drainJobs()
    expect((await t.services.coupons.memberCoupons(t.actors.cashier, fresh.id)).map((c) => c.templateId)).toContain(tpl.id)
    const imported = await t.given.member({ channel: 'import' })
    await t.drainJobs()
    expect((await t.services.coupons.memberCoupons(t.actors.cashier, imported.id)).map((c) => c.templateId)).not.toContain(tpl.id)
    await t.services.coupons.setTemplateStatus(t.actors.hq_marketing, tpl.id, 'archived')
  })

  // The welcome coupon is queued in the registration's transaction, so the daily job only checks.
  it('reports members who registered without their welcome coupon, and issues nothing', async () => {
    const tpl = await newTemplate({ name: '补发新人券', kind: 'amount', value: 500, minSpend: 0, autoIssue: 'registration' })
    const m = await t.given.member()
    await t.drainJobs()
    expect((await t.services.coupons.memberCoupons(t.actors.cashier, m.id)).filter((c) => c.templateId === tpl.id)).toHaveLength(1)
    // As if the coupon had been lost after all (by hand in the database).
    const db = tamper(t, 'a welcome coupon lost after its job ran')
    await db.deleteFrom('coupons').where('template_id', '=', tpl.id).where('member_id', '=', m.id).execute()
    await db.updateTable('coupon_templates').set({ issued_count: sql`issued_count - 1` }).where('id', '=', tpl.id).execute()
    // A registration of the last hour may still have its job queued: not reported yet.
    expect((await t.services.coupons.findMissedWelcomes()).members).not.toContainEqual({ memberId: m.id, templateId: tpl.id })
    t.clock.advance(2 * 3_600_000)
    expect((await t.services.coupons.findMissedWelcomes()).members).toContainEqual({ memberId: m.id, templateId: tpl.id })
    expect((await t.services.coupons.memberCoupons(t.actors.cashier, m.id)).map((c) => c.templateId)).not.toContain(tpl.id)
    t.clock.advance(-2 * 3_600_000)
    await t.services.coupons.setTemplateStatus(t.actors.hq_marketing, tpl.id, 'archived')
    await expectSound()
  })

  it('issues to a list of phones, cards and ids, reports the keys it cannot place, and a re-run issues nothing twice', async () => {
    const tpl = await newTemplate()
    const ms = await Promise.all(Array.from({ length: 5 }, () => t.given.member()))
    const phones = await Promise.all(ms.slice(0, 2).map(async (m) => (await t.services.members.reveal(t.actors.hq_admin, m.id, ['phone'])).phone!))
    const keys = [phones[0]!, ms[1]!.cardNo, ms[2]!.id, '13900000000', ms[3]!.id, '', ms[4]!.cardNo, ms[2]!.id]
    const run = await t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'march', keys, sourceName: 'vip.csv' })
    expect(run).toMatchObject({ status: 'completed', total: 8, issued: 5, skipped: 1, failed: 2 })
    expect(run.errors).toEqual([{ line: 4, value: '13900000000', code: 'unknown_member', reason: expect.any(String) }, { line: 6, value: '', code: 'empty', reason: 'empty' }])
    const again = await t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'march', keys })
    expect(again).toMatchObject({ issued: 0, skipped: 6 })
    for (const m of ms) expect((await t.services.coupons.memberCoupons(t.actors.hq_admin, m.id)).filter((c) => c.templateId === tpl.id)).toHaveLength(1)
    const other = await t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'april', keys: [ms[0]!.id] })
    expect(other.issued).toBe(1)
    expect((await t.services.coupons.listIssues(t.actors.hq_admin, tpl.id)).map((r) => r.issued)).toEqual([1, 0, 5])
    await expectSound()
  })

  it('audits a bulk issue that failed part-way, with the coupons it did issue', async () => {
    const tpl = await newTemplate()
    const ms = await Promise.all(Array.from({ length: 4 }, () => t.given.member()))
    await expect(t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'cut', keys: ms.map((m) => m.id) }, {
      chunkSize: 2, afterChunk: () => { throw new Error('the process died') },
    })).rejects.toThrow('the process died')
    const audit = await t.services.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', tpl.id).where('action', '=', 'coupon.issue.bulk').execute()
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.changes as string)).toMatchObject({ issued: 2, issueKey: 'cut' })
  })

  it('answers an unknown template\'s bulk issues with 404', async () => {
    await expect(t.services.coupons.listIssues(t.actors.hq_admin, 'ctp_nope')).rejects.toMatchObject({ code: 'COUPON_TEMPLATE_NOT_FOUND', status: 404 })
  })

  it('gives a merged member\'s coupon in a bulk issue to the survivor, and none to a frozen member', async () => {
    const tpl = await newTemplate()
    const [survivor, merged, frozen] = [await t.given.member(), await t.given.member(), await t.given.member()]
    await t.services.members.merge(t.actors.service_agent, survivor.id, merged.id, '重复注册')
    await t.services.members.setFrozen(t.actors.service_agent, frozen.id, true, '测试冻结')
    const run = await t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'merged', keys: [merged.cardNo, survivor.id, frozen.id] })
    expect(run).toMatchObject({ issued: 1, skipped: 2, failed: 0 })
    expect((await t.services.coupons.memberCoupons(t.actors.hq_admin, survivor.id)).filter((c) => c.templateId === tpl.id)).toHaveLength(1)
    expect((await t.services.coupons.memberCoupons(t.actors.hq_admin, frozen.id)).filter((c) => c.templateId === tpl.id)).toHaveLength(0)
  })

  it('refuses a bulk issue beyond the budget before issuing anything', async () => {
    const tpl = await newTemplate({ maxIssued: 2 })
    const ms = await Promise.all(Array.from({ length: 3 }, () => t.given.member()))
    await expect(t.services.coupons.issueBulk(t.actors.hq_marketing, { templateId: tpl.id, issueKey: 'k', keys: ms.map((m) => m.id) }))
      .rejects.toMatchObject({ code: 'COUPON_BUDGET_EXHAUSTED', details: [{ field: 'keys' }] })
    expect((await t.services.coupons.getTemplate(t.actors.hq_admin, tpl.id)).issuedCount).toBe(0)
  })
})

describe('at the till', () => {
  it('quotes the usable coupons with why the others do not apply, and what is left to pay', async () => {
    const tpl = await newTemplate()
    const small = await newTemplate({ name: '满300减50', value: 5000, minSpend: 30000 })
    const m = await t.given.member()
    const c = await give(tpl.id, m.id)
    await give(small.id, m.id)
    const q = await t.services.receipts.quote(t.actors.cashier, { member: { id: m.id }, lines: [{ sku: 'SKU-Q', quantity: 3, unitPrice: 4000 }], coupons: [c.code] })
    expect(q).toMatchObject({ total: 12000, couponDiscount: 2000, toPay: 10000, coupons: [{ code: c.code, ok: true, discount: 2000 }] })
    expect(q.usableCoupons.map((u) => [u.name, u.ok, u.refusal])).toEqual([['满100减20', true, null], ['满300减50', false, 'below_threshold']])
    expect(q.points).toBe(100)
  })

  it('consumes the coupon with the receipt; a second use is refused with 409 and the reason', async () => {
    const tpl = await newTemplate()
    const m = await t.given.member()
    const c = await give(tpl.id, m.id)
    const { result } = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 3, 4000]], coupons: [{ code: c.code, amount: 2000 }] }))
    expect(result).toMatchObject({ total: 12000, points: 100, coupons: [{ code: c.code, discount: 2000, bonusPoints: 0 }] })
    expect(await t.services.coupons.byCode(t.actors.hq_admin, c.code)).toMatchObject({ status: 'used', usedReceiptId: result.receiptId, discount: 2000 })
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 3, 4000]], coupons: [{ code: c.code, amount: 2000 }] })))
      .rejects.toMatchObject({ code: 'COUPON_ALREADY_USED', details: [{ field: 'tenders[0].reference' }] })
    await expectSound()
  })

  it('refuses a wrong amount, a basket below the threshold, a sale without the member, and another member\'s coupon, using nothing', async () => {
    const tpl = await newTemplate()
    const m = await t.given.member()
    const other = await t.given.member()
    const c = await give(tpl.id, m.id)
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 3, 4000]], coupons: [{ code: c.code, amount: 2500 }] })))
      .rejects.toMatchObject({ code: 'COUPON_AMOUNT_MISMATCH', details: [{ field: 'tenders[0].amount' }] })
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 2, 4000]], coupons: [{ code: c.code, amount: 2000 }] })))
      .rejects.toMatchObject({ code: 'COUPON_NOT_APPLICABLE', details: [{ reason: expect.stringContaining('needs ¥100.00') }] })
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['SKU-Q', 3, 4000]], coupons: [{ code: c.code, amount: 2000 }] })))
      .rejects.toMatchObject({ code: 'COUPON_NOT_APPLICABLE' })
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: other.id }, lines: [['SKU-Q', 3, 4000]], coupons: [{ code: c.code, amount: 2000 }] })))
      .rejects.toMatchObject({ code: 'COUPON_NOT_APPLICABLE', details: [{ reason: 'the coupon belongs to another member' }] })
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 3, 4000]], coupons: [{ code: 'ZZZZZZZZZZZZZZZZ', amount: 2000 }] })))
      .rejects.toMatchObject({ code: 'COUPON_NOT_FOUND' })
    expect(await statusOf(c.code)).toBe('issued')
    expect(await balanceOf(m.id)).toBe(0)
  })

  it('takes a paper voucher without a code as paid, with no coupon to check', async () => {
    const { result } = await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['SKU-Q', 1, 4000]], tenders: [{ kind: 'coupon', amount: 1000 }, { kind: 'cash', amount: 3000 }] }))
    expect(result.coupons).toBeUndefined()
  })

  it('adds a multiplier coupon\'s bonus points to the receipt and the ledger', async () => {
    const tpl = await newTemplate({ name: '双倍积分', kind: 'points_multiplier', value: 200, minSpend: 0 })
    const m = await t.given.member()
    const c = await give(tpl.id, m.id)
    const { result } = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 1, 5000]], coupons: [{ code: c.code, amount: 0 }] }))
    expect(result.points).toBe(100)
    expect(result.explanation.map((e) => [e.kind, e.points])).toEqual([['base', 50], ['coupon', 50]])
    expect(result.coupons).toEqual([{ code: c.code, name: '双倍积分', discount: 0, bonusPoints: 50 }])
    expect(await balanceOf(m.id)).toBe(100)
    await expectSound()
  })

  it('gives a coupon back on a full return when its template says so, and not on a partial one or without the policy', async () => {
    const keep = await newTemplate({ name: '不退券', kind: 'amount', value: 500, minSpend: 0 })
    const back = await newTemplate({ name: '可退券', kind: 'amount', value: 500, minSpend: 0, restoreOnReturn: true })
    const m = await t.given.member()
    const c1 = await give(keep.id, m.id)
    const c2 = await give(back.id, m.id)
    const s1 = sale({ member: { id: m.id }, lines: [['SKU-Q', 2, 3000]], coupons: [{ code: c1.code, amount: 500 }] })
    const s2 = sale({ member: { id: m.id }, lines: [['SKU-Q', 2, 3000]], coupons: [{ code: c2.code, amount: 500 }] })
    await t.services.receipts.postSale(t.actors.cashier, s1)
    await t.services.receipts.postSale(t.actors.cashier, s2)
    const at = '2026-03-02T01:30:00.000Z'
    await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo: s1.receiptNo })
    expect(await statusOf(c1.code)).toBe('used')
    const partial = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo: s2.receiptNo, lines: [{ originalLineNo: 1, quantity: 1 }] })
    expect(partial.result.coupons).toBeUndefined()
    expect(await statusOf(c2.code)).toBe('used')
    const rest = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo: s2.receiptNo })
    expect(rest.result.coupons).toEqual([{ code: c2.code, name: '可退券', discount: 0, bonusPoints: 0 }])
    expect(await statusOf(c2.code)).toBe('issued')
    await expectSound()
  })

  it('tells a return how much of its refund coupons had paid, line by line, to the last fen', async () => {
    const tpl = await newTemplate()
    const m = await t.given.member()
    const c = await give(tpl.id, m.id)
    const s = sale({ member: { id: m.id }, lines: [['SKU-Q', 3, 3000], ['SKU-R', 1, 3000]], coupons: [{ code: c.code, amount: 2000 }] })
    await t.services.receipts.postSale(t.actors.cashier, s)
    const at = '2026-03-02T01:30:00.000Z'
    const one = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo: s.receiptNo, lines: [{ originalLineNo: 1, quantity: 1 }] })
    expect(one.result).toMatchObject({ total: 3000, couponAmount: 500 })
    const rest = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo: s.receiptNo })
    expect(rest.result).toMatchObject({ total: 9000, couponAmount: 1500 })
    // A paper voucher (no code) is spread over the lines the same way.
    const paper = sale({ lines: [['SKU-Q', 1, 3000], ['SKU-R', 1, 1000]], tenders: [{ kind: 'coupon', amount: 400 }, { kind: 'cash', amount: 3600 }] })
    await t.services.receipts.postSale(t.actors.cashier, paper)
    const back = await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality', receiptNo: nextReceiptNo('RT'), businessAt: at, originalReceiptNo: paper.receiptNo, lines: [{ originalLineNo: 2, quantity: 1 }] })
    expect(back.result).toMatchObject({ total: 1000, couponAmount: 100 })
  })

  it('keeps a template within its redeemed-value budget', async () => {
    const tpl = await newTemplate({ name: '限额券', kind: 'amount', value: 600, minSpend: 0, maxRedeemedValue: 1000 })
    const m = await t.given.member()
    const [a, b] = [await give(tpl.id, m.id), await give(tpl.id, m.id)]
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 1, 3000]], coupons: [{ code: a.code, amount: 600 }] }))
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 1, 3000]], coupons: [{ code: b.code, amount: 600 }] })))
      .rejects.toMatchObject({ code: 'COUPON_BUDGET_EXHAUSTED' })
    expect((await t.services.coupons.getTemplate(t.actors.hq_admin, tpl.id)).redeemedValue).toBe(600)
    await expectSound()
  })
})

describe('after issue', () => {
  it('moves a merged member\'s coupons to the survivor, keeping both when each held the same issue', async () => {
    const tpl = await newTemplate({ kind: 'amount', value: 100, minSpend: 0 })
    const survivor = await t.given.member()
    const merged = await t.given.member()
    await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: survivor.id, issueKey: 'spring' })
    const moved = await t.services.coupons.issueOne(t.actors.service_agent, { templateId: tpl.id, memberId: merged.id, issueKey: 'spring' })
    await t.services.members.merge(t.actors.service_agent, survivor.id, merged.id, '重复注册')
    const held = await t.services.coupons.memberCoupons(t.actors.hq_admin, survivor.id)
    expect(held.filter((c) => c.templateId === tpl.id)).toHaveLength(2)
    expect(held.map((c) => c.id)).toContain(moved.id)
    await expectSound()
  })

  it('voids an unused coupon with the reason (audited), never a used one', async () => {
    const tpl = await newTemplate({ kind: 'amount', value: 100, minSpend: 0 })
    const m = await t.given.member()
    const c = await give(tpl.id, m.id)
    await expect(t.services.coupons.voidCoupon(t.actors.service_agent, c.id, '')).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'reason' }] })
    expect(await t.services.coupons.voidCoupon(t.actors.service_agent, c.id, '误发')).toMatchObject({ status: 'voided', voidReason: '误发', voidedBy: t.users.service_agent!.username })
    await expect(t.services.coupons.voidCoupon(t.actors.service_agent, c.id, '再次作废')).rejects.toMatchObject({ code: 'COUPON_NOT_VOIDABLE' })
    const used = await give(tpl.id, m.id)
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 1, 3000]], coupons: [{ code: used.code, amount: 100 }] }))
    await expect(t.services.coupons.voidCoupon(t.actors.service_agent, used.id, '误发')).rejects.toMatchObject({ code: 'COUPON_NOT_VOIDABLE' })
  })

  it('expires coupons after their last day, and reports issued, used, expired, voided and the sales that used them', async () => {
    const tpl = await newTemplate({ name: '报表券', kind: 'amount', value: 1000, minSpend: 0, validDays: 1 })
    const ms = await Promise.all(Array.from({ length: 4 }, () => t.given.member()))
    const cs = await Promise.all(ms.map((m) => give(tpl.id, m.id)))
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: ms[0]!.id }, lines: [['SKU-Q', 1, 8000]], coupons: [{ code: cs[0]!.code, amount: 1000 }] }))
    await t.services.coupons.voidCoupon(t.actors.service_agent, cs[1]!.id, '误发')
    const later = new Date(t.clock.now().getTime() + 2 * 86_400_000)
    const saved = t.clock.now()
    t.clock.set(later)
    try {
      expect((await t.services.coupons.expireDue()).expired).toBeGreaterThanOrEqual(2)
    } finally {
      t.clock.set(saved)
    }
    expect(await statusOf(cs[2]!.code)).toBe('expired')
    const [r] = await t.services.coupons.report(t.actors.analyst, { templateId: tpl.id })
    expect(r).toMatchObject({ issued: 4, unused: 0, used: 1, expired: 2, voided: 1, redemptionRate: 0.25, discountGiven: 1000, receipts: 1, sales: 8000 })
    await expectSound()
  })

  it('verify finds a count that disagrees with the coupons, and a used coupon without its tender', async () => {
    const tpl = await newTemplate({ name: '核对券', kind: 'amount', value: 100, minSpend: 0 })
    const m = await t.given.member()
    const c = await give(tpl.id, m.id)
    const { result } = await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-Q', 1, 3000]], coupons: [{ code: c.code, amount: 100 }] }))
    const db = tamper(t, 'counters gone wrong for verify to find')
    await db.updateTable('coupon_templates').set({ issued_count: 5 }).where('id', '=', tpl.id).execute()
    await db.updateTable('receipt_tenders').set({ amount: 99 }).where('receipt_id', '=', result.receiptId).where('kind', '=', 'coupon').execute()
    const problems = await t.services.coupons.verify()
    expect(problems).toEqual(expect.arrayContaining([
      { area: 'coupons', id: tpl.id, problem: 'issued count 5 but 1 coupons exist' },
      { area: 'coupons', id: c.id, problem: 'took off 100 but its tender says 99' },
    ]))
    await db.updateTable('coupon_templates').set({ issued_count: 1 }).where('id', '=', tpl.id).execute()
    await db.updateTable('receipt_tenders').set({ amount: 100 }).where('receipt_id', '=', result.receiptId).where('kind', '=', 'coupon').execute()
    expect(await t.services.coupons.verify()).toEqual([])
  })
})
