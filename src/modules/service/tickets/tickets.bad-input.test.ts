import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

// The desk's refusals of unknown ids, stale reads, repeats and malformed values: each a 4xx with
// its code and field, and nothing changed.

const context = useTestContext()
let t: TestContext
let category: string
let team: string
const START = '2026-03-02T02:00:00.000Z'
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

beforeAll(async () => {
  t = await context()
  category = (await t.services.tickets.listCategories(t.actors.hq_admin)).find((c) => c.name === '商品质量')!.id
  team = (await t.services.tickets.createTeam(t.actors.hq_admin, { name: '门店 A', kind: 'store', storeId: t.stores.a, leadUserId: t.users.store_manager!.id })).id
})

beforeEach(() => {
  t.clock.set(START)
})

const complaint = async () => {
  const member = await t.given.member()
  return t.services.tickets.create(t.actors.service_agent, { memberId: member.id, categoryId: category, description: '买的牛奶已过期' })
}

describe('unknown ids', () => {
  it('answers 404 TICKET_NOT_FOUND for an unknown ticket, on reads and on every handling step', async () => {
    const s = t.services.tickets
    const agent = t.actors.service_agent
    for (const call of [
      () => s.get(agent, 'tkt_nosuch'), () => s.take(agent, 'tkt_nosuch'), () => s.start(agent, 'tkt_nosuch'),
      () => s.note(agent, 'tkt_nosuch', { body: '备注' }), () => s.resolve(agent, 'tkt_nosuch', { outcome: '已处理' }),
      () => s.reopen(agent, 'tkt_nosuch', { reason: '重新处理' }), () => s.close(agent, 'tkt_nosuch', { reason: '重复' }),
      () => s.recordFollowUp(agent, 'tkt_nosuch', { reached: false }), () => s.photo(agent, 'tkt_nosuch', 'tph_nosuch'),
      () => s.compensate(t.actors.store_manager, 'tkt_nosuch', { kind: 'points', points: 10, requestKey: 'k' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND', status: 404 })
    }
  })

  it('refuses an unknown team, category, product, receipt or store at intake with the field named', async () => {
    const member = await t.given.member()
    const base = { memberId: member.id, categoryId: category, description: '买的牛奶已过期' }
    const s = t.services.tickets
    await expect(s.create(t.actors.hq_admin, { ...base, storeId: t.stores.a, teamId: 'stm_nosuch' })).rejects.toMatchObject({ code: 'SERVICE_TEAM_NOT_FOUND', details: [{ field: 'teamId' }] })
    await expect(s.create(t.actors.service_agent, { ...base, categoryId: 'scg_nosuch' })).rejects.toMatchObject({ code: 'SERVICE_CATEGORY_NOT_FOUND', details: [{ field: 'categoryId' }] })
    await expect(s.create(t.actors.service_agent, { ...base, productId: 'prd_nosuch' })).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND', details: [{ field: 'productId' }] })
    await expect(s.create(t.actors.service_agent, { ...base, receiptId: 'rcp_nosuch' })).rejects.toMatchObject({ code: 'RECEIPT_NOT_FOUND', details: [{ field: 'receiptId' }] })
    await expect(s.create(t.actors.hq_admin, { ...base, storeId: 'sto_nosuch' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', details: [{ field: 'storeId' }] })
    expect((await s.list(t.actors.hq_admin, { memberId: member.id })).items).toEqual([])
  })

  it('refuses an unknown team or staff member on assignment, and an unknown photo', async () => {
    const d = await complaint()
    const s = t.services.tickets
    await expect(s.assign(t.actors.store_manager, d.id, { teamId: 'stm_nosuch' })).rejects.toMatchObject({ code: 'SERVICE_TEAM_NOT_FOUND', details: [{ field: 'teamId' }] })
    await expect(s.assign(t.actors.store_manager, d.id, { teamId: team, assigneeId: 'usr_nosuch' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'assigneeId' }] })
    await expect(s.photo(t.actors.service_agent, d.id, 'tph_nosuch')).rejects.toMatchObject({ code: 'TICKET_PHOTO_NOT_FOUND', status: 404 })
    expect(await s.get(t.actors.service_agent, d.id)).toMatchObject({ status: 'new', assigneeId: null, version: d.version })
  })

  it('refuses a photo of one ticket read through another', async () => {
    const [a, b] = [await complaint(), await complaint()]
    const photo = await t.services.tickets.addPhoto(t.actors.service_agent, a.id, { bytes: PNG })
    await expect(t.services.tickets.photo(t.actors.service_agent, b.id, photo.id)).rejects.toMatchObject({ code: 'TICKET_PHOTO_NOT_FOUND' })
  })
})

describe('stale reads and repeats', () => {
  it('refuses to start from a stale version (409 TICKET_VERSION) and starts from the current one', async () => {
    const d = await complaint()
    await t.services.tickets.note(t.actors.service_agent, d.id, { body: '先记一笔' })
    const current = await t.services.tickets.get(t.actors.service_agent, d.id)
    await expect(t.services.tickets.start(t.actors.service_agent, d.id, { version: d.version - 1 })).rejects.toMatchObject({ code: 'TICKET_VERSION', status: 409 })
    expect(await t.services.tickets.start(t.actors.service_agent, d.id, { version: current.version })).toMatchObject({ status: 'in_progress' })
  })

  it('refuses to reopen an open ticket, to resolve or close a closed one, and a follow-up with none waiting', async () => {
    const d = await complaint()
    const s = t.services.tickets
    await expect(s.reopen(t.actors.service_agent, d.id, { reason: '重新处理' })).rejects.toMatchObject({ code: 'TICKET_NOT_RESOLVED' })
    await expect(s.recordFollowUp(t.actors.service_agent, d.id, { reached: true, satisfaction: 5 })).rejects.toMatchObject({ code: 'TICKET_NO_FOLLOW_UP' })
    await s.close(t.actors.service_agent, d.id, { reason: '重复登记' })
    await expect(s.close(t.actors.service_agent, d.id, { reason: '重复登记' })).rejects.toMatchObject({ code: 'TICKET_NOT_OPEN' })
    await expect(s.resolve(t.actors.service_agent, d.id, { outcome: '已处理' })).rejects.toMatchObject({ code: 'TICKET_NOT_OPEN' })
    await expect(s.reply(t.actors.service_agent, d.id, { body: '您好', channel: 'phone' })).rejects.toMatchObject({ code: 'TICKET_NOT_OPEN' })
    expect((await s.get(t.actors.service_agent, d.id)).timeline.map((e) => e.kind)).toEqual(['created', 'closed'])
  })

  it('refuses handling by an actor who is not staff, and an empty note or outcome', async () => {
    const d = await complaint()
    await expect(t.services.tickets.note(t.actors.service_agent, d.id, { body: '  ' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'body' }] })
    await expect(t.services.tickets.resolve(t.actors.service_agent, d.id, { outcome: '' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'outcome' }] })
    await expect(t.services.tickets.take(t.actors.system, d.id)).rejects.toMatchObject({ code: 'TICKET_STAFF_ONLY', status: 403 })
  })

  it('answers a double removal of a team member with 404 the second time', async () => {
    const staff = await t.given.staff('service_agent', t.stores.a)
    await t.services.tickets.addTeamMember(t.actors.hq_admin, team, staff.id)
    await t.services.tickets.addTeamMember(t.actors.hq_admin, team, staff.id)
    expect((await t.services.tickets.getTeam(t.actors.hq_admin, team)).members.filter((m) => m.userId === staff.id)).toHaveLength(1)
    await t.services.tickets.removeTeamMember(t.actors.hq_admin, team, staff.id)
    await expect(t.services.tickets.removeTeamMember(t.actors.hq_admin, team, staff.id)).rejects.toMatchObject({ code: 'SERVICE_TEAM_MEMBER_NOT_FOUND' })
  })
})

describe('configuration', () => {
  it('refuses a category below itself and an unknown parent', async () => {
    const hq = t.actors.hq_admin
    const top = await t.services.tickets.createCategory(hq, { name: '顶层' })
    await expect(t.services.tickets.updateCategory(hq, top.id, { parentId: top.id })).rejects.toMatchObject({ details: [{ field: 'parentId' }] })
    await expect(t.services.tickets.createCategory(hq, { name: '子类', parentId: 'scg_nosuch' })).rejects.toMatchObject({ code: 'SERVICE_CATEGORY_NOT_FOUND', details: [{ field: 'parentId' }] })
    await expect(t.services.tickets.updateCategory(hq, 'scg_nosuch', { name: '改名' })).rejects.toMatchObject({ code: 'SERVICE_CATEGORY_NOT_FOUND' })
  })

  it('refuses SLA policies naming the same pair twice, an unknown category or inverted minutes; keeps the defaults', async () => {
    const hq = t.actors.hq_admin
    const before = await t.services.tickets.listPolicies(hq)
    const p = { categoryId: category, severity: 'high' as const, firstResponseMinutes: 30, resolutionMinutes: 120 }
    await expect(t.services.tickets.savePolicies(hq, [p, p])).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'policies/1' }] })
    await expect(t.services.tickets.savePolicies(hq, [{ ...p, categoryId: 'scg_nosuch' }])).rejects.toMatchObject({ details: [{ field: 'policies/0/categoryId' }] })
    await expect(t.services.tickets.savePolicies(hq, [{ ...p, resolutionMinutes: 10 }])).rejects.toMatchObject({ details: [{ field: 'policies/0/resolutionMinutes' }] })
    expect(await t.services.tickets.listPolicies(hq)).toEqual(before)
    const fallback = before.find((x) => x.categoryId === null)!
    await expect(t.services.tickets.deletePolicy(hq, fallback.id)).rejects.toMatchObject({ code: 'SLA_POLICY_DEFAULT' })
    await expect(t.services.tickets.deletePolicy(hq, 'sla_nosuch')).rejects.toMatchObject({ code: 'SLA_POLICY_NOT_FOUND' })
  })

  it('refuses settings with an unknown role, a bad holiday or hours without working time', async () => {
    const hq = t.actors.hq_admin
    const before = await t.services.tickets.settings(hq)
    await expect(t.services.tickets.saveSettings(hq, { compensationLimits: { janitor: { maxPoints: 1, maxCouponValue: 1 } } }))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'compensationLimits/janitor' }] })
    await expect(t.services.tickets.saveSettings(hq, { holidays: ['2026-02-30'] })).rejects.toMatchObject({ details: [{ field: 'holidays/0' }] })
    await expect(t.services.tickets.createTeam(hq, { name: '夜班', kind: 'other', workingHours: {} })).rejects.toMatchObject({ details: [{ field: 'workingHours', reason: 'no working time in the week' }] })
    expect(await t.services.tickets.settings(hq)).toEqual(before)
  })
})
