import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
let manager: string
beforeAll(async () => {
  t = await context()
  manager = await t.login(t.users.store_manager!.username)
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const userRow = (id: string) => t.services.db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const auditOf = (id: string) => t.services.db.selectFrom('audit_log').select(['action', 'actor_name', 'store_id']).where('entity_id', '=', id).orderBy('id').execute()

describe("a store manager manages their own store's cashiers and desk staff", () => {
  it('creates a cashier in their store (their store when none is named), audited as the manager', async () => {
    const res = await as(manager, { method: 'POST', url: '/api/v1/staff', payload: { username: 'till-new1', password: 'Moon-river-77', role: 'cashier' } })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ role: 'cashier', storeId: t.stores.a, status: 'active' })
    const desk = await as(manager, { method: 'POST', url: '/api/v1/staff', payload: { username: 'desk-new1', password: 'Moon-river-77', role: 'service_agent', storeId: t.stores.a } })
    expect(desk.statusCode, desk.body).toBe(201)
    expect(await auditOf(res.json().id)).toEqual([{ action: 'staff.create', actor_name: t.users.store_manager!.username, store_id: t.stores.a }])
    expect((await t.login('till-new1', 'Moon-river-77'))).toMatch(/^patron_session=/)
  })

  it('resets the password of, disables and enables their cashier; each is audited and the old password stops working', async () => {
    const cashier = await t.given.staff('cashier', t.stores.a)
    const reset = await as(manager, { method: 'POST', url: `/api/v1/staff/${cashier.id}/password`, payload: { password: 'Harbour-lights-42' } })
    expect(reset.statusCode, reset.body).toBe(204)
    await expect(t.login(cashier.username)).rejects.toThrow(/401/)
    await t.login(cashier.username, 'Harbour-lights-42')
    const off = await as(manager, { method: 'PATCH', url: `/api/v1/staff/${cashier.id}`, payload: { status: 'disabled' } })
    expect(off.statusCode, off.body).toBe(200)
    expect((await userRow(cashier.id)).status).toBe('disabled')
    const on = await as(manager, { method: 'PATCH', url: `/api/v1/staff/${cashier.id}`, payload: { status: 'active', displayName: '小李' } })
    expect(on.json()).toMatchObject({ status: 'active', displayName: '小李' })
    expect((await auditOf(cashier.id)).map((e) => e.action)).toEqual(['staff.password_reset', 'auth.login_failed', 'auth.login', 'staff.update', 'staff.update'])
  })

  it('turns a cashier into a desk agent of the same store', async () => {
    const cashier = await t.given.staff('cashier', t.stores.a)
    const res = await as(manager, { method: 'PATCH', url: `/api/v1/staff/${cashier.id}`, payload: { role: 'service_agent' } })
    expect(res.statusCode, res.body).toBe(200)
    expect((await userRow(cashier.id)).role).toBe('service_agent')
  })
})

describe('and nothing else', () => {
  it.each<[string, { role: string; storeId?: string }, string]>([
    ['another store manager', { role: 'store_manager' }, 'STAFF_ROLE_NOT_MANAGEABLE'],
    ['an HQ administrator', { role: 'hq_admin' }, 'STAFF_ROLE_NOT_MANAGEABLE'],
    ['an analyst', { role: 'analyst' }, 'STAFF_ROLE_NOT_MANAGEABLE'],
    ['a cashier of another store', { role: 'cashier', storeId: 'B' }, 'OUT_OF_STORE_SCOPE'],
  ])('refuses to create %s with 403 and creates nothing', async (_label, body, code) => {
    const username = `x-${Math.random().toString(36).slice(2, 8)}`
    const payload = { username, password: 'Moon-river-77', ...body, ...(body.storeId ? { storeId: t.stores.b } : {}) }
    const res = await as(manager, { method: 'POST', url: '/api/v1/staff', payload })
    expect(res.statusCode, res.body).toBe(403)
    expect(res.json().error.code).toBe(code)
    expect(await t.services.db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirst()).toBeUndefined()
  })

  it.each([
    ['a cashier of another store', () => t.users.cashierB!.id, { status: 'disabled' }, 'OUT_OF_STORE_SCOPE'],
    ['a fellow store manager', async () => (await t.given.staff('store_manager', t.stores.a)).id, { status: 'disabled' }, 'STAFF_ROLE_NOT_MANAGEABLE'],
    ['an HQ user', () => t.users.analyst!.id, { displayName: '改名' }, 'OUT_OF_STORE_SCOPE'],
    ['their own account', () => t.users.store_manager!.id, { displayName: '改名' }, 'STAFF_ROLE_NOT_MANAGEABLE'],
    ['their cashier, promoted to manager', () => t.users.cashier!.id, { role: 'store_manager' }, 'STAFF_ROLE_NOT_MANAGEABLE'],
    ['their cashier, moved to another store', () => t.users.cashier!.id, { storeId: 'B' }, 'OUT_OF_STORE_SCOPE'],
  ])('refuses to change %s with 403 and changes nothing', async (_label, target, patch, code) => {
    const id = await target()
    const before = await userRow(id)
    const body = 'storeId' in patch ? { storeId: t.stores.b } : patch
    const res = await as(manager, { method: 'PATCH', url: `/api/v1/staff/${id}`, payload: body })
    expect(res.statusCode, res.body).toBe(403)
    expect(res.json().error.code).toBe(code)
    expect(await userRow(id)).toEqual(before)
  })

  it.each([
    ['a cashier of another store', () => t.users.cashierB!.id],
    ['the HQ administrator', () => t.users.hq_admin!.id],
    ['the manager of another store', () => t.users.managerB!.id],
  ])("refuses to reset the password of %s and the user's password still works", async (_label, target) => {
    const id = target()
    const res = await as(manager, { method: 'POST', url: `/api/v1/staff/${id}/password`, payload: { password: 'Harbour-lights-42' } })
    expect(res.statusCode, res.body).toBe(403)
    await t.login((await userRow(id)).username)
  })

  it('still refuses staff management to cashiers and desk staff', async () => {
    for (const key of ['cashier', 'service_agent']) {
      const cookie = await t.login(t.users[key]!.username)
      const res = await as(cookie, { method: 'POST', url: '/api/v1/staff', payload: { username: `y-${key}`, password: 'Moon-river-77', role: 'cashier' } })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
  })
})
