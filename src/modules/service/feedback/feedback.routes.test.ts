import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'cashier', 'service_agent', 'serviceB', 'store_manager']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
})
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const anyone = (options: InjectOptions) => t.app.inject(options)

const QUESTIONS = [
  { id: 'csat', kind: 'rating', label: '满意度', required: true },
  { id: 'nps', kind: 'nps', label: '推荐意愿', required: true },
  { id: 'areas', kind: 'matrix', label: '各方面' },
  { id: 'comment', kind: 'text', label: '建议' },
]
const openSurvey = async (extra: object = {}) => {
  const created = await as('hq_marketing', { method: 'POST', url: '/api/v1/surveys', payload: { title: '满意度调查', titleEn: 'Satisfaction', questions: QUESTIONS, ...extra } })
  expect(created.statusCode).toBe(201)
  const opened = await as('hq_marketing', { method: 'POST', url: `/api/v1/surveys/${created.json().id}/open` })
  expect(opened.json()).toMatchObject({ status: 'open' })
  const links = await as('hq_marketing', { method: 'GET', url: `/api/v1/surveys/${created.json().id}/links` })
  return { id: created.json().id as string, links: links.json() as Array<{ token: string; storeId: string | null; path: string }> }
}
const good = { answers: [{ questionId: 'csat', value: 5 }, { questionId: 'nps', value: 9 }] }

describe('survey routes', () => {
  it('needs a session for the console routes, and surveys.manage to build', async () => {
    expect((await anyone({ method: 'GET', url: '/api/v1/surveys' })).statusCode).toBe(401)
    expect((await as('analyst', { method: 'GET', url: '/api/v1/surveys' })).statusCode).toBe(200)
    expect((await as('service_agent', { method: 'POST', url: '/api/v1/surveys', payload: { title: 'x', questions: QUESTIONS } })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'GET', url: '/api/v1/surveys' })).statusCode).toBe(403)
    expect((await as('hq_marketing', { method: 'POST', url: '/api/v1/surveys', payload: { title: 'x', questions: [{ id: 'q', kind: 'stars', label: 'x' }] } })).statusCode).toBe(400)
  })

  it('serves the survey and takes one answer on the public page without a sign-in', async () => {
    const s = await openSurvey()
    const link = s.links.find((l) => l.storeId === t.stores.a)!
    expect(link.path).toBe(`/s/${link.token}`)
    const page = await anyone({ method: 'GET', url: `/api/v1/public/surveys/${link.token}` })
    expect(page.statusCode).toBe(200)
    expect(page.json()).toMatchObject({ title: '满意度调查', titleEn: 'Satisfaction', invitation: false, questions: expect.arrayContaining([expect.objectContaining({ id: 'areas', rows: expect.any(Array) })]) })
    const post = () => anyone({ method: 'POST', url: `/api/v1/public/surveys/${link.token}/responses`, payload: { ...good, responseKey: 'k-0123456789', language: 'zh-CN' } })
    expect((await post()).statusCode).toBe(201)
    const again = await post()
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED' })
    expect((await as('hq_admin', { method: 'GET', url: `/api/v1/surveys/${s.id}` })).json()).toMatchObject({ responses: 1 })
  })

  it("limits a store link's answers from one address to 30 a survey an hour", async () => {
    const s = await openSurvey()
    const other = await openSurvey()
    const tokenOf = (x: typeof s) => x.links.find((l) => l.storeId === t.stores.a)!.token
    const post = (x: typeof s, ip: string) => anyone({ method: 'POST', url: `/api/v1/public/surveys/${tokenOf(x)}/responses`, payload: good, remoteAddress: ip })
    t.clock.set('2026-03-02T02:00:00.000Z')
    for (let i = 0; i < 30; i++) expect((await post(s, '203.0.113.9')).statusCode).toBe(201)
    const throttled = await post(s, '203.0.113.9')
    expect(throttled.statusCode).toBe(429)
    expect(throttled.json().error.code).toBe('TOO_MANY_REQUESTS')
    expect(throttled.headers['retry-after']).toBeDefined()
    // Another address, or another survey from the same address, still answers; so does the address an hour later.
    expect((await post(s, '203.0.113.10')).statusCode).toBe(201)
    expect((await post(other, '203.0.113.9')).statusCode).toBe(201)
    t.clock.set('2026-03-02T03:00:01.000Z')
    expect((await post(s, '203.0.113.9')).statusCode).toBe(201)
    expect((await as('hq_admin', { method: 'GET', url: `/api/v1/surveys/${s.id}` })).json()).toMatchObject({ responses: 32 })
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it.each([
    ['an unknown question', { answers: [...good.answers, { questionId: 'ghost', value: 3 }] }, 422, 'SURVEY_ANSWERS_INVALID'],
    ['a rating of 7', { answers: [{ questionId: 'csat', value: 7 }, { questionId: 'nps', value: 9 }] }, 422, 'SURVEY_ANSWERS_INVALID'],
    ['an NPS of -1', { answers: [{ questionId: 'csat', value: 3 }, { questionId: 'nps', value: -1 }] }, 422, 'SURVEY_ANSWERS_INVALID'],
    ['a missing required answer', { answers: [{ questionId: 'csat', value: 3 }] }, 422, 'SURVEY_ANSWERS_INVALID'],
    ['a text of 2,001 characters', { answers: [...good.answers, { questionId: 'comment', text: 'a'.repeat(2001) }] }, 400, 'VALIDATION'],
    ['a field no answer has', { answers: [{ questionId: 'csat', value: 3, stars: 4 }] }, 400, 'VALIDATION'],
    ['no answers at all', { answers: [] }, 422, 'SURVEY_ANSWERS_INVALID'],
  ])('refuses %s with a clear 4xx and stores nothing', async (_name, payload, status, code) => {
    const s = await openSurvey()
    const res = await anyone({ method: 'POST', url: `/api/v1/public/surveys/${s.links[0]!.token}/responses`, payload })
    expect(res.statusCode).toBe(status)
    expect(res.json().error.code).toBe(code)
    expect((await as('hq_admin', { method: 'GET', url: `/api/v1/surveys/${s.id}` })).json()).toMatchObject({ responses: 0 })
  })

  it('refuses a 1 MB text before reading it (413), with the error shape', async () => {
    const s = await openSurvey()
    const res = await anyone({ method: 'POST', url: `/api/v1/public/surveys/${s.links[0]!.token}/responses`, payload: { answers: [...good.answers, { questionId: 'comment', text: '好'.repeat(1_000_000) }] } })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE')
    expect((await as('hq_admin', { method: 'GET', url: `/api/v1/surveys/${s.id}` })).json()).toMatchObject({ responses: 0 })
  })

  it('answers 404 for an unknown token, 400 for a malformed one, 422 once closed or outside the window', async () => {
    expect((await anyone({ method: 'GET', url: '/api/v1/public/surveys/AAAAAAAAAAAAAAAAAAAAAA' })).json().error.code).toBe('SURVEY_LINK_NOT_FOUND')
    expect((await anyone({ method: 'GET', url: '/api/v1/public/surveys/bad%20token!' })).statusCode).toBe(400)
    const s = await openSurvey()
    await as('hq_marketing', { method: 'POST', url: `/api/v1/surveys/${s.id}/close` })
    const closed = await anyone({ method: 'POST', url: `/api/v1/public/surveys/${s.links[0]!.token}/responses`, payload: good })
    expect(closed.statusCode).toBe(422)
    expect(closed.json().error.code).toBe('SURVEY_CLOSED')
    const later = await openSurvey({ opensAt: '2027-01-01T00:00:00Z' })
    expect((await anyone({ method: 'GET', url: `/api/v1/public/surveys/${later.links[0]!.token}` })).json().error.code).toBe('SURVEY_NOT_OPEN')
    const ended = await openSurvey({ closesAt: '2026-03-03T00:00:00Z' })
    t.clock.set('2026-03-04T00:00:00Z')
    const afterWindow = await anyone({ method: 'POST', url: `/api/v1/public/surveys/${ended.links[0]!.token}/responses`, payload: good })
    t.clock.set('2026-03-02T02:00:00.000Z')
    expect(afterWindow.statusCode).toBe(422)
    expect(afterWindow.json().error.code).toBe('SURVEY_CLOSED')
  })

  it('gives results to readers, scoped to a store role’s store, and an xlsx export', async () => {
    const s = await openSurvey()
    for (const l of s.links.filter((x) => x.storeId)) {
      await anyone({ method: 'POST', url: `/api/v1/public/surveys/${l.token}/responses`, payload: { answers: [{ questionId: 'csat', value: 4 }, { questionId: 'nps', value: 10 }, { questionId: 'comment', text: '服务很好，收银很快' }] } })
    }
    const all = await as('analyst', { method: 'GET', url: `/api/v1/surveys/${s.id}/results?period=week` })
    expect(all.statusCode).toBe(200)
    expect(all.json()).toMatchObject({ csat: { rate: 100 }, nps: { score: 100 }, period: 'week' })
    expect((await as('store_manager', { method: 'GET', url: `/api/v1/surveys/${s.id}/results` })).json().byStore.map((b: { storeId: string }) => b.storeId)).toEqual([t.stores.a])
    expect((await as('store_manager', { method: 'GET', url: `/api/v1/surveys/${s.id}/results?storeId=${t.stores.b}` })).statusCode).toBe(403)
    expect((await as('analyst', { method: 'GET', url: `/api/v1/surveys/${s.id}/results?from=2026-13-01` })).statusCode).toBe(400)
    const texts = await as('analyst', { method: 'GET', url: `/api/v1/surveys/${s.id}/results/texts?limit=1` })
    expect(texts.json()).toMatchObject({ items: [{ text: '服务很好，收银很快' }], nextCursor: expect.any(String) })
    expect((await as('analyst', { method: 'GET', url: `/api/v1/surveys/${s.id}/results/texts?cursor=junk` })).statusCode).toBe(422)
    const xlsx = await as('analyst', { method: 'GET', url: `/api/v1/surveys/${s.id}/results/export.xlsx` })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK')
    expect((await as('analyst', { method: 'GET', url: '/api/v1/surveys/svy_nope/results' })).statusCode).toBe(404)
  })

  it('records segment invitations as pending send and counts them', async () => {
    await t.given.member({ gender: 'female' })
    const seg = await t.services.segments.create(t.actors.analyst, { name: '女性', definition: { field: 'gender', op: 'in', value: ['female'] } })
    const s = await openSurvey()
    const res = await as('hq_marketing', { method: 'POST', url: `/api/v1/surveys/${s.id}/invitations`, payload: { segmentId: seg.id } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ sendStatus: 'pending_send', invited: expect.any(Number) })
    const counts = await as('analyst', { method: 'GET', url: `/api/v1/surveys/${s.id}/invitations` })
    expect(counts.json()).toMatchObject({ total: res.json().invited, responded: 0, pendingSend: res.json().invited, bySource: [{ source: 'segment' }] })
    expect((await as('analyst', { method: 'POST', url: `/api/v1/surveys/${s.id}/invitations`, payload: { segmentId: seg.id } })).statusCode).toBe(403)
  })
})

describe('suggestion routes', () => {
  it('takes a suggestion at the desk and lets the handler adopt it with a note', async () => {
    const created = await as('service_agent', { method: 'POST', url: '/api/v1/suggestions', payload: { category: 'service', text: '希望延长营业时间' } })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    expect((await as('cashier', { method: 'PATCH', url: `/api/v1/suggestions/${id}`, payload: { status: 'under_review' } })).statusCode).toBe(403)
    const noNote = await as('service_agent', { method: 'PATCH', url: `/api/v1/suggestions/${id}`, payload: { status: 'adopted' } })
    expect(noNote.statusCode).toBe(422)
    expect(noNote.json().error).toMatchObject({ code: 'SUGGESTION_INCOMPLETE', details: [{ field: 'changeNote' }] })
    const ok = await as('service_agent', { method: 'PATCH', url: `/api/v1/suggestions/${id}`, payload: { status: 'adopted', changeNote: '周末营业至22点' } })
    expect(ok.json()).toMatchObject({ status: 'adopted', changeNote: '周末营业至22点' })
    expect((await as('serviceB', { method: 'GET', url: `/api/v1/suggestions/${id}` })).statusCode).toBe(403)
    expect((await as('serviceB', { method: 'GET', url: `/api/v1/suggestions?storeId=${t.stores.a}` })).statusCode).toBe(403)
    const stats = await as('hq_admin', { method: 'GET', url: '/api/v1/suggestions/stats' })
    expect(stats.json().adopted).toEqual(expect.arrayContaining([expect.objectContaining({ id, changeNote: '周末营业至22点' })]))
    expect((await as('service_agent', { method: 'POST', url: '/api/v1/suggestions', payload: { category: 'service', text: 'x'.repeat(2001) } })).statusCode).toBe(400)
    expect((await as('service_agent', { method: 'POST', url: '/api/v1/suggestions', payload: { category: 'junk', text: 'x' } })).statusCode).toBe(400)
  })

  it('takes public suggestions without a sign-in, bounded in size and per address', async () => {
    const post = (payload: object, ip = '198.51.100.7') => anyone({ method: 'POST', url: '/api/v1/public/suggestions', payload, remoteAddress: ip })
    const first = await post({ category: 'environment', text: '厕所需要更干净' })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ number: expect.stringMatching(/^S/), status: 'received' })
    expect((await post({ category: 'environment', text: '好'.repeat(1_000_000) })).statusCode).toBe(413)
    for (let i = 0; i < 4; i++) expect((await post({ category: 'other', text: `第${i}条` })).statusCode).toBe(201)
    const throttled = await post({ category: 'other', text: '太多了' })
    expect(throttled.statusCode).toBe(429)
    expect(throttled.json().error.code).toBe('SUGGESTION_THROTTLED')
    expect(throttled.headers['retry-after']).toBeDefined()
    expect((await post({ category: 'other', text: '另一个地址' }, '198.51.100.8')).statusCode).toBe(201)
  })

  it("lists a member's suggestions and survey answers for the member page", async () => {
    const m = await t.given.member()
    await as('service_agent', { method: 'POST', url: '/api/v1/suggestions', payload: { category: 'membership', text: '生日积分翻倍', memberId: m.id } })
    const list = await as('service_agent', { method: 'GET', url: `/api/v1/members/${m.id}/suggestions` })
    expect(list.json()).toMatchObject({ items: [{ memberId: m.id, text: '生日积分翻倍' }], nextCursor: null })
    expect((await as('service_agent', { method: 'GET', url: `/api/v1/members/${m.id}/survey-responses` })).json()).toEqual({ items: [], nextCursor: null })
    expect((await as('service_agent', { method: 'GET', url: '/api/v1/members/mem_nope/suggestions' })).statusCode).toBe(404)
  })
})
