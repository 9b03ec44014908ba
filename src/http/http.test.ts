import pino from 'pino'
import { beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, nextPhone, useTestContext, type TestContext } from '../../test/context.js'
import { buildApp, loggerOptions, warmSerializers } from './app.js'

const context = useTestContext()
let t: TestContext
let cookie: string
beforeAll(async () => {
  t = await context()
  cookie = await t.login(t.users.hq_admin!.username)
})

const errorShape = { error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } }

describe('error shape', () => {
  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'no route GET /api/v1/nothing-here', details: [] } })
  })

  it('answers malformed JSON with 400 in the error shape', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": "x",',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject(errorShape)
    expect(res.json().error.code).toBe('MALFORMED_JSON')
  })

  it('refuses an unknown property with 400 VALIDATION naming it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie }, payload: { phone: nextPhone(), nickname: 'x' } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject(errorShape)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'nickname', reason: 'is not a known field' }] })
  })

  it.each([
    ['an object given a string', { phone: '13800000000', consents: 'all' }, 'consents'],
    ['a boolean given a word', { phone: '13800000000', consents: { sms: 'perhaps' } }, 'consents.sms'],
    ['an enum given an unknown value', { phone: '13800000000', gender: 'x' }, 'gender'],
  ])('refuses %s with 400 naming the field', async (_label, payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie }, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject(errorShape)
    expect(res.json().error.code).toBe('VALIDATION')
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field)
  })

  it.each([
    ['a nullable string given an object', { phone: { number: '138' } }, [{ field: 'phone', reason: 'must be string' }]],
    ['a nullable string too long', { phone: '1'.repeat(21) }, [{ field: 'phone', reason: 'must NOT have more than 20 characters' }]],
    ['a nullable enum given an unknown value', { phone: '13800000000', occupation: 'pilot' }, [{ field: 'occupation', reason: expect.stringMatching(/^must be one of student, /) }]],
  ])('gives one plain reason for %s', async (_label, payload, details) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie }, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual(details)
  })

  it('refuses a query parameter of the wrong type with 400 naming it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/members?limit=many', headers: { cookie } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field: 'limit' })] })
  })

  it('gives a service failure (422) the same shape, with its details', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie }, payload: { phone: '12345' } })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toEqual({ error: { code: 'VALIDATION', message: expect.any(String), details: [expect.objectContaining({ field: 'phone' })] } })
  })

  it('answers a missing sign-in with 401 AUTH_REQUIRED', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/members' })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String), details: [] } })
  })
})

describe('health and documentation', () => {
  it.each(['/healthz', '/readyz'])('%s answers 200 without sign-in', async (url) => {
    const res = await t.app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  it('serves an OpenAPI 3 document with the member routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/members', '/api/v1/members/lookup', '/api/v1/auth/login']))
    expect(doc.paths['/api/v1/members'].post).toBeDefined()
    expect(doc.paths['/api/v1/members/lookup'].post).toBeDefined()
    // Health checks are for the orchestrator, not API clients.
    expect(doc.paths['/healthz']).toBeUndefined()
  })

  it('compiles every route\'s response serializer (they compile on first use; a broken one must fail here, not in a request); /readyz is 503 while they compile', async () => {
    const warming = warmSerializers(t.app)
    const during = await t.app.inject({ method: 'GET', url: '/readyz' })
    expect(during.statusCode).toBe(503)
    expect(during.json()).toEqual({ status: 'unavailable', reason: 'warming up: compiling response serializers' })
    await expect(warming).resolves.toBeUndefined()
    const after = await t.app.inject({ method: 'GET', url: '/readyz' })
    expect(after.statusCode).toBe(200)
    // A second call is the same compilation, already done.
    await expect(warmSerializers(t.app)).resolves.toBeUndefined()
  })

  it('resolves every $ref in the OpenAPI document, so client types can be generated from it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const refs = new Set<string>()
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk)
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.add(v)
          else walk(v)
        }
      }
    }
    walk(doc)
    expect(refs).toContain('#/components/schemas/Member')
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\//)
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined()
    }
  })

  it('serves the API documentation as HTML', async () => {
    let res = await t.app.inject({ method: 'GET', url: '/docs' })
    if (res.statusCode >= 300 && res.statusCode < 400) res = await t.app.inject({ method: 'GET', url: String(res.headers.location) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(res.body).toContain('<html')
  })
})

describe('registration over HTTP', () => {
  it('answers 201 for a new phone, then 200 with created: false and the same member', async () => {
    const phone = nextPhone()
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie }, payload: { phone, name: '赵六' } })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ created: true, member: { phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, name: '赵*' } })
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie }, payload: { phone, name: '别人' } })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ created: false, member: { id: first.json().member.id, name: '赵*' } })
  })

  it('takes null for an optional field as "none", not as an empty string', async () => {
    const admin = await t.login(t.users.hq_admin!.username)
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { cookie: admin }, payload: { phone: nextPhone(), name: null, email: null, registrationStoreId: null } })
    expect(res.statusCode).toBe(201)
    expect(res.json().member).toMatchObject({ name: null, email: null, registrationStoreId: null })
  })
})

describe('client address', () => {
  const loginFrom = async (app: typeof t.app, username: string, remoteAddress: string, forwardedFor: string) => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD }, remoteAddress, headers: { 'x-forwarded-for': forwardedFor },
    })
    expect(res.statusCode).toBe(200)
    const audit = await t.app.inject({ method: 'GET', url: `/api/v1/audit?action=auth.login&entityId=${res.json().user.id}&limit=1`, headers: { cookie } })
    return audit.json().items[0].ip as string
  }

  it('believes no X-Forwarded-For by default, not even from this host or a private network', async () => {
    expect(await loginFrom(t.app, t.users.cashier!.username, '127.0.0.1', '198.51.100.7')).toBe('127.0.0.1')
    expect(await loginFrom(t.app, t.users.cashierB!.username, '10.8.0.2', '198.51.100.8')).toBe('10.8.0.2')
    expect(await loginFrom(t.app, t.users.analyst!.username, '203.0.113.9', '1.2.3.4')).toBe('203.0.113.9')
  })

  it('takes the address the configured proxy forwards (PATRON_TRUST_PROXY), and only from it', async () => {
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'silent', trustProxy: '10.8.0.2' }, logger: false })
    try {
      expect(await loginFrom(app, t.users.service_agent!.username, '10.8.0.2', '198.51.100.9')).toBe('198.51.100.9')
      expect(await loginFrom(app, t.users.store_manager!.username, '10.8.0.3', '198.51.100.10')).toBe('10.8.0.3')
    } finally {
      await app.close()
    }
  })
})

describe('logging', () => {
  const serialize = loggerOptions('info').serializers.req

  it.each([
    ['/x/13812345678', '/x/138***78'],
    ['/api/v1/members?phone=13812345678&card=8800123456789012', '/api/v1/members?phone=138***78&card=880***12'],
    ['/api/v1/members/mem_01abc/audit', '/api/v1/members/mem_01abc/audit'],
    ['/api/v1/stores?limit=123456', '/api/v1/stores?limit=123456'],
  ])('masks long digit runs in %s', (url, logged) => {
    expect(serialize({ method: 'GET', url, ip: '10.0.0.1' })).toEqual({ method: 'GET', url: logged, ip: '10.0.0.1' })
  })

  it('writes one line per request, with its status and a masked URL', async () => {
    const lines: string[] = []
    const app = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'info' }, logger: pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) }) })
    try {
      await app.inject({ method: 'GET', url: '/healthz?probe=13812345678' })
      await app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
      const health = lines.map((l) => JSON.parse(l) as { req?: { url: string }; res?: { statusCode: number }; msg: string }).filter((l) => l.req?.url.startsWith('/healthz'))
      expect(health).toEqual([expect.objectContaining({ msg: 'request', req: expect.objectContaining({ method: 'GET', url: '/healthz?probe=138***78' }), res: { statusCode: 200 } })])
      expect(lines.filter((l) => l.includes('/api/v1/nothing-here'))).toHaveLength(1)
    } finally {
      await app.close()
    }
  })

  it('writes no credentials or PII field values to the log', () => {
    const lines: string[] = []
    const log = pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) })
    log.info({
      req: { method: 'POST', url: '/api/v1/members/lookup', ip: '10.0.0.1', headers: { authorization: 'Bearer pos_secret', cookie: 'patron_session=tok' } },
      body: { phone: '13812345678', name: '王小明', password: 'Corr3ct-Horse' },
    }, 'request')
    const written = lines.join('')
    for (const secret of ['pos_secret', 'patron_session=tok', '13812345678', '王小明', 'Corr3ct-Horse']) expect(written).not.toContain(secret)
    expect(written).toContain('/api/v1/members/lookup')
  })
})
