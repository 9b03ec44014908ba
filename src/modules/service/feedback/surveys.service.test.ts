import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { csatOf } from './survey-analysis.js'
import type { Answer, SurveyQuestion } from './survey-rules.js'

const context = useTestContext()
let t: TestContext
const START = '2026-03-02T02:00:00.000Z'
beforeAll(async () => { t = await context() })
afterEach(() => t.clock.set(START))

const QUESTIONS: SurveyQuestion[] = [
  { id: 'csat', kind: 'rating', label: '您对本次购物满意吗？', labelEn: 'How satisfied are you?', required: true },
  { id: 'nps', kind: 'nps', label: '您有多大可能向朋友推荐我们？', required: true },
  { id: 'areas', kind: 'matrix', label: '请为以下方面打分' },
  { id: 'visit', kind: 'single', label: '您多久来一次？', choices: [{ id: 'weekly', label: '每周' }, { id: 'monthly', label: '每月' }] },
  { id: 'likes', kind: 'multiple', label: '您喜欢哪些区域？', choices: [{ id: 'fresh', label: '生鲜' }, { id: 'bakery', label: '烘焙' }, { id: 'deli', label: '熟食' }] },
  { id: 'comment', kind: 'text', label: '还有什么建议？' },
]

const newSurvey = async (extra: object = {}) => {
  const s = await t.services.surveys.create(t.actors.hq_marketing, { title: '顾客满意度调查', questions: QUESTIONS, ...extra })
  return t.services.surveys.open(t.actors.hq_marketing, s.id)
}
const linkOf = async (surveyId: string, storeId: string | null) =>
  (await t.services.surveys.links(t.actors.hq_admin, surveyId)).find((l) => l.storeId === storeId)!.token
const answers = (csat: number, nps: number, more: Answer[] = []): Answer[] => [{ questionId: 'csat', value: csat }, { questionId: 'nps', value: nps }, ...more]
const count = async (table: 'survey_responses' | 'survey_answers' | 'survey_invitations', surveyId: string) =>
  Number((await t.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('survey_id', '=', surveyId).executeTakeFirstOrThrow()).n)

describe('building a survey', () => {
  it('fills a matrix with the four default areas and refuses duplicate ids, choiceless choices and a window that ends before it starts', async () => {
    const s = await t.services.surveys.create(t.actors.hq_marketing, { title: '调查', questions: QUESTIONS })
    expect(s).toMatchObject({ status: 'draft', allowAnonymous: true, triggers: [] })
    expect(s.questions.find((q) => q.id === 'areas')!.rows!.map((r) => r.label)).toEqual(['商品质量', '服务水平', '价格合理性', '购物环境'])
    await expect(t.services.surveys.create(t.actors.hq_marketing, { title: 'x', questions: [QUESTIONS[0]!, QUESTIONS[0]!] }))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'questions.1.id' }] })
    await expect(t.services.surveys.create(t.actors.hq_marketing, { title: 'x', questions: [{ id: 'q', kind: 'single', label: '选一个', choices: [{ id: 'a', label: 'A' }] }] }))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'questions.0.choices' }] })
    await expect(t.services.surveys.create(t.actors.hq_marketing, { title: 'x', questions: QUESTIONS, opensAt: '2026-04-01T00:00:00Z', closesAt: '2026-03-01T00:00:00Z' }))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'closesAt' }] })
    await expect(t.services.surveys.create(t.actors.service_agent, { title: 'x', questions: QUESTIONS })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('keeps the questions of an answered survey and deletes only an unused one', async () => {
    const s = await newSurvey()
    await t.services.surveys.respond(await linkOf(s.id, null), { answers: answers(5, 10) })
    await expect(t.services.surveys.update(t.actors.hq_marketing, s.id, { questions: QUESTIONS.slice(0, 2) })).rejects.toMatchObject({ code: 'SURVEY_ANSWERED' })
    expect(await t.services.surveys.update(t.actors.hq_marketing, s.id, { title: '新标题' })).toMatchObject({ title: '新标题', responses: 1 })
    await expect(t.services.surveys.remove(t.actors.hq_marketing, s.id)).rejects.toMatchObject({ code: 'SURVEY_ANSWERED' })
    const unused = await t.services.surveys.create(t.actors.hq_marketing, { title: '草稿', questions: QUESTIONS })
    await t.services.surveys.remove(t.actors.hq_marketing, unused.id)
    await expect(t.services.surveys.get(t.actors.hq_marketing, unused.id)).rejects.toMatchObject({ code: 'SURVEY_NOT_FOUND' })
  })
})

describe('answering', () => {
  it('gives one link for the chain and one per store; a store role sees its own and the chain link', async () => {
    const s = await newSurvey()
    const all = await t.services.surveys.links(t.actors.hq_admin, s.id)
    expect(all[0]).toMatchObject({ storeId: null })
    expect(all.map((l) => l.storeId)).toEqual(expect.arrayContaining([t.stores.a, t.stores.b]))
    // Asked again: the same tokens (the QR codes printed stay valid).
    expect(await t.services.surveys.links(t.actors.hq_admin, s.id)).toEqual(all)
    const mine = await t.services.surveys.links(t.actors.store_manager, s.id)
    expect(mine.map((l) => l.storeId)).toEqual([null, t.stores.a])
  })

  it('stores a valid response with its store and one row per answer (a row per choice and per matrix row)', async () => {
    const s = await newSurvey()
    const token = await linkOf(s.id, t.stores.a)
    const view = await t.services.surveys.publicSurvey(token)
    expect(view).toMatchObject({ surveyId: s.id, invitation: false, answered: false, storeName: expect.any(String) })
    const r = await t.services.surveys.respond(token, {
      answers: answers(4, 9, [
        { questionId: 'areas', rows: [{ rowId: 'quality', value: 5 }, { rowId: 'price', value: 3 }] },
        { questionId: 'likes', choiceIds: ['fresh', 'deli'] }, { questionId: 'visit', choiceId: 'weekly' }, { questionId: 'comment', text: '  生鲜很新鲜  ' },
      ]),
      responseKey: 'page-key-0001', language: 'en-US',
    })
    const rows = await t.services.db.selectFrom('survey_answers').selectAll().where('response_id', '=', r.id).orderBy('seq').execute()
    expect(rows.map((x) => [x.question_id, x.row_key, x.choice, x.value, x.text, x.store_id])).toEqual([
      ['csat', null, null, 4, null, t.stores.a], ['nps', null, null, 9, null, t.stores.a],
      ['areas', 'quality', null, 5, null, t.stores.a], ['areas', 'price', null, 3, null, t.stores.a],
      ['likes', null, 'fresh', null, null, t.stores.a], ['likes', null, 'deli', null, null, t.stores.a],
      ['visit', null, 'weekly', null, null, t.stores.a], ['comment', null, null, null, '生鲜很新鲜', t.stores.a],
    ])
  })

  it.each([
    ['an unknown question', [{ questionId: 'nope', value: 3 }], 'answers.2.questionId', 9],
    ['a rating of 6', [{ questionId: 'areas', rows: [{ rowId: 'quality', value: 6 }] }], 'answers.2.rows.0.value', 9],
    ['an NPS of 11', [], 'answers.1.value', 11],
    ['a choice that does not exist', [{ questionId: 'visit', choiceId: 'daily' }], 'answers.2.choiceId', 9],
    ['a text of 2,001 characters', [{ questionId: 'comment', text: '好'.repeat(2001) }], 'answers.2.text', 9],
    ['a rating given as a choice', [{ questionId: 'visit', value: 3 }], 'answers.2.value', 9],
  ] as Array<[string, Answer[], string, number]>)('refuses %s and stores nothing', async (_name, extra, field, nps) => {
    const s = await newSurvey()
    await expect(t.services.surveys.respond(await linkOf(s.id, null), { answers: answers(4, nps, extra) }))
      .rejects.toMatchObject({ code: 'SURVEY_ANSWERS_INVALID', details: expect.arrayContaining([expect.objectContaining({ field })]) })
    expect(await count('survey_responses', s.id)).toBe(0)
  })

  it('refuses a response missing a required question', async () => {
    const s = await newSurvey()
    await expect(t.services.surveys.respond(await linkOf(s.id, null), { answers: [{ questionId: 'csat', value: 5 }] }))
      .rejects.toMatchObject({ code: 'SURVEY_ANSWERS_INVALID', details: [{ field: 'answers.nps', reason: 'this question is required' }] })
  })

  it('stores a link response once per responseKey', async () => {
    const s = await newSurvey()
    const token = await linkOf(s.id, null)
    await t.services.surveys.respond(token, { answers: answers(5, 10), responseKey: 'same-key-123' })
    await expect(t.services.surveys.respond(token, { answers: answers(1, 0), responseKey: 'same-key-123' })).rejects.toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED' })
    // Without a key, a link takes answers from anyone (a shared poster).
    await t.services.surveys.respond(token, { answers: answers(3, 5) })
    expect(await count('survey_responses', s.id)).toBe(2)
    expect(await count('survey_answers', s.id)).toBe(4)
  })

  it('answers only inside the window and while open', async () => {
    const s = await newSurvey({ opensAt: '2026-03-05T00:00:00Z', closesAt: '2026-03-10T00:00:00Z' })
    const token = await linkOf(s.id, null)
    await expect(t.services.surveys.publicSurvey(token)).rejects.toMatchObject({ code: 'SURVEY_NOT_OPEN' })
    t.clock.set('2026-03-06T00:00:00Z')
    await t.services.surveys.respond(token, { answers: answers(5, 10) })
    t.clock.set('2026-03-10T00:00:00Z')
    await expect(t.services.surveys.respond(token, { answers: answers(5, 10) })).rejects.toMatchObject({ code: 'SURVEY_CLOSED', details: [{ field: 'token', reason: expect.stringContaining('closed at') }] })
    t.clock.set('2026-03-06T00:00:00Z')
    await t.services.surveys.close(t.actors.hq_marketing, s.id)
    await expect(t.services.surveys.respond(token, { answers: answers(5, 10) })).rejects.toMatchObject({ code: 'SURVEY_CLOSED' })
    expect(await count('survey_responses', s.id)).toBe(1)
    await expect(t.services.surveys.publicSurvey('unknown-token-1234')).rejects.toMatchObject({ code: 'SURVEY_LINK_NOT_FOUND' })
  })

  it('takes only invitations on a survey without anonymous answers', async () => {
    const s = await newSurvey({ allowAnonymous: false })
    await expect(t.services.surveys.respond(await linkOf(s.id, null), { answers: answers(5, 10) })).rejects.toMatchObject({ code: 'SURVEY_INVITATION_ONLY' })
  })
})

describe('invitations', () => {
  it("invites a segment's members once each, links their answer to them, and takes one answer per invitation", async () => {
    const women = [await t.given.member({ gender: 'female' }), await t.given.member({ gender: 'female' })]
    await t.given.member({ gender: 'male' })
    const seg = await t.services.segments.create(t.actors.analyst, { name: '女性会员', definition: { all: [{ field: 'gender', op: 'in', value: ['female'] }, { field: 'registration_store', op: 'in', value: [t.stores.a] }] } })
    const s = await newSurvey({ allowAnonymous: false })
    const first = await t.services.surveys.inviteSegment(t.actors.hq_marketing, s.id, { segmentId: seg.id })
    expect(first.invited).toBeGreaterThanOrEqual(2)
    expect(first).toMatchObject({ skipped: 0, sendStatus: 'pending_send' })
    // Run again: nobody is invited twice.
    expect(await t.services.surveys.inviteSegment(t.actors.hq_marketing, s.id, { segmentId: seg.id })).toMatchObject({ invited: 0, skipped: first.invited })
    const invitations = await t.services.db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', s.id).execute()
    expect(invitations.map((i) => i.member_id)).toEqual(expect.arrayContaining(women.map((w) => w.id)))
    const mine = invitations.find((i) => i.member_id === women[0]!.id)!
    expect(await t.services.surveys.publicSurvey(mine.token)).toMatchObject({ invitation: true, answered: false })
    await t.services.surveys.respond(mine.token, { answers: answers(2, 3) })
    await expect(t.services.surveys.respond(mine.token, { answers: answers(5, 10) })).rejects.toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED' })
    expect(await t.services.surveys.publicSurvey(mine.token)).toMatchObject({ answered: true })
    expect(await count('survey_responses', s.id)).toBe(1)
    expect(await t.services.surveys.invitationCounts(t.actors.hq_marketing, s.id)).toMatchObject({ total: first.invited, responded: 1, pendingSend: first.invited })
    const page = await t.services.surveys.memberResponses(t.actors.hq_admin, women[0]!.id)
    expect(page.items).toEqual([expect.objectContaining({ surveyId: s.id, csat: 2, nps: 3, answers: expect.arrayContaining([{ questionId: 'csat', label: '您对本次购物满意吗？', answer: '2/5' }]) })])
    await expect(t.services.surveys.inviteSegment(t.actors.hq_marketing, s.id, { segmentId: 'seg_nope' })).rejects.toMatchObject({ code: 'SEGMENT_NOT_FOUND' })
  })

  it('answers two concurrent posts of one invitation with one response', async () => {
    const m = await t.given.member()
    const s = await newSurvey({ triggers: ['after_complaint'] })
    await t.services.surveys.inviteFor('after_complaint', { memberId: m.id, storeId: t.stores.a, ref: 'tkt_race', at: START })
    const { token } = await t.services.db.selectFrom('survey_invitations').select('token').where('survey_id', '=', s.id).where('source_ref', '=', 'tkt_race').executeTakeFirstOrThrow()
    const results = await Promise.allSettled([t.services.surveys.respond(token, { answers: answers(5, 10) }), t.services.surveys.respond(token, { answers: answers(1, 0) })])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'SURVEY_ALREADY_ANSWERED' } })
    expect(await count('survey_responses', s.id)).toBe(1)
    expect(await count('survey_answers', s.id)).toBe(2)
  })

  it('invites the customer of a resolved complaint to the open surveys that follow one, once per ticket', async () => {
    const m = await t.given.member()
    const s = await newSurvey({ triggers: ['after_complaint'] })
    const other = await newSurvey()
    const publish = () => t.services.db.transaction().execute((trx) => t.services.outbox.publish(trx, 'ticket.resolved', { ticketId: 'tkt_1', memberId: m.id, storeId: t.stores.a, at: START }))
    await publish()
    await t.drainJobs()
    await publish()
    await t.drainJobs()
    const rows = await t.services.db.selectFrom('survey_invitations').selectAll().where('source_ref', '=', 'tkt_1').where('survey_id', 'in', [s.id, other.id]).execute()
    expect(rows.map((r) => [r.survey_id, r.member_id, r.store_id, r.source])).toEqual([[s.id, m.id, t.stores.a, 'after_complaint']])
    expect(await count('survey_invitations', other.id)).toBe(0)
  })

  it("invites a member after their first receipt only: the sale publishes 'member.firstPurchase' once", async () => {
    const s = await newSurvey({ triggers: ['after_first_purchase'] })
    const m = await t.given.member()
    await t.given.receipt({ member: { id: m.id } })
    await t.given.receipt({ member: { id: m.id } })
    await t.drainJobs()
    const rows = await t.services.db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', s.id).where('member_id', '=', m.id).execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ source: 'after_first_purchase', store_id: t.stores.a })
    const published = await t.services.db.selectFrom('job_queue').select('payload').where('name', '=', 'surveys.inviteAfterFirstPurchase').execute()
    expect(published.filter((j) => String(j.payload).includes(m.id))).toHaveLength(1)
  })
})

describe('results', () => {
  // A small deterministic generator: the same answers on both engines.
  let seed = 7
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }

  it('match a plain computation of CSAT, NPS, the distributions and the trend, by store', async () => {
    const s = await newSurvey()
    const tokens = { a: await linkOf(s.id, t.stores.a), b: await linkOf(s.id, t.stores.b) }
    const given: Array<{ store: 'a' | 'b'; date: string; csat: number; nps: number; visit: string | null; rows: Record<string, number> }> = []
    for (let i = 0; i < 60; i++) {
      const store = rand(3) === 0 ? 'b' : 'a'
      const day = 1 + rand(40)
      const at = new Date(Date.parse('2026-03-01T04:00:00Z') + day * 86_400_000)
      t.clock.set(at)
      const g = { store, date: at.toISOString().slice(0, 10), csat: 1 + rand(5), nps: rand(11), visit: rand(3) === 0 ? null : ['weekly', 'monthly'][rand(2)]!, rows: { quality: 1 + rand(5), service: 1 + rand(5) } } as const
      given.push({ ...g, rows: { ...g.rows } })
      await t.services.surveys.respond(tokens[store], { answers: answers(g.csat, g.nps, [
        { questionId: 'areas', rows: Object.entries(g.rows).map(([rowId, value]) => ({ rowId, value })) },
        ...(g.visit ? [{ questionId: 'visit', choiceId: g.visit }] : []),
        { questionId: 'comment', text: i % 2 ? '收银台排队时间太长，希望多开收银台' : '生鲜蔬菜很新鲜，收银员服务热情' },
      ]) })
    }
    t.clock.set('2026-04-20T00:00:00Z')
    const r = await t.services.surveys.results(t.actors.hq_admin, s.id, {})
    const plainCsat = (list: typeof given) => {
      const sat = list.filter((g) => g.csat >= 4).length
      return { answers: list.length, satisfied: sat, rate: Math.round((sat * 1000) / list.length) / 10, mean: Math.round((list.reduce((a, g) => a + g.csat, 0) * 100) / list.length) / 100 }
    }
    const plainNps = (list: typeof given) => {
      const p = list.filter((g) => g.nps >= 9).length
      const d = list.filter((g) => g.nps <= 6).length
      return { promoters: p, passives: list.length - p - d, detractors: d, score: Math.round(((p - d) * 1000) / list.length) / 10 }
    }
    expect(r.responses).toBe(60)
    expect(r.csat).toEqual(plainCsat(given))
    expect(r.nps).toMatchObject(plainNps(given))
    for (const key of ['a', 'b'] as const) {
      const mine = given.filter((g) => g.store === key)
      const row = r.byStore.find((x) => x.storeId === t.stores[key])!
      expect(row.responses).toBe(mine.length)
      expect(row.csat).toEqual(plainCsat(mine))
      expect(row.nps).toMatchObject(plainNps(mine))
    }
    const months = [...new Set(given.map((g) => g.date.slice(0, 7)))].sort()
    expect(r.trend.map((p) => p.period)).toEqual(months)
    for (const p of r.trend) expect(p.nps).toMatchObject(plainNps(given.filter((g) => g.date.startsWith(p.period))))
    const visit = r.questions.find((q) => q.questionId === 'visit')!
    const answeredVisit = given.filter((g) => g.visit)
    expect(visit.answered).toBe(answeredVisit.length)
    expect(visit.choices.map((c) => c.count)).toEqual(['weekly', 'monthly'].map((c) => given.filter((g) => g.visit === c).length))
    const areas = r.questions.find((q) => q.questionId === 'areas')!
    expect(areas.rows.find((x) => x.rowId === 'quality')).toMatchObject({ answered: 60, mean: Math.round((given.reduce((a, g) => a + g.rows.quality!, 0) * 100) / 60) / 100 })
    expect(areas.rows.find((x) => x.rowId === 'price')).toMatchObject({ answered: 0, mean: null })
    expect(r.questions.find((q) => q.questionId === 'csat')!.ratings.map((b) => b.count)).toEqual([1, 2, 3, 4, 5].map((v) => given.filter((g) => g.csat === v).length))
    expect(r.texts).toBe(60)
    expect(r.words.slice(0, 2).map((w) => w.word)).toEqual(expect.arrayContaining(['收银台']))
    expect(r.words.map((w) => w.word)).not.toContain('，')
    // A week's trend, a window and a store: the same plain computation on the same subset.
    const weekly = await t.services.surveys.results(t.actors.hq_admin, s.id, { period: 'week', from: '2026-03-10', to: '2026-03-31', storeId: t.stores.a })
    const subset = given.filter((g) => g.store === 'a' && g.date >= '2026-03-10' && g.date <= '2026-03-31')
    expect(weekly.responses).toBe(subset.length)
    expect(weekly.csat).toEqual(plainCsat(subset))
    expect(weekly.trend.every((p) => new Date(`${p.period}T00:00:00Z`).getUTCDay() === 1)).toBe(true)
    expect(weekly.trend.reduce((a, p) => a + p.responses, 0)).toBe(subset.length)
    // The store manager of A sees A only; asking for B is refused.
    const mine = await t.services.surveys.results(t.actors.store_manager, s.id, {})
    expect(mine.responses).toBe(given.filter((g) => g.store === 'a').length)
    await expect(t.services.surveys.results(t.actors.store_manager, s.id, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    // A region: its stores' answers; an unknown region is refused, not answered with nothing.
    const region = await t.services.org.createRegion(t.actors.hq_admin, { code: 'NORTH', name: '华北' })
    await t.services.org.updateStore(t.actors.hq_admin, t.stores.b, { regionId: region.id })
    expect((await t.services.surveys.results(t.actors.hq_admin, s.id, { regionId: region.id })).responses).toBe(given.filter((g) => g.store === 'b').length)
    await expect(t.services.surveys.results(t.actors.hq_admin, s.id, { regionId: 'reg_nope' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'regionId' }] })
    const texts = await t.services.surveys.texts(t.actors.hq_admin, s.id, { limit: 25 })
    expect(texts.items).toHaveLength(25)
    const next = await t.services.surveys.texts(t.actors.hq_admin, s.id, { limit: 50, cursor: texts.nextCursor! })
    expect(next.items).toHaveLength(35)
    expect(new Set([...texts.items, ...next.items].map((x) => x.responseId)).size).toBe(60)
    const file = await t.services.surveys.exportResults(t.actors.hq_admin, s.id, {})
    expect(file.bytes.subarray(0, 2).toString()).toBe('PK')
  })

  it('cross-tabs CSAT and NPS by tier and RFM class of the members who answered', async () => {
    const s = await newSurvey()
    const members = [await t.given.member(), await t.given.member()]
    await t.services.db.insertInto('survey_invitations').values(members.map((m, i) => ({
      id: `svi_test${i}${s.id.slice(-6)}`, survey_id: s.id, token: `tok-${i}-${s.id.slice(-12)}`, member_id: m.id, store_id: t.stores.a, source: 'segment' as const,
      source_ref: null, dedupe_key: `member:${m.id}`, send_status: 'pending_send' as const, created_by: null, created_at: START, responded_at: null,
    }))).execute()
    await t.services.surveys.respond(`tok-0-${s.id.slice(-12)}`, { answers: answers(5, 10) })
    await t.services.surveys.respond(`tok-1-${s.id.slice(-12)}`, { answers: answers(2, 4) })
    await t.services.surveys.respond(await linkOf(s.id, t.stores.a), { answers: answers(4, 8) })
    const r = await t.services.surveys.results(t.actors.hq_admin, s.id, {})
    // A plain computation: each answer under its member's tier now (none for the anonymous one).
    const tiers = new Map((await t.services.db.selectFrom('points_accounts').select(['member_id', 'tier_code']).where('member_id', 'in', members.map((m) => m.id)).execute())
      .map((a) => [a.member_id, a.tier_code]))
    const expected = new Map<string | null, number[]>()
    for (const [who, csat] of [[members[0]!.id, 5], [members[1]!.id, 2], [null, 4]] as const) {
      const key = who ? (tiers.get(who) ?? null) : null
      expected.set(key, [...(expected.get(key) ?? []), csat])
    }
    expect(r.byClass.tier.map((c) => [c.key, c.csat])).toEqual([...expected].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([key, values]) => [key, csatOf(values.map((value) => ({ value, count: 1 })))]))
    expect(r.byClass.rfm.reduce((a, c) => a + c.responses, 0)).toBe(3)
    expect(r.byClass.lifecycle.reduce((a, c) => a + c.nps.answers, 0)).toBe(3)
  })
})
