import type { AddressInfo } from 'node:net'
import type { InjectOptions } from 'fastify'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { channelsMemberData } from './channels.member-data.js'
import { clickToken, openToken } from './tracking-token.js'

// Email tracking (issue 15 §1): with the setting on, a marketing email to a member goes with an
// HTML part whose links go through Patron's redirect and a 1×1 open pixel; the public routes count
// opens and clicks on the signed token alone, and send a click only where the message pointed.

const context = useTestContext()
let t: TestContext
let cookie = ''
const mails: string[] = []
beforeAll(async () => {
  t = await context()
  cookie = await t.login(t.users.hq_marketing!.username)
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
  await t.services.channels.putProvider(t.actors.hq_marketing, 'email', { kind: 'smtp', settings: { host: '127.0.0.1', port: (server.server.address() as AddressInfo).port, from: 'crm@example.test' } })
})
const closers: Array<() => Promise<void>> = []
afterAll(async () => { for (const close of closers) await close() })

const staff = (options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })
const anyone = (options: InjectOptions) => t.app.inject(options)

const SALE = 'https://shop.example.test/sale?from=mail&x=1'
const body = (unsubscribe: string) => `会员日全场双倍积分！\n详情：${SALE}，门店地图 https://shop.example.test/stores。\n\n退订：${unsubscribe}`

/** The decoded text of a mail's part of this type, or null when the mail has none. */
const partOf = (raw: string, type: 'text/plain' | 'text/html'): string | null => {
  const at = raw.search(new RegExp(`^Content-Type: ${type}`, 'mi'))
  if (at < 0) return null
  const rest = raw.slice(at)
  const [head, ...after] = rest.split('\r\n\r\n')
  const content = after.join('\r\n\r\n').split(/\r\n--/)[0]!
  if (/^Content-Transfer-Encoding: quoted-printable/mi.test(head!)) {
    const bytes = content.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`)
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'))
  }
  if (/^Content-Transfer-Encoding: base64/mi.test(head!)) return Buffer.from(content, 'base64').toString('utf8')
  return content
}

const setTracking = async (on: boolean) => {
  const res = await staff({ method: 'PUT', url: '/api/v1/marketing/settings', payload: { emailTracking: on } })
  expect(res.statusCode).toBe(200)
  expect(res.json().emailTracking).toBe(on)
}

const sendTo = async (memberId: string, sourceId: string) => {
  const m = await t.services.channels.deliver(null, {
    channel: 'email', purpose: 'marketing', memberId, subject: '会员日', body: body(t.services.channels.unsubscribeUrl(memberId)), sourceType: 'test', sourceId,
  })
  expect(m.status).toBe('sent')
  return { message: m, raw: mails.at(-1)! }
}

const tokensIn = (html: string, kind: 'o' | 'c') =>
  [...html.matchAll(new RegExp(`http://localhost:3000/api/v1/public/marketing/${kind}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]!)

const rowOf = (id: string) => t.services.db.selectFrom('messages').select(['links', 'opened_at', 'clicked_at', 'opens', 'clicks']).where('id', '=', id).executeTakeFirstOrThrow()
const messageOf = async (id: string) => (await staff({ method: 'GET', url: `/api/v1/marketing/messages/${id}` })).json()

describe('the email tracking setting', () => {
  it('is off by default, set by marketing.manage alone, kept when the signature changes, and audited', async () => {
    expect((await staff({ method: 'GET', url: '/api/v1/marketing/settings' })).json()).toMatchObject({ emailTracking: false })
    const analyst = await t.login(t.users.analyst!.username)
    expect((await anyone({ method: 'PUT', url: '/api/v1/marketing/settings', headers: { cookie: analyst }, payload: { emailTracking: true } })).statusCode).toBe(403)
    expect((await staff({ method: 'PUT', url: '/api/v1/marketing/settings', payload: { emailTracking: 'maybe' } })).statusCode).toBe(400)

    await setTracking(true)
    const signed = await staff({ method: 'PUT', url: '/api/v1/marketing/settings', payload: { smsSignature: '好又多' } })
    expect(signed.json()).toMatchObject({ smsSignature: '好又多', emailTracking: true, updatedAt: '2026-03-02T02:00:00.000Z' })
    const audit = await t.services.db.selectFrom('audit_log').select('changes').where('action', '=', 'marketing.settings.update').orderBy('id').execute()
    expect(audit.map((a) => JSON.parse(a.changes!) as unknown)).toEqual([
      { emailTracking: { from: false, to: true } }, { smsSignature: { from: 'Patron', to: '好又多' } },
    ])
    await setTracking(false)
  })
})

describe('a marketing email over SMTP', () => {
  it('goes as text alone while tracking is off', async () => {
    const member = await t.given.member({ email: 'qian@example.test', consents: { email: true } })
    const { message, raw } = await sendTo(member.id, 'off')
    expect(partOf(raw, 'text/html')).toBeNull()
    expect(raw).not.toContain('/public/marketing/o/')
    expect(message).toMatchObject({ tracked: false, openedAt: null, clickedAt: null, opens: 0, clicks: 0 })
    expect((await rowOf(message.id)).links).toBeNull()
  })

  it('goes with an HTML part of tracked links and an open pixel while it is on; the unsubscribe link as it is', async () => {
    await setTracking(true)
    const member = await t.given.member({ email: 'sun@example.test', consents: { email: true } })
    const unsubscribe = t.services.channels.unsubscribeUrl(member.id)
    const { message, raw } = await sendTo(member.id, 'on')
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m)
    expect(partOf(raw, 'text/plain')).toContain(SALE)
    const html = partOf(raw, 'text/html')!
    expect(html).toContain('会员日全场双倍积分！<br>')
    expect(html).not.toContain(`href="${SALE.replace('&', '&amp;')}"`)
    expect(html).toContain(`>${SALE.replace('&', '&amp;')}</a>`)
    expect(tokensIn(html, 'c')).toHaveLength(2)
    expect(tokensIn(html, 'o')).toHaveLength(1)
    expect(html).toContain(`<a href="${unsubscribe}">${unsubscribe}</a>`)
    expect(message).toMatchObject({ tracked: true, opens: 0, clicks: 0 })
    expect(JSON.parse((await rowOf(message.id)).links!)).toEqual([SALE, 'https://shop.example.test/stores'])

    // A service email, and a marketing email to an address alone, are never tracked.
    await t.services.channels.deliver(null, { channel: 'email', purpose: 'service', memberId: member.id, subject: '积分到账', body: `详情 ${SALE}` })
    expect(partOf(mails.at(-1)!, 'text/html')).toBeNull()
    await t.services.channels.deliver(null, { channel: 'email', purpose: 'marketing', to: 'zhou@example.test', subject: '会员日', body: `详情 ${SALE}` })
    expect(partOf(mails.at(-1)!, 'text/html')).toBeNull()
  })
})

describe('the open pixel and the click redirect', () => {
  const tracked = async (sourceId: string) => {
    await setTracking(true)
    const member = await t.given.member({ consents: { email: true }, email: `${sourceId}@example.test` })
    const { message, raw } = await sendTo(member.id, sourceId)
    const html = partOf(raw, 'text/html')!
    return { member, message, open: tokensIn(html, 'o')[0]!, clicks: tokensIn(html, 'c') }
  }

  it('answers the GIF, uncached, and counts opens with the first time', async () => {
    const { message, open } = await tracked('opens')
    const first = await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${open}` })
    expect(first.statusCode).toBe(200)
    expect(first.headers['content-type']).toBe('image/gif')
    expect(first.headers['cache-control']).toContain('no-store')
    expect(first.rawPayload.subarray(0, 6).toString('latin1')).toBe('GIF89a')
    t.clock.advance(3600_000)
    await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${open}` })
    // A HEAD (a scanner checking the picture) is answered, not counted.
    expect((await anyone({ method: 'HEAD', url: `/api/v1/public/marketing/o/${open}` })).statusCode).toBe(200)
    expect(await messageOf(message.id)).toMatchObject({ tracked: true, openedAt: '2026-03-02T02:00:00.000Z', opens: 2, clickedAt: null, clicks: 0 })
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it('sends a click to the link stored on the message, counting the click and an open with it', async () => {
    const { message, clicks } = await tracked('clicks')
    const res = await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clicks[0]}` })
    expect([res.statusCode, res.headers.location]).toEqual([302, SALE])
    expect((await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clicks[1]}` })).headers.location).toBe('https://shop.example.test/stores')
    expect((await anyone({ method: 'HEAD', url: `/api/v1/public/marketing/c/${clicks[1]}` })).headers.location).toBe('https://shop.example.test/stores')
    expect(await messageOf(message.id)).toMatchObject({ openedAt: '2026-03-02T02:00:00.000Z', opens: 1, clickedAt: '2026-03-02T02:00:00.000Z', clicks: 2 })

    const opened = (await staff({ method: 'GET', url: '/api/v1/marketing/messages', query: { opened: 'true', limit: '200' } })).json().items as Array<{ id: string; openedAt: string | null }>
    expect(opened.map((m) => m.id)).toContain(message.id)
    expect(opened.every((m) => m.openedAt !== null)).toBe(true)
    const notOpened = (await staff({ method: 'GET', url: '/api/v1/marketing/messages', query: { opened: 'false', limit: '200' } })).json().items as Array<{ id: string; openedAt: string | null }>
    expect(notOpened.map((m) => m.id)).not.toContain(message.id)
    expect(notOpened.length).toBeGreaterThan(0)
    expect(notOpened.every((m) => m.openedAt === null)).toBe(true)
  })

  it('records nothing for a forged or tampered token: the picture all the same, 404 for a link', async () => {
    const { message, open, clicks } = await tracked('forged')
    const before = await rowOf(message.id)
    const [payload, sig] = clicks[0]!.split('.')
    const forged = [
      `${payload}.${sig!.slice(0, -2)}xx`, // a signature changed
      `${Buffer.from(`c:${message.id}:1`).toString('base64url')}.${sig}`, // another link under the first's signature
      `${open.split('.')[0]}.${sig}`, // the open under a click's signature
      'not-a-token', `${'a'.repeat(50)}.${'b'.repeat(32)}`,
    ]
    for (const token of forged) {
      const pixel = await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${token}` })
      expect([pixel.statusCode, pixel.headers['content-type']], token).toEqual([200, 'image/gif'])
      const click = await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${token}` })
      expect(click.statusCode, token).toBeOneOf([400, 404])
      expect(click.headers.location, token).toBeUndefined()
    }
    // A click token used as the pixel's, and the pixel's as a click: nothing either.
    expect((await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${clicks[0]}` })).statusCode).toBe(200)
    const openAsClick = await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${open}` })
    expect([openAsClick.statusCode, openAsClick.json().error.code]).toEqual([404, 'MARKETING_LINK_NOT_FOUND'])
    expect(await rowOf(message.id)).toEqual(before)
  })

  it('never redirects to a URL the message did not carry', async () => {
    const { message, clicks } = await tracked('open-redirect')
    // A URL in the request is not read: the stored link is where it goes.
    const named = await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clicks[0]}?url=https://evil.example.test/&to=https://evil.example.test/` })
    expect(named.headers.location).toBe(SALE)
    // A link index the message does not have, though signed with the server's own key.
    const beyond = await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clickToken(t.keyring, message.id, 2)}` })
    expect([beyond.statusCode, beyond.headers.location]).toEqual([404, undefined])
    // A message that was not tracked (a service email) has no links to go to.
    const service = await t.services.channels.deliver(null, { channel: 'email', purpose: 'service', to: 'wu@example.test', subject: '通知', body: `见 ${SALE}` })
    expect((await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clickToken(t.keyring, service.id, 0)}` })).statusCode).toBe(404)
    await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${openToken(t.keyring, service.id)}` })
    expect(await rowOf(service.id)).toEqual({ links: null, opened_at: null, clicked_at: null, opens: 0, clicks: 0 })
    // A row whose stored link is not a web URL (written by hand) is no redirect target either.
    const before = await rowOf(message.id)
    await t.services.db.updateTable('messages').set({ links: JSON.stringify(['javascript:alert(1)']) }).where('id', '=', message.id).execute()
    expect((await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clicks[0]}` })).statusCode).toBe(404)
    expect({ ...(await rowOf(message.id)), links: before.links }).toEqual(before)
  })

  it("stops counting once the member is erased, keeping the counts made", async () => {
    const { member, message, open, clicks } = await tracked('erased')
    await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${open}` })
    await t.services.db.transaction().execute((trx) => channelsMemberData.erase(trx, member.id, { holderId: 'nobody', at: '2026-03-01T00:00:00.000Z' }))
    expect((await anyone({ method: 'GET', url: `/api/v1/public/marketing/o/${open}` })).statusCode).toBe(200)
    expect((await anyone({ method: 'GET', url: `/api/v1/public/marketing/c/${clicks[0]}` })).statusCode).toBe(404)
    expect(await rowOf(message.id)).toEqual({ links: null, opened_at: '2026-03-02T02:00:00.000Z', clicked_at: null, opens: 1, clicks: 0 })
  })
})
