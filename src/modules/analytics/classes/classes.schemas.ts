import { Type } from 'typebox'
import { DateOnly, Nullable } from '../../../shared/http/schemas.js'
import { INCOME_BANDS } from '../../members/index.js'
import { LEVELS, LIFECYCLE_STAGES, QUADRANTS, RFM_CLASSES } from '../insight/insight.table.js'

const lit = <const T extends string>(values: readonly T[], description?: string) => Type.Enum([...values], description ? { description } : {})
const Share = (description: string) => Type.Number({ description: `${description}, 0–1` })
const Fen = (description: string) => Type.Integer({ description: `fen: ${description}` })
const Days = Type.Integer({ minimum: 1, maximum: 3650 })
const CutsSchema = (description: string, min: number) => Type.Tuple([Type.Integer({ minimum: min }), Type.Integer({ minimum: min }), Type.Integer({ minimum: min }), Type.Integer({ minimum: min })], { description })

const LevelSettingsSchema = (unit: string) => Type.Object({
  method: lit(['tercile', 'fixed'] as const, 'tercile: the thresholds are derived at each full refresh; fixed: mid and high as set'),
  mid: Nullable(Type.Integer({ minimum: 1, description: `${unit}: mid at or above` })),
  high: Nullable(Type.Integer({ minimum: 1, description: `${unit}: high at or above` })),
}, { additionalProperties: false })

const RfmSettingsSchema = Type.Object({
  method: lit(['quintile', 'fixed'] as const),
  fixed: Nullable(Type.Object({
    r: CutsSchema('days since the last purchase: score 5 if ≤ r[0], 4 if ≤ r[1], 3 if ≤ r[2], 2 if ≤ r[3], else 1', 0),
    f: CutsSchema('receipts in the window: score 2 if ≥ f[0], 3 if ≥ f[1], 4 if ≥ f[2], 5 if ≥ f[3]', 1),
    m: CutsSchema('fen spent in the window: score 2 if ≥ m[0], 3 if ≥ m[1], 4 if ≥ m[2], 5 if ≥ m[3]', 1),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

const QuadrantSettingsSchema = Type.Object({
  incomeThreshold: Nullable(lit(INCOME_BANDS, 'high income: this band or above; null = the median member\'s band')),
  spendThreshold: Nullable(Type.Integer({ minimum: 0, description: 'fen in the window: high spend at or above; null = the median of members who bought' })),
}, { additionalProperties: false })

const LifecycleSettingsSchema = Type.Object({
  newDays: Nullable(Days),
  dormantDays: Nullable(Days),
  lostDays: Nullable(Days),
}, { additionalProperties: false, description: 'null = derived from the chain\'s purchase intervals' })

const ClvSettingsSchema = Type.Object({
  horizonMonths: Type.Integer({ minimum: 1, maximum: 120, description: 'the CLV the nightly fit writes covers this many months (default 12)' }),
  discountRate: Type.Number({ minimum: 0, maximum: 1, description: 'yearly discount rate of that CLV, applied monthly (default 0.1)' }),
}, { additionalProperties: false })

export const InsightSettingsSchema = Type.Object({
  windowDays: Type.Integer({ minimum: 1, maximum: 3650, description: 'the window of the per-member figures: business dates in (asOf − windowDays, asOf]' }),
  rfm: RfmSettingsSchema,
  quadrant: QuadrantSettingsSchema,
  frequency: LevelSettingsSchema('receipts in the window'),
  amount: LevelSettingsSchema('fen spent in the window'),
  lifecycle: LifecycleSettingsSchema,
  clv: ClvSettingsSchema,
}, { additionalProperties: false })

export const InsightSettingsBody = Type.Object({
  windowDays: Type.Optional(InsightSettingsSchema.properties.windowDays),
  rfm: Type.Optional(RfmSettingsSchema),
  quadrant: Type.Optional(QuadrantSettingsSchema),
  frequency: Type.Optional(LevelSettingsSchema('receipts in the window')),
  amount: Type.Optional(LevelSettingsSchema('fen spent in the window')),
  lifecycle: Type.Optional(LifecycleSettingsSchema),
  clv: Type.Optional(ClvSettingsSchema),
}, { additionalProperties: false, description: 'each section given replaces that section; sections left out stay' })

const LevelCutsSchema = Type.Object({
  method: lit(['tercile', 'fixed'] as const), mid: Type.Integer(), high: Type.Integer(),
})

const LifecycleDaysSchema = Type.Object({ newDays: Type.Integer(), dormantDays: Type.Integer(), lostDays: Type.Integer() })

export const RfmCutsSchema = Type.Object({
  method: lit(['quintile', 'fixed'] as const),
  r: Type.Array(Type.Number(), { description: 'days: score 5 if ≤ r[0], 4 if ≤ r[1], 3 if ≤ r[2], 2 if ≤ r[3], else 1' }),
  f: Type.Array(Type.Number(), { description: 'receipts: score 2 if ≥ f[0], 3 if ≥ f[1], 4 if ≥ f[2], 5 if ≥ f[3]' }),
  m: Type.Array(Type.Number(), { description: 'fen: score 2 if ≥ m[0], … 5 if ≥ m[3]' }),
  averages: Type.Object({ r: Type.Number(), f: Type.Number(), m: Type.Number() }, { description: 'the average R, F and M scores of the members scored: a score at or above its average is high' }),
})

/** The thresholds the last full refresh used (meta `insight.cuts`), so every page can explain them. */
export const InsightCutsSchema = Type.Object({
  asOf: DateOnly,
  at: Type.String({ description: 'ISO UTC time of the refresh' }),
  windowDays: Type.Integer(),
  windowFrom: DateOnly,
  members: Type.Integer({ description: 'live members classified' }),
  scored: Type.Integer({ description: 'members with a purchase in the window (the ones scored)' }),
  rfm: RfmCutsSchema,
  quadrant: Type.Object({
    incomeThreshold: Nullable(lit(INCOME_BANDS)),
    spendThreshold: Type.Integer(),
    incomeDerived: Type.Boolean(), spendDerived: Type.Boolean(),
  }),
  frequency: LevelCutsSchema,
  amount: LevelCutsSchema,
  lifecycle: Type.Object({
    ...LifecycleDaysSchema.properties,
    derived: LifecycleDaysSchema,
    overridden: Type.Object({ newDays: Type.Boolean(), dormantDays: Type.Boolean(), lostDays: Type.Boolean() }),
    intervals: Type.Object({
      members: Type.Integer({ description: 'members with two purchases or more' }),
      p50: Nullable(Type.Number({ description: 'days: median of members\' mean interval' })),
      p80: Nullable(Type.Number({ description: 'days: 80th percentile of members\' mean interval' })),
    }),
  }),
})

export const SettingsResponseSchema = Type.Object({
  settings: InsightSettingsSchema,
  cuts: Nullable(InsightCutsSchema),
})

export const ScopeQuery = Type.Object({
  storeId: Type.Optional(Type.String({ maxLength: 64, description: 'HQ: one store (registration store of the members)' })),
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'HQ: one region\'s stores' })),
}, { additionalProperties: false })

export const ParetoQuery = Type.Object({
  ...ScopeQuery.properties,
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  basis: Type.Optional(lit(['net', 'gross'] as const, 'net: sales minus returns (default); gross: sales only')),
}, { additionalProperties: false })

export const DistributionsQuery = Type.Object({
  ...ScopeQuery.properties,
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'departments and categories shown (default 10)' })),
}, { additionalProperties: false })

const Scope = {
  asOf: Nullable(DateOnly),
  storeId: Nullable(Type.String()),
  regionId: Nullable(Type.String()),
}

export const RfmResponseSchema = Type.Object({
  ...Scope,
  cuts: Nullable(RfmCutsSchema),
  members: Type.Integer({ description: 'members in scope' }),
  scored: Type.Integer({ description: 'members with a purchase in the window' }),
  spend: Fen('spend of the scored members in the window'),
  matrix: Type.Array(Type.Object({ r: Type.Integer(), f: Type.Integer(), members: Type.Integer(), avgMonetary: Fen('average spend in the window') }), { description: 'R × F, 25 cells' }),
  scores: Type.Object({
    r: Type.Array(Type.Object({ score: Type.Integer(), members: Type.Integer() })),
    f: Type.Array(Type.Object({ score: Type.Integer(), members: Type.Integer() })),
    m: Type.Array(Type.Object({ score: Type.Integer(), members: Type.Integer() })),
  }),
  classes: Type.Array(Type.Object({
    class: lit(RFM_CLASSES),
    members: Type.Integer(), spend: Fen('in the window'),
    memberShare: Share('of the scored members'), spendShare: Share('of the scored members\' spend'),
    avgRecencyDays: Nullable(Type.Number()), avgFrequency: Nullable(Type.Number({ description: 'receipts in the window' })), avgMonetary: Nullable(Fen('average spend in the window')),
  })),
})

export const QuadrantsResponseSchema = Type.Object({
  ...Scope,
  thresholds: Nullable(InsightCutsSchema.properties.quadrant),
  windowDays: Nullable(Type.Integer()),
  members: Type.Integer(),
  spend: Fen('in the window'),
  quadrants: Type.Array(Type.Object({
    quadrant: lit(QUADRANTS), members: Type.Integer(), spend: Fen('in the window'),
    memberShare: Share('of the members in scope'), spendShare: Share('of the spend in scope'), avgSpend: Fen('per member'),
  })),
})

export const ParetoResponseSchema = Type.Object({
  from: DateOnly, to: DateOnly, basis: lit(['net', 'gross'] as const),
  storeId: Nullable(Type.String()), regionId: Nullable(Type.String()),
  members: Type.Integer({ description: 'members with a sale in the period' }),
  spend: Fen('their spend in the period'),
  top20Members: Type.Integer(), top20Share: Share('the spend share of the top 20% of members'),
  membersFor80: Type.Integer({ description: 'the fewest members who make 80% of the spend' }),
  memberShareFor80: Share('membersFor80 as a share of members'),
  points: Type.Array(Type.Object({ memberPct: Type.Integer({ description: '1–100' }), members: Type.Integer(), spendShare: Share('cumulative') })),
})

const LevelKey = Type.Enum([...LEVELS, 'none'], { description: "'none': no purchase in the window" })

export const DistributionsResponseSchema = Type.Object({
  ...Scope,
  members: Type.Integer(),
  thresholds: Type.Object({ frequency: Nullable(LevelCutsSchema), amount: Nullable(LevelCutsSchema) }),
  frequencyAmount: Type.Array(Type.Object({ frequency: LevelKey, amount: LevelKey, members: Type.Integer(), spend: Fen('in the window') })),
  departments: Type.Array(Type.Object({ department: Type.String(), members: Type.Integer(), spend: Fen('in the window'), memberShare: Share('of members with a main department') })),
  categories: Type.Array(Type.Object({ category: Type.String(), members: Type.Integer(), spend: Fen('in the window'), memberShare: Share('of members with a main category') })),
  ageGender: Type.Array(Type.Object({ ageBand: Type.String({ description: "'unknown' without a birthday" }), gender: Type.String(), members: Type.Integer(), spend: Fen('in the window') })),
})

export const LifecycleResponseSchema = Type.Object({
  ...Scope,
  members: Type.Integer(),
  thresholds: Nullable(InsightCutsSchema.properties.lifecycle),
  stages: Type.Array(Type.Object({ stage: lit(LIFECYCLE_STAGES), members: Type.Integer(), share: Share('of members in scope') })),
  trend: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM; the stage at the month\'s last day (the current month: at asOf)' }), stage: lit(LIFECYCLE_STAGES), members: Type.Integer() })),
  flows: Type.Array(Type.Object({ month: Type.String(), from: lit(LIFECYCLE_STAGES), to: lit(LIFECYCLE_STAGES), members: Type.Integer() }), { description: 'members at the end of the month before in `from` and at the end of `month` in `to`' }),
})
