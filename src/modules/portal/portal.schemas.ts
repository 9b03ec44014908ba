import { Type } from 'typebox'
import { Nullable } from '../../shared/http/schemas.js'

export const CodeRequestBody = Type.Object({
  phone: Type.String({ minLength: 1, maxLength: 32, description: 'the mobile number to send the code to' }),
}, { additionalProperties: false })

export const CodeSentSchema = Type.Object({
  sentTo: Type.String({ description: 'the number, masked' }),
  expiresAt: Type.String(),
  resendAfterSeconds: Type.Integer(),
})

export const MemberLoginBody = Type.Object({
  phone: Type.String({ minLength: 1, maxLength: 32 }),
  code: Type.String({ minLength: 1, maxLength: 16, description: 'the six digits of the text message' }),
}, { additionalProperties: false })

export const RegisterBody = Type.Object({
  phone: Type.String({ minLength: 1, maxLength: 32 }),
  code: Type.String({ minLength: 1, maxLength: 16 }),
  store: Type.String({ minLength: 1, maxLength: 32, description: "the store's code, from its registration poster" }),
  clerk: Type.Optional(Nullable(Type.String({ maxLength: 64, description: "the clerk's username, from the clerk's own QR" }))),
  name: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  gender: Type.Optional(Nullable(Type.Enum(['female', 'male', 'unknown']))),
  birthday: Type.Optional(Nullable(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }))),
  consents: Type.Optional(Type.Object({
    sms: Type.Optional(Type.Boolean()), email: Type.Optional(Type.Boolean()), wechat: Type.Optional(Type.Boolean()),
    app_push: Type.Optional(Type.Boolean()), phone_call: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

export const MeSchema = Type.Object({
  cardNo: Type.String(),
  nameMasked: Nullable(Type.String()),
  tier: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  points: Type.Object({
    balance: Type.Integer(),
    spendable: Type.Integer(),
    expiring: Type.Array(Type.Object({ expiresOn: Type.String(), points: Type.Integer() })),
  }),
})

export const MemberCardSchema = Type.Object({
  cardNo: Type.String(),
  qrToken: Type.String({ description: 'what the card QR holds: the till scans it as the member (qrToken); it works until expiresAt' }),
  expiresAt: Type.String(),
  refreshAfterSeconds: Type.Integer({ description: 'ask for the next QR after this long' }),
})

export const MemberSignedInSchema = Type.Object({
  me: MeSchema,
  expiresAt: Type.String({ description: 'when the session ends unless used (it is extended while used, up to 90 days)' }),
})

export const CouponConditionsSchema = Type.Object({
  description: Nullable(Type.String()),
  minSpend: Type.Integer({ description: 'fen the covered goods must come to (0: none)' }),
  maxDiscount: Nullable(Type.Integer({ description: 'the most a percent coupon takes off, fen' })),
  covers: Nullable(Type.Array(Type.String(), { description: 'the departments, categories, brands or SKUs it covers; null: the whole basket' })),
  stores: Nullable(Type.Array(Type.String(), { description: 'the regions and stores it is used at; null: every store' })),
  minTier: Nullable(Type.String({ description: 'the tier code it needs' })),
  stacks: Type.Boolean({ description: 'whether it goes on a receipt with other coupons' }),
})
