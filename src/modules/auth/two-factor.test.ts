import { generate } from 'otplib'
import { beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) })
const now = () => t.clock.now()

const login = (username: string, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD, ...extra } })
const cookieOf = (res: { cookies: Array<{ name: string; value: string }> }) => `patron_session=${res.cookies.find((c) => c.name === 'patron_session')!.value}`
const as = (cookie: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } }),
  post: (url: string, payload?: object) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) }),
  put: (url: string, payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: { cookie }, payload }),
})

/** Sets up two-factor sign-in for a signed-in user; returns the secret. */
const turnOn = async (cookie: string) => {
  const setup = await as(cookie).post('/auth/two-factor/setup', { password: TEST_PASSWORD })
  expect(setup.statusCode).toBe(200)
  const { secret, uri } = setup.json() as { secret: string; uri: string }
  expect(uri).toMatch(/^otpauth:\/\/totp\/Patron:.+\?secret=[A-Z2-7]+/)
  const confirmed = await as(cookie).post('/auth/two-factor/confirm', { code: await codeAt(secret, now()) })
  expect(confirmed.statusCode).toBe(200)
  expect(confirmed.json()).toMatchObject({ enabled: true })
  return secret
}

describe('two-factor sign-in', () => {
  it('once on, asks for the code after the password, takes a code once, and counts a wrong one as a failed sign-in', async () => {
    const user = await t.given.staff('analyst')
    const cookie = cookieOf(await login(user.username))
    expect((await as(cookie).get('/auth/two-factor')).json()).toEqual({ enabled: false, enabledAt: null, required: false })
    const secret = await turnOn(cookie)

    const noCode = await login(user.username)
    expect(noCode.statusCode).toBe(401)
    expect(noCode.json().error).toMatchObject({ code: 'AUTH_TWO_FACTOR_REQUIRED', details: [{ field: 'code', reason: expect.any(String) }] })
    expect(noCode.cookies).toHaveLength(0)

    const wrong = await login(user.username, { code: '000000' })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('AUTH_TWO_FACTOR_INVALID')
    const failures = await t.services.db.selectFrom('audit_log').select('changes').where('action', '=', 'auth.login_failed').where('entity_id', '=', user.id).execute()
    expect(failures.map((f) => JSON.parse(f.changes!).reason)).toEqual(['wrong code'])

    // The set-up's code was this step's: the next step's code signs in, and only once.
    t.clock.advance(30_000)
    const code = await codeAt(secret, now())
    const ok = await login(user.username, { code })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().user.twoFactor).toBe(true)
    const again = await login(user.username, { code })
    expect(again.statusCode).toBe(401)
    expect(again.json().error.code).toBe('AUTH_TWO_FACTOR_INVALID')
    // A wrong password with a right code is still just a wrong password.
    t.clock.advance(30_000)
    const badPassword = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: 'Wrong-Pass-1', code: await codeAt(secret, now()) } })
    expect(badPassword.json().error.code).toBe('AUTH_INVALID_CREDENTIALS')
  })

  it('keeps the secret encrypted with the data key, and asks for the password to start and a right code to finish', async () => {
    const user = await t.given.staff('hq_marketing')
    const me = as(cookieOf(await login(user.username)))
    expect((await me.post('/auth/two-factor/setup', { password: 'not-mine' })).json().error).toMatchObject({ code: 'AUTH_WRONG_PASSWORD', details: [{ field: 'password' }] })
    expect((await me.post('/auth/two-factor/confirm', { code: '123456' })).json().error.code).toBe('TWO_FACTOR_NOT_STARTED')
    const { secret } = (await me.post('/auth/two-factor/setup', { password: TEST_PASSWORD })).json() as { secret: string }
    const row = await t.services.db.selectFrom('staff_users').select(['totp_pending_enc', 'totp_secret_enc']).where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.totp_pending_enc).toMatch(/^v1\./)
    expect(row.totp_pending_enc).not.toContain(secret)
    expect(t.keyring.decrypt('staff.totp_secret', row.totp_pending_enc!)).toBe(secret)
    const wrong = await me.post('/auth/two-factor/confirm', { code: '12345' })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json().error).toMatchObject({ code: 'AUTH_TWO_FACTOR_INVALID', details: [{ field: 'code' }] })
    expect((await me.get('/auth/two-factor')).json().enabled).toBe(false)
    expect((await me.post('/auth/two-factor/confirm', { code: await codeAt(secret, now()) })).statusCode).toBe(200)
    expect((await me.post('/auth/two-factor/setup', { password: TEST_PASSWORD })).json().error.code).toBe('TWO_FACTOR_ALREADY_ON')
  })

  it('turns off with the password and a current code; then the password alone signs in', async () => {
    const user = await t.given.staff('analyst')
    const me = as(cookieOf(await login(user.username)))
    const secret = await turnOn(cookieOf(await login(user.username)))
    t.clock.advance(30_000)
    const refused = await me.post('/auth/two-factor/disable', { password: 'Wrong-Pass-1', code: '000000' })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details.map((d: { field: string }) => d.field)).toEqual(['password', 'code'])
    const off = await me.post('/auth/two-factor/disable', { password: TEST_PASSWORD, code: await codeAt(secret, now()) })
    expect(off.json()).toEqual({ enabled: false, enabledAt: null, required: false })
    expect((await login(user.username)).statusCode).toBe(200)
    const audit = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', user.id).where('action', 'like', 'auth.two_factor%').orderBy('at').orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['auth.two_factor_enable', 'auth.two_factor_disable'])
  })

  it('an administrator clears a lost phone: the user\'s sessions end and they sign in with the password again', async () => {
    const user = await t.given.staff('cashier', t.stores.a)
    const cookie = cookieOf(await login(user.username))
    await turnOn(cookie)
    const admin = as(await t.login(t.users.hq_admin!.username))
    const reset = await admin.post(`/staff/${user.id}/two-factor/reset`)
    expect(reset.statusCode).toBe(200)
    expect(reset.json().twoFactor).toBe(false)
    expect((await as(cookie).get('/auth/me')).statusCode).toBe(401)
    expect((await login(user.username)).statusCode).toBe(200)
    expect((await admin.post(`/staff/${user.id}/two-factor/reset`)).json().error.code).toBe('TWO_FACTOR_NOT_ON')
    expect((await admin.post('/staff/usr_nobody/two-factor/reset')).statusCode).toBe(404)
    // A store manager of another store may not.
    const managerB = as(await t.login((await t.given.staff('store_manager', t.stores.b)).username))
    expect((await managerB.post(`/staff/${user.id}/two-factor/reset`)).statusCode).toBe(403)
  })
})

describe("the chain's sign-in policy", () => {
  it('requires two-factor of HQ administrators: one without it may only set it up, then everything opens', async () => {
    const first = await t.given.staff('hq_admin')
    const firstCookie = cookieOf(await login(first.username))
    const refused = await as(firstCookie).put('/security-settings', { requireTwoFactorForHqAdmins: true })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({ code: 'TWO_FACTOR_SET_UP_FIRST', details: [{ field: 'requireTwoFactorForHqAdmins' }] })
    const firstSecret = await turnOn(firstCookie)
    const saved = await as(firstCookie).put('/security-settings', { requireTwoFactorForHqAdmins: true })
    expect(saved.json()).toEqual({ sessionIdleMinutes: 720, sessionAbsoluteHours: 168, requireTwoFactorForHqAdmins: true })

    const other = await t.given.staff('hq_admin')
    const signedIn = await login(other.username)
    expect(signedIn.statusCode).toBe(200)
    expect(signedIn.json()).toMatchObject({ twoFactorSetupRequired: true, permissions: [] })
    const them = as(cookieOf(signedIn))
    const blocked = await them.get('/members?limit=1')
    expect(blocked.statusCode).toBe(403)
    expect(blocked.json().error.code).toBe('AUTH_TWO_FACTOR_SETUP_REQUIRED')
    expect((await them.get('/auth/me')).json()).toMatchObject({ twoFactorSetupRequired: true, permissions: [] })
    expect((await them.get('/auth/two-factor')).json()).toEqual({ enabled: false, enabledAt: null, required: true })
    const secret = await turnOn(cookieOf(signedIn))
    expect((await them.get('/members?limit=1')).statusCode).toBe(200)
    expect((await them.get('/auth/me')).json()).toMatchObject({ twoFactorSetupRequired: false })
    // Required: it cannot be turned off.
    t.clock.advance(30_000)
    const off = await them.post('/auth/two-factor/disable', { password: TEST_PASSWORD, code: await codeAt(secret, now()) })
    expect(off.json().error.code).toBe('TWO_FACTOR_REQUIRED_BY_CHAIN')
    // Other roles are not asked.
    expect((await login((await t.given.staff('analyst')).username)).json().twoFactorSetupRequired).toBe(false)

    await as(firstCookie).put('/security-settings', { requireTwoFactorForHqAdmins: false })
    void firstSecret
  })

  it('ends a session idle too long, and any session past the absolute limit however much it is used', async () => {
    const admin = as(await t.login(t.users.hq_admin!.username))
    expect((await admin.put('/security-settings', { sessionIdleMinutes: 30, sessionAbsoluteHours: 1 })).statusCode).toBe(200)
    const user = await t.given.staff('analyst')
    const idle = as(cookieOf(await login(user.username)))
    t.clock.advance(29 * 60_000)
    expect((await idle.get('/auth/me')).statusCode).toBe(200)
    t.clock.advance(29 * 60_000) // used 29 minutes ago: still open
    expect((await idle.get('/auth/me')).statusCode).toBe(200)
    t.clock.advance(31 * 60_000)
    expect((await idle.get('/auth/me')).statusCode).toBe(401)

    const busy = as(cookieOf(await login(user.username)))
    for (let i = 0; i < 3; i++) {
      t.clock.advance(19 * 60_000)
      expect((await busy.get('/auth/me')).statusCode).toBe(200)
    }
    t.clock.advance(4 * 60_000) // 61 minutes after sign-in, used 4 minutes ago
    expect((await busy.get('/auth/me')).statusCode).toBe(401)

    const changes = await t.services.db.selectFrom('audit_log').select('changes').where('action', '=', 'security.settings.update').orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(JSON.parse(changes.changes!)).toEqual({ sessionIdleMinutes: { from: 720, to: 30 }, sessionAbsoluteHours: { from: 168, to: 1 } })
    const back = as(await t.login(t.users.hq_admin!.username))
    await back.put('/security-settings', { sessionIdleMinutes: 720, sessionAbsoluteHours: 168 })
  })

  it('refuses a policy out of bounds field by field, and anyone but HQ administrators', async () => {
    const admin = as(await t.login(t.users.hq_admin!.username))
    const bad = await admin.put('/security-settings', { sessionIdleMinutes: 2, sessionAbsoluteHours: 1000 })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toEqual(['sessionIdleMinutes', 'sessionAbsoluteHours'])
    const longer = await admin.put('/security-settings', { sessionIdleMinutes: 180, sessionAbsoluteHours: 2 })
    expect(longer.json().error.details).toEqual([{ field: 'sessionIdleMinutes', reason: 'must not be longer than the absolute limit' }])
    expect((await admin.put('/security-settings', { sessionIdleMinutes: 'x' })).statusCode).toBe(400)
    expect((await admin.get('/security-settings')).json()).toEqual({ sessionIdleMinutes: 720, sessionAbsoluteHours: 168, requireTwoFactorForHqAdmins: false })
    const manager = as(await t.login(t.users.store_manager!.username))
    expect((await manager.get('/security-settings')).statusCode).toBe(403)
    expect((await manager.put('/security-settings', { sessionIdleMinutes: 60 })).statusCode).toBe(403)
  })
})
