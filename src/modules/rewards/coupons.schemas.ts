import { Type } from 'typebox'
import { Nullable } from '../../shared/http/schemas.js'

const Kind = Type.Union([Type.Literal('amount'), Type.Literal('percent'), Type.Literal('threshold'), Type.Literal('free_item'), Type.Literal('points_multiplier')])
const Stacking = Type.Union([Type.Literal('none'), Type.Literal('all'), Type.Literal('listed')], { description: "none: alone on a receipt; all: with any coupon that allows it; listed: with the templates in stacksWith" })
const Status = Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('archived')])
const CouponStatus = Type.Union([Type.Literal('issued'), Type.Literal('used'), Type.Literal('expired'), Type.Literal('voided')])
const Names = Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 }))
const Scope = Type.Object({ departments: Names, categories: Names, subcategories: Names, brands: Names, skus: Names }, { additionalProperties: false })
const Ids = (max: number) => Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: max }))
const LocalDate = Type.String({ maxLength: 10, description: 'YYYY-MM-DD, the chain\'s local date' })

export const TemplateBody = Type.Object({
  name: Type.String({ maxLength: 60 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  kind: Kind,
  value: Type.Integer({ description: 'amount/threshold: fen off; percent: percent off (1–99); free_item: pieces free; points_multiplier: multiplier × 100 (200 = double points)' }),
  maxDiscount: Type.Optional(Nullable(Type.Integer({ description: 'percent: the most fen one coupon takes off' }))),
  minSpend: Type.Optional(Type.Integer({ description: 'fen the goods it covers must come to (满 X)' })),
  freeSku: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  scope: Type.Optional(Nullable(Scope)),
  storeIds: Type.Optional(Ids(1000)),
  regionIds: Type.Optional(Ids(100)),
  minTier: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
  validFrom: Type.Optional(Nullable(LocalDate)),
  validTo: Type.Optional(Nullable(LocalDate)),
  validDays: Type.Optional(Nullable(Type.Integer({ description: 'valid for N days from the issue day (instead of fixed dates)' }))),
  stacking: Type.Optional(Stacking),
  stacksWith: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
  restoreOnReturn: Type.Optional(Type.Boolean({ description: 'a return of the whole receipt gives the coupon back' })),
  autoIssue: Type.Optional(Nullable(Type.Literal('registration', { description: 'one to every member who registers (not imports)' }))),
  maxIssued: Type.Optional(Nullable(Type.Integer())),
  maxRedeemedValue: Type.Optional(Nullable(Type.Integer({ description: 'fen of discount it may give in all' }))),
}, { additionalProperties: false })

export const TemplateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  kind: Kind,
  value: Type.Integer(),
  maxDiscount: Nullable(Type.Integer()),
  minSpend: Type.Integer(),
  freeSku: Nullable(Type.String()),
  scope: Nullable(Scope),
  storeIds: Nullable(Type.Array(Type.String())),
  regionIds: Nullable(Type.Array(Type.String())),
  minTier: Nullable(Type.String()),
  validFrom: Nullable(Type.String()),
  validTo: Nullable(Type.String()),
  validDays: Nullable(Type.Integer()),
  stacking: Stacking,
  stacksWith: Type.Array(Type.String()),
  restoreOnReturn: Type.Boolean(),
  autoIssue: Nullable(Type.Literal('registration')),
  maxIssued: Nullable(Type.Integer()),
  maxRedeemedValue: Nullable(Type.Integer()),
  issuedCount: Type.Integer(),
  redeemedValue: Type.Integer(),
  status: Status,
}, { $id: 'CouponTemplate' })

export const TemplateStatusBody = Type.Object({ status: Status }, { additionalProperties: false })
export const TemplatesQuery = Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false })

export const CouponSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  qrPayload: Type.String({ description: 'what the member\'s QR code holds; the till reads it as the code' }),
  templateId: Type.String(),
  templateName: Type.String(),
  kind: Kind,
  value: Type.Integer(),
  memberId: Type.String(),
  memberCardNo: Nullable(Type.String()),
  status: CouponStatus,
  validFrom: Type.String(),
  validTo: Type.String(),
  issuedAt: Type.String(),
  source: Type.Union([Type.Literal('staff'), Type.Literal('bulk'), Type.Literal('rule'), Type.Literal('rebate'), Type.Literal('draw'), Type.Literal('campaign'), Type.Literal('journey')]),
  issuedBy: Nullable(Type.String()),
  usedAt: Nullable(Type.String()),
  usedReceiptId: Nullable(Type.String()),
  usedStoreId: Nullable(Type.String()),
  discount: Type.Integer(),
  bonusPoints: Type.Integer(),
  voidedAt: Nullable(Type.String()),
  voidedBy: Nullable(Type.String()),
  voidReason: Nullable(Type.String()),
}, { $id: 'Coupon' })

export const IssueOneBody = Type.Object({
  templateId: Type.String({ maxLength: 64 }),
  issueKey: Type.Optional(Type.String({ maxLength: 100, description: 'the same key gives the same coupon (a double click issues one)' })),
  note: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false })

export const BulkIssueBody = Type.Object({
  issueKey: Type.String({ maxLength: 100, description: 'a re-run with the same key issues only to members without one' }),
  keys: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200_000, description: 'member ids, cards, phones or external codes' }),
  sourceName: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false })

const IssueErrors = Type.Array(Type.Object({
  line: Type.Integer({ description: 'the line in the list, from 1' }),
  value: Type.String(),
  code: Type.String({ description: "empty or unknown_member" }),
  reason: Type.String(),
}))
export const BulkIssueSchema = Type.Object({
  id: Type.String(),
  templateId: Type.String(),
  issueKey: Type.String(),
  total: Type.Integer(),
  issued: Type.Integer(),
  skipped: Type.Integer({ description: 'had one already, named twice, or not active' }),
  failed: Type.Integer(),
  errors: IssueErrors,
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
})
export const IssueRunSchema = Type.Intersect([BulkIssueSchema, Type.Object({
  sourceName: Type.String(), createdBy: Nullable(Type.String()), createdAt: Type.String(), finishedAt: Nullable(Type.String()), errorMessage: Nullable(Type.String()),
})])

export const VoidBody = Type.Object({ reason: Type.String({ maxLength: 200 }) }, { additionalProperties: false })
export const MemberCouponsQuery = Type.Object({ status: Type.Optional(CouponStatus) }, { additionalProperties: false })
export const TemplateCouponsQuery = Type.Object({
  status: Type.Optional(CouponStatus),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false })
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) })
export const ReportQuery = Type.Object({ templateId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false })

export const ReportSchema = Type.Object({
  templateId: Type.String(),
  name: Type.String(),
  kind: Kind,
  issued: Type.Integer(),
  unused: Type.Integer(),
  used: Type.Integer(),
  expired: Type.Integer(),
  voided: Type.Integer(),
  redemptionRate: Type.Number({ description: 'used ÷ issued, 0–1' }),
  discountGiven: Type.Integer({ description: 'fen' }),
  bonusPoints: Type.Integer(),
  receipts: Type.Integer({ description: 'receipts that used one' }),
  sales: Type.Integer({ description: 'fen: the totals of those receipts' }),
})
