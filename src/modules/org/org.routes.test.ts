import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

const context = useTestContext()
let t: TestContext
let admin: string
let cashier: string
beforeAll(async () => {
  t = await context()
  admin = await t.login(t.users.hq_admin!.username)
  cashier = await t.login(t.users.cashier!.username)
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const createStore = (body: object, cookie = admin) => as(cookie, { method: 'POST', url: '/api/v1/stores', payload: body })

describe('regions and stores', () => {
  it('creates a region and a store in it, and lists and reads them', async () => {
    const region = await as(admin, { method: 'POST', url: '/api/v1/regions', payload: { code: 'EAST', name: '华东区' } })
    expect(region.statusCode).toBe(201)
    expect(region.json()).toMatchObject({ id: expect.stringMatching(/^reg_/), code: 'EAST', name: '华东区' })
    const regionId = region.json().id as string

    const res = await createStore({ code: 'HZ01', name: '杭州西湖店', regionId, city: '杭州', district: '西湖区', openedOn: '2025-10-01' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^sto_/), code: 'HZ01', name: '杭州西湖店', regionId, city: '杭州', district: '西湖区', address: null,
      openedOn: '2025-10-01', status: 'open', closedAt: null,
    })
    const id = res.json().id as string

    expect((await as(admin, { method: 'GET', url: `/api/v1/stores/${id}` })).json()).toMatchObject({ id, code: 'HZ01' })
    const inRegion = await as(admin, { method: 'GET', url: `/api/v1/stores?regionId=${regionId}` })
    expect(inRegion.json().map((s: { id: string }) => s.id)).toEqual([id])
    const regions = await as(admin, { method: 'GET', url: '/api/v1/regions' })
    expect(regions.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: regionId, code: 'EAST' })]))
  })

  it('refuses a duplicate store code with 409 naming the field', async () => {
    const res = await createStore({ code: 'SHA01', name: '又一家', city: '上海' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toEqual({ error: { code: 'STORE_CODE_TAKEN', message: expect.any(String), details: [{ field: 'code', reason: 'already used by another store' }] } })
  })

  it('refuses a duplicate region code with 409', async () => {
    await as(admin, { method: 'POST', url: '/api/v1/regions', payload: { code: 'NORTH', name: '华北区' } })
    const res = await as(admin, { method: 'POST', url: '/api/v1/regions', payload: { code: 'NORTH', name: '北方' } })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'REGION_CODE_TAKEN', details: [{ field: 'code' }] })
  })

  it.each([
    ['a missing city', { code: 'X01', name: 'x' }, 400, 'city'],
    ['an empty name', { code: 'X02', name: '', city: '上海' }, 400, 'name'],
    ['an unknown field', { code: 'X03', name: 'x', city: '上海', manager: 'me' }, 400, 'manager'],
    ['a date that is not a date', { code: 'X04', name: 'x', city: '上海', openedOn: '01/10/2025' }, 400, 'openedOn'],
    ['a code with spaces', { code: 'X 05', name: 'x', city: '上海' }, 422, 'code'],
    ['a blank name', { code: 'X06', name: '   ', city: '上海' }, 422, 'name'],
    ['an unknown region', { code: 'X07', name: 'x', city: '上海', regionId: 'reg_nope' }, 422, 'regionId'],
  ])('refuses %s, naming the field', async (_label, body, status, field) => {
    const res = await createStore(body)
    expect(res.statusCode).toBe(status)
    expect(res.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]))
    const stores = await as(admin, { method: 'GET', url: '/api/v1/stores' })
    expect(stores.json().map((s: { code: string }) => s.code)).not.toContain(body.code)
  })

  it('updates a store, and refuses a code another store has', async () => {
    const id = (await createStore({ code: 'NJ01', name: '南京店', city: '南京' })).json().id as string
    const res = await as(admin, { method: 'PATCH', url: `/api/v1/stores/${id}`, payload: { name: '南京新街口店', address: '中山路1号' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id, code: 'NJ01', name: '南京新街口店', address: '中山路1号', city: '南京' })
    expect((await as(admin, { method: 'GET', url: `/api/v1/stores/${id}` })).json().name).toBe('南京新街口店')

    const taken = await as(admin, { method: 'PATCH', url: `/api/v1/stores/${id}`, payload: { code: 'BJB01' } })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.details).toEqual([expect.objectContaining({ field: 'code' })])
    const empty = await as(admin, { method: 'PATCH', url: `/api/v1/stores/${id}`, payload: {} })
    expect(empty.statusCode).toBe(400)
  })

  it('takes an empty region id as no region', async () => {
    const region = (await as(admin, { method: 'POST', url: '/api/v1/regions', payload: { code: 'WEST', name: '西部' } })).json().id as string
    const res = await createStore({ code: 'CD01', name: '成都店', city: '成都', regionId: '' })
    expect(res.statusCode).toBe(201)
    expect(res.json().regionId).toBeNull()
    const id = res.json().id as string
    expect((await as(admin, { method: 'PATCH', url: `/api/v1/stores/${id}`, payload: { regionId: region } })).json().regionId).toBe(region)
    const cleared = await as(admin, { method: 'PATCH', url: `/api/v1/stores/${id}`, payload: { regionId: '' } })
    expect(cleared.statusCode).toBe(200)
    expect(cleared.json().regionId).toBeNull()
  })

  it('answers 404 for an unknown store', async () => {
    const res = await as(admin, { method: 'PATCH', url: '/api/v1/stores/sto_nope', payload: { name: 'x' } })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('STORE_NOT_FOUND')
    expect((await as(admin, { method: 'GET', url: '/api/v1/stores/sto_nope' })).statusCode).toBe(404)
  })

  it('closes a store, keeping its members readable, and reopens it', async () => {
    const id = (await createStore({ code: 'SZ01', name: '苏州店', city: '苏州' })).json().id as string
    const member = await t.given.member({ by: t.actors.hq_admin, registrationStoreId: id })

    const closed = await as(admin, { method: 'POST', url: `/api/v1/stores/${id}/close` })
    expect(closed.statusCode).toBe(200)
    expect(closed.json()).toMatchObject({ id, status: 'closed', closedAt: t.clock.now().toISOString() })
    expect((await as(admin, { method: 'GET', url: '/api/v1/stores?status=closed' })).json().map((s: { id: string }) => s.id)).toContain(id)

    const read = await as(cashier, { method: 'GET', url: `/api/v1/members/${member.id}` })
    expect(read.statusCode).toBe(200)
    expect(read.json()).toMatchObject({ id: member.id, registrationStoreId: id })
    const listed = await as(admin, { method: 'GET', url: `/api/v1/members?storeId=${id}` })
    expect(listed.json().items.map((m: { id: string }) => m.id)).toEqual([member.id])

    const register = await as(admin, { method: 'POST', url: '/api/v1/members', payload: { phone: '13912345678', registrationStoreId: id } })
    expect(register.statusCode).toBe(422)
    expect(register.json().error.code).toBe('STORE_CLOSED')

    const reopened = await as(admin, { method: 'POST', url: `/api/v1/stores/${id}/reopen` })
    expect(reopened.statusCode).toBe(200)
    expect(reopened.json()).toMatchObject({ status: 'open', closedAt: null })
  })
})

describe('permissions', () => {
  it('lets a cashier list and read stores and regions', async () => {
    const res = await as(cashier, { method: 'GET', url: '/api/v1/stores' })
    expect(res.statusCode).toBe(200)
    expect(res.json().map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([t.stores.a, t.stores.b]))
    expect((await as(cashier, { method: 'GET', url: `/api/v1/stores/${t.stores.b}` })).statusCode).toBe(200)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/regions' })).statusCode).toBe(200)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/chain' })).json()).toMatchObject({ timezone: 'Asia/Shanghai' })
  })

  it.each([
    ['create a store', 'POST', '/api/v1/stores', { code: 'C01', name: '收银员的店', city: '上海' }],
    ['create a region', 'POST', '/api/v1/regions', { code: 'C', name: 'c' }],
    ['update a store', 'PATCH', '/api/v1/stores/STORE_A', { name: '改名' }],
    ['close a store', 'POST', '/api/v1/stores/STORE_A/close', undefined],
    ['rename the chain', 'PATCH', '/api/v1/chain', { name: '我的超市' }],
  ] as const)('refuses a cashier to %s with 403', async (_label, method, url, payload) => {
    const res = await as(cashier, { method, url: url.replace('STORE_A', t.stores.a), ...(payload ? { payload } : {}) })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
    expect((await as(admin, { method: 'GET', url: `/api/v1/stores/${t.stores.a}` })).json()).toMatchObject({ name: '上海浦东店', status: 'open' })
  })

  it('lets HQ rename the chain', async () => {
    const res = await as(admin, { method: 'PATCH', url: '/api/v1/chain', payload: { name: '好邻居超市' } })
    expect(res.statusCode).toBe(200)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/chain' })).json().name).toBe('好邻居超市')
  })
})
