import { Type } from 'typebox'
import { MEMBER_COOKIE, actorOf, memberOf, type TypedApp } from '../../shared/http/request.js'
import { CursorQuery, IdParams, Nullable, Page, errors } from '../../shared/http/schemas.js'
import { attachment } from '../../shared/http/table-export.js'
import type { PortalAuthService } from './portal-auth.service.js'
import { CodeRequestBody, CodeSentSchema, CouponConditionsSchema, MeSchema, MemberCardSchema, MemberLoginBody, MemberSignedInSchema, RegisterBody } from './portal.schemas.js'
import type { PortalService } from './portal.service.js'

/**
 * The member's own page's API (`/me/…`): no member id in any path or body; the session says
 * whose data it is. Signing in is public; the rest needs the member's cookie.
 */
export const portalRoutes = (app: TypedApp, { portalAuth, portal, secureCookies = false }: { portalAuth: PortalAuthService; portal: PortalService; secureCookies?: boolean }) => {
  const tags = ['member page']
  // Lax, not strict: the page is opened from links (a text message, a WeChat menu, a poster's QR).
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies }

  app.post('/me/auth/code', {
    schema: { tags, summary: 'Send a six-digit sign-in code by text message (valid 5 minutes; one a minute, 5 an hour per number)', body: CodeRequestBody, response: { 200: CodeSentSchema, ...errors(400, 422, 429) }, security: [] },
    config: { public: true },
  }, async (req) => portalAuth.requestCode({ phone: req.body.phone, ip: req.ip ?? null }))

  app.post('/me/auth/login', {
    schema: { tags, summary: "Sign in with the number and its code; sets the member's cookie (a number with no member: 404 MEMBER_NOT_REGISTERED, the code kept for registering)", body: MemberLoginBody, response: { 200: MemberSignedInSchema, ...errors(400, 401, 404, 422) }, security: [] },
    config: { public: true },
  }, async (req, reply) => {
    const signed = await portalAuth.login({ phone: req.body.phone, code: req.body.code, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null })
    void reply.setCookie(MEMBER_COOKIE, signed.token, { ...cookieOptions, expires: new Date(Date.parse(signed.expiresAt) + 60 * 86_400_000) })
    return { me: await portal.summary({ memberId: signed.memberId }), expiresAt: signed.expiresAt }
  })

  app.post('/me/auth/register', {
    schema: {
      tags, summary: "Sign up at a store by its poster's QR (channel qr; a clerk's QR credits the clerk) with the number's code; signs in. A number that is a member already signs in instead (created: false)",
      body: RegisterBody, response: { 200: Type.Object({ ...MemberSignedInSchema.properties, created: Type.Boolean() }), ...errors(400, 401, 409, 422) }, security: [],
    },
    config: { public: true },
  }, async (req, reply) => {
    const signed = await portalAuth.register({ ...req.body, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null })
    void reply.setCookie(MEMBER_COOKIE, signed.token, { ...cookieOptions, expires: new Date(Date.parse(signed.expiresAt) + 60 * 86_400_000) })
    return { me: await portal.summary({ memberId: signed.memberId }), expiresAt: signed.expiresAt, created: signed.created }
  })

  app.get('/me/auth/poster', {
    schema: {
      tags, summary: "What a registration poster's page shows: the chain, the store and the clerk of a clerk's QR (an unknown store or clerk: 422 with the field)",
      querystring: Type.Object({ store: Type.String({ minLength: 1, maxLength: 32 }), clerk: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ chainName: Type.String(), store: Type.Object({ code: Type.String(), name: Type.String() }), clerk: Nullable(Type.Object({ username: Type.String(), displayName: Type.String() })) }),
        ...errors(400, 422),
      },
      security: [],
    },
    config: { public: true },
  }, async (req) => portalAuth.poster(req.query))

  app.get('/stores/:id/registration-poster', {
    schema: {
      tags: ['stores'], summary: "A store's printable registration poster: the member page's URL its QR holds, and each active clerk's own (crediting the clerk)", params: IdParams,
      response: {
        200: Type.Object({
          chainName: Type.String(), store: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }), url: Type.String(),
          clerks: Type.Array(Type.Object({ username: Type.String(), displayName: Type.String(), role: Type.String(), url: Type.String() })),
        }),
        ...errors(401, 403, 404),
      },
    },
    config: { permission: 'stores.read' },
  }, async (req) => portalAuth.registrationPoster(actorOf(req), req.params.id))

  app.post('/me/auth/logout', {
    schema: { tags, summary: 'Sign out on this phone', response: { 204: Type.Null(), ...errors(401) } },
    config: { member: true },
  }, async (req, reply) => {
    await portalAuth.logout(memberOf(req))
    void reply.clearCookie(MEMBER_COOKIE, cookieOptions)
    return reply.code(204).send(null)
  })

  app.post('/me/auth/logout-everywhere', {
    schema: { tags, summary: 'Sign out on every phone and browser', response: { 200: Type.Object({ ended: Type.Integer() }), ...errors(401) } },
    config: { member: true },
  }, async (req, reply) => {
    const ended = await portalAuth.logoutEverywhere(memberOf(req))
    void reply.clearCookie(MEMBER_COOKIE, cookieOptions)
    return ended
  })

  app.get('/me', {
    schema: { tags, summary: "The signed-in member's card, tier and points", response: { 200: MeSchema, ...errors(401) } },
    config: { member: true },
  }, async (req) => portal.summary(memberOf(req)))

  const Paging = Type.Object(CursorQuery, { additionalProperties: false })

  app.get('/me/points/entries', {
    schema: { tags, summary: "The member's points ledger, newest first (each entry with its receipt)", querystring: Paging, response: { 200: Page(Type.Ref('LedgerEntry')), ...errors(400, 401, 422) } },
    config: { member: true },
  }, async (req) => portal.pointsEntries(memberOf(req), req.query))

  app.get('/me/receipts', {
    schema: { tags, summary: "The member's receipts (电子小票) with their lines, returns included, newest first", querystring: Paging, response: { 200: Page(Type.Ref('Receipt')), ...errors(400, 401, 422) } },
    config: { member: true },
  }, async (req) => portal.receipts(memberOf(req), req.query))

  app.get('/me/coupons', {
    schema: {
      tags, summary: "The member's coupons, the usable ones first, each with its code and what it asks of the basket", response: { 200: Type.Array(Type.Intersect([Type.Ref('Coupon'), Type.Object({ conditions: CouponConditionsSchema })])), ...errors(400, 401) },
      querystring: Type.Object({ status: Type.Optional(Type.Enum(['issued', 'used', 'expired', 'voided'])) }, { additionalProperties: false }),
    },
    config: { member: true },
  }, async (req) => portal.coupons(memberOf(req), req.query))

  app.get('/me/gift-orders', {
    schema: { tags, summary: "The member's gift orders with their pick-up codes, newest first", querystring: Paging, response: { 200: Page(Type.Ref('GiftOrder')), ...errors(400, 401, 422) } },
    config: { member: true },
  }, async (req) => portal.giftOrders(memberOf(req), req.query))

  const Consents = Type.Array(Type.Object({ channel: Type.Enum(['sms', 'email', 'wechat', 'app_push', 'phone_call']), granted: Type.Boolean(), changedAt: Nullable(Type.String()) }))

  app.get('/me/consents', {
    schema: { tags, summary: "The member's consent per channel (every channel, given or not)", response: { 200: Consents, ...errors(401) } },
    config: { member: true },
  }, async (req) => portal.consents(memberOf(req)))

  app.put('/me/consents', {
    schema: {
      tags, summary: 'Give or withdraw consent on one channel (recorded with the source member_page)', response: { 200: Consents, ...errors(400, 401, 422) },
      body: Type.Object({ channel: Type.Enum(['sms', 'email', 'wechat', 'app_push', 'phone_call']), granted: Type.Boolean() }, { additionalProperties: false }),
    },
    config: { member: true },
  }, async (req) => portal.setConsent(memberOf(req), req.body))

  app.get('/me/personal-data.zip', {
    schema: { tags, summary: 'Everything Patron holds on me, as a zip of JSON and CSV (PIPL); audited', response: { 200: Type.Any({ description: 'application/zip' }), ...errors(401) } },
    config: { member: true },
  }, async (req, reply) => {
    const file = await portal.personalData(memberOf(req))
    return reply.type('application/zip').header('cache-control', 'no-store').header('content-disposition', attachment(file.fileName, file.fileName)).send(Buffer.from(file.bytes))
  })

  app.post('/me/close-account', {
    schema: {
      tags, summary: "Close my account: my personal data erased after the chain's cooling-off days (the desk can withdraw it meanwhile); audited",
      body: Type.Optional(Type.Object({ reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }, { additionalProperties: false })),
      response: { 201: Type.Object({ requestedAt: Type.String(), dueAt: Type.String() }), ...errors(400, 401, 409, 422) },
    },
    config: { member: true },
  }, async (req, reply) => reply.code(201).send(await portal.closeAccount(memberOf(req), req.body ?? {})))

  app.get('/me/card', {
    schema: { tags, summary: "The member's electronic card: the card number and a QR the till accepts for a minute (ask again after refreshAfterSeconds)", response: { 200: MemberCardSchema, ...errors(401) } },
    config: { member: true },
  }, async (req, reply) => {
    void reply.header('cache-control', 'no-store')
    return portal.card(memberOf(req))
  })
}
