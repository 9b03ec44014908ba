import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'
import { GRAINS, METRICS, TARGET_METRICS } from './kpi-rules.js'
import { REPORT_METRICS } from './kpis.service.js'

const Num = Nullable(Type.Number())

export const KpiQuerySchema = Type.Object({
  grain: Type.Optional(Type.String({ maxLength: 10, description: 'day, week (Monday to Sunday), month (default), quarter (Q1 = January to March) or year' })),
  from: Type.Optional(Type.String({ maxLength: 10, description: 'first business date YYYY-MM-DD (default: 12 months, 12 weeks, 31 days, 8 quarters or 5 years back)' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'last business date YYYY-MM-DD (default: today)' })),
  storeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  regionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})

const ComparedSchema = Type.Object({
  value: Num,
  previous: Num,
  previousChange: Nullable(Type.Number({ description: '环比: relative change from the period before (0.1 = +10%)' })),
  lastYear: Num,
  lastYearChange: Nullable(Type.Number({ description: '同比: relative change from the same period last year' })),
})

const ScopeSchema = Type.Object({
  kind: Type.Union([Type.Literal('chain'), Type.Literal('region'), Type.Literal('store')]),
  id: Nullable(Type.String()),
  name: Nullable(Type.String()),
})

const ComparedRangeSchema = Type.Object({
  key: Type.String({ description: 'the compared period (2026-11)' }),
  from: Type.String(),
  to: Type.String(),
  whole: Type.Boolean({ description: 'false: only the first days of that period (a partial period compares as many days)' }),
})

/** Whether a period is still running, and through which day its figures count. */
const SpanFields = {
  partial: Type.Boolean({ description: 'the period holds today (chain time zone): its figures run through `through`' }),
  days: Type.Integer({ description: 'days covered: from the period\'s start through `through`' }),
  through: Type.String({ description: 'the last day counted (today for a partial period, else the period\'s end)' }),
}

export const KpiResultSchema = Type.Object({
  grain: Type.Union(GRAINS.map((g) => Type.Literal(g))),
  from: Type.String(),
  to: Type.String(),
  scope: ScopeSchema,
  periods: Type.Array(Type.Object({
    key: Type.String({ description: '2026-03-05, 2026-W10, 2026-03, 2026-Q1 or 2026' }),
    from: Type.String(),
    to: Type.String(),
    ...SpanFields,
    compareTo: Type.Object({ previous: ComparedRangeSchema, lastYear: ComparedRangeSchema }, { description: '环比 and 同比 bases: for a partial period the same number of days from the start of each (clamped to the compared period\'s length); for a year both are the year before' }),
    figures: Type.Object(Object.fromEntries(METRICS.map((m) => [m, ComparedSchema])) as Record<(typeof METRICS)[number], typeof ComparedSchema>),
    satisfaction: Type.Optional(Type.Object({
      answers: Type.Integer({ description: 'survey ratings (1–5) in the period' }),
      csat: ComparedSchema,
      nps: ComparedSchema,
    }, { description: "the period's survey answers (every survey): CSAT as a fraction (ratings 4–5 of all ratings) and NPS (−100…100), with 环比 and 同比" })),
  })),
}, { $id: 'KpiResult' })

const MetricSchema = Type.Union(TARGET_METRICS.map((m) => Type.Literal(m)))
const ScopeKind = Type.Union([Type.Literal('chain'), Type.Literal('region'), Type.Literal('store')])

export const KpiTargetSchema = Type.Object({
  id: Type.String(),
  period: Type.String(),
  scopeKind: ScopeKind,
  scopeId: Nullable(Type.String()),
  metric: MetricSchema,
  target: Type.Number(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { $id: 'KpiTarget' })

export const TargetListQuery = Type.Object({ period: Type.Optional(Type.String({ maxLength: 7, description: 'YYYY-MM or YYYY: that period (and, for a month, its year)' })) })

export const TargetBody = Type.Object({
  period: Type.String({ maxLength: 7, description: 'a month YYYY-MM or a year YYYY' }),
  scopeKind: ScopeKind,
  scopeId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  metric: Type.String({ maxLength: 40, description: TARGET_METRICS.join(', ') }),
  target: Type.Number({ description: 'in the metric\'s unit: a count, fen, receipts per member, or a ratio (0.35 = 35%)' }),
})

export const TargetPatchBody = Type.Object({ target: Type.Number() })

export const ReportQuery = Type.Object({
  period: Type.Optional(Type.String({ maxLength: 7, description: 'a month YYYY-MM (neither period nor year: the last whole month)' })),
  year: Type.Optional(Type.String({ maxLength: 4, description: 'a year YYYY (instead of period)' })),
  storeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  regionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')], { description: 'language of the xlsx (default zh-CN)' })),
})

const ReportMetricSchema = Type.Union(REPORT_METRICS.map((m) => Type.Literal(m)))

const ReportBlockSchema = Type.Object({
  kind: ScopeKind,
  id: Nullable(Type.String()),
  code: Nullable(Type.String()),
  name: Nullable(Type.String()),
  lines: Type.Array(Type.Object({
    metric: ReportMetricSchema,
    actual: Num,
    target: Num,
    attainment: Nullable(Type.Number({ description: 'actual ÷ target (churn: target ÷ actual)' })),
    lastYear: Num,
    lastYearChange: Num,
  })),
})

export const ReportSchema = Type.Object({
  period: Type.String(),
  kind: Type.Union([Type.Literal('month'), Type.Literal('year')]),
  from: Type.String(),
  to: Type.String(),
  ...SpanFields,
  compareTo: Type.Object({ lastYear: ComparedRangeSchema }),
  scope: ScopeSchema,
  satisfaction: Type.Object({
    available: Type.Boolean(), note: Type.String(),
    answers: Type.Integer({ description: 'survey ratings in the period and scope' }),
    csat: Nullable(Type.Number({ description: 'share of ratings 4 or 5, as a fraction' })),
    nps: Nullable(Type.Number({ description: '% promoters − % detractors, −100…100' })),
  }),
  summary: ReportBlockSchema,
  regions: Type.Array(ReportBlockSchema),
  stores: Type.Array(ReportBlockSchema),
  trend: Type.Array(Type.Object({
    key: Type.String(), from: Type.String(), to: Type.String(), ...SpanFields,
    repurchaseRate: Num, retentionRate: Num, churnRate: Num, salesGrowth: Num, netSales: Num, memberSalesShare: Num, newMembers: Num, activeMembers: Num,
  })),
}, { $id: 'CrmReport' })
