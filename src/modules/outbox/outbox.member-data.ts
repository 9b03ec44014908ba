import * as repo from './outbox-member-data.repository.js'

/**
 * Jobs about a member (a welcome coupon, a tier change's notice). Not history a person sees, so
 * not in the merge preview, and a merge leaves them as they are. An erasure deletes them, done
 * or not: nothing more happens to an erased person.
 *
 * Shaped as members' MemberData without importing it: members publishes through the outbox, so
 * the outbox may not import members (services.ts checks the shape where it lists them).
 */
export const outboxMemberData = {
  name: 'jobs',
  derived: true as const,
  count: repo.countJobsNaming,
  move: async (): Promise<void> => {},
  export: repo.jobsNaming,
  erase: repo.deleteJobsNaming,
}
