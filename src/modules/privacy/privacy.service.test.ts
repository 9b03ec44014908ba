import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { jobRegistry } from '../../services.js'

// A file, not memory, on SQLite: the erasure is checked against the raw database file.
const dir = mkdtempSync(join(tmpdir(), 'patron-privacy-'))
const file = join(dir, 'patron.db')
const context = useTestContext({ sqliteFile: file })
let t: TestContext
beforeAll(async () => {
  t = await context()
})
// Signed in again whenever the test's clock has moved on (a session expires after its idle limit).
const sessions = new Map<string, string>()
const as = async (who: string, options: InjectOptions) => {
  const key = `${who}@${t.clock.now().toISOString()}`
  if (!sessions.has(key)) sessions.set(key, await t.login(t.users[who]!.username))
  return t.app.inject({ ...options, headers: { ...options.headers, cookie: sessions.get(key)! } })
}

const at = (date: string, hour = 2) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`

/** A member of store A with a profile, consent, two sales (points), a coupon and a return. */
const customer = async (phone: string, name: string, idNumber?: string) => {
  t.clock.set(at('2026-03-02'))
  const m = await t.given.member({ phone, name, ...(idNumber ? { idNumber } : {}), email: `${phone}@example.com`, address: '上海市浦东新区张杨路500号' })
  await t.services.members.setConsent(t.actors.service_agent, m.id, { channel: 'sms', granted: true })
  t.clock.set(at('2026-03-05'))
  const sale = await t.given.receipt({ member: { id: m.id }, lines: [['SKU-P', 2, 12_000]], businessAt: at('2026-03-03') })
  await t.given.receipt({ member: { id: m.id }, lines: [['SKU-Q', 1, 5_000]], businessAt: at('2026-03-04') })
  await t.given.return({ originalReceiptNo: sale.receiptNo, lines: [{ originalLineNo: 1, quantity: 1 }] })
  const template = await t.given.couponTemplate({ kind: 'amount', value: 500, minSpend: 0 })
  const coupon = await t.given.coupon({ templateId: template.id, memberId: m.id })
  return { m, coupon }
}

const storedSecrets = async (memberId: string): Promise<string[]> => {
  const row = await t.services.db.selectFrom('members').select(['phone_enc', 'phone_bidx', 'name_enc', 'name_bidx', 'id_number_enc', 'id_number_bidx', 'email_enc', 'address_enc'])
    .where('id', '=', memberId).executeTakeFirstOrThrow()
  return Object.values(row).filter((v): v is string => typeof v === 'string' && v.length > 0)
}

describe('a person\'s copy of their data (PIPL)', () => {
  it('gives a zip of JSON and CSV with the profile in clear, consents, receipts, points and coupons; audited', async () => {
    const { m } = await customer('13911110001', '欧阳明月', '11010519491231002X')
    const res = await as('service_agent', { method: 'GET', url: `/api/v1/members/${m.id}/personal-data.zip` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/zip')
    expect(res.headers['content-disposition']).toContain(`personal-data-${m.cardNo}-`)
    const files = unzipSync(new Uint8Array(res.rawPayload))
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['README.txt', 'data.json', 'receipts/receipts.csv', 'receipts/receipt_lines.csv', 'points/points_entries.csv', 'rewards/coupons.csv', 'consentChanges/member_profile.csv']))
    const json = JSON.parse(strFromU8(files['data.json']!)) as { cardNo: string; data: Record<string, Record<string, Array<Record<string, unknown>>>> }
    expect(json.cardNo).toBe(m.cardNo)
    expect(json.data.consentChanges!.member_profile![0]).toMatchObject({ phone: '13911110001', name: '欧阳明月', email: '13911110001@example.com', address: '上海市浦东新区张杨路500号' })
    expect(json.data.receipts!.receipts!.map((r) => r.kind).sort()).toEqual(['return', 'sale', 'sale'])
    expect(json.data.rewards!.coupons).toHaveLength(1)
    // Ciphertext and blind indexes are no use to the person: left out of the file.
    expect(JSON.stringify(json)).not.toMatch(/_enc"|_bidx"/)
    expect([...files['consentChanges/member_profile.csv']!.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = strFromU8(files['consentChanges/member_profile.csv']!)
    expect(csv).toContain('13911110001')
    expect(strFromU8(files['receipts/receipt_lines.csv']!).split('\r\n').filter(Boolean)).toHaveLength(1 + 3)
    const trail = await t.services.audit.list(t.actors.hq_admin, { action: 'member.personal_data_export', entityId: m.id })
    expect(trail.items).toHaveLength(1)
    expect(trail.items[0]).toMatchObject({ actorName: t.users.service_agent!.username, storeId: t.stores.a })
  })

  it('is for the service desk of the member\'s store and HQ, and refuses an unknown member', async () => {
    const { m } = await customer('13911110002', '李四')
    expect((await as('serviceB', { method: 'GET', url: `/api/v1/members/${m.id}/personal-data.zip` })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'GET', url: `/api/v1/members/${m.id}/personal-data.zip` })).statusCode).toBe(403)
    expect((await as('analyst', { method: 'GET', url: `/api/v1/members/${m.id}/personal-data.zip` })).statusCode).toBe(403)
    expect((await as('hq_admin', { method: 'GET', url: `/api/v1/members/${m.id}/personal-data.zip` })).statusCode).toBe(200)
    const unknown = await as('hq_admin', { method: 'GET', url: '/api/v1/members/mem_nobody/personal-data.zip' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ error: { code: 'MEMBER_NOT_FOUND' } })
  })
})

describe('erasure (PIPL)', () => {
  it('waits out the cooling-off days, can be withdrawn meanwhile, then destroys the person and keeps the books', async () => {
    const { m, coupon } = await customer('13911110003', '张三丰', '310115198506150022')
    const secrets = await storedSecrets(m.id)
    expect(secrets.length).toBeGreaterThanOrEqual(8)
    const pointsBefore = (await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance
    expect(pointsBefore).toBeGreaterThan(0)
    await t.services.kpis.refresh({ full: true })
    const kpisOf = async () => (await t.services.kpis.kpis(t.actors.hq_admin, { grain: 'month', from: '2026-03-01', to: '2026-03-31' })).periods[0]!.figures
    const before = await kpisOf()
    const liabilityBefore = await t.services.loyalty.liability(t.actors.hq_admin)

    t.clock.set(at('2026-04-01'))
    const asked = await as('service_agent', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: { reason: '顾客来电要求注销' } })
    expect(asked.statusCode).toBe(201)
    expect(asked.json()).toMatchObject({ status: 'pending', memberId: m.id, channel: 'desk', dueAt: '2026-04-16T02:00:00.000Z', member: { cardNo: m.cardNo } })
    const again = await as('hq_admin', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: {} })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ error: { code: 'ERASURE_PENDING' } })

    // Withdrawn within the cooling-off: nothing happens when it would have been due.
    const cancelled = await as('service_agent', { method: 'POST', url: `/api/v1/privacy/erasure-requests/${asked.json().id}/cancel` })
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelledBy: t.users.service_agent!.username })
    expect((await as('service_agent', { method: 'POST', url: `/api/v1/privacy/erasure-requests/${asked.json().id}/cancel` })).json()).toMatchObject({ error: { code: 'ERASURE_NOT_PENDING' } })
    t.clock.set(at('2026-04-20'))
    expect(await t.services.privacy.runDue()).toEqual({ erased: 0 })

    const request = (await as('service_agent', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: { reason: '顾客再次要求' } })).json()
    t.clock.set('2026-05-05T01:59:59.000Z')
    expect(await t.services.privacy.runDue()).toEqual({ erased: 0 })
    expect((await t.services.members.lookup(t.actors.cashier, { phone: '13911110003' })).id).toBe(m.id)
    t.clock.set(at('2026-05-05'))
    expect(await t.services.privacy.runDue()).toEqual({ erased: 1 })
    const done = (await as('service_agent', { method: 'GET', url: `/api/v1/privacy/erasure-requests/${request.id}` })).json()
    expect(done).toMatchObject({ status: 'done', doneAt: '2026-05-05T02:00:00.000Z', reason: null, result: { records: 1 } })
    // The withdrawn request's note goes too (staff's words may name the person).
    expect((await as('service_agent', { method: 'GET', url: `/api/v1/privacy/erasure-requests/${asked.json().id}` })).json()).toMatchObject({ status: 'cancelled', reason: null })

    // The person is gone: no lookup by phone, card or ID number finds them, their record is empty.
    await expect(t.services.members.lookup(t.actors.cashier, { phone: '13911110003' })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    await expect(t.services.members.lookup(t.actors.cashier, { cardNo: m.cardNo })).rejects.toMatchObject({ status: 404 })
    await expect(t.services.members.get(t.actors.hq_admin, m.id)).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    expect(await storedSecrets(m.id)).toEqual([])
    // Irreversible and once: neither asked again nor exported.
    expect((await as('hq_admin', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: {} })).json()).toMatchObject({ error: { code: 'MEMBER_ERASED' } })
    expect((await as('hq_admin', { method: 'GET', url: `/api/v1/members/${m.id}/personal-data.zip` })).statusCode).toBe(409)

    // The books still add up: the ledger and rewards verify, the points are forfeited (out of the
    // liability, shown as forfeited), the coupon voided, and March's KPIs are what they were.
    expect(await t.services.loyalty.verify()).toEqual([])
    expect(await t.services.verifyRewards()).toEqual([])
    const liability = await t.services.loyalty.liability(t.actors.hq_admin)
    expect(liability.points).toBe(liabilityBefore.points - pointsBefore)
    expect(liability.forfeitedByErasure).toMatchObject({ members: 1, points: pointsBefore })
    expect((await t.services.loyalty.liability(t.actors.hq_admin, { storeId: t.stores.a })).forfeitedByErasure).toBeNull()
    expect(await t.services.db.selectFrom('coupons').select(['status', 'void_reason']).where('id', '=', coupon.id).executeTakeFirstOrThrow()).toEqual({ status: 'voided', void_reason: 'erasure' })
    await t.services.kpis.refresh({ full: true })
    const after = await kpisOf()
    for (const k of ['netSales', 'memberNetSales', 'memberSalesShare', 'avgTicketMember', 'avgTicketNonMember', 'activeMembers'] as const) expect(after[k]?.value, k).toEqual(before[k]?.value)

    const trail = await t.services.audit.list(t.actors.hq_admin, { entityId: m.id })
    expect(trail.items.map((e) => e.action)).toEqual(expect.arrayContaining(['member.erasure_request', 'member.erasure_cancel', 'member.erase']))
    expect(trail.items.find((e) => e.action === 'member.erase')).toMatchObject({ actorType: 'system', changes: { records: 1 } })

    // Not a trace in the database file: the stored ciphertext and blind indexes are overwritten.
    if (t.services.engine === 'sqlite') {
      const raw = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]).toString('latin1')
      for (const s of secrets) expect(raw.includes(s), `${s.slice(0, 12)}… still in the file`).toBe(false)
    }
  })

  it('erases at once when the chain sets no cooling-off, and takes the records merged into the person', async () => {
    const { m } = await customer('13911110004', '王五')
    const old = await t.given.member({ phone: '13911110005' })
    await t.services.members.merge(t.actors.service_agent, m.id, old.id, '重复注册')
    const set = await as('hq_admin', { method: 'PUT', url: '/api/v1/privacy/settings', payload: { coolingOffDays: 0 } })
    expect(set.json()).toMatchObject({ coolingOffDays: 0, updatedBy: t.users.hq_admin!.username })
    try {
      const res = await as('service_agent', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: {} })
      expect(res.json()).toMatchObject({ status: 'done', result: { records: 2 } })
      await expect(t.services.members.lookup(t.actors.cashier, { phone: '13911110005' })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
      expect(await t.services.loyalty.verify()).toEqual([])
    } finally {
      await as('hq_admin', { method: 'PUT', url: '/api/v1/privacy/settings', payload: { coolingOffDays: 15 } })
    }
  })

  it('refuses bad input with the field and changes nothing', async () => {
    const { m } = await customer('13911110006', '赵六')
    const put = (who: string, payload: object) => as(who, { method: 'PUT', url: '/api/v1/privacy/settings', payload })
    expect((await put('hq_admin', { coolingOffDays: 91 })).statusCode).toBe(400)
    expect((await put('hq_admin', { coolingOffDays: -1 })).statusCode).toBe(400)
    expect((await put('hq_admin', { coolingOffDays: 1.5 })).statusCode).toBe(400)
    expect((await put('service_agent', { coolingOffDays: 3 })).statusCode).toBe(403)
    await expect(t.services.privacy.updateSettings(t.actors.hq_admin, { coolingOffDays: 120 })).rejects.toMatchObject({ status: 422, details: [{ field: 'coolingOffDays' }] })
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/settings' })).json()).toMatchObject({ coolingOffDays: 15 })

    const long = await as('service_agent', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: { reason: '长'.repeat(501) } })
    expect(long.statusCode).toBe(400)
    expect((await as('service_agent', { method: 'POST', url: '/api/v1/members/mem_nobody/erasure-requests', payload: {} })).json()).toMatchObject({ error: { code: 'MEMBER_NOT_FOUND' } })
    expect((await as('serviceB', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: {} })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'POST', url: `/api/v1/members/${m.id}/erasure-requests`, payload: {} })).statusCode).toBe(403)
    expect((await as('hq_admin', { method: 'POST', url: '/api/v1/privacy/erasure-requests/era_nothing/cancel' })).json()).toMatchObject({ error: { code: 'ERASURE_REQUEST_NOT_FOUND' } })
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/erasure-requests?status=gone' })).statusCode).toBe(400)
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/erasure-requests?cursor=era_nothing' })).statusCode).toBe(422)
    expect((await t.services.privacy.list(t.actors.hq_admin, { memberId: m.id })).items).toEqual([])
    expect((await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/erasure-requests?memberId=mem_nobody' })).json()).toMatchObject({ error: { code: 'MEMBER_NOT_FOUND' } })
    expect((await as('serviceB', { method: 'GET', url: `/api/v1/privacy/erasure-requests?memberId=${m.id}` })).statusCode).toBe(403)
    // A merged record is asked for through its survivor.
    const other = await t.given.member()
    await t.services.members.merge(t.actors.service_agent, m.id, other.id, '重复注册')
    expect((await as('service_agent', { method: 'POST', url: `/api/v1/members/${other.id}/erasure-requests`, payload: {} })).json()).toMatchObject({ error: { code: 'MEMBER_MERGED' } })
  })

  it('lists the requests by status, a store\'s own to its desk; the job is scheduled', async () => {
    const { m } = await customer('13911110007', '孙七')
    t.clock.set(at('2026-06-01'))
    const r = await t.services.privacy.requestErasure(t.actors.service_agent, m.id, { reason: null })
    const pending = (await as('hq_admin', { method: 'GET', url: '/api/v1/privacy/erasure-requests?status=pending' })).json() as { items: Array<{ id: string }> }
    expect(pending.items.map((i) => i.id)).toContain(r.id)
    expect(((await as('serviceB', { method: 'GET', url: '/api/v1/privacy/erasure-requests' })).json() as { items: unknown[] }).items).toEqual([])
    expect(((await as('service_agent', { method: 'GET', url: `/api/v1/privacy/erasure-requests?memberId=${m.id}` })).json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([r.id])
    expect(jobRegistry().schedules.map((s) => s.job.name)).toContain('privacy.runErasures')
    // Two workers at once when it falls due: one erases, once.
    t.clock.set('2026-06-17T00:00:00.000Z')
    const [x, y] = await Promise.all([t.services.privacy.runDue(), t.services.privacy.runDue()])
    expect(x.erased + y.erased).toBe(1)
    expect((await t.services.audit.list(t.actors.hq_admin, { action: 'member.erase', entityId: m.id })).items).toHaveLength(1)
    expect(await t.services.privacy.get(t.actors.hq_admin, r.id)).toMatchObject({ status: 'done', result: { records: 1 } })
  })
})
