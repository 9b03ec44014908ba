import { Type } from 'typebox'
import { CursorQuery, Nullable } from '../../shared/http/schemas.js'
import { TENDER_KINDS } from '../../shared/tenders.js'

const Names = Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 }))
const Match = Type.Object({ departments: Names, categories: Names, subcategories: Names, brands: Names, skus: Names }, { additionalProperties: false })
const Tender = Type.Union(TENDER_KINDS.map((k) => Type.Literal(k)))

export const RuleDefinitionSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('base'),
    fenPerPoint: Type.Number({ description: 'fen paid per point: 100 = 1 point per ¥1' }),
    rounding: Type.Union([Type.Literal('floor'), Type.Literal('round')]),
    exclude: Type.Optional(Match),
    excludeTenders: Type.Array(Tender),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('multiplier'),
    factor: Type.Number({ description: '2 = double points' }),
    match: Type.Optional(Match),
    weekdays: Type.Optional(Type.Array(Type.Integer(), { description: 'ISO weekdays, 1 = Monday', maxItems: 7 })),
  }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('birthday'), factor: Type.Number() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('cap'), perReceipt: Type.Optional(Type.Integer()), perDay: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
])

export const RuleBody = Type.Object({
  name: Type.String({ maxLength: 60 }),
  definition: RuleDefinitionSchema,
  storeIds: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 }))),
  regionIds: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 }))),
  validFrom: Type.String({ maxLength: 40, description: 'ISO-8601 UTC instant' }),
  validTo: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
}, { additionalProperties: false })

export const RuleSchema = Type.Object({
  id: Type.String(),
  ruleKey: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  definition: RuleDefinitionSchema,
  storeIds: Nullable(Type.Array(Type.String())),
  regionIds: Nullable(Type.Array(Type.String())),
  validFrom: Type.String(),
  validTo: Nullable(Type.String()),
  status: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'EarningRule' })

export const RuleKeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }) })
export const RulesQuery = Type.Object({ includeHistory: Type.Optional(Type.Boolean()) }, { additionalProperties: false })
export const EndRuleBody = Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false })

export const TierSchema = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 32 }),
  name: Type.String({ minLength: 1, maxLength: 20 }),
  rank: Type.Integer(),
  threshold: Type.Integer({ description: 'fen of 12-month spend (or points, by policy)' }),
  earnFactorPct: Type.Integer({ description: '100 = the base; 150 = one and a half times' }),
  memberPrices: Type.Boolean(),
}, { additionalProperties: false })
export const TiersBody = Type.Object({ tiers: Type.Array(TierSchema, { maxItems: 20 }) }, { additionalProperties: false })

export const PolicySchema = Type.Object({
  pointValueFen: Type.Integer(),
  maxPointsPaymentPct: Type.Integer(),
  expiry: Type.Union([
    Type.Object({ mode: Type.Literal('calendar_years'), years: Type.Integer() }, { additionalProperties: false }),
    Type.Object({ mode: Type.Literal('rolling_months'), months: Type.Integer() }, { additionalProperties: false }),
  ]),
  expiringNoticeDays: Type.Integer(),
  tierBasis: Type.Union([Type.Literal('spend'), Type.Literal('points')]),
  tierGraceDays: Type.Integer(),
}, { additionalProperties: false })
export const PolicyPatch = Type.Partial(PolicySchema, { additionalProperties: false })

export const MemberPointsSchema = Type.Object({
  memberId: Type.String(),
  balance: Type.Integer(),
  spendable: Type.Integer(),
  negative: Type.Boolean(),
  tier: Nullable(TierSchema),
  tierSince: Nullable(Type.String()),
  expiring: Type.Array(Type.Object({ expiresOn: Type.String(), points: Type.Integer() })),
  spend12m: Type.Integer(),
  pointsEarned12m: Type.Integer(),
  receiptCount: Type.Integer(),
  lastPurchaseAt: Nullable(Type.String()),
})

export const LedgerEntrySchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  points: Type.Integer(),
  balanceAfter: Type.Integer(),
  receiptId: Nullable(Type.String()),
  receiptNo: Nullable(Type.String()),
  storeId: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  createdAt: Type.String(),
}, { $id: 'LedgerEntry' })

export const EntriesQuery = Type.Object({ ...CursorQuery }, { additionalProperties: false })

export const LotSchema = Type.Object({ id: Type.String(), expiresOn: Type.String(), earned: Type.Integer(), remaining: Type.Integer(), createdAt: Type.String() })
export const TierChangeSchema = Type.Object({
  id: Type.String(), fromTier: Nullable(Type.String()), toTier: Type.String(), reason: Type.String(), qualifyingValue: Type.Integer(), receiptId: Nullable(Type.String()), at: Type.String(),
})

export const AdjustBody = Type.Object({
  points: Type.Integer({ description: 'positive adds, negative takes away' }),
  reason: Type.String({ maxLength: 200 }),
}, { additionalProperties: false })

export const LiabilityQuery = Type.Object({ storeId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false })
export const LiabilitySchema = Type.Object({
  points: Type.Integer(),
  valueFen: Type.Integer(),
  negative: Type.Object({ members: Type.Integer(), points: Type.Integer() }),
  byExpiryMonth: Type.Array(Type.Object({ month: Type.String(), points: Type.Integer(), valueFen: Type.Integer() })),
  byStore: Type.Array(Type.Object({ storeId: Nullable(Type.String()), storeCode: Nullable(Type.String()), storeName: Nullable(Type.String()), points: Type.Integer(), valueFen: Type.Integer() })),
  forfeitedByErasure: Nullable(Type.Object({ members: Type.Integer(), points: Type.Integer(), valueFen: Type.Integer() }, { description: 'points forfeited when people were erased (PIPL): out of the liability; null in a store\'s report (an erased person has no store)' })),
})

export const EarnTestBody = Type.Object({
  storeId: Type.String({ minLength: 1, maxLength: 64 }),
  businessAt: Type.Optional(Type.String({ format: 'date-time' })),
  tierCode: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
  birthday: Type.Optional(Nullable(Type.String({ pattern: '^(\\d{4}-)?\\d{2}-\\d{2}$' }))),
  lines: Type.Array(Type.Object({
    sku: Type.Optional(Type.String({ maxLength: 64 })),
    department: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    category: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    subcategory: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    brand: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    pointsEligible: Type.Optional(Type.Boolean()),
    amount: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
  tenders: Type.Optional(Type.Array(Type.Object({ kind: Tender, amount: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { maxItems: 20 })),
}, { additionalProperties: false })

export const EarnTestResult = Type.Object({
  points: Type.Integer(),
  eligibleAmount: Type.Integer(),
  linePoints: Type.Array(Type.Integer()),
  explanation: Type.Array(Type.Object({ ruleId: Nullable(Type.String()), name: Type.String(), kind: Type.String(), points: Type.Integer() })),
})
