import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_marketing', 'analyst', 'store_manager', 'cashier']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
})
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const url = '/api/v1/marketing/journeys'

describe('journeys over HTTP', () => {
  it('creates, activates, takes a member through, and shows the figures; refuses store roles and bad input with the field', async () => {
    const sms = await t.services.templates.create(t.actors.hq_marketing, { name: 'HTTP 旅程短信', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，欢迎！' })
    const later = await t.services.templates.create(t.actors.hq_marketing, { name: 'HTTP 旅程提醒', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，别忘了来逛逛' })
    const body = {
      name: '新会员欢迎', trigger: { type: 'registered' },
      steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: sms.id } }, { type: 'wait', days: 3 }, { type: 'send', channels: ['sms'], templateIds: { sms: later.id } }],
    }

    const created = await as('hq_marketing', { method: 'POST', url, payload: body })
    expect(created.statusCode).toBe(201)
    const j = created.json()
    expect(j).toMatchObject({ name: '新会员欢迎', status: 'draft', version: 1, revision: 1, trigger: { type: 'registered' }, members: { active: 0, done: 0, exited: 0 } })
    expect(j.steps[1]).toEqual({ type: 'wait', days: 3, hours: 0, next: null })

    // Store roles see no marketing; an analyst reads but does not write.
    for (const who of ['store_manager', 'cashier']) {
      expect((await as(who, { method: 'GET', url })).statusCode).toBe(403)
      expect((await as(who, { method: 'GET', url: `${url}/${j.id}` })).statusCode).toBe(403)
      expect((await as(who, { method: 'POST', url: `${url}/${j.id}/activate` })).statusCode).toBe(403)
    }
    expect((await as('analyst', { method: 'POST', url, payload: { ...body, name: '分析师的' } })).statusCode).toBe(403)
    expect((await as('analyst', { method: 'GET', url: `${url}/${j.id}` })).json()).toMatchObject({ id: j.id, versions: [{ version: 1, stats: [{ index: 0, type: 'send', at: 0 }, {}, {}] }] })

    // Bad input: the schema's 400 with the field, the rules' 422 with every field, 404, 409.
    const schemaBad = async (payload: Record<string, unknown>) => {
      const res = await as('hq_marketing', { method: 'POST', url, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      return res.json().error
    }
    expect((await schemaBad({ ...body, steps: [{ type: 'fax' }] })).details[0].field).toMatch(/steps/)
    expect((await schemaBad({ ...body, trigger: { type: 'registered', colour: 'red' } })).details[0].field).toMatch(/trigger/)
    await schemaBad({ ...body, steps: [] })
    await schemaBad({ ...body, steps: [{ type: 'send', channels: ['fax'], templateIds: {} }] })
    const rules = await as('hq_marketing', {
      method: 'POST', url, payload: {
        name: '坏的', trigger: { type: 'birthday', daysBefore: 90 },
        steps: [{ type: 'wait', days: 1 }, { type: 'condition', check: 'has_tag', ifTrue: 0, ifFalse: 2 }, { type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_nothing' } }],
      },
    })
    expect(rules.statusCode).toBe(422)
    expect(rules.json().error).toMatchObject({ code: 'JOURNEY_INVALID' })
    expect(rules.json().error.details.map((d: { field: string }) => d.field)).toEqual(['trigger.daysBefore', 'steps.1.tagId', 'steps.1.ifTrue'])
    const missing = await as('hq_marketing', { method: 'POST', url, payload: { ...body, name: '模板不存在', steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_nothing' } }] } })
    expect(missing.json().error).toMatchObject({ code: 'JOURNEY_INVALID', details: [{ field: 'steps.0.templateIds.sms', reason: 'not found' }] })
    expect((await as('hq_marketing', { method: 'POST', url, payload: body })).json().error.code).toBe('JOURNEY_NAME_TAKEN')
    expect((await as('hq_marketing', { method: 'GET', url: `${url}/jny_nothing` })).statusCode).toBe(404)
    expect((await as('hq_marketing', { method: 'PATCH', url: `${url}/${j.id}`, payload: { revision: 9, name: '改名' } })).statusCode).toBe(409)
    expect((await as('hq_marketing', { method: 'PATCH', url: `${url}/${j.id}`, payload: { revision: 1, steps: [{ type: 'wait' }] } })).json().error)
      .toMatchObject({ code: 'JOURNEY_INVALID', details: [{ field: 'steps.0.days' }] })
    expect((await as('hq_marketing', { method: 'POST', url: `${url}/${j.id}/pause` })).json().error.code).toBe('JOURNEY_STATUS')

    const active = await as('hq_marketing', { method: 'POST', url: `${url}/${j.id}/activate` })
    expect(active.json()).toMatchObject({ status: 'active', revision: 2, activeSince: expect.any(String) })
    const m = await t.given.member({ consents: { sms: true } })
    await t.drainJobs()
    const list = (await as('analyst', { method: 'GET', url: `${url}?status=active` })).json()
    expect(list.items).toEqual([expect.objectContaining({ id: j.id, members: { active: 1, done: 0, exited: 0 } })])
    const detail = (await as('analyst', { method: 'GET', url: `${url}/${j.id}` })).json()
    expect(detail.versions[0].stats.map((s: { at: number; done: number }) => [s.at, s.done])).toEqual([[0, 1], [0, 1], [1, 0]])
    const inside = (await as('analyst', { method: 'GET', url: `${url}/${j.id}/members?status=active&step=2` })).json()
    expect(inside.items).toEqual([expect.objectContaining({ memberId: m.id, version: 1, step: 2, status: 'active', nextAt: expect.any(String) })])
    expect((await as('analyst', { method: 'GET', url: `${url}/${j.id}/members?step=x` })).statusCode).toBe(400)
    const mine = (await as('hq_marketing', { method: 'GET', url: `/api/v1/members/${m.id}/journeys` })).json()
    expect(mine.items).toEqual([expect.objectContaining({ journeyId: j.id, name: '新会员欢迎', step: 2, stepType: 'send', status: 'active' })])
    expect(mine.items[0].steps.map((s: { outcome: string }) => s.outcome)).toEqual(['sent', 'waited'])
    expect((await as('store_manager', { method: 'GET', url: `/api/v1/members/${m.id}/journeys` })).statusCode).toBe(403)
    expect((await as('hq_marketing', { method: 'GET', url: '/api/v1/members/mem_nothing/journeys' })).statusCode).toBe(404)

    // Editing the active journey makes version 2; the member inside stays on version 1.
    const edited = await as('hq_marketing', { method: 'PATCH', url: `${url}/${j.id}`, payload: { revision: 2, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: sms.id } }] } })
    expect(edited.json()).toMatchObject({ version: 2, revision: 3, steps: [{ type: 'send' }] })
    const archived = await as('hq_marketing', { method: 'POST', url: `${url}/${j.id}/archive` })
    expect(archived.json()).toMatchObject({ status: 'archived', members: { active: 0, exited: 1 } })
    const trail = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', j.id).orderBy('at').execute()
    expect(trail.map((x) => x.action)).toEqual(['journey.create', 'journey.activate', 'journey.update', 'journey.archive'])
  })
})
