export { createOrgService, findStoreById, toStore } from './org.service.js'
export type { Chain, OrgService, Region, Store, StoreInput } from './org.service.js'
