import type { Actor } from '../../shared/actor.js'
import { isDomainError } from '../../shared/errors.js'
import { defineJob, defineSchedule } from '../outbox/index.js'
import type { InsightRefresh } from './insight/insight-refresh.js'
import type { ClvFitInput, ClvService, ScoreInput } from './predictions/clv.service.js'
import type { ForecastInput, ForecastService } from './forecast/forecast.service.js'
import type { BuildInput, RecommendationsService } from './recommendations/recommendations.service.js'
import type { MineInput, RulesService } from './rules/rules.service.js'

type Ctx = { insight: InsightRefresh; clv: ClvService; rules: RulesService; recommendations: RecommendationsService; forecast: ForecastService }

/**
 * Brings the insight figures up to date: incremental (what changed since the watermark) unless
 * `full`; an incremental run turns full by itself when the day has turned. Idempotent: a retry
 * computes the same figures again.
 */
export const refreshInsight = defineJob<{ full?: boolean; rebuild?: boolean }, Ctx>({
  name: 'analytics.refreshInsight', description: 'refresh the insight figures (members, classes, tags): incremental, or full',
  // One run at a time is enough: the refresh reads everything written before it starts.
  maxAttempts: 3,
  run: ({ full, rebuild }, { insight }) => insight.refresh({ full: full === true, rebuild: rebuild === true }),
})

/** What a page's request adds to a queued job: who asked (the name on what the job stores). */
export interface Requested { requestedBy?: string }

/** The actor a job acts as: the staff member who asked, or (the nightly schedule) the job itself. */
const actorFor = (job: string, input: Requested | undefined): Actor => ({ kind: 'system', name: input?.requestedBy ?? `job:${job}` })
/** The job's input without who asked. */
const inputOf = <T extends Requested>(input: T | undefined): Omit<T, 'requestedBy'> => {
  const { requestedBy: _asked, ...rest } = input ?? ({} as T)
  return rest
}

/**
 * Fits BG/NBD and Gamma-Gamma on every purchase to today and writes each member's predictions.
 * Too few purchases to fit (a new chain) is an answer, not a failure: the run ends with the
 * refusal's code and no retry. Idempotent: a retry fits and writes again.
 */
export const scoreClv = defineJob<ScoreInput & Requested, Ctx>({
  name: 'analytics.scoreClv', description: 'fit the lifetime-value models and write each member\'s P(alive), expected purchases and CLV',
  maxAttempts: 2,
  run: async (input, { clv }) => {
    try {
      const out = await clv.score(actorFor('analytics.scoreClv', input), inputOf(input))
      return { fitId: out.fitId, scored: out.scored }
    } catch (e) {
      if (isDomainError(e) && e.kind === 'unprocessable') return { refused: e.code }
      throw e
    }
  },
})

/**
 * The lifetime-value models' calibration / holdout check, stored for the CLV page. Too few
 * purchases before the calibration end is an answer, not a failure (the refusal's code, no retry).
 */
export const checkClv = defineJob<Partial<ClvFitInput> & Requested, Ctx>({
  name: 'analytics.checkClv', description: 'check the lifetime-value models on a holdout period and store predicted against actual',
  maxAttempts: 2,
  run: async (input, { clv }) => {
    try {
      const out = await clv.check(actorFor('analytics.checkClv', input), inputOf(input))
      return { checkId: out.id, actual: out.result.holdout?.actual ?? null, predicted: out.result.holdout?.predicted ?? null }
    } catch (e) {
      if (isDomainError(e) && e.kind === 'unprocessable') return { refused: e.code }
      throw e
    }
  },
})

/**
 * Mines the association rules of the last 90 days' sales (by default at the category level), so
 * the rules browser has this morning's rules. Idempotent: a retry mines and stores another run.
 */
export const mineRules = defineJob<MineInput & Requested, Ctx>({
  name: 'analytics.mineRules', description: 'mine the association rules of the recent sales',
  maxAttempts: 2,
  run: async (input, { rules, job }) => {
    const { run } = await rules.mine(actorFor('analytics.mineRules', input), inputOf(input), job.progress)
    return { runId: run.id, baskets: run.baskets, rules: run.rules }
  },
})

/**
 * Builds the recommendation model from the last 90 days' sales (by default), so this morning's
 * suggestions use yesterday's baskets. Idempotent: a retry builds and stores another model.
 */
export const buildRecommendations = defineJob<BuildInput & Requested, Ctx>({
  name: 'analytics.buildRecommendations', description: 'build the recommendation model from the recent sales',
  maxAttempts: 2,
  run: async (input, { recommendations, job }) => {
    const model = await recommendations.build(actorFor('analytics.buildRecommendations', input), inputOf(input), job.progress)
    return { modelId: model.id, baskets: model.baskets, products: model.products, neighbours: model.neighbours }
  },
})

/**
 * Forecasts every weekly series (store × department, chain × category) with its backtest, so the
 * forecast page and its exports have this week's figures. Idempotent: a retry stores another run.
 */
export const forecastSales = defineJob<ForecastInput & Requested, Ctx>({
  name: 'analytics.forecastSales', description: 'forecast the weekly sales per store × department and chain × category',
  maxAttempts: 2,
  run: async (input, { forecast, job }) => {
    const run = await forecast.run(actorFor('analytics.forecastSales', input), inputOf(input), job.progress)
    return { runId: run.id, series: run.series, skipped: run.skipped }
  },
})

export const analyticsJobs = [refreshInsight, scoreClv, checkClv, mineRules, buildRecommendations, forecastSales]

// No event is published when a receipt is posted, so the incremental refresh runs on a schedule
// (every 5 minutes: the figures are at most that far behind); the full one once a day.
export const analyticsSchedules = [
  defineSchedule({ name: 'analytics.refreshInsight.full', description: 'full insight refresh, once a day', job: refreshInsight, daily: true, payload: { full: true } }),
  defineSchedule({ name: 'analytics.refreshInsight', description: 'incremental insight refresh', job: refreshInsight, everyMinutes: 5, payload: { full: false } }),
  defineSchedule({ name: 'analytics.mineRules', description: 'association rules of the last 90 days, once a day', job: mineRules, daily: true, payload: {} }),
  defineSchedule({ name: 'analytics.buildRecommendations', description: 'the recommendation model from the last 90 days, once a day', job: buildRecommendations, daily: true, payload: {} }),
  defineSchedule({ name: 'analytics.forecastSales', description: 'the weekly sales forecast, once a day', job: forecastSales, daily: true, payload: {} }),
  defineSchedule({ name: 'analytics.checkClv', description: 'the lifetime-value models checked on the last 26 weeks, once a day', job: checkClv, daily: true, payload: {} }),
  defineSchedule({ name: 'analytics.scoreClv', description: 'lifetime value and churn risk, once a day', job: scoreClv, daily: true, payload: {} }),
]
