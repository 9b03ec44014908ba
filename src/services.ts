import type { Logger } from 'pino'
import type { Database } from './db/database.js'
import { createMemberStatsService } from './modules/analytics/index.js'
import { createAuditService } from './modules/audit/index.js'
import { createAuthService } from './modules/auth/index.js'
import { createMembersService, createMemberImportService } from './modules/members/index.js'
import { createOrgService } from './modules/org/index.js'
import type { Clock } from './shared/clock.js'
import { EventBus } from './shared/events.js'
import type { Keyring } from './shared/pii.js'

export interface ServiceDeps {
  database: Database
  keyring: Keyring
  clock: Clock
  timezone: string
  dataDir: string
  log?: Logger
  sleep?: (ms: number) => Promise<void>
}

/** Wires every service; the one place that knows who needs what. */
export const createServices = ({ database, keyring, clock, timezone, dataDir, log, sleep }: ServiceDeps) => {
  const { db, engine } = database
  const events = new EventBus(log)
  const audit = createAuditService({ db, clock })
  const org = createOrgService({ db, audit, clock, timezone })
  const auth = createAuthService({ db, audit, clock, sleep })
  const members = createMembersService({ db, engine, audit, clock, keyring, events, timezone })
  const memberImports = createMemberImportService({ db, members, audit, clock, keyring, dataDir, timezone })
  const stats = createMemberStatsService({ db, clock, timezone })
  return { database, db, engine, keyring, clock, timezone, events, audit, org, auth, members, memberImports, stats }
}

export type Services = ReturnType<typeof createServices>
