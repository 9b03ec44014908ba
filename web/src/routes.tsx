import { AuditOutlined, CustomerServiceOutlined, NotificationOutlined, FundOutlined, CrownOutlined, DashboardOutlined, FileTextOutlined, GiftOutlined, SettingOutlined, ShopOutlined, ShoppingCartOutlined, ShoppingOutlined, TeamOutlined } from '@ant-design/icons'
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react'
import type { Permission } from './auth/session.js'

export interface RouteEntry {
  path: string
  /** i18n key of the menu entry (common:menu.*); absent = not in the menu (detail pages). */
  menuKey?: string
  /** The menu area it sits under; absent = top level. */
  area?: 'members' | 'loyalty' | 'rewards' | 'insight' | 'marketing' | 'service' | 'receipts' | 'settings'
  icon?: ReactNode
  /** the permission the page needs; a list: any one of them (会员活动: marketing reads it, the desk registers) */
  permission: Permission | readonly Permission[]
  page: LazyExoticComponent<ComponentType>
}

export const AREAS: Record<NonNullable<RouteEntry['area']>, { menuKey: string; icon: ReactNode }> = {
  members: { menuKey: 'menu.members', icon: <TeamOutlined /> },
  loyalty: { menuKey: 'menu.loyalty', icon: <GiftOutlined /> },
  rewards: { menuKey: 'menu.rewards', icon: <CrownOutlined /> },
  insight: { menuKey: 'menu.insight', icon: <FundOutlined /> },
  marketing: { menuKey: 'menu.marketing', icon: <NotificationOutlined /> },
  service: { menuKey: 'menu.service', icon: <CustomerServiceOutlined /> },
  receipts: { menuKey: 'menu.receipts', icon: <FileTextOutlined /> },
  settings: { menuKey: 'menu.settings', icon: <SettingOutlined /> },
}

// Every page of the console, in menu order. A page shows in the menu only to roles that hold
// its permission; areas later issues fill (loyalty, insight, marketing, service) are added
// here when their pages exist, never as dead links.
export const ROUTES: RouteEntry[] = [
  { path: '/', menuKey: 'menu.dashboard', icon: <DashboardOutlined />, permission: 'dashboard.read', page: lazy(() => import('./pages/dashboard/DashboardPage.js')) },
  { path: '/till', menuKey: 'menu.till', icon: <ShoppingCartOutlined />, permission: 'receipts.post', page: lazy(() => import('./pages/till/TillPage.js')) },
  { path: '/members', menuKey: 'menu.memberList', area: 'members', permission: 'members.lookup', page: lazy(() => import('./pages/members/MembersPage.js')) },
  { path: '/members/new', menuKey: 'menu.memberRegister', area: 'members', permission: 'members.register', page: lazy(() => import('./pages/members/MemberRegisterPage.js')) },
  { path: '/members/import', menuKey: 'menu.memberImport', area: 'members', permission: 'members.import', page: lazy(() => import('./pages/member-import/MemberImportPage.js')) },
  { path: '/members/:id', area: 'members', permission: 'members.read', page: lazy(() => import('./pages/members/MemberDetailPage.js')) },
  { path: '/loyalty/rules', menuKey: 'menu.loyaltyRules', area: 'loyalty', permission: 'loyalty.read', page: lazy(() => import('./pages/loyalty/RulesPage.js')) },
  { path: '/loyalty/tiers', menuKey: 'menu.loyaltyTiers', area: 'loyalty', permission: 'loyalty.read', page: lazy(() => import('./pages/loyalty/TiersPage.js')) },
  { path: '/loyalty/policy', menuKey: 'menu.loyaltyPolicy', area: 'loyalty', permission: 'loyalty.read', page: lazy(() => import('./pages/loyalty/PolicyPage.js')) },
  { path: '/loyalty/liability', menuKey: 'menu.loyaltyLiability', area: 'loyalty', permission: 'loyalty.reports', page: lazy(() => import('./pages/loyalty/LiabilityPage.js')) },
  { path: '/rewards/coupons', menuKey: 'menu.coupons', area: 'rewards', permission: 'rewards.read', page: lazy(() => import('./pages/coupons/CouponTemplatesPage.js')) },
  { path: '/rewards/coupons/:id', area: 'rewards', permission: 'rewards.read', page: lazy(() => import('./pages/coupons/CouponTemplatePage.js')) },
  { path: '/rewards/gifts', menuKey: 'menu.gifts', area: 'rewards', permission: 'rewards.read', page: lazy(() => import('./pages/gifts/GiftsPage.js')) },
  { path: '/rewards/gift-orders', menuKey: 'menu.giftOrders', area: 'rewards', permission: 'rewards.redeem', page: lazy(() => import('./pages/gifts/GiftOrdersPage.js')) },
  { path: '/rewards/rebates', menuKey: 'menu.rebates', area: 'rewards', permission: 'rewards.reports', page: lazy(() => import('./pages/rebates/RebatesPage.js')) },
  { path: '/rewards/draws', menuKey: 'menu.draws', area: 'rewards', permission: 'rewards.read', page: lazy(() => import('./pages/draws/DrawsPage.js')) },
  { path: '/rewards/draws/:id', area: 'rewards', permission: 'rewards.read', page: lazy(() => import('./pages/draws/DrawPage.js')) },
  { path: '/insight', menuKey: 'menu.insightOverview', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/overview/OverviewPage.js')) },
  { path: '/insight/rfm', menuKey: 'menu.insightRfm', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/rfm/RfmPage.js')) },
  { path: '/insight/quadrants', menuKey: 'menu.insightQuadrants', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/quadrants/QuadrantsPage.js')) },
  { path: '/insight/pareto', menuKey: 'menu.insightPareto', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/pareto/ParetoPage.js')) },
  { path: '/insight/lifecycle', menuKey: 'menu.insightLifecycle', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/lifecycle/LifecyclePage.js')) },
  { path: '/insight/clv', menuKey: 'menu.insightClv', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/clv/ClvPage.js')) },
  { path: '/insight/rules', menuKey: 'menu.insightRules', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/rules/RulesPage.js')) },
  { path: '/insight/recommendations', menuKey: 'menu.insightRecommendations', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/recommendations/RecommendationsPage.js')) },
  { path: '/insight/forecast', menuKey: 'menu.insightForecast', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/forecast/ForecastPage.js')) },
  { path: '/insight/segments', menuKey: 'menu.insightSegments', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/segments/SegmentsPage.js')) },
  { path: '/insight/segments/:id', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/segments/SegmentPage.js')) },
  { path: '/insight/kpis', menuKey: 'menu.insightKpis', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/kpis/KpisPage.js')) },
  { path: '/insight/report', menuKey: 'menu.insightReport', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/report/ReportPage.js')) },
  { path: '/insight/settings', menuKey: 'menu.insightSettings', area: 'insight', permission: 'insight.manage', page: lazy(() => import('./pages/insight/settings/InsightSettingsPage.js')) },
  { path: '/insight/tags', menuKey: 'menu.insightTags', area: 'insight', permission: 'insight.read', page: lazy(() => import('./pages/insight/tags/TagsPage.js')) },
  { path: '/marketing/campaigns', menuKey: 'menu.marketingCampaigns', area: 'marketing', permission: 'marketing.read', page: lazy(() => import('./pages/marketing/campaigns/CampaignsPage.js')) },
  { path: '/marketing/campaigns/new', area: 'marketing', permission: 'marketing.manage', page: lazy(() => import('./pages/marketing/campaigns/CampaignFormPage.js')) },
  { path: '/marketing/campaigns/:id', area: 'marketing', permission: 'marketing.read', page: lazy(() => import('./pages/marketing/campaigns/CampaignPage.js')) },
  { path: '/marketing/campaigns/:id/edit', area: 'marketing', permission: 'marketing.manage', page: lazy(() => import('./pages/marketing/campaigns/CampaignFormPage.js')) },
  { path: '/marketing/journeys', menuKey: 'menu.marketingJourneys', area: 'marketing', permission: 'marketing.read', page: lazy(() => import('./pages/marketing/journeys/JourneysPage.js')) },
  { path: '/marketing/journeys/new', area: 'marketing', permission: 'marketing.manage', page: lazy(() => import('./pages/marketing/journeys/JourneyFormPage.js')) },
  { path: '/marketing/journeys/:id', area: 'marketing', permission: 'marketing.read', page: lazy(() => import('./pages/marketing/journeys/JourneyPage.js')) },
  { path: '/marketing/journeys/:id/edit', area: 'marketing', permission: 'marketing.manage', page: lazy(() => import('./pages/marketing/journeys/JourneyFormPage.js')) },
  { path: '/marketing/events', menuKey: 'menu.marketingEvents', area: 'marketing', permission: ['marketing.read', 'events.register'], page: lazy(() => import('./pages/marketing/events/EventsPage.js')) },
  { path: '/marketing/events/:id', area: 'marketing', permission: ['marketing.read', 'events.register'], page: lazy(() => import('./pages/marketing/events/EventPage.js')) },
  { path: '/marketing/templates', menuKey: 'menu.marketingTemplates', area: 'marketing', permission: 'marketing.read', page: lazy(() => import('./pages/marketing/templates/TemplatesPage.js')) },
  { path: '/marketing/channels', menuKey: 'menu.marketingChannels', area: 'marketing', permission: 'marketing.read', page: lazy(() => import('./pages/marketing/channels/ChannelsPage.js')) },
  { path: '/service/tickets', menuKey: 'menu.serviceTickets', area: 'service', permission: 'service.read', page: lazy(() => import('./pages/service/tickets/TicketsPage.js')) },
  { path: '/service/tickets/new', menuKey: 'menu.serviceNewTicket', area: 'service', permission: 'service.intake', page: lazy(() => import('./pages/service/tickets/NewTicketPage.js')) },
  { path: '/service/tickets/:id', area: 'service', permission: 'service.read', page: lazy(() => import('./pages/service/tickets/TicketPage.js')) },
  { path: '/service/suggestions', menuKey: 'menu.serviceSuggestions', area: 'service', permission: 'service.read', page: lazy(() => import('./pages/service/suggestions/SuggestionsPage.js')) },
  { path: '/service/surveys', menuKey: 'menu.serviceSurveys', area: 'service', permission: 'service.read', page: lazy(() => import('./pages/service/surveys/SurveysPage.js')) },
  { path: '/service/surveys/:id', area: 'service', permission: 'service.read', page: lazy(() => import('./pages/service/surveys/SurveyPage.js')) },
  { path: '/service/reports', menuKey: 'menu.serviceReports', area: 'service', permission: 'service.read', page: lazy(() => import('./pages/service/reports/ServiceReportsPage.js')) },
  { path: '/service/settings', menuKey: 'menu.serviceSettings', area: 'service', permission: 'service.manage', page: lazy(() => import('./pages/service/settings/ServiceSettingsPage.js')) },
  { path: '/receipts', menuKey: 'menu.receiptList', area: 'receipts', permission: 'receipts.read', page: lazy(() => import('./pages/receipts/ReceiptsPage.js')) },
  { path: '/receipts/import', menuKey: 'menu.receiptImport', area: 'receipts', permission: 'receipts.import', page: lazy(() => import('./pages/receipt-import/ReceiptImportPage.js')) },
  { path: '/products', menuKey: 'menu.products', icon: <ShoppingOutlined />, permission: 'products.read', page: lazy(() => import('./pages/products/ProductsPage.js')) },
  { path: '/stores/:id/poster', permission: 'stores.read', page: lazy(() => import('./pages/stores/RegistrationPosterPage.js')) },
  { path: '/stores', menuKey: 'menu.stores', icon: <ShopOutlined />, permission: 'stores.read', page: lazy(() => import('./pages/stores/StoresPage.js')) },
  { path: '/settings/staff', menuKey: 'menu.staff', area: 'settings', permission: 'staff.read', page: lazy(() => import('./pages/staff/StaffPage.js')) },
  { path: '/settings/audit', menuKey: 'menu.audit', area: 'settings', icon: <AuditOutlined />, permission: 'audit.read', page: lazy(() => import('./pages/audit/AuditPage.js')) },
  { path: '/settings/privacy', menuKey: 'menu.privacy', area: 'settings', permission: 'members.privacy', page: lazy(() => import('./pages/privacy/PrivacyPage.js')) },
  { path: '/settings/security', menuKey: 'menu.security', area: 'settings', permission: 'chain.manage', page: lazy(() => import('./pages/account/SecuritySettingsPage.js')) },
  { path: '/settings/backups', menuKey: 'menu.backups', area: 'settings', permission: 'jobs.manage', page: lazy(() => import('./pages/backups/BackupsPage.js')) },
  { path: '/settings/jobs', menuKey: 'menu.jobs', area: 'settings', permission: 'jobs.manage', page: lazy(() => import('./pages/jobs/JobsPage.js')) },
]

/** Whether a role may open a page: its permission, or any one of its list. */
export const mayOpen = (can: (p: Permission) => boolean, permission: RouteEntry['permission']): boolean =>
  typeof permission === 'string' ? can(permission) : permission.some(can)
