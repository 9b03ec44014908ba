import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'store_manager', 'cashier', 'service_agent', 'managerB', 'cashierB', 'serviceB']) {
    auth[key] = { cookie: await t.login(t.users[key]!.username) }
  }
  const { key } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 1' })
  auth.pos = { authorization: `Bearer ${key}` }
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`

/** Two fresh members of store a, so every call acts on untouched records. */
interface Target { id: string; phone: string; other: string }

interface RouteCase {
  request: (m: Target) => InjectOptions
  /** the status an allowed caller gets; null: any answer from the handler itself */
  status: number | null
  /** what else an allowed caller gets */
  ok: (res: LightMyRequestResponse, m: Target) => void
  setup?: (m: Target) => Promise<void>
}

const ROUTES: Record<string, RouteCase> = {
  register: {
    status: 201,
    request: () => ({ method: 'POST', url: '/api/v1/members', payload: { phone: nextPhone(), name: '新会员' } }),
    ok: (res) => expect(res.json()).toMatchObject({ created: true, member: { name: '新**' } }),
  },
  lookup: {
    status: 200,
    request: (m) => ({ method: 'POST', url: '/api/v1/members/lookup', payload: { phone: m.phone } }),
    ok: (res, m) => expect(res.json()).toMatchObject({ id: m.id, phone: masked(m.phone) }),
  },
  list: {
    status: 200,
    request: () => ({ method: 'GET', url: '/api/v1/members?limit=5' }),
    ok: (res) => expect(res.json().items.length).toBeGreaterThan(0),
  },
  export: {
    status: 200,
    request: () => ({ method: 'GET', url: '/api/v1/members/export.csv' }),
    ok: (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/csv/)
      expect(res.body).toContain('会员卡号')
    },
  },
  get: {
    status: 200,
    request: (m) => ({ method: 'GET', url: `/api/v1/members/${m.id}` }),
    ok: (res, m) => expect(res.json()).toMatchObject({ id: m.id, phone: masked(m.phone), registrationStoreId: t.stores.a }),
  },
  update: {
    status: 200,
    request: (m) => ({ method: 'PATCH', url: `/api/v1/members/${m.id}`, payload: { district: '徐汇区' } }),
    ok: (res, m) => expect(res.json()).toMatchObject({ id: m.id, district: '徐汇区' }),
  },
  reveal: {
    status: 200,
    request: (m) => ({ method: 'POST', url: `/api/v1/members/${m.id}/reveal`, payload: { fields: ['phone'] } }),
    ok: (res, m) => expect(res.json()).toEqual({ phone: m.phone }),
  },
  freeze: {
    status: 200,
    request: (m) => ({ method: 'POST', url: `/api/v1/members/${m.id}/freeze`, payload: { reason: 'card lost' } }),
    ok: (res) => expect(res.json()).toMatchObject({ status: 'frozen', statusReason: 'card lost' }),
  },
  unfreeze: {
    status: 200,
    setup: async (m) => { await t.services.members.setFrozen(t.actors.hq_admin, m.id, true, 'card lost') },
    request: (m) => ({ method: 'POST', url: `/api/v1/members/${m.id}/unfreeze` }),
    ok: (res) => expect(res.json()).toMatchObject({ status: 'active', statusReason: null }),
  },
  consent: {
    status: 200,
    request: (m) => ({ method: 'PUT', url: `/api/v1/members/${m.id}/consents/sms`, payload: { granted: true } }),
    ok: (res) => expect(res.json().consents).toEqual([expect.objectContaining({ channel: 'sms', granted: true })]),
  },
  consentHistory: {
    status: 200,
    setup: async (m) => { await t.services.members.setConsent(t.actors.cashier, m.id, { channel: 'email', granted: false }) },
    request: (m) => ({ method: 'GET', url: `/api/v1/members/${m.id}/consents/history` }),
    ok: (res) => expect(res.json()).toEqual([expect.objectContaining({ channel: 'email', granted: false })]),
  },
  audit: {
    status: 200,
    request: (m) => ({ method: 'GET', url: `/api/v1/members/${m.id}/audit` }),
    ok: (res) => expect(res.json().items.map((e: { action: string }) => e.action)).toEqual(['member.register']),
  },
  mergePreview: {
    status: 200,
    request: (m) => ({ method: 'POST', url: '/api/v1/members/merge-preview', payload: { survivorId: m.id, mergedId: m.other } }),
    ok: (res, m) => expect(res.json()).toMatchObject({ survivor: { id: m.id }, merged: { id: m.other } }),
  },
  merge: {
    status: 200,
    request: (m) => ({ method: 'POST', url: '/api/v1/members/merge', payload: { survivorId: m.id, mergedId: m.other, reason: 'same person' } }),
    ok: (res, m) => expect(res.json()).toMatchObject({ member: { id: m.id } }),
  },
  import: {
    status: null,
    request: () => ({ method: 'POST', url: '/api/v1/member-imports', payload: {} }),
    // A JSON body is not an upload: the handler itself refuses it.
    ok: (res) => {
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
      expect([401, 403]).not.toContain(res.statusCode)
    },
  },
}

// Who may call what, from the business rules. Store roles belong to store a, as do the
// members acted on. Y: allowed; -: 403 FORBIDDEN.
const MATRIX = `
                 hq_admin  hq_marketing  analyst  store_manager  cashier  service_agent  pos
register         Y         Y             -        Y              Y        Y              Y
lookup           Y         Y             Y        Y              Y        Y              Y
list             Y         Y             Y        Y              -        Y              -
export           Y         Y             Y        -              -        -              -
get              Y         Y             Y        Y              Y        Y              Y
update           Y         Y             -        Y              Y        Y              Y
reveal           Y         -             -        Y              -        Y              -
freeze           Y         -             -        Y              -        Y              -
unfreeze         Y         -             -        Y              -        Y              -
consent          Y         Y             -        Y              Y        Y              Y
consentHistory   Y         Y             Y        Y              Y        Y              Y
audit            Y         -             -        Y              -        Y              -
mergePreview     Y         -             -        -              -        Y              -
merge            Y         -             -        -              -        Y              -
import           Y         Y             -        -              -        -              -
`
const [header, ...rows] = MATRIX.trim().split('\n').map((line) => line.trim().split(/\s+/))
const CASES = rows.flatMap(([route, ...cells]) => header!.map((who, i) => [route!, who, cells[i] === 'Y'] as const))

const freshTarget = async (): Promise<Target> => {
  const phone = nextPhone()
  const member = await t.given.member({ phone })
  const other = await t.given.member({ name: '王小明' })
  return { id: member.id, phone, other: other.id }
}

describe('role matrix', () => {
  it('covers every route and every caller', () => {
    expect(rows.map((r) => r[0])).toEqual(Object.keys(ROUTES))
    expect(CASES).toHaveLength(15 * 7)
  })

  it.each(CASES)('%s by %s: allowed %s', async (route, who, allowed) => {
    const { request, status, ok, setup } = ROUTES[route]!
    const m = await freshTarget()
    await setup?.(m)
    const res = await as(who, request(m))
    if (allowed) {
      if (status !== null) expect(res.statusCode, res.body).toBe(status)
      ok(res, m)
    } else {
      expect(res.statusCode, res.body).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
  })

  it('leaves a member untouched when a caller without the permission tries to freeze or merge', async () => {
    const m = await freshTarget()
    expect((await as('cashier', ROUTES.freeze!.request(m))).statusCode).toBe(403)
    expect((await as('pos', ROUTES.merge!.request(m))).statusCode).toBe(403)
    expect((await t.services.members.get(t.actors.hq_admin, m.id)).status).toBe('active')
    expect((await t.services.members.get(t.actors.hq_admin, m.other)).status).toBe('active')
  })
})

describe('store scope', () => {
  it("refuses a store b manager the reveal, freeze and audit trail of a store a member", async () => {
    const m = await freshTarget()
    for (const route of ['reveal', 'freeze', 'audit']) {
      const res = await as('managerB', ROUTES[route]!.request(m))
      expect(res.statusCode, route).toBe(403)
      expect(res.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    }
    await t.services.members.setFrozen(t.actors.hq_admin, m.id, true, 'fraud check')
    const unfreeze = await as('managerB', ROUTES.unfreeze!.request(m))
    expect(unfreeze.statusCode).toBe(403)
    expect(unfreeze.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    expect((await t.services.members.get(t.actors.hq_admin, m.id)).status).toBe('frozen')
  })

  it('lists only his own store to a store manager', async () => {
    const ofB = await t.given.member({ by: t.actors.cashierB })
    await t.given.member()

    const other = await as('managerB', { method: 'GET', url: `/api/v1/members?storeId=${t.stores.a}` })
    expect(other.statusCode).toBe(403)
    expect(other.json().error).toMatchObject({ code: 'OUT_OF_STORE_SCOPE', details: [{ field: 'storeId' }] })

    const own = await as('managerB', { method: 'GET', url: '/api/v1/members?limit=200' })
    expect(own.statusCode).toBe(200)
    const items = own.json().items as Array<{ id: string; registrationStoreId: string }>
    expect(items.map((i) => i.id)).toContain(ofB.id)
    expect(items.every((i) => i.registrationStoreId === t.stores.b)).toBe(true)
    const explicit = await as('managerB', { method: 'GET', url: `/api/v1/members?storeId=${t.stores.b}&limit=200` })
    expect(explicit.json().items.map((i: { id: string }) => i.id)).toEqual(items.map((i) => i.id))

    const hq = await as('analyst', { method: 'GET', url: `/api/v1/members?storeId=${t.stores.b}&limit=200` })
    expect(hq.json().items.map((i: { id: string }) => i.id)).toEqual(items.map((i) => i.id))
  })

  it('refuses a store b service agent a merge of store a members', async () => {
    const m = await freshTarget()
    const res = await as('serviceB', ROUTES.merge!.request(m))
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    expect((await t.services.members.get(t.actors.hq_admin, m.other)).status).toBe('active')
  })

  it('lets a cashier of store b find, read, update and change consent of a store a member', async () => {
    const m = await freshTarget()
    for (const route of ['lookup', 'get', 'update', 'consent', 'consentHistory']) {
      const res = await as('cashierB', ROUTES[route]!.request(m))
      expect(res.statusCode, route).toBe(200)
    }
    expect((await t.services.members.get(t.actors.hq_admin, m.id)).district).toBe('徐汇区')
  })

  it('registers at the caller\'s own store and refuses another', async () => {
    const byCashier = await as('cashierB', { method: 'POST', url: '/api/v1/members', payload: { phone: nextPhone() } })
    expect(byCashier.json().member.registrationStoreId).toBe(t.stores.b)
    const byTill = await as('pos', { method: 'POST', url: '/api/v1/members', payload: { phone: nextPhone() } })
    expect(byTill.statusCode).toBe(201)
    expect(byTill.json().member).toMatchObject({ registrationStoreId: t.stores.a, registeredBy: null })

    const phone = nextPhone()
    const elsewhere = await as('cashierB', { method: 'POST', url: '/api/v1/members', payload: { phone, registrationStoreId: t.stores.a } })
    expect(elsewhere.statusCode).toBe(403)
    expect(elsewhere.json().error.code).toBe('OUT_OF_STORE_SCOPE')
    expect((await as('cashier', { method: 'POST', url: '/api/v1/members/lookup', payload: { phone } })).statusCode).toBe(404)
  })
})

describe('authentication', () => {
  it.each(Object.keys(ROUTES))('%s without a cookie or key: 401 AUTH_REQUIRED', async (route) => {
    const m = { id: 'mem_x', phone: nextPhone(), other: 'mem_y' }
    const res = await t.app.inject(ROUTES[route]!.request(m))
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String), details: [] } })
  })

  it('refuses a revoked POS key with 401', async () => {
    const m = await freshTarget()
    const created = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 2' })
    const lookup = () => t.app.inject({ ...ROUTES.lookup!.request(m), headers: { authorization: `Bearer ${created.key}` } })
    expect((await lookup()).statusCode).toBe(200)
    await t.services.auth.revokePosKey(t.actors.hq_admin, created.id)
    const res = await lookup()
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('AUTH_INVALID_KEY')
  })
})

describe('member routes', () => {
  it('exports masked members as CSV with a BOM', async () => {
    const phone = nextPhone()
    const m = await t.given.member({ phone, name: '欧阳修' })
    const res = await as('analyst', { method: 'GET', url: `/api/v1/members/export.csv?storeId=${t.stores.a}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toContain('members.csv')
    expect(res.body.startsWith('\uFEFF会员ID,会员卡号,手机号,姓名')).toBe(true)
    const line = res.body.split('\n').find((l) => l.startsWith(m.id))
    expect(line).toContain(masked(phone))
    expect(line).toContain('欧**')
    expect(res.body).not.toContain(phone)
    expect(res.body).not.toContain('欧阳修')
  })

  it('exports the same columns whichever member comes first, and a header when there are none', async () => {
    const store = await t.given.store()
    const empty = await as('hq_admin', { method: 'GET', url: `/api/v1/members/export.csv?storeId=${store}&lang=en-US` })
    expect(empty.statusCode).toBe(200)
    const header = empty.body.replace('\uFEFF', '').trim()
    expect(header.split(',')).toEqual(expect.arrayContaining(['Member ID', 'Card no.', 'Phone', 'Consent: SMS', 'Consent: Email', 'Consent: WeChat']))

    const older = await t.given.member({ by: t.actors.hq_admin, registrationStoreId: store, consents: { email: true, sms: false } })
    t.clock.advance(1000)
    const newer = await t.given.member({ by: t.actors.hq_admin, registrationStoreId: store })
    const res = await as('hq_admin', { method: 'GET', url: `/api/v1/members/export.csv?storeId=${store}&lang=en-US` })
    const [head, ...lines] = res.body.replace('\uFEFF', '').trim().split('\n')
    expect(head).toBe(header)
    const columns = head!.split(',')
    const rowsById = Object.fromEntries(lines.map((l) => {
      const cells = l.split(',')
      return [cells[0], Object.fromEntries(columns.map((c, i) => [c, cells[i]]))]
    }))
    expect(Object.keys(rowsById)).toEqual([newer.id, older.id])
    expect(rowsById[older.id]).toMatchObject({ 'Consent: Email': 'Yes', 'Consent: SMS': 'No', 'Consent: WeChat': '' })
    expect(rowsById[newer.id]).toMatchObject({ 'Consent: Email': '', 'Consent: SMS': '' })
  })

  it('answers 404 MEMBER_NOT_FOUND for an unknown member', async () => {
    const res = await as('hq_admin', { method: 'GET', url: '/api/v1/members/mem_nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('MEMBER_NOT_FOUND')
    const lookup = await as('cashier', { method: 'POST', url: '/api/v1/members/lookup', payload: { phone: nextPhone() } })
    expect(lookup.statusCode).toBe(404)
  })

  it.each([
    ['no key', {}, 400],
    ['two keys', { phone: '13800000000', cardNo: '1234' }, 422],
    ['an unknown key', { nickname: 'x' }, 400],
  ])('refuses a lookup with %s', async (_label, payload, status) => {
    const res = await as('cashier', { method: 'POST', url: '/api/v1/members/lookup', payload })
    expect(res.statusCode).toBe(status)
  })

  it('refuses a freeze without a reason and an unknown consent channel', async () => {
    const m = await freshTarget()
    const freeze = await as('hq_admin', { method: 'POST', url: `/api/v1/members/${m.id}/freeze`, payload: {} })
    expect(freeze.statusCode).toBe(400)
    expect(freeze.json().error.details).toEqual([expect.objectContaining({ field: 'reason' })])
    const consent = await as('cashier', { method: 'PUT', url: `/api/v1/members/${m.id}/consents/fax`, payload: { granted: true } })
    expect(consent.statusCode).toBe(400)
    expect(consent.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'channel' })]))
  })

  it('refuses an update with a phone another member has with 409', async () => {
    const m = await freshTarget()
    const taken = nextPhone()
    await t.given.member({ phone: taken })
    const res = await as('cashier', { method: 'PATCH', url: `/api/v1/members/${m.id}`, payload: { phone: taken } })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'MEMBER_PHONE_TAKEN', details: [{ field: 'phone' }] })
  })
})
