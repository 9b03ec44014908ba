import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'
import { ConfigError, loadConfig } from '../../config.js'
import { Keyring, withNewActiveKey } from '../../shared/pii.js'
import { backfillNameIndex, reencryptMembers } from './member-keys.js'
import { createMembersService } from './members.service.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const auditOf = (action: string, entityId: string) =>
  t.services.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity_id', '=', entityId).execute()

describe('member lookups are limited, counted and alerted per actor', () => {
  it('refuses a till walking the numbers a masked phone leaves open: misses are capped per hour, with an alert first', async () => {
    t.clock.set('2026-03-02T03:00:05.000Z')
    const cashier = await t.given.staff('cashier', t.stores.a)
    const cookie = await t.login(cashier.username)
    const known = await t.given.member()
    const lookup = (phone: string) => t.app.inject({ method: 'POST', url: '/api/v1/members/lookup', headers: { cookie }, payload: { phone } })
    // 138****5678: the attacker tries the 10,000 numbers in between.
    for (let i = 0; i < 30; i++) {
      if (i === 15) t.clock.advance(60_000)
      expect((await lookup(`138${String(i).padStart(4, '0')}5678`)).statusCode).toBe(404)
    }
    const alerts = await auditOf('member.lookup.alert', cashier.id)
    expect(alerts).toHaveLength(1)
    expect(JSON.parse(alerts[0]!.changes!)).toMatchObject({ misses: 15, period: '2026-03-02T03' })
    expect(await auditOf('member.lookup.limited', cashier.id)).toHaveLength(1)

    // Now even a number that exists is refused until the hour ends, with the wait stated.
    const blocked = await t.app.inject({ method: 'POST', url: '/api/v1/members/lookup', headers: { cookie }, payload: { cardNo: known.cardNo } })
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().error).toMatchObject({ code: 'MEMBER_LOOKUP_LIMITED' })
    expect(Number(blocked.headers['retry-after'])).toBe(3600 - 60 - 5)
    // Another cashier serves on.
    expect((await t.services.members.lookup(t.actors.cashier, { cardNo: known.cardNo })).id).toBe(known.id)

    const counts = await t.services.db.selectFrom('member_lookup_counts').selectAll().where('actor_key', '=', `staff:${cashier.id}`).execute()
    expect(counts).toEqual([expect.objectContaining({ period: '2026-03-02T03', misses: 30, store_id: t.stores.a, actor_name: cashier.username })])

    t.clock.set('2026-03-02T04:00:00.000Z')
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/members/lookup', headers: { cookie }, payload: { cardNo: known.cardNo } })).statusCode).toBe(200)
  })

  it('allows a cashier one customer at a time: a burst above the per-minute limit waits for the next minute', async () => {
    t.clock.set('2026-03-02T05:00:50.000Z')
    const cashier = await t.given.staff('cashier', t.stores.a)
    const known = await t.given.member()
    for (let i = 0; i < 30; i++) await t.services.members.lookup(cashier.actor, { cardNo: known.cardNo })
    const refused = t.services.members.lookup(cashier.actor, { cardNo: known.cardNo })
    await expect(refused).rejects.toMatchObject({ code: 'MEMBER_LOOKUP_LIMITED', status: 429, headers: { 'retry-after': '10' } })
    expect(await auditOf('member.lookup.limited', cashier.id)).toHaveLength(1)
    t.clock.advance(10_000)
    expect((await t.services.members.lookup(cashier.actor, { cardNo: known.cardNo })).id).toBe(known.id)
  })

  it('takes its limits from the environment; 0 turns one off (a load test)', async () => {
    expect(loadConfig({}).memberLookupLimits).toEqual({ perMinute: 30, missesPerHour: 30, alertMisses: 15 })
    expect(loadConfig({ PATRON_MEMBER_LOOKUPS_PER_MINUTE: '0', PATRON_MEMBER_LOOKUP_MISSES_PER_HOUR: '100' }).memberLookupLimits).toMatchObject({ perMinute: 0, missesPerHour: 100 })
    expect(() => loadConfig({ PATRON_MEMBER_LOOKUPS_PER_MINUTE: 'lots' })).toThrow(ConfigError)
    t.clock.set('2026-03-02T05:30:00.000Z')
    const cashier = await t.given.staff('cashier', t.stores.a)
    const unlimited = createMembersService({ db: t.services.db, engine: t.services.engine, audit: t.services.audit, clock: t.clock, keyring: t.keyring, events: t.services.events, timezone: 'Asia/Shanghai', lookupLimits: { perMinute: 0 } })
    const known = await t.given.member()
    for (let i = 0; i < 40; i++) await unlimited.lookup(cashier.actor, { cardNo: known.cardNo })
  })

  it("counts a till's quote naming a member who does not exist as a miss: the quote is no way around the limit", async () => {
    t.clock.set('2026-03-02T10:00:00.000Z')
    const { key, id } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 9' })
    const known = await t.given.member({ phone: '13912340000' })
    const quote = (phone: string) => t.app.inject({
      method: 'POST', url: '/api/v1/pos/quote', headers: { authorization: `Bearer ${key}` },
      payload: { member: { phone }, lines: [{ sku: 'UNKNOWN-1', quantity: 1, unitPrice: 100 }] },
    })
    expect((await quote('13912340000')).statusCode).toBe(200)
    for (let i = 1; i <= 30; i++) expect((await quote(`139${String(i).padStart(4, '0')}0000`)).statusCode).toBe(422)
    const refused = await quote('13912340000')
    expect(refused.statusCode).toBe(429)
    expect(refused.json().error.code).toBe('MEMBER_LOOKUP_LIMITED')
    expect(await auditOf('member.lookup.alert', id)).toHaveLength(1)
    // A basket without a member still sells.
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/pos/quote', headers: { authorization: `Bearer ${key}` }, payload: { lines: [{ sku: 'UNKNOWN-1', quantity: 1, unitPrice: 100 }] } })
    expect(anonymous.statusCode).toBe(200)
    expect(known.id).toBeTruthy()
  })

  it('holds across API processes: the count is in the database', async () => {
    t.clock.set('2026-03-02T06:00:00.000Z')
    const till = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 7' })
    const actor = { kind: 'pos' as const, keyId: till.id, name: 'till 7', storeId: t.stores.a }
    const other = createMembersService({ db: t.services.db, engine: t.services.engine, audit: t.services.audit, clock: t.clock, keyring: t.keyring, events: t.services.events, timezone: 'Asia/Shanghai' })
    const known = await t.given.member()
    for (let i = 0; i < 15; i++) await t.services.members.lookup(actor, { cardNo: known.cardNo })
    for (let i = 0; i < 15; i++) await other.lookup(actor, { cardNo: known.cardNo })
    await expect(other.lookup(actor, { cardNo: known.cardNo })).rejects.toMatchObject({ code: 'MEMBER_LOOKUP_LIMITED' })
    await expect(t.services.members.lookup(actor, { cardNo: known.cardNo })).rejects.toMatchObject({ code: 'MEMBER_LOOKUP_LIMITED' })
  })
})

describe('lookup alerts', () => {
  it('lists for HQ the hours in which someone looked up many members that do not exist; store roles may not', async () => {
    const admin = await t.login(t.users.hq_admin!.username)
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/members/lookup-alerts?days=7', headers: { cookie: admin } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ alertMisses: 15, missesPerHour: 30 })
    expect(res.json().items).toEqual([
      expect.objectContaining({ actorType: 'pos', actorName: 'till 9', hour: '2026-03-02T10:00:00.000Z', lookups: 0, misses: 30, limited: true }),
      expect.objectContaining({ actorType: 'staff', storeId: t.stores.a, storeName: '上海浦东店', hour: '2026-03-02T03:00:00.000Z', misses: 30, limited: true }),
    ])
    const cashier = await t.login(t.users.cashier!.username)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/members/lookup-alerts', headers: { cookie: cashier } })).statusCode).toBe(403)
  })
})

describe('search by exact name', () => {
  it('finds members by full name with names kept encrypted, newest first, masked; a name alone finds nobody else', async () => {
    t.clock.set('2026-03-02T07:00:00.000Z')
    const older = await t.given.member({ name: '欧阳娜娜' })
    t.clock.advance(1000)
    const newer = await t.given.member({ name: '欧阳 娜娜', by: t.actors.hq_admin })
    await t.given.member({ name: '欧阳娜' })
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/members/name-search', headers: { cookie: await t.login(t.users.service_agent!.username) }, payload: { name: ' 欧阳娜娜 ' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().items.map((m: { id: string; name: string }) => [m.id, m.name])).toEqual([[newer.id, '欧****'], [older.id, '欧***']])
    const row = await t.services.db.selectFrom('members').select(['name_enc', 'name_bidx']).where('id', '=', older.id).executeTakeFirstOrThrow()
    expect(row.name_enc).not.toContain('欧阳')
    expect(row.name_bidx).not.toContain('欧阳')
    expect((await t.services.members.searchByName(t.actors.cashier, 'Ouyang Nana')).items).toEqual([])
  })

  it('follows renames and merges, and refuses a blank name', async () => {
    t.clock.set('2026-03-02T08:00:00.000Z')
    const m = await t.given.member({ name: '李雷' })
    await t.services.members.update(t.actors.hq_admin, m.id, { name: 'Han Meimei' })
    expect((await t.services.members.searchByName(t.actors.cashier, '李雷')).items).toEqual([])
    expect((await t.services.members.searchByName(t.actors.cashier, 'han  MEIMEI')).items.map((x) => x.id)).toEqual([m.id])
    const twin = await t.given.member({ name: '韩梅梅' })
    const survivor = await t.given.member({ phone: nextPhone(), name: null })
    await t.services.members.merge(t.actors.hq_admin, survivor.id, twin.id)
    expect((await t.services.members.searchByName(t.actors.cashier, '韩梅梅')).items.map((x) => x.id)).toEqual([survivor.id])
    const blank = await t.app.inject({ method: 'POST', url: '/api/v1/members/name-search', headers: { cookie: await t.login(t.users.cashier!.username) }, payload: { name: '   ' } })
    expect(blank.statusCode).toBe(422)
  })

  it('indexes members from before the index at start, and a key rotation keeps the index', async () => {
    t.clock.set('2026-03-02T09:00:00.000Z')
    const m = await t.given.member({ name: '诸葛亮' })
    const n = await t.given.member({ name: '司马懿' })
    // As the migration leaves them: names encrypted, no index.
    await tamper(t, 'members written before the name index existed').updateTable('members').set({ name_bidx: null }).where('id', 'in', [m.id, n.id]).execute()
    expect((await t.services.members.searchByName(t.actors.cashier, '诸葛亮')).items).toEqual([])
    expect(await backfillNameIndex(t.services.db, t.keyring)).toBeGreaterThanOrEqual(2)
    expect(await backfillNameIndex(t.services.db, t.keyring)).toBe(0)
    expect((await t.services.members.searchByName(t.actors.cashier, '诸葛亮')).items.map((x) => x.id)).toEqual([m.id])

    await tamper(t, 'a member written before the name index existed').updateTable('members').set({ name_bidx: null }).where('id', '=', n.id).execute()
    const rotated = new Keyring(withNewActiveKey(t.keyFile, new Date('2026-03-02T09:00:00Z')))
    await reencryptMembers(t.services.db, rotated)
    const row = await t.services.db.selectFrom('members').select(['name_enc', 'name_bidx']).where('id', '=', m.id).executeTakeFirstOrThrow()
    expect(row.name_enc!.split('.')[1]).toBe(rotated.activeKeyId)
    expect((await t.services.members.searchByName(t.actors.cashier, '诸葛亮')).items.map((x) => x.id)).toEqual([m.id])
    expect((await t.services.members.searchByName(t.actors.cashier, '司马懿')).items.map((x) => x.id)).toEqual([n.id])
  })
})
