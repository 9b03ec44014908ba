import type { AuditService } from '../../audit/index.js'
import type { Db } from '../../../db/database.js'
import type { Clock } from '../../../shared/clock.js'

export interface SuggestionsDeps {
  db: Db
  audit: AuditService
  clock: Clock
  timezone: string
}

/** The suggestion box (意见箱, issue 14 §2). */
export const createSuggestionsService = (_deps: SuggestionsDeps) => ({})

export type SuggestionsService = ReturnType<typeof createSuggestionsService>
