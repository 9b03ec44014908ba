import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

/**
 * Signing in on the member's page (issue 17 §1): a text code, valid 5 minutes, a few tries,
 * once; limits per number and per address; a session of its own that opens /me and nothing of
 * the staff's, and that staff's cookie cannot stand in for.
 */
const context = useTestContext()
let t: TestContext
let member: { id: string; cardNo: string; phone: string }
let seq = 0

beforeAll(async () => {
  t = await context()
  const phone = '13700001111'
  const m = await t.given.member({ phone, name: '林小雨' })
  member = { id: m.id, cardNo: m.cardNo, phone }
  await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 1234, reason: '测试积分' })
})

/** A request from its own address (the per-address limit is not what most tests are about). */
const call = (options: InjectOptions, ip = `10.0.0.${++seq % 250}`) => t.app.inject({ ...options, remoteAddress: ip })
const askCode = (phone: string, ip?: string) => call({ method: 'POST', url: '/api/v1/me/auth/code', payload: { phone } }, ip)
const login = (phone: string, code: string) => call({ method: 'POST', url: '/api/v1/me/auth/login', payload: { phone, code } })
/** The code of the newest text to the number, as the sandbox's message log holds it. */
const lastCode = async (): Promise<string> => {
  const row = await t.services.db.selectFrom('messages').select('body').where('channel', '=', 'sms').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  return /验证码是 (\d{6})/.exec(row.body)![1]!
}
const cookieOf = (res: Awaited<ReturnType<typeof login>>) => `patron_member=${res.cookies.find((c) => c.name === 'patron_member')!.value}`
const signIn = async () => {
  t.clock.advance(2 * 60_000)
  expect((await askCode(member.phone)).statusCode).toBe(200)
  const res = await login(member.phone, await lastCode())
  expect(res.statusCode, res.body).toBe(200)
  return cookieOf(res)
}

describe("the member page's sign-in", () => {
  it('sends a six-digit code by text, signs the member in with it once, and shows their card and points', async () => {
    const sent = await askCode(' 137-0000-1111 ')
    expect(sent.statusCode, sent.body).toBe(200)
    expect(sent.json()).toMatchObject({ sentTo: '137****1111', resendAfterSeconds: 60 })
    const code = await lastCode()
    // The code is stored as a hash bound to its row, never as itself.
    const stored = await t.services.db.selectFrom('member_login_codes').selectAll().execute()
    expect(JSON.stringify(stored)).not.toContain(code)
    expect(JSON.stringify(stored)).not.toContain(member.phone)
    // The text is the member's: erased with them.
    expect((await t.services.db.selectFrom('messages').select('member_id').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()).member_id).toBe(member.id)

    const res = await login(member.phone, code)
    expect(res.statusCode, res.body).toBe(200)
    const cookie = res.cookies.find((c) => c.name === 'patron_member')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(res.json().me).toMatchObject({ cardNo: member.cardNo, nameMasked: '林**', points: { balance: 1234 } })
    const me = await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieOf(res) } })
    expect(me.json()).toMatchObject({ cardNo: member.cardNo, points: { balance: 1234, spendable: 1234 } })
    // Once: the same code again is refused.
    expect((await login(member.phone, code)).json().error.code).toBe('MEMBER_CODE_INVALID')
  })

  it('takes a code once when two sign-ins send it at the same moment', async () => {
    t.clock.advance(2 * 60_000)
    await askCode(member.phone)
    const code = await lastCode()
    const both = await Promise.all([login(member.phone, code), login(member.phone, code)])
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401])
  })

  it('refuses a wrong code, and after five wrong tries the right one too', async () => {
    t.clock.advance(2 * 60_000)
    await askCode(member.phone)
    const code = await lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) {
      const res = await login(member.phone, wrong)
      expect(res.statusCode).toBe(401)
      expect(res.json().error).toMatchObject({ code: 'MEMBER_CODE_INVALID', details: [{ field: 'code' }] })
    }
    expect((await login(member.phone, code)).statusCode).toBe(401)
  })

  it('refuses an expired code', async () => {
    t.clock.advance(2 * 60_000)
    await askCode(member.phone)
    const code = await lastCode()
    t.clock.advance(5 * 60_000 + 1000)
    expect((await login(member.phone, code)).json().error.code).toBe('MEMBER_CODE_INVALID')
  })

  it('sends a number at most one code a minute and five an hour, and an address thirty an hour', async () => {
    t.clock.advance(3_600_000)
    const phone = '13700002222'
    expect((await askCode(phone)).statusCode).toBe(200)
    const soon = await askCode(phone)
    expect(soon.statusCode).toBe(429)
    expect(soon.json().error.code).toBe('MEMBER_CODE_TOO_SOON')
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0)
    for (let i = 0; i < 4; i++) {
      t.clock.advance(61_000)
      expect((await askCode(phone)).statusCode).toBe(200)
    }
    t.clock.advance(61_000)
    expect((await askCode(phone)).json().error.code).toBe('MEMBER_CODE_LIMITED')

    t.clock.advance(3_600_000)
    const ip = '192.0.2.7'
    for (let i = 0; i < 30; i++) expect((await askCode(`1370001${String(i).padStart(4, '0')}`, ip)).statusCode).toBe(200)
    const limited = await askCode('13700019999', ip)
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error.code).toBe('MEMBER_CODE_LIMITED')
  })

  it('refuses a bad number or code with the field, and a number with no member keeps its code for registering', async () => {
    const bad = await askCode('12345')
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details).toEqual([{ field: 'phone', reason: 'a mainland mobile number: 11 digits starting with 1' }])
    expect((await login(member.phone, '12ab')).json().error.details).toEqual([{ field: 'code', reason: 'the six digits of the text message' }])
    t.clock.advance(3_600_000)
    const stranger = '13700003333'
    await askCode(stranger)
    const code = await lastCode()
    const res = await login(stranger, code)
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toMatchObject({ code: 'MEMBER_NOT_REGISTERED', details: [{ field: 'phone' }] })
    const open = await t.services.db.selectFrom('member_login_codes').select('used_at').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(open.used_at).toBeNull()
  })

  it("opens /me to the member's cookie only: not to staff's cookie, and a member's cookie opens no staff route", async () => {
    const cookie = await signIn()
    const staff = await t.login(t.users.hq_admin!.username)
    expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: staff } })).json().error.code).toBe('AUTH_MEMBER_REQUIRED')
    expect((await call({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401)
    expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'patron_member=forged' } })).statusCode).toBe(401)
    for (const url of ['/api/v1/members', '/api/v1/auth/me', `/api/v1/members/${member.id}`, '/api/v1/receipts']) {
      const res = await call({ method: 'GET', url, headers: { cookie } })
      expect(res.statusCode, url).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
    // No /me route takes a member id: the session says whose data it is. A path names a public
    // thing (a survey, an event) or one of the member's own records, by a name that says which.
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> }
    const mine = Object.keys(doc.paths).filter((p) => p === '/api/v1/me' || p.startsWith('/api/v1/me/'))
    expect(mine.length).toBeGreaterThan(3)
    const params = mine.flatMap((p) => [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))
    expect(params.filter((name) => name === 'id' || /member/i.test(name))).toEqual([])
  })

  it('signs out here, or everywhere; an erased member is signed out', async () => {
    const one = await signIn()
    const two = await signIn()
    const out = await call({ method: 'POST', url: '/api/v1/me/auth/logout', headers: { cookie: one } })
    expect(out.statusCode).toBe(204)
    expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: one } })).statusCode).toBe(401)
    expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: two } })).statusCode).toBe(200)
    const three = await signIn()
    const all = await call({ method: 'POST', url: '/api/v1/me/auth/logout-everywhere', headers: { cookie: three } })
    expect(all.json().ended).toBeGreaterThanOrEqual(2)
    for (const c of [two, three]) expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: c } })).statusCode).toBe(401)

    const four = await signIn()
    await t.services.privacy.updateSettings(t.actors.hq_admin, { coolingOffDays: 0 })
    await t.services.privacy.requestErasure(t.actors.hq_admin, member.id, {})
    expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie: four } })).statusCode).toBe(401)
    expect(await t.services.db.selectFrom('member_sessions').selectAll().where('member_id', '=', member.id).execute()).toEqual([])
  })

  it('prunes old codes and ended sessions daily', async () => {
    t.clock.advance(100 * 86_400_000)
    const pruned = await t.services.portalAuth.prune()
    expect(pruned.codes).toBeGreaterThan(0)
    expect(await t.services.db.selectFrom('member_login_codes').selectAll().execute()).toEqual([])
  })
})
