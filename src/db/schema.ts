import type { MemberFactsTables } from '../modules/analytics/member-facts.table.js'
import type { InsightTables } from '../modules/analytics/insight/insight.table.js'
import type { PredictionsTables } from '../modules/analytics/predictions/predictions.table.js'
import type { RulesTables } from '../modules/analytics/rules/rules.table.js'
import type { RecommendationsTables } from '../modules/analytics/recommendations/recommendations.table.js'
import type { ForecastTables } from '../modules/analytics/forecast/forecast.table.js'
import type { SegmentsTables } from '../modules/analytics/segments/segments.table.js'
import type { TagsTables } from '../modules/analytics/tags/tags.table.js'
import type { KpisTables } from '../modules/analytics/kpis/kpis.table.js'
import type { AuditTables } from '../modules/audit/audit.table.js'
import type { AuthTables } from '../modules/auth/auth.table.js'
import type { CatalogTables } from '../modules/catalog/catalog.table.js'
import type { ImportsTables } from '../modules/imports/imports.table.js'
import type { LoyaltyTables } from '../modules/loyalty/loyalty.table.js'
import type { MembersTables } from '../modules/members/members.table.js'
import type { OrgTables } from '../modules/org/org.table.js'
import type { OutboxTables } from '../modules/outbox/outbox.table.js'
import type { CouponsTables } from '../modules/rewards/coupons.table.js'
import type { DrawsTables } from '../modules/rewards/draws.table.js'
import type { GiftsTables } from '../modules/rewards/gifts.table.js'
import type { RebatesTables } from '../modules/rewards/rebates.table.js'
import type { TicketsTables } from '../modules/service/tickets/tickets.table.js'
import type { FeedbackTables } from '../modules/service/feedback/feedback.table.js'
import type { ChannelsTables } from '../modules/marketing/channels/channels.table.js'
import type { TemplatesTables } from '../modules/marketing/templates/templates.table.js'
import type { CampaignsTables } from '../modules/marketing/campaigns/campaigns.table.js'
import type { JourneysTables } from '../modules/marketing/journeys/journeys.table.js'
import type { MemberEventsTables } from '../modules/marketing/events/events.table.js'
import type { PrivacyTables } from '../modules/privacy/privacy.table.js'
import type { OperationsTables } from '../modules/operations/operations.table.js'
import type { ReceiptsTables } from '../modules/transactions/receipts.table.js'
import type { PortalTables } from '../modules/portal/portal.table.js'

export interface MetaTable {
  key: string
  value: string
}

export interface DB extends OrgTables, AuthTables, AuditTables, MembersTables, CatalogTables, ReceiptsTables, LoyaltyTables, OutboxTables,
  CouponsTables, GiftsTables, RebatesTables, DrawsTables, MemberFactsTables, ImportsTables,
  InsightTables, TagsTables, SegmentsTables, KpisTables, PredictionsTables, RulesTables, RecommendationsTables, ForecastTables,
  TicketsTables, FeedbackTables, ChannelsTables, TemplatesTables, CampaignsTables, MemberEventsTables, JourneysTables, PrivacyTables, OperationsTables, PortalTables {
  meta: MetaTable
}
