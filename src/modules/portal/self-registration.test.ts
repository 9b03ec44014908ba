import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

/**
 * Self-registration by a store's QR poster (issue 17 §1): the number proven by its code, a few
 * fields and the consents; the member joins that store through the channel 'qr', the clerk whose
 * QR was scanned credited; a number that is a member already signs in instead; a refused form
 * keeps its code.
 */
const context = useTestContext()
let t: TestContext
let seq = 0

beforeAll(async () => {
  t = await context()
})

const call = (options: InjectOptions) => t.app.inject({ ...options, remoteAddress: `10.1.0.${++seq % 250}` })
const askCode = async (phone: string) => {
  t.clock.advance(61_000)
  expect((await call({ method: 'POST', url: '/api/v1/me/auth/code', payload: { phone } })).statusCode).toBe(200)
  const sms = await t.services.db.selectFrom('messages').select('body').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  return /(\d{6})/.exec(sms.body)![1]!
}
const register = (payload: object) => call({ method: 'POST', url: '/api/v1/me/auth/register', payload })

describe('signing up on the member page', () => {
  it("registers the member at the poster's store through the channel qr, credits the clerk, records the consents and signs in", async () => {
    const phone = '13566667777'
    const code = await askCode(phone)
    const res = await register({ phone, code, store: 'sha01', clerk: t.users.cashier!.username, name: '周晓', gender: 'female', birthday: '1990-05-06', consents: { sms: true, email: false } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ created: true, me: { nameMasked: '周*', points: { balance: 0 } } })
    const cookie = `patron_member=${res.cookies.find((c) => c.name === 'patron_member')!.value}`
    expect((await call({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200)
    const member = await t.services.members.lookup(t.actors.hq_admin, { phone })
    expect(member).toMatchObject({ registrationStoreId: t.stores.a, registrationChannel: 'qr', registeredBy: t.users.cashier!.id, gender: 'female', birthday: '1990-05-06' })
    const consents = await t.services.db.selectFrom('member_consents').select(['channel', 'granted', 'source']).where('member_id', '=', member.id).orderBy('channel').execute()
    expect(consents).toEqual([{ channel: 'email', granted: 0, source: 'registration:qr' }, { channel: 'sms', granted: 1, source: 'registration:qr' }].map((c) => expect.objectContaining(c)))
    // The registration's jobs (the welcome coupon and journey follow it, as for any registration).
    const jobs = await t.services.db.selectFrom('job_queue').select(['name', 'payload']).execute()
    expect(jobs.filter((j) => j.payload.includes(member.id)).map((j) => j.name)).toContain('coupons.issueWelcome')
  })

  it('signs a member in instead of registering the number twice', async () => {
    const phone = '13566667777'
    const code = await askCode(phone)
    const res = await register({ phone, code, store: 'BJB01' })
    expect(res.statusCode).toBe(200)
    expect(res.json().created).toBe(false)
    expect((await t.services.members.list(t.actors.hq_admin, { limit: 200 })).items.filter((m) => m.phone === '135****7777')).toHaveLength(1)
  })

  it('registers a number once when the form is sent twice at the same moment', async () => {
    const phone = '13566665555'
    const code = await askCode(phone)
    const both = await Promise.all([register({ phone, code, store: 'SHA01' }), register({ phone, code, store: 'SHA01' })])
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401])
    expect((await t.services.members.list(t.actors.hq_admin, { limit: 200 })).items.filter((m) => m.phone === '135****5555')).toHaveLength(1)
  })

  it('refuses a bad form with the field and the reason, and keeps the code for the corrected one', async () => {
    const phone = '13566668888'
    const code = await askCode(phone)
    const cases: Array<[object, string]> = [
      [{ store: 'NOPE' }, 'store'],
      [{ store: 'SHA01', clerk: t.users.cashierB!.username }, 'clerk'],
      [{ store: 'SHA01', birthday: '1990-13-45' }, 'birthday'],
      [{ store: 'SHA01', gender: 'other' }, 'gender'],
    ]
    for (const [extra, field] of cases) {
      const res = await register({ phone, code, ...extra })
      expect([400, 422], res.body).toContain(res.statusCode)
      expect(JSON.stringify(res.json().error.details), res.body).toContain(field)
    }
    expect((await register({ phone, code: '000000', store: 'SHA01' })).json().error.code).toBe('MEMBER_CODE_INVALID')
    const ok = await register({ phone, code, store: 'SHA01' })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().created).toBe(true)
    // Used: the same code registers nothing more.
    expect((await register({ phone: '13566669999', code, store: 'SHA01' })).statusCode).toBe(401)
  })

  it("shows the poster's store and clerk before anything is typed, and refuses a wrong one with the field", async () => {
    const ok = await call({ method: 'GET', url: `/api/v1/me/auth/poster?store=sha01&clerk=${t.users.cashier!.username}` })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ store: { code: 'SHA01' }, clerk: { username: t.users.cashier!.username } })
    expect(typeof ok.json().chainName).toBe('string')
    const noClerk = await call({ method: 'GET', url: '/api/v1/me/auth/poster?store=SHA01' })
    expect(noClerk.json().clerk).toBeNull()
    const wrongStore = await call({ method: 'GET', url: '/api/v1/me/auth/poster?store=NOPE' })
    expect(wrongStore.statusCode).toBe(422)
    expect(wrongStore.json().error.details[0].field).toBe('store')
    const otherStoresClerk = await call({ method: 'GET', url: `/api/v1/me/auth/poster?store=SHA01&clerk=${t.users.cashierB!.username}` })
    expect(otherStoresClerk.json().error.details[0].field).toBe('clerk')
  })
})

describe("a store's registration poster", () => {
  it("gives staff the URL of the store's QR and one per active clerk, within their scope", async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${t.stores.a}/registration-poster`, headers: { cookie: await t.login(t.users.store_manager!.username) } })
    expect(res.statusCode, res.body).toBe(200)
    const poster = res.json()
    expect(poster.url).toBe('http://localhost:3000/m/register?store=SHA01')
    const cashier = poster.clerks.find((c: { username: string }) => c.username === t.users.cashier!.username)
    expect(cashier.url).toBe(`http://localhost:3000/m/register?store=SHA01&clerk=${encodeURIComponent(t.users.cashier!.username)}`)
    expect(poster.clerks.map((c: { username: string }) => c.username)).not.toContain(t.users.cashierB!.username)
    // The poster's clerk URL opens a form that credits that clerk.
    const opened = await call({ method: 'GET', url: cashier.url.replace('http://localhost:3000/m/register', '/api/v1/me/auth/poster') })
    expect(opened.json().clerk.username).toBe(t.users.cashier!.username)
    // Another store's manager may not print it.
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${t.stores.a}/registration-poster`, headers: { cookie: await t.login(t.users.managerB!.username) } })
    expect([403, 404]).toContain(other.statusCode)
    // An unknown store: 404 with the field.
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/stores/sto_nope/registration-poster', headers: { cookie: await t.login(t.users.hq_admin!.username) } })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error).toMatchObject({ code: 'STORE_NOT_FOUND', details: [{ field: 'id' }] })
  })
})
