import { Type } from 'typebox'
import { Nullable } from '../../shared/http/schemas.js'

const Basis = Type.Union([Type.Literal('points'), Type.Literal('spend')], {
  description: 'spend: fen spent in the period (sales less returns); points: points earned in the period (less what returns reversed)',
})
const Reward = Type.Union([Type.Literal('points'), Type.Literal('coupon')], {
  description: 'points: credited to the member; coupon: one coupon of an amount template whose face value is the rebate in fen',
})
const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })
const RateBp = Type.Integer({ minimum: 0, maximum: 10_000, description: 'basis points of the basis: 100 = 1%' })

export const BracketSchema = Type.Object({
  min: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'the least basis it applies from, in the basis unit (fen for spend, points for points)' }),
  rateBp: RateBp,
  fixed: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'a fixed rebate on top, in the reward unit (fen for a coupon, points for points)' }),
}, { additionalProperties: false })

const TierRates = Type.Record(Type.String({ minLength: 1, maxLength: 32 }), RateBp, {
  description: "{ tierCode: rateBp }: the member's current tier's rate replaces the bracket's rate",
})

const terms = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  periodFrom: Type.String({ maxLength: 10, description: 'first local date of the period (YYYY-MM-DD), inclusive; receipts count by their business date' }),
  periodTo: Type.String({ maxLength: 10, description: 'last local date of the period, inclusive' }),
  basis: Basis,
  brackets: Type.Array(BracketSchema, {
    maxItems: 20,
    description: 'ascending by min, each min once; the bracket with the highest min not above the basis applies: rebate = fixed + ⌊basis (converted to the reward unit with the point value) × rate / 10000⌋',
  }),
  tierRates: Type.Optional(Nullable(TierRates)),
  reward: Reward,
  couponTemplateId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: "an active template of kind 'amount', for a coupon reward" }))),
  minRebate: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'a smaller rebate is not given, in the reward unit (fen or points); 0 by default' })),
}

export const ProgrammeBody = Type.Object(terms, { additionalProperties: false })

export const ProgrammeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  basis: Basis,
  brackets: Type.Array(BracketSchema),
  tierRates: Nullable(TierRates),
  reward: Reward,
  couponTemplateId: Nullable(Type.String()),
  minRebate: Amount,
  status: Type.Union([Type.Literal('draft'), Type.Literal('running'), Type.Literal('completed')], {
    description: 'draft: editable; running: a run started (it resumes when run again); completed: every rebate given',
  }),
  membersRewarded: Type.Integer(),
  totalRebate: Type.Integer({ description: 'in the reward unit: fen of coupon value, or points' }),
  pointValueFen: Nullable(Type.Integer({ description: 'fen per point used by the run (set when it starts)' })),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  runAt: Nullable(Type.String()),
  runBy: Nullable(Type.String()),
}, { $id: 'RebateProgramme' })

export const PreviewQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false })

export const PreviewSchema = Type.Object({
  programmeId: Type.String(),
  pointValueFen: Type.Integer({ description: 'fen per point used to convert between the basis and the reward' }),
  totals: Type.Object({
    members: Type.Integer({ description: 'members who would receive a rebate' }),
    basis: Type.Integer({ description: 'their basis, summed (fen or points)' }),
    rebate: Type.Integer({ description: 'their rebates, summed (fen or points)' }),
    belowMinimum: Type.Integer({ description: 'members with a basis whose rebate is nothing or below the minimum' }),
    awarded: Type.Integer({ description: 'of the members, those already given their rebate' }),
    awardedRebate: Type.Integer({ description: 'of the rebate, what was already given' }),
  }),
  items: Type.Array(Type.Object({
    memberId: Type.String(),
    cardNo: Type.String(),
    name: Nullable(Type.String({ description: 'masked' })),
    tierCode: Nullable(Type.String()),
    basis: Type.Integer(),
    rebate: Type.Integer(),
    awarded: Type.Boolean(),
  })),
  offset: Type.Integer(),
  limit: Type.Integer(),
})
