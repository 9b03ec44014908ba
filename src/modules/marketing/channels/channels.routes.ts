import { Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { notFound, payloadTooLarge } from '../../../shared/errors.js'
import { actorOf, typedApp, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, Page, errors } from '../../../shared/http/schemas.js'
import {
  ChannelParams, ClickParams, InboundAnswer, InboundParams, InboundQuery, MessageSchema, MessagesQuery, OpenParams, ProviderBody, ProviderSchema, ReceiptAnswer, ReceiptParams, ReceiptQuery, TestSendBody,
  UnsubscribeParams, UnsubscribeState,
} from './channels.schemas.js'
import type { ChannelsService } from './channels.service.js'
import { PIXEL_GIF } from './email-tracking.js'
import { SIGNATURE_HEADER } from './webhook-sms.adapter.js'

/** A batch of receipts is small; a callback far larger is refused before parsing. */
const RECEIPT_BODY_LIMIT = 256 * 1024

// The HMAC of a callback is of the bytes the provider sent, so they are kept before parsing.
const keepRawBody = async (req: FastifyRequest, _reply: unknown, payload: AsyncIterable<unknown>) => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of payload) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
    size += b.length
    if (size > RECEIPT_BODY_LIMIT) throw payloadTooLarge('MARKETING_RECEIPT_TOO_LARGE', [{ field: 'body', reason: `larger than ${RECEIPT_BODY_LIMIT / 1024} KiB` }])
    chunks.push(b)
  }
  req.rawBody = Buffer.concat(chunks)
  return Readable.from([req.rawBody])
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the body as received, for a callback's HMAC (set on the receipt route only) */
    rawBody?: Buffer
  }
}

export const channelsRoutes = (app: TypedApp, { channels }: { channels: ChannelsService }) => {
  const tags = ['marketing']
  app.addSchema(ProviderSchema)
  app.addSchema(MessageSchema)
  const Provider = Type.Ref('MessageProvider')
  const Message = Type.Ref('Message')

  app.get('/marketing/providers', {
    schema: { tags, summary: "Each channel's provider (sms, email, wechat, push); the sandbox until one is set; secrets never returned", response: { 200: Type.Array(Provider), ...errors(401, 403) } },
    config: { permission: 'marketing.read' },
  }, async (req) => channels.listProviders(actorOf(req)))

  app.put('/marketing/providers/:channel', {
    schema: {
      tags, summary: "Set a channel's provider and its settings (secrets stored encrypted; left out, the stored one is kept); audited",
      params: ChannelParams, body: ProviderBody, response: { 200: Provider, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'marketing.manage' },
  }, async (req) => channels.putProvider(actorOf(req), req.params.channel, { kind: req.body.kind, enabled: req.body.enabled, settings: req.body.settings }))

  app.post('/marketing/providers/:channel/test', {
    schema: {
      tags, summary: "Send a test message through the channel's provider to the address given; the message log records it (sent or failed); audited",
      params: ChannelParams, body: TestSendBody, response: { 201: Message, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'marketing.manage' },
  }, async (req, reply) => reply.code(201).send(await channels.testSend(actorOf(req), req.params.channel, req.body)))

  app.get('/marketing/messages', {
    schema: { tags, summary: 'The message log, newest first: channel, status, member, source, a window of created times, opened or not', querystring: MessagesQuery, response: { 200: Page(Message), ...errors(400, 401, 403, 422) } },
    config: { permission: 'marketing.read' },
  }, async (req) => channels.listMessages(actorOf(req), req.query))

  app.get('/marketing/messages/:id', {
    schema: { tags, summary: 'A message of the log (its recipient masked)', params: IdParams, response: { 200: Message, ...errors(401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => channels.getMessage(actorOf(req), req.params.id))

  // The callbacks live in a context of their own: WeChat pushes XML, which no other route takes.
  void app.register(async (context) => {
    const callbacks = typedApp(context)
    callbacks.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: RECEIPT_BODY_LIMIT }, (_req, body, done) => done(null, body))

    callbacks.post('/public/marketing/receipts/:kind', {
      schema: {
        tags, summary: "A provider's delivery receipts (its callback): no sign-in; proven by the provider's token (aliyun_sms: ?token=), WeChat's signature (?signature&timestamp&nonce) or an HMAC of the body (X-Patron-Signature: sha256=…)",
        params: ReceiptParams, querystring: ReceiptQuery,
        body: Type.Unknown({ description: 'aliyun_sms: the SmsReport array; wechat_template: the XML push (TEMPLATESENDJOBFINISH); webhook_sms, http_push: { receipts: [{ messageId, status, error?, at? }] }' }),
        response: { 200: Type.Union([ReceiptAnswer, Type.String({ description: 'wechat_template: "success" as text/plain, as WeChat expects' })]), ...errors(400, 403, 404, 422) }, security: [],
      },
      bodyLimit: RECEIPT_BODY_LIMIT,
      config: { public: true },
      preParsing: keepRawBody,
    }, async (req, reply) => {
      const { kind } = req.params
      const header = req.headers[SIGNATURE_HEADER]
      const r = await channels.receipt(kind, {
        body: req.body, rawBody: req.rawBody ?? null, token: req.query.token ?? null, timestamp: req.query.timestamp ?? null, nonce: req.query.nonce ?? null,
        signature: kind === 'wechat_template' ? (req.query.signature ?? null) : typeof header === 'string' ? header : null,
      })
      // WeChat takes "success" (anything else it retries, and may tell the member the account is out of service).
      if (kind === 'wechat_template') return reply.type('text/plain; charset=utf-8').send('success')
      return { code: 0, msg: '成功', ...r }
    })

    callbacks.get('/public/marketing/receipts/:kind', {
      schema: {
        tags, summary: "WeChat's check of the callback URL (the 公众号's server configuration): the echostr back when signed with the provider's token",
        params: ReceiptParams, querystring: ReceiptQuery, response: { 200: Type.String(), ...errors(400, 403, 404) }, security: [],
      },
      config: { public: true },
    }, async (req, reply) => {
      if (req.params.kind !== 'wechat_template') throw notFound('MARKETING_PROVIDER_NOT_CONFIGURED', [{ field: 'kind', reason: 'only wechat_template checks its URL' }])
      return reply.type('text/plain; charset=utf-8').send(await channels.wechatEcho(req.query))
    })

    callbacks.post('/public/marketing/inbound/:kind', {
      schema: {
        tags, summary: "An SMS provider's inbound messages (members' replies; its uplink callback): a reply of T, TD, 退订, N, STOP, UNSUBSCRIBE or 取消 withdraws the SMS consent of the member with that number. No sign-in; proven as the provider's receipts are (aliyun_sms: ?token=; webhook_sms: X-Patron-Signature)",
        params: InboundParams, querystring: InboundQuery,
        body: Type.Unknown({ description: 'aliyun_sms: the SmsUp array [{ phone_number, send_time, content, sign_name, dest_code, sequence_id }]; webhook_sms: { from, text, at? } or an array of them' }),
        response: { 200: InboundAnswer, ...errors(400, 403, 404, 422) }, security: [],
      },
      bodyLimit: RECEIPT_BODY_LIMIT,
      config: { public: true },
      preParsing: keepRawBody,
    }, async (req) => {
      const header = req.headers[SIGNATURE_HEADER]
      const r = await channels.inbound(req.params.kind, {
        body: req.body, rawBody: req.rawBody ?? null, token: req.query.token ?? null, signature: typeof header === 'string' ? header : null,
      })
      return { code: 0, msg: '成功', ...r }
    })
  })

  // A member's unsubscribe link, and a mail service's one-click unsubscribe (RFC 8058: a form
  // body "List-Unsubscribe=One-Click", which no other route takes).
  void app.register(async (context) => {
    const links = typedApp(context)
    links.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))))

    links.get('/public/marketing/unsubscribe/:token', {
      schema: {
        tags, summary: "What a member's unsubscribe link shows: the channel, the member's address on it (masked), whether subscribed. No sign-in; a browser opening it (a mail client's List-Unsubscribe) is sent to the page /u/<token>",
        params: UnsubscribeParams, response: { 200: UnsubscribeState, ...errors(400, 404) }, security: [],
      },
      config: { public: true },
    }, async (req, reply) => {
      if (req.headers.accept?.includes('text/html')) return reply.redirect(`/u/${encodeURIComponent(req.params.token)}`, 303)
      return channels.unsubscribePage(req.params.token)
    })

    links.post('/public/marketing/unsubscribe/:token', {
      schema: {
        tags, summary: 'The member unsubscribes from the link\'s channel (consent withdrawn, its source in the consent history); again is no change. No sign-in; also a mail service\'s one-click (RFC 8058) POST',
        params: UnsubscribeParams, body: Type.Optional(Type.Unknown({ description: 'none, {} or the one-click form List-Unsubscribe=One-Click' })),
        response: { 200: UnsubscribeState, ...errors(400, 404) }, security: [],
      },
      bodyLimit: 1024,
      config: { public: true },
    }, async (req) => channels.unsubscribe(req.params.token))
  })

  // A tracked email's open pixel and its links' redirect: no sign-in, the signed token is the
  // authority. A HEAD (a mail service's or a security scanner's check) is answered, not counted.
  app.get('/public/marketing/o/:token', {
    schema: {
      tags, summary: "A tracked email's open pixel: a 1×1 transparent GIF, never cached; counts an open (the first with its time). No sign-in; a bad or forged token gets the picture too and records nothing",
      params: OpenParams, produces: ['image/gif'], response: { 200: Type.Unknown({ description: 'image/gif, 42 bytes' }) }, security: [],
    },
    config: { public: true },
  }, async (req, reply) => {
    if (req.method !== 'HEAD') await channels.recordOpen(req.params.token)
    // Webmail shows the picture on its own origin: the resource policy lets it load.
    return reply.type('image/gif').header('cache-control', 'no-store, max-age=0').header('cross-origin-resource-policy', 'cross-origin').send(PIXEL_GIF)
  })

  app.get('/public/marketing/c/:token', {
    schema: {
      tags, summary: "A tracked email's link: 302 to the URL stored on the message for it (never one the request names), counting a click and an open. No sign-in; 404 for a bad or forged token",
      params: ClickParams, response: { 302: Type.Null({ description: 'Location: the link as the email had it' }), ...errors(400, 404) }, security: [],
    },
    config: { public: true },
  }, async (req, reply) => {
    const url = await channels.followLink(req.params.token, { record: req.method !== 'HEAD' })
    return reply.header('cache-control', 'no-store').redirect(url, 302)
  })
}
