import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'

/**
 * Store-level overrides of HQ's till settings (issue 16 §3): HQ says which settings a store may
 * change; a store's manager (or its region's) sets the store's own value or takes HQ's again; a
 * setting HQ keeps cannot be changed by a store; the store's tills and desk use what applies.
 */
const context = useTestContext()
let t: TestContext
const cookies: Record<string, string> = {}
let region: string

beforeAll(async () => {
  t = await context()
  for (const role of ['hq_admin', 'store_manager', 'cashier', 'service_agent', 'cashierB', 'serviceB'] as const) cookies[role] = await t.login(t.users[role]!.username)
  region = (await t.services.org.createRegion(t.actors.hq_admin, { code: 'EAST', name: '华东区' })).id
  await t.services.org.updateStore(t.actors.hq_admin, t.stores.b, { regionId: region })
  cookies.region_manager = await t.login((await t.given.staff('region_manager', null, region)).username)
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie: cookies[who]! } })
const storeSettings = (who: string, storeId: string) => as(who, { method: 'GET', url: `/api/v1/stores/${storeId}/till-settings` })
const put = (who: string, storeId: string, payload: object) => as(who, { method: 'PUT', url: `/api/v1/stores/${storeId}/till-settings`, payload })
const auditOf = (action: string) => t.services.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('chain_seq').execute()

describe("a store's own till settings", () => {
  it('are all inherited from HQ, and locked, until HQ lets stores change them', async () => {
    const res = await storeSettings('store_manager', t.stores.a)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      storeId: t.stores.a, hq: { scaleLayout: '2PPPPPPWWWWWC', returnApprovalAbove: 20_000 }, overridable: [], overrides: {},
      effective: { scaleLayout: '2PPPPPPWWWWWC', returnApprovalAbove: 20_000 }, updatedBy: null, updatedAt: null,
    })
    const locked = await put('store_manager', t.stores.a, { set: { returnApprovalAbove: 50_000 } })
    expect(locked.statusCode).toBe(403)
    expect(locked.json().error).toMatchObject({ code: 'STORE_SETTING_LOCKED', details: [{ field: 'set.returnApprovalAbove', reason: 'HQ sets this for every store' }] })
    expect(await t.services.db.selectFrom('store_till_settings').selectAll().execute()).toEqual([])
  })

  it("are the store's where HQ allows it: its tills and desk use them, other stores HQ's", async () => {
    const hq = await as('hq_admin', { method: 'PUT', url: '/api/v1/till-settings', payload: { storeOverridable: ['returnApprovalAbove', 'scaleLayout'] } })
    expect(hq.json()).toMatchObject({ storeOverridable: ['scaleLayout', 'returnApprovalAbove'], returnApprovalAbove: 20_000 })
    const set = await put('store_manager', t.stores.a, { set: { returnApprovalAbove: 50_000, scaleLayout: '2PPPPPXMMMMMC' } })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toMatchObject({
      overrides: { returnApprovalAbove: 50_000, scaleLayout: '2PPPPPXMMMMMC' }, effective: { returnApprovalAbove: 50_000, scaleLayout: '2PPPPPXMMMMMC' },
      hq: { returnApprovalAbove: 20_000, scaleLayout: '2PPPPPPWWWWWC' }, updatedBy: t.users.store_manager!.username,
    })
    // The till reads its own store's values; another store's till HQ's.
    expect((await as('cashier', { method: 'GET', url: '/api/v1/till-settings' })).json()).toMatchObject({ returnApprovalAbove: 50_000, scaleLayout: '2PPPPPXMMMMMC' })
    expect((await as('cashierB', { method: 'GET', url: '/api/v1/till-settings' })).json()).toMatchObject({ returnApprovalAbove: 20_000, scaleLayout: '2PPPPPPWWWWWC' })
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/till-settings' })).json()).toMatchObject({ returnApprovalAbove: 20_000 })

    // A ¥300 desk return: under store A's own limit it is posted; at store B (HQ's ¥200) it waits for a manager.
    const returned = async (cashier: 'cashier' | 'cashierB', desk: 'service_agent' | 'serviceB') => {
      const input = sale({ lines: [['TS-RICE', 1, 30_000]] })
      const actor = cashier === 'cashier' ? t.actors.cashier : t.actors.cashierB
      await t.services.receipts.postSale(actor, input)
      const res = await as(desk, { method: 'POST', url: '/api/v1/pos/returns', payload: { receiptNo: nextReceiptNo('RT'), businessAt: '2026-03-02T01:30:00.000Z', originalReceiptNo: input.receiptNo, reason: 'quality' } })
      return res.json().status as string
    }
    expect(await returned('cashier', 'service_agent')).toBe('posted')
    expect(await returned('cashierB', 'serviceB')).toBe('awaiting_approval')

    const [entry] = await auditOf('store_till_settings.update')
    expect(entry).toMatchObject({ actor_name: t.users.store_manager!.username, entity_type: 'store', entity_id: t.stores.a, store_id: t.stores.a })
    expect(JSON.parse(entry!.changes!)).toEqual({ returnApprovalAbove: { from: 'hq', to: 50_000 }, scaleLayout: { from: 'hq', to: '2PPPPPXMMMMMC' } })
  })

  it('go back to HQ when the store inherits them again, or when HQ locks them', async () => {
    const back = await put('store_manager', t.stores.a, { inherit: ['scaleLayout'] })
    expect(back.json()).toMatchObject({ overrides: { returnApprovalAbove: 50_000 }, effective: { scaleLayout: '2PPPPPPWWWWWC', returnApprovalAbove: 50_000 } })
    expect(back.json().overrides).not.toHaveProperty('scaleLayout')
    await as('hq_admin', { method: 'PUT', url: '/api/v1/till-settings', payload: { storeOverridable: ['scaleLayout'] } })
    const locked = (await storeSettings('store_manager', t.stores.a)).json()
    // The store's value is kept (shown as not applied) but HQ's applies.
    expect(locked).toMatchObject({ overridable: ['scaleLayout'], overrides: { returnApprovalAbove: 50_000 }, effective: { returnApprovalAbove: 20_000 } })
    expect((await as('cashier', { method: 'GET', url: '/api/v1/till-settings' })).json().returnApprovalAbove).toBe(20_000)
    await as('hq_admin', { method: 'PUT', url: '/api/v1/till-settings', payload: { storeOverridable: ['scaleLayout', 'returnApprovalAbove'] } })
  })

  it("are set by the store's region manager for the region's stores, by no one for another store's", async () => {
    const ok = await put('region_manager', t.stores.b, { set: { returnApprovalAbove: null } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().effective.returnApprovalAbove).toBeNull()
    expect((await put('region_manager', t.stores.a, { set: { returnApprovalAbove: 1 } })).statusCode).toBe(403)
    expect((await storeSettings('region_manager', t.stores.a)).statusCode).toBe(403)
    const cashier = await put('cashier', t.stores.a, { set: { returnApprovalAbove: 1 } })
    expect(cashier.statusCode).toBe(403)
    expect(cashier.json().error.code).toBe('FORBIDDEN')
  })

  it('refuse bad input with the field and the reason, and change nothing', async () => {
    const before = await t.services.db.selectFrom('store_till_settings').selectAll().orderBy('store_id').execute()
    const cases: Array<[string, object, number, { field: string; reason?: string }]> = [
      [t.stores.a, { set: { scaleLayout: 'ABCDEFGH' } }, 422, { field: 'set.scaleLayout', reason: '8 to 18 of: digits, P, W, M, X, C' }],
      [t.stores.a, { set: { returnApprovalAbove: 100 }, inherit: ['returnApprovalAbove'] }, 422, { field: 'inherit', reason: 'returnApprovalAbove cannot be both set and inherited' }],
      [t.stores.a, { set: { returnApprovalAbove: -1 } }, 400, { field: 'set.returnApprovalAbove' }],
      [t.stores.a, { inherit: ['memberDay'] }, 400, { field: 'inherit.0' }],
      ['sto_nope', { inherit: ['scaleLayout'] }, 404, { field: 'id', reason: 'no such store' }],
    ]
    for (const [storeId, payload, status, detail] of cases) {
      const res = await put('hq_admin', storeId, payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(status)
      expect(res.json().error.details.some((d: { field: string; reason: string }) => d.field === detail.field && (!detail.reason || d.reason === detail.reason)), res.body).toBe(true)
    }
    const bad = await as('hq_admin', { method: 'PUT', url: '/api/v1/till-settings', payload: { storeOverridable: ['memberDay'] } })
    expect(bad.statusCode).toBe(400)
    expect(await t.services.db.selectFrom('store_till_settings').selectAll().orderBy('store_id').execute()).toEqual(before)
  })
})
