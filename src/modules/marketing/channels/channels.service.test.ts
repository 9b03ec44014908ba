import { createHmac } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { eraseMemberData, exportMemberData } from '../../members/index.js'
import { channelsMemberData } from './channels.member-data.js'
import { RETRY_AFTER_MS } from './channels.service.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const closers: Array<() => Promise<void>> = []
afterAll(async () => { for (const close of closers) await close() })

/** A local server that answers each request with the next of `answers` (the last one repeats). */
const serve = async (answers: Array<(body: string, res: ServerResponse) => void>) => {
  const bodies: string[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'))
      answers[Math.min(bodies.length, answers.length) - 1]!(bodies[bodies.length - 1]!, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies }
}
const json = (status: number, body: unknown) => (_b: string, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
let bizId = 0
const aliyunOk = (_b: string, res: ServerResponse) => json(200, { Code: 'OK', Message: 'OK', BizId: `biz-${++bizId}`, RequestId: 'r' })(_b, res)

const rowOf = (id: string) => t.services.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const countMessages = async () => Number((await t.services.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('the channel layer (sandbox first)', () => {
  it('shows the sandbox for every channel on a fresh install, and delivers through it without sending anything', async () => {
    const providers = await t.services.channels.listProviders(t.actors.hq_marketing)
    expect(providers.map((p) => [p.channel, p.kind, p.enabled])).toEqual([['sms', 'sandbox', true], ['email', 'sandbox', true], ['wechat', 'sandbox', true], ['push', 'sandbox', true]])
    expect(providers[0]).toMatchObject({ settings: {}, hasSecret: {}, kinds: ['sandbox', 'aliyun_sms', 'webhook_sms'], updatedAt: null })

    const member = await t.given.member({ phone: '13912340001', consents: { sms: true } })
    const m = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '三月会员日双倍积分' })
    expect(m).toMatchObject({ memberId: member.id, providerKind: 'sandbox', status: 'delivered', recipient: '139****0001', attempts: 1, providerMessageId: `sandbox-${m.id}`, sentAt: expect.any(String), deliveredAt: expect.any(String) })
    // The phone is PII: encrypted in the log, masked for display.
    const row = await rowOf(m.id)
    expect(row.recipient_enc).not.toContain('13912340001')
    expect(t.keyring.decrypt('message_recipient', row.recipient_enc!)).toBe('13912340001')
    expect((await t.services.channels.listMessages(t.actors.analyst, { memberId: member.id })).items.map((x) => x.id)).toEqual([m.id])
    expect(await t.services.channels.getMessage(t.actors.analyst, m.id)).toEqual(m)
  })

  it('sends one source to one member once: the second call finds the first message', async () => {
    const member = await t.given.member({ consents: { sms: true } })
    const input = { channel: 'sms' as const, purpose: 'marketing' as const, memberId: member.id, body: '周末特惠', sourceType: 'campaign', sourceId: 'cmp_1' }
    const first = await t.services.channels.deliver(null, input)
    const before = await countMessages()
    const again = await t.services.channels.deliver(null, { ...input, body: '另一条' })
    expect(again).toEqual(first)
    expect(await countMessages()).toBe(before)
    // Another source, or another channel, is another message.
    expect((await t.services.channels.deliver(null, { ...input, sourceId: 'cmp_2' })).id).not.toBe(first.id)
  })

  it('refuses a bad recipient with field and reason, and records a member without an address as failed', async () => {
    await expect(t.services.channels.deliver(null, { channel: 'sms', purpose: 'service', to: '12345', body: 'x' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'to', reason: 'not a mainland China mobile number' }] })
    const member = await t.given.member({ consents: { wechat: true } })
    const m = await t.services.channels.deliver(null, { channel: 'wechat', purpose: 'marketing', memberId: member.id, body: '积分提醒' })
    expect(m).toMatchObject({ status: 'failed', error: 'no wechat address', recipient: null })
    await t.services.channels.bindChannelIds(member.id, { wechatOpenid: 'oAbCdEf1234567' })
    expect(await t.services.channels.deliver(null, { channel: 'wechat', purpose: 'marketing', memberId: member.id, body: '积分提醒' })).toMatchObject({ status: 'delivered', recipient: 'oAbC***4567' })
  })

  it('keeps provider secrets encrypted at rest, never returns them, and keeps a secret an update leaves out', async () => {
    const server = await serve([aliyunOk])
    const put = await t.services.channels.putProvider(t.actors.hq_marketing, 'sms', {
      kind: 'aliyun_sms', settings: { endpoint: server.url, accessKeyId: 'LTAIkey', accessKeySecret: 'TopSecretValue42', signName: '好邻居', templateCode: 'SMS_1', receiptToken: 'receipt-token-77' },
    })
    expect(put).toMatchObject({ channel: 'sms', kind: 'aliyun_sms', hasSecret: { accessKeySecret: true, receiptToken: true }, settings: { accessKeyId: 'LTAIkey', signName: '好邻居' } })
    expect(JSON.stringify(put)).not.toContain('TopSecretValue42')
    const raw = await t.services.db.selectFrom('message_providers').selectAll().where('channel', '=', 'sms').executeTakeFirstOrThrow()
    expect(raw.settings).not.toContain('TopSecretValue42')
    expect(raw.settings).not.toContain('receipt-token-77')
    expect(JSON.stringify(await t.services.channels.listProviders(t.actors.hq_admin))).not.toContain('TopSecretValue42')
    const audit = await t.services.db.selectFrom('audit_log').select(['action', 'changes']).where('action', '=', 'message_provider.update').execute()
    expect(JSON.stringify(audit)).not.toContain('TopSecretValue42')

    // Changing the sign name alone keeps the stored secret: the message still goes out signed.
    await t.services.channels.putProvider(t.actors.hq_marketing, 'sms', { kind: 'aliyun_sms', settings: { endpoint: server.url, accessKeyId: 'LTAIkey', signName: '好邻居超市', templateCode: 'SMS_1' } })
    const m = await t.services.channels.testSend(t.actors.hq_marketing, 'sms', { to: '+86 139 1234 0002' })
    expect(m).toMatchObject({ providerKind: 'aliyun_sms', status: 'sent', providerMessageId: expect.stringMatching(/^biz-/), recipient: '139****0002', purpose: 'service' })
    expect(Object.fromEntries(new URLSearchParams(server.bodies.at(-1)!))).toMatchObject({ PhoneNumbers: '13912340002', SignName: '好邻居超市', AccessKeyId: 'LTAIkey' })
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'sandbox' })
  })

  it('refuses bad settings with the field and the reason, and keeps the provider as it was', async () => {
    await expect(t.services.channels.putProvider(t.actors.hq_marketing, 'email', { kind: 'smtp', settings: { host: '', port: 70000, from: 'not-an-address', colour: 'red' } }))
      .rejects.toMatchObject({
        code: 'MARKETING_PROVIDER_SETTINGS', details: expect.arrayContaining([
          { field: 'settings.colour', reason: 'not a setting of smtp' }, { field: 'settings.host', reason: 'required' },
          { field: 'settings.port', reason: 'must be a port number (1–65535)' }, { field: 'settings.from', reason: 'must be an email address (or "Name <address>")' },
        ]),
      })
    await expect(t.services.channels.putProvider(t.actors.hq_marketing, 'email', { kind: 'aliyun_sms', settings: {} })).rejects.toMatchObject({ details: [{ field: 'kind', reason: 'a email provider is one of sandbox, smtp' }] })
    expect((await t.services.channels.listProviders(t.actors.hq_marketing)).find((p) => p.channel === 'email')!.kind).toBe('sandbox')
    await expect(t.services.channels.putProvider(t.actors.analyst, 'email', { kind: 'sandbox' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(t.services.channels.listProviders(t.actors.store_manager)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('retries a retryable failure on the next call of the same source, and fails a permanent one at once', async () => {
    const server = await serve([json(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' }), aliyunOk, json(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' })])
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'aliyun_sms', settings: { endpoint: server.url, accessKeyId: 'k', accessKeySecret: 's', signName: '好邻居', templateCode: 'SMS_1' } })
    const member = await t.given.member({ consents: { sms: true } })
    const input = { channel: 'sms' as const, purpose: 'marketing' as const, memberId: member.id, body: '会员日', templateCode: 'SMS_2', params: { name: '王' }, sourceType: 'campaign', sourceId: 'cmp_retry' }
    const first = await t.services.channels.deliver(null, input)
    expect(first).toMatchObject({ status: 'queued', attempts: 1, error: 'isv.BUSINESS_LIMIT_CONTROL: 触发流控' })
    // Too soon (another caller may be sending it): nothing is sent.
    expect(await t.services.channels.deliver(null, input)).toEqual(first)
    expect(server.bodies).toHaveLength(1)
    t.clock.advance(RETRY_AFTER_MS)
    const second = await t.services.channels.deliver(null, input)
    expect(second).toMatchObject({ id: first.id, status: 'sent', attempts: 2, error: null })
    // Sent: a third call sends nothing.
    expect(await t.services.channels.deliver(null, input)).toMatchObject({ id: first.id, status: 'sent', attempts: 2 })
    expect(server.bodies).toHaveLength(2)
    const other = await t.services.channels.deliver(null, { ...input, sourceId: 'cmp_retry_2' })
    expect(other).toMatchObject({ status: 'failed', attempts: 1, error: 'isv.MOBILE_NUMBER_ILLEGAL: 非法手机号' })
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'sandbox' })
  })
})

describe('delivery receipts', () => {
  it("applies Alibaba's report with the provider's token; a wrong token or a malformed report changes nothing", async () => {
    const server = await serve([aliyunOk])
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'aliyun_sms', settings: { endpoint: server.url, accessKeyId: 'k', accessKeySecret: 's', signName: '好邻居', templateCode: 'SMS_1', receiptToken: 'tok-1' } })
    const a = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', to: '13912340003', body: '你好' })
    const b = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', to: '13912340004', body: '你好' })
    expect([a.status, b.status]).toEqual(['sent', 'sent'])
    const report = [
      { phone_number: '13912340003', send_time: '2026-03-02 10:00:01', report_time: '2026-03-02 10:00:05', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: a.providerMessageId, out_id: a.id },
      { phone_number: '13912340004', send_time: '2026-03-02 10:00:01', report_time: '2026-03-02 10:00:06', success: false, err_code: 'MK:0001', err_msg: '用户停机', sms_size: '1', biz_id: b.providerMessageId, out_id: b.id },
    ]
    await expect(t.services.channels.receipt('aliyun_sms', { body: report, rawBody: null, token: 'wrong' })).rejects.toMatchObject({ code: 'MARKETING_RECEIPT_UNVERIFIED', status: 403, details: [{ field: 'token', reason: 'does not match' }] })
    const malformed = [report[0], { ...report[1], success: 'yes', biz_id: undefined }]
    await expect(t.services.channels.receipt('aliyun_sms', { body: malformed, rawBody: null, token: 'tok-1' })).rejects.toMatchObject({
      code: 'MARKETING_RECEIPT_INVALID', status: 422, details: [{ field: '1.biz_id', reason: 'required: the BizId SendSms answered' }, { field: '1.success', reason: 'a boolean' }],
    })
    expect((await rowOf(a.id)).status).toBe('sent')

    expect(await t.services.channels.receipt('aliyun_sms', { body: report, rawBody: null, token: 'tok-1' })).toEqual({ received: 2, updated: 2 })
    expect(await t.services.channels.getMessage(t.actors.hq_admin, a.id)).toMatchObject({ status: 'delivered', deliveredAt: '2026-03-02T02:00:05.000Z' })
    expect(await t.services.channels.getMessage(t.actors.hq_admin, b.id)).toMatchObject({ status: 'failed', error: 'MK:0001: 用户停机', deliveredAt: null })
    // The same report again changes nothing; an unknown id is counted, not refused.
    expect(await t.services.channels.receipt('aliyun_sms', { body: [{ ...report[0], biz_id: 'unknown' }], rawBody: null, token: 'tok-1' })).toEqual({ received: 1, updated: 0 })
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'sandbox' })
    await expect(t.services.channels.receipt('aliyun_sms', { body: report, rawBody: null, token: 'tok-1' })).rejects.toMatchObject({ code: 'MARKETING_PROVIDER_NOT_CONFIGURED' })
  })

  it("applies a push provider's receipts signed with its token, and a bounce after delivery", async () => {
    const server = await serve([json(200, { id: 'push-77' })])
    await t.services.channels.putProvider(t.actors.hq_admin, 'push', { kind: 'http_push', settings: { url: server.url, token: 'push-secret' } })
    const m = await t.services.channels.deliver(null, { channel: 'push', purpose: 'marketing', to: 'device-abc', subject: '积分', body: '积分到账' })
    expect(m).toMatchObject({ status: 'sent', providerMessageId: 'push-77' })
    const body = JSON.stringify({ receipts: [{ messageId: 'push-77', status: 'delivered', at: '2026-03-02T02:01:00Z' }] })
    const sign = (text: string) => `sha256=${createHmac('sha256', 'push-secret').update(text).digest('hex')}`
    await expect(t.services.channels.receipt('http_push', { body: JSON.parse(body), rawBody: body, signature: sign(`${body} `) })).rejects.toMatchObject({ code: 'MARKETING_RECEIPT_UNVERIFIED' })
    expect(await t.services.channels.receipt('http_push', { body: JSON.parse(body), rawBody: body, signature: sign(body) })).toEqual({ received: 1, updated: 1 })
    const bounce = JSON.stringify({ receipts: [{ messageId: 'push-77', status: 'bounced', error: 'token unregistered' }] })
    await t.services.channels.receipt('http_push', { body: JSON.parse(bounce), rawBody: bounce, signature: sign(bounce) })
    expect(await t.services.channels.getMessage(t.actors.hq_admin, m.id)).toMatchObject({ status: 'bounced', error: 'token unregistered', deliveredAt: '2026-03-02T02:01:00.000Z' })
    await t.services.channels.putProvider(t.actors.hq_admin, 'push', { kind: 'sandbox' })
  })
})

describe("a member's messages as member data", () => {
  it('counts, exports, moves on a merge and blanks on erasure', async () => {
    const member = await t.given.member({ phone: '13912340009', consents: { sms: true } })
    const other = await t.given.member()
    const m = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '生日快乐', sourceType: 'campaign', sourceId: 'cmp_bday' })
    await t.services.channels.bindChannelIds(member.id, { wechatOpenid: 'oMember0000009' })
    expect(await channelsMemberData.count(t.services.db, member.id)).toBe(1)
    const exported = await exportMemberData(t.services.db, t.services.memberData, member.id)
    expect(exported.messages!.messages).toEqual([expect.objectContaining({ id: m.id, body: '生日快乐', recipient_masked: '139****0009' })])
    expect(exported.messages!.member_channel_ids).toEqual([expect.objectContaining({ wechat_openid: 'oMember0000009' })])

    await t.services.db.transaction().execute((trx) => channelsMemberData.move(trx, member.id, other.id))
    expect(await channelsMemberData.count(t.services.db, other.id)).toBe(1)
    expect((await t.services.db.selectFrom('member_channel_ids').selectAll().where('member_id', '=', other.id).executeTakeFirstOrThrow()).wechat_openid).toBe('oMember0000009')

    await t.services.db.transaction().execute((trx) => eraseMemberData(trx, t.services.memberData, other.id, t.clock.now().toISOString()))
    const row = await rowOf(m.id)
    expect(row).toMatchObject({ member_id: null, recipient_enc: null, recipient_masked: null, body: '', dedupe_key: null, status: 'delivered', channel: 'sms' })
    expect(await t.services.db.selectFrom('member_channel_ids').selectAll().where('member_id', '=', other.id).execute()).toEqual([])
  })
})
