import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { eraseMemberData, exportMemberData } from '../../members/index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the suggestion box', () => {
  it('records a suggestion at the desk for the agent’s store, with an anonymous contact encrypted and masked', async () => {
    const s = await t.services.suggestions.create(t.actors.service_agent, { category: 'service', text: '  希望多开几个收银台  ', contactName: '张三', contactPhone: '13912345678' })
    expect(s).toMatchObject({ number: expect.stringMatching(/^S260302[A-Z2-9]{4}$/), storeId: t.stores.a, channel: 'desk', status: 'received', text: '希望多开几个收银台', contact: '张* 139****5678' })
    const row = await t.services.db.selectFrom('suggestions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow()
    expect(row.contact_phone_enc).not.toContain('13912345678')
    expect(t.keyring.decrypt('phone', row.contact_phone_enc!)).toBe('13912345678')
    // A store's staff cannot file one for another store.
    await expect(t.services.suggestions.create(t.actors.service_agent, { category: 'service', text: 'x', storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.suggestions.create(t.actors.service_agent, { category: 'service', text: 'x', contactPhone: '123' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'contactPhone' }] })
  })

  it('moves through review to adopted only with a note of what changed, and a decided one back to review only', async () => {
    const s = await t.services.suggestions.create(t.actors.hq_admin, { category: 'productsRange', text: '希望增加进口零食', storeId: t.stores.a })
    expect(await t.services.suggestions.update(t.actors.service_agent, s.id, { status: 'under_review' })).toMatchObject({ status: 'under_review', handledBy: t.users.service_agent!.id })
    await expect(t.services.suggestions.update(t.actors.service_agent, s.id, { status: 'adopted' })).rejects.toMatchObject({ code: 'SUGGESTION_INCOMPLETE', details: [{ field: 'changeNote' }] })
    const adopted = await t.services.suggestions.update(t.actors.service_agent, s.id, { status: 'adopted', changeNote: '零食区新增进口货架', reply: '感谢建议，已增加' })
    expect(adopted).toMatchObject({ status: 'adopted', changeNote: '零食区新增进口货架', reply: '感谢建议，已增加', decidedAt: expect.any(String), repliedAt: expect.any(String) })
    await expect(t.services.suggestions.update(t.actors.service_agent, s.id, { status: 'declined', reply: '不' })).rejects.toMatchObject({ code: 'SUGGESTION_STATUS' })
    await expect(t.services.suggestions.update(t.actors.serviceB, s.id, { reply: '你好' })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.suggestions.update(t.actors.cashier, s.id, { reply: '你好' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const trail = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', s.id).orderBy('at').execute()
    expect(trail.map((a) => a.action)).toEqual(['suggestion.create', 'suggestion.review', 'suggestion.adopt'])
  })

  it('lists by status, category, text and store, a store role its own store only', async () => {
    const b = await t.services.suggestions.create(t.actors.serviceB, { category: 'environment', text: '停车场灯光太暗' })
    const a = await t.services.suggestions.create(t.actors.service_agent, { category: 'environment', text: '入口地面湿滑' })
    const hq = await t.services.suggestions.list(t.actors.hq_admin, { category: 'environment' })
    expect(hq.items.map((s) => s.id)).toEqual(expect.arrayContaining([a.id, b.id]))
    const mine = await t.services.suggestions.list(t.actors.service_agent, { category: 'environment' })
    expect(mine.items.map((s) => s.id)).toContain(a.id)
    expect(mine.items.map((s) => s.id)).not.toContain(b.id)
    await expect(t.services.suggestions.list(t.actors.service_agent, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    expect((await t.services.suggestions.list(t.actors.hq_admin, { q: '灯光' })).items.map((s) => s.id)).toEqual([b.id])
    expect((await t.services.suggestions.list(t.actors.hq_admin, { q: b.number.toLowerCase() })).items.map((s) => s.id)).toEqual([b.id])
    await expect(t.services.suggestions.get(t.actors.service_agent, b.id)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
  })

  it('counts by month, category and store, and lists the adopted ones with what changed', async () => {
    t.clock.set('2026-01-15T02:00:00Z')
    const jan = await t.services.suggestions.create(t.actors.hq_admin, { category: 'prices', text: '牛奶比别家贵', storeId: t.stores.b })
    t.clock.set('2026-02-10T02:00:00Z')
    await t.services.suggestions.create(t.actors.hq_admin, { category: 'prices', text: '鸡蛋涨价太快', storeId: t.stores.b })
    await t.services.suggestions.update(t.actors.hq_admin, jan.id, { status: 'adopted', changeNote: '牛奶每周三会员价' })
    t.clock.set('2026-03-02T02:00:00Z')
    const stats = await t.services.suggestions.stats(t.actors.hq_admin, { from: '2026-01-01', to: '2026-02-28', storeId: t.stores.b })
    expect(stats.months).toEqual([
      { month: '2026-01', category: 'prices', storeId: t.stores.b, storeName: expect.any(String), count: 1 },
      { month: '2026-02', category: 'prices', storeId: t.stores.b, storeName: expect.any(String), count: 1 },
    ])
    expect(stats).toMatchObject({ total: 2, byCategory: expect.arrayContaining([{ category: 'prices', count: 2, adopted: 1 }]) })
    expect(stats.adopted).toEqual([expect.objectContaining({ id: jan.id, changeNote: '牛奶每周三会员价' })])
    await expect(t.services.suggestions.stats(t.actors.service_agent, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    expect((await t.services.suggestions.stats(t.actors.serviceB, { from: '2026-01-01', to: '2026-02-28' })).total).toBe(2)
  })

  it("lists a member's suggestions and moves them in a merge", async () => {
    const [m1, m2] = [await t.given.member(), await t.given.member()]
    const s = await t.services.suggestions.create(t.actors.service_agent, { category: 'membership', text: '积分兑换商品太少', memberId: m1.id })
    expect(s).toMatchObject({ memberId: m1.id, memberCardNo: m1.cardNo })
    expect((await t.services.suggestions.memberSuggestions(t.actors.service_agent, m1.id)).items.map((x) => x.id)).toEqual([s.id])
    await expect(t.services.suggestions.create(t.actors.service_agent, { category: 'membership', text: 'x', memberId: 'mem_nope' })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    await t.services.members.merge(t.actors.hq_admin, m2.id, m1.id, '同一人')
    expect((await t.services.suggestions.memberSuggestions(t.actors.hq_admin, m2.id)).items.map((x) => x.id)).toEqual([s.id])
  })

  it('takes public suggestions by store code, a few per address an hour', async () => {
    const code = (await t.services.db.selectFrom('stores').select('code').where('id', '=', t.stores.a).executeTakeFirstOrThrow()).code
    for (let i = 0; i < 5; i++) {
      expect(await t.services.suggestions.submitPublic({ storeCode: code, category: 'other', text: `建议${i}`, ip: '203.0.113.9' })).toMatchObject({ status: 'received' })
    }
    await expect(t.services.suggestions.submitPublic({ storeCode: code, category: 'other', text: '再来一条', ip: '203.0.113.9' })).rejects.toMatchObject({ code: 'SUGGESTION_THROTTLED' })
    expect(await t.services.suggestions.submitPublic({ category: 'other', text: '别的地址', ip: '203.0.113.10' })).toMatchObject({ status: 'received' })
    t.clock.advance(61 * 60 * 1000)
    expect(await t.services.suggestions.submitPublic({ category: 'other', text: '一小时后', ip: '203.0.113.9' })).toMatchObject({ status: 'received' })
    t.clock.set('2026-03-02T02:00:00Z')
    await expect(t.services.suggestions.submitPublic({ storeCode: 'NOPE', category: 'other', text: 'x', ip: '203.0.113.11' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' })
  })
})

describe("a member's feedback as member data", () => {
  it('is exported with the member, and an erasure unlinks suggestions and answers and drops unanswered invitations', async () => {
    const m = await t.given.member()
    const s = await t.services.suggestions.create(t.actors.service_agent, { category: 'other', text: '希望增加休息座椅', memberId: m.id })
    const survey = await t.services.surveys.create(t.actors.hq_marketing, { title: '回访', questions: [{ id: 'csat', kind: 'rating', label: '满意度' }], triggers: ['after_complaint'] })
    await t.services.surveys.open(t.actors.hq_marketing, survey.id)
    await t.services.surveys.inviteFor('after_complaint', { memberId: m.id, storeId: t.stores.a, ref: 'tkt_md1', at: '2026-03-02T02:00:00.000Z' })
    await t.services.surveys.inviteFor('after_complaint', { memberId: m.id, storeId: t.stores.a, ref: 'tkt_md2', at: '2026-03-02T02:00:00.000Z' })
    const [first] = await t.services.surveys.internals.openInvitations(survey.id, 1)
    await t.services.surveys.respond(first!.token, { answers: [{ questionId: 'csat', value: 5 }] })
    const exported = await exportMemberData(t.services.db, t.services.memberData, m.id)
    expect(exported.feedback).toMatchObject({ suggestions: [{ id: s.id }], survey_invitations: [{}, {}], survey_responses: [{ survey_id: survey.id }] })
    await t.services.db.transaction().execute((trx) => eraseMemberData(trx, t.services.memberData, m.id, '2026-03-02T02:00:00.000Z'))
    const left = async (table: 'suggestions' | 'survey_invitations' | 'survey_responses' | 'survey_answers') =>
      Number((await t.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', m.id).executeTakeFirstOrThrow()).n)
    expect([await left('suggestions'), await left('survey_invitations'), await left('survey_responses'), await left('survey_answers')]).toEqual([0, 0, 0, 0])
    // The chain keeps the suggestion and the answer, naming nobody; the unanswered invitation is gone.
    expect(await t.services.suggestions.get(t.actors.hq_admin, s.id)).toMatchObject({ memberId: null, text: '希望增加休息座椅' })
    expect((await t.services.surveys.get(t.actors.hq_admin, survey.id))).toMatchObject({ responses: 1, invitations: 1 })
  })
})
