import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

// Issue 14's channel step: a reply told by SMS, email or WeChat goes out through the channels
// (the sandbox provider here), once, and the timeline says how it went.
const context = useTestContext()
let t: TestContext
let category: string
beforeAll(async () => {
  t = await context()
  category = (await t.services.tickets.listCategories(t.actors.hq_admin)).find((c) => c.name === '商品质量')!.id
})
beforeEach(() => t.clock.set('2026-03-02T02:00:00.000Z'))

const replyOf = (d: { timeline: Array<{ id: string; kind: string; channel: string | null; data: Record<string, unknown> }> }) => d.timeline.filter((e) => e.kind === 'reply').at(-1)!
const messagesOf = async (eventId: string) => (await t.services.channels.listMessages(t.actors.hq_admin, { sourceType: 'ticket_reply', sourceId: eventId })).items

describe('replies through the channels', () => {
  it("sends an SMS reply to the member's own number after the commit, without marketing consent, once however often the job runs", async () => {
    const member = await t.given.member({ consents: { sms: false } })
    const d = await t.services.tickets.create(t.actors.service_agent, { memberId: member.id, categoryId: category, description: '鸡蛋有裂' })
    const replied = await t.services.tickets.reply(t.actors.service_agent, d.id, { body: '您好，已为您登记换货，明天到店可领取。', channel: 'sms' })
    const e = replyOf(replied)
    expect(e.data).toMatchObject({ sent: false, sending: true })
    expect(await messagesOf(e.id)).toEqual([])
    await t.drainJobs()
    const [m, ...more] = await messagesOf(e.id)
    expect(more).toEqual([])
    expect(m).toMatchObject({ channel: 'sms', purpose: 'service', memberId: member.id, body: '您好，已为您登记换货，明天到店可领取。', status: 'delivered' })
    expect(m!.recipient).toMatch(/^1\d{2}\*{4}\d{4}$/)
    const after = replyOf(await t.services.tickets.get(t.actors.service_agent, d.id))
    expect(after.data).toEqual({ sent: true, messageId: m!.id, messageStatus: 'delivered' })
    // The job again (a retry after a crash): the message is found, nothing is sent twice.
    expect(await t.services.tickets.sendReply(e.id)).toEqual({ status: 'done' })
    expect(await messagesOf(e.id)).toHaveLength(1)
  })

  it('records a reply by phone or in person only: no message, no job', async () => {
    const d = await t.services.tickets.create(t.actors.service_agent, { memberId: (await t.given.member()).id, categoryId: category, description: '价签不符' })
    const replied = await t.services.tickets.reply(t.actors.service_agent, d.id, { body: '已电话致歉', channel: 'phone' })
    expect(replyOf(replied).data).toEqual({ sent: false })
    const queued = await t.services.db.selectFrom('job_queue').select('id').where('name', '=', 'service.sendReply').where('status', '=', 'queued').execute()
    expect(queued).toEqual([])
    expect(await messagesOf(replyOf(replied).id)).toEqual([])
  })

  it("sends the resolution's reply to the number an anonymous customer left; an email to them cannot go and says why", async () => {
    const d = await t.services.tickets.create(t.actors.service_agent, { contactName: '王先生', contactPhone: '13912345678', categoryId: category, description: '收银排队太久' })
    const resolved = await t.services.tickets.resolve(t.actors.service_agent, d.id, { outcome: '增开收银台', reply: '感谢反馈，周末已增开收银台。', replyChannel: 'sms' })
    await t.drainJobs()
    const sms = replyOf(resolved)
    const [m] = await messagesOf(sms.id)
    expect(m).toMatchObject({ channel: 'sms', purpose: 'service', memberId: null, recipient: '139****5678', status: 'delivered' })

    const other = await t.services.tickets.create(t.actors.service_agent, { contactName: '赵女士', contactPhone: '13812345678', categoryId: category, description: '停车难' })
    const emailed = replyOf(await t.services.tickets.reply(t.actors.service_agent, other.id, { body: '已反馈物业', channel: 'email' }))
    await t.drainJobs()
    expect(replyOf(await t.services.tickets.get(t.actors.service_agent, other.id)).data).toEqual({ sent: false, error: 'an anonymous customer has no email address' })
    expect(await messagesOf(emailed.id)).toEqual([])
  })

  it("tells on the reply why a member's email did not go: the member has no address", async () => {
    const member = await t.given.member()
    const d = await t.services.tickets.create(t.actors.service_agent, { memberId: member.id, categoryId: category, description: '面包发霉' })
    const e = replyOf(await t.services.tickets.reply(t.actors.service_agent, d.id, { body: '已为您退款', channel: 'email' }))
    await t.drainJobs()
    const [m] = await messagesOf(e.id)
    expect(m).toMatchObject({ channel: 'email', status: 'failed', error: 'no email address' })
    expect(replyOf(await t.services.tickets.get(t.actors.service_agent, d.id)).data).toEqual({ sent: false, messageId: m!.id, messageStatus: 'failed', error: 'no email address' })
  })
})
