import { defineJob, defineSchedule } from '../outbox/index.js'
import type { AuthService } from './auth.service.js'

export const pruneLoginThrottle = defineJob<Record<string, never>, { auth: AuthService }>({
  name: 'login-throttle.prune', description: 'forget sign-in failures a day old and addresses not signed in from for 30 days',
  run: (_p, { auth }) => auth.pruneThrottle(),
})

export const authJobs = [pruneLoginThrottle]
export const authSchedules = [defineSchedule({ job: pruneLoginThrottle, daily: true })]
