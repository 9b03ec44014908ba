import { createHash, createHmac } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { InjectOptions } from 'fastify'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { consentedMembers } from './channels.service.js'

// Consent (issue 15 §2): marketing goes only where the member consented, and each way a member
// unsubscribes (an SMS reply, an email's link or a mail service's one-click, unfollowing the
// WeChat account) withdraws the consent with its source in the member's consent history.

const context = useTestContext()
let t: TestContext
let cookie = ''
beforeAll(async () => {
  t = await context()
  cookie = await t.login(t.users.hq_marketing!.username)
})
const closers: Array<() => Promise<void>> = []
afterAll(async () => { for (const close of closers) await close() })

const staff = (options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const anyone = (options: InjectOptions) => t.app.inject(options)

interface Change { channel: string; granted: boolean; source: string }
/** The member's consent history as the console reads it, newest first. */
const history = async (memberId: string): Promise<Change[]> => {
  const res = await staff({ method: 'GET', url: `/api/v1/members/${memberId}/consents/history` })
  expect(res.statusCode).toBe(200)
  return (res.json() as Change[]).map(({ channel, granted, source }) => ({ channel, granted, source }))
}
const consentsOf = async (memberId: string) =>
  Object.fromEntries((await t.services.members.get(t.actors.hq_marketing, memberId)).consents.map((c) => [c.channel, c.granted]))
const countMessages = async () => Number((await t.services.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
const sms = (memberId: string) => t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId, body: '会员日双倍积分' })

describe('consent in deliver', () => {
  it('refuses marketing to a member who did not consent on the channel, and writes nothing', async () => {
    const member = await t.given.member({ consents: { email: true, sms: false } })
    await t.services.channels.bindChannelIds(member.id, { pushToken: 'device-no-consent' })
    const before = await countMessages()
    await expect(sms(member.id)).rejects.toMatchObject({ code: 'MARKETING_NO_CONSENT', details: [{ field: 'memberId', reason: 'no consent to marketing by sms' }] })
    await expect(t.services.channels.deliver(null, { channel: 'push', purpose: 'marketing', memberId: member.id, body: '积分到账' }))
      .rejects.toMatchObject({ code: 'MARKETING_NO_CONSENT', details: [{ field: 'memberId', reason: 'no consent to marketing by app_push' }] })
    expect(await countMessages()).toBe(before)
  })

  it('sends marketing with consent (push by app_push), and service messages and messages to an address alone without', async () => {
    const member = await t.given.member({ consents: { sms: true, app_push: true } })
    await t.services.channels.bindChannelIds(member.id, { pushToken: 'device-consented' })
    expect(await sms(member.id)).toMatchObject({ status: 'delivered', purpose: 'marketing' })
    expect(await t.services.channels.deliver(null, { channel: 'push', purpose: 'marketing', memberId: member.id, body: '积分到账' })).toMatchObject({ status: 'delivered' })
    const none = await t.given.member()
    expect(await t.services.channels.deliver(null, { channel: 'sms', purpose: 'service', memberId: none.id, body: '您的积分已到账' })).toMatchObject({ status: 'delivered' })
    expect(await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', to: '13912340077', body: '测试' })).toMatchObject({ status: 'delivered', memberId: null })
  })

  it('tells which of a list of members consented on a channel, in one call for any number', async () => {
    const yes = await t.given.member({ consents: { sms: true } })
    const no = await t.given.member({ consents: { sms: false, app_push: true } })
    const never = await t.given.member()
    const ids = [yes.id, no.id, never.id, 'mem_unknown']
    expect(await consentedMembers(t.services.db, 'sms', ids)).toEqual(new Set([yes.id]))
    expect(await t.services.channels.consentedMembers(null, 'push', ids)).toEqual(new Set([no.id]))
    // Past the chunk of a thousand ids.
    const many = [...Array.from({ length: 2500 }, (_, i) => `mem_x${i}`), no.id, yes.id]
    expect(await t.services.channels.consentedMembers(null, 'sms', many)).toEqual(new Set([yes.id]))
  })
})

describe('unsubscribe by SMS reply', () => {
  it("takes Alibaba's SmsUp push proven by the token: T withdraws, other texts and unknown numbers are counted", async () => {
    expect((await staff({ method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: {
      kind: 'aliyun_sms', settings: { accessKeyId: 'k', accessKeySecret: 's', signName: '好邻居', templateCode: 'SMS_1', receiptToken: 'up-token' },
    } })).statusCode).toBe(200)
    const a = await t.given.member({ phone: '13900001101', consents: { sms: true, email: true } })
    const b = await t.given.member({ phone: '13900001102', consents: { sms: true } })
    const url = '/api/v1/public/marketing/inbound/aliyun_sms'
    const push = [
      { phone_number: '13900001101', send_time: '2026-03-02 10:00:00', content: 'T', sign_name: '好邻居', dest_code: '1234', sequence_id: 1 },
      { phone_number: '13900001102', send_time: '2026-03-02 10:00:01', content: '好的，谢谢', sign_name: '好邻居', dest_code: '1234', sequence_id: 2 },
      { phone_number: '13900001199', send_time: '2026-03-02 10:00:02', content: 'STOP', sign_name: '好邻居', dest_code: '1234', sequence_id: 3 },
    ]
    const before = await history(a.id)

    for (const token of [undefined, 'wrong']) {
      const refused = await anyone({ method: 'POST', url, query: token ? { token } : {}, payload: push })
      expect(refused.statusCode).toBe(403)
      expect(refused.json().error.code).toBe('MARKETING_RECEIPT_UNVERIFIED')
    }
    const malformed = await anyone({ method: 'POST', url, query: { token: 'up-token' }, payload: [push[0], { content: 'T' }] })
    expect(malformed.statusCode).toBe(422)
    expect(malformed.json().error).toMatchObject({ code: 'MARKETING_INBOUND_INVALID', details: [{ field: '1.phone_number', reason: "required: the member's number" }] })
    expect(await history(a.id)).toEqual(before)

    const ok = await anyone({ method: 'POST', url, query: { token: 'up-token' }, payload: push })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ code: 0, msg: '成功', received: 3, unsubscribed: 1 })
    expect((await history(a.id))[0]).toEqual({ channel: 'sms', granted: false, source: 'sms_reply' })
    expect(await consentsOf(a.id)).toEqual({ sms: false, email: true })
    expect(await consentsOf(b.id)).toEqual({ sms: true })
    await expect(sms(a.id)).rejects.toMatchObject({ code: 'MARKETING_NO_CONSENT' })
    const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.consent.withdraw').where('entity_id', '=', a.id).execute()
    expect(audit).toEqual([expect.objectContaining({ actor_type: 'system', actor_id: null, changes: JSON.stringify({ channel: 'sms', granted: false, source: 'sms_reply' }) })])

    // The provider retries a callback: the second reply changes nothing.
    expect((await anyone({ method: 'POST', url, query: { token: 'up-token' }, payload: [push[0]] })).json()).toMatchObject({ received: 1, unsubscribed: 0 })
    expect((await history(a.id)).filter((h) => h.source === 'sms_reply')).toHaveLength(1)
  })

  it('takes a webhook gateway\'s reply signed with its HMAC, one or an array', async () => {
    expect((await staff({ method: 'PUT', url: '/api/v1/marketing/providers/sms', payload: { kind: 'webhook_sms', settings: { url: 'http://127.0.0.1:9/sms', secret: 'gw-secret' } } })).statusCode).toBe(200)
    const member = await t.given.member({ phone: '13900001103', consents: { sms: true } })
    const url = '/api/v1/public/marketing/inbound/webhook_sms'
    const sign = (body: string) => `sha256=${createHmac('sha256', 'gw-secret').update(body).digest('hex')}`
    const headers = { 'content-type': 'application/json' }
    const reply = JSON.stringify({ from: '+86 139 0000 1103', text: ' td ', at: '2026-03-02T02:00:00Z' })

    expect((await anyone({ method: 'POST', url, headers, payload: reply })).statusCode).toBe(403)
    const forged = await anyone({ method: 'POST', url, headers: { ...headers, 'x-patron-signature': sign(reply.replace('td', 'hi')) }, payload: reply })
    expect(forged.statusCode).toBe(403)
    expect(forged.json().error.details).toEqual([{ field: 'x-patron-signature', reason: 'missing or does not match the body' }])
    const malformed = JSON.stringify({ text: 'T' })
    const bad = await anyone({ method: 'POST', url, headers: { ...headers, 'x-patron-signature': sign(malformed) }, payload: malformed })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error).toMatchObject({ code: 'MARKETING_INBOUND_INVALID', details: [{ field: 'from', reason: "required: the member's number" }] })
    expect(await history(member.id)).toEqual([{ channel: 'sms', granted: true, source: 'registration:till' }])

    const ok = await anyone({ method: 'POST', url, headers: { ...headers, 'x-patron-signature': sign(reply) }, payload: reply })
    expect(ok.json()).toEqual({ code: 0, msg: '成功', received: 1, unsubscribed: 1 })
    expect((await history(member.id))[0]).toEqual({ channel: 'sms', granted: false, source: 'sms_reply' })

    // A STOP from a number no member holds, and one that is no mainland mobile: counted, not refused.
    const strangers = JSON.stringify([{ from: '13900001198', text: 'STOP' }, { from: '10086', text: 'T' }])
    const counted = await anyone({ method: 'POST', url, headers: { ...headers, 'x-patron-signature': sign(strangers) }, payload: strangers })
    expect([counted.statusCode, counted.json()]).toEqual([200, { code: 0, msg: '成功', received: 2, unsubscribed: 0 }])
    // Replies come from SMS providers only.
    expect((await anyone({ method: 'POST', url: '/api/v1/public/marketing/inbound/wechat_template', headers, payload: reply })).statusCode).toBe(400)
  })
})

describe('unsubscribe by link', () => {
  const tokenOf = (url: string) => url.slice(url.indexOf('/u/') + 3)

  it('shows the masked address, and withdraws on the button once however often it is pressed', async () => {
    const member = await t.given.member({ email: 'wang.xiaoming@example.test', consents: { email: true, sms: true } })
    const link = t.services.channels.unsubscribeUrl(member.id)
    expect(link).toMatch(/^http:\/\/localhost:3000\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    expect(link).not.toContain(member.id)
    const url = `/api/v1/public/marketing/unsubscribe/${tokenOf(link)}`

    const page = await anyone({ method: 'GET', url })
    expect(page.statusCode).toBe(200)
    expect(page.json()).toEqual({ channel: 'email', maskedRecipient: expect.stringMatching(/^w\*+@example\.test$/), subscribed: true })
    // A mail client opening the API link in a browser lands on the console's page.
    const browser = await anyone({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml' } })
    expect([browser.statusCode, browser.headers.location]).toEqual([303, `/u/${tokenOf(link)}`])

    for (const method of ['GET', 'POST'] as const) {
      const bad = await anyone({ method, url: `${url.slice(0, -2)}xx` })
      expect(bad.statusCode).toBe(404)
      expect(bad.json().error.code).toBe('MARKETING_UNSUBSCRIBE_NOT_FOUND')
    }
    expect((await history(member.id)).filter((h) => h.channel === 'email')).toHaveLength(1)

    for (let i = 0; i < 2; i++) {
      const done = await anyone({ method: 'POST', url, payload: {} })
      expect([done.statusCode, done.json()]).toEqual([200, { channel: 'email', maskedRecipient: page.json().maskedRecipient, subscribed: false }])
    }
    expect((await history(member.id)).filter((h) => h.channel === 'email')).toEqual([
      { channel: 'email', granted: false, source: 'email_link' }, { channel: 'email', granted: true, source: 'registration:till' },
    ])
    expect((await anyone({ method: 'GET', url })).json().subscribed).toBe(false)
    // The link is for email only.
    expect(await consentsOf(member.id)).toEqual({ email: false, sms: true })
  })

  it("takes a mail service's one-click unsubscribe (RFC 8058), and a merged record's link unsubscribes the member it became", async () => {
    const survivor = await t.given.member({ email: 'li.lei@example.test', consents: { email: true } })
    const merged = await t.given.member({ consents: { email: true } })
    const link = t.services.channels.unsubscribeUrl(merged.id)
    await t.services.members.merge(t.actors.hq_admin, survivor.id, merged.id, '同一人')
    const res = await anyone({
      method: 'POST', url: `/api/v1/public/marketing/unsubscribe/${tokenOf(link)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
    })
    expect([res.statusCode, res.json()]).toEqual([200, { channel: 'email', maskedRecipient: expect.stringMatching(/^l\*+@example\.test$/), subscribed: false }])
    expect((await history(survivor.id))[0]).toEqual({ channel: 'email', granted: false, source: 'email_link' })
  })

  it('sends a marketing email with the List-Unsubscribe headers a mail service shows its button for; a service email without', async () => {
    const mails: string[] = []
    const server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => { mails.push(Buffer.concat(chunks).toString('utf8')); callback() })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => server.close(() => resolve())))
    const port = (server.server.address() as AddressInfo).port
    await t.services.channels.putProvider(t.actors.hq_marketing, 'email', { kind: 'smtp', settings: { host: '127.0.0.1', port, from: 'crm@example.test' } })
    const member = await t.given.member({ email: 'zhao@example.test', consents: { email: true } })

    const m = await t.services.channels.deliver(null, { channel: 'email', purpose: 'marketing', memberId: member.id, subject: '会员日', body: '双倍积分' })
    expect(m.status).toBe('sent')
    await t.services.channels.deliver(null, { channel: 'email', purpose: 'service', memberId: member.id, subject: '积分到账', body: '您的积分已到账' })
    expect(mails).toHaveLength(2)
    const headOf = (raw: string) => raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ')
    const oneClick = /^List-Unsubscribe: <(http:\/\/localhost:3000\/api\/v1\/public\/marketing\/unsubscribe\/[A-Za-z0-9_.-]+)>$/m.exec(headOf(mails[0]!))
    expect(oneClick).not.toBeNull()
    expect(headOf(mails[0]!)).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
    expect(headOf(mails[1]!)).not.toMatch(/List-Unsubscribe/)

    // The mail service's POST to that URL unsubscribes the member.
    const res = await anyone({ method: 'POST', url: oneClick![1]!.replace('http://localhost:3000', ''), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
    expect(res.json()).toMatchObject({ channel: 'email', subscribed: false })
    await expect(t.services.channels.deliver(null, { channel: 'email', purpose: 'marketing', memberId: member.id, subject: '会员日', body: '双倍积分' }))
      .rejects.toMatchObject({ code: 'MARKETING_NO_CONSENT' })
  })
})

describe('unsubscribe by unfollowing the WeChat account', () => {
  it("withdraws the WeChat consent of the member bound to the OpenID, on WeChat's signed push", async () => {
    expect((await staff({ method: 'PUT', url: '/api/v1/marketing/providers/wechat', payload: {
      kind: 'wechat_template', settings: { appId: 'wx1', appSecret: 'app-secret', templateId: 'TPL', receiptToken: 'wxtoken' },
    } })).statusCode).toBe(200)
    const member = await t.given.member({ consents: { wechat: true } })
    await t.services.channels.bindChannelIds(member.id, { wechatOpenid: 'oUnfollow123456' })
    const url = '/api/v1/public/marketing/receipts/wechat_template'
    const headers = { 'content-type': 'text/xml' }
    const xml = (openid: string) => `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>1772416860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event><EventKey><![CDATA[]]></EventKey></xml>`
    const signed = { signature: createHash('sha1').update(['wxtoken', '1772416860', 'n1'].sort().join('')).digest('hex'), timestamp: '1772416860', nonce: 'n1' }
    const before = await history(member.id)

    expect((await anyone({ method: 'POST', url, query: { ...signed, signature: 'forged' }, headers, payload: xml('oUnfollow123456') })).statusCode).toBe(403)
    const bad = await anyone({ method: 'POST', url, query: signed, headers, payload: xml('not an openid!') })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details).toEqual([{ field: 'FromUserName', reason: "required: the follower's OpenID" }])
    expect(await history(member.id)).toEqual(before)

    const ok = await anyone({ method: 'POST', url, query: signed, headers, payload: xml('oUnfollow123456') })
    expect([ok.statusCode, ok.body]).toEqual([200, 'success'])
    expect((await history(member.id))[0]).toEqual({ channel: 'wechat', granted: false, source: 'wechat_unsubscribe' })
    // A follower no member is bound to: answered as WeChat expects, nothing changes.
    expect((await anyone({ method: 'POST', url, query: signed, headers, payload: xml('oNobody1234567') })).body).toBe('success')
  })
})
