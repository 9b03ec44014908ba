import { defineJob, defineSchedule } from '../outbox/index.js'
import type { CouponsService } from './coupons.service.js'

type Ctx = { coupons: CouponsService }

/**
 * A new member's welcome coupons, queued in the registration's transaction. Members imported
 * from an old system get none (no job is written for them). Idempotent: the issue key
 * `registration` allows one coupon per template and member, so a retry issues nothing twice.
 */
export const issueWelcome = defineJob<'member.registered', Ctx>({
  name: 'coupons.issueWelcome', description: 'give a newly registered member the welcome coupons',
  on: 'member.registered',
  when: (e) => e.channel !== 'import',
  key: (e) => e.memberId,
  run: (e, { coupons, job }) => coupons.issueWelcome({ memberId: e.memberId, at: e.at, registeredAt: job.enqueuedAt }),
})

export const expireCoupons = defineJob<Record<string, never>, Ctx>({
  name: 'coupons.expire', description: 'mark unused coupons whose last day has passed as expired',
  run: (_p, { coupons }) => coupons.expireDue(),
})

/** A check, not a repair: the welcome coupon is queued with the registration, so a miss is a fault to look into. */
export const checkWelcomes = defineJob<Record<string, never>, Ctx>({
  name: 'coupons.welcome', description: 'report members who registered but have no welcome coupon (a check: it issues nothing)',
  run: (_p, { coupons }) => coupons.findMissedWelcomes(),
})

export const couponsJobs = [issueWelcome, expireCoupons, checkWelcomes]
export const couponsSchedules = [defineSchedule({ job: expireCoupons, daily: true }), defineSchedule({ job: checkWelcomes, daily: true })]
