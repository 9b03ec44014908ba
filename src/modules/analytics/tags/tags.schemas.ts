import { Type } from 'typebox'
import { DateOnly, Nullable } from '../../../shared/http/schemas.js'

// The tags' contract (issue 12 §3). A rule is checked by parseCondition, which names the path and
// the reason of what is wrong (422 INSIGHT_CONDITION_INVALID, e.g. field "rule.all[1].days"); the
// schema only says it is an object, so the console gets those reasons rather than a schema's.

const RuleSchema = Type.Object({}, {
  additionalProperties: true,
  description: 'A condition: { all: [...] } | { any: [...] } | { not: {...} } | { field, op, value, days?, min? } (the segments\' language; README "Segments")',
})

export const WordsSchema = Type.Object({ 'zh-CN': Type.String(), 'en-US': Type.String() }, { $id: 'Words', description: 'a text in both console languages' })
const Words = Type.Ref('Words')

export const TagSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  kind: Type.Enum(['rule', 'manual']),
  rule: Nullable(RuleSchema),
  ruleText: Nullable(Words),
  color: Nullable(Type.String()),
  status: Type.Enum(['active', 'archived']),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  members: Type.Integer({ description: 'members holding it now (store roles: of their store)' }),
  trend: Type.Array(Type.Object({ day: Type.String(), members: Type.Integer() }), { description: 'members after each full refresh of the last 30 days (store roles: of their store)' }),
}, { $id: 'Tag' })

export const MemberTagSchema = Type.Object({
  tagId: Type.String(),
  name: Type.String(),
  color: Nullable(Type.String()),
  kind: Type.Enum(['rule', 'manual']),
  source: Type.Enum(['rule', 'manual']),
  reason: Words,
  since: Type.String(),
  addedBy: Nullable(Type.String({ description: 'the clerk who attached a manual tag' })),
}, { $id: 'MemberTag' })

export const TagEventSchema = Type.Object({
  id: Type.String(),
  tagId: Type.String(),
  name: Type.String(),
  color: Nullable(Type.String()),
  event: Type.Enum(['added', 'removed']),
  source: Type.Enum(['rule', 'manual']),
  reason: Nullable(Words),
  at: Type.String(),
  by: Nullable(Type.String()),
})

const name = Type.String({ minLength: 1, maxLength: 40 })
const description = Nullable(Type.String({ maxLength: 200 }))
const color = Nullable(Type.String({ maxLength: 16 }))

export const CreateTagBody = Type.Object({
  name,
  description: Type.Optional(description),
  kind: Type.Enum(['rule', 'manual']),
  rule: Type.Optional(Nullable(RuleSchema)),
  color: Type.Optional(color),
}, { additionalProperties: false })

export const UpdateTagBody = Type.Object({
  name: Type.Optional(name),
  description: Type.Optional(description),
  rule: Type.Optional(RuleSchema),
  color: Type.Optional(color),
  status: Type.Optional(Type.Enum(['active', 'archived'])),
}, { additionalProperties: false, minProperties: 1 })

export const ListTagsQuery = Type.Object({
  status: Type.Optional(Type.Enum(['active', 'archived'])),
  storeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'members now and the trend of this registration store only (store roles: their own)' })),
}, { additionalProperties: false })

export const TestRuleBody = Type.Object({ rule: RuleSchema }, { additionalProperties: false })

export const RuleTestSchema = Type.Object({
  asOf: Type.String({ description: 'the date the rule was evaluated as of (the latest insight refresh)' }),
  count: Type.Integer({ description: 'members matching now (store roles: of their store)' }),
  ruleText: Words,
  sample: Type.Array(Type.Object({
    memberId: Type.String(),
    cardNo: Type.String(),
    name: Nullable(Type.String({ description: 'masked' })),
    phone: Nullable(Type.String({ description: 'masked' })),
    reason: Words,
  })),
})

export const CountsQuery = Type.Object({
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  tagId: Type.Optional(Type.String({ maxLength: 64 })),
  storeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'members of this registration store only (store roles: their own)' })),
}, { additionalProperties: false })

export const CountsSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(Type.Object({ day: Type.String(), tagId: Type.String(), name: Type.String(), members: Type.Integer() })),
})

export const MemberParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const MemberTagParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), tagId: Type.String({ minLength: 1, maxLength: 64 }) })
export const AttachBody = Type.Object({
  tagId: Type.String({ minLength: 1, maxLength: 64 }),
  note: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'why, in the clerk\'s words (shown as the reason)' }))),
}, { additionalProperties: false })
export const EventsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false })

export const ProfileSchema = Type.Object({
  memberId: Type.String(),
  asOf: Nullable(Type.String({ description: 'the date the figures and classes are as of; null before the first refresh' })),
  window: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
  tags: Type.Array(Type.Ref('MemberTag')),
  rfm: Type.Object({ class: Nullable(Type.String()), r: Nullable(Type.Integer()), f: Nullable(Type.Integer()), m: Nullable(Type.Integer()) }),
  quadrant: Nullable(Type.String()),
  lifecycle: Nullable(Type.String()),
  frequencyClass: Nullable(Type.String()),
  amountClass: Nullable(Type.String()),
  mainStore: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  mainDepartment: Nullable(Type.String()),
  mainCategory: Nullable(Type.String()),
  departmentShares: Type.Array(Type.Object({ department: Type.String(), amount: Type.Integer({ description: 'fen' }), sharePm: Type.Integer({ description: '‰ of the window\'s spend' }) })),
  figures: Nullable(Type.Object({
    receipts: Type.Integer(), spend: Type.Integer({ description: 'fen, net of returns, in the window' }), avgTicket: Type.Integer({ description: 'fen' }),
    recencyDays: Nullable(Type.Integer()), intervalDays: Nullable(Type.Number()), storesVisited: Type.Integer(), promoSharePm: Nullable(Type.Integer()),
    pointsEarned: Type.Integer(), pointsRedeemed: Type.Integer(), couponsUsed: Type.Integer(),
    receiptsTotal: Type.Integer(), spendTotal: Type.Integer(), firstPurchaseAt: Nullable(Type.String()), lastPurchaseAt: Nullable(Type.String()),
  })),
  predictions: Nullable(Type.Object({
    pAlivePm: Type.Integer({ description: 'probability of being alive (1 − churn risk), ‰' }),
    expectedPurchases30: Type.Number(), expectedPurchases90: Type.Number(), expectedPurchases365: Type.Number(),
    expectedValue: Nullable(Type.Integer({ description: 'fen: the expected value of a purchase' })),
    clv: Nullable(Type.Integer({ description: 'fen: the lifetime value over the fit\'s horizon, discounted' })),
    fitId: Type.String(),
  }, { description: 'the last lifetime-value fit\'s predictions; null before a fit covers the member' })),
})
