import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, describe, expect, it } from 'vitest'
import { aliyunSmsAdapter, type AliyunSmsSettings } from './aliyun-sms.adapter.js'
import type { OutboundMessage } from './channel.js'
import { httpPushAdapter } from './http-push.adapter.js'
import { sandboxAdapter } from './sandbox.adapter.js'
import { smtpAdapter } from './smtp.adapter.js'
import { webhookSmsAdapter } from './webhook-sms.adapter.js'
import { wechatTemplateAdapter, type WechatTokenCache } from './wechat-template.adapter.js'

// Every adapter against a server on this machine that speaks its provider's documented shapes:
// nothing here reaches the internet.

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }
const closers: Array<() => Promise<void>> = []
afterAll(async () => { for (const close of closers) await close() })

/** A local HTTP server answering with `answer`; the requests it saw. */
const serve = async (answer: (req: Seen, res: ServerResponse) => void) => {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      seen.push(r)
      answer(r, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'msg_01test', channel: 'sms', to: '13912345678', subject: null, body: '您的积分即将到期', templateCode: null, params: null, ...over,
})

describe('the sandbox', () => {
  it('records and delivers at once, sending nothing', async () => {
    expect(await sandboxAdapter().send(message())).toEqual({ ok: true, providerMessageId: 'sandbox-msg_01test', delivered: true })
  })
})

describe('SMTP (nodemailer) against a local smtp-server', () => {
  const start = async (onRcpt?: (address: string) => Error | null) => {
    const mails: Array<{ from: string; to: string[]; raw: string }> = []
    const server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onRcptTo: (address, _session, callback) => callback(onRcpt?.(address.address) ?? undefined),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => server.close(() => resolve())))
    return { port: (server.server.address() as AddressInfo).port, mails }
  }

  it('sends a mail the server receives with its envelope, headers and text', async () => {
    const { port, mails } = await start()
    const smtp = smtpAdapter({ host: '127.0.0.1', port, secure: false, username: null, password: null, from: 'Patron <crm@example.test>' })
    const result = await smtp.send(message({ channel: 'email', to: 'wang@example.test', subject: 'Points expiring', body: 'Your 500 points expire on 31 March.' }))
    expect(result).toEqual({ ok: true, providerMessageId: '<msg_01test@patron>' })
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ from: 'crm@example.test', to: ['wang@example.test'] })
    const [head, ...rest] = mails[0]!.raw.split('\r\n\r\n')
    expect(head).toMatch(/^Subject: Points expiring$/m)
    expect(head).toMatch(/^Message-ID: <msg_01test@patron>$/m)
    expect(head).toMatch(/^To: wang@example\.test$/m)
    expect(rest.join('\r\n\r\n').trim()).toBe('Your 500 points expire on 31 March.')
  })

  it('fails a permanent refusal (550) for good, a temporary one (451) for a retry', async () => {
    const { port } = await start((address) => Object.assign(new Error(address.startsWith('gone') ? 'no such user' : 'try later'), { responseCode: address.startsWith('gone') ? 550 : 451 }))
    const smtp = smtpAdapter({ host: '127.0.0.1', port, secure: false, username: null, password: null, from: 'crm@example.test' })
    expect(await smtp.send(message({ channel: 'email', to: 'gone@example.test' }))).toMatchObject({ ok: false, retryable: false })
    expect(await smtp.send(message({ channel: 'email', to: 'busy@example.test' }))).toMatchObject({ ok: false, retryable: true })
  })

  it('counts a server that is not there as retryable', async () => {
    const smtp = smtpAdapter({ host: '127.0.0.1', port: 1, secure: false, username: null, password: null, from: 'crm@example.test' }, { timeoutMs: 1000 })
    expect(await smtp.send(message({ channel: 'email', to: 'a@example.test' }))).toMatchObject({ ok: false, retryable: true })
  })
})

// Alibaba's RPC signature, computed here independently of the adapter: RFC 3986 byte by byte.
const rfc3986 = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => {
  const c = String.fromCharCode(b)
  return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
}).join('')
const expectedSignature = (method: string, params: Record<string, string>, secret: string) => {
  const query = Object.keys(params).filter((k) => k !== 'Signature').sort().map((k) => `${rfc3986(k)}=${rfc3986(params[k]!)}`).join('&')
  return createHmac('sha1', `${secret}&`).update(`${method}&${rfc3986('/')}&${rfc3986(query)}`).digest('base64')
}

describe('Alibaba Cloud SMS (SendSms) against a local server that checks the signature', () => {
  const SECRET = 'testSecret*(!)'
  const settings = (endpoint: string): AliyunSmsSettings => ({ endpoint, accessKeyId: 'LTAItestkey', accessKeySecret: SECRET, signName: '好邻居超市', templateCode: 'SMS_123456' })
  /** Answers as dysmsapi does: Code OK and a BizId when the signature is right, else SignatureDoesNotMatch. */
  const aliyun = (code = 'OK', status = 200) => serve((req, res) => {
    const params = Object.fromEntries(new URLSearchParams(req.body))
    if (params.Signature !== expectedSignature(req.method, params, SECRET)) return json(res, 400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' })
    if (code !== 'OK') return json(res, status, { Code: code, Message: 'refused', RequestId: 'r-1' })
    json(res, 200, { Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990' })
  })

  it('sends the documented parameters, signed, and takes the BizId', async () => {
    const server = await aliyun()
    const result = await aliyunSmsAdapter(settings(server.url)).send(message({ params: { name: '王先生', points: '500' } }))
    expect(result).toEqual({ ok: true, providerMessageId: '900619746936498440^0' })
    const params = Object.fromEntries(new URLSearchParams(server.seen[0]!.body))
    expect(params).toMatchObject({
      Action: 'SendSms', Version: '2017-05-25', Format: 'JSON', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', AccessKeyId: 'LTAItestkey',
      PhoneNumbers: '13912345678', SignName: '好邻居超市', TemplateCode: 'SMS_123456', TemplateParam: '{"name":"王先生","points":"500"}', OutId: 'msg_01test',
    })
    expect(params.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    // Spaces are %20 and * is %2A in the body, as the signature's encoding has them.
    expect(server.seen[0]!.body).not.toMatch(/\+|\*/)
  })

  it('is refused by the server when the secret is wrong (the server really checks)', async () => {
    const server = await aliyun()
    expect(await aliyunSmsAdapter({ ...settings(server.url), accessKeySecret: 'wrong' }).send(message())).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('SignatureDoesNotMatch') })
  })

  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 200, true],
    ['Throttling.User', 200, true],
    ['isp.SYSTEM_ERROR', 200, true],
    ['isv.MOBILE_NUMBER_ILLEGAL', 200, false],
    ['isv.SMS_TEMPLATE_ILLEGAL', 200, false],
    ['InternalError', 500, true],
  ] as const)('maps %s (HTTP %i) to retryable %s', async (code, status, retryable) => {
    const server = await aliyun(code, status)
    expect(await aliyunSmsAdapter(settings(server.url)).send(message())).toMatchObject({ ok: false, retryable, error: expect.stringContaining(code) })
  })

  it('retries a 5xx without a body and a timeout', async () => {
    const broken = await serve((_req, res) => { res.writeHead(502); res.end('bad gateway') })
    expect(await aliyunSmsAdapter(settings(broken.url)).send(message())).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('502') })
    const silent = await serve(() => {})
    expect(await aliyunSmsAdapter(settings(silent.url), { timeoutMs: 200 }).send(message())).toEqual({ ok: false, retryable: true, error: 'timed out' })
  })
})

describe('a webhook SMS gateway', () => {
  it('POSTs the message as JSON with an HMAC-SHA256 of the body, and takes the messageId', async () => {
    const server = await serve((req, res) => {
      const ok = req.headers['x-patron-signature'] === `sha256=${createHmac('sha256', 'gw-secret').update(req.body).digest('hex')}`
      json(res, ok ? 200 : 401, ok ? { messageId: 'gw-1' } : { error: 'bad signature' })
    })
    const gw = webhookSmsAdapter({ url: `${server.url}/send`, secret: 'gw-secret', signName: '好邻居' })
    expect(await gw.send(message())).toEqual({ ok: true, providerMessageId: 'gw-1' })
    expect(JSON.parse(server.seen[0]!.body)).toEqual({ id: 'msg_01test', to: '13912345678', text: '【好邻居】您的积分即将到期', template: null, params: null })
    // A template's message comes signed with the chain's signature: not signed twice.
    expect(await gw.send(message({ body: '【惠民超市】您的积分即将到期回T退订' }))).toMatchObject({ ok: true })
    expect(JSON.parse(server.seen[1]!.body)).toMatchObject({ text: '【惠民超市】您的积分即将到期回T退订' })
    expect(await webhookSmsAdapter({ url: `${server.url}/send`, secret: 'other', signName: null }).send(message())).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('401') })
  })

  it('retries a 500 and a timeout', async () => {
    const broken = await serve((_req, res) => json(res, 500, { error: 'down' }))
    expect(await webhookSmsAdapter({ url: broken.url, secret: 's', signName: null }).send(message())).toMatchObject({ ok: false, retryable: true })
    const silent = await serve(() => {})
    expect(await webhookSmsAdapter({ url: silent.url, secret: 's', signName: null }, { timeoutMs: 200 }).send(message())).toEqual({ ok: false, retryable: true, error: 'timed out' })
  })
})

describe('WeChat template messages against a local API', () => {
  const wechat = () => serve((req, res) => {
    const url = new URL(req.url, 'http://x')
    if (url.pathname === '/cgi-bin/token') {
      const ok = url.searchParams.get('grant_type') === 'client_credential' && url.searchParams.get('appid') === 'wx123' && url.searchParams.get('secret') === 'app-secret'
      return json(res, 200, ok ? { access_token: 'TOKEN-1', expires_in: 7200 } : { errcode: 40125, errmsg: 'invalid appsecret' })
    }
    if (url.pathname === '/cgi-bin/message/subscribe/bizsend') {
      return json(res, 200, url.searchParams.get('access_token') === 'TOKEN-1' ? { errcode: 0, errmsg: 'ok' } : { errcode: 40001, errmsg: 'invalid credential' })
    }
    if (url.pathname === '/cgi-bin/message/template/send') {
      if (url.searchParams.get('access_token') !== 'TOKEN-1') return json(res, 200, { errcode: 40001, errmsg: 'invalid credential' })
      const body = JSON.parse(req.body) as { touser: string }
      if (body.touser === 'oBlocked000000') return json(res, 200, { errcode: 43101, errmsg: 'user refuse to accept the msg' })
      return json(res, 200, { errcode: 0, errmsg: 'ok', msgid: 200228332 })
    }
    json(res, 404, {})
  })
  const settings = (baseUrl: string) => ({ baseUrl, appId: 'wx123', appSecret: 'app-secret', templateId: 'TPL-points', url: 'https://example.test/points', messageType: 'template' as const })

  it('gets an access token once, then sends the template with the data to the OpenID', async () => {
    const server = await wechat()
    const tokens: WechatTokenCache = new Map()
    const wx = wechatTemplateAdapter(settings(server.url), { tokens })
    const m = message({ channel: 'wechat', to: 'oAbCdEf1234567', params: { first: '积分提醒', keyword1: '500' } })
    expect(await wx.send(m)).toEqual({ ok: true, providerMessageId: '200228332' })
    expect(await wx.send(m)).toEqual({ ok: true, providerMessageId: '200228332' })
    expect(server.seen.filter((r) => r.url.startsWith('/cgi-bin/token'))).toHaveLength(1)
    expect(JSON.parse(server.seen[1]!.body)).toEqual({
      touser: 'oAbCdEf1234567', template_id: 'TPL-points', url: 'https://example.test/points', data: { first: { value: '积分提醒' }, keyword1: { value: '500' } }, client_msg_id: 'msg_01test',
    })
  })

  it('sends a subscription notice (订阅通知) to bizsend, which answers no msgid', async () => {
    const server = await wechat()
    const wx = wechatTemplateAdapter({ ...settings(server.url), messageType: 'subscribe' })
    expect(await wx.send(message({ channel: 'wechat', to: 'oAbCdEf1234567', params: { thing1: '积分到账' } }))).toEqual({ ok: true, providerMessageId: 'wx-msg_01test' })
    const sent = server.seen.find((r) => r.url.startsWith('/cgi-bin/message/subscribe/bizsend'))!
    expect(JSON.parse(sent.body)).toEqual({ touser: 'oAbCdEf1234567', template_id: 'TPL-points', page: 'https://example.test/points', data: { thing1: { value: '积分到账' } } })
  })

  it('fails a refusal for good, a wrong secret too, and a down API for a retry', async () => {
    const server = await wechat()
    expect(await wechatTemplateAdapter(settings(server.url)).send(message({ channel: 'wechat', to: 'oBlocked000000' }))).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('43101') })
    expect(await wechatTemplateAdapter({ ...settings(server.url), appSecret: 'wrong' }).send(message({ channel: 'wechat', to: 'oAbCdEf1234567' }))).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('40125') })
    const broken = await serve((_req, res) => json(res, 503, {}))
    expect(await wechatTemplateAdapter(settings(broken.url)).send(message({ channel: 'wechat', to: 'oAbCdEf1234567' }))).toMatchObject({ ok: false, retryable: true })
  })
})

describe('an HTTPS push provider', () => {
  it('POSTs with the bearer token and takes the id; a 500 and a timeout are retryable', async () => {
    const server = await serve((req, res) => (req.headers.authorization === 'Bearer push-token' ? json(res, 202, { id: 'push-1' }) : json(res, 401, {})))
    const push = httpPushAdapter({ url: server.url, token: 'push-token' })
    expect(await push.send(message({ channel: 'push', to: 'device-token-1', subject: '积分提醒' }))).toEqual({ ok: true, providerMessageId: 'push-1' })
    expect(JSON.parse(server.seen[0]!.body)).toEqual({ id: 'msg_01test', token: 'device-token-1', title: '积分提醒', body: '您的积分即将到期', data: null })
    expect(await httpPushAdapter({ url: server.url, token: 'wrong' }).send(message())).toMatchObject({ ok: false, retryable: false })
    const broken = await serve((_req, res) => json(res, 500, {}))
    expect(await httpPushAdapter({ url: broken.url, token: 't' }).send(message())).toMatchObject({ ok: false, retryable: true })
    const silent = await serve(() => {})
    expect(await httpPushAdapter({ url: silent.url, token: 't' }, { timeoutMs: 200 }).send(message())).toEqual({ ok: false, retryable: true, error: 'timed out' })
  })
})
