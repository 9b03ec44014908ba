import type { AuditService } from '../../audit/index.js'
import type { Db } from '../../../db/database.js'
import type { Clock } from '../../../shared/clock.js'

export interface TicketsDeps {
  db: Db
  audit: AuditService
  clock: Clock
  timezone: string
}

/** The service desk's complaints and service requests (issue 14 §1). */
export const createTicketsService = (_deps: TicketsDeps) => ({})

export type TicketsService = ReturnType<typeof createTicketsService>
