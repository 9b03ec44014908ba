import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Level = Type.Union([Type.Literal('sku'), Type.Literal('subcategory'), Type.Literal('category'), Type.Literal('department')], {
  description: 'the items of a basket: products (sku), or their subcategory, category or department',
})
const Share = (description: string, exclusiveMinimum?: number) => Type.Number({ ...(exclusiveMinimum === undefined ? { minimum: 0 } : { exclusiveMinimum }), maximum: 1, description })

export const MineBody = Type.Object({
  level: Type.Optional(Level),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  storeId: Type.Optional(Type.String({ minLength: 1 })),
  membersOnly: Type.Optional(Type.Boolean({ description: "members' sales only (default: every sale)" })),
  minSupport: Type.Optional(Share('an itemset is frequent in at least this share of the baskets (default 0.01)', 0)),
  minConfidence: Type.Optional(Share('default 0.2')),
  minLift: Type.Optional(Type.Number({ minimum: 0, description: 'default 0: every rule passing support and confidence' })),
  maxLength: Type.Optional(Type.Integer({ minimum: 2, maximum: 10, description: 'items in a rule, both sides (default 4)' })),
}, { additionalProperties: false })

const RuleItemSchema = Type.Object({ key: Type.String(), label: Type.String(), sku: Type.Optional(Type.String()) })

export const RuleSchema = Type.Object({
  rank: Type.Integer({ description: '1 = the highest lift (then confidence, then baskets)' }),
  antecedent: Type.Array(RuleItemSchema),
  consequent: Type.Array(RuleItemSchema),
  baskets: Type.Integer({ description: 'baskets with every item of the rule' }),
  antecedentBaskets: Type.Integer(),
  consequentBaskets: Type.Integer(),
  support: Type.Number({ description: 'baskets with every item ÷ all baskets' }),
  confidence: Type.Number({ description: 'baskets with every item ÷ baskets with the left-hand side' }),
  lift: Type.Number({ description: 'confidence ÷ the right-hand side’s support' }),
})

export const RuleRunSchema = Type.Object({
  id: Type.String(),
  minedAt: Type.String(),
  level: Level,
  from: Day,
  to: Day,
  storeId: Nullable(Type.String()),
  membersOnly: Type.Boolean(),
  minSupport: Type.Number(),
  minConfidence: Type.Number(),
  minLift: Type.Number(),
  maxLength: Type.Integer(),
  baskets: Type.Integer(),
  items: Type.Integer(),
  itemsets: Type.Integer(),
  rules: Type.Integer(),
  rulesDropped: Type.Integer({ description: 'rules found beyond the stored ones (the strongest are kept)' }),
  seconds: Type.Number(),
  createdBy: Type.String(),
})

export const MinedSchema = Type.Object({ run: RuleRunSchema, rules: Type.Array(RuleSchema, { description: 'the first 50 rules' }) })
export const RunsSchema = Type.Object({ runs: Type.Array(RuleRunSchema) })

export const RulesQuery = Type.Object({
  runId: Type.Optional(Type.String({ minLength: 1 })),
  item: Type.Optional(Type.String({ minLength: 1, description: 'rules with this item key (a product id at the SKU level, the name otherwise)' })),
  side: Type.Optional(Type.Union([Type.Literal('antecedent'), Type.Literal('consequent'), Type.Literal('either')])),
  minSupport: Type.Optional(Share('')),
  minConfidence: Type.Optional(Share('')),
  minLift: Type.Optional(Type.Number({ minimum: 0 })),
  size: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
  sort: Type.Optional(Type.Union([Type.Literal('lift'), Type.Literal('confidence'), Type.Literal('support')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: false })

export const RunQuery = Type.Object({ runId: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false })
export const RuleItemsSchema = Type.Object({
  run: Nullable(RuleRunSchema),
  items: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), sku: Type.Optional(Type.String()), rules: Type.Integer({ description: 'stored rules with the item, on either side' }) })),
})

export const RulesPageSchema = Type.Object({ run: Nullable(RuleRunSchema), total: Type.Integer(), rules: Type.Array(RuleSchema) })

export const TogetherQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, description: 'sales of the last N days to today (default 90)' })),
  storeId: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
}, { additionalProperties: false })

export const TogetherSchema = Type.Object({
  product: Type.Object({ id: Type.String(), sku: Type.String(), name: Type.String() }),
  from: Day,
  to: Day,
  baskets: Type.Integer({ description: 'sales in the period with a catalogue product' }),
  withProduct: Type.Integer({ description: 'of them, sales with the product' }),
  items: Type.Array(Type.Object({
    productId: Type.String(), sku: Type.String(), name: Type.String(), together: Type.Integer(),
    support: Type.Number(), confidence: Type.Number(), lift: Type.Number(),
  })),
})

export const QueuedSchema = Type.Object({ jobId: Type.String(), joined: Type.Boolean({ description: 'a request in the same minute joins the job already queued' }) })
