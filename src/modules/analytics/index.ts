export { createMemberStatsService } from './member-stats.service.js'
export type { MemberStats, MemberStatsService } from './member-stats.service.js'
export { createMemberFacts } from './member-facts.js'
export type { FactsAccumulator, MemberFactsWriter } from './member-facts.js'
export { addMonths, isInWindow } from './member-facts-rules.js'
export type { FactsWindow, MemberFacts, PurchaseFactDelta } from './member-facts-rules.js'
export type { MemberFactsTables } from './member-facts.table.js'
export { createAnalyticsMemberData } from './analytics.member-data.js'
export {
  couponSalesByTemplate, couponTenderMismatches, drawLedgerSums, freeEntryReceipt, membersWithoutWelcome, pointsLiability, rebateBases, receiptNumbers, usedCouponsWithoutReceipt,
} from './rewards-reads.repository.js'
