import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../shared/http/schemas.js'
import { RETURN_REASONS } from './receipt-rules.js'
import { TENDER_KINDS } from '../../shared/tenders.js'

const Fen = (description: string) => Type.Integer({ description })
const ReceiptNo = Type.String({ minLength: 1, maxLength: 64, description: 'unique per store: the idempotency key' })
const Unit = Type.Union([Type.Literal('piece'), Type.Literal('g')], { description: "'g' for goods sold by weight: quantity in grams, price per kg" })

export const MemberRefSchema = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })),
  cardNo: Type.Optional(Type.String({ maxLength: 32 })),
  phone: Type.Optional(Type.String({ maxLength: 32 })),
  externalCode: Type.Optional(Type.String({ maxLength: 64 })),
  qrToken: Type.Optional(Type.String({ maxLength: 80, description: "the QR of the member's electronic card, as scanned (it changes every minute)" })),
}, { additionalProperties: false, description: 'exactly one key' })

const LineBody = Type.Object({
  sku: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.Optional(Type.String({ maxLength: 200, description: 'used when the SKU is new to Patron' })),
  quantity: Type.Integer(),
  unit: Type.Optional(Unit),
  unitPrice: Fen('fen per piece or per kg'),
  discount: Type.Optional(Fen('fen')),
  amount: Fen('fen: quantity × unitPrice − discount'),
}, { additionalProperties: false })

const TenderBody = Type.Object({
  kind: Type.Union(TENDER_KINDS.map((k) => Type.Literal(k))),
  amount: Fen('fen'),
  points: Type.Optional(Type.Integer({ description: 'for kind points: the points paid' })),
  reference: Type.Optional(Type.String({ maxLength: 100 })),
}, { additionalProperties: false })

const SaleFields = {
  storeId: Type.Optional(Type.String({ maxLength: 64, description: 'staff only; a till posts for its own store' })),
  till: Type.Optional(Type.String({ maxLength: 32 })),
  receiptNo: ReceiptNo,
  businessAt: Type.String({ maxLength: 40, description: 'ISO-8601 with zone' }),
  member: Type.Optional(Nullable(MemberRefSchema)),
  cashier: Type.Optional(Type.String({ maxLength: 64 })),
  lines: Type.Array(LineBody, { maxItems: 500 }),
  tenders: Type.Array(TenderBody, { maxItems: 20 }),
  total: Fen('fen'),
}
export const SaleBody = Type.Object(SaleFields, { additionalProperties: false })

const ReturnLineBody = Type.Object({
  originalLineNo: Type.Optional(Type.Integer()),
  sku: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  quantity: Type.Integer(),
  unit: Type.Optional(Unit),
  unitPrice: Type.Optional(Fen('only for a return without its sale')),
  amount: Type.Optional(Fen('fen refunded; default: the proportional share of the sale line')),
}, { additionalProperties: false })

const ReturnFields = {
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  till: Type.Optional(Type.String({ maxLength: 32 })),
  receiptNo: ReceiptNo,
  businessAt: Type.String({ maxLength: 40 }),
  originalReceiptNo: Type.Optional(Nullable(ReceiptNo)),
  member: Type.Optional(Nullable(MemberRefSchema)),
  cashier: Type.Optional(Type.String({ maxLength: 64 })),
  lines: Type.Optional(Type.Array(ReturnLineBody, { maxItems: 500, description: 'omitted: everything not yet returned' })),
  reason: Type.Optional(Type.Union(RETURN_REASONS.map((r) => Type.Literal(r)), { description: 'why the goods come back; required when staff take the return at a desk' })),
  reasonNote: Type.Optional(Type.String({ maxLength: 200, description: "free text beside the reason; required with 'other'" })),
}
export const ReturnBody = Type.Object(ReturnFields, { additionalProperties: false })

export const BatchBody = Type.Object({
  items: Type.Array(Type.Union([
    Type.Object({ type: Type.Literal('sale'), ...SaleFields }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('return'), ...ReturnFields }, { additionalProperties: false }),
  ]), { minItems: 1, maxItems: 1000 }),
}, { additionalProperties: false })

const ExplanationSchema = Type.Object({
  ruleId: Nullable(Type.String()),
  name: Type.String(),
  kind: Type.String(),
  points: Type.Integer(),
})

export const PostedMemberSchema = Type.Object({
  id: Type.String(),
  cardNo: Type.String(),
  balance: Type.Integer(),
  negative: Type.Boolean(),
  tier: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
})

const RefundSchema = Type.Object({
  money: Type.Integer({ description: 'fen to hand back in money: the sum of tenders' }),
  tenders: Type.Array(Type.Object({ kind: Type.Union(TENDER_KINDS.map((k) => Type.Literal(k))), reference: Nullable(Type.String()), amount: Type.Integer() }), { description: "money back to each of the sale's tenders" }),
  pointsBack: Type.Integer({ description: 'points that paid for the goods, given back to the member' }),
  pointsValue: Type.Integer({ description: 'fen those points are worth' }),
  couponShare: Type.Integer({ description: 'fen coupons paid: not handed back' }),
}, { description: 'a return: how its total is paid back; money + pointsValue + couponShare = total' })

export const PostResultSchema = Type.Object({
  receiptId: Type.String(),
  receiptNo: Type.String(),
  storeId: Type.String(),
  kind: Type.Union([Type.Literal('sale'), Type.Literal('return')]),
  status: Type.Union([Type.Literal('posted'), Type.Literal('pending'), Type.Literal('awaiting_approval')], { description: 'pending: a return waiting for its sale; awaiting_approval: a desk return above the chain\'s limit, waiting for a store manager (nothing moved)' }),
  businessAt: Type.String(),
  total: Type.Integer(),
  points: Type.Integer({ description: 'a sale: earned; a return: reversed' }),
  pointsUsed: Type.Integer({ description: 'a sale: paid with points; a return: given back' }),
  member: Nullable(PostedMemberSchema),
  explanation: Type.Array(ExplanationSchema),
  tierChange: Nullable(Type.Object({ from: Nullable(Type.String()), to: Type.String() })),
  coupons: Type.Optional(Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), discount: Type.Integer({ description: 'fen taken off' }), bonusPoints: Type.Integer({ description: 'points a multiplier coupon added' }),
  }), { description: 'a sale: the coupons it used; a return: the coupons it gave back' })),
  couponAmount: Type.Optional(Type.Integer({ description: 'a return: fen of its total that coupons had paid (not money to give back)' })),
  refund: Type.Optional(RefundSchema),
  approvalId: Type.Optional(Type.String({ description: 'a return awaiting approval: its request' })),
}, { $id: 'PostResult' })

const ErrorBody = Type.Object({ code: Type.String(), message: Type.String(), details: Type.Array(Type.Object({ field: Type.String(), reason: Type.String() })) })

export const BatchResultSchema = Type.Object({
  posted: Type.Integer(),
  failed: Type.Integer(),
  items: Type.Array(Type.Object({
    index: Type.Integer(),
    receiptNo: Type.String(),
    status: Type.Union([Type.Literal('posted'), Type.Literal('replayed'), Type.Literal('pending'), Type.Literal('failed')]),
    result: Type.Optional(Type.Ref('PostResult')),
    error: Type.Optional(ErrorBody),
  })),
})

export const QuoteBody = Type.Object({
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  member: Type.Optional(Nullable(MemberRefSchema)),
  businessAt: Type.Optional(Type.String({ format: 'date-time' })),
  lines: Type.Array(Type.Object({
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer(),
    unit: Type.Optional(Unit),
    unitPrice: Type.Optional(Fen('for a product Patron does not know')),
  }, { additionalProperties: false }), { maxItems: 500 }),
  pointsToUse: Type.Optional(Type.Integer({ minimum: 0 })),
  coupons: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10, description: 'coupon codes or QR payloads, applied in this order' })),
}, { additionalProperties: false })

const QuoteCouponSchema = Type.Object({
  code: Type.String(),
  ok: Type.Boolean(),
  templateId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  kind: Nullable(Type.String()),
  discount: Type.Integer(),
  bonusPoints: Type.Integer(),
  refusal: Nullable(Type.String({ description: 'not_found, not_yours, no_member, used, voided, expired, not_yet_valid, template_inactive, wrong_store, tier, below_threshold, no_eligible_lines, not_stackable, same_template, budget_exhausted' })),
  reason: Nullable(Type.String()),
  facts: Nullable(Type.Object({
    date: Type.Optional(Type.String({ description: 'expired: the last day; not_yet_valid: the first' })),
    tier: Type.Optional(Type.String({ description: 'tier: the tier code needed' })),
    have: Type.Optional(Type.Integer({ description: 'below_threshold: fen the covered goods come to' })),
    need: Type.Optional(Type.Integer({ description: 'below_threshold: fen needed' })),
    other: Type.Optional(Type.String({ description: "not_stackable, same_template: the other template's name" })),
    sku: Type.Optional(Type.String({ description: 'no_eligible_lines of a free-item coupon: the SKU' })),
  }, { description: 'the figures behind a refusal, for a console to word it' })),
})

export const QuoteSchema = Type.Object({
  lines: Type.Array(Type.Object({
    sku: Type.String(), name: Type.String(), quantity: Type.Integer(), unit: Unit, listPrice: Type.Integer(), unitPrice: Type.Integer(),
    memberPriceApplied: Type.Boolean(), amount: Type.Integer(), savings: Type.Integer(), points: Type.Integer(),
  })),
  total: Type.Integer(),
  savings: Type.Integer(),
  points: Type.Integer(),
  explanation: Type.Array(ExplanationSchema),
  member: Nullable(PostedMemberSchema),
  usablePoints: Type.Integer(),
  usableValue: Type.Integer(),
  coupons: Type.Array(QuoteCouponSchema, { description: 'the coupons asked for: applied, or refused with the reason' }),
  couponDiscount: Type.Integer({ description: 'fen the applied coupons take off: send each as a coupon tender with its code as reference' }),
  toPay: Type.Integer({ description: 'total − coupons − points' }),
  usableCoupons: Type.Array(Type.Intersect([QuoteCouponSchema, Type.Object({ validTo: Type.String() })]), { description: "the member's unused coupons, each tried alone on this basket" }),
})

export const ReceiptSchema = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  storeCode: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  till: Nullable(Type.String()),
  receiptNo: Type.String(),
  kind: Type.Union([Type.Literal('sale'), Type.Literal('return')]),
  status: Type.Union([Type.Literal('posted'), Type.Literal('pending')]),
  originalReceiptId: Nullable(Type.String()),
  originalReceiptNo: Nullable(Type.String()),
  memberId: Nullable(Type.String()),
  businessAt: Type.String(),
  businessDate: Type.String(),
  total: Type.Integer(),
  points: Type.Integer(),
  pointsUsed: Type.Integer(),
  source: Type.String(),
  cashier: Nullable(Type.String()),
  memberName: Nullable(Type.String({ description: 'masked' })),
  memberCardNo: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  returnNote: Nullable(Type.String()),
  approvedBy: Nullable(Type.String({ description: 'a return above the limit: the manager who approved it' })),
  lines: Type.Array(Type.Object({
    lineNo: Type.Integer(), sku: Type.String(), name: Nullable(Type.String()), quantity: Type.Integer(), unit: Unit, unitPrice: Type.Integer(),
    discount: Type.Integer(), amount: Type.Integer(), points: Type.Integer(), returnedQuantity: Type.Integer(), originalLineNo: Nullable(Type.Integer()),
  })),
  tenders: Type.Array(Type.Object({ kind: Type.String(), amount: Type.Integer(), points: Nullable(Type.Integer()), reference: Nullable(Type.String()) })),
}, { $id: 'Receipt' })

export const ReceiptListQuery = Type.Object({
  storeId: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  receiptNo: Type.Optional(Type.String({ maxLength: 64 })),
  ...CursorQuery,
}, { additionalProperties: false })

export const MemberReceiptsQuery = Type.Object({ ...CursorQuery }, { additionalProperties: false })

const StoreSettingKey = Type.Enum(['scaleLayout', 'returnApprovalAbove'])

const TillSettingsValues = {
  scaleLayout: Type.String({ description: 'scale label layout, one letter a digit: a digit is itself, P the PLU (the SKU), W grams or M price in fen, X ignored, C the check digit; default 2PPPPPPWWWWWC' }),
  returnApprovalAbove: Nullable(Type.Integer({ description: 'fen: a desk return refunding more waits for a store manager; null: never' })),
}

export const TillSettingsSchema = Type.Object({
  ...TillSettingsValues,
  storeOverridable: Type.Array(StoreSettingKey, { description: 'the settings HQ lets a store set for itself (its manager or its region\'s); to a store\'s staff and tills the values are their store\'s' }),
})

export const TillSettingsBody = Type.Object({
  scaleLayout: Type.Optional(Type.String({ minLength: 8, maxLength: 18 })),
  returnApprovalAbove: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
  storeOverridable: Type.Optional(Type.Array(StoreSettingKey, { maxItems: 10 })),
}, { additionalProperties: false })

const TillSettingsPlain = Type.Object(TillSettingsValues)

export const StoreTillSettingsSchema = Type.Object({
  storeId: Type.String(),
  hq: TillSettingsPlain,
  overridable: Type.Array(StoreSettingKey),
  overrides: Type.Partial(TillSettingsPlain, { description: 'the store\'s own values; a setting absent is inherited from HQ' }),
  effective: TillSettingsPlain,
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
})

export const StoreTillSettingsBody = Type.Object({
  set: Type.Optional(Type.Object({
    scaleLayout: Type.Optional(Type.String({ minLength: 8, maxLength: 18 })),
    returnApprovalAbove: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
  }, { additionalProperties: false })),
  inherit: Type.Optional(Type.Array(StoreSettingKey, { maxItems: 10, description: 'settings to take from HQ again' })),
}, { additionalProperties: false })

export const ReturnApprovalSchema = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  receiptNo: Type.String(),
  originalReceiptId: Type.String(),
  originalReceiptNo: Type.String(),
  memberId: Nullable(Type.String()),
  total: Type.Integer({ description: 'fen the return would refund' }),
  reason: Type.String(),
  note: Nullable(Type.String()),
  lines: Type.Array(Type.Object({
    originalLineNo: Type.Optional(Type.Integer()), sku: Type.Optional(Type.String()), quantity: Type.Integer(), unit: Type.Optional(Unit),
    unitPrice: Type.Optional(Type.Integer()), amount: Type.Optional(Type.Integer()),
  })),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  requestedBy: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  returnReceiptId: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'ReturnApproval' })

export const ReturnApprovalListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false })

export const DecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })
