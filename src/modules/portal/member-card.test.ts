import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'

/**
 * The electronic member card (issue 17 §2): the page shows a QR that changes every minute; the
 * till's lookup and a sale accept it as the member; an expired or altered one is refused with a
 * reason the cashier understands.
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
