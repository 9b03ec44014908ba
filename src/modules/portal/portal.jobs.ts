import { defineJob, defineSchedule } from '../outbox/index.js'
import type { PortalAuthService } from './portal-auth.service.js'

/** Deletes sign-in codes older than a day and members' sessions past their end. */
export const prunePortal = defineJob<Record<string, never>, { portalAuth: PortalAuthService }>({
  name: 'portal.prune', description: "delete the member page's old sign-in codes and ended sessions",
  run: (_p, { portalAuth }) => portalAuth.prune(),
})

export const portalJobs = [prunePortal]
export const portalSchedules = [defineSchedule({ job: prunePortal, daily: true })]
