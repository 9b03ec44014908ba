import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { defineJob } from '../outbox/index.js'
import { isValidCardNo } from './member-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

// Valid under GB 11643 (check character and birth date).
const ID_MALE = '110105199001011232'
const ID_FEMALE = '310115198506150022'

describe('registration', () => {
  it('registers a member with a valid card number, masked PII and consents', async () => {
    const phone = nextPhone()
    const { member, created } = await t.services.members.register(t.actors.cashier, {
      phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3)}`, name: '张三丰', gender: 'male', birthday: '1990-01-01',
      email: 'Zhang.San@Example.com', consents: { sms: true, email: false },
    })
    expect(created).toBe(true)
    expect(isValidCardNo(member.cardNo)).toBe(true)
    expect(member.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
    expect(member.name).toBe('张**')
    expect(member.email).toBe('z********@example.com')
    expect(member.registrationStoreId).toBe(t.stores.a)
    expect(member.registeredBy).toBe(t.users.cashier!.id)
    expect(member.registrationChannel).toBe('till')
    expect(member.consents.map((c) => [c.channel, c.granted])).toEqual([['email', false], ['sms', true]])
  })

  it('returns the existing member when the phone is registered again, changing nothing', async () => {
    const phone = nextPhone()
    const first = await t.services.members.register(t.actors.cashier, { phone, name: '李四' })
    const again = await t.services.members.register(t.actors.cashierB, { phone: `0086${phone}`, name: '别人' })
    expect(again.created).toBe(false)
    expect(again.member.id).toBe(first.member.id)
    expect(again.member.name).toBe('李*')
    expect(again.member.registrationStoreId).toBe(t.stores.a)
  })

  it('registers the same phone once when 20 tills send it at the same moment', async () => {
    const phone = nextPhone()
    const results = await Promise.all(Array.from({ length: 20 }, () => t.services.members.register(t.actors.cashier, { phone, name: '并发' })))
    expect(new Set(results.map((r) => r.member.id)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
  })

  it.each([
    ['phone', { phone: '12345678901' }, 'phone'],
    ['phone missing', { phone: null }, 'phone'],
    ['birthday format', { birthday: '1990/01/01' }, 'birthday'],
    ['birthday impossible', { birthday: '1990-02-30' }, 'birthday'],
    ['birthday in the future', { birthday: '2030-01-01' }, 'birthday'],
    ['ID check digit', { idNumber: '110105199001011235' }, 'idNumber'],
    ['email', { email: 'not-an-email' }, 'email'],
    ['name too long', { name: '名'.repeat(51) }, 'name'],
    ['district too long', { district: 'x'.repeat(51) }, 'district'],
    ['occupation', { occupation: 'astronaut' }, 'occupation'],
    ['education', { education: 'kindergarten' }, 'education'],
    ['income band', { incomeBand: 'rich' }, 'incomeBand'],
    ['gender', { gender: 'x' }, 'gender'],
    ['consent channel', { consents: { fax: true } }, 'consents.fax'],
  ])('refuses a bad %s with 422 naming the field', async (_label, patch, field) => {
    const before = await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    await expect(t.services.members.register(t.actors.cashier, { phone: nextPhone(), ...(patch as object) }))
      .rejects.toMatchObject({ status: 422, details: expect.arrayContaining([expect.objectContaining({ field })]) })
    const after = await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('reports every bad field at once', async () => {
    await expect(t.services.members.register(t.actors.cashier, { phone: '123', email: 'x', birthday: 'soon' }))
      .rejects.toMatchObject({ details: [expect.objectContaining({ field: 'phone' }), expect.objectContaining({ field: 'birthday' }), expect.objectContaining({ field: 'email' })] })
  })

  it('derives birthday and gender from the ID number and refuses a second member with it', async () => {
    const m = await t.given.member({ idNumber: ID_FEMALE })
    // Beside the masked ID number the birthday shows its year only: the ID embeds the date.
    expect(m.birthday).toBe('1985-**-**')
    expect(m.gender).toBe('female')
    expect(m.idNumber).toBe('310***********0022')
    expect(m.idNumber).not.toContain('19850615'.slice(2))
    expect(await t.services.members.reveal(t.actors.hq_admin, m.id, ['birthday', 'idNumber'])).toEqual({ birthday: '1985-06-15', idNumber: ID_FEMALE })
    await expect(t.given.member({ idNumber: ID_FEMALE })).rejects.toMatchObject({ code: 'MEMBER_ID_NUMBER_TAKEN', status: 409 })
  })

  it('keeps a cashier to their own store and refuses a closed store', async () => {
    await expect(t.services.members.register(t.actors.cashier, { phone: nextPhone(), registrationStoreId: t.stores.b }))
      .rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    const closed = await t.given.store()
    await t.services.org.setStoreStatus(t.actors.hq_admin, closed, 'closed')
    await expect(t.services.members.register(t.actors.hq_admin, { phone: nextPhone(), registrationStoreId: closed }))
      .rejects.toMatchObject({ code: 'STORE_CLOSED' })
  })

  it("records the till's cashier as the clerk, and refuses a cashier of another store", async () => {
    const key = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 3' })
    const till = (await t.services.auth.authenticatePosKey(key.key, null))!
    const { member } = await t.services.members.register(till, { phone: nextPhone(), clerkUsername: t.users.cashier!.username.toUpperCase() })
    expect(member).toMatchObject({ registeredBy: t.users.cashier!.id, registrationStoreId: t.stores.a, registrationChannel: 'till' })
    expect((await t.services.members.get(t.actors.hq_admin, member.id)).registrationStoreName).toBe('上海浦东店')
    await expect(t.services.members.register(till, { phone: nextPhone(), clerkUsername: t.users.cashierB!.username }))
      .rejects.toMatchObject({ status: 422, details: [expect.objectContaining({ field: 'clerkUsername' })] })
  })

  it('emits member.registered once, after the member is stored', async () => {
    const seen: string[] = []
    const off = t.services.outbox.registry.add(defineJob({
      name: 'test.seenRegistered', description: 'test', on: 'member.registered',
      run: async ({ memberId }) => {
        const row = await t.services.db.selectFrom('members').select('id').where('id', '=', memberId).executeTakeFirst()
        if (row) seen.push(memberId)
      },
    }))
    const phone = nextPhone()
    const m = await t.given.member({ phone })
    await t.given.member({ phone })
    await t.drainJobs()
    off()
    expect(seen).toEqual([m.id])
  })
})

describe('PII at rest', () => {
  it('stores no plaintext phone, name, ID number, email or address', async () => {
    const phone = nextPhone()
    const m = await t.given.member({ phone, name: '欧阳明月', idNumber: ID_MALE, email: 'ouyang@example.com', address: '上海市浦东新区张杨路500号' })
    const row = await sql<Record<string, unknown>>`select * from members where id = ${m.id}`.execute(t.services.db)
    const raw = JSON.stringify(row.rows[0])
    for (const secret of [phone, '欧阳明月', ID_MALE, 'ouyang@example.com', '张杨路500号']) expect(raw).not.toContain(secret)
  })

  it('refuses to decrypt with another key', async () => {
    const { Keyring } = await import('../../shared/pii.js')
    const other = new Keyring(Keyring.generate())
    const value = t.keyring.encrypt('phone', '13800000000')
    expect(() => other.decrypt('phone', value)).toThrow(/key/)
    expect(() => t.keyring.decrypt('name', value)).toThrow()
  })
})

describe('lookup', () => {
  it('finds a member by phone, card, ID number and email through the blind index', async () => {
    const phone = nextPhone()
    const m = await t.given.member({ phone, idNumber: '11010519491231002X', email: 'finder@example.com' })
    const lookup = (q: object) => t.services.members.lookup(t.actors.cashierB, q)
    expect((await lookup({ phone })).id).toBe(m.id)
    expect((await lookup({ phone: `+86${phone}` })).id).toBe(m.id)
    expect((await lookup({ cardNo: m.cardNo })).id).toBe(m.id)
    expect((await lookup({ idNumber: '11010519491231002x' })).id).toBe(m.id)
    expect((await lookup({ email: 'FINDER@example.com' })).id).toBe(m.id)
  })

  it('rejects a mistyped card number instead of matching someone else', async () => {
    const m = await t.given.member()
    const digits = m.cardNo.split('')
    digits[5] = String((Number(digits[5]) + 1) % 10)
    await expect(t.services.members.lookup(t.actors.cashier, { cardNo: digits.join('') })).rejects.toMatchObject({ code: 'MEMBER_CARD_INVALID', status: 422 })
    const swapped = m.cardNo.slice(0, 3) + m.cardNo[4] + m.cardNo[3] + m.cardNo.slice(5)
    // Luhn catches every swap of neighbours except 0↔9, which the random card may hold.
    if (swapped !== m.cardNo && !['09', '90'].includes(m.cardNo.slice(3, 5))) await expect(t.services.members.lookup(t.actors.cashier, { cardNo: swapped })).rejects.toMatchObject({ code: 'MEMBER_CARD_INVALID' })
  })

  it('answers 404 for an unknown phone and 422 for a malformed one', async () => {
    await expect(t.services.members.lookup(t.actors.cashier, { phone: nextPhone() })).rejects.toMatchObject({ status: 404, code: 'MEMBER_NOT_FOUND' })
    await expect(t.services.members.lookup(t.actors.cashier, { phone: '555' })).rejects.toMatchObject({ status: 422 })
    await expect(t.services.members.lookup(t.actors.cashier, {})).rejects.toMatchObject({ code: 'LOOKUP_NEEDS_ONE_KEY' })
  })
})

describe('reveal', () => {
  it('returns the full values to a permitted role and writes each reveal to the audit log', async () => {
    const phone = nextPhone()
    const m = await t.given.member({ phone, name: '赵敏' })
    const revealed = await t.services.members.reveal(t.actors.hq_admin, m.id, ['phone', 'name'])
    expect(revealed).toEqual({ phone, name: '赵敏' })
    const log = await t.services.audit.list(t.actors.hq_admin, { action: 'member.reveal', entityId: m.id })
    expect(log.items).toHaveLength(1)
    expect(log.items[0]).toMatchObject({ actorId: t.users.hq_admin!.id, changes: { fields: ['phone', 'name'] } })
    expect(JSON.stringify(log.items)).not.toContain(phone)
  })

  it('refuses a cashier, and a store manager of another store', async () => {
    const m = await t.given.member()
    await expect(t.services.members.reveal(t.actors.cashier, m.id)).rejects.toMatchObject({ status: 403 })
    await expect(t.services.members.reveal(t.actors.managerB, m.id)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    expect((await t.services.members.reveal(t.actors.store_manager, m.id, ['name'])).name).toBe('王小明')
  })
})

describe('update, freeze and consent', () => {
  it('updates only what changed and audits the change with PII redacted', async () => {
    const m = await t.given.member({ name: '周杰' })
    const newPhone = nextPhone()
    const updated = await t.services.members.update(t.actors.cashier, m.id, { phone: newPhone, occupation: 'professional', name: '周杰' })
    expect(updated.phone).toBe(`${newPhone.slice(0, 3)}****${newPhone.slice(-4)}`)
    expect(updated.occupation).toBe('professional')
    expect((await t.services.members.lookup(t.actors.cashier, { phone: newPhone })).id).toBe(m.id)
    const trail = await t.services.members.auditTrail(t.actors.hq_admin, m.id)
    const change = trail.items.find((i) => i.action === 'member.update')!
    expect(change.changes).toEqual({ phone: { from: '[redacted]', to: '[redacted]' }, occupation: { from: null, to: 'professional' } })
  })

  it('refuses a phone that belongs to another member', async () => {
    const a = await t.given.member()
    const phone = nextPhone()
    await t.given.member({ phone })
    await expect(t.services.members.update(t.actors.cashier, a.id, { phone })).rejects.toMatchObject({ code: 'MEMBER_PHONE_TAKEN', status: 409 })
  })

  it('gives a phone to an imported member who had none', async () => {
    const { member } = await t.services.members.register(t.actors.hq_admin, { externalCode: 'OLD-0001', channel: 'import', name: '老会员' })
    expect(member.phone).toBeNull()
    const phone = nextPhone()
    await t.services.members.update(t.actors.cashier, member.id, { phone })
    expect((await t.services.members.lookup(t.actors.cashier, { externalCode: 'OLD-0001' })).phone).not.toBeNull()
  })

  it('freezes with a reason and unfreezes', async () => {
    const m = await t.given.member()
    await expect(t.services.members.setFrozen(t.actors.store_manager, m.id, true, '')).rejects.toMatchObject({ status: 422 })
    expect((await t.services.members.setFrozen(t.actors.store_manager, m.id, true, '卡片丢失')).status).toBe('frozen')
    await expect(t.services.members.setFrozen(t.actors.managerB, m.id, false, null)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    expect((await t.services.members.setFrozen(t.actors.store_manager, m.id, false, null)).status).toBe('active')
  })

  it('records consent given and withdrawn with time and source', async () => {
    const m = await t.given.member({ consents: { sms: true } })
    t.clock.advance(60_000)
    const after = await t.services.members.setConsent(t.actors.service_agent, m.id, { channel: 'sms', granted: false, source: 'hotline' })
    expect(after.consents.find((c) => c.channel === 'sms')).toMatchObject({ granted: false, source: 'hotline', changedAt: t.clock.now().toISOString() })
    const history = await t.services.members.consentHistory(t.actors.service_agent, m.id)
    expect(history.map((h) => [h.channel, h.granted, h.source])).toEqual([['sms', false, 'hotline'], ['sms', true, 'registration:till']])
    // The same answer again is not a new change.
    await t.services.members.setConsent(t.actors.service_agent, m.id, { channel: 'sms', granted: false })
    expect(await t.services.members.consentHistory(t.actors.service_agent, m.id)).toHaveLength(2)
  })
})

describe('merge', () => {
  it('keeps the survivor card, fills its gaps, moves consents and leaves the old card pointing at it', async () => {
    const survivor = await t.given.member({ name: '钱多多', consents: { sms: true } })
    t.clock.advance(1000)
    const { member: other } = await t.services.members.register(t.actors.hq_admin, {
      externalCode: 'LEGACY-77', channel: 'import', email: 'qian@example.com', occupation: 'retired', consents: { wechat: true },
    })
    const preview = await t.services.members.previewMerge(t.actors.hq_admin, survivor.id, other.id)
    expect(preview.fieldsFilled).toEqual(expect.arrayContaining(['email', 'occupation', 'externalCode']))
    expect(preview.moves.consentChanges).toBe(1)

    const { member } = await t.services.members.merge(t.actors.hq_admin, survivor.id, other.id, '同一人')
    expect(member.cardNo).toBe(survivor.cardNo)
    expect(member.email).toBe('q***@example.com')
    expect(member.occupation).toBe('retired')
    expect(member.consents.map((c) => [c.channel, c.granted])).toEqual([['sms', true], ['wechat', true]])
    expect((await t.services.members.lookup(t.actors.cashier, { cardNo: other.cardNo })).id).toBe(survivor.id)
    expect((await t.services.members.lookup(t.actors.cashier, { externalCode: 'LEGACY-77' })).id).toBe(survivor.id)
    expect((await t.services.members.lookup(t.actors.cashier, { email: 'qian@example.com' })).id).toBe(survivor.id)
    expect((await t.services.members.get(t.actors.hq_admin, other.id)).status).toBe('merged')
    const history = await t.services.members.consentHistory(t.actors.hq_admin, survivor.id)
    expect(history.map((h) => h.channel).sort()).toEqual(['sms', 'wechat'])
    const trail = await t.services.members.auditTrail(t.actors.hq_admin, survivor.id)
    expect(trail.items.map((i) => i.action)).toEqual(expect.arrayContaining(['member.merge', 'member.merged_into']))
    await expect(t.services.members.merge(t.actors.hq_admin, survivor.id, other.id)).rejects.toMatchObject({ code: 'MEMBER_MERGED' })
  })

  it('merges once when several desks merge the same pair at the same moment', async () => {
    const a = await t.given.member({ consents: { sms: true } })
    const b = await t.given.member({ consents: { wechat: true } })
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => t.services.members.merge(t.actors.hq_admin, a.id, b.id)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'MEMBER_MERGED' })
    const trail = await t.services.members.auditTrail(t.actors.hq_admin, a.id)
    expect(trail.items.filter((i) => i.action === 'member.merge')).toHaveLength(1)
    expect((await t.services.members.get(t.actors.hq_admin, a.id)).consents.map((c) => c.channel)).toEqual(['sms', 'wechat'])
  })

  it('refuses to merge a member into itself and refuses roles without the permission', async () => {
    const m = await t.given.member()
    const n = await t.given.member()
    await expect(t.services.members.merge(t.actors.hq_admin, m.id, m.id)).rejects.toMatchObject({ code: 'MERGE_SAME_MEMBER' })
    await expect(t.services.members.merge(t.actors.cashier, m.id, n.id)).rejects.toMatchObject({ status: 403 })
  })
})

describe('list', () => {
  it('pages with a cursor, filters, and keeps a store manager to their store', async () => {
    const store = await t.given.store()
    const manager = await t.given.staff('store_manager', store)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await t.given.member({ registrationStoreId: store, by: t.actors.hq_admin, channel: i % 2 ? 'qr' : 'till' })).id)
    const page1 = await t.services.members.list(manager.actor, { limit: 3 })
    const page2 = await t.services.members.list(manager.actor, { limit: 3, cursor: page1.nextCursor! })
    expect([...page1.items, ...page2.items].map((m) => m.id)).toEqual([...ids].reverse())
    expect(page2.nextCursor).toBeNull()
    expect((await t.services.members.list(t.actors.hq_admin, { storeId: store, channel: 'qr' })).items).toHaveLength(2)
    await expect(t.services.members.list(manager.actor, { storeId: t.stores.a })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.members.list(t.actors.cashier, {})).rejects.toMatchObject({ status: 403 })
  })
})
