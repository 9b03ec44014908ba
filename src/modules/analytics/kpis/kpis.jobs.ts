import { defineJob, defineSchedule } from '../../outbox/index.js'
import type { KpisService } from './kpis.service.js'

type Ctx = { kpis: KpisService }

/**
 * Keeps the KPI read model current between reads (a read catches up by itself when it is more
 * than a minute behind; this keeps that catch-up small) and rebuilds it once a day. Idempotent.
 */
export const refreshKpis = defineJob<{ full?: boolean }, Ctx>({
  name: 'analytics.refreshKpis', description: 'bring the KPI read model (store days, months\' buyers) up to date: incremental, or full',
  maxAttempts: 3,
  run: ({ full }, { kpis }) => kpis.refresh({ full: full === true }),
})

export const kpisJobs = [refreshKpis]

export const kpisSchedules = [
  defineSchedule({ name: 'analytics.refreshKpis.full', description: 'full KPI read model rebuild, once a day', job: refreshKpis, daily: true, payload: { full: true } }),
  defineSchedule({ name: 'analytics.refreshKpis', description: 'incremental KPI read model refresh', job: refreshKpis, everyMinutes: 5, payload: { full: false } }),
]
