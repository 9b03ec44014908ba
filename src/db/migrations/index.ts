import type { Migration } from 'kysely'
import * as createFoundation from './2026_11_23_2330_create_foundation.js'
import * as createReceiptsAndLoyalty from './2026_11_29_0900_create_receipts_and_loyalty.js'
import * as createCoupons from './2026_12_03_0800_create_coupons.js'
import * as createGifts from './2026_12_03_0801_create_gifts.js'
import * as createRebates from './2026_12_03_0802_create_rebates.js'
import * as createDraws from './2026_12_03_0803_create_draws.js'
import * as addCouponShareToReceiptLines from './2026_12_03_0900_add_coupon_share_to_receipt_lines.js'
import * as addMemberNameIndex from './2026_12_04_1050_add_member_name_index.js'
import * as createMemberLookupCounts from './2026_12_04_1051_create_member_lookup_counts.js'
import * as addCouponIssueStore from './2026_12_04_1030_add_coupon_issue_store.js'
import * as addImportSafetyColumns from './2026_12_04_1040_add_import_safety_columns.js'
import * as addReturnReasonsAndApprovals from './2026_12_04_1100_add_return_reasons_and_approvals.js'
import * as createJobQueue from './2026_12_04_1200_create_job_queue.js'
import * as mergeImportRuns from './2026_12_04_1220_merge_import_runs.js'
import * as createInsight from './2026_12_05_0900_create_insight.js'
import * as createKpiTargets from './2026_12_05_0920_create_kpi_targets.js'
import * as addInsightIndexes from './2026_12_05_0905_add_insight_indexes.js'
import * as addPointsRedemptionIndex from './2026_12_06_0900_add_points_redemption_index.js'
import * as addCategoryDaysPromo from './2026_12_06_0910_add_category_days_promo.js'
import * as createInsightClassCounts from './2026_12_06_1200_create_insight_class_counts.js'
import * as addTagCountsStore from './2026_12_06_1300_add_tag_counts_store.js'
import * as addClassCountsBought from './2026_12_07_0900_add_class_counts_bought.js'
import * as createMemberStoreDays from './2026_12_08_0900_create_member_store_days.js'
import * as addPointsMemberRedemptionIndex from './2026_12_08_0920_add_points_member_redemption_index.js'
import * as coverCategoryDaysIndexes from './2026_12_09_0900_cover_category_days_indexes.js'
import * as dayTablesFollowReceipts from './2026_12_10_0900_day_tables_follow_receipts.js'
import * as createClvPredictions from './2026_12_11_0900_create_clv_predictions.js'
import * as createAssociationRules from './2026_12_12_0900_create_association_rules.js'
import * as dropInsightLastPurchaseIndex from './2026_12_12_0910_drop_insight_last_purchase_index.js'
import * as categoryDaysWithoutRowid from './2026_12_12_0920_category_days_without_rowid.js'
import * as createRecommendationModels from './2026_12_13_0900_create_recommendation_models.js'
import * as createForecasts from './2026_12_13_0910_create_forecasts.js'
import * as createClvChecks from './2026_12_13_0920_create_clv_checks.js'
import * as addJobProgress from './2026_12_13_0930_add_job_progress.js'
import * as createServiceDesk from './2026_12_14_0900_create_service_desk.js'
import * as createFeedback from './2026_12_14_0910_create_feedback.js'
import * as addSurveyResponseAddress from './2026_12_14_0920_add_survey_response_address.js'
import * as createMarketingChannels from './2026_12_15_0900_create_marketing_channels.js'
import * as createMessageTemplates from './2026_12_15_0910_create_message_templates.js'
import * as createCampaigns from './2026_12_16_0900_create_campaigns.js'
import * as createJourneys from './2026_12_16_0910_create_journeys.js'
import * as createMemberEvents from './2026_12_16_0920_create_member_events.js'
import * as addMessageTracking from './2026_12_16_0930_add_message_tracking.js'
import * as indexInvitationSending from './2026_12_17_0900_index_invitation_sending.js'
import * as createErasureRequests from './2026_12_18_0900_create_erasure_requests.js'
import * as createBackupRuns from './2026_12_18_0910_create_backup_runs.js'
import * as addTwoFactor from './2026_12_19_0900_add_two_factor.js'
import * as chainAuditLog from './2026_12_19_0910_chain_audit_log.js'
import * as indexPointsMemberActivity from './2026_12_20_0900_index_points_member_activity.js'
import * as staffRegions from './2026_12_21_0900_staff_regions.js'
import * as storeTillSettings from './2026_12_21_0910_store_till_settings.js'
import * as createMemberPortal from './2026_12_22_0900_create_member_portal.js'
import * as coverDayTablesKeys from './2026_12_23_0900_cover_day_tables_keys.js'

// Every migration, by name; names sort in the order they apply. Add new ones at the end.
export const migrations: Record<string, Migration> = {
  '2026_11_23_2330_create_foundation': createFoundation,
  '2026_11_29_0900_create_receipts_and_loyalty': createReceiptsAndLoyalty,
  '2026_12_03_0800_create_coupons': createCoupons,
  '2026_12_03_0801_create_gifts': createGifts,
  '2026_12_03_0802_create_rebates': createRebates,
  '2026_12_03_0803_create_draws': createDraws,
  '2026_12_03_0900_add_coupon_share_to_receipt_lines': addCouponShareToReceiptLines,
  '2026_12_04_1030_add_coupon_issue_store': addCouponIssueStore,
  '2026_12_04_1040_add_import_safety_columns': addImportSafetyColumns,
  '2026_12_04_1050_add_member_name_index': addMemberNameIndex,
  '2026_12_04_1051_create_member_lookup_counts': createMemberLookupCounts,
  '2026_12_04_1100_add_return_reasons_and_approvals': addReturnReasonsAndApprovals,
  '2026_12_04_1200_create_job_queue': createJobQueue,
  '2026_12_04_1220_merge_import_runs': mergeImportRuns,
  '2026_12_05_0900_create_insight': createInsight,
  '2026_12_05_0920_create_kpi_targets': createKpiTargets,
  '2026_12_05_0905_add_insight_indexes': addInsightIndexes,
  '2026_12_06_0900_add_points_redemption_index': addPointsRedemptionIndex,
  '2026_12_06_0910_add_category_days_promo': addCategoryDaysPromo,
  '2026_12_06_1200_create_insight_class_counts': createInsightClassCounts,
  '2026_12_06_1300_add_tag_counts_store': addTagCountsStore,
  '2026_12_07_0900_add_class_counts_bought': addClassCountsBought,
  '2026_12_08_0900_create_member_store_days': createMemberStoreDays,
  '2026_12_08_0920_add_points_member_redemption_index': addPointsMemberRedemptionIndex,
  '2026_12_09_0900_cover_category_days_indexes': coverCategoryDaysIndexes,
  '2026_12_10_0900_day_tables_follow_receipts': dayTablesFollowReceipts,
  '2026_12_11_0900_create_clv_predictions': createClvPredictions,
  '2026_12_12_0900_create_association_rules': createAssociationRules,
  '2026_12_12_0910_drop_insight_last_purchase_index': dropInsightLastPurchaseIndex,
  '2026_12_12_0920_category_days_without_rowid': categoryDaysWithoutRowid,
  '2026_12_13_0900_create_recommendation_models': createRecommendationModels,
  '2026_12_13_0910_create_forecasts': createForecasts,
  '2026_12_13_0920_create_clv_checks': createClvChecks,
  '2026_12_13_0930_add_job_progress': addJobProgress,
  '2026_12_14_0900_create_service_desk': createServiceDesk,
  '2026_12_14_0910_create_feedback': createFeedback,
  '2026_12_14_0920_add_survey_response_address': addSurveyResponseAddress,
  '2026_12_15_0900_create_marketing_channels': createMarketingChannels,
  '2026_12_15_0910_create_message_templates': createMessageTemplates,
  '2026_12_16_0900_create_campaigns': createCampaigns,
  '2026_12_16_0910_create_journeys': createJourneys,
  '2026_12_16_0920_create_member_events': createMemberEvents,
  '2026_12_16_0930_add_message_tracking': addMessageTracking,
  '2026_12_17_0900_index_invitation_sending': indexInvitationSending,
  '2026_12_18_0900_create_erasure_requests': createErasureRequests,
  '2026_12_18_0910_create_backup_runs': createBackupRuns,
  '2026_12_19_0900_add_two_factor': addTwoFactor,
  '2026_12_19_0910_chain_audit_log': chainAuditLog,
  '2026_12_20_0900_index_points_member_activity': indexPointsMemberActivity,
  '2026_12_21_0900_staff_regions': staffRegions,
  '2026_12_21_0910_store_till_settings': storeTillSettings,
  '2026_12_22_0900_create_member_portal': createMemberPortal,
  '2026_12_23_0900_cover_day_tables_keys': coverDayTablesKeys,
}
