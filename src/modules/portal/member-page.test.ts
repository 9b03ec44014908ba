import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'

/**
 * The member's page's reads (issue 17 §2): the electronic card, whose QR changes every minute
 * (the till's lookup and a sale accept it; an expired or altered one is refused with a reason the
 * cashier understands), and the member's own points, receipts, coupons and gift orders, never
 * another member's.
 */
const context = useTestContext()
let t: TestContext
let member: { id: string; cardNo: string }
let cookie: string

beforeAll(async () => {
  t = await context()
  const phone = '13755556666'
  const m = await t.given.member({ phone })
  member = { id: m.id, cardNo: m.cardNo }
  await t.services.portalAuth.requestCode({ phone, ip: null })
  const sms = await t.services.db.selectFrom('messages').select('body').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  const { token } = await t.services.portalAuth.login({ phone, code: /(\d{6})/.exec(sms.body)![1]!, ip: null, userAgent: null })
  cookie = `patron_member=${token}`
})

const card = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/me/card', headers: { cookie } })).json() as { cardNo: string; qrToken: string; expiresAt: string; refreshAfterSeconds: number }

describe("the member card's QR", () => {
  it('names the card, works for a minute, and is new each minute', async () => {
    const first = await card()
    expect(first).toMatchObject({ cardNo: member.cardNo, refreshAfterSeconds: 50 })
    expect(first.qrToken).toMatch(new RegExp(`^PM1:${member.cardNo}:\\d+:[\\w-]{16}$`))
    expect(Date.parse(first.expiresAt) - t.clock.now().getTime()).toBeLessThanOrEqual(60_000)
    t.clock.advance(60_000)
    expect((await card()).qrToken).not.toBe(first.qrToken)
  })

  it('is the member at the till: a lookup and a sale accept it', async () => {
    const { qrToken } = await card()
    const found = await t.services.members.lookup(t.actors.cashier, { qrToken })
    expect(found.id).toBe(member.id)
    const posted = await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['QR-1', 1, 1000]], member: { qrToken } }))
    expect(posted.result.member?.id).toBe(member.id)
  })

  it('is refused once expired, or altered, with the field and a reason for the cashier', async () => {
    const { qrToken } = await card()
    t.clock.advance(61_000)
    const expired = await t.app.inject({ method: 'POST', url: '/api/v1/members/lookup', headers: { cookie: await t.login(t.users.cashier!.username) }, payload: { qrToken } })
    expect(expired.statusCode).toBe(422)
    expect(expired.json().error).toMatchObject({ code: 'MEMBER_QR_EXPIRED', details: [{ field: 'qrToken' }] })
    const fresh = (await card()).qrToken
    const [p, c, e, sig] = fresh.split(':') as [string, string, string, string]
    for (const forged of [`${p}:${c}:${Number(e) + 3600}:${sig}`, `${p}:${c}:${e}:${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, 'PM1:garbage', `PATRON:${c}x`]) {
      await expect(t.services.members.lookup(t.actors.cashier, { qrToken: forged })).rejects.toMatchObject({ code: 'MEMBER_QR_INVALID' })
    }
    await expect(t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['QR-1', 1, 1000]], member: { qrToken } }))).rejects.toMatchObject({ code: 'MEMBER_QR_EXPIRED' })
  })
})

describe("the member's own history", () => {
  it("shows the member's points, receipts, coupons and gift orders, and nothing of another member's", async () => {
    const other = await t.given.member({ phone: '13755557777' })
    const hq = t.actors.hq_admin
    await t.services.loyalty.adjust(hq, { memberId: member.id, points: 500, reason: '生日礼' })
    await t.services.loyalty.adjust(hq, { memberId: other.id, points: 900, reason: '他人积分' })
    const mine = await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['ME-1', 2, 1500]], member: { id: member.id } }))
    const theirs = await t.services.receipts.postSale(t.actors.cashier, sale({ lines: [['ME-2', 1, 900]], member: { id: other.id } }))
    const template = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '满30减5', kind: 'threshold', value: 500, minSpend: 3000, validDays: 30 } as never)
    const coupon = await t.services.coupons.issueOne(hq, { templateId: template.id, memberId: member.id })
    const otherCoupon = await t.services.coupons.issueOne(hq, { templateId: template.id, memberId: other.id })
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } })

    const entries = (await get('/api/v1/me/points/entries')).json() as { items: Array<{ points: number; reason: string | null; receiptNo: string | null }> }
    expect(entries.items.some((e) => e.points === 500)).toBe(true)
    expect(entries.items.some((e) => e.receiptNo === mine.result.receiptNo)).toBe(true)
    expect(entries.items.some((e) => e.reason === '他人积分' || e.receiptNo === theirs.result.receiptNo)).toBe(false)

    const receipts = (await get('/api/v1/me/receipts?limit=50')).json() as { items: Array<{ receiptNo: string; lines: unknown[] }> }
    expect(receipts.items.map((r) => r.receiptNo)).toContain(mine.result.receiptNo)
    expect(receipts.items.map((r) => r.receiptNo)).not.toContain(theirs.result.receiptNo)
    expect(receipts.items.find((r) => r.receiptNo === mine.result.receiptNo)!.lines).toHaveLength(1)

    const coupons = (await get('/api/v1/me/coupons')).json() as Array<{ id: string; code: string; conditions: object }>
    expect(coupons.map((c) => c.id)).toEqual([coupon.id])
    expect(coupons[0]!.code).toBe(coupon.code)
    // What it asks of the basket, from its template: ¥30 of goods, anywhere, the whole basket.
    expect(coupons[0]!.conditions).toEqual({ description: null, minSpend: 3000, maxDiscount: null, covers: null, stores: null, minTier: null, stacks: expect.any(Boolean) })
    expect(JSON.stringify(coupons)).not.toContain(otherCoupon.code)
    expect((await get('/api/v1/me/gift-orders')).json()).toEqual({ items: [], nextCursor: null })
    // Bad paging is refused with the field; a member id in the query is not a parameter at all.
    expect((await get('/api/v1/me/receipts?limit=0')).statusCode).toBe(400)
    expect((await get(`/api/v1/me/receipts?memberId=${other.id}`)).statusCode).toBe(400)
  })
})

describe("the member's consents", () => {
  it('lists every channel and changes one with a tap, recorded as the member page', async () => {
    const put = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/v1/me/consents', headers: { cookie }, payload })
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/me/consents', headers: { cookie } })).json() as Array<{ channel: string; granted: boolean }>
    expect(before.map((c) => c.channel)).toEqual(['sms', 'email', 'wechat', 'app_push', 'phone_call'])
    const after = (await put({ channel: 'wechat', granted: true })).json() as Array<{ channel: string; granted: boolean; changedAt: string | null }>
    expect(after.find((c) => c.channel === 'wechat')).toMatchObject({ granted: true, changedAt: expect.any(String) })
    const history = await t.services.members.consentHistory(t.actors.hq_admin, member.id)
    expect(history[0]).toMatchObject({ channel: 'wechat', granted: true, source: 'member_page' })
    expect((await put({ channel: 'fax', granted: true })).statusCode).toBe(400)
    expect((await put({ channel: 'sms' })).statusCode).toBe(400)
  })
})

describe("the member's personal data", () => {
  it('downloads everything held on the member, and asks for the account to be closed after the cooling-off', async () => {
    const zip = await t.app.inject({ method: 'GET', url: '/api/v1/me/personal-data.zip', headers: { cookie } })
    expect(zip.statusCode).toBe(200)
    expect(zip.headers['content-type']).toBe('application/zip')
    expect(zip.rawPayload.subarray(0, 2).toString()).toBe('PK')
    expect(zip.headers['content-disposition']).toContain(member.cardNo)
    const audited = await t.services.db.selectFrom('audit_log').select(['action', 'actor_name', 'entity_id']).where('action', '=', 'member.personal_data_export').execute()
    expect(audited).toContainEqual({ action: 'member.personal_data_export', actor_name: 'member page', entity_id: member.id })

    const closed = await t.app.inject({ method: 'POST', url: '/api/v1/me/close-account', headers: { cookie }, payload: { reason: '不再使用' } })
    expect(closed.statusCode, closed.body).toBe(201)
    const { dueAt } = closed.json() as { dueAt: string }
    expect(Date.parse(dueAt) - t.clock.now().getTime()).toBe(15 * 86_400_000)
    const [request] = (await t.services.privacy.list(t.actors.hq_admin, { memberId: member.id })).items
    expect(request).toMatchObject({ channel: 'member_page', status: 'pending', reason: '不再使用' })
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/me/close-account', headers: { cookie }, payload: {} })
    expect(again.statusCode, again.body).toBe(409)
    expect(again.json().error.code).toBe('ERASURE_PENDING')
  })
})
