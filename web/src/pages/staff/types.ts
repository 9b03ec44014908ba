import type { FormRule as Rule } from 'antd'
import type { TFunction } from 'i18next'
import type { paths } from '../../api/schema.js'

export type StaffUser = paths['/api/v1/staff']['get']['responses']['200']['content']['application/json'][number]
export type Role = StaffUser['role']
export type PosKey = paths['/api/v1/pos-keys']['get']['responses']['200']['content']['application/json'][number]
export type CreatedPosKey = paths['/api/v1/pos-keys']['post']['responses']['201']['content']['application/json']
export type Store = paths['/api/v1/stores']['get']['responses']['200']['content']['application/json'][number]

export const ROLES: readonly Role[] = ['hq_admin', 'hq_marketing', 'analyst', 'region_manager', 'store_manager', 'cashier', 'service_agent']
/** Roles that belong to one store (the server's STORE_ROLES); HQ roles have none. */
export const STORE_ROLES: readonly Role[] = ['store_manager', 'cashier', 'service_agent']
export const isStoreRole = (role: Role | undefined) => !!role && STORE_ROLES.includes(role)
/** Roles that belong to one region (the server's REGION_ROLES). */
export const isRegionRole = (role: Role | undefined) => role === 'region_manager'
/** The roles a store manager creates and manages in their own store (the server's STORE_MANAGED_ROLES). */
export const STORE_MANAGED_ROLES: readonly Role[] = ['cashier', 'service_agent']
/** The roles a region manager creates and manages in the region's stores (the server's REGION_MANAGED_ROLES). */
export const REGION_MANAGED_ROLES: readonly Role[] = ['store_manager', 'cashier', 'service_agent']

type Me = Pick<StaffUser, 'role' | 'storeId' | 'regionId'> | null | undefined

/** The stores whose staff `me` manages: a store manager's own, a region manager's region's; null for HQ (every store). */
export const managedStores = (me: Me, stores: readonly Store[]): Store[] | null => {
  if (!me) return []
  if (isRegionRole(me.role)) return stores.filter((s) => s.regionId === me.regionId)
  if (isStoreRole(me.role)) return stores.filter((s) => s.id === me.storeId)
  return null
}
/** The roles `me` gives and manages: HQ every role, a region manager the store roles, a store manager cashiers and desk staff. */
export const managedRoles = (me: Me): readonly Role[] =>
  me && isRegionRole(me.role) ? REGION_MANAGED_ROLES : me && isStoreRole(me.role) ? STORE_MANAGED_ROLES : ROLES
/** Whether `me` may manage `user`: chain-wide staff anyone, store and region managers their stores' staff of the roles they manage. */
export const mayManage = (me: Me, stores: readonly Store[], user: StaffUser) => {
  const own = managedStores(me, stores)
  return own === null || (!!user.storeId && own.some((s) => s.id === user.storeId) && managedRoles(me).includes(user.role))
}

/** 2–32 of a-z 0-9 . _ -, starting with a letter or digit (stored lower-cased). */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/

/** The server's password rules (passwords.ts), checked before sending. */
export const passwordRules = (t: TFunction<'org', 'staff'>, username: () => string | undefined): Rule[] => [
  { required: true },
  { min: 8, message: t('form.passwordTooShort') },
  { max: 200 },
  { pattern: /\D/, message: t('form.passwordDigitsOnly') },
  {
    validator: async (_, value?: string) => {
      const name = username()?.trim().toLowerCase()
      if (value && name && value.toLowerCase().includes(name)) throw new Error(t('form.passwordHasUsername'))
    },
  },
]
