import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'

// The retention sweep (PIPL, issue 16 §2): members without activity for the chain's retention
// years, listed for HQ and erased in bulk after the cooling-off.
const context = useTestContext()
let t: TestContext
// Signed in again whenever the test's clock has moved on (a session expires after its idle limit).
const sessions = new Map<string, string>()
const as = async (who: string, options: InjectOptions) => {
  const key = `${who}@${t.clock.now().toISOString()}`
  if (!sessions.has(key)) sessions.set(key, await t.login(t.users[who]!.username))
  return t.app.inject({ ...options, headers: { ...options.headers, cookie: sessions.get(key)! } })
}
const at = (date: string, hour = 2) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`

type Listed = { retentionYears: number; cutoff: string; total: number; items: Array<{ memberId: string; cardNo: string; nameMasked: string | null; registrationStoreId: string | null; registeredAt: string; lastActivityAt: string | null }>; nextCursor: string | null }
const list = async (query = '') => (await as('hq_admin', { method: 'GET', url: `/api/v1/privacy/retention${query}` })).json() as Listed
const setYears = (who: string, payload: object) => as(who, { method: 'PUT', url: '/api/v1/privacy/settings', payload })
const erase = (who: string, payload: object) => as(who, { method: 'POST', url: '/api/v1/privacy/retention/erase', payload })

/** The members, by what they did: each registered at store A on 2 March 2026 unless told. */
const m: Record<'dormant' | 'buyer' | 'adjusted' | 'recent' | 'frozen' | 'merged' | 'survivor' | 'pending', { id: string; cardNo: string }> = {} as never
const NOW = at('2029-06-01')
const CUTOFF = '2026-06-01T00:00:00.000Z'

beforeAll(async () => {
  t = await context()
  t.clock.set(at('2026-03-02'))
  for (const k of ['dormant', 'buyer', 'adjusted', 'frozen', 'merged', 'survivor', 'pending'] as const) m[k] = await t.given.member()
  await t.services.members.setFrozen(t.actors.service_agent, m.frozen.id, true, '卡片挂失')
  await t.services.members.merge(t.actors.service_agent, m.survivor.id, m.merged.id, '重复注册')
  // The dormant one bought once, in March 2026; their points expire (the system's entry, not theirs) in 2028.
  t.clock.set(at('2026-03-05'))
  await t.given.receipt({ member: { id: m.dormant.id }, businessAt: at('2026-03-05', 1) })
  t.clock.set(at('2027-01-01'))
  m.recent = await t.given.member()
  t.clock.set(at('2028-01-10'))
  expect((await as('service_agent', { method: 'POST', url: `/api/v1/members/${m.adjusted.id}/points/adjustments`, payload: { points: 50, reason: '补录积分' } })).statusCode).toBe(201)
  t.clock.set(at('2028-06-01'))
  expect((await t.services.loyalty.expireDue()).lots).toBeGreaterThan(0)
  t.clock.set(at('2029-05-01'))
  await t.given.receipt({ member: { id: m.buyer.id }, businessAt: at('2029-05-01', 1) })
  t.clock.set(at('2029-05-20'))
  await t.services.privacy.requestErasure(t.actors.service_agent, m.pending.id, { reason: null })
  t.clock.set(NOW)
})

describe('the retention setting', () => {
  it('is off by default: the list and the erasure answer 409 RETENTION_OFF', async () => {
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/settings' })).json()).toMatchObject({ coolingOffDays: 15, retentionYears: 0 })
    const listed = await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/retention' })
    expect(listed.statusCode).toBe(409)
    expect(listed.json()).toMatchObject({ error: { code: 'RETENTION_OFF', details: [{ field: 'retentionYears' }] } })
    expect((await erase('hq_admin', { cutoff: CUTOFF })).json()).toMatchObject({ error: { code: 'RETENTION_OFF' } })
  })

  it('refuses years out of range with 422 on the field, and a store role; changes nothing', async () => {
    for (const years of [31, -1, 100]) {
      const res = await setYears('hq_admin', { retentionYears: years })
      expect(res.statusCode, String(years)).toBe(422)
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', details: [{ field: 'retentionYears' }] } })
    }
    expect((await setYears('hq_admin', { retentionYears: 1.5 })).statusCode).toBe(400)
    expect((await setYears('hq_admin', {})).statusCode).toBe(422)
    expect((await setYears('service_agent', { retentionYears: 3 })).statusCode).toBe(403)
    expect((await setYears('store_manager', { retentionYears: 3 })).statusCode).toBe(403)
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/settings' })).json()).toMatchObject({ coolingOffDays: 15, retentionYears: 0 })
  })

  it('is set alone, leaving the cooling-off as it was; audited with what changed', async () => {
    const res = await setYears('hq_admin', { retentionYears: 3 })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ coolingOffDays: 15, retentionYears: 3, updatedBy: t.users.hq_admin!.username, updatedAt: NOW })
    const trail = await t.services.audit.list(t.actors.hq_admin, { action: 'privacy.settings.update' })
    expect(trail.items[0]).toMatchObject({ actorName: t.users.hq_admin!.username, changes: { retentionYears: { from: 0, to: 3 } } })
    expect(trail.items[0]!.changes).not.toHaveProperty('coolingOffDays')
  })
})

describe('the list of inactive members', () => {
  it('lists those registered before the cutoff with neither a receipt nor a points entry since (an expiry is not theirs)', async () => {
    const listed = await list()
    expect(listed).toMatchObject({ retentionYears: 3, cutoff: CUTOFF, nextCursor: null })
    // Not the buyer (last month), the adjusted (points in 2028), the recent (registered after the
    // cutoff), the merged record, nor the one whose erasure is pending already.
    expect(listed.items.map((i) => i.memberId).sort()).toEqual([m.dormant.id, m.frozen.id, m.survivor.id].sort())
    expect(listed.total).toBe(3)
    expect(listed.items.find((i) => i.memberId === m.dormant.id)).toEqual({
      memberId: m.dormant.id, cardNo: m.dormant.cardNo, nameMasked: expect.any(String), registrationStoreId: t.stores.a,
      registeredAt: at('2026-03-02'), lastActivityAt: at('2026-03-05'),
    })
    expect(listed.items.find((i) => i.memberId === m.frozen.id)!.lastActivityAt).toBeNull()
    // No PII: the masked name only.
    expect(JSON.stringify(listed)).not.toContain('王小明')
  })

  it('pages by cursor, oldest registration first, and refuses a forged cursor', async () => {
    const first = await list('?limit=2')
    expect(first.items).toHaveLength(2)
    expect(first.total).toBe(3)
    const second = await list(`?limit=2&cursor=${first.nextCursor}`)
    expect(second).toMatchObject({ total: 3, nextCursor: null })
    expect([...first.items, ...second.items].map((i) => i.memberId)).toEqual((await list()).items.map((i) => i.memberId))
    const forged = await as('hq_admin', { method: 'GET', url: `/api/v1/privacy/retention?cursor=${Buffer.from('nonsense').toString('base64url')}` })
    expect(forged.statusCode).toBe(422)
  })

  it('is HQ\'s: store roles are refused', async () => {
    for (const who of ['service_agent', 'store_manager', 'cashier']) {
      expect((await as(who, { method: 'GET', url: '/api/v1/privacy/retention' })).statusCode, who).toBe(403)
      expect((await erase(who, { cutoff: CUTOFF })).statusCode, who).toBe(403)
    }
  })
})

describe('erasing the inactive members', () => {
  it('refuses a cutoff other than the list\'s (409) and a member not listed (422 naming them); nothing requested', async () => {
    const moved = await erase('hq_admin', { cutoff: '2026-05-31T00:00:00.000Z' })
    expect(moved.statusCode).toBe(409)
    expect(moved.json()).toMatchObject({ error: { code: 'RETENTION_CUTOFF_CHANGED', details: [{ field: 'cutoff' }] } })
    const unlisted = await erase('hq_admin', { cutoff: CUTOFF, memberIds: [m.dormant.id, m.buyer.id] })
    expect(unlisted.statusCode).toBe(422)
    expect(unlisted.json().error.details).toEqual([{ field: 'memberIds', reason: expect.stringContaining(m.buyer.id) }])
    expect((await erase('hq_admin', { cutoff: 'yesterday' })).statusCode).toBe(422)
    expect((await t.services.privacy.list(t.actors.hq_admin, { status: 'pending' })).items.map((r) => r.memberId)).toEqual([m.pending.id])
    expect((await list()).total).toBe(3)
  })

  it('requests some of them, skipping one pending already', async () => {
    const res = await erase('hq_admin', { cutoff: CUTOFF, memberIds: [m.frozen.id, m.pending.id] })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ requested: 1, skipped: 1 })
    expect((await list()).items.map((i) => i.memberId).sort()).toEqual([m.dormant.id, m.survivor.id].sort())
  })

  it('requests all listed with the channel retention, under the cooling-off; audited once for the sweep and per member', async () => {
    const res = await erase('hq_admin', { cutoff: CUTOFF })
    expect(res.json()).toEqual({ requested: 2, skipped: 0 })
    expect(await list()).toMatchObject({ total: 0, items: [] })
    const requests = (await t.services.privacy.list(t.actors.hq_admin, { status: 'pending' })).items.filter((r) => r.channel === 'retention')
    expect(requests.map((r) => r.memberId).sort()).toEqual([m.dormant.id, m.frozen.id, m.survivor.id].sort())
    for (const r of requests) {
      expect(r).toMatchObject({ status: 'pending', reason: '长期未活跃 3 年', requestedBy: t.users.hq_admin!.username, dueAt: at('2029-06-16'), storeId: t.stores.a })
    }
    const sweeps = await t.services.audit.list(t.actors.hq_admin, { action: 'privacy.retention_erase' })
    expect(sweeps.items.map((e) => e.changes)).toEqual(expect.arrayContaining([
      { count: 2, skipped: 0, retentionYears: 3, cutoff: CUTOFF },
      { count: 1, skipped: 1, retentionYears: 3, cutoff: CUTOFF },
    ]))
    expect(sweeps.items).toHaveLength(2)
    for (const e of sweeps.items) expect(e).toMatchObject({ actorType: 'staff', actorName: t.users.hq_admin!.username, entityType: 'privacy_settings' })
    const perMember = await t.services.audit.list(t.actors.hq_admin, { action: 'member.erasure_request', entityId: m.dormant.id })
    expect(perMember.items).toEqual([expect.objectContaining({ actorName: t.users.hq_admin!.username, storeId: t.stores.a, changes: { coolingOffDays: 15, dueAt: at('2029-06-16') } })])
  })

  it('erases them when the cooling-off ends (the queued job), and the books still verify', async () => {
    t.clock.set('2029-06-16T01:59:00.000Z')
    await t.drainJobs()
    expect((await t.services.members.get(t.actors.hq_admin, m.dormant.id)).id).toBe(m.dormant.id)
    t.clock.set(at('2029-06-16'))
    await t.drainJobs()
    for (const k of ['dormant', 'frozen', 'survivor', 'pending'] as const) {
      await expect(t.services.members.get(t.actors.hq_admin, m[k].id), k).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    }
    // The others are untouched.
    for (const k of ['buyer', 'adjusted', 'recent'] as const) expect((await t.services.members.get(t.actors.hq_admin, m[k].id)).id).toBe(m[k].id)
    const done = (await t.services.privacy.list(t.actors.hq_admin, { status: 'done' })).items.filter((r) => r.channel === 'retention')
    expect(done).toHaveLength(3)
    for (const r of done) expect(r).toMatchObject({ reason: null, result: { records: expect.any(Number) } })
    expect(done.find((r) => r.memberId === m.survivor.id)!.result).toEqual({ records: 2 })
    expect(await t.services.loyalty.verify()).toEqual([])
    expect(await list()).toMatchObject({ total: 0, items: [] })
  })

  it('handles a chain\'s thousands in batches', async () => {
    t.clock.set(at('2026-03-02'))
    const ids: string[] = []
    for (let i = 0; i < 1_100; i++) ids.push((await t.given.member({ by: t.actors.cashier })).id)
    t.clock.set(at('2029-07-01'))
    const listed = await list('?limit=200')
    expect(listed.total).toBe(1_100)
    const res = await erase('hq_admin', { cutoff: listed.cutoff })
    expect(res.json()).toEqual({ requested: 1_100, skipped: 0 })
    expect((await list()).total).toBe(0)
  }, 120_000)
})
