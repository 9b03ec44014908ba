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
