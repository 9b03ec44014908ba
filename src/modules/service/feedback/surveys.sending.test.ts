import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import type { SurveyQuestion } from './survey-rules.js'

// Issue 14's channel step: invitations go out by SMS through the channels (the sandbox here).
const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
  t.clock.set('2026-03-02T02:00:00.000Z')
})

const QUESTIONS: SurveyQuestion[] = [{ id: 'csat', kind: 'rating', label: '您对本次购物满意吗？', required: true }]
const newSurvey = async (title: string, extra: object = {}) => {
  const s = await t.services.surveys.create(t.actors.hq_marketing, { title, questions: QUESTIONS, ...extra })
  return t.services.surveys.open(t.actors.hq_marketing, s.id)
}
const invitations = (surveyId: string) =>
  t.services.db.selectFrom('survey_invitations').select(['id', 'token', 'member_id', 'send_status']).where('survey_id', '=', surveyId).orderBy('id').execute()
const messageOf = async (invitationId: string) =>
  (await t.services.channels.listMessages(t.actors.hq_admin, { sourceType: 'survey_invitation', sourceId: invitationId })).items

describe('sending invitations', () => {
  it("sends a segment's invitations by SMS to the members who agreed to marketing by SMS, each with its own link, once", async () => {
    const agreed = await t.given.member({ occupation: 'farmer', consents: { sms: true } })
    const refused = await t.given.member({ occupation: 'farmer', consents: { sms: false } })
    const seg = await t.services.segments.create(t.actors.analyst, { name: '务农会员', definition: { all: [{ field: 'occupation', op: 'in', value: ['farmer'] }] } })
    const s = await newSurvey('教师节满意度调查', { allowAnonymous: false })
    await t.services.surveys.inviteSegment(t.actors.hq_marketing, s.id, { segmentId: seg.id })
    const result = await t.services.surveys.sendInvitations()
    expect(result.sent).toBeGreaterThanOrEqual(1)
    expect(result.noConsent).toBeGreaterThanOrEqual(1)
    const rows = await invitations(s.id)
    const mine = rows.find((r) => r.member_id === agreed.id)!
    expect(mine.send_status).toBe('sent')
    expect(rows.find((r) => r.member_id === refused.id)!.send_status).toBe('no_consent')
    const [m, ...more] = await messageOf(mine.id)
    expect(more).toEqual([])
    expect(m).toMatchObject({ channel: 'sms', purpose: 'marketing', memberId: agreed.id, status: 'delivered' })
    expect(m!.body).toBe(`邀请您参加「教师节满意度调查」，请点击：http://localhost:3000/s/${mine.token} 回T退订`)
    expect(await messageOf(rows.find((r) => r.member_id === refused.id)!.id)).toEqual([])
    const counts = await t.services.surveys.invitationCounts(t.actors.hq_marketing, s.id)
    expect(counts).toMatchObject({ total: rows.length, pendingSend: 0, sent: rows.filter((r) => r.send_status === 'sent').length, notSent: rows.filter((r) => r.send_status !== 'sent').length })
    // The next run finds nothing pending: nobody gets a second message.
    await t.services.surveys.sendInvitations()
    expect(await messageOf(mine.id)).toHaveLength(1)
  })

  it("holds a segment's invitations in the quiet hours while those after a complaint go on", async () => {
    const m = await t.given.member({ occupation: 'retired', consents: { sms: true } })
    const seg = await t.services.segments.create(t.actors.analyst, { name: '退休会员', definition: { all: [{ field: 'occupation', op: 'in', value: ['retired'] }] } })
    const s = await newSurvey('夜间调查', { triggers: ['after_complaint'] })
    await t.services.surveys.inviteSegment(t.actors.hq_marketing, s.id, { segmentId: seg.id })
    const other = await t.given.member({ consents: { sms: false } })
    await t.services.surveys.inviteFor('after_complaint', { memberId: other.id, storeId: t.stores.a, ref: 'tkt_night', at: '2026-03-02T14:00:00.000Z' })
    // 22:00 in Shanghai: inside the default quiet hours (21:00–08:00).
    t.clock.set('2026-03-02T14:00:00.000Z')
    try {
      await t.services.surveys.sendInvitations()
      const rows = await invitations(s.id)
      expect(rows.find((r) => r.member_id === m.id)!.send_status).toBe('pending_send')
      expect(rows.find((r) => r.member_id === other.id)!.send_status).toBe('sent')
      // 08:00 the next morning: it goes.
      t.clock.set('2026-03-03T00:00:00.000Z')
      await t.services.surveys.sendInvitations()
      expect((await invitations(s.id)).find((r) => r.member_id === m.id)!.send_status).toBe('sent')
    } finally {
      t.clock.set('2026-03-02T02:00:00.000Z')
    }
  })

  it("invites the anonymous customer of a resolved complaint at the number they left, as a service message; a closed survey's invitation is not sent", async () => {
    const s = await newSurvey('投诉处理满意度', { triggers: ['after_complaint'] })
    const category = (await t.services.tickets.listCategories(t.actors.hq_admin))[0]!.id
    const d = await t.services.tickets.create(t.actors.service_agent, { contactName: '周先生', contactPhone: '13712345678', categoryId: category, description: '购物车坏了' })
    await t.services.tickets.resolve(t.actors.service_agent, d.id, { outcome: '已更换购物车' })
    await t.drainJobs()
    const [inv] = await invitations(s.id)
    expect(inv).toMatchObject({ member_id: null, send_status: 'pending_send' })
    const member = await t.given.member({ consents: { sms: false } })
    await t.services.surveys.inviteFor('after_complaint', { memberId: member.id, storeId: t.stores.a, ref: 'tkt_closed_case', at: '2026-03-02T02:00:00.000Z' })
    const closed = await newSurvey('已结束的调查', { triggers: ['after_complaint'] })
    await t.services.surveys.inviteFor('after_complaint', { memberId: member.id, storeId: t.stores.a, ref: 'tkt_other', at: '2026-03-02T02:00:00.000Z' })
    await t.services.surveys.close(t.actors.hq_marketing, closed.id)

    await t.services.surveys.sendInvitations()
    const [m] = await messageOf(inv!.id)
    expect(m).toMatchObject({ channel: 'sms', purpose: 'service', memberId: null, recipient: '137****5678', status: 'delivered' })
    expect(m!.body).toBe(`邀请您参加「投诉处理满意度」，请点击：http://localhost:3000/s/${inv!.token}`)
    // A member without marketing consent still gets the service invitation after their complaint.
    const forMember = (await invitations(s.id)).find((r) => r.member_id === member.id)!
    expect(forMember.send_status).toBe('sent')
    const ofClosed = (await invitations(closed.id)).find((r) => r.member_id === member.id)!
    expect(ofClosed.send_status).toBe('not_sent')
    expect(await messageOf(ofClosed.id)).toEqual([])
  })
})
