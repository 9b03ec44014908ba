import type { AuditService } from '../../audit/index.js'
import type { Db } from '../../../db/database.js'
import type { Clock } from '../../../shared/clock.js'

export interface SurveysDeps {
  db: Db
  audit: AuditService
  clock: Clock
  timezone: string
}

/** Satisfaction surveys: builder, distribution, public answers, analysis (issue 14 §3). */
export const createSurveysService = (_deps: SurveysDeps) => ({})

export type SurveysService = ReturnType<typeof createSurveysService>
