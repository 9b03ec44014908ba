import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

const HoldoutRowSchema = Type.Object({
  repeats: Type.String({ description: "repeat purchases before the calibration end: '0' … '6', '7+'" }),
  members: Type.Integer(),
  actual: Type.Integer(),
  predicted: Type.Number(),
})

export const ClvFitSchema = Type.Object({
  model: Type.Literal('bg/nbd'),
  r: Type.Number(), alpha: Type.Number(), a: Type.Number(), b: Type.Number(),
  logLikelihood: Type.Number(),
  members: Type.Integer(),
  repeatMembers: Type.Integer(),
  unit: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  calibrationEnd: Day,
  gammaGamma: Type.Union([
    Type.Object({ p: Type.Number(), q: Type.Number(), gamma: Type.Number(), logLikelihood: Type.Number(), members: Type.Integer() }),
    Type.Object({ refused: Type.String() }),
  ]),
  holdout: Type.Optional(Type.Object({ end: Day, length: Type.Number(), actual: Type.Integer(), predicted: Type.Number(), byRepeats: Type.Array(HoldoutRowSchema) })),
  seconds: Type.Number(),
})

const StoredFitSchema = Type.Object({
  id: Type.String(),
  fittedAt: Type.String(),
  calibrationEnd: Day,
  scored: Type.Integer(),
  horizonMonths: Type.Integer(),
  discountRate: Type.Number(),
  result: ClvFitSchema,
})

export const CheckBody = Type.Object({
  calibrationEnd: Type.Optional(Day),
  holdoutEnd: Type.Optional(Day),
  unit: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')])),
  regionId: Type.Optional(Type.String({ minLength: 1, description: 'the members registered in this region\'s stores only' })),
}, { additionalProperties: false, description: 'defaults: the holdout is the 26 weeks to today, in weeks, the whole chain' })

export const LatestCheckSchema = Type.Object({
  check: Nullable(Type.Object({
    id: Type.String(), checkedAt: Type.String(), regionId: Nullable(Type.String()), createdBy: Type.String(), result: ClvFitSchema,
  })),
})

export const LatestFitSchema = Type.Object({
  /** null before the first fit */
  fit: Nullable(StoredFitSchema),
})

export const ScoreBody = Type.Object({
  horizonMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'the CLV horizon in months (default 12)' })),
  discountRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'yearly discount rate (default 0.1)' })),
}, { additionalProperties: false })

export const ScoreQueuedSchema = Type.Object({
  jobId: Type.String(),
  /** a request in the same minute joins the job already queued */
  joined: Type.Boolean(),
})

export const ClvOverviewSchema = Type.Object({
  fit: Nullable(StoredFitSchema),
  bands: Type.Array(Type.Object({
    band: Type.Integer({ description: 'P(alive) in tenths: 0 = below 10 % … 9 = 90 % or more' }),
    members: Type.Integer(), clv: Type.Integer({ description: 'fen' }), expected365: Type.Number(),
  })),
  totals: Type.Object({ members: Type.Integer(), clv: Type.Integer({ description: 'fen' }), expected365: Type.Number() }),
  atRiskBelowPm: Type.Integer(),
  atRisk: Type.Array(Type.Object({
    memberId: Type.String(), cardNo: Type.String(), name: Nullable(Type.String()), storeId: Nullable(Type.String()),
    pAlivePm: Type.Integer(), clv: Nullable(Type.Integer()), expectedValue: Nullable(Type.Integer()),
    receiptsTotal: Type.Integer(), recencyDays: Nullable(Type.Integer()), intervalDays: Nullable(Type.Number()), lastPurchaseAt: Nullable(Type.String()),
  })),
})
