import { defineJob, defineSchedule } from '../outbox/index.js'
import type { LoyaltyService } from './loyalty.service.js'

type Ctx = { loyalty: LoyaltyService }

export const expirePoints = defineJob<Record<string, never>, Ctx>({
  name: 'points.expire', description: 'expire points lots whose last day has passed',
  run: (_p, { loyalty }) => loyalty.expireDue(),
})

export const noticeExpiringPoints = defineJob<Record<string, never>, Ctx>({
  name: 'points.expiring-notice', description: 'announce points that expire within the notice period',
  run: (_p, { loyalty }) => loyalty.notifyExpiring(),
})

export const evaluateTiers = defineJob<Record<string, never>, Ctx>({
  name: 'tiers.evaluate', description: 'refresh 12-month windows, upgrade, and downgrade after the grace period',
  run: (_p, { loyalty }) => loyalty.evaluateTiers(),
})

export const loyaltyJobs = [expirePoints, noticeExpiringPoints, evaluateTiers]
export const loyaltySchedules = loyaltyJobs.map((job) => defineSchedule({ job, daily: true }))
