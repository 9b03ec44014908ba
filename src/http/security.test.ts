import { beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, nextPhone, useTestContext, type TestContext } from '../../test/context.js'
import { buildApp } from './app.js'

const context = useTestContext()
let t: TestContext
let admin: string
beforeAll(async () => {
  t = await context()
  admin = await t.login(t.users.hq_admin!.username)
})

const errorShape = { error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } }
const memberCount = async () => Number((await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('NUL in a string', () => {
  it.each([
    ['the unauthenticated login body', { method: 'POST' as const, url: '/api/v1/auth/login', payload: { username: 'admin\u0000', password: TEST_PASSWORD } }, 'username'],
    ['a nested body field', { method: 'POST' as const, url: '/api/v1/members', payload: { phone: '13800000000', name: '王\u0000明' } }, 'name'],
    ['a query parameter', { method: 'GET' as const, url: '/api/v1/members/export.csv?storeId=%00' }, 'storeId'],
    ['a cursor', { method: 'GET' as const, url: '/api/v1/members?cursor=a%00b' }, 'cursor'],
    ['a path parameter', { method: 'GET' as const, url: '/api/v1/members/mem_%00x' }, 'id'],
  ])('is refused in %s with 400 VALIDATION naming the field, on both engines', async (_label, request, field) => {
    const before = await memberCount()
    const res = await t.app.inject({ ...request, headers: { cookie: admin } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject(errorShape)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [{ field, reason: expect.stringContaining('NUL') }] })
    expect(await memberCount()).toBe(before)
  })
})

describe("the router's own errors", () => {
  it.each([
    ['a bad percent-encoding in the path', '/api/v1/members/%ZZ', 400, 'BAD_URL'],
    ['a bad percent-encoding at the top', '/%ZZ', 400, 'BAD_URL'],
    // Too long for the router's parameter: 414, or, once the console is built, the console's
    // catch-all route takes the path and finds no such file: 404.
    ['a 5,000-character id', `/api/v1/members/${'m'.repeat(5000)}`, [414, 404], ['URI_TOO_LONG', 'ROUTE_NOT_FOUND']],
  ])('answers %s in the error shape, with the security headers', async (_label, url, status, code) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: admin } })
    expect([status].flat()).toContain(res.statusCode)
    expect(res.json()).toMatchObject(errorShape)
    expect([code].flat()).toContain(res.json().error.code)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
  })
})

describe('a path parameter too long for the router', () => {
  it('is answered 414 URI_TOO_LONG in the error shape when no console route takes the path', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'silent' }, logger: false, consoleDir: '/nonexistent/patron-console' })
    try {
      const res = await app.inject({ method: 'GET', url: `/api/v1/members/${'m'.repeat(5000)}` })
      expect(res.statusCode).toBe(414)
      expect(res.json()).toEqual({ error: { code: 'URI_TOO_LONG', message: expect.any(String), details: [{ field: 'url', reason: expect.any(String) }] } })
      expect(res.headers['x-content-type-options']).toBe('nosniff')
    } finally {
      await app.close()
    }
  })
})

describe('multipart bodies', () => {
  const upload = (contentType: string, payload: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/member-imports', headers: { cookie: admin, 'content-type': contentType }, payload })

  it('refuses a multipart body without a boundary with 400 in the error shape', async () => {
    const res = await upload('multipart/form-data', 'phone\n13800000000\n')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject(errorShape)
    expect(res.json().error.code).toBe('MALFORMED_MULTIPART')
  })

  it('refuses a multipart body cut short with 400 in the error shape', async () => {
    const res = await upload('multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n{"phone":"phone"}\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\nContent-Type: text/csv\r\n\r\nphone\n1380')
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    expect(res.json()).toMatchObject(errorShape)
  })
})

describe("the database's refusals as a backstop", () => {
  it('answers a decoded cursor holding a NUL (past the HTTP check) with a 4xx, never a 500', async () => {
    const cursor = Buffer.from('A\u0000B').toString('base64url')
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/products?cursor=${cursor}`, headers: { cookie: admin } })
    // SQLite stores and compares a NUL; PostgreSQL refuses it (22021), answered as 400 INVALID_VALUE.
    if (res.statusCode !== 200) {
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ error: { code: 'INVALID_VALUE', message: expect.any(String), details: [] } })
    }
  })

  it('maps a value the database refuses to 400 INVALID_VALUE instead of a 500', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'silent' }, logger: false })
    try {
      // A route that hands a value to the database unchecked, as a route missing a bound would.
      app.get('/probe', async () => {
        const err = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })
        throw err
      })
      const res = await app.inject({ method: 'GET', url: '/probe' })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ error: { code: 'INVALID_VALUE', message: expect.any(String), details: [] } })
    } finally {
      await app.close()
    }
  })
})

describe('cross-origin requests', () => {
  const host = 'crm.example.test'
  const post = (headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie: admin, host, ...headers }, ...(payload ? { payload } : {}) })

  it('refuses a state-changing request from another origin with 403 and changes nothing', async () => {
    const before = await memberCount()
    const res = await post({ origin: 'https://evil.example' }, { phone: nextPhone() })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CROSS_ORIGIN_REFUSED')
    expect(await memberCount()).toBe(before)
  })

  it('refuses a bodiless logout from another site, so the session survives', async () => {
    const cookie = await t.login(t.users.analyst!.username)
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, host, 'sec-fetch-site': 'cross-site' } })
    expect(res.statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200)
  })

  it.each([
    ['an origin of "null" (a sandboxed frame)', { origin: 'null' }],
    ['the same host on another port', { origin: `http://${host}:8080` }],
    ['another site by Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s', async (_label, headers) => {
    expect((await post(headers, { phone: nextPhone() })).statusCode).toBe(403)
  })

  it('refuses a text/plain body (what a form on another site can send without asking)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie: admin, 'content-type': 'text/plain' }, payload: JSON.stringify({ phone: nextPhone() }) })
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } })
  })

  it("accepts the console's own origin, a till or script without Origin, and any origin for reading", async () => {
    expect((await post({ origin: `http://${host}` }, { phone: nextPhone() })).statusCode).toBe(201)
    expect((await post({ origin: `https://${host}`, 'sec-fetch-site': 'same-origin' }, { phone: nextPhone() })).statusCode).toBe(201)
    expect((await post({}, { phone: nextPhone() })).statusCode).toBe(201)
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: admin, origin: 'https://evil.example' } })
    expect(read.statusCode).toBe(200)
  })

  it('accepts a configured origin (PATRON_ALLOWED_ORIGINS)', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'silent', allowedOrigins: ['https://console.example.test'] }, logger: false })
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie: admin, host, origin: 'https://console.example.test' }, payload: { phone: nextPhone() } })
      expect(res.statusCode).toBe(201)
    } finally {
      await app.close()
    }
  })
})

describe('security headers', () => {
  it.each([
    ['an API answer', '/api/v1/auth/me'],
    ['an error', '/api/v1/nothing-here'],
    ['the API documentation', '/docs/'],
    ['the OpenAPI document', '/openapi.json'],
  ])('are on %s', async (_label, url) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: admin } })
    expect(res.statusCode).toBeLessThan(500)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('DENY')
    const csp = String(res.headers['content-security-policy'])
    // Scripts only from this server; styles may be inline (Ant Design writes them at run time).
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self' 'unsafe-inline'")
    expect(csp).toContain("frame-ancestors 'none'")
    // Plain HTTP (a store LAN): no upgrade that would break every asset, no HSTS.
    expect(csp).not.toContain('upgrade-insecure-requests')
    expect(res.headers['strict-transport-security']).toBeUndefined()
  })

  it('adds HSTS and upgrade-insecure-requests when served over HTTPS', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: true, logLevel: 'silent' }, logger: false })
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' })
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests')
    } finally {
      await app.close()
    }
  })

  it('lets the swagger-ui page load its scripts from this server', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' })
    expect(res.statusCode).toBe(200)
    // Only external scripts (allowed by script-src 'self'), no inline <script> blocks.
    const scripts = [...res.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const attrs of scripts) expect(attrs).toMatch(/src="/)
    const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
    expect(init.statusCode).toBe(200)
  })
})
