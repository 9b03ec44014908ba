import { defineJob, defineSchedule } from '../outbox/index.js'
import type { InsightRefresh } from './insight/insight-refresh.js'

type Ctx = { insight: InsightRefresh }

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

export const analyticsJobs = [refreshInsight]

// No event is published when a receipt is posted, so the incremental refresh runs on a schedule
// (every 5 minutes: the figures are at most that far behind); the full one once a day.
export const analyticsSchedules = [
  defineSchedule({ name: 'analytics.refreshInsight.full', description: 'full insight refresh, once a day', job: refreshInsight, daily: true, payload: { full: true } }),
  defineSchedule({ name: 'analytics.refreshInsight', description: 'incremental insight refresh', job: refreshInsight, everyMinutes: 5, payload: { full: false } }),
]
