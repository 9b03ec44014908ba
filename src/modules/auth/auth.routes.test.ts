import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { buildApp } from '../../http/app.js'

const context = useTestContext()
let t: TestContext
let admin: string
beforeAll(async () => {
  t = await context()
  admin = await t.login(t.users.hq_admin!.username)
})

// Each test signs in from its own address, so the per-address throttle of one does not slow another.
const login = (username: string, password = TEST_PASSWORD, remoteAddress = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress })

const cookieOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((c) => c.name === 'patron_session')
  if (!c) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`)
  return `patron_session=${c.value}`
}

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const me = (cookie: string) => as(cookie, { method: 'GET', url: '/api/v1/auth/me' })
const withKey = (key: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${key}` } })

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and /auth/me returns the user and permissions', async () => {
    const res = await login(t.users.cashier!.username)
    expect(res.statusCode).toBe(200)
    const cookie = res.cookies.find((c) => c.name === 'patron_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    expect(cookie.value.length).toBeGreaterThanOrEqual(40)
    expect(res.json()).toMatchObject({ user: { id: t.users.cashier!.id, role: 'cashier', storeId: t.stores.a, status: 'active' } })
    expect(res.body).not.toContain('scrypt')

    const who = await me(cookieOf(res))
    expect(who.statusCode).toBe(200)
    expect(who.json().user).toMatchObject({ id: t.users.cashier!.id, username: t.users.cashier!.username })
    expect(who.json().permissions).toEqual(expect.arrayContaining(['members.lookup', 'members.read', 'members.register']))
    expect(who.json().permissions).not.toContain('members.list')
    expect(who.json().permissions).not.toContain('members.export')
  })

  it('marks the cookie Secure when the server is configured for HTTPS', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: true, logLevel: 'silent' }, logger: false })
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: t.users.hq_marketing!.username, password: TEST_PASSWORD }, remoteAddress: '10.0.0.2' })
      expect(res.statusCode).toBe(200)
      const cookie = res.cookies.find((c) => c.name === 'patron_session')!
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' })
      // A browser-session cookie: the server, not the browser, decides when a session ends.
      expect(cookie.expires).toBeUndefined()
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookieOf(res) } })
      expect(out.statusCode).toBe(204)
      expect(out.cookies.find((c) => c.name === 'patron_session')).toMatchObject({ value: '', secure: true, httpOnly: true, sameSite: 'Strict', path: '/' })
    } finally {
      await app.close()
    }
  })

  it('accepts the username in any case', async () => {
    const res = await login(t.users.analyst!.username.toUpperCase())
    expect(res.statusCode).toBe(200)
    expect(res.json().user.id).toBe(t.users.analyst!.id)
  })

  it.each([
    ['a wrong password', () => t.users.store_manager!.username, 'wrong-password'],
    ['an unknown user', () => 'nobody-here', TEST_PASSWORD],
  ])('refuses %s with 401 AUTH_INVALID_CREDENTIALS and no cookie', async (_label, username, password) => {
    const res = await login(username(), password, '10.0.1.1')
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: { code: 'AUTH_INVALID_CREDENTIALS', message: 'wrong username or password', details: [] } })
    expect(res.cookies.find((c) => c.name === 'patron_session')).toBeUndefined()
  })

  it('answers 401 AUTH_REQUIRED to an unknown session cookie', async () => {
    const res = await me('patron_session=not-a-session')
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('AUTH_REQUIRED')
  })
})

describe('login throttling', () => {
  const parallel = (n: number, attempt: (i: number) => Promise<LightMyRequestResponse>) => Promise.all(Array.from({ length: n }, (_, i) => attempt(i)))

  it('slows repeated failures from one address, then locks that user and address pair; the user still signs in elsewhere', async () => {
    const victim = await t.given.staff('cashier', t.stores.a)
    const before = t.sleeps.length
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await login(victim.username, `wrong-${i}`, '10.0.2.1')).statusCode)
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    // Attempts 1–3 are answered at once; after the 3rd failure each waits longer.
    expect(t.sleeps.slice(before)).toEqual([250, 500])

    const locked = await login(victim.username, TEST_PASSWORD, '10.0.2.1')
    expect(locked.statusCode).toBe(429)
    expect(locked.headers['retry-after']).toBe('60')
    expect(locked.json()).toMatchObject({ error: { code: 'LOGIN_THROTTLED', details: [] } })
    expect(locked.cookies).toHaveLength(0)
    // Only the address that guessed is locked: the user at another till is not.
    expect((await login(victim.username, TEST_PASSWORD, '10.0.2.2')).statusCode).toBe(200)
  })

  it('doubles the lock with every failure after one, and forgets it after a success', async () => {
    const user = await t.given.staff('cashier', t.stores.a)
    for (let i = 0; i < 5; i++) await login(user.username, 'wrong', '10.0.3.1')
    t.clock.advance(60 * 1000)
    expect((await login(user.username, 'wrong again', '10.0.3.1')).statusCode).toBe(401)
    const longer = await login(user.username, TEST_PASSWORD, '10.0.3.1')
    expect(longer.statusCode).toBe(429)
    expect(longer.headers['retry-after']).toBe('120')
    t.clock.advance(120 * 1000)
    expect((await login(user.username, TEST_PASSWORD, '10.0.3.1')).statusCode).toBe(200)
    // The success cleared the pair: four typos now are four 401s, not a lock.
    for (let i = 0; i < 4; i++) expect((await login(user.username, 'typo', '10.0.3.1')).statusCode).toBe(401)
  })

  it('never counts a correct password as a failure', async () => {
    const user = await t.given.staff('service_agent', t.stores.a)
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await login(user.username, 'typo', '10.0.3.2')).statusCode).toBe(401)
      expect((await login(user.username, TEST_PASSWORD, '10.0.3.2')).statusCode).toBe(200)
    }
  })

  it('lets no more than 5 of a burst of parallel guesses be checked, and locks only that address', async () => {
    const victim = await t.given.staff('cashier', t.stores.a)
    const burst = await parallel(20, (i) => login(victim.username, `guess-${i}`, '10.0.2.9'))
    expect(burst.map((r) => r.statusCode).sort()).toEqual([...Array(5).fill(401), ...Array(15).fill(429)])
    expect((await login(victim.username, TEST_PASSWORD, '10.0.2.9')).statusCode).toBe(429)
    expect((await login(victim.username, TEST_PASSWORD, '10.0.2.10')).statusCode).toBe(200)
  })

  it('answers every one of many concurrent correct sign-ins of one user', async () => {
    const user = await t.given.staff('cashier', t.stores.a)
    const burst = await parallel(12, () => login(user.username, TEST_PASSWORD, '10.0.3.3'))
    expect(burst.map((r) => r.statusCode)).toEqual(Array(12).fill(200))
  })

  it('keeps the HQ administrator signing in at their usual address however many guess their name elsewhere', async () => {
    const hq = await t.given.staff('hq_admin')
    expect((await login(hq.username, TEST_PASSWORD, '10.0.8.1')).statusCode).toBe(200)
    for (let a = 0; a < 5; a++) {
      for (let i = 0; i < 5; i++) await login(hq.username, `guess-${a}-${i}`, `198.51.100.${a + 1}`)
    }
    // 25 failures from five addresses: the name is locked for strangers…
    const stranger = await login(hq.username, TEST_PASSWORD, '203.0.113.50')
    expect(stranger.statusCode).toBe(429)
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0)
    expect((await login(hq.username, TEST_PASSWORD, '198.51.100.1')).statusCode).toBe(429)
    // …but not where the administrator signed in before.
    expect((await login(hq.username, TEST_PASSWORD, '10.0.8.1')).statusCode).toBe(200)
  }, 120_000)

  it("slows and then refuses new names from an address trying many, but not the store's staff behind it (one NAT)", async () => {
    const regular = await t.given.staff('cashier', t.stores.a)
    expect((await login(regular.username, TEST_PASSWORD, '10.0.4.1')).statusCode).toBe(200)
    const before = t.sleeps.length
    for (let i = 0; i < 30; i++) {
      expect((await login(`guess-${i}`, 'password1', '10.0.4.1')).statusCode).toBe(401)
    }
    const delays = t.sleeps.slice(before)
    expect(delays[0]).toBe(250)
    expect(delays.at(-1)).toBe(4000)

    const newcomer = await t.given.staff('cashier', t.stores.a)
    const blocked = await login(newcomer.username, TEST_PASSWORD, '10.0.4.1')
    expect(blocked.statusCode).toBe(429)
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    expect((await login(regular.username, TEST_PASSWORD, '10.0.4.1')).statusCode).toBe(200)
    expect((await login(newcomer.username, TEST_PASSWORD, '10.0.4.2')).statusCode).toBe(200)
  }, 120_000)

  it('keeps no phone or password typed into the username box in the audit log', async () => {
    const phone = '13912345678'
    expect((await login(phone, 'Secret-Typed-1', '10.0.4.9')).statusCode).toBe(401)
    expect((await login(`${t.users.analyst!.username}`, 'Wrong-Typed-2', '10.0.4.9')).statusCode).toBe(401)
    const res = await as(admin, { method: 'GET', url: '/api/v1/audit?action=auth.login_failed&limit=5' })
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain(phone)
    expect(res.body).not.toContain('12345678')
    expect(res.body).not.toContain('Typed')
    const rows = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login_failed').execute()
    expect(JSON.stringify(rows)).not.toContain(phone)
    // A failure on a real user still names them, for whoever reviews the log.
    expect(res.body).toContain(t.users.analyst!.username)
  })
})

describe('sessions', () => {
  it('ends the session on logout', async () => {
    const cookie = cookieOf(await login(t.users.cashierB!.username, TEST_PASSWORD, '10.0.5.1'))
    expect((await me(cookie)).statusCode).toBe(200)
    const out = await as(cookie, { method: 'POST', url: '/api/v1/auth/logout' })
    expect(out.statusCode).toBe(204)
    expect(out.cookies.find((c) => c.name === 'patron_session')).toMatchObject({ value: '', httpOnly: true, sameSite: 'Strict', path: '/' })
    const after = await me(cookie)
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('AUTH_REQUIRED')
  })

  it('changes the password: refuses a wrong current or short new one, then ends the other sessions', async () => {
    const user = await t.given.staff('service_agent', t.stores.a)
    const mine = cookieOf(await login(user.username, TEST_PASSWORD, '10.0.6.1'))
    const elsewhere = cookieOf(await login(user.username, TEST_PASSWORD, '10.0.6.2'))
    const change = (body: object) => as(mine, { method: 'POST', url: '/api/v1/auth/password', payload: body })

    const wrong = await change({ currentPassword: 'not-it', newPassword: 'Another-Horse-7' })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json().error).toMatchObject({ code: 'AUTH_WRONG_PASSWORD', details: [{ field: 'currentPassword' }] })

    const short = await change({ currentPassword: TEST_PASSWORD, newPassword: 'abc12' })
    expect(short.statusCode).toBe(422)
    expect(short.json().error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'newPassword', reason: 'at least 8 characters' }] })

    expect((await change({ currentPassword: TEST_PASSWORD, newPassword: 'Another-Horse-7' })).statusCode).toBe(204)
    expect((await me(mine)).statusCode).toBe(200)
    expect((await me(elsewhere)).statusCode).toBe(401)
    expect((await login(user.username, TEST_PASSWORD, '10.0.6.1')).statusCode).toBe(401)
    expect((await login(user.username, 'Another-Horse-7', '10.0.6.1')).statusCode).toBe(200)
  })

  it('refuses a POS key on the staff-only /auth routes', async () => {
    const { key } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till me' })
    const res = await withKey(key, { method: 'GET', url: '/api/v1/auth/me' })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('AUTH_REQUIRED')
    const pw = await withKey(key, { method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'x', newPassword: 'Another-Horse-7' } })
    expect(pw.statusCode).toBe(401)
  })
})

describe('staff', () => {
  const create = (body: object, cookie = admin) => as(cookie, { method: 'POST', url: '/api/v1/staff', payload: body })

  it.each([
    ['a store role without a store', () => ({ username: 'desk-1', password: 'Good-pass-123', role: 'cashier' }), 'storeId'],
    ['an HQ role with a store', () => ({ username: 'desk-2', password: 'Good-pass-123', role: 'analyst', storeId: t.stores.a }), 'storeId'],
    ['an unknown store', () => ({ username: 'desk-3', password: 'Good-pass-123', role: 'cashier', storeId: 'sto_nope' }), 'storeId'],
    ['a store role with an empty store id', () => ({ username: 'desk-9', password: 'Good-pass-123', role: 'cashier', storeId: '' }), 'storeId'],
    ['a bad username', () => ({ username: 'Desk Four', password: 'Good-pass-123', role: 'analyst' }), 'username'],
    ['a short password', () => ({ username: 'desk-5', password: 'short', role: 'analyst' }), 'password'],
    ['a password holding the username', () => ({ username: 'desk-6', password: 'my-desk-6-pass', role: 'analyst' }), 'password'],
  ])('refuses %s with 422 naming the field', async (_label, body, field) => {
    const res = await create(body())
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field })] })
  })

  it('stores an HQ user given an empty store id without a store', async () => {
    const res = await create({ username: 'hq-empty', password: 'Good-pass-123', role: 'analyst', storeId: '' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ role: 'analyst', storeId: null })
    const moved = await as(admin, { method: 'PATCH', url: `/api/v1/staff/${res.json().id}`, payload: { storeId: '' } })
    expect(moved.statusCode).toBe(200)
    expect(moved.json().storeId).toBeNull()
  })

  it('refuses an unknown role with 400 naming the field', async () => {
    const res = await create({ username: 'desk-7', password: 'Good-pass-123', role: 'owner' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'role' })]))
  })

  it('creates a user, refuses the same username again (in any case) with 409', async () => {
    const res = await create({ username: 'Li.Na', displayName: '李娜', password: 'Good-pass-123', role: 'cashier', storeId: t.stores.b })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ username: 'li.na', displayName: '李娜', role: 'cashier', storeId: t.stores.b, status: 'active' })
    expect(res.body).not.toContain('scrypt')

    const again = await create({ username: 'LI.NA', password: 'Good-pass-456', role: 'analyst' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'STAFF_USERNAME_TAKEN', details: [{ field: 'username' }] })
    expect((await login('li.na', 'Good-pass-123', '10.0.7.1')).statusCode).toBe(200)
  })

  it("shows a store manager only his store's staff", async () => {
    const manager = cookieOf(await login(t.users.store_manager!.username, TEST_PASSWORD, '10.0.7.2'))
    const res = await as(manager, { method: 'GET', url: '/api/v1/staff' })
    expect(res.statusCode).toBe(200)
    const users = res.json() as Array<{ id: string; storeId: string | null }>
    expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([t.users.cashier!.id, t.users.service_agent!.id, t.users.store_manager!.id]))
    expect(users.every((u) => u.storeId === t.stores.a)).toBe(true)

    const other = await as(manager, { method: 'GET', url: `/api/v1/staff?storeId=${t.stores.b}` })
    expect(other.statusCode).toBe(403)
    expect(other.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    // A manager adds staff to his own store only (staff-admin.test.ts covers the rest).
    expect((await create({ username: 'desk-8', password: 'Good-pass-123', role: 'cashier', storeId: t.stores.b }, manager)).statusCode).toBe(403)

    const all = await as(admin, { method: 'GET', url: '/api/v1/staff' })
    expect((all.json() as Array<{ id: string }>).map((u) => u.id)).toEqual(expect.arrayContaining([t.users.cashierB!.id, t.users.hq_admin!.id]))
  })

  it('refuses the staff list to a cashier', async () => {
    const cashier = cookieOf(await login(t.users.cashier!.username, TEST_PASSWORD, '10.0.7.3'))
    const res = await as(cashier, { method: 'GET', url: '/api/v1/staff' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })

  it('disables a user, which ends their session and sign-in, and enables them again', async () => {
    const user = await t.given.staff('cashier', t.stores.b)
    const cookie = cookieOf(await login(user.username, TEST_PASSWORD, '10.0.8.1'))
    const res = await as(admin, { method: 'PATCH', url: `/api/v1/staff/${user.id}`, payload: { status: 'disabled' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: user.id, status: 'disabled' })
    expect((await me(cookie)).statusCode).toBe(401)
    expect((await login(user.username, TEST_PASSWORD, '10.0.8.1')).statusCode).toBe(401)

    expect((await as(admin, { method: 'PATCH', url: `/api/v1/staff/${user.id}`, payload: { status: 'active' } })).statusCode).toBe(200)
    expect((await login(user.username, TEST_PASSWORD, '10.0.8.1')).statusCode).toBe(200)
  })

  it('does not let an admin disable himself', async () => {
    const res = await as(admin, { method: 'PATCH', url: `/api/v1/staff/${t.users.hq_admin!.id}`, payload: { status: 'disabled' } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'status' })])
    expect((await me(admin)).statusCode).toBe(200)
  })

  it('answers 404 for an unknown user', async () => {
    const res = await as(admin, { method: 'PATCH', url: '/api/v1/staff/usr_nope', payload: { displayName: 'x' } })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('STAFF_NOT_FOUND')
  })

  it("resets a user's password, ending their sessions", async () => {
    const user = await t.given.staff('store_manager', t.stores.b)
    const cookie = cookieOf(await login(user.username, TEST_PASSWORD, '10.0.9.1'))
    const short = await as(admin, { method: 'POST', url: `/api/v1/staff/${user.id}/password`, payload: { password: 'short' } })
    expect(short.statusCode).toBe(422)
    expect(short.json().error.details).toEqual([expect.objectContaining({ field: 'password' })])

    const res = await as(admin, { method: 'POST', url: `/api/v1/staff/${user.id}/password`, payload: { password: 'Fresh-start-99' } })
    expect(res.statusCode).toBe(204)
    expect((await me(cookie)).statusCode).toBe(401)
    expect((await login(user.username, TEST_PASSWORD, '10.0.9.1')).statusCode).toBe(401)
    expect((await login(user.username, 'Fresh-start-99', '10.0.9.1')).statusCode).toBe(200)
  })
})

describe('POS keys', () => {
  const lookup = (key: string, phone: string) => withKey(key, { method: 'POST', url: '/api/v1/members/lookup', payload: { phone } })

  it('shows a new key once, and never in the list', async () => {
    const res = await as(admin, { method: 'POST', url: '/api/v1/pos-keys', payload: { storeId: t.stores.a, name: 'till 9' } })
    expect(res.statusCode).toBe(201)
    const created = res.json() as { id: string; key: string; keyPrefix: string }
    expect(created).toMatchObject({ storeId: t.stores.a, name: 'till 9', revokedAt: null })
    expect(created.key).toMatch(/^pos_/)
    expect(created.keyPrefix).toBe(created.key.slice(0, 10))

    const list = await as(admin, { method: 'GET', url: '/api/v1/pos-keys' })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.id, keyPrefix: created.keyPrefix })]))
    expect(list.body).not.toContain(created.key)
    expect(list.json().every((k: object) => !('key' in k) && !('keyHash' in k))).toBe(true)
  })

  it('lets a key look up members but not list them, manage staff or keys', async () => {
    const member = await t.given.member()
    const phone = nextPhone()
    await t.given.member({ phone })
    const { key } = (await as(admin, { method: 'POST', url: '/api/v1/pos-keys', payload: { storeId: t.stores.a, name: 'till 10' } })).json() as { key: string }

    const found = await lookup(key, phone)
    expect(found.statusCode).toBe(200)
    expect(found.json().phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
    expect((await withKey(key, { method: 'GET', url: `/api/v1/members/${member.id}` })).statusCode).toBe(200)

    for (const [method, url] of [['GET', '/api/v1/members'], ['GET', '/api/v1/staff'], ['GET', '/api/v1/pos-keys'], ['GET', '/api/v1/audit']] as const) {
      const res = await withKey(key, { method, url })
      expect(res.statusCode, url).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
  })

  it('refuses a revoked or unknown key with 401', async () => {
    const phone = nextPhone()
    await t.given.member({ phone })
    const created = (await as(admin, { method: 'POST', url: '/api/v1/pos-keys', payload: { storeId: t.stores.b, name: 'till 11' } })).json() as { id: string; key: string }
    expect((await lookup(created.key, phone)).statusCode).toBe(200)

    const revoked = await as(admin, { method: 'POST', url: `/api/v1/pos-keys/${created.id}/revoke` })
    expect(revoked.statusCode).toBe(200)
    expect(revoked.json().revokedAt).toBe(t.clock.now().toISOString())

    for (const key of [created.key, 'pos_unknown', 'not-a-key']) {
      const res = await lookup(key, phone)
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('AUTH_INVALID_KEY')
    }
  })

  it('stops the keys of a closed store, and refuses a new key for it', async () => {
    const store = await t.given.store()
    const phone = nextPhone()
    await t.given.member({ phone })
    const { key } = (await as(admin, { method: 'POST', url: '/api/v1/pos-keys', payload: { storeId: store, name: 'till 1' } })).json() as { key: string }
    expect((await lookup(key, phone)).statusCode).toBe(200)

    expect((await as(admin, { method: 'POST', url: `/api/v1/stores/${store}/close` })).statusCode).toBe(200)
    expect((await lookup(key, phone)).statusCode).toBe(401)
    const refused = await as(admin, { method: 'POST', url: '/api/v1/pos-keys', payload: { storeId: store, name: 'till 2' } })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details).toEqual([expect.objectContaining({ field: 'storeId' })])
  })

  it('refuses key management to a store manager', async () => {
    const manager = cookieOf(await login(t.users.managerB!.username, TEST_PASSWORD, '10.0.10.1'))
    const res = await as(manager, { method: 'POST', url: '/api/v1/pos-keys', payload: { storeId: t.stores.b, name: 'till x' } })
    expect(res.statusCode).toBe(403)
  })
})

describe('session expiry', () => {
  it('ends a session after 12 hours without use', async () => {
    const cookie = cookieOf(await login(t.users.serviceB!.username, TEST_PASSWORD, '10.0.11.1'))
    t.clock.advance(11 * 60 * 60 * 1000)
    expect((await me(cookie)).statusCode).toBe(200)
    t.clock.advance(11 * 60 * 60 * 1000)
    expect((await me(cookie)).statusCode).toBe(200)
    t.clock.advance(12 * 60 * 60 * 1000 + 1000)
    expect((await me(cookie)).statusCode).toBe(401)
  })
})

describe('password policy', () => {
  it.each(['password', 'aaaaaaaa', 'Password1'])('refuses %s wherever a password is set: new staff, reset, own change', async (weak) => {
    // Signed in afresh: the session tests above moved the clock past the first session's end.
    const admin = cookieOf(await login(t.users.hq_admin!.username, TEST_PASSWORD, '10.0.9.8'))
    const created = await as(admin, { method: 'POST', url: '/api/v1/staff', payload: { username: `weak-${weak.length}-${weak[0]}`, password: weak, role: 'analyst' } })
    expect(created.statusCode).toBe(422)
    expect(created.json().error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'password', reason: expect.stringMatching(/too easy to guess/) }] })

    const user = await t.given.staff('cashier', t.stores.a)
    const reset = await as(admin, { method: 'POST', url: `/api/v1/staff/${user.id}/password`, payload: { password: weak } })
    expect(reset.statusCode).toBe(422)
    expect(reset.json().error.details).toEqual([{ field: 'password', reason: expect.stringMatching(/too easy to guess/) }])

    const mine = cookieOf(await login(user.username, TEST_PASSWORD, '10.0.9.9'))
    const changed = await as(mine, { method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: weak } })
    expect(changed.statusCode).toBe(422)
    expect(changed.json().error.details).toEqual([{ field: 'newPassword', reason: expect.stringMatching(/too easy to guess/) }])
    // Nothing changed: the old password still signs in.
    expect((await login(user.username, TEST_PASSWORD, '10.0.9.9')).statusCode).toBe(200)
  })
})

describe('pruning the sign-in throttle', () => {
  // Only this test's addresses: the other tests leave rows of their own.
  const rows = async (pattern: string) => (await t.services.db.selectFrom('login_throttle').select('key').where('key', 'like', pattern).execute()).length

  it('forgets failures a day old and addresses not signed in from for 30 days, and keeps what still counts', async () => {
    const user = await t.given.staff('cashier', t.stores.a)
    expect((await login(user.username, TEST_PASSWORD, '10.0.12.1')).statusCode).toBe(200)
    for (let i = 0; i < 5; i++) await login(user.username, 'wrong', '10.0.12.2')
    expect(await rows('pair:%@10.0.12.2')).toBe(1)
    expect(await rows('ip:10.0.12.2')).toBe(1)
    expect(await rows('known:%@10.0.12.1')).toBe(1)

    // Nothing of today's goes: the pair is locked and its window open.
    await t.services.auth.pruneThrottle()
    expect(await rows('pair:%@10.0.12.2')).toBe(1)
    expect((await login(user.username, TEST_PASSWORD, '10.0.12.2')).statusCode).toBe(429)

    t.clock.advance(24 * 60 * 60 * 1000)
    expect(await t.services.auth.pruneThrottle()).toBeGreaterThan(0)
    expect(await rows('pair:%@10.0.12.2')).toBe(0)
    expect(await rows('ip:10.0.12.2')).toBe(0)
    expect(await rows('known:%@10.0.12.1')).toBe(1)

    t.clock.advance(30 * 24 * 60 * 60 * 1000)
    await t.services.auth.pruneThrottle()
    expect(await rows('known:%@10.0.12.1')).toBe(0)
  })
})
