export { countStores, createOrgService, findStoreById, listAllStores, regionIdsByCode, regionsByIds, storeByCode, storeById, storeIdsByCode, storeIdsOfRegion, storeNamesByIds, storesByIds, toStore } from './org.service.js'
export type { Chain, OrgService, Region, Store, StoreInput } from './org.service.js'
export { orgAuditLabels } from './org.audit-labels.js'
