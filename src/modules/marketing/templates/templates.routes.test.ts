import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_marketing', 'analyst', 'cashier', 'store_manager']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
})
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })

describe('message templates over HTTP', () => {
  it('adds, reads, previews and changes a template; refuses store roles and bad input with the field', async () => {
    const body = { name: '欢迎新会员', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，欢迎加入！您的卡号 {{cardNo}}', bodyEn: 'Welcome, {{memberName}}! Card {{cardNo}}' }
    const created = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/templates', payload: body })
    expect(created.statusCode).toBe(201)
    const tpl = created.json()
    expect(tpl).toMatchObject({ name: '欢迎新会员', variables: ['memberName', 'cardNo'], version: 1 })
    expect((await as('analyst', { method: 'GET', url: `/api/v1/marketing/templates/${tpl.id}` })).json()).toMatchObject({ id: tpl.id })
    expect((await as('store_manager', { method: 'GET', url: '/api/v1/marketing/templates' })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'POST', url: '/api/v1/marketing/templates', payload: { ...body, name: 'x' } })).statusCode).toBe(403)
    expect((await as('analyst', { method: 'POST', url: '/api/v1/marketing/templates', payload: { ...body, name: 'x' } })).statusCode).toBe(403)

    const bad = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/templates', payload: { ...body, name: '坏的', bodyZh: '{{积分}}' } })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error).toMatchObject({ code: 'MESSAGE_TEMPLATE_INVALID', details: [{ field: 'bodyZh', reason: expect.stringContaining('unknown variable') }] })
    const wrongChannel = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/templates', payload: { ...body, channel: 'fax' } })
    expect(wrongChannel.statusCode).toBe(400)

    const member = await t.given.member({ name: '周杰' })
    const preview = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/templates/preview', payload: { templateId: tpl.id, memberId: member.id, lang: 'en-US' } })
    expect(preview.statusCode).toBe(200)
    expect(preview.json()).toMatchObject({ channel: 'sms', text: `【Patron】Welcome, 周*! Card ${member.cardNo} Reply T to unsubscribe`, segments: 1 })
    expect((await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/templates/preview', payload: { templateId: 'mtp_nothing' } })).statusCode).toBe(404)

    const changed = await as('hq_marketing', { method: 'PATCH', url: `/api/v1/marketing/templates/${tpl.id}`, payload: { version: 1, name: '新会员欢迎' } })
    expect(changed.json()).toMatchObject({ name: '新会员欢迎', version: 2 })
    const stale = await as('hq_marketing', { method: 'PATCH', url: `/api/v1/marketing/templates/${tpl.id}`, payload: { version: 1, name: '旧' } })
    expect(stale.statusCode).toBe(409)
    expect((await t.services.templates.get(t.actors.hq_marketing, tpl.id)).name).toBe('新会员欢迎')
  })

  it('sets the SMS signature, refusing one with brackets', async () => {
    expect((await as('analyst', { method: 'GET', url: '/api/v1/marketing/settings' })).json()).toMatchObject({ smsSignature: 'Patron', updatedAt: null })
    const bad = await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/settings', payload: { smsSignature: '【好又多】' } })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details).toEqual([{ field: 'smsSignature', reason: 'without brackets: the provider adds 【】' }])
    expect((await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/settings', payload: { smsSignature: '好又多' } })).json()).toMatchObject({ smsSignature: '好又多' })
    expect((await as('store_manager', { method: 'PUT', url: '/api/v1/marketing/settings', payload: { smsSignature: '门店' } })).statusCode).toBe(403)
  })
})
