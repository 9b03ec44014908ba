export { createMemberStatsService } from './member-stats.service.js'
export type { MemberStats, MemberStatsService } from './member-stats.service.js'
