import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_marketing', 'hq_admin', 'analyst', 'store_manager']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
})
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })

describe('campaigns over HTTP', () => {
  it('creates, submits, sends through the workers, and reports; refuses store roles and bad input with the field', async () => {
    const storeId = await t.given.store()
    const members = []
    for (let i = 0; i < 6; i++) members.push(await t.given.member({ by: t.actors.hq_admin, registrationStoreId: storeId, consents: { sms: true } }))
    const segment = await t.services.segments.create(t.actors.hq_marketing, { name: `HTTP 活动人群 ${storeId}`, definition: { field: 'registration_store', op: 'in', value: [storeId] } })
    const tpl = await t.services.templates.create(t.actors.hq_marketing, { name: 'HTTP 活动短信', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，会员日全场 9 折' })
    const body = { name: '会员日', segmentId: segment.id, channels: ['sms'], templateIds: { sms: tpl.id }, holdoutPct: 0 }

    const created = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/campaigns', payload: body })
    expect(created.statusCode).toBe(201)
    const c = created.json()
    expect(c).toMatchObject({ name: '会员日', status: 'draft', channels: ['sms'], templateIds: { sms: tpl.id }, scheduleKind: 'now' })
    expect((await as('store_manager', { method: 'GET', url: '/api/v1/marketing/campaigns' })).statusCode).toBe(403)
    expect((await as('analyst', { method: 'POST', url: '/api/v1/marketing/campaigns', payload: { ...body, name: 'x' } })).statusCode).toBe(403)
    expect((await as('analyst', { method: 'GET', url: `/api/v1/marketing/campaigns/${c.id}` })).json()).toMatchObject({ id: c.id, runs: [] })

    // Bad input: the schema's 400, the rules' 422 with the field, an unknown id 404, a stale version 409.
    expect((await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/campaigns', payload: { ...body, channels: ['fax'] } })).statusCode).toBe(400)
    expect((await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/campaigns', payload: { ...body, holdoutPct: 90 } })).statusCode).toBe(400)
    const bad = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/campaigns', payload: { ...body, name: '坏的', scheduleKind: 'at', sendAt: 'next tuesday' } })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error).toMatchObject({ code: 'CAMPAIGN_INVALID', details: [{ field: 'sendAt' }] })
    expect((await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/campaigns', payload: body })).json().error.code).toBe('CAMPAIGN_NAME_TAKEN')
    expect((await as('hq_marketing', { method: 'GET', url: '/api/v1/marketing/campaigns/cmp_nothing' })).statusCode).toBe(404)
    expect((await as('hq_marketing', { method: 'GET', url: `/api/v1/marketing/campaigns/${c.id}/report` })).json().error.code).toBe('CAMPAIGN_RUN_NOT_FOUND')
    const stale = await as('hq_marketing', { method: 'PATCH', url: `/api/v1/marketing/campaigns/${c.id}`, payload: { version: 7, holdoutPct: 5 } })
    expect(stale.statusCode).toBe(409)

    // A test message to a staff member's phone goes through the sandbox, marked as a test (service).
    const test = await as('hq_marketing', { method: 'POST', url: `/api/v1/marketing/campaigns/${c.id}/test`, payload: { channel: 'sms', to: '13800138000', memberId: members[0]!.id } })
    expect(test.statusCode).toBe(200)
    expect(test.json()).toMatchObject({ status: 'delivered', purpose: 'service', recipient: expect.stringContaining('****') })
    expect(test.json().body).toMatch(/^【Patron】.+，会员日全场 9 折回T退订$/)
    expect((await as('hq_marketing', { method: 'POST', url: `/api/v1/marketing/campaigns/${c.id}/test`, payload: { channel: 'email', to: 'a@b.cn' } })).statusCode).toBe(422)
    // A member who is not there: 404 naming them, and nothing goes out.
    const messageCount = async () => Number((await t.services.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const logged = await messageCount()
    const unknown = await as('hq_marketing', { method: 'POST', url: `/api/v1/marketing/campaigns/${c.id}/test`, payload: { channel: 'sms', to: '13800138000', memberId: 'mbr_nobody' } })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error).toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    expect(await messageCount()).toBe(logged)
    const badPhone = await as('hq_marketing', { method: 'POST', url: `/api/v1/marketing/campaigns/${c.id}/test`, payload: { channel: 'sms', to: '12345' } })
    expect(badPhone.statusCode).toBe(422)
    expect(badPhone.json().error.details).toEqual([expect.objectContaining({ field: 'to' })])

    const submitted = await as('hq_marketing', { method: 'POST', url: `/api/v1/marketing/campaigns/${c.id}/submit`, payload: { version: 1 } })
    expect(submitted.json()).toMatchObject({ status: 'scheduled', version: 2 })
    expect((await as('hq_marketing', { method: 'POST', url: `/api/v1/marketing/campaigns/${c.id}/submit`, payload: { version: 2 } })).json().error.code).toBe('CAMPAIGN_STATUS')
    await t.drainJobs()
    const detail = (await as('analyst', { method: 'GET', url: `/api/v1/marketing/campaigns/${c.id}` })).json()
    expect(detail).toMatchObject({ status: 'completed', runs: [{ status: 'done', audience: 6, targets: 6, sent: 6, sentBy: { sms: 6 } }] })
    const recipients = (await as('analyst', { method: 'GET', url: `/api/v1/marketing/campaigns/${c.id}/recipients?limit=4` })).json()
    expect(recipients.items).toHaveLength(4)
    expect(recipients.items[0]).toMatchObject({ group: 'target', status: 'sent', channel: 'sms', phone: expect.stringContaining('*') })
    const rest = (await as('analyst', { method: 'GET', url: `/api/v1/marketing/campaigns/${c.id}/recipients?limit=4&cursor=${recipients.nextCursor}` })).json()
    expect(rest.items).toHaveLength(2)
    const report = await as('analyst', { method: 'GET', url: `/api/v1/marketing/campaigns/${c.id}/report` })
    expect(report.statusCode).toBe(200)
    expect(report.json()).toMatchObject({ groups: { target: { members: 6 }, holdout: { members: 0 } }, uplift: { incrementalSales: null }, messages: { total: 6, cost: 30 }, roi: null })
    const mine = (await as('hq_marketing', { method: 'GET', url: `/api/v1/members/${members[0]!.id}/campaigns` })).json()
    expect(mine.items).toEqual([expect.objectContaining({ campaignId: c.id, name: '会员日', group: 'target', status: 'sent', channel: 'sms' })])

    const settings = await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/campaign-settings', payload: { capCount: 3, costs: { sms: 4 } } })
    expect(settings.json()).toMatchObject({ capCount: 3, capDays: 30, costs: { sms: 4, email: 0 } })
    expect((await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/campaign-settings', payload: { quietStart: '9pm' } })).statusCode).toBe(400)
    expect((await as('analyst', { method: 'PUT', url: '/api/v1/marketing/campaign-settings', payload: { capCount: 1 } })).statusCode).toBe(403)
    await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/campaign-settings', payload: { capCount: 4, costs: { sms: 5 } } })
  })
})
