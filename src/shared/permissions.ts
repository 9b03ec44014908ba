// Roles and permissions: auth stores roles, services and the HTTP edge check permissions, and the
// console shows them, so they live in shared where every side may import them.
export const ROLES = ['hq_admin', 'hq_marketing', 'analyst', 'region_manager', 'store_manager', 'cashier', 'service_agent'] as const
export type Role = (typeof ROLES)[number]

/** Roles that belong to one store and see only that store's members in lists and management actions. */
export const STORE_ROLES: readonly Role[] = ['store_manager', 'cashier', 'service_agent']
export const isStoreRole = (role: Role): boolean => STORE_ROLES.includes(role)
/** Roles that belong to one region and see and manage its stores' data (and nothing of other regions). */
export const REGION_ROLES: readonly Role[] = ['region_manager']
export const isRegionRole = (role: Role): boolean => REGION_ROLES.includes(role)

export const PERMISSIONS = [
  'chain.read', 'chain.manage', 'dashboard.read',
  'stores.read', 'stores.manage',
  // a store's own values of the settings HQ lets stores change (store managers: their store;
  // region managers: the region's stores)
  'stores.settings',
  'staff.read', 'staff.manage',
  'pos_keys.manage',
  'audit.read',
  // the job queue: queues, failed jobs, retry and discard (HQ admin only)
  'jobs.manage',
  'members.lookup', 'members.read', 'members.list', 'members.register', 'members.update',
  'members.consent', 'members.freeze', 'members.merge', 'members.reveal', 'members.audit', 'members.export', 'members.import',
  'products.read', 'products.manage', 'products.import',
  'receipts.read', 'receipts.post', 'receipts.import',
  // returns are taken at the service desk; above the chain's limit a store manager approves them
  'receipts.return', 'receipts.approve_returns',
  'loyalty.read', 'loyalty.adjust', 'loyalty.manage', 'loyalty.reports',
  // rewards: read (catalogues, a member's coupons/orders/draws), manage (templates, gifts, rebates,
  // draws), issue (coupons to members, void), redeem (gifts and draws for a member, hand-over), reports
  'rewards.read', 'rewards.manage', 'rewards.issue', 'rewards.redeem', 'rewards.reports',
  // insight (洞察): read the figures and a member's profile (store roles: their store), manage
  // settings, thresholds, tag definitions and KPI targets; build segments (store managers: of their
  // store); export a segment's members (HQ only); attach and remove manual tags
  'insight.read', 'insight.manage', 'segments.manage', 'segments.export', 'tags.assign',
  // service (服务): read the desk's tickets, suggestions and survey results (store roles: their
  // store); intake a complaint or suggestion (the till too); handle tickets (take, assign, reply,
  // resolve, follow up, triage suggestions); grant compensation (goodwill points, a coupon; limited
  // per role by the chain's settings); manage teams, categories, SLA policies and the desk's
  // settings; build and distribute surveys
  'service.read', 'service.intake', 'service.handle', 'service.compensate', 'service.manage', 'surveys.manage',
  // marketing: read the channels' providers and the message log; manage the providers (settings,
  // keys, a test send), templates and campaigns; approve a campaign (HQ administrators, when the
  // chain asks for approval)
  'marketing.read', 'marketing.manage', 'marketing.approve',
  // member events (会员活动): register members and check them in at the desk or the till, and read
  // the events (store roles and tills: their own store's); creating and changing them is marketing.manage
  'events.register',
  // personal data on a person's request (PIPL): a copy of everything held on them, their erasure
  // (after the chain's cooling-off days) and its withdrawal (store roles: their store's members)
  'members.privacy',
] as const
export type Permission = (typeof PERMISSIONS)[number]

const all = [...PERMISSIONS]
const desk: Permission[] = [
  'chain.read', 'dashboard.read', 'stores.read', 'members.lookup', 'members.read', 'members.register', 'members.update', 'members.consent',
  'products.read', 'receipts.read', 'loyalty.read', 'rewards.read', 'rewards.redeem',
]

/**
 * The role matrix. A cashier at any store can look up any member (members shop everywhere)
 * but cannot list or export; store roles' lists and management actions are limited to their
 * own store by the services; only HQ roles export or see the whole chain.
 */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  hq_admin: new Set(all),
  hq_marketing: new Set<Permission>([
    'chain.read', 'dashboard.read', 'stores.read', 'members.lookup', 'members.read', 'members.list', 'members.register', 'members.update',
    'members.consent', 'members.export', 'members.import', 'products.read', 'products.manage', 'receipts.read', 'loyalty.read',
    'loyalty.manage', 'loyalty.reports', 'rewards.read', 'rewards.manage', 'rewards.issue', 'rewards.redeem', 'rewards.reports',
    'insight.read', 'insight.manage', 'segments.manage', 'segments.export', 'tags.assign', 'service.read', 'surveys.manage',
    'marketing.read', 'marketing.manage', 'events.register',
  ]),
  analyst: new Set<Permission>([
    'chain.read', 'dashboard.read', 'stores.read', 'members.lookup', 'members.read', 'members.list', 'members.export',
    'products.read', 'receipts.read', 'loyalty.read', 'loyalty.reports', 'rewards.read', 'rewards.reports',
    'insight.read', 'insight.manage', 'segments.manage', 'segments.export', 'service.read', 'marketing.read',
  ]),
  // A region's manager: what a store manager does, for every store of the region (naming the
  // store where one is needed), and the store managers themselves; no till, no chain-wide export.
  region_manager: new Set<Permission>([
    ...desk, 'members.list', 'members.freeze', 'members.reveal', 'members.audit', 'staff.read', 'staff.manage', 'stores.settings', 'receipts.return', 'receipts.approve_returns', 'loyalty.adjust', 'loyalty.reports',
    'rewards.issue', 'rewards.reports', 'insight.read', 'tags.assign',
    'service.read', 'service.intake', 'service.handle', 'service.compensate', 'events.register',
  ]),
  store_manager: new Set<Permission>([
    ...desk, 'members.list', 'members.freeze', 'members.reveal', 'members.audit', 'staff.read', 'staff.manage', 'stores.settings', 'receipts.post', 'receipts.return', 'receipts.approve_returns', 'loyalty.adjust', 'loyalty.reports',
    'rewards.issue', 'rewards.reports', 'insight.read', 'segments.manage', 'tags.assign',
    'service.read', 'service.intake', 'service.handle', 'service.compensate', 'events.register',
  ]),
  cashier: new Set<Permission>([...desk, 'receipts.post', 'service.intake', 'events.register']),
  service_agent: new Set<Permission>([...desk, 'members.list', 'members.freeze', 'members.merge', 'members.reveal', 'members.audit', 'members.privacy', 'receipts.return', 'loyalty.adjust', 'rewards.issue', 'tags.assign',
    'service.read', 'service.intake', 'service.handle', 'service.compensate', 'events.register']),
}

/** What a till's API key may do: the till's endpoints only. */
export const POS_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'members.lookup', 'members.read', 'members.register', 'members.update', 'members.consent', 'products.read', 'receipts.post', 'receipts.return',
  'rewards.read', 'rewards.redeem', 'service.intake', 'events.register',
])
