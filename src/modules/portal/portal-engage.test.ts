import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { newId } from '../../shared/ids.js'

/**
 * The member's page's feedback, surveys and events (issue 17 §2): a complaint with photos and a
 * suggestion reach the desk as the member page's and come back with the desk's replies (never its
 * notes); the surveys open to the member are answered once; events are registered for and
 * cancelled within their capacity. Always the session's member's: another member's complaint or
 * photo is as unknown as none, a staff cookie opens none of it and a member's cookie no staff route.
 */
const context = useTestContext()
let t: TestContext
let alice: { id: string; cookie: string }
let bob: { id: string; cookie: string }

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 7)])
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
const CATEGORY = 'scg_default01'

/** Signs a member in with the code of the text the sandbox's message log holds. */
const signIn = async (phone: string) => {
  const m = await t.given.member({ phone })
  t.clock.advance(61_000)
  await t.services.portalAuth.requestCode({ phone, ip: null })
  const sms = await t.services.db.selectFrom('messages').select('body').where('channel', '=', 'sms').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  const { token } = await t.services.portalAuth.login({ phone, code: /(\d{6})/.exec(sms.body)![1]!, ip: null, userAgent: null })
  return { id: m.id, cookie: `patron_member=${token}` }
}

const as = (who: { cookie: string }, options: InjectOptions) => t.app.inject({ ...options, url: `/api/v1${options.url as string}`, headers: { ...options.headers, cookie: who.cookie } })
const complain = (who: { cookie: string }, payload: object) => as(who, { method: 'POST', url: '/me/complaints', payload })
const count = async (table: 'tickets' | 'ticket_photos' | 'suggestions' | 'survey_responses' | 'event_registrations') =>
  Number((await t.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

beforeAll(async () => {
  t = await context()
  alice = await signIn('13766660001')
  bob = await signIn('13766660002')
})

describe('complaints and suggestions on the member page', () => {
  it('offers the desk\'s categories and the open stores', async () => {
    const res = await as(alice, { method: 'GET', url: '/me/feedback/options' })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json() as { complaintCategories: Array<{ id: string; name: string }>; stores: Array<{ code: string; name: string }> }
    expect(body.complaintCategories).toContainEqual({ id: CATEGORY, parentId: null, name: '商品质量', nameEn: 'Product quality' })
    expect(body.stores).toEqual(expect.arrayContaining([{ code: 'SHA01', name: '上海浦东店' }, { code: 'BJB01', name: '北京朝阳店' }]))
  })

  it('files a complaint with photos that the desk sees as the member page\'s, and shows the member the replies but not the notes', async () => {
    const res = await complain(alice, {
      categoryId: CATEGORY, text: ' 买的牛奶过期了 ', preferredContact: 'sms',
      photos: [{ data: PNG.toString('base64') }, { data: `data:image/jpeg;base64,${JPEG.toString('base64')}` }],
    })
    expect(res.statusCode, res.body).toBe(201)
    const mine = res.json() as { id: string; number: string; kind: string; status: string; text: string; storeName: string; photos: Array<{ id: string; contentType: string; size: number }>; replies: unknown[] }
    expect(mine).toMatchObject({ kind: 'complaint', status: 'new', text: '买的牛奶过期了', storeName: '上海浦东店', categoryName: '商品质量', suggestionCategory: null, replies: [] })
    expect(mine.number).toMatch(/^TS-\d{8}-\d{4}$/)
    expect(mine.photos.map((p) => [p.contentType, p.size])).toEqual([['image/png', PNG.length], ['image/jpeg', JPEG.length]])

    // The desk's view: the member's, through the member page, photos and all.
    const ticket = await t.services.tickets.get(t.actors.service_agent, mine.id)
    expect(ticket).toMatchObject({ memberId: alice.id, channel: 'member_page', kind: 'complaint', preferredContact: 'sms', storeId: t.stores.a, photoCount: 2, createdBy: 'member page' })
    expect(ticket.timeline.filter((e) => e.kind === 'photo')).toHaveLength(2)
    const staff = await t.login(t.users.service_agent!.username)
    const staffPhoto = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}/photos/${mine.photos[0]!.id}`, headers: { cookie: staff } })
    expect(staffPhoto.statusCode).toBe(200)
    expect(staffPhoto.rawPayload.equals(PNG)).toBe(true)

    // The member reads their photos back.
    const photo = await as(alice, { method: 'GET', url: `/me/complaints/${mine.id}/photos/${mine.photos[1]!.id}` })
    expect(photo.statusCode).toBe(200)
    expect(photo.headers['content-type']).toBe('image/jpeg')
    expect(photo.rawPayload.equals(JPEG)).toBe(true)

    // A note stays the desk's; a reply is the member's to read.
    await t.services.tickets.note(t.actors.service_agent, mine.id, { body: '内部：供应商批次问题' })
    await t.services.tickets.reply(t.actors.service_agent, mine.id, { body: '非常抱歉，已为您安排退款', channel: 'phone' })
    const list = (await as(alice, { method: 'GET', url: '/me/feedback' })).json() as { items: Array<{ id: string; replies: Array<{ body: string; channel: string }> }> }
    const again = list.items.find((i) => i.id === mine.id)!
    expect(again.replies).toEqual([{ body: '非常抱歉，已为您安排退款', channel: 'phone', at: t.clock.now().toISOString() }])
    expect(JSON.stringify(list)).not.toContain('内部')
  })

  it('takes a suggestion about a store, and shows the desk\'s reply and decision', async () => {
    const res = await as(alice, { method: 'POST', url: '/me/suggestions', payload: { text: '希望增加自助收银台', storeCode: 'BJB01', category: 'service' } })
    expect(res.statusCode, res.body).toBe(201)
    const mine = res.json() as { id: string; number: string }
    expect(res.json()).toMatchObject({ kind: 'suggestion', status: 'received', suggestionCategory: 'service', storeName: '北京朝阳店', replies: [], photos: [] })
    const desk = await t.services.suggestions.get(t.actors.hq_admin, mine.id)
    expect(desk).toMatchObject({ memberId: alice.id, channel: 'member_page', storeId: t.stores.b, number: mine.number })
    await t.services.suggestions.update(t.actors.hq_admin, mine.id, { status: 'declined', reply: '门店面积有限，暂不增加', changeNote: '内部备注' })
    const item = ((await as(alice, { method: 'GET', url: '/me/feedback' })).json() as { items: Array<{ id: string }> }).items.find((i) => i.id === mine.id)
    expect(item).toMatchObject({ status: 'declined', replies: [{ body: '门店面积有限，暂不增加', channel: null }], decidedAt: expect.any(String) })
    expect(JSON.stringify(item)).not.toContain('内部备注')
  })

  it('lists complaints and suggestions newest first, a page at a time without losing or repeating any', async () => {
    for (const text of ['第一条意见', '第二条意见']) expect((await as(alice, { method: 'POST', url: '/me/suggestions', payload: { text } })).statusCode).toBe(201)
    expect((await complain(alice, { categoryId: CATEGORY, text: '收银员态度不好' })).statusCode).toBe(201)
    const all = ((await as(alice, { method: 'GET', url: '/me/feedback?limit=100' })).json() as { items: Array<{ id: string; text: string; createdAt: string }> }).items
    expect(all.map((i) => i.text).slice(0, 3)).toEqual(['收银员态度不好', '第二条意见', '第一条意见'])
    const paged: string[] = []
    let cursor: string | null = null
    do {
      const page = (await as(alice, { method: 'GET', url: `/me/feedback?limit=2${cursor ? `&cursor=${cursor}` : ''}` })).json() as { items: Array<{ id: string }>; nextCursor: string | null }
      paged.push(...page.items.map((i) => i.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(paged).toEqual(all.map((i) => i.id))
    expect((await as(alice, { method: 'GET', url: '/me/feedback?cursor=x' })).statusCode).toBe(400)
  })

  it('never shows another member\'s complaint or photo', async () => {
    const mine = (await complain(alice, { categoryId: CATEGORY, text: '面包发霉', photos: [{ data: PNG.toString('base64') }] })).json() as { id: string; photos: Array<{ id: string }> }
    const theirs = (await as(bob, { method: 'GET', url: '/me/feedback' })).json() as { items: unknown[] }
    expect(theirs.items).toEqual([])
    const photo = await as(bob, { method: 'GET', url: `/me/complaints/${mine.id}/photos/${mine.photos[0]!.id}` })
    expect(photo.statusCode).toBe(404)
    expect(photo.json().error.code).toBe('TICKET_NOT_FOUND')
    expect((await as(alice, { method: 'GET', url: `/me/complaints/${mine.id}/photos/tph_nothing` })).json().error.code).toBe('TICKET_PHOTO_NOT_FOUND')
    // A member id is no field of the form: the session says whose complaint it is.
    const forged = await complain(bob, { categoryId: CATEGORY, text: '替别人投诉', memberId: alice.id })
    expect(forged.statusCode).toBe(400)
    expect(forged.json().error.details).toContainEqual({ field: 'memberId', reason: 'is not a known field' })
  })

  it('refuses bad input with the field and the reason, and stores nothing of it', async () => {
    const before = { tickets: await count('tickets'), photos: await count('ticket_photos'), suggestions: await count('suggestions') }
    const cases: Array<[object, number, string, { field: string; reason?: string }]> = [
      [{ categoryId: CATEGORY }, 400, 'VALIDATION', { field: 'text', reason: 'is required' }],
      [{ categoryId: CATEGORY, text: ' 坏 ' }, 422, 'VALIDATION', { field: 'text', reason: 'say what happened, in 2 to 2000 characters' }],
      [{ categoryId: 'scg_nothing', text: '商品有问题' }, 422, 'SERVICE_CATEGORY_NOT_FOUND', { field: 'categoryId' }],
      [{ categoryId: CATEGORY, text: '商品有问题', storeCode: 'NOPE' }, 422, 'STORE_NOT_FOUND', { field: 'storeCode', reason: 'no such store' }],
      [{ categoryId: CATEGORY, text: '商品有问题', photos: [{ data: PNG.toString('base64') }, { data: GIF.toString('base64') }] }, 415, 'COMPLAINT_PHOTO_TYPE', { field: 'photos.1', reason: 'not a JPEG, PNG or WebP image (it is image/gif)' }],
      [{ categoryId: CATEGORY, text: '商品有问题', photos: [{ data: Buffer.from('just some text').toString('base64') }] }, 415, 'COMPLAINT_PHOTO_TYPE', { field: 'photos.0' }],
      [{ categoryId: CATEGORY, text: '商品有问题', photos: [{ data: '%%%not base64%%%' }] }, 415, 'COMPLAINT_PHOTO_TYPE', { field: 'photos.0', reason: 'not a base64 image' }],
      [{ categoryId: CATEGORY, text: '商品有问题', photos: [{ data: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]).toString('base64') }] }, 413, 'COMPLAINT_PHOTO_TOO_LARGE', { field: 'photos.0' }],
      [{ categoryId: CATEGORY, text: '商品有问题', photos: Array.from({ length: 4 }, () => ({ data: PNG.toString('base64') })) }, 400, 'VALIDATION', { field: 'photos' }],
      [{ categoryId: CATEGORY, text: '商品有问题', preferredContact: 'fax' }, 400, 'VALIDATION', { field: 'preferredContact' }],
    ]
    for (const [payload, status, code, detail] of cases) {
      const res = await complain(alice, payload)
      expect(res.statusCode, JSON.stringify(payload).slice(0, 200)).toBe(status)
      expect(res.json().error.code).toBe(code)
      expect(res.json().error.details).toContainEqual(expect.objectContaining(detail))
    }
    const suggestion = async (payload: object) => (await as(alice, { method: 'POST', url: '/me/suggestions', payload })).json().error
    expect(await suggestion({ text: '   ' })).toMatchObject({ code: 'VALIDATION', details: [{ field: 'text', reason: 'empty' }] })
    expect(await suggestion({ text: '好', category: 'fun' })).toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field: 'category' })] })
    expect(await suggestion({ text: '好', storeCode: 'NOPE' })).toMatchObject({ code: 'STORE_NOT_FOUND', details: [{ field: 'storeCode', reason: 'no such store' }] })
    expect({ tickets: await count('tickets'), photos: await count('ticket_photos'), suggestions: await count('suggestions') }).toEqual(before)
  })
})

const QUESTIONS = [
  { id: 'csat', kind: 'rating' as const, label: '您满意吗？', required: true },
  { id: 'visit', kind: 'single' as const, label: '您多久来一次？', choices: [{ id: 'weekly', label: '每周' }, { id: 'monthly', label: '每月' }] },
  { id: 'comment', kind: 'text' as const, label: '还有什么建议？' },
]
const survey = async (input: { title: string; allowAnonymous?: boolean; triggers?: Array<'after_complaint' | 'after_first_purchase'>; open?: boolean; closesAt?: string }) => {
  const { open = true, ...fields } = input
  const s = await t.services.surveys.create(t.actors.hq_marketing, { questions: QUESTIONS, ...fields })
  return open ? t.services.surveys.open(t.actors.hq_marketing, s.id) : s
}
const answer = (who: { cookie: string }, surveyId: string, answers: object[]) => as(who, { method: 'POST', url: `/me/surveys/${surveyId}/answers`, payload: { answers } })

describe('surveys on the member page', () => {
  it('lists the invitations and the surveys open to anyone, answers each once, and not a survey meant for others', async () => {
    const forAll = await survey({ title: '门店满意度' })
    const invited = await survey({ title: '投诉处理回访', allowAnonymous: false, triggers: ['after_complaint'] })
    const firstPurchase = await survey({ title: '首购体验', triggers: ['after_first_purchase'] })
    const draft = await survey({ title: '草稿', open: false })
    await t.services.surveys.inviteFor('after_complaint', { memberId: alice.id, storeId: t.stores.a, ref: 'tkt_for_survey', at: t.clock.now().toISOString() })
    const listOf = async (who: { cookie: string }) => ((await as(who, { method: 'GET', url: '/me/surveys' })).json() as Array<{ surveyId: string; invited: boolean; questions: unknown[] }>)
    const aliceSees = await listOf(alice)
    expect(aliceSees.map((s) => [s.surveyId, s.invited])).toEqual([[invited.id, true], [forAll.id, false]])
    expect(aliceSees[0]!.questions).toHaveLength(3)
    expect((await listOf(bob)).map((s) => s.surveyId)).toEqual([forAll.id])

    const first = await answer(alice, forAll.id, [{ questionId: 'csat', value: 5 }, { questionId: 'visit', choiceId: 'weekly' }])
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toEqual({ id: expect.any(String), submittedAt: t.clock.now().toISOString() })
    const again = await answer(alice, forAll.id, [{ questionId: 'csat', value: 4 }])
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED', details: [{ field: 'surveyId' }] })

    const byInvitation = await answer(alice, invited.id, [{ questionId: 'csat', value: 2 }, { questionId: 'comment', text: '处理太慢' }])
    expect(byInvitation.statusCode, byInvitation.body).toBe(201)
    const stored = await t.services.db.selectFrom('survey_responses').select(['survey_id', 'member_id', 'store_id', 'invitation_id']).where('member_id', '=', alice.id).orderBy('id').execute()
    expect(stored.map((r) => [r.survey_id, r.store_id, r.invitation_id !== null])).toEqual([[forAll.id, null, false], [invited.id, t.stores.a, true]])
    expect((await answer(alice, invited.id, [{ questionId: 'csat', value: 3 }])).json().error.code).toBe('SURVEY_ALREADY_ANSWERED')
    expect(await listOf(alice)).toEqual([])

    // Not invited, not open to anyone, or a trigger's: not the member's to answer.
    for (const id of [invited.id, firstPurchase.id, draft.id, 'svy_nothing']) {
      const res = await answer(bob, id, [{ questionId: 'csat', value: 5 }])
      expect(res.statusCode, id).toBe(404)
      expect(res.json().error).toMatchObject({ code: 'SURVEY_NOT_FOUND', details: [{ field: 'surveyId' }] })
    }
  })

  it('checks every answer against its question, names the field and the reason, and stores nothing of a refused one', async () => {
    const s = await survey({ title: '购物体验' })
    const before = await count('survey_responses')
    const cases: Array<[object[], string, string]> = [
      [[{ questionId: 'csat', value: 9 }], 'answers.0.value', 'from 1 to 5'],
      [[{ questionId: 'visit', choiceId: 'daily' }], 'answers.0.choiceId', 'no choice daily'],
      [[{ questionId: 'csat', choiceId: 'weekly' }], 'answers.0.choiceId', 'a rating question is answered with value'],
      [[{ questionId: 'nope', value: 3 }], 'answers.0.questionId', 'no question nope in this survey'],
      [[{ questionId: 'comment', text: '只写建议' }], 'answers.csat', 'this question is required'],
    ]
    for (const [answers, field, reason] of cases) {
      const res = await answer(bob, s.id, answers)
      expect(res.statusCode, field).toBe(422)
      expect(res.json().error.code).toBe('SURVEY_ANSWERS_INVALID')
      expect(res.json().error.details).toContainEqual({ field, reason })
    }
    const typed = await answer(bob, s.id, [{ questionId: 'csat', value: 'five' }])
    expect(typed.statusCode).toBe(400)
    expect(typed.json().error.details).toContainEqual(expect.objectContaining({ field: 'answers.0.value' }))
    expect(await count('survey_responses')).toBe(before)
  })

  it('refuses a survey that has closed or not opened, and takes one of two answers sent at once', async () => {
    const closed = await survey({ title: '已结束' })
    await t.services.surveys.close(t.actors.hq_marketing, closed.id)
    expect((await answer(bob, closed.id, [{ questionId: 'csat', value: 5 }])).json().error).toMatchObject({ code: 'SURVEY_CLOSED', details: [{ field: 'surveyId' }] })
    const ending = await survey({ title: '限时', closesAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() })
    t.clock.advance(2 * 3_600_000)
    const late = await answer(bob, ending.id, [{ questionId: 'csat', value: 5 }])
    expect(late.statusCode).toBe(409)
    expect(late.json().error.code).toBe('SURVEY_CLOSED')

    const race = await survey({ title: '并发' })
    const both = await Promise.all([answer(bob, race.id, [{ questionId: 'csat', value: 5 }]), answer(bob, race.id, [{ questionId: 'csat', value: 4 }])])
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(await t.services.db.selectFrom('survey_responses').select('id').where('survey_id', '=', race.id).execute()).toHaveLength(1)
  })

  it("keeps an erased member's answer for the figures, naming nobody", async () => {
    const carol = await signIn('13766660003')
    const s = await survey({ title: '注销前' })
    const { id } = (await answer(carol, s.id, [{ questionId: 'csat', value: 4 }])).json() as { id: string }
    await t.services.privacy.updateSettings(t.actors.hq_admin, { coolingOffDays: 0 })
    await t.services.privacy.requestErasure(t.actors.hq_admin, carol.id, {})
    const row = await t.services.db.selectFrom('survey_responses').select(['member_id', 'response_key']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ member_id: null, response_key: null })
  })
})

describe('member events on the member page', () => {
  const hq = () => t.actors.hq_marketing
  const startsIn = (hours: number) => new Date(t.clock.now().getTime() + hours * 3_600_000).toISOString()
  const event = async (input: { title: string; capacity?: number; campaignId?: string; open?: boolean; hours?: number }) => {
    const { open = true, hours = 4, ...fields } = input
    const e = await t.services.memberEvents.create(hq(), { kind: 'talk', storeId: t.stores.a, startsAt: startsIn(hours), endsAt: startsIn(hours + 2), capacity: 1, ...fields })
    return open ? t.services.memberEvents.open(hq(), e.id) : e
  }
  const register = (who: { cookie: string }, id: string) => as(who, { method: 'POST', url: `/me/events/${id}/registration` })
  const cancel = (who: { cookie: string }, id: string) => as(who, { method: 'DELETE', url: `/me/events/${id}/registration` })
  const eventsOf = async (who: { cookie: string }) => (await as(who, { method: 'GET', url: '/me/events' })).json() as Array<{ id: string; invited: boolean; registration: unknown; canRegister: boolean }>

  it('registers within the capacity, refuses a full event and a second registration, and a cancellation frees the seat', async () => {
    const talk = await event({ title: '营养讲座', capacity: 1 })
    const listed = (await eventsOf(alice)).find((e) => e.id === talk.id)
    expect(listed).toMatchObject({ title: '营养讲座', storeName: '上海浦东店', status: 'open', capacity: 1, seatsLeft: 1, invited: false, registration: null, canRegister: true, canCancel: false })

    const mine = await register(alice, talk.id)
    expect(mine.statusCode, mine.body).toBe(201)
    expect(mine.json()).toMatchObject({ id: talk.id, seatsLeft: 0, registration: { status: 'registered', channel: 'member_page' }, canRegister: false, canCancel: true })
    const twice = await register(alice, talk.id)
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error).toMatchObject({ code: 'EVENT_ALREADY_REGISTERED', details: [{ field: 'eventId' }] })
    const full = await register(bob, talk.id)
    expect(full.statusCode).toBe(409)
    expect(full.json().error).toMatchObject({ code: 'EVENT_FULL', details: [{ field: 'capacity', reason: 'all 1 seats are taken' }] })
    expect((await eventsOf(bob)).find((e) => e.id === talk.id)).toMatchObject({ seatsLeft: 0, canRegister: false })

    const cancelled = await cancel(alice, talk.id)
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expect(cancelled.json()).toMatchObject({ seatsLeft: 1, registration: { status: 'cancelled', cancelledAt: expect.any(String) }, canRegister: true, canCancel: false })
    expect((await cancel(alice, talk.id)).json().error).toMatchObject({ code: 'EVENT_NOT_REGISTERED', details: [{ field: 'eventId' }] })
    expect((await register(bob, talk.id)).statusCode).toBe(201)
    const desk = await t.services.memberEvents.registrations(hq(), talk.id)
    expect(desk.items.map((r) => [r.memberId, r.status, r.channel])).toEqual([[alice.id, 'cancelled', 'member_page'], [bob.id, 'registered', 'member_page']])
  })

  it('gives the last seat to one of two members asking at once', async () => {
    const talk = await event({ title: '烘焙课', capacity: 1 })
    const both = await Promise.all([register(alice, talk.id), register(bob, talk.id)])
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(both.find((r) => r.statusCode === 409)!.json().error.code).toBe('EVENT_FULL')
    expect((await t.services.memberEvents.get(hq(), talk.id)).seatsTaken).toBe(1)
  })

  it('shows the member their invitations, hides drafts, and refuses a closed, ended or unknown event', async () => {
    // An invitation campaign that sent to Alice (written as its run left it).
    const campaignId = newId('cmp')
    const runId = newId('crn')
    const at = t.clock.now().toISOString()
    const db = t.services.db
    await db.insertInto('campaigns').values({
      id: campaignId, name: `讲座邀请${campaignId}`, description: null, status: 'completed', segment_id: 'seg_x', audience_mode: 'dynamic', snapshot_id: null,
      exclude_segment_ids: '[]', channels: '["sms"]', template_ids: '{}', coupon_template_id: null, schedule_kind: 'now', send_at: null, recurrence: null, repeat_until: null,
      rate_per_minute: 1000, holdout_pct: 0, attribution_days: 14, version: 1, created_by: null, created_at: at, updated_by: null, updated_at: at, submitted_by: null,
      approved_by: null, approved_at: null, next_run_at: null,
    }).execute()
    await db.insertInto('campaign_runs').values({ id: runId, campaign_id: campaignId, due_at: at, status: 'done', started_at: at, prepared_at: at, finished_at: at, audience: 1, excluded: 0, no_consent: 0, chain_holdout: 0, holdout: 0, targets: 1, error: null }).execute()
    await db.insertInto('campaign_recipients').values({ run_id: runId, member_id: alice.id, grp: 'target', status: 'sent', channel: 'sms', reason: null, message_id: null, coupon_id: null, updated_at: at }).execute()
    const invitation = await event({ title: '会员专场', capacity: 10, campaignId })
    const draft = await event({ title: '筹备中', open: false })
    const closed = await event({ title: '报名已截止' })
    await t.services.memberEvents.close(hq(), closed.id)

    const aliceSees = await eventsOf(alice)
    expect(aliceSees.find((e) => e.id === invitation.id)).toMatchObject({ invited: true, canRegister: true })
    expect((await eventsOf(bob)).find((e) => e.id === invitation.id)).toMatchObject({ invited: false })
    expect(aliceSees.map((e) => e.id)).not.toContain(draft.id)
    expect(aliceSees.map((e) => e.id)).not.toContain(closed.id)

    for (const [id, status, code] of [[draft.id, 404, 'EVENT_NOT_FOUND'], ['mev_nothing', 404, 'EVENT_NOT_FOUND'], [closed.id, 409, 'EVENT_NOT_OPEN']] as const) {
      const res = await register(alice, id)
      expect(res.statusCode, id).toBe(status)
      expect(res.json().error.code).toBe(code)
    }
    const soon = await event({ title: '马上结束', hours: 1 })
    t.clock.advance(4 * 3_600_000)
    const ended = await register(alice, soon.id)
    expect(ended.statusCode).toBe(409)
    expect(ended.json().error).toMatchObject({ code: 'EVENT_ENDED', details: [{ field: 'eventId' }] })
    expect((await eventsOf(alice)).map((e) => e.id)).not.toContain(soon.id)
  })
})

describe('whose door this is', () => {
  const MINE = [
    ['GET', '/me/feedback/options'], ['POST', '/me/complaints'], ['POST', '/me/suggestions'], ['GET', '/me/feedback'], ['GET', '/me/complaints/tkt_x/photos/tph_x'],
    ['GET', '/me/surveys'], ['POST', '/me/surveys/svy_x/answers'], ['GET', '/me/events'], ['POST', '/me/events/mev_x/registration'], ['DELETE', '/me/events/mev_x/registration'],
  ] as const

  it("opens these routes to the member's cookie only: a staff cookie opens none, and a member's cookie opens no staff route", async () => {
    const staff = await t.login(t.users.hq_admin!.username)
    for (const [method, url] of MINE) {
      const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: staff }, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) })
      expect(res.statusCode, url).toBe(401)
      expect(res.json().error.code).toBe('AUTH_MEMBER_REQUIRED')
      expect((await t.app.inject({ method, url: `/api/v1${url}` })).statusCode).toBe(401)
    }
    const ticket = (await t.services.tickets.list(t.actors.hq_admin, {})).items[0]!
    for (const [method, url] of [['GET', '/tickets'], ['GET', `/tickets/${ticket.id}`], ['GET', '/suggestions'], ['GET', '/surveys'], ['GET', '/marketing/events'], ['POST', `/tickets/${ticket.id}/notes`]] as const) {
      const res = await as(alice, { method, url, ...(method === 'POST' ? { payload: { body: '冒充客服' } } : {}) })
      expect(res.statusCode, url).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
  })
})
