import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const BuildBody = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, description: 'learn from the sales of the last N days (default 90)' })),
}, { additionalProperties: false })

export const BuildQueuedSchema = Type.Object({
  jobId: Type.String(),
  /** a request in the same minute joins the job already queued */
  joined: Type.Boolean(),
})

export const ModelSchema = Type.Object({
  id: Type.String(),
  builtAt: Type.String(),
  from: Day,
  to: Day,
  baskets: Type.Integer({ description: 'sales with a catalogue product in the period' }),
  members: Type.Integer({ description: 'members with such a sale' }),
  products: Type.Integer({ description: 'products on those sales' }),
  neighbours: Type.Integer({ description: 'neighbour pairs stored (both kinds)' }),
  seconds: Type.Number(),
  createdBy: Type.String(),
})

export const LatestModelSchema = Type.Object({ model: Nullable(ModelSchema) })

export const MemberParams = Type.Object({ id: Type.String({ minLength: 1 }) })

export const RecommendQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'suggestions wanted (default 10)' })),
  excludeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'nothing the member bought in the last N days (default 7; 0 allows everything)' })),
  pointsOnly: Type.Optional(Type.Boolean({ description: 'points-eligible products only (a points offer)' })),
}, { additionalProperties: false })

const Reason = Type.Union([
  Type.Object({ kind: Type.Literal('repeat'), days: Type.Integer({ description: 'days in the last year the member bought it' }), lastDate: Day }),
  Type.Object({ kind: Type.Union([Type.Literal('together'), Type.Literal('similar')]), productId: Type.String(), sku: Type.String(), name: Type.String({ description: 'the product of the member\'s history it is bought with (together) or by the same members (similar)' }) }),
  Type.Object({ kind: Type.Literal('popular'), rank: Type.Integer({ description: '1 = the chain\'s most popular product' }) }),
])

export const RecommendationsSchema = Type.Object({
  memberId: Type.String(),
  model: Nullable(ModelSchema),
  asOf: Day,
  excludeDays: Type.Integer(),
  items: Type.Array(Type.Object({
    productId: Type.String(),
    sku: Type.String(),
    name: Type.String(),
    category: Nullable(Type.String()),
    listPrice: Type.Integer({ description: 'fen' }),
    memberPrice: Nullable(Type.Integer({ description: 'fen' })),
    pointsEligible: Type.Boolean(),
    soldByWeight: Type.Boolean({ description: 'prices are per kilogram; the till weighs it' }),
    score: Type.Number(),
    reason: Reason,
  })),
})
