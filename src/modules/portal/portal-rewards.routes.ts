import { Type } from 'typebox'
import { memberOf, type TypedApp } from '../../shared/http/request.js'
import { Nullable, errors } from '../../shared/http/schemas.js'
import { EDUCATIONS, GENDERS, INCOME_BANDS, OCCUPATIONS } from '../members/index.js'
import { MEMBER_EDITABLE_FIELDS, type PortalRewardsService } from './portal-rewards.service.js'

const TierStep = Type.Object({
  code: Type.String(),
  name: Type.String(),
  rank: Type.Integer(),
  threshold: Type.Integer({ description: 'what qualifies over the window: fen of spend, or points earned (see basis)' }),
  earnFactorPct: Type.Integer(),
  memberPrices: Type.Boolean(),
})

const TierProgressSchema = Type.Object({
  basis: Type.Enum(['spend', 'points'], { description: "the chain's tier rule: spend (fen) or points earned over the window" }),
  windowFrom: Type.String({ description: 'first month of the rolling window, YYYY-MM' }),
  windowTo: Type.String({ description: 'this month, YYYY-MM' }),
  value: Type.Integer({ description: "the member's qualifying value over the window (fen or points)" }),
  tier: Nullable(TierStep),
  tierSince: Nullable(Type.String()),
  next: Nullable(TierStep),
  missing: Nullable(Type.Integer({ description: 'what the value lacks for the next tier; null at the top' })),
  progress: Type.Number({ minimum: 0, maximum: 1, description: "value / the next tier's threshold; 1 at the top" }),
  keep: Nullable(Type.Object({
    missing: Type.Integer({ description: "what the value lacks to stay in the current tier" }),
    belowSince: Nullable(Type.String()),
    downgradeAt: Nullable(Type.String({ description: 'the end of the grace days: the daily evaluation after it moves the member down' })),
    downgradeTo: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  }, { description: "null while the value keeps the current tier" })),
  graceDays: Type.Integer(),
})

const GiftBlock = Nullable(Type.Enum(['inactive', 'not_valid', 'tier', 'limit', 'stock', 'points'], { description: 'why the member cannot redeem it now' }))

const MyGiftsSchema = Type.Object({
  spendable: Type.Integer(),
  tier: Nullable(Type.String()),
  pickupStoreId: Nullable(Type.String({ description: 'the store whose stock is shown: the one asked for, else the registration store' })),
  pickupStoreName: Nullable(Type.String()),
  gifts: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    pointsPrice: Type.Integer(),
    cashPrice: Type.Integer({ description: 'fen paid at pick-up on top of the points' }),
    hasPicture: Type.Boolean({ description: 'GET /me/gifts/{giftId}/picture' }),
    validFrom: Nullable(Type.String()),
    validTo: Nullable(Type.String()),
    minTier: Nullable(Type.String()),
    pickupDays: Type.Integer(),
    available: Type.Integer({ description: 'pieces left at the pick-up store (or centrally)' }),
    perMemberLimit: Nullable(Type.Integer()),
    redeemed: Type.Integer(),
    leftForMe: Nullable(Type.Integer()),
    affordable: Type.Boolean(),
    maxQuantity: Type.Integer(),
    block: GiftBlock,
  })),
})

const GiftParams = Type.Object({ giftId: Type.String({ minLength: 1, maxLength: 64 }) })
const DrawParams = Type.Object({ drawId: Type.String({ minLength: 1, maxLength: 64 }) })

const RedeemBody = Type.Object({
  requestKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'made by the page once per tap (e.g. a UUID): sent again, the same order is answered' }),
  storeId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'the pick-up store; default the registration store' }))),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
}, { additionalProperties: false })

const DrawEntrySchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  costPoints: Type.Integer(),
  freeReason: Nullable(Type.Enum(['tier', 'purchase'], { description: 'why the entry was free: the tier, or a sale of the draw' })),
  outcome: Type.Enum(['won', 'lost']),
  prizeName: Nullable(Type.String()),
  prizeKind: Nullable(Type.Enum(['coupon', 'points', 'gift'])),
  prizePoints: Nullable(Type.Integer()),
  couponCode: Nullable(Type.String({ description: 'a coupon prize: its code (also in GET /me/coupons)' })),
  giftOrderId: Nullable(Type.String({ description: 'a gift prize: its order (GET /me/gift-orders has the pick-up number)' })),
})

const MyDrawsSchema = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    startsAt: Type.String(),
    endsAt: Type.String(),
    state: Type.Enum(['upcoming', 'open', 'finished']),
    entryPoints: Type.Integer(),
    cost: Type.Integer({ description: "points one entry costs this member (0: their tier enters free)" }),
    freeMinSpend: Nullable(Type.Integer({ description: 'a sale of at least this (fen) within the draw gives a free entry' })),
    perMemberLimit: Nullable(Type.Integer()),
    perDayLimit: Nullable(Type.Integer()),
    entered: Type.Integer(),
    enteredToday: Type.Integer(),
    entriesLeft: Nullable(Type.Integer()),
    canEnter: Type.Boolean(),
    block: Nullable(Type.Enum(['not_started', 'ended', 'limit', 'day_limit', 'points'])),
    prizes: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.Enum(['coupon', 'points', 'gift']), points: Nullable(Type.Integer()), left: Type.Integer() })),
    myEntries: Type.Array(DrawEntrySchema),
  })),
})

const WechatSchema = Type.Object({ bound: Type.Boolean(), openId: Nullable(Type.String()) })

const ProfileSchema = Type.Object({
  cardNo: Type.String(),
  phone: Nullable(Type.String({ description: 'masked; the sign-in, changed at the desk' })),
  name: Nullable(Type.String()),
  gender: Type.Enum([...GENDERS]),
  birthday: Nullable(Type.String({ description: 'YYYY-MM-DD; YYYY-**-** when the ID number gives it (then not editable)' })),
  email: Nullable(Type.String()),
  occupation: Nullable(Type.Enum([...OCCUPATIONS])),
  education: Nullable(Type.Enum([...EDUCATIONS])),
  incomeBand: Nullable(Type.Enum([...INCOME_BANDS])),
  district: Nullable(Type.String()),
  registeredAt: Type.String(),
  registrationStoreName: Nullable(Type.String()),
  editable: Type.Array(Type.Enum([...MEMBER_EDITABLE_FIELDS]), { description: 'the fields PATCH /me/profile takes' }),
  wechat: WechatSchema,
})

// Formats (a date, an email) are checked by the members' rules, with their reasons.
const ProfilePatchBody = Type.Object({
  name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  gender: Type.Optional(Nullable(Type.Enum([...GENDERS]))),
  birthday: Type.Optional(Nullable(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  occupation: Type.Optional(Nullable(Type.Enum([...OCCUPATIONS]))),
  education: Type.Optional(Nullable(Type.Enum([...EDUCATIONS]))),
  incomeBand: Type.Optional(Nullable(Type.Enum([...INCOME_BANDS]))),
  district: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
}, { additionalProperties: false, minProperties: 1 })

const WechatBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 256, description: "the code WeChat's authorisation came back with" }),
  state: Type.String({ minLength: 1, maxLength: 128, description: 'the state it came back with (from GET /me/wechat/authorize)' }),
}, { additionalProperties: false })

/**
 * The member's page (issue 17 §2): tier progress, gifts, lucky draws, the profile and WeChat.
 * Like every `/me` route: no member id anywhere, the session names the member.
 */
export const portalRewardsRoutes = (app: TypedApp, { portalRewards }: { portalRewards: PortalRewardsService }) => {
  const tags = ['member page']
  const member = { member: true }

  app.get('/me/tier', {
    schema: { tags, summary: "The member's tier, the next one and what is missing for it (the chain's rule: spend or points over 12 months), and whether the tier is kept", response: { 200: TierProgressSchema, ...errors(401) } },
    config: member,
  }, async (req) => portalRewards.tier(memberOf(req)))

  app.get('/me/gifts', {
    schema: {
      tags, summary: 'The gifts the member can redeem for points now: price, pieces left at the pick-up store, their limit and whether they can afford it',
      querystring: Type.Object({ storeId: Type.Optional(Type.String({ maxLength: 64, description: 'the pick-up store; default the registration store' })) }, { additionalProperties: false }),
      response: { 200: MyGiftsSchema, ...errors(400, 401, 422) },
    },
    config: member,
  }, async (req) => portalRewards.giftCatalogue(memberOf(req), req.query))

  app.get('/me/gifts/:giftId/picture', {
    schema: { tags, summary: "An offered gift's picture (PNG, JPEG or WebP)", params: GiftParams, response: { ...errors(401, 404) } },
    config: member,
  }, async (req, reply) => {
    const p = await portalRewards.giftPicture(req.params.giftId)
    return reply.type(p.type).header('cache-control', 'private, max-age=300').header('x-content-type-options', 'nosniff').send(p.bytes)
  })

  app.post('/me/gifts/:giftId/redeem', {
    schema: {
      tags, summary: "Redeem a gift for points, as at the desk (stock reserved, points spent at once); the same requestKey again answers the same order. The order's orderNo is the pick-up code",
      params: GiftParams, body: RedeemBody, response: { 201: Type.Ref('GiftOrder'), ...errors(400, 401, 404, 409, 422) },
    },
    config: member,
  }, async (req, reply) => reply.code(201).send(await portalRewards.redeemGift(memberOf(req), req.params.giftId, req.body)))

  app.get('/me/draws', {
    schema: { tags, summary: 'Lucky draws open to the member (entered or not), about to start, and finished ones they entered with what they won', response: { 200: MyDrawsSchema, ...errors(401) } },
    config: member,
  }, async (req) => portalRewards.myDraws(memberOf(req)))

  app.post('/me/draws/:drawId/entries', {
    schema: { tags, summary: "Enter a draw, as at the desk (its limits, its cost in points or a free entry); the prize is drawn at once", params: DrawParams, response: { 201: DrawEntrySchema, ...errors(401, 404, 409, 422) } },
    config: member,
  }, async (req, reply) => reply.code(201).send(await portalRewards.enterDraw(memberOf(req), req.params.drawId)))

  app.get('/me/profile', {
    schema: { tags, summary: "The member's profile, the fields they may change, and whether WeChat is bound", response: { 200: ProfileSchema, ...errors(401) } },
    config: member,
  }, async (req) => portalRewards.profile(memberOf(req)))

  app.patch('/me/profile', {
    schema: { tags, summary: 'Change the editable fields (not the phone); checked field by field; audited as the member page', body: ProfilePatchBody, response: { 200: ProfileSchema, ...errors(400, 401, 409, 422) } },
    config: member,
  }, async (req) => portalRewards.updateProfile(memberOf(req), req.body))

  app.get('/me/wechat/authorize', {
    schema: {
      tags, summary: "WeChat's authorisation URL of the chain's official account (snsapi_base), coming back to /m/profile with a code and this session's state (ten minutes); no account set up: 409 WECHAT_NOT_CONFIGURED",
      response: { 200: Type.Object({ url: Type.String() }), ...errors(401, 409) },
    },
    config: member,
  }, async (req, reply) => {
    void reply.header('cache-control', 'no-store')
    return portalRewards.wechatAuthorize(memberOf(req))
  })

  app.post('/me/wechat', {
    schema: {
      tags, summary: "Bind the WeChat that WeChat's authorisation code names (the server asks WeChat for its OpenID); a state not of this session: 422 WECHAT_STATE_INVALID; one bound to another member: 409 WECHAT_OPENID_TAKEN",
      body: WechatBody, response: { 200: WechatSchema, ...errors(400, 401, 409, 422) },
    },
    config: member,
  }, async (req) => portalRewards.bindWechat(memberOf(req), req.body))

  app.delete('/me/wechat', {
    schema: { tags, summary: 'Unbind WeChat', response: { 200: WechatSchema, ...errors(401) } },
    config: member,
  }, async (req) => portalRewards.unbindWechat(memberOf(req)))
}
