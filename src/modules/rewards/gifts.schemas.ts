import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../shared/http/schemas.js'

const StockMode = Type.Union([Type.Literal('central'), Type.Literal('per_store')])
const GiftStatus = Type.Union([Type.Literal('active'), Type.Literal('inactive')])
const OrderStatus = Type.Union([Type.Literal('reserved'), Type.Literal('collected'), Type.Literal('cancelled'), Type.Literal('expired')])
const LocalDate = Type.String({ maxLength: 10, description: 'local date, YYYY-MM-DD' })
const Location = Type.String({ minLength: 1, maxLength: 64, description: '"central" or a store id' })

export const GiftStockSchema = Type.Object({
  location: Type.String({ description: '"central" or a store id' }),
  stocked: Type.Integer(),
  available: Type.Integer(),
  reserved: Type.Integer(),
  collected: Type.Integer(),
})

export const GiftSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  pointsPrice: Type.Integer(),
  cashPrice: Type.Integer({ description: 'fen paid at hand-over on top of the points' }),
  stockMode: StockMode,
  validFrom: Nullable(Type.String()),
  validTo: Nullable(Type.String()),
  perMemberLimit: Nullable(Type.Integer()),
  minTier: Nullable(Type.String()),
  pickupDays: Type.Integer(),
  status: GiftStatus,
  hasPicture: Type.Boolean(),
  pictureType: Nullable(Type.String()),
  stock: Type.Array(GiftStockSchema),
  available: Type.Integer({ description: 'pieces left to redeem, every location together' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'Gift' })

const giftFields = {
  name: Type.String({ maxLength: 60 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  pointsPrice: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  cashPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'fen' })),
  stockMode: StockMode,
  validFrom: Type.Optional(Nullable(LocalDate)),
  validTo: Type.Optional(Nullable(LocalDate)),
  perMemberLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  minTier: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
  pickupDays: Type.Integer({ minimum: 1, maximum: 365 }),
  status: Type.Optional(GiftStatus),
}

export const GiftBody = Type.Object({
  ...giftFields,
  initialStock: Type.Optional(Type.Array(Type.Object({ location: Location, quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false }), { maxItems: 1000 })),
}, { additionalProperties: false })

export const GiftPatch = Type.Partial(Type.Object(giftFields), { additionalProperties: false, minProperties: 1 })

export const GiftsQuery = Type.Object({
  status: Type.Optional(GiftStatus),
  q: Type.Optional(Type.String({ maxLength: 60 })),
}, { additionalProperties: false })

export const PictureBody = Type.Object({
  data: Type.String({ minLength: 1, maxLength: 1_500_000, description: 'PNG, JPEG or WebP of at most 1 MiB, base64 (a data: URL is accepted)' }),
}, { additionalProperties: false })

export const StockBody = Type.Object({
  location: Location,
  delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, description: 'pieces added (positive) or taken away (negative)' }),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
}, { additionalProperties: false })

export const GiftOrderSchema = Type.Object({
  id: Type.String(),
  orderNo: Type.String(),
  memberId: Type.String(),
  memberCardNo: Nullable(Type.String()),
  memberName: Nullable(Type.String({ description: 'masked' })),
  giftId: Type.String(),
  giftName: Type.String(),
  quantity: Type.Integer(),
  points: Type.Integer(),
  cash: Type.Integer({ description: 'fen due at hand-over' }),
  location: Type.String({ description: 'where the stock was taken from' }),
  pickupStoreId: Nullable(Type.String()),
  pickupStoreName: Nullable(Type.String()),
  status: OrderStatus,
  source: Type.Union([Type.Literal('redeem'), Type.Literal('draw')]),
  expiresAt: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  collectedAt: Nullable(Type.String()),
  collectedBy: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  closeReason: Nullable(Type.String()),
}, { $id: 'GiftOrder' })

export const RedeemBody = Type.Object({
  giftId: Type.String({ minLength: 1, maxLength: 64 }),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
  pickupStoreId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: "where the member picks it up; a store's staff and tills: their store" }))),
  requestKey: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'the till\'s key for this redemption: a resend after a lost answer gets the first order back' }))),
}, { additionalProperties: false })

export const CancelBody = Type.Object({ reason: Type.String({ maxLength: 200 }) }, { additionalProperties: false })

export const OrdersQuery = Type.Object({
  status: Type.Optional(OrderStatus),
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  memberId: Type.Optional(Type.String({ maxLength: 64 })),
  giftId: Type.Optional(Type.String({ maxLength: 64 })),
  orderNo: Type.Optional(Type.String({ maxLength: 20 })),
  ...CursorQuery,
}, { additionalProperties: false })

export const MemberOrdersQuery = Type.Object({ ...CursorQuery }, { additionalProperties: false })

export const OptionsQuery = Type.Object({ pickupStoreId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false })

export const GiftOptionsSchema = Type.Object({
  spendable: Type.Integer(),
  tier: Nullable(Type.String()),
  pickupStoreId: Nullable(Type.String()),
  gifts: Type.Array(Type.Object({
    ...GiftSchema.properties,
    availableHere: Type.Integer({ description: "pieces at the location this member's order would take from" }),
    redeemed: Type.Integer({ description: 'pieces the member holds already' }),
    block: Nullable(Type.Union([
      Type.Literal('inactive'), Type.Literal('not_valid'), Type.Literal('tier'), Type.Literal('limit'), Type.Literal('stock'), Type.Literal('points'),
    ], { description: 'why the member cannot redeem it now' })),
  })),
})
