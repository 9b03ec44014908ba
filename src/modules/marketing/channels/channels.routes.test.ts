import { createHash, createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_admin', 'hq_marketing', 'analyst', 'cashier', 'store_manager']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
})
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const anyone = (options: InjectOptions) => t.app.inject(options)

// A local SMS gateway: answers { messageId } to a request signed with the gateway's secret.
let gateway = ''
const close: Array<() => void> = []
beforeAll(async () => {
  let n = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const ok = req.headers['x-patron-signature'] === `sha256=${createHmac('sha256', 'gw-secret').update(Buffer.concat(chunks)).digest('hex')}`
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
      res.end(JSON.stringify(ok ? { messageId: `gw-${++n}` } : {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`
  close.push(() => { server.closeAllConnections(); server.close() })
})
afterAll(() => { for (const c of close) c() })

describe('marketing channel routes', () => {
  it('needs a session, marketing.read to look and marketing.manage to change; store roles neither', async () => {
    expect((await anyone({ method: 'GET', url: '/api/v1/marketing/providers' })).statusCode).toBe(401)
    for (const who of ['cashier', 'store_manager']) {
      expect((await as(who, { method: 'GET', url: '/api/v1/marketing/providers' })).statusCode).toBe(403)
      expect((await as(who, { method: 'GET', url: '/api/v1/marketing/messages' })).statusCode).toBe(403)
      expect((await as(who, { method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: { kind: 'sandbox' } })).json().error.code).toBe('FORBIDDEN')
      expect((await as(who, { method: 'POST', url: '/api/v1/marketing/providers/sms/test', payload: { to: '13912345678' } })).statusCode).toBe(403)
    }
    expect((await as('analyst', { method: 'GET', url: '/api/v1/marketing/providers' })).statusCode).toBe(200)
    expect((await as('analyst', { method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: { kind: 'sandbox' } })).statusCode).toBe(403)
  })

  it('lists the sandbox for every channel on a fresh install', async () => {
    const res = await as('hq_marketing', { method: 'GET', url: '/api/v1/marketing/providers' })
    expect(res.statusCode).toBe(200)
    expect(res.json().map((p: { channel: string; kind: string }) => `${p.channel}:${p.kind}`)).toEqual(['sms:sandbox', 'email:sandbox', 'wechat:sandbox', 'push:sandbox'])
  })

  it("gives each channel's kinds with the fields the console's form is built from", async () => {
    const [sms, email, wechat] = (await as('analyst', { method: 'GET', url: '/api/v1/marketing/providers' })).json()
    expect(Object.keys(sms.fields)).toEqual(sms.kinds)
    expect(sms.fields).toMatchObject({ sandbox: [], aliyun_sms: expect.any(Array) })
    expect(sms.fields.webhook_sms).toEqual([
      { name: 'url', type: 'url', required: true, secret: false, default: null, max: null, choices: null },
      { name: 'secret', type: 'string', required: true, secret: true, default: null, max: 500, choices: null },
      { name: 'signName', type: 'string', required: false, secret: false, default: null, max: 40, choices: null },
    ])
    expect(Object.keys(email.fields)).toEqual(['sandbox', 'smtp'])
    expect(email.fields.smtp.find((f: { name: string }) => f.name === 'port')).toMatchObject({ type: 'port', default: 587 })
    expect(wechat.fields.wechat_template.find((f: { name: string }) => f.name === 'messageType')).toMatchObject({ type: 'choice', choices: ['template', 'subscribe'], default: 'template' })
  })

  it('answers bad settings with 422, field and reason; a kind or channel not known with 400', async () => {
    const res = await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: { kind: 'webhook_sms', settings: { url: 'ftp://x', signName: '好邻居' } } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({ code: 'MARKETING_PROVIDER_SETTINGS', details: [{ field: 'settings.url', reason: 'must be an http(s) URL' }, { field: 'settings.secret', reason: 'required' }] })
    expect((await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/fax', payload: { kind: 'sandbox' } })).statusCode).toBe(400)
    expect((await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: { kind: 'pigeon' } })).statusCode).toBe(400)
    expect((await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/providers/email/test', payload: { to: 'not an address' } })).json().error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'to', reason: 'not an email address' }] })
  })

  it('test-sends through a configured gateway, logs the message, and takes its signed receipt on the public callback', async () => {
    const put = await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: { kind: 'webhook_sms', settings: { url: gateway, secret: 'gw-secret', signName: '好邻居' } } })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ kind: 'webhook_sms', hasSecret: { secret: true }, settings: { url: gateway, signName: '好邻居' } })
    expect(put.body).not.toContain('gw-secret')

    const sent = await as('hq_marketing', { method: 'POST', url: '/api/v1/marketing/providers/sms/test', payload: { to: '13912345678', body: '测试' } })
    expect(sent.statusCode).toBe(201)
    const m = sent.json()
    expect(m).toMatchObject({ channel: 'sms', providerKind: 'webhook_sms', status: 'sent', recipient: '139****5678', providerMessageId: expect.stringMatching(/^gw-/), createdBy: t.users.hq_marketing!.id })
    const list = await as('analyst', { method: 'GET', url: '/api/v1/marketing/messages?channel=sms&status=sent&limit=10' })
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(m.id)
    expect((await as('analyst', { method: 'GET', url: `/api/v1/marketing/messages/${m.id}` })).json()).toEqual(m)
    expect((await as('analyst', { method: 'GET', url: '/api/v1/marketing/messages/msg_missing' })).statusCode).toBe(404)

    const url = '/api/v1/public/marketing/receipts/webhook_sms'
    const payload = JSON.stringify({ receipts: [{ messageId: m.providerMessageId, status: 'delivered' }] })
    const sign = (body: string) => `sha256=${createHmac('sha256', 'gw-secret').update(body).digest('hex')}`
    const headers = { 'content-type': 'application/json' }
    const unsigned = await anyone({ method: 'POST', url, headers, payload })
    expect(unsigned.statusCode).toBe(403)
    expect(unsigned.json().error.details).toEqual([{ field: 'x-patron-signature', reason: 'missing or does not match the body' }])
    const malformed = JSON.stringify({ receipts: [{ messageId: m.providerMessageId, status: 'read' }] })
    const bad = await anyone({ method: 'POST', url, headers: { ...headers, 'x-patron-signature': sign(malformed) }, payload: malformed })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error).toMatchObject({ code: 'MARKETING_RECEIPT_INVALID', details: [{ field: 'receipts.0.status', reason: 'one of delivered, failed, bounced' }] })
    expect((await as('analyst', { method: 'GET', url: `/api/v1/marketing/messages/${m.id}` })).json().status).toBe('sent')

    const ok = await anyone({ method: 'POST', url, headers: { ...headers, 'x-patron-signature': sign(payload) }, payload })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ code: 0, msg: '成功', received: 1, updated: 1 })
    expect((await as('analyst', { method: 'GET', url: `/api/v1/marketing/messages/${m.id}` })).json()).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) })
    expect((await anyone({ method: 'POST', url: '/api/v1/public/marketing/receipts/http_push', headers, payload })).statusCode).toBe(404)

    const trail = await t.services.db.selectFrom('audit_log').select('action').where('action', 'like', 'message_provider.%').orderBy('id').execute()
    expect(trail.map((a) => a.action)).toEqual(['message_provider.update', 'message_provider.test'])
  })

  it("checks WeChat's callback URL and takes its send-result push (XML, signed with the token)", async () => {
    let tokenCalls = 0
    const api = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      if (req.url!.startsWith('/cgi-bin/token')) { tokenCalls++; return res.end(JSON.stringify({ access_token: 'AT', expires_in: 7200 })) }
      req.resume()
      req.on('end', () => res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: 200228332 })))
    })
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    close.push(() => { api.closeAllConnections(); api.close() })
    const put = await as('hq_admin', { method: 'PUT', url: '/api/v1/marketing/providers/wechat', payload: {
      kind: 'wechat_template', settings: { baseUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, appId: 'wx1', appSecret: 'app-secret', templateId: 'TPL', receiptToken: 'wxtoken' },
    } })
    expect(put.statusCode).toBe(200)
    const m = (await as('hq_admin', { method: 'POST', url: '/api/v1/marketing/providers/wechat/test', payload: { to: 'oAbCdEf1234567' } })).json()
    expect(m).toMatchObject({ providerKind: 'wechat_template', status: 'sent', providerMessageId: '200228332' })
    expect(tokenCalls).toBe(1)

    const signed = (timestamp: string, nonce: string) => createHash('sha1').update(['wxtoken', timestamp, nonce].sort().join('')).digest('hex')
    const url = '/api/v1/public/marketing/receipts/wechat_template'
    const check = await anyone({ method: 'GET', url, query: { signature: signed('1700000000', 'n1'), timestamp: '1700000000', nonce: 'n1', echostr: 'echo-123' } })
    expect([check.statusCode, check.body]).toEqual([200, 'echo-123'])
    expect((await anyone({ method: 'GET', url, query: { signature: 'x', timestamp: '1700000000', nonce: 'n1', echostr: 'echo-123' } })).statusCode).toBe(403)

    const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oAbCdEf1234567]]></FromUserName><CreateTime>1772416860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200228332</MsgID><Status><![CDATA[success]]></Status></xml>`
    const headers = { 'content-type': 'text/xml' }
    expect((await anyone({ method: 'POST', url, query: { signature: 'bad', timestamp: '1', nonce: 'n' }, headers, payload: xml })).statusCode).toBe(403)
    const query = { signature: signed('1700000001', 'n2'), timestamp: '1700000001', nonce: 'n2', openid: 'oAbCdEf1234567' }
    const bad = await anyone({ method: 'POST', url, query, headers, payload: xml.replace('success', 'maybe') })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details).toEqual([{ field: 'Status', reason: 'success or failed:…' }])
    const ok = await anyone({ method: 'POST', url, query, headers, payload: xml })
    expect([ok.statusCode, ok.body]).toEqual([200, 'success'])
    expect((await as('analyst', { method: 'GET', url: `/api/v1/marketing/messages/${m.id}` })).json()).toMatchObject({ status: 'delivered', deliveredAt: '2026-03-02T02:01:00.000Z' })
  })

  it('keeps each setting\'s JSON type over HTTP: a port a number, a numeric name text', async () => {
    const smtp = await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/email', payload: { kind: 'smtp', enabled: false, settings: { host: 'smtp.example.cn', port: 2525, username: '10086', from: 'crm@example.cn' } } })
    expect(smtp.statusCode).toBe(200)
    expect(smtp.json().settings).toMatchObject({ port: 2525, username: '10086' })
    const textPort = await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/email', payload: { kind: 'smtp', enabled: false, settings: { host: 'smtp.example.cn', port: '2525', from: 'crm@example.cn' } } })
    expect(textPort.json().error).toMatchObject({ code: 'MARKETING_PROVIDER_SETTINGS', details: [{ field: 'settings.port' }] })
    await as('hq_marketing', { method: 'PUT', url: '/api/v1/marketing/providers/email', payload: { kind: 'sandbox' } })
  })
})
