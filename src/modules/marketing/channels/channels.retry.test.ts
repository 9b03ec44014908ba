import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { MAX_ATTEMPTS, RETRY_AFTER_MS } from './channels.service.js'

// The retry job (marketing.retryMessages): a provider that times out, answers 5xx or "slow down"
// is tried again with backoff (60 s, doubling) and, after the fifth attempt, the message fails for
// good with its error (the dead letter); what a retry sends is never sent twice.
const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })
const closers: Array<() => Promise<void>> = []
afterAll(async () => { for (const close of closers) await close() })

/** A gateway that answers each request with the next answer (the last repeats). */
const gateway = async (answers: Array<(res: ServerResponse) => void>) => {
  let calls = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => answers[Math.min(++calls, answers.length) - 1]!(res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, calls: () => calls }
}
const answer = (status: number, body: unknown) => (res: ServerResponse) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)) }
const hang = () => undefined

const useGateway = (url: string) => t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'webhook_sms', settings: { url, secret: 'retry-secret' } })
const statusOf = async (id: string) => t.services.db.selectFrom('messages').select(['status', 'attempts', 'error']).where('id', '=', id).executeTakeFirstOrThrow()
/** Moves time on and runs the retry job as the worker would. */
const later = async (ms: number) => {
  t.clock.advance(ms)
  return t.services.channels.retryDue()
}

describe('retrying what a provider failed to take', () => {
  it('tries a 503, a timeout and a 429 again with backoff, then sends once', async () => {
    const gw = await gateway([answer(503, { error: 'busy' }), hang, answer(429, { error: 'slow down' }), answer(200, { messageId: 'gw-1' })])
    await useGateway(gw.url)
    const member = await t.given.member({ consents: { sms: true } })
    const first = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '会员日', sourceType: 'retry_test', sourceId: 'a' })
    expect(first).toMatchObject({ status: 'queued', attempts: 1 })
    // Not yet: the first wait is 60 s.
    expect(await later(RETRY_AFTER_MS - 1000)).toMatchObject({ retried: 0 })
    expect(await later(1000)).toMatchObject({ retried: 1, sent: 0 }) // the timeout
    expect(await statusOf(first.id)).toMatchObject({ status: 'queued', attempts: 2 })
    // The second wait doubles: 120 s.
    expect(await later(RETRY_AFTER_MS)).toMatchObject({ retried: 0 })
    expect(await later(RETRY_AFTER_MS)).toMatchObject({ retried: 1, sent: 0 }) // the 429
    expect(await later(4 * RETRY_AFTER_MS)).toMatchObject({ retried: 1, sent: 1 })
    expect(await statusOf(first.id)).toMatchObject({ status: 'sent', attempts: 4, error: null })
    expect(gw.calls()).toBe(4)
    // Sent: no more attempts, and the campaign's repeat of the same source finds it.
    expect(await later(60 * RETRY_AFTER_MS)).toMatchObject({ retried: 0 })
    expect(await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '会员日', sourceType: 'retry_test', sourceId: 'a' })).toMatchObject({ id: first.id, status: 'sent' })
    expect(gw.calls()).toBe(4)
  }, 60_000)

  it('fails a message for good after the fifth attempt, keeping the last error', async () => {
    const gw = await gateway([answer(500, { error: 'down' })])
    await useGateway(gw.url)
    const member = await t.given.member({ consents: { sms: true } })
    const m = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '积分到期提醒', sourceType: 'retry_test', sourceId: 'b' })
    for (let i = 0; i < 10; i++) await later(16 * RETRY_AFTER_MS)
    expect(await statusOf(m.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, error: expect.stringContaining('500') })
    expect(gw.calls()).toBe(MAX_ATTEMPTS)
  })

  it('does not send a queued marketing message once the member has withdrawn consent', async () => {
    const gw = await gateway([answer(503, { error: 'busy' }), answer(200, { messageId: 'gw-2' })])
    await useGateway(gw.url)
    const member = await t.given.member({ consents: { sms: true } })
    const m = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '周末特惠', sourceType: 'retry_test', sourceId: 'c' })
    await t.services.members.setConsent(t.actors.hq_admin, member.id, { channel: 'sms', granted: false })
    expect(await later(RETRY_AFTER_MS)).toMatchObject({ retried: 1, failed: 1 })
    expect(await statusOf(m.id)).toMatchObject({ status: 'failed', error: 'consent to marketing by sms withdrawn' })
    expect(gw.calls()).toBe(1)
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'sandbox' })
  })
})
