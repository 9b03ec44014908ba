import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../../test/context.js'
import { nextReceiptNo } from '../../../../test/receipts.js'
import type { Condition } from '../conditions/condition.js'
import { evaluateTags } from './tag-evaluation.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  await t.given.product({ sku: 'DIAPER', department: '母婴', category: '纸尿裤', listPrice: 8000 })
  await t.given.product({ sku: 'MILK', department: '食品', category: '乳品', listPrice: 1500 })
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'store_manager', 'cashier', 'service_agent', 'serviceB']) {
    auth[key] = { cookie: await t.login(t.users[key]!.username) }
  }
  const { key } = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'till 1' })
  auth.pos = { authorization: `Bearer ${key}` }
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })

const buy = (memberId: string, sku: string, unitPrice: number, businessAt: string, storeId?: string) =>
  t.services.receipts.postSale(t.actors.hq_admin, {
    receiptNo: nextReceiptNo(), businessAt, member: { id: memberId }, lines: [{ sku, quantity: 1, unitPrice, amount: unitPrice }],
    tenders: [{ kind: 'cash', amount: unitPrice }], total: unitPrice, storeId: storeId ?? t.stores.a,
  })

const heldBy = async (tagId: string) =>
  (await t.services.db.selectFrom('member_tags').select('member_id').where('tag_id', '=', tagId).orderBy('member_id').execute()).map((r) => r.member_id)

const eventsOf = async (tagId: string) =>
  t.services.db.selectFrom('member_tag_events').select(['member_id', 'event', 'source']).where('tag_id', '=', tagId).orderBy('at').orderBy('event').execute()

const setInsight = (memberId: string, values: { rfm_class?: 'important_value' | 'general_retain'; lifecycle?: 'dormant' | 'active' }) =>
  t.services.db.updateTable('member_insight').set(values).where('member_id', '=', memberId).execute()

/** Tag evaluation as the refresh runs it, in its own transaction. */
const evaluate = (only: 'all' | 'dirty' = 'all') => {
  const asOf = '2026-03-02'
  return t.services.db.transaction().execute((trx) => evaluateTags(trx, { asOf, only, at: t.clock.now().toISOString() }, { engine: t.services.engine }))
}

const BABY: Condition = { field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 2 }

describe('rule tags follow the data', () => {
  let mother: { id: string }
  let once: { id: string }
  let babyTag: string

  it('tags the members a behaviour rule matches at once, with the count in words in both languages', async () => {
    mother = await t.given.member({ gender: 'female' })
    once = await t.given.member({ gender: 'female' })
    await buy(mother.id, 'DIAPER', 8000, '2026-01-10T03:00:00.000Z')
    await buy(mother.id, 'DIAPER', 8000, '2026-02-01T03:00:00.000Z')
    await buy(mother.id, 'DIAPER', 7000, '2026-02-20T03:00:00.000Z')
    await buy(once.id, 'DIAPER', 8000, '2026-02-20T03:00:00.000Z')
    await buy(once.id, 'MILK', 1500, '2026-02-21T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })

    const tag = await t.services.tags.create(t.actors.hq_marketing, { name: '母婴人群', kind: 'rule', rule: BABY, color: 'magenta' })
    babyTag = tag.id
    expect(tag).toMatchObject({ name: '母婴人群', kind: 'rule', members: 1, ruleText: { 'zh-CN': '近90天在大类「母婴」购买至少2次' } })
    expect(await heldBy(tag.id)).toEqual([mother.id])
    expect(await eventsOf(tag.id)).toEqual([{ member_id: mother.id, event: 'added', source: 'rule' }])

    const [held] = await t.services.tags.memberTags(t.actors.cashier, mother.id)
    expect(held).toMatchObject({ name: '母婴人群', source: 'rule', reason: { 'zh-CN': '近90天在母婴购买3次', 'en-US': 'bought 母婴 3 times in 90 days' } })
  })

  it('writes the day\'s counts on a full refresh', async () => {
    await t.services.insight.refresh({ full: true })
    const counts = await t.services.tags.counts(t.actors.analyst, { from: '2026-03-01', to: '2026-03-02', tagId: babyTag })
    expect(counts.items).toEqual([{ day: '2026-03-02', tagId: babyTag, name: '母婴人群', members: 1 }])
    const [listed] = (await t.services.tags.list(t.actors.analyst)).filter((x) => x.id === babyTag)
    expect(listed!.trend).toEqual([{ day: '2026-03-02', members: 1 }])
  })

  it('adds a member who comes to match at the next refresh, and removes one who no longer does, with events', async () => {
    await buy(once.id, 'DIAPER', 8000, '2026-03-01T03:00:00.000Z')
    await t.services.insight.refresh()
    expect(await heldBy(babyTag)).toEqual([mother.id, once.id].sort())

    // Four months on, nobody bought 母婴 twice in 90 days: both lose the tag.
    t.clock.set('2026-07-01T02:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    expect(await heldBy(babyTag)).toEqual([])
    const events = await t.services.tags.memberEvents(t.actors.cashier, mother.id)
    expect(events.map((e) => [e.name, e.event])).toEqual([['母婴人群', 'removed'], ['母婴人群', 'added']])
    expect(events[0]!.reason).toEqual({ 'zh-CN': '不再符合规则', 'en-US': 'no longer matches the rule' })
    expect(events[1]!.reason!['zh-CN']).toBe('近90天在母婴购买3次')
    t.clock.set('2026-03-02T02:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    expect(await heldBy(babyTag)).toEqual([mother.id, once.id].sort())
  })

  it('tags by class and by another tag, in order, and evaluates only the dirty members on an incremental step', async () => {
    await setInsight(mother.id, { rfm_class: 'important_value' })
    const valuable = await t.services.tags.create(t.actors.analyst, { name: '高价值客户', kind: 'rule', rule: { field: 'rfm_class', op: 'in', value: ['important_value'] } })
    const both = await t.services.tags.create(t.actors.analyst, {
      name: '高价值妈妈', kind: 'rule',
      rule: { all: [{ field: 'tag', op: 'has', value: valuable.id }, { field: 'tag', op: 'has', value: babyTag }, { field: 'spend_w', op: 'gte', value: 1 }] },
    })
    expect(await heldBy(valuable.id)).toEqual([mother.id])
    expect(await heldBy(both.id)).toEqual([mother.id])
    const reasons = Object.fromEntries((await t.services.tags.memberTags(t.actors.cashier, mother.id)).map((x) => [x.name, x.reason]))
    expect(reasons['高价值客户']).toEqual({ 'zh-CN': 'RFM 分类是重要价值客户', 'en-US': 'RFM class is important value' })
    expect(reasons['高价值妈妈']!['zh-CN']).toBe('有标签「高价值客户」，有标签「母婴人群」，窗口消费额为230元')

    // Both change class; only `once` is dirty, so only `once` is looked at.
    await setInsight(mother.id, { rfm_class: 'general_retain' })
    await setInsight(once.id, { rfm_class: 'important_value' })
    await t.services.db.insertInto('insight_dirty').values({ member_id: once.id }).execute()
    const result = await evaluate('dirty')
    await t.services.db.deleteFrom('insight_dirty').execute()
    expect(result.added).toBe(2)
    expect(await heldBy(valuable.id)).toEqual([mother.id, once.id].sort())
    expect(await heldBy(both.id)).toEqual([mother.id, once.id].sort())

    // The full evaluation sees mother's new class: she loses 高价值客户 and, after it, 高价值妈妈.
    const full = await evaluate('all')
    expect(full.removed).toBe(2)
    expect(await heldBy(valuable.id)).toEqual([once.id])
    expect(await heldBy(both.id)).toEqual([once.id])
  })

  it('refuses a rule that makes a tag depend on itself, naming the path', async () => {
    const [valuable] = (await t.services.tags.list(t.actors.analyst)).filter((x) => x.name === '高价值客户')
    const [both] = (await t.services.tags.list(t.actors.analyst)).filter((x) => x.name === '高价值妈妈')
    await expect(t.services.tags.update(t.actors.analyst, valuable!.id, { rule: { any: [{ field: 'lifecycle', op: 'in', value: ['active'] }, { field: 'tag', op: 'has', value: both!.id }] } }))
      .rejects.toMatchObject({ code: 'INSIGHT_CONDITION_INVALID', details: [{ field: 'rule.any[1].value', reason: expect.stringContaining('高价值客户 → 高价值妈妈 → 高价值客户') }] })
    await expect(t.services.tags.update(t.actors.analyst, valuable!.id, { status: 'archived' })).rejects.toMatchObject({ code: 'TAG_IN_USE' })
  })

  it('re-evaluates a changed rule at once and rewrites the reasons of those who keep the tag', async () => {
    const [valuable] = (await t.services.tags.list(t.actors.analyst)).filter((x) => x.name === '高价值客户')
    await setInsight(mother.id, { rfm_class: 'important_value', lifecycle: 'dormant' })
    await t.services.tags.update(t.actors.analyst, valuable!.id, { rule: { any: [{ field: 'rfm_class', op: 'in', value: ['important_value'] }, { field: 'promo_share_pm', op: 'gte', value: 500 }] } })
    expect(await heldBy(valuable!.id)).toEqual([mother.id, once.id].sort())
    const held = (await t.services.tags.memberTags(t.actors.cashier, once.id)).find((x) => x.name === '高价值客户')
    expect(held!.reason['zh-CN']).toContain('重要价值客户')
  })
})

describe('manual tags', () => {
  it('are attached and removed by staff with tags.assign, within their store, and left alone by evaluation', async () => {
    const tag = await t.services.tags.create(t.actors.hq_marketing, { name: '投诉关注', kind: 'manual', color: 'red' })
    const ours = await t.given.member()
    const theirs = await t.given.member({ registrationStoreId: t.stores.b, by: t.actors.cashierB })

    const held = await t.services.tags.attach(t.actors.service_agent, ours.id, { tagId: tag.id, note: '投诉过生鲜质量' })
    expect(held).toEqual([expect.objectContaining({ name: '投诉关注', source: 'manual', reason: { 'zh-CN': '投诉过生鲜质量', 'en-US': '投诉过生鲜质量' } })])
    await expect(t.services.tags.attach(t.actors.service_agent, theirs.id, { tagId: tag.id })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.tags.attach(t.actors.cashier, ours.id, { tagId: tag.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(t.services.tags.attach(t.actors.service_agent, ours.id, { tagId: tag.id })).rejects.toMatchObject({ code: 'TAG_ALREADY_HELD' })

    await evaluate('all')
    expect(await heldBy(tag.id)).toEqual([ours.id])

    await t.services.tags.detach(t.actors.service_agent, ours.id, tag.id)
    expect(await heldBy(tag.id)).toEqual([])
    expect((await t.services.tags.memberEvents(t.actors.cashier, ours.id)).map((e) => [e.event, e.source])).toEqual([['removed', 'manual'], ['added', 'manual']])
    const audit = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', ours.id).where('action', 'like', 'member.tag.%').orderBy('at').execute()
    expect(audit.map((a) => a.action)).toEqual(['member.tag.add', 'member.tag.remove'])
  })

  it('refuses a taken name, an unknown tag and removing a tag the member does not hold, changing nothing', async () => {
    const tag = await t.services.tags.create(t.actors.hq_marketing, { name: '重点回访', kind: 'manual' })
    await expect(t.services.tags.create(t.actors.hq_marketing, { name: '重点回访', kind: 'manual' })).rejects.toMatchObject({ code: 'TAG_NAME_TAKEN', details: [{ field: 'name' }] })
    await expect(t.services.tags.get(t.actors.analyst, 'tag_nope')).rejects.toMatchObject({ code: 'TAG_NOT_FOUND' })
    const m = await t.given.member()
    await expect(t.services.tags.attach(t.actors.service_agent, m.id, { tagId: 'tag_nope' })).rejects.toMatchObject({ details: [{ field: 'tagId' }] })
    await expect(t.services.tags.detach(t.actors.service_agent, m.id, tag.id)).rejects.toMatchObject({ code: 'TAG_NOT_HELD', details: [{ field: 'tagId' }] })
    expect(await heldBy(tag.id)).toEqual([])
    expect(await eventsOf(tag.id)).toEqual([])
    expect((await t.services.tags.list(t.actors.analyst)).filter((x) => x.name === '重点回访')).toHaveLength(1)
    // Two clerks tag the member at once: one tag, one event, and the other is told it is held.
    const both = await Promise.allSettled([0, 1].map(() => t.services.tags.attach(t.actors.service_agent, m.id, { tagId: tag.id })))
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'TAG_ALREADY_HELD' } })
    expect(await heldBy(tag.id)).toEqual([m.id])
    expect(await eventsOf(tag.id)).toHaveLength(1)
  })

  it('refuses to attach or remove a rule tag by hand', async () => {
    const [baby] = (await t.services.tags.list(t.actors.analyst)).filter((x) => x.name === '母婴人群')
    const m = await t.given.member()
    await expect(t.services.tags.attach(t.actors.service_agent, m.id, { tagId: baby!.id })).rejects.toMatchObject({ code: 'TAG_IS_RULE' })
  })
})

describe('the routes', () => {
  it('define a tag only with insight.manage, and name the path and reason of a bad rule', async () => {
    const bad = await as('analyst', { method: 'POST', url: '/api/v1/insight/tags', payload: { name: '坏规则', kind: 'rule', rule: { all: [{ field: 'bought', op: 'category', value: ['母婴'], days: -3 }] } } })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error).toMatchObject({ code: 'INSIGHT_CONDITION_INVALID', details: [{ field: 'rule.all[0].days', reason: expect.stringContaining('between 1 and 3650') }] })
    const unknown = await as('analyst', { method: 'POST', url: '/api/v1/insight/tags', payload: { name: '坏规则', kind: 'rule', rule: { field: 'shoe_size', op: 'eq', value: 42 } } })
    expect(unknown.json().error.details).toEqual([{ field: 'rule.field', reason: 'unknown field "shoe_size"' }])
    expect((await as('store_manager', { method: 'POST', url: '/api/v1/insight/tags', payload: { name: '店长标签', kind: 'manual' } })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/insight/tags' })).statusCode).toBe(403)
    const dup = await as('analyst', { method: 'POST', url: '/api/v1/insight/tags', payload: { name: '母婴人群', kind: 'manual' } })
    expect(dup.statusCode).toBe(409)
    expect(await t.services.db.selectFrom('tags').select('id').where('name', '=', '坏规则').execute()).toEqual([])
  })

  it('test a rule without saving: a live count and a masked sample with reasons (store roles: their store)', async () => {
    const phone = nextPhone()
    const m = await t.given.member({ phone, name: '李梅' })
    await buy(m.id, 'DIAPER', 8000, '2026-02-25T03:00:00.000Z')
    await buy(m.id, 'DIAPER', 8000, '2026-02-26T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    const res = await as('analyst', { method: 'POST', url: '/api/v1/insight/tags/test', payload: { rule: BABY } })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.count).toBeGreaterThanOrEqual(3)
    const row = body.sample.find((s: { memberId: string }) => s.memberId === m.id)
    expect(row).toMatchObject({ name: '李*', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, reason: { 'zh-CN': '近90天在母婴购买2次' } })
    expect(await t.services.db.selectFrom('tags').select('id').where('name', '=', 'test').execute()).toEqual([])
    const storeB = await as('store_manager', { method: 'POST', url: '/api/v1/insight/tags/test', payload: { rule: { field: 'registration_store', op: 'in', value: [t.stores.b] } } })
    expect(storeB.json().count).toBe(0)
  })

  it('show the profile on the member page and attach a manual tag through the API', async () => {
    const m = await t.given.member()
    await buy(m.id, 'DIAPER', 8000, '2026-02-25T03:00:00.000Z')
    await buy(m.id, 'MILK', 2000, '2026-02-26T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    const res = await as('cashier', { method: 'GET', url: `/api/v1/members/${m.id}/profile` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      memberId: m.id, asOf: '2026-03-02', mainDepartment: '母婴',
      departmentShares: [{ department: '母婴', amount: 8000, sharePm: 800 }, { department: '食品', amount: 2000, sharePm: 200 }],
      figures: { receipts: 2, spend: 10_000, avgTicket: 5000 },
    })
    expect((await as('cashier', { method: 'GET', url: '/api/v1/members/mem_nobody/profile' })).statusCode).toBe(404)

    const tag = await t.services.tags.create(t.actors.hq_marketing, { name: 'VIP关怀', kind: 'manual' })
    const manual = await as('service_agent', { method: 'GET', url: '/api/v1/insight/tags/manual' })
    expect(manual.json().map((x: { name: string }) => x.name)).toContain('VIP关怀')
    expect(manual.json().map((x: { name: string }) => x.name)).not.toContain('母婴人群')
    expect((await as('cashier', { method: 'POST', url: `/api/v1/members/${m.id}/tags`, payload: { tagId: tag.id } })).statusCode).toBe(403)
    expect((await as('serviceB', { method: 'POST', url: `/api/v1/members/${m.id}/tags`, payload: { tagId: tag.id } })).statusCode).toBe(403)
    const added = await as('service_agent', { method: 'POST', url: `/api/v1/members/${m.id}/tags`, payload: { tagId: tag.id, note: '老顾客' } })
    expect(added.statusCode).toBe(201)
    expect(added.json()).toEqual([expect.objectContaining({ name: 'VIP关怀', reason: { 'zh-CN': '老顾客', 'en-US': '老顾客' } })])
    expect((await as('service_agent', { method: 'DELETE', url: `/api/v1/members/${m.id}/tags/${tag.id}` })).statusCode).toBe(204)
    expect((await as('service_agent', { method: 'DELETE', url: `/api/v1/members/${m.id}/tags/${tag.id}` })).statusCode).toBe(404)
  })

  it('the till\'s lookup carries the member\'s tags, RFM class, lifecycle and main department', async () => {
    const phone = nextPhone()
    const m = await t.given.member({ phone })
    await buy(m.id, 'DIAPER', 8000, '2026-02-10T03:00:00.000Z')
    await buy(m.id, 'DIAPER', 8000, '2026-02-27T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    await setInsight(m.id, { rfm_class: 'important_value' })
    for (const who of ['cashier', 'pos']) {
      const res = await as(who, { method: 'POST', url: '/api/v1/members/lookup', payload: { phone } })
      expect(res.statusCode).toBe(200)
      const { profile } = res.json()
      expect(profile).toMatchObject({ rfmClass: 'important_value', lifecycle: expect.any(String), mainDepartment: '母婴', asOf: '2026-03-02' })
      expect(profile.tags.map((x: { name: string }) => x.name)).toContain('母婴人群')
    }
    // A member never refreshed has an empty profile, not an error.
    const fresh = await t.given.member()
    expect((await t.services.members.lookup(t.actors.cashier, { cardNo: fresh.cardNo })).profile).toEqual({ tags: [], rfmClass: null, lifecycle: null, mainDepartment: null, asOf: null })
  })
})
