import { defineJob, defineSchedule } from '../outbox/index.js'
import { RUN_ERASURES_JOB, type PrivacyService } from './privacy.service.js'

/** Erases the people whose cooling-off period has ended (oldest request first); each in its own transaction. */
export const runErasures = defineJob<Record<string, never>, { privacy: PrivacyService }>({
  name: RUN_ERASURES_JOB, description: 'erase the people whose erasure request has waited out the cooling-off period',
  run: (_p, { privacy }) => privacy.runDue(),
})

export const privacyJobs = [runErasures]
export const privacySchedules = [defineSchedule({ job: runErasures, everyMinutes: 15 })]
