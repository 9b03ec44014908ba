import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../shared/http/schemas.js'

const Kind = Type.Union([Type.Literal('coupon'), Type.Literal('points'), Type.Literal('gift')])
const Status = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('closed')])
const Id = Type.String({ minLength: 1, maxLength: 64 })

export const PrizeBody = Type.Object({
  name: Type.String({ maxLength: 60 }),
  kind: Kind,
  couponTemplateId: Type.Optional(Nullable(Id)),
  points: Type.Optional(Nullable(Type.Integer())),
  giftId: Type.Optional(Nullable(Id)),
  stock: Type.Integer({ description: 'pieces that can be won' }),
  weight: Type.Integer({ description: 'chance = weight / (Σ weights + noPrizeWeight)' }),
}, { additionalProperties: false })

export const DrawBody = Type.Object({
  name: Type.String({ maxLength: 60 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time', description: 'entries are taken up to, not including, this instant' }),
  entryPoints: Type.Integer({ description: 'points one entry costs; 0 = free' }),
  freeTiers: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20 }))),
  freeMinSpend: Type.Optional(Nullable(Type.Integer({ description: "fen: each of the member's sales of at least this much within the draw's window gives one free entry" }))),
  perMemberLimit: Type.Optional(Nullable(Type.Integer())),
  perDayLimit: Type.Optional(Nullable(Type.Integer({ description: "entries per member per local day (the chain's time zone)" }))),
  noPrizeWeight: Type.Integer(),
  fallbackPrize: Type.Optional(Nullable(Type.Integer({ description: 'the 1-based position of the prize given when the drawn prize is out; null = no prize' }))),
  prizes: Type.Array(PrizeBody, { maxItems: 20 }),
}, { additionalProperties: false })

export const PrizeSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  name: Type.String(),
  kind: Kind,
  couponTemplateId: Nullable(Type.String()),
  points: Nullable(Type.Integer()),
  giftId: Nullable(Type.String()),
  stock: Type.Integer(),
  won: Type.Integer(),
  weight: Type.Integer(),
  chancePct: Type.Number(),
})

export const DrawSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.String(),
  entryPoints: Type.Integer(),
  freeTiers: Type.Array(Type.String()),
  freeMinSpend: Nullable(Type.Integer()),
  perMemberLimit: Nullable(Type.Integer()),
  perDayLimit: Nullable(Type.Integer()),
  noPrizeWeight: Type.Integer(),
  noPrizePct: Type.Number(),
  fallbackPrizeId: Nullable(Type.String()),
  status: Status,
  prizes: Type.Array(PrizeSchema),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'Draw' })

export const DrawEntrySchema = Type.Object({
  id: Type.String(),
  drawId: Type.String(),
  drawName: Type.String(),
  memberId: Type.String(),
  memberCardNo: Nullable(Type.String()),
  memberName: Nullable(Type.String({ description: 'masked' })),
  businessDate: Type.String(),
  costPoints: Type.Integer(),
  freeReason: Nullable(Type.Union([Type.Literal('tier'), Type.Literal('purchase')])),
  receiptId: Nullable(Type.String()),
  outcome: Type.Union([Type.Literal('won'), Type.Literal('lost')]),
  fellBack: Type.Boolean(),
  prizeId: Nullable(Type.String()),
  prizeName: Nullable(Type.String()),
  prizeKind: Nullable(Kind),
  prizePoints: Nullable(Type.Integer()),
  couponId: Nullable(Type.String()),
  couponCode: Nullable(Type.String()),
  giftOrderId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'DrawEntry' })

export const DrawsQuery = Type.Object({
  status: Type.Optional(Status),
  ...CursorQuery,
}, { additionalProperties: false })

export const DrawEntriesQuery = Type.Object({
  won: Type.Optional(Type.Boolean({ description: 'only entries that won a prize' })),
  ...CursorQuery,
}, { additionalProperties: false })

export const MemberEntriesQuery = Type.Object({ ...CursorQuery }, { additionalProperties: false })

export const EnterBody = Type.Object({
  memberId: Id,
  receiptId: Type.Optional(Nullable(Id)),
}, { additionalProperties: false })

export const DrawPrizeParams = Type.Object({ id: Id, prizeId: Id })
export const StockBody = Type.Object({ stock: Type.Integer({ description: 'the new stock; only raised' }) }, { additionalProperties: false })

export const DrawReportSchema = Type.Object({
  drawId: Type.String(),
  entries: Type.Integer(),
  members: Type.Integer(),
  paidEntries: Type.Integer(),
  freeEntries: Type.Object({ tier: Type.Integer(), purchase: Type.Integer(), freeDraw: Type.Integer() }),
  pointsCharged: Type.Integer(),
  won: Type.Integer(),
  lost: Type.Integer(),
  fellBack: Type.Integer(),
  prizes: Type.Array(Type.Object({ id: Type.String(), seq: Type.Integer(), name: Type.String(), kind: Kind, stock: Type.Integer(), won: Type.Integer() })),
  cost: Type.Object({
    pointsGiven: Type.Integer(),
    pointsGivenValueFen: Type.Integer(),
    couponsIssued: Type.Integer(),
    couponsValueFen: Type.Integer({ description: 'face value of the fixed-amount coupons issued' }),
    giftsOrdered: Type.Integer(),
    giftsPointsValue: Type.Integer({ description: 'the gifts at their catalogue points price' }),
  }),
  pointsChargedValueFen: Type.Integer(),
  byDay: Type.Array(Type.Object({ date: Type.String(), entries: Type.Integer(), won: Type.Integer(), pointsCharged: Type.Integer() })),
})
